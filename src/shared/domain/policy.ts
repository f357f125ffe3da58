/**
 * The privacy policy ships inside the extension, versioned. Each version says whether it changed what is collected
 * or uploaded; only such a version asks the person again (docs/ARCHITECTURE.md, policy versions). Wording-only versions do not.
 *
 * Pure data and rules: the policy text is rendered by src/shared/ui/PolicyText.tsx, and the rules are unit-tested.
 */
import { type Scope, type Scopes, uploadScopes } from './consent';

export interface PolicyVersion {
  version: number;
  publishedOn: string;
  /** True when this version changed what is collected or uploaded: the person must agree again. */
  changesCollection: boolean;
  /** What changed, in a sentence the person reads on the policy-update page. */
  summary: string;
}

export const policyHistory: readonly PolicyVersion[] = [
  {
    version: 1,
    publishedOn: '2026-11-25',
    changesCollection: true,
    summary: 'First version of the smartTags privacy policy.',
  },
  {
    // Wording only (docs/STORE.md, "Policy versions"): what is collected and sent is the same as in version 1.
    version: 2,
    publishedOn: '2026-12-04',
    changesCollection: false,
    summary:
      'Wording: usage data that is sent is called pseudonymous, not anonymous (it travels under a random id), and it goes to the server you choose, not “the smartTags service”. What is collected and sent is unchanged.',
  },
  {
    // Not collection-changing (docs/STORE.md, "Policy versions"): the optional follower list stays on the device and
    // is kept only after the person turns on its own setting, off by default, which says what it keeps — that switch
    // is the consent; the optional report download ("How you compare") sends nothing of the person. Nothing more is
    // sent, so uploads, which a re-consent would hold, carry exactly what they did.
    version: 3,
    publishedOn: '2026-12-05',
    changesCollection: false,
    summary:
      'Names two things kept only on your device: the history you import from Instagram’s own export of your information, and — only if you turn on “Keep my follower list” — the usernames of your followers from your last two imports, to show who unfollowed you. Neither is ever sent; what is sent is unchanged. And, only if you turn on “How you compare”, the dashboard downloads your server’s public weekly report, sending nothing about you.',
  },
];

export const privacyContact = 'privacy@smarttags.app';

export function latestPolicy(history: readonly PolicyVersion[] = policyHistory): PolicyVersion {
  const latest = history.at(-1);
  if (!latest) throw new Error('The policy history is empty.');
  return latest;
}

/** Versions published after the one the person agreed to that change collection; all of them if they never agreed. */
export function collectionChangesSince(
  agreedVersion: number | null,
  history: readonly PolicyVersion[] = policyHistory,
): PolicyVersion[] {
  return history.filter(
    (entry) => entry.changesCollection && (agreedVersion === null || entry.version > agreedVersion),
  );
}

/**
 * Whether uploads are held until the person agrees again: they had agreed to an earlier version, and a later one
 * changed what is collected or sent. (Someone who never agreed has no upload scope to hold.)
 */
export function needsReconsent(
  agreedVersion: number | null,
  history: readonly PolicyVersion[] = policyHistory,
): boolean {
  return agreedVersion !== null && collectionChangesSince(agreedVersion, history).length > 0;
}

/** The upload scopes that may be used right now: granted, and not held by a policy change awaiting agreement. */
export function effectiveUploadScopes(
  scopes: Scopes,
  agreedVersion: number | null,
  history: readonly PolicyVersion[] = policyHistory,
): Scope[] {
  if (needsReconsent(agreedVersion, history)) return [];
  return uploadScopes.filter((scope) => scopes[scope]);
}
