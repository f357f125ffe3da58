import { render } from 'preact';
import { pageDatabaseOptions, SmartTagsDatabase } from '../shared/storage/db';
import '../shared/ui/base.css';
import { localizeDocument } from '../shared/ui/i18n';
import './options.css';
import { Options } from './Options';

localizeDocument('optionsPageTitle');
const root = document.getElementById('app');
if (root) render(<Options db={new SmartTagsDatabase(undefined, pageDatabaseOptions)} />, root);
