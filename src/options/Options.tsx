import { useEffect, useRef, useState } from 'preact/hooks';
import { latestPolicy, privacyContact } from '../shared/domain/policy';
import type { SmartTagsDatabase } from '../shared/storage/db';
import { formatDateLong } from '../shared/ui/format';
import { type MessageKey, t, tWithNodes } from '../shared/ui/i18n';
import { PolicyNotice } from '../shared/ui/PolicyNotice';
import { PolicyText } from '../shared/ui/PolicyText';
import { ScopeChoices } from '../shared/ui/ScopeChoices';
import { useConsent } from '../shared/ui/useConsent';
import { WipeControl } from '../shared/ui/WipeControl';
import { AttentionSettings } from './AttentionSettings';
import { ConsentLedger } from './ConsentLedger';
import { Dashboard, type DashboardView, defaultDashboardView } from './dashboard/Dashboard';
import { DayPage } from './dashboard/DayPage';
import { TagPage } from './dashboard/TagPage';
import { ExportData } from './ExportData';
import { Goals } from './Goals';
import { ImportData } from './ImportData';
import { InstagramImport } from './InstagramImport';
import { LocalEdits } from './LocalEdits';
import { RecordingHealth } from './RecordingHealth';
import { Retention } from './Retention';
import { WeeklyReport } from './report/WeeklyReport';
import { type OptionsRoute, parseRoute, type Section, sectionOf, sections } from './route';
import { Sync } from './Sync';

const sectionTitles = {
  dashboard: 'optionsSectionDashboard',
  goals: 'optionsReminders',
  privacy: 'optionsPrivacy',
  sync: 'optionsSync',
} as const satisfies Record<Section, MessageKey>;

/** The page's title for a route, so the browser's history and tabs name what each address shows. */
function titleOf(route: OptionsRoute): string {
  switch (route.kind) {
    case 'report':
      return t('optionsWeeklyReport');
    case 'day':
      return formatDateLong(route.date);
    case 'tag':
      return `#${route.tag}`;
    default:
      return t(sectionTitles[route.section]);
  }
}

/**
 * The route of the page's address, following it as links, back and forward change it. When the address changes
 * after the page opened, focus moves to the new view's main heading (a screen reader then says where it is, and Tab
 * goes on from there); when an older link named an element inside a section, that element is brought into view.
 */
function useRoute(): OptionsRoute {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  const followed = useRef(false);
  useEffect(() => {
    const follow = () => {
      followed.current = true;
      setRoute(parseRoute(location.hash));
    };
    addEventListener('hashchange', follow);
    return () => removeEventListener('hashchange', follow);
  }, []);
  const anchor = route.kind === 'section' ? route.anchor : undefined;
  const view = anchor ?? JSON.stringify(route);
  useEffect(() => {
    document.title = t('optionsPageTitleOf', titleOf(route));
    if (anchor) {
      document.getElementById(anchor)?.scrollIntoView();
      return;
    }
    // Focus stays on a link that is still there (the next day's, on a day's page): stepping on is one key away.
    const focused = document.activeElement;
    if (!followed.current || (focused?.isConnected && focused.closest('main'))) return;
    const heading = document.querySelector<HTMLElement>('main h2');
    if (heading) {
      if (!heading.hasAttribute('tabindex')) heading.tabIndex = -1;
      heading.focus();
    }
    // A new view starts at its top, as a new page would.
    scrollTo(0, 0);
  }, [view]);
  return route;
}

/**
 * The options page, in sections with their own addresses (src/options/route.ts): the dashboard's reports (and its
 * pages: a day, a hashtag, a week's report), goals and reminders, your data and privacy, sync. Only the view shown is
 * rendered, so opening the page reads only what that view needs. The dashboard's tab and period are kept here, so
 * coming back from a day's or a tag's page finds them as they were.
 */
export function Options({ db }: { db: SmartTagsDatabase }) {
  const { consent, setConsent } = useConsent(db);
  const route = useRoute();
  const [dashboardView, setDashboardView] = useState<DashboardView>(defaultDashboardView);
  const current = sectionOf(route);
  const onSection = route.kind === 'section';
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
                  // The section's own address is the page; a day or a tag is a page within the dashboard.
                  aria-current={current === section ? (onSection ? 'page' : 'true') : undefined}
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
          // The report is its own section, with its own heading and links to the weeks around it.
          <div id="report" class="options-part">
            <WeeklyReport db={db} week={route.week} />
            <p>
              <a href="#dashboard">{t('optionsBackToDashboard')}</a>
            </p>
          </div>
        )}
        {route.kind === 'day' && (
          <div id="day" class="options-part dashboard">
            <DayPage db={db} date={route.date} />
          </div>
        )}
        {route.kind === 'tag' && (
          <div id="tag" class="options-part dashboard">
            <TagPage
              db={db}
              tag={route.tag}
              selection={dashboardView.period}
              onSelect={(period) => setDashboardView({ ...dashboardView, period })}
            />
          </div>
        )}
        {onSection && current === 'dashboard' && (
          <section id="dashboard" class="options-part" aria-labelledby="dashboard-heading">
            <h2 id="dashboard-heading">{t('optionsDashboard')}</h2>
            <Dashboard db={db} view={dashboardView} onView={setDashboardView} />
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

            <section aria-labelledby="instagram-import-heading">
              <h3 id="instagram-import-heading">{t('optionsInstagramImport')}</h3>
              <InstagramImport db={db} />
            </section>

            <section aria-labelledby="delete-heading">
              <h3 id="delete-heading">{t('optionsDelete')}</h3>
              <WipeControl />
            </section>

            <section aria-labelledby="about-heading">
              <h3 id="about-heading">{t('optionsAbout')}</h3>
              <p data-testid="not-affiliated">{t('aboutNotAffiliated')}</p>
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
