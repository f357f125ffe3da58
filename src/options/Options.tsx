import type { SmartTagsDatabase } from '../shared/db';
import { latestPolicy, privacyContact } from '../shared/policy';
import { PolicyNotice } from '../shared/ui/PolicyNotice';
import { PolicyText } from '../shared/ui/PolicyText';
import { ScopeChoices } from '../shared/ui/ScopeChoices';
import { useConsent } from '../shared/ui/useConsent';
import { WipeControl } from '../shared/ui/WipeControl';
import { AttentionSettings } from './AttentionSettings';
import { ConsentLedger } from './ConsentLedger';
import { DataQuality } from './DataQuality';
import { Dashboard } from './dashboard/Dashboard';
import { ExportData } from './ExportData';
import { ImportData } from './ImportData';
import { Retention } from './Retention';
import { Sync } from './Sync';

const text = {
  title: 'smartTags',
  nav: 'Dashboard',
  dashboard: 'Your Instagram use',
  privacy: 'Privacy and your data',
  choices: 'Your choices',
  consentNeeded: 'You have not made your choices yet: nothing is recorded until you turn something on below.',
  loading: 'Loading…',
  ledger: 'History of your choices',
  policy: 'Privacy policy',
  policySummary: (version: number) => `Read the privacy policy (version ${version})`,
  contact: 'Privacy questions: ',
  retention: 'How long to keep data',
  attention: 'How attention is measured',
  export: 'Export your data',
  import: 'Import data',
  delete: 'Delete your data',
  sync: 'Sync',
};

/**
 * The options page: the dashboard's reports (tabs: overview, hashtags, account), then privacy, then sync.
 */
export function Options({ db }: { db: SmartTagsDatabase }) {
  const { consent, setConsent } = useConsent(db);
  return (
    <div class="options">
      <header class="options-header">
        <h1>{text.title}</h1>
        <nav aria-label={text.nav}>
          <ul>
            <li>
              <a href="#dashboard">{text.dashboard}</a>
            </li>
            <li>
              <a href="#privacy">{text.privacy}</a>
            </li>
            <li>
              <a href="#sync">{text.sync}</a>
            </li>
          </ul>
        </nav>
      </header>
      <main>
        <section id="dashboard" class="options-part" aria-labelledby="dashboard-heading">
          <h2 id="dashboard-heading">{text.dashboard}</h2>
          <Dashboard db={db} />
        </section>

        <section id="privacy" class="options-part" aria-labelledby="privacy-heading">
          <h2 id="privacy-heading">{text.privacy}</h2>

          {/*
            Layout drift: a notice only while something on Instagram's pages could not be read; when all is fine this
            renders nothing (DataQuality's "everything was found" line, `sayWhenOk`, is not used on this page).
          */}
          <DataQuality db={db} />

          <section aria-labelledby="choices-heading">
            <h3 id="choices-heading">{text.choices}</h3>
            {consent.state === 'loading' && <p aria-busy="true">{text.loading}</p>}
            {consent.state === 'failed' && (
              <p role="alert" class="alert">
                {consent.message}
              </p>
            )}
            {consent.state === 'ready' && (
              <>
                {consent.value.decidedAt === null && (
                  <p class="notice" data-testid="consent-needed">
                    {text.consentNeeded}
                  </p>
                )}
                <PolicyNotice consent={consent.value} />
                <ScopeChoices mode="immediate" source="options" consent={consent.value} onChange={setConsent} />
              </>
            )}
          </section>

          <section aria-labelledby="ledger-heading">
            <h3 id="ledger-heading">{text.ledger}</h3>
            <ConsentLedger db={db} />
          </section>

          <section aria-labelledby="policy-heading">
            <h3 id="policy-heading">{text.policy}</h3>
            <details data-testid="policy">
              <summary>{text.policySummary(latestPolicy().version)}</summary>
              <PolicyText headingLevel={4} />
            </details>
            <p data-testid="privacy-contact">
              {text.contact}
              <a href={`mailto:${privacyContact}`}>{privacyContact}</a>
            </p>
          </section>

          <section aria-labelledby="retention-heading">
            <h3 id="retention-heading">{text.retention}</h3>
            <Retention db={db} />
          </section>

          <section aria-labelledby="attention-heading">
            <h3 id="attention-heading">{text.attention}</h3>
            <AttentionSettings db={db} />
          </section>

          <section aria-labelledby="export-heading">
            <h3 id="export-heading">{text.export}</h3>
            <ExportData />
          </section>

          <section aria-labelledby="import-heading">
            <h3 id="import-heading">{text.import}</h3>
            <ImportData />
          </section>

          <section aria-labelledby="delete-heading">
            <h3 id="delete-heading">{text.delete}</h3>
            <WipeControl />
          </section>
        </section>

        <section id="sync" class="options-part" aria-labelledby="sync-heading">
          <h2 id="sync-heading">{text.sync}</h2>
          <Sync db={db} />
        </section>
      </main>
    </div>
  );
}
