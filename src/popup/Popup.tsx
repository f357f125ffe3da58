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
import { readToday } from './readToday';
import { Today } from './Today';
import { UploadSummary } from './UploadSummary';

/** The toolbar popup: today at a glance, and the controls over what is recorded and sent. */
export function Popup({ db, today: fixedToday }: { db: SmartTagsDatabase; today?: string }) {
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
  const storedChoices = glance.state === 'ready' ? glance.value.choices : null;
  const decided = consent.state === 'ready' && consent.value.decidedAt !== null;
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
      {consent.state === 'loading' && storedChoices === null && <p aria-busy="true">{t('commonLoading')}</p>}
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
      {consent.state === 'ready' && decided && <PolicyNotice consent={consent.value} />}
      {storedChoices !== null && consent.state !== 'failed' && (
        <>
          <RecordingStatus db={db} usageAllowed={storedChoices.usage} />
          {/* A reader's state from before both recording scopes were turned off would be stale: nothing reads now. */}
          {glance.state === 'ready' && (storedChoices.usage || storedChoices.account) && (
            <RecordingHealthWarning facts={glance.value} />
          )}
          {glance.state === 'ready' && <Today facts={glance.value} accountAllowed={storedChoices.account} />}
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
          <section aria-labelledby="delete-heading">
            <h2 id="delete-heading">{t('popupDelete')}</h2>
            <WipeControl />
          </section>
        </>
      )}
    </main>
  );
}
