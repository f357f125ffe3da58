/**
 * The consent state and its ledger. Every change is one transaction that writes the new state and one ledger entry
 * per scope that changed; the effects that follow (the content scripts' gate, the badge, Firefox's data-collection
 * grant) are derived from the stored state afterwards, so a worker killed in between is repaired on its next start
 * (`applyConsentEffects`).
 */

import type { ConsentView } from '../shared/contracts/messages';
import { applyScopeChange, type ConsentSource, type Scopes, scopeNames, uploadScopes } from '../shared/domain/consent';
import { isPaused } from '../shared/domain/pause';
import { collectionChangesSince, latestPolicy, needsReconsent, type PolicyVersion } from '../shared/domain/policy';
import {
  type ConsentLedgerRecord,
  type ConsentStateRecord,
  consentStateRecord,
  defaultSettings,
  settingsRecord,
} from '../shared/storage/records';
import { readConsent } from './consentState';
import type { BackgroundContext } from './context';
import { drain, requestRemoteDeletion } from './sync/sync';

export function consentView(state: ConsentStateRecord, history: readonly PolicyVersion[]): ConsentView {
  return {
    scopes: state.scopes,
    agreedPolicyVersion: state.agreedPolicyVersion,
    decidedAt: state.decidedAt,
    policy: {
      version: latestPolicy(history).version,
      needsReconsent: needsReconsent(state.agreedPolicyVersion, history),
      changes: state.agreedPolicyVersion === null ? [] : collectionChangesSince(state.agreedPolicyVersion, history),
    },
  };
}

export type ConsentChangeResult = { ok: true; view: ConsentView } | { ok: false; reason: string };

/**
 * Applies a choice the person made. Any choice made in smartTags' own pages is made with the current policy in view,
 * so it also records agreement to the current policy version; re-granting a scope under a newer version is written
 * to the ledger as a grant under that version. Choices Firefox reports (`browser`) only withdraw and agree to nothing.
 */
export async function changeConsent(
  context: BackgroundContext,
  requested: Partial<Scopes>,
  source: ConsentSource,
): Promise<ConsentChangeResult> {
  const { db, now } = context;
  const policyVersion = latestPolicy(context.policyHistory).version;
  const outcome = await db.transaction('rw', db.consent, db.consentLedger, async () => {
    const current = await readConsent(context);
    const result = applyScopeChange(current.scopes, requested);
    if (!result.ok) return result;
    const at = now();
    // Choosing in the onboarding or policy-update page agrees to the policy shown there. A choice in the popup or
    // options page agrees only when no newer policy is waiting for review: it must never clear a pending re-consent
    // silently (PROMISES §12). Firefox reporting a revocation agrees to nothing.
    const pendingReview = needsReconsent(current.agreedPolicyVersion, context.policyHistory);
    const agreesNow = source === 'onboarding' || source === 'policy-update' || (source !== 'browser' && !pendingReview);
    const agreedPolicyVersion = agreesNow ? policyVersion : current.agreedPolicyVersion;
    const reaffirmed = scopeNames.filter(
      (scope) =>
        requested[scope] === true && current.scopes[scope] && current.agreedPolicyVersion !== agreedPolicyVersion,
    );
    const ledger: ConsentLedgerRecord[] = [
      ...result.changes.map(({ scope, granted }) => ({ at, scope, granted, policyVersion, source })),
      ...reaffirmed.map((scope) => ({ at, scope, granted: true, policyVersion, source })),
    ];
    const next = consentStateRecord.parse({
      id: 'current',
      scopes: result.next,
      agreedPolicyVersion,
      decidedAt: source === 'browser' ? current.decidedAt : at,
    });
    await db.consent.put(next);
    if (ledger.length > 0) await db.consentLedger.bulkAdd(ledger);
    return { ok: true as const, next, withdrawn: result.changes.filter((change) => !change.granted) };
  });
  if (!outcome.ok) return outcome;
  await applyConsentEffects(context, outcome.next);
  const withdrawnUploads = outcome.withdrawn
    .map((change) => change.scope)
    .filter((scope) => uploadScopes.includes(scope));
  if (withdrawnUploads.length > 0) {
    // What the backend holds was sent under the withdrawn consent: ask it to delete all of it, and start a new
    // pseudonymous identity for whatever is still allowed.
    const deletion = await requestRemoteDeletion(context);
    await context.platform.releaseDataCollection(withdrawnUploads);
    // Send the deletion now rather than at the next alarm; it is stored, so if this attempt fails it is retried.
    if (deletion) void drain(context).catch(() => undefined);
  }
  return { ok: true, view: consentView(outcome.next, context.policyHistory) };
}

/**
 * Brings the derived browser state in line with the stored consent and settings: republishes the content scripts'
 * recording gate (closed during a pause, with the attention thresholds) and the policy badge.
 */
export async function applyConsentEffects(context: BackgroundContext, state?: ConsentStateRecord): Promise<void> {
  const consent = state ?? (await readConsent(context));
  const settings = settingsRecord.parse({ ...defaultSettings, ...(await context.db.settings.get('current')) });
  const paused = isPaused(settings.pausedUntil, context.now());
  await context.platform.publishRecordingGate({
    usage: consent.scopes.usage && !paused,
    account: consent.scopes.account && !paused,
    idleMs: settings.idleSeconds * 1000,
    passiveMs: settings.passiveSeconds * 1000,
  });
  await context.platform.showPolicyBadge(needsReconsent(consent.agreedPolicyVersion, context.policyHistory));
}
