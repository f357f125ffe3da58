/**
 * Consent rules, pure. A scope is one thing the person can allow; all start off.
 *
 * - `usage` — record Instagram use on this device (time per surface, views, hashtags).
 * - `account` — read the person's Instagram username and their own account's stats on this device.
 * - `uploadUsage` — send pseudonymous usage data (no username; a random upload id) to the backend. Needs `usage`:
 *   nothing else is recorded that it could send.
 * - `uploadAccount` — send username-linked account analytics. Needs `account` and `uploadUsage`.
 *
 * Granting a scope whose prerequisites are off is refused (the person must see and grant those first); withdrawing a
 * scope also withdraws every scope that needs it, so no state can exist where a dependent scope outlives its basis.
 */

export const scopeNames = ['usage', 'account', 'uploadUsage', 'uploadAccount'] as const;
export type Scope = (typeof scopeNames)[number];
export type Scopes = Record<Scope, boolean>;

export const noScopes: Scopes = { usage: false, account: false, uploadUsage: false, uploadAccount: false };

export const scopePrerequisites: Record<Scope, readonly Scope[]> = {
  usage: [],
  account: [],
  uploadUsage: ['usage'],
  uploadAccount: ['account', 'uploadUsage'],
};

export const uploadScopes: readonly Scope[] = ['uploadUsage', 'uploadAccount'];

/** Where a consent decision was made; recorded in the ledger. */
export const consentSources = ['onboarding', 'popup', 'options', 'policy-update', 'browser'] as const;
export type ConsentSource = (typeof consentSources)[number];

interface ScopeChange {
  scope: Scope;
  granted: boolean;
}

export type ScopeChangeResult = { ok: true; next: Scopes; changes: ScopeChange[] } | { ok: false; reason: string };

export function applyScopeChange(current: Scopes, requested: Partial<Scopes>): ScopeChangeResult {
  const next: Scopes = { ...current, ...requested };
  for (const scope of scopeNames) {
    if (requested[scope] !== true) continue;
    const missing = scopePrerequisites[scope].filter((prerequisite) => !next[prerequisite]);
    if (missing.length > 0)
      return { ok: false, reason: `"${scope}" needs ${missing.map((m) => `"${m}"`).join(' and ')} first.` };
  }
  // Withdrawal cascades; prerequisites come before their dependents in scopeNames, so one pass settles it.
  for (const scope of scopeNames) {
    if (next[scope] && scopePrerequisites[scope].some((prerequisite) => !next[prerequisite])) next[scope] = false;
  }
  const changes = scopeNames
    .filter((scope) => next[scope] !== current[scope])
    .map((scope) => ({ scope, granted: next[scope] }));
  return { ok: true, next, changes };
}
