import { useEffect, useState } from 'preact/hooks';
import { latestPolicy, privacyContact } from '../shared/domain/policy';
import type { SmartTagsDatabase } from '../shared/storage/db';
import { type MessageKey, t, tWithNodes } from '../shared/ui/i18n';
import { PolicyNotice } from '../shared/ui/PolicyNotice';
import { PolicyText } from '../shared/ui/PolicyText';
import { ScopeChoices } from '../shared/ui/ScopeChoices';
import { useConsent } from '../shared/ui/useConsent';
import { WipeControl } from '../shared/ui/WipeControl';
import { AttentionSettings } from './AttentionSettings';
import { ConsentLedger } from './ConsentLedger';
import { Dashboard } from './dashboard/Dashboard';
import { ExportData } from './ExportData';
import { Goals } from './Goals';
import { ImportData } from './ImportData';
import { LocalEdits } from './LocalEdits';
import { RecordingHealth } from './RecordingHealth';
import { Retention } from './Retention';
import { WeeklyReport } from './report/WeeklyReport';
import { type OptionsRoute, parseRoute, type Section, sections } from './route';
import { Sync } from './Sync';

const sectionTitles = {
  dashboard: 'optionsDashboard',
  goals: 'optionsReminders',
  privacy: 'optionsPrivacy',
  sync: 'optionsSync',
} as const satisfies Record<Section, MessageKey>;

/** The route of the page's address, following it as links, back and forward change it. */
function useRoute(): OptionsRoute {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const follow = () => setRoute(parseRoute(location.hash));
    addEventListener('hashchange', follow);
    return () => removeEventListener('hashchange', follow);
  }, []);
  // An older link named an element inside a section: once that section is shown, the element is brought into view.
  const anchor = route.kind === 'section' ? route.anchor : undefined;
  useEffect(() => {
    if (anchor) document.getElementById(anchor)?.scrollIntoView();
  }, [anchor]);
  return route;
}

/**
 * The options page, in sections with their own addresses (src/options/route.ts): the dashboard's reports, goals and
 * reminders, your data and privacy, sync — and a week's report, which the weekly notification opens. Only the section
 * shown is rendered, so opening the page reads only what that section needs.
 */
export function Options({ db }: { db: SmartTagsDatabase }) {
  const { consent, setConsent } = useConsent(db);
  const route = useRoute();
  const current = route.kind === 'section' ? route.section : undefined;
  return (
    <div class="options">
      <header class="options-header">
        <h1>{t('extensionName')}</h1>
        <nav aria-label={t('optionsNav')}>
          <ul>
            {sections.map((section) => (
              <li key={section}>
                <a
                  href={`#${section}`}
                  aria-current={current === section ? 'page' : undefined}
                  data-testid={`section-link-${section}`}
                >
                  {t(sectionTitles[section])}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      </header>
      <main>
        {route.kind === 'report' && (
          <section id="report" class="options-part" aria-labelledby="report-heading">
            <h2 id="report-heading">{t('optionsWeeklyReport')}</h2>
            <WeeklyReport db={db} week={route.week} />
            <p>
              <a href="#dashboard">{t('optionsBackToDashboard')}</a>
            </p>
          </section>
        )}
        {current === 'dashboard' && (
          <section id="dashboard" class="options-part" aria-labelledby="dashboard-heading">
            <h2 id="dashboard-heading">{t('optionsDashboard')}</h2>
            <Dashboard db={db} />
          </section>
        )}
        {current === 'goals' && (
          <section id="goals" class="options-part" aria-labelledby="reminders-heading">
            <h2 id="reminders-heading">{t('optionsReminders')}</h2>
            <Goals db={db} />
          </section>
        )}

        {current === 'privacy' && (
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
        )}

        {current === 'sync' && (
          <section id="sync" class="options-part" aria-labelledby="sync-heading">
            <h2 id="sync-heading">{t('optionsSync')}</h2>
            <Sync db={db} />
          </section>
        )}
      </main>
    </div>
  );
}
