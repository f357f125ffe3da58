import { useEffect, useRef, useState } from 'preact/hooks';
import { noScopes, type Scopes, scopeNames } from '../shared/consent';
import type { SmartTagsDatabase } from '../shared/db';
import type { ConsentView } from '../shared/messages';
import { latestPolicy } from '../shared/policy';
import { useAsk } from '../shared/ui/background';
import { errorMessage } from '../shared/ui/errors';
import { openDashboard } from '../shared/ui/navigation';
import { formatPolicyDate, PolicyText } from '../shared/ui/PolicyText';
import { ScopeChoices } from '../shared/ui/ScopeChoices';
import { scopeText } from '../shared/ui/scopeText';
import { useConsent } from '../shared/ui/useConsent';

const text = {
  title: 'Welcome to smartTags',
  about:
    'smartTags shows you how you use Instagram on the web — where your time goes, what you view, which hashtags you see and use — and keeps that data in this browser, under your control. It records nothing until you choose what it may do below; every choice starts off.',
  choicesHeading: 'Choose what smartTags may do',
  save: 'Save my choices',
  decline: 'Decline all',
  sending: 'Saving your choices…',
  loading: 'Loading…',
  doneHeading: 'Your choices are saved',
  on: 'On',
  off: 'Off',
  nothingOn: 'smartTags records nothing. You can turn recording on whenever you like.',
  changeLater:
    'You can change these choices at any time from the smartTags button in the toolbar or from the options page.',
  openOptions: 'Open the options page',
  policySummary: (version: number) => `Privacy policy (version ${version})`,
  policyUpdateHeading: 'The privacy policy has changed',
  policyUpdateChanges: 'What changed:',
  change: (version: number, date: string, summary: string) => `Version ${version} (${date}): ${summary}`,
  uploadsPaused:
    'Sending data to the smartTags service is paused until you decide. Recording on this device continues as you chose.',
  agree: 'Agree and continue uploading',
  optOut: 'Stop uploading',
  agreed: (version: number) => `Thank you: you agreed to version ${version} of the privacy policy.`,
  optedOut:
    'Uploading is off. Everything smartTags records stays on this device; you can turn uploading on again from the options page.',
  policyDoneHeading: 'Your answer is saved',
  upToDateHeading: 'Privacy policy',
  upToDate: 'The privacy policy is up to date: there is nothing new to decide.',
};

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
    if (consent.state === 'loading') return <p aria-busy="true">{text.loading}</p>;
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
            {finished.kind === 'choices' ? text.doneHeading : text.policyDoneHeading}
          </h2>
          {finished.kind === 'policy' && (
            <p>{finished.agreed ? text.agreed(finished.view.policy.version) : text.optedOut}</p>
          )}
          {finished.kind === 'choices' && (
            <>
              <ul class="summary">
                {scopeNames.map((scope) => (
                  <li key={scope}>
                    {scopeText[scope].label}: <strong>{finished.view.scopes[scope] ? text.on : text.off}</strong>
                  </li>
                ))}
              </ul>
              {!scopeNames.some((scope) => finished.view.scopes[scope]) && <p>{text.nothingOn}</p>}
            </>
          )}
          <p>{text.changeLater}</p>
          <button
            type="button"
            onClick={() => openDashboard().catch((failure: unknown) => setError(errorMessage(failure)))}
          >
            {text.openOptions}
          </button>
        </section>
      );
    }
    if (policyUpdate && view.decidedAt !== null) {
      if (!view.policy.needsReconsent) {
        return (
          <section>
            <h2>{text.upToDateHeading}</h2>
            <p data-testid="policy-up-to-date">{text.upToDate}</p>
          </section>
        );
      }
      return (
        <section aria-labelledby="policy-update-heading">
          <h2 id="policy-update-heading">{text.policyUpdateHeading}</h2>
          <p>{text.policyUpdateChanges}</p>
          <ul data-testid="policy-changes">
            {view.policy.changes.map((change) => (
              <li key={change.version}>
                {text.change(change.version, formatPolicyDate(change.publishedOn), change.summary)}
              </li>
            ))}
          </ul>
          <p>{text.uploadsPaused}</p>
          <div class="button-row">
            <button type="button" data-testid="policy-agree" onClick={() => void answerPolicy(true, view.scopes)}>
              {text.agree}
            </button>
            <button type="button" data-testid="policy-opt-out" onClick={() => void answerPolicy(false, view.scopes)}>
              {text.optOut}
            </button>
          </div>
        </section>
      );
    }
    const shown = choices ?? view.scopes;
    return (
      <section aria-labelledby="choices-heading">
        <h2 id="choices-heading">{text.choicesHeading}</h2>
        <ScopeChoices mode="deferred" scopes={shown} onChange={setChoices} />
        <div class="button-row decide">
          <button type="button" data-testid="onboarding-save" onClick={() => void decide(shown)}>
            {text.save}
          </button>
          <button type="button" data-testid="onboarding-decline" onClick={() => void decide(noScopes)}>
            {text.decline}
          </button>
        </div>
      </section>
    );
  }

  return (
    <main class="onboarding">
      <h1>{text.title}</h1>
      <p class="lead">{text.about}</p>
      {body()}
      <div role="status" class="status">
        {sending && text.sending}
      </div>
      {error !== null && (
        <p role="alert" class="alert" data-testid="onboarding-error">
          {error}
        </p>
      )}
      <details class="policy" data-testid="policy">
        <summary>{text.policySummary(policy.version)}</summary>
        <PolicyText headingLevel={3} />
      </details>
    </main>
  );
}
