import { latestPolicy, privacyContact } from '../shared/domain/policy';
import type { SmartTagsDatabase } from '../shared/storage/db';
import { t, tWithNodes } from '../shared/ui/i18n';
import { PolicyNotice } from '../shared/ui/PolicyNotice';
import { PolicyText } from '../shared/ui/PolicyText';
import { ScopeChoices } from '../shared/ui/ScopeChoices';
import { useConsent } from '../shared/ui/useConsent';
import { WipeControl } from '../shared/ui/WipeControl';
import { AttentionSettings } from './AttentionSettings';
import { ConsentLedger } from './ConsentLedger';
import { Dashboard } from './dashboard/Dashboard';
import { ExportData } from './ExportData';
import { ImportData } from './ImportData';
import { LocalEdits } from './LocalEdits';
import { RecordingHealth } from './RecordingHealth';
import { Reminders } from './Reminders';
import { Retention } from './Retention';
import { Sync } from './Sync';

/**
 * The options page: the dashboard's reports (tabs: overview, hashtags, account), then privacy, then sync.
 */
export function Options({ db }: { db: SmartTagsDatabase }) {
  const { consent, setConsent } = useConsent(db);
  return (
    <div class="options">
      <header class="options-header">
        <h1>{t('extensionName')}</h1>
        <nav aria-label={t('optionsNav')}>
          <ul>
            <li>
              <a href="#dashboard">{t('optionsDashboard')}</a>
            </li>
            <li>
              <a href="#privacy">{t('optionsPrivacy')}</a>
            </li>
            <li>
              <a href="#sync">{t('optionsSync')}</a>
            </li>
          </ul>
        </nav>
      </header>
      <main>
        <section id="dashboard" class="options-part" aria-labelledby="dashboard-heading">
          <h2 id="dashboard-heading">{t('optionsDashboard')}</h2>
          <Dashboard db={db} />
        </section>

        <section id="privacy" class="options-part" aria-labelledby="privacy-heading">
          <h2 id="privacy-heading">{t('optionsPrivacy')}</h2>

          {/* First, so a reader failing (layout drift) is seen before anything else; the popup links here. */}
          <RecordingHealth db={db} />

          <section aria-labelledby="choices-heading">
            <h3 id="choices-heading">{t('optionsChoices')}</h3>
            {consent.state === 'loading' && <p aria-busy="true">{t('commonLoading')}</p>}
            {consent.state === 'failed' && (
              <p role="alert" class="alert">
                {consent.message}
              </p>
            )}
            {consent.state === 'ready' && (
              <>
                {consent.value.decidedAt === null && (
                  <p class="notice" data-testid="consent-needed">
                    {t('optionsConsentNeeded')}
                  </p>
                )}
                <PolicyNotice consent={consent.value} />
                <ScopeChoices mode="immediate" source="options" consent={consent.value} onChange={setConsent} />
              </>
            )}
          </section>

          <section aria-labelledby="ledger-heading">
            <h3 id="ledger-heading">{t('optionsLedger')}</h3>
            <ConsentLedger db={db} />
          </section>

          <section aria-labelledby="local-edits-heading">
            <h3 id="local-edits-heading">{t('optionsLocalEdits')}</h3>
            <LocalEdits db={db} />
          </section>

          <section aria-labelledby="policy-heading">
            <h3 id="policy-heading">{t('optionsPolicy')}</h3>
            <details data-testid="policy">
              <summary>{t('optionsPolicySummary', String(latestPolicy().version))}</summary>
              <PolicyText headingLevel={4} />
            </details>
            <p data-testid="privacy-contact">
              {tWithNodes('optionsContact', <a href={`mailto:${privacyContact}`}>{privacyContact}</a>)}
            </p>
          </section>

          <section aria-labelledby="retention-heading">
            <h3 id="retention-heading">{t('optionsRetention')}</h3>
            <Retention db={db} />
          </section>

          <section aria-labelledby="attention-heading">
            <h3 id="attention-heading">{t('optionsAttention')}</h3>
            <AttentionSettings db={db} />
          </section>

          <section aria-labelledby="reminders-heading">
            <h3 id="reminders-heading">{t('optionsReminders')}</h3>
            <Reminders db={db} />
          </section>

          <section aria-labelledby="export-heading">
            <h3 id="export-heading">{t('optionsExport')}</h3>
            <ExportData />
          </section>

          <section aria-labelledby="import-heading">
            <h3 id="import-heading">{t('optionsImport')}</h3>
            <ImportData />
          </section>

          <section aria-labelledby="delete-heading">
            <h3 id="delete-heading">{t('optionsDelete')}</h3>
            <WipeControl />
          </section>
        </section>

        <section id="sync" class="options-part" aria-labelledby="sync-heading">
          <h2 id="sync-heading">{t('optionsSync')}</h2>
          <Sync db={db} />
        </section>
      </main>
    </div>
  );
}
