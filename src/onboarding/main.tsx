import { render } from 'preact';
import { SmartTagsDatabase } from '../shared/db';
import '../shared/ui/base.css';
import './onboarding.css';
import { Onboarding } from './Onboarding';

const root = document.getElementById('app');
const policyUpdate = new URLSearchParams(location.search).get('reason') === 'policy-update';
if (root) render(<Onboarding db={new SmartTagsDatabase()} policyUpdate={policyUpdate} />, root);
