/**
 * Export, import and wipe: the person's control over everything stored. Each is one Dexie transaction, so an import
 * that fails half-way, or a wipe interrupted by the worker being stopped, leaves storage as it was before.
 */

import {
  allowedByConsent,
  buildExportDocument,
  type ExportDocument,
  type ImportMode,
  type ImportPlan,
  localEditKey,
  parseExportDocument,
  planImport,
  recordsFromExport,
  snapshotKey,
  visitKey,
} from '../shared/contracts/exportDocument';
import { latestPolicy } from '../shared/domain/policy';
import { bookkeepingTables, instagramHistoryTables, recordedTables } from '../shared/storage/db';
import { changeConsent } from './consent';
import { readConsent } from './consentState';
import type { BackgroundContext } from './context';
import { readSettings } from './settings';
import { drain, requestRemoteDeletion } from './sync/sync';
import { guardedWrite } from './writeGuard';

/** What an import brings in and a replace swaps: the recorded data and the corrections the person made to it. */
const importedTables = [...recordedTables, 'localEdits'] as const;

export async function exportData(context: BackgroundContext): Promise<ExportDocument> {
  const { db } = context;
  const tables = [
    db.consent,
    db.consentLedger,
    db.settings,
    db.localEdits,
    ...[...recordedTables, ...instagramHistoryTables].map((t) => db.table(t)),
  ];
  return db.transaction('r', tables, async () =>
    buildExportDocument(
      {
        scopes: (await readConsent(context)).scopes,
        ledger: await db.consentLedger.toArray(),
        settings: await readSettings(context),
        days: await db.days.toArray(),
        snapshots: await db.accountSnapshots.toArray(),
        visits: await db.visits.toArray(),
        localEdits: await db.localEdits.toArray(),
        importedDays: await db.importedDays.toArray(),
        importedAccountPoints: await db.importedAccountPoints.toArray(),
        followerLists: await db.followerLists.toArray(),
      },
      latestPolicy(context.policyHistory).version,
      context.now(),
    ),
  );
}

export type ImportOutcome = { ok: true; plan: ImportPlan; applied: boolean } | { ok: false; reason: string };

/**
 * Imports an export document. Merge adds only what is not stored and never changes a stored record; replace swaps
 * all recorded data, the ledger of local edits (the corrections that made those days what they are) and the settings
 * for the file's. Consent and its ledger are never imported: a file cannot give consent. It writes through the write guard like every other write of recorded data, and brings in only what the
 * consent the guard read inside the write transaction allows (`allowedByConsent`), so a withdrawal that committed
 * first always wins. Replace still deletes all that is stored, so afterwards storage holds exactly what the file
 * brought in; the plan says what was left out.
 */
export async function importData(
  context: BackgroundContext,
  input: unknown,
  mode: ImportMode,
  dryRun: boolean,
): Promise<ImportOutcome> {
  const parsed = parseExportDocument(input);
  if (!parsed.ok) return { ok: false, reason: parsed.error };
  const fromFile = recordsFromExport(parsed.document);
  const { db } = context;
  const rule = {
    tables: importedTables,
    consent: {
      notNeeded:
        'the file brings in only what the stored consent allows (allowedByConsent); what it may not bring is left ' +
        'out, and the plan says so — nothing needs a scope to be left out or deleted',
    },
    pause: {
      notApplied:
        'an import is the person’s own action on their own file, not recording: the pause stops observing ' +
        'Instagram, not restoring a backup',
    },
  } as const;
  const result = await guardedWrite(context, rule, async (consent) => {
    const allowed = allowedByConsent(fromFile, consent.scopes);
    const { records } = allowed;
    const settings = await readSettings(context);
    const storedDays = (await db.days.toCollection().primaryKeys()) as string[];
    const storedSnapshots = (await db.accountSnapshots.toArray()).map(snapshotKey);
    const storedVisits = (await db.visits.toArray()).map(visitKey);
    const plan = planImport(
      { days: storedDays, accountSnapshots: storedSnapshots, visits: storedVisits, settings },
      allowed,
      mode,
    );
    if (dryRun) return { ok: true as const, plan, applied: false };
    if (mode === 'replace') {
      await Promise.all(importedTables.map((table) => db.table(table).clear()));
      await db.days.bulkAdd(records.days);
      await db.accountSnapshots.bulkAdd(records.snapshots);
      await db.visits.bulkAdd(records.visits);
      await db.localEdits.bulkAdd(records.localEdits);
      await db.settings.put({ ...settings, ...records.settings });
    } else {
      const days = new Set(storedDays);
      const snapshots = new Set(storedSnapshots);
      const visits = new Set(storedVisits);
      await db.days.bulkAdd(records.days.filter((day) => !days.has(day.date)));
      await db.accountSnapshots.bulkAdd(records.snapshots.filter((snapshot) => !snapshots.has(snapshotKey(snapshot))));
      await db.visits.bulkAdd(records.visits.filter((visit) => !visits.has(visitKey(visit))));
      const edits = new Set((await db.localEdits.toArray()).map(localEditKey));
      await db.localEdits.bulkAdd(records.localEdits.filter((edit) => !edits.has(localEditKey(edit))));
    }
    return { ok: true as const, plan, applied: true };
  });
  return result.value;
}

/**
 * Deletes everything recorded, the history imported from Instagram's export, the bookkeeping derived from it, the ledger of local edits (it says how much time was
 * spent on each corrected day), and (through a deletion request) whatever the backend holds. With `stopRecording` the
 * recording scopes are withdrawn first, so nothing can be recorded between the withdrawal and the wipe; consent
 * choices, the consent ledger and settings stay, so smartTags keeps honouring them.
 */
export async function wipeData(
  context: BackgroundContext,
  stopRecording: boolean,
  source: 'popup' | 'options',
): Promise<void> {
  if (stopRecording) await changeConsent(context, { usage: false, account: false }, source);
  // Whatever was uploaded is deleted on every backend that holds it (queued, retried until confirmed), uploads in
  // flight are stopped and nothing pending is sent; once confirmed, no id of this installation is kept. The data, its
  // bookkeeping and the upload log (it names batches and dates of this installation) go in the same transaction.
  const queued = await requestRemoteDeletion(context, {
    fromWipe: true,
    alsoClear: [...recordedTables, ...instagramHistoryTables, ...bookkeepingTables, 'localEdits', 'uploadLog'],
  });
  // Sent now rather than at the next alarm; stored, so a failure is retried.
  if (queued) void drain(context).catch(() => undefined);
}
