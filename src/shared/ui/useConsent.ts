import { useCallback, useEffect, useState } from 'preact/hooks';
import type { ConsentView } from '../contracts/messages';
import type { SmartTagsDatabase } from '../storage/db';
import { useAsk } from './background';
import { errorMessage } from './errors';
import { type LiveResult, useLiveQuery } from './useLiveQuery';

/**
 * The consent view from the background, kept current. The view itself (policy state included) is computed by the
 * background, so it is asked for rather than read; the stored consent record is only watched as a signal, because
 * it changes whenever any page — or Firefox's own data-collection settings — changes a choice.
 */
export function useConsent(db: SmartTagsDatabase): {
  consent: LiveResult<ConsentView>;
  setConsent: (view: ConsentView) => void;
} {
  const ask = useAsk();
  const stored = useLiveQuery(() => db.consent.get('current'), [db]);
  const [consent, setConsentResult] = useState<LiveResult<ConsentView>>({ state: 'loading' });
  const revision = stored.state === 'ready' ? JSON.stringify(stored.value ?? null) : stored.state;

  useEffect(() => {
    if (revision === 'loading') return;
    let current = true;
    ask({ type: 'consent.get' }).then(
      (view) => {
        if (current) setConsentResult({ state: 'ready', value: view });
      },
      (error: unknown) => {
        if (current) setConsentResult({ state: 'failed', message: errorMessage(error) });
      },
    );
    return () => {
      current = false;
    };
  }, [ask, revision]);

  const setConsent = useCallback((view: ConsentView) => setConsentResult({ state: 'ready', value: view }), []);
  return { consent, setConsent };
}
