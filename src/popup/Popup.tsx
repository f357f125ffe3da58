import { useState } from 'preact/hooks';
import type { SmartTagsDatabase } from '../shared/db';
import { errorMessage } from '../shared/ui/errors';
import { openDashboard, openOnboarding } from '../shared/ui/navigation';
import { PolicyNotice } from '../shared/ui/PolicyNotice';
import { RecentVisits } from '../shared/ui/RecentVisits';
import { ScopeChoices } from '../shared/ui/ScopeChoices';
import { scopeText } from '../shared/ui/scopeText';
import { useConsent } from '../shared/ui/useConsent';
import { WipeControl } from '../shared/ui/WipeControl';

const text = {
  title: 'smartTags',
  loading: 'Loading…',
  consentNeeded: 'smartTags records nothing until you choose what it may do.',
  chooseNow: 'Choose what smartTags may do',
  recordingOff: `Recording is off: smartTags is not recording your Instagram use. Turn on “${scopeText.usage.label}” below to start.`,
  recent: 'Recently on Instagram',
  choices: 'Your choices',
  delete: 'Delete your data',
  dashboard: 'Open dashboard',
};

/** The toolbar popup: what was recorded lately, and the controls over it. */
export function Popup({ db }: { db: SmartTagsDatabase }) {
  const { consent, setConsent } = useConsent(db);
  const [navigationError, setNavigationError] = useState<string | null>(null);

  function go(open: () => Promise<void>) {
    setNavigationError(null);
    open().catch((error: unknown) => setNavigationError(errorMessage(error)));
  }

  return (
    <main class="popup">
      <h1>{text.title}</h1>
      {consent.state === 'loading' && <p aria-busy="true">{text.loading}</p>}
      {consent.state === 'failed' && (
        <p role="alert" class="alert">
          {consent.message}
        </p>
      )}
      {consent.state === 'ready' && consent.value.decidedAt === null && (
        <section class="notice" data-testid="consent-needed" aria-label={text.chooseNow}>
          <p>{text.consentNeeded}</p>
          <button
            type="button"
            class="primary"
            data-testid="open-onboarding"
            onClick={() => go(() => openOnboarding())}
          >
            {text.chooseNow}
          </button>
        </section>
      )}
      {consent.state === 'ready' && consent.value.decidedAt !== null && (
        <>
          <PolicyNotice consent={consent.value} />
          {!consent.value.scopes.usage && (
            <p class="notice" data-testid="recording-off">
              {text.recordingOff}
            </p>
          )}
          <section aria-labelledby="recent-heading">
            <h2 id="recent-heading">{text.recent}</h2>
            <RecentVisits db={db} limit={5} />
          </section>
          <section aria-labelledby="choices-heading">
            <h2 id="choices-heading">{text.choices}</h2>
            <ScopeChoices mode="immediate" source="popup" consent={consent.value} onChange={setConsent} />
          </section>
          <section aria-labelledby="delete-heading">
            <h2 id="delete-heading">{text.delete}</h2>
            <WipeControl />
          </section>
        </>
      )}
      <p class="footer">
        <button type="button" class="link" data-testid="open-dashboard" onClick={() => go(openDashboard)}>
          {text.dashboard}
        </button>
      </p>
      {navigationError !== null && (
        <p role="alert" class="alert">
          {navigationError}
        </p>
      )}
    </main>
  );
}
