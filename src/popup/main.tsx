import { render } from 'preact';
import { SmartTagsDatabase } from '../shared/db';
import '../shared/ui/base.css';
import './popup.css';
import { Popup } from './Popup';

const root = document.getElementById('app');
if (root) render(<Popup db={new SmartTagsDatabase()} />, root);
