import { useState } from 'preact/hooks';
import type { ConsentView } from '../contracts/messages';
import { errorMessage } from './errors';
import { t } from './i18n';
import { openOnboarding } from './navigation';

/** Shown while a policy change holds uploads: the person must see the change and decide (docs/ARCHITECTURE.md, policy versions). */
export function PolicyNotice({ consent }: { consent: ConsentView }) {
  const [error, setError] = useState<string | null>(null);
  if (!consent.policy.needsReconsent) return null;
  return (
    <section class="notice" data-testid="policy-notice" aria-label={t('policyNoticeHeading')}>
      <p>
        <strong>{t('policyNoticeHeading')}.</strong> {t('policyNoticeBody', String(consent.policy.version))}
      </p>
      <button
        type="button"
        data-testid="policy-review"
        onClick={() => {
          setError(null);
          openOnboarding('policy-update').catch((failure: unknown) => setError(errorMessage(failure)));
        }}
      >
        {t('policyNoticeReview')}
      </button>
      {error !== null && (
        <p role="alert" class="alert">
          {error}
        </p>
      )}
    </section>
  );
}
