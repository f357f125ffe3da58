/**
 * The one way recorded data (and the bookkeeping derived from it) is written: `guardedWrite` opens the transaction,
 * reads the stored consent and the pause in it, and runs the caller's work only when the write is allowed — so a
 * withdrawal or a pause that committed first always wins (IndexedDB serialises overlapping transactions). It then
 * admits that transaction to the guarded tables; the database refuses a write of them in any other transaction
 * (src/shared/storage/db.ts), so a writer cannot skip the guard, and validates every record whoever writes it.
 *
 * Deletions need no guard: a wipe and retention delete without consent, and deleting records nothing.
 */
import type { Transaction } from 'dexie';
import type { Scope } from '../shared/domain/consent';
import { admitRecordedWrites, type TableName } from '../shared/storage/db';
import type { ConsentStateRecord } from '../shared/storage/records';
import { readConsent } from './consentState';
import type { BackgroundContext } from './context';
import { pausedNow } from './pause';

/** The scopes that allow recording (the upload scopes only allow sending what was recorded). */
type RecordingScope = Extract<Scope, 'usage' | 'account'>;

/** What a guarded write needs, stated by its caller. */
export interface WriteRule {
  /** The tables the work reads and writes, besides `consent` and `settings` (always in the transaction). */
  tables: readonly TableName[];
  /**
   * The scopes of which at least one must be on. `{ notNeeded: why }` only for a write that keeps by itself just what
   * the consent allows (it is given the consent read here), and says why.
   */
  consent: readonly [RecordingScope, ...RecordingScope[]] | { notNeeded: string };
  /** Absent: refused while recording is paused. `{ notApplied: why }` only for a write that is not recording. */
  pause?: { notApplied: string };
}

type Refusal<Rule extends WriteRule> =
  | (Rule['consent'] extends { notNeeded: string } ? never : 'no-consent')
  | (Rule['pause'] extends { notApplied: string } ? never : 'paused');

/** The work's result once it ran, or why it did not. */
export type Guarded<T, Rule extends WriteRule> =
  | { outcome: 'recorded'; value: T }
  | ([Refusal<Rule>] extends [never] ? never : { outcome: Refusal<Rule> });

/**
 * Runs `work` in one read-write transaction over `consent`, `settings` and `rule.tables`, after checking in that
 * transaction the consent and the pause the rule asks for. The work is given the stored consent (to filter by it)
 * and may write the guarded tables; nothing is written when it throws.
 */
export async function guardedWrite<T, const Rule extends WriteRule>(
  context: BackgroundContext,
  rule: Rule,
  work: (consent: ConsentStateRecord) => Promise<T>,
): Promise<Guarded<T, Rule>> {
  const { db } = context;
  const tables = [db.consent, db.settings, ...rule.tables.map((name) => db.table(name))];
  return db.transaction('rw', tables, async (transaction: Transaction) => {
    const consent = await readConsent(context);
    if (!('notNeeded' in rule.consent) && !rule.consent.some((scope) => consent.scopes[scope])) {
      return { outcome: 'no-consent' } as Guarded<T, Rule>;
    }
    if (!rule.pause && (await pausedNow(context))) return { outcome: 'paused' } as Guarded<T, Rule>;
    admitRecordedWrites(transaction);
    return { outcome: 'recorded', value: await work(consent) } as Guarded<T, Rule>;
  });
}
