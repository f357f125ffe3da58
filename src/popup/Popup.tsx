import { useState } from 'preact/hooks';
import { localToday } from '../shared/domain/dates';
import type { SmartTagsDatabase } from '../shared/storage/db';
import { errorMessage } from '../shared/ui/errors';
import { t } from '../shared/ui/i18n';
import { openDashboard, openOnboarding } from '../shared/ui/navigation';
import { PolicyNotice } from '../shared/ui/PolicyNotice';
import { RecentVisits } from '../shared/ui/RecentVisits';
import { ScopeChoices } from '../shared/ui/ScopeChoices';
import { useConsent } from '../shared/ui/useConsent';
import { useLiveQuery } from '../shared/ui/useLiveQuery';
import { WipeControl } from '../shared/ui/WipeControl';
import { RecordingHealthWarning } from './RecordingHealthWarning';
import { RecordingStatus } from './RecordingStatus';
import { readCurrentStreak } from './readStreak';
import { readToday } from './readToday';
import { EarlyTotal, Followers, TodayBreakdown, TodayLead } from './Today';
import { UploadSummary } from './UploadSummary';

/**
 * The toolbar popup. It leads with today — the total against the usual for this weekday and against the person's
 * limits, with their streak — then the recording controls, where the time went, the account, uploads, and the rest
 * (choices, recent visits, delete) folded or on one line: Chrome cuts a toolbar popup at 600 px, and it stays within
 * that with a year of data (tests/e2e/wiring.test.ts).
 *
 * `firstTotal` is today's total as ./start.ts read and painted it before this page loaded: shown in the same place
 * until today's figures are read here, so the total never gives way to "Loading".
 */
export function Popup({
  db,
  today: fixedToday,
  firstTotal = null,
}: {
  db: SmartTagsDatabase;
  today?: string;
  firstTotal?: number | null;
}) {
  const { consent, setConsent } = useConsent(db);
  const [today] = useState(() => fixedToday ?? localToday());
  const [navigationError, setNavigationError] = useState<string | null>(null);

  function go(open: () => Promise<void>) {
    setNavigationError(null);
    open().catch((error: unknown) => setNavigationError(errorMessage(error)));
  }

  // Today's figures need only the stored choices, which IndexedDB gives with the figures in one batch of reads; the
  // full consent view comes from the background, which may first have to wake up, so the figures do not wait for it.
  const glance = useLiveQuery(() => readToday(db, today), [db, today]);
  const facts = glance.state === 'ready' ? glance.value : null;
  const storedChoices = facts?.choices ?? null;
  // The streak may read back further than today's figures: it follows them rather than holding them up.
  const goals = facts?.goals;
  const firstDate = facts?.firstDate ?? null;
  // Each read of today's figures gives new objects: the streak is read again only when the goals themselves change.
  const goalsKey = goals ? JSON.stringify(goals) : null;
  const streak = useLiveQuery(
    () => (goals ? readCurrentStreak(db, goals, today, firstDate) : Promise.resolve(null)),
    [db, today, firstDate, goalsKey],
  );

  const decided = consent.state === 'ready' && consent.value.decidedAt !== null;
  const showFigures = facts !== null && storedChoices !== null && consent.state !== 'failed';
  return (
    <main class="popup">
      <header class="popup-header">
        <h1>{t('extensionName')}</h1>
        <button type="button" class="link" data-testid="open-dashboard" onClick={() => go(openDashboard)}>
          {t('popupDashboard')}
        </button>
      </header>
      {navigationError !== null && (
        <p role="alert" class="alert">
          {navigationError}
        </p>
      )}
      {glance.state === 'loading' && firstTotal !== null && <EarlyTotal totalMs={firstTotal} />}
      {consent.state === 'loading' && storedChoices === null && firstTotal === null && (
        <p aria-busy="true">{t('commonLoading')}</p>
      )}
      {glance.state === 'failed' && (
        <p role="alert" class="alert">
          {t('popupTodayFailed', glance.message)}
        </p>
      )}
      {consent.state === 'failed' && (
        <p role="alert" class="alert">
          {consent.message}
        </p>
      )}
      {consent.state === 'ready' && !decided && (
        <section class="notice" data-testid="consent-needed" aria-label={t('popupChooseNow')}>
          <p>{t('popupConsentNeeded')}</p>
          <button
            type="button"
            class="primary"
            data-testid="open-onboarding"
            onClick={() => go(() => openOnboarding())}
          >
            {t('popupChooseNow')}
          </button>
        </section>
      )}
      {showFigures && <TodayLead facts={facts} streak={streak.state === 'ready' ? streak.value : null} />}
      {consent.state === 'ready' && decided && <PolicyNotice consent={consent.value} />}
      {showFigures && (
        <>
          {/* A reader's state from before both recording scopes were turned off would be stale: nothing reads now. */}
          {(storedChoices.usage || storedChoices.account) && <RecordingHealthWarning facts={facts} />}
          <RecordingStatus db={db} usageAllowed={storedChoices.usage} />
          {facts.firstDate !== null && <TodayBreakdown facts={facts} />}
          {storedChoices.account && <Followers facts={facts} />}
        </>
      )}
      {consent.state === 'ready' && decided && (
        <>
          <UploadSummary db={db} consent={consent.value} />
          <details class="popup-more">
            <summary data-testid="choices-toggle">{t('popupChoices')}</summary>
            <ScopeChoices mode="immediate" source="popup" consent={consent.value} onChange={setConsent} />
          </details>
          <details class="popup-more">
            <summary>{t('popupRecent')}</summary>
            <RecentVisits db={db} limit={5} />
          </details>
          <section aria-labelledby="delete-heading" class="popup-line">
            <h2 id="delete-heading">{t('popupDelete')}</h2>
            <WipeControl />
          </section>
        </>
      )}
    </main>
  );
}
