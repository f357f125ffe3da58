import { useState } from 'preact/hooks';
import type { ConsentView } from '../messages';
import { errorMessage } from './errors';
import { openOnboarding } from './navigation';

const text = {
  heading: 'The privacy policy has changed',
  body: (version: number) =>
    `Version ${version} changes what smartTags collects or sends. Sending is paused until you review it and decide.`,
  review: 'Review the change',
};

/** Shown while a policy change holds uploads: the person must see the change and decide (PROMISES.md §12). */
export function PolicyNotice({ consent }: { consent: ConsentView }) {
  const [error, setError] = useState<string | null>(null);
  if (!consent.policy.needsReconsent) return null;
  return (
    <section class="notice" data-testid="policy-notice" aria-label={text.heading}>
      <p>
        <strong>{text.heading}.</strong> {text.body(consent.policy.version)}
      </p>
      <button
        type="button"
        data-testid="policy-review"
        onClick={() => {
          setError(null);
          openOnboarding('policy-update').catch((failure: unknown) => setError(errorMessage(failure)));
        }}
      >
        {text.review}
      </button>
      {error !== null && (
        <p role="alert" class="alert">
          {error}
        </p>
      )}
    </section>
  );
}
