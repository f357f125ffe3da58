import { render } from 'preact';
import { SmartTagsDatabase } from '../shared/db';
import '../shared/ui/base.css';
import './options.css';
import { Options } from './Options';

const root = document.getElementById('app');
if (root) render(<Options db={new SmartTagsDatabase()} />, root);
