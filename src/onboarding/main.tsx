import { render } from 'preact';
import { pageDatabaseOptions, SmartTagsDatabase } from '../shared/storage/db';
import '../shared/ui/base.css';
import { localizeDocument } from '../shared/ui/i18n';
import './onboarding.css';
import { Onboarding } from './Onboarding';

localizeDocument('onboardingTitle');
const root = document.getElementById('app');
const policyUpdate = new URLSearchParams(location.search).get('reason') === 'policy-update';
if (root)
  render(<Onboarding db={new SmartTagsDatabase(undefined, pageDatabaseOptions)} policyUpdate={policyUpdate} />, root);
