import { render } from 'preact';
import { pageDatabaseOptions, SmartTagsDatabase } from '../shared/storage/db';
import '../shared/ui/base.css';
import { localizeDocument } from '../shared/ui/i18n';
import './popup.css';
import { Popup } from './Popup';

localizeDocument('extensionName');
const root = document.getElementById('app');
if (root) render(<Popup db={new SmartTagsDatabase(undefined, pageDatabaseOptions)} />, root);
