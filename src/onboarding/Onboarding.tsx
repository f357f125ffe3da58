import { useEffect, useRef, useState } from 'preact/hooks';
import type { ConsentView } from '../shared/contracts/messages';
import { noScopes, type Scopes, scopeNames } from '../shared/domain/consent';
import { latestPolicy } from '../shared/domain/policy';
import type { SmartTagsDatabase } from '../shared/storage/db';
import { useAsk } from '../shared/ui/background';
import { errorMessage } from '../shared/ui/errors';
import { t, tWithNodes } from '../shared/ui/i18n';
import { openDashboard } from '../shared/ui/navigation';
import { formatPolicyDate, PolicyText } from '../shared/ui/PolicyText';
import { ScopeChoices } from '../shared/ui/ScopeChoices';
import { scopeText } from '../shared/ui/scopeText';
import { useConsent } from '../shared/ui/useConsent';

type Finished = { kind: 'choices'; view: ConsentView } | { kind: 'policy'; agreed: boolean; view: ConsentView };

interface Props {
  db: SmartTagsDatabase;
  /** Opened because a new policy version changed what is collected or sent (`?reason=policy-update`). */
  policyUpdate: boolean;
}

/**
 * The page opened on install: every choice on one page, all off, declining as easy as accepting. With
 * `policyUpdate` it asks the person to agree to a changed policy or stop uploading.
 */
export function Onboarding({ db, policyUpdate }: Props) {
  const ask = useAsk();
  const { consent, setConsent } = useConsent(db);
  // Null until the person touches a choice: until then the stored choices (all off on install) are shown.
  const [choices, setChoices] = useState<Scopes | null>(null);
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [finished, setFinished] = useState<Finished | null>(null);
  const finishedHeading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    // The buttons that had focus are gone: move it to the confirmation so keyboard and screen reader users land there.
    if (finished) finishedHeading.current?.focus();
  }, [finished]);

  async function send(scopes: Partial<Scopes>, source: 'onboarding' | 'policy-update') {
    if (sending) return;
    setSending(true);
    setError(null);
    try {
      const view = await ask({ type: 'consent.set', scopes, source });
      setConsent(view);
      return view;
    } catch (failure) {
      setError(errorMessage(failure));
      return undefined;
    } finally {
      setSending(false);
    }
  }

  async function decide(scopes: Scopes) {
    const view = await send(scopes, 'onboarding');
    if (view) setFinished({ kind: 'choices', view });
  }

  async function answerPolicy(agreed: boolean, current: Scopes) {
    // Agreeing re-sends the upload choices as they are, which records agreement to the current version.
    const scopes = agreed
      ? { uploadUsage: current.uploadUsage, uploadAccount: current.uploadAccount }
      : { uploadUsage: false, uploadAccount: false };
    const view = await send(scopes, 'policy-update');
    if (view) setFinished({ kind: 'policy', agreed, view });
  }

  const policy = latestPolicy();

  function body() {
    if (consent.state === 'loading') return <p aria-busy="true">{t('commonLoading')}</p>;
    if (consent.state === 'failed') {
      return (
        <p role="alert" class="alert">
          {consent.message}
        </p>
      );
    }
    const view = consent.value;
    if (finished) {
      return (
        <section class="done" data-testid={finished.kind === 'choices' ? 'onboarding-done' : 'policy-done'}>
          <h2 ref={finishedHeading} tabIndex={-1}>
            {t(finished.kind === 'choices' ? 'onboardingDoneHeading' : 'onboardingPolicyDoneHeading')}
          </h2>
          {finished.kind === 'policy' && (
            <p>
              {finished.agreed ? t('onboardingAgreed', String(finished.view.policy.version)) : t('onboardingOptedOut')}
            </p>
          )}
          {finished.kind === 'choices' && (
            <>
              <ul class="summary">
                {scopeNames.map((scope) => (
                  <li key={scope}>
                    {tWithNodes(
                      'onboardingSummaryItem',
                      scopeText[scope].label,
                      <strong>{t(finished.view.scopes[scope] ? 'onboardingOn' : 'onboardingOff')}</strong>,
                    )}
                  </li>
                ))}
              </ul>
              {!scopeNames.some((scope) => finished.view.scopes[scope]) && <p>{t('onboardingNothingOn')}</p>}
            </>
          )}
          <p>{t('onboardingChangeLater')}</p>
          <button
            type="button"
            onClick={() => openDashboard().catch((failure: unknown) => setError(errorMessage(failure)))}
          >
            {t('onboardingOpenOptions')}
          </button>
        </section>
      );
    }
    if (policyUpdate && view.decidedAt !== null) {
      if (!view.policy.needsReconsent) {
        return (
          <section>
            <h2>{t('onboardingUpToDateHeading')}</h2>
            <p data-testid="policy-up-to-date">{t('onboardingUpToDate')}</p>
          </section>
        );
      }
      return (
        <section aria-labelledby="policy-update-heading">
          <h2 id="policy-update-heading">{t('onboardingPolicyUpdateHeading')}</h2>
          <p>{t('onboardingPolicyUpdateChanges')}</p>
          <ul data-testid="policy-changes">
            {view.policy.changes.map((change) => (
              <li key={change.version}>
                {t('onboardingChange', String(change.version), formatPolicyDate(change.publishedOn), change.summary)}
              </li>
            ))}
          </ul>
          <p>{t('onboardingUploadsPaused')}</p>
          <div class="button-row">
            <button type="button" data-testid="policy-agree" onClick={() => void answerPolicy(true, view.scopes)}>
              {t('onboardingAgree')}
            </button>
            <button type="button" data-testid="policy-opt-out" onClick={() => void answerPolicy(false, view.scopes)}>
              {t('onboardingOptOut')}
            </button>
          </div>
        </section>
      );
    }
    const shown = choices ?? view.scopes;
    return (
      <section aria-labelledby="choices-heading">
        <h2 id="choices-heading">{t('onboardingChoicesHeading')}</h2>
        <ScopeChoices mode="deferred" scopes={shown} onChange={setChoices} />
        <div class="button-row decide">
          <button type="button" data-testid="onboarding-save" onClick={() => void decide(shown)}>
            {t('onboardingSave')}
          </button>
          <button type="button" data-testid="onboarding-decline" onClick={() => void decide(noScopes)}>
            {t('onboardingDecline')}
          </button>
        </div>
      </section>
    );
  }

  return (
    <main class="onboarding">
      <h1>{t('onboardingTitle')}</h1>
      <p class="lead">{t('onboardingAbout')}</p>
      <p class="not-affiliated" data-testid="not-affiliated">
        {t('aboutNotAffiliated')}
      </p>
      {body()}
      <div role="status" class="status">
        {sending && t('onboardingSending')}
      </div>
      {error !== null && (
        <p role="alert" class="alert" data-testid="onboarding-error">
          {error}
        </p>
      )}
      <details class="policy" data-testid="policy">
        <summary>{t('onboardingPolicySummary', String(policy.version))}</summary>
        <PolicyText headingLevel={3} />
      </details>
    </main>
  );
}
