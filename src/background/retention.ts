/**
 * Retention: with a limit of N days, today and the N − 1 days before it are kept (in the current time zone); older
 * days, account snapshots, visits and history imported from Instagram's export (like recorded data; a follower list
 * by the day it was imported) are deleted, and with them the corrections the person made to those days (the ledger
 * of local edits describes days that are no longer kept). Run by a daily alarm and whenever the setting changes. The same
 * alarm drops recording's bookkeeping once no report can still need it: counted seconds after three UTC days, counted
 * views and hashtags after two local days. Both only delete, so they need neither consent nor the write guard
 * (./writeGuard.ts): deleting records nothing, and must go on after a withdrawal.
 */
import { addDays, localDateOf } from '../shared/domain/dates';
import type { BackgroundContext } from './context';

export const retentionAlarm = 'retention-prune';

export function retentionCutoff(now: number, timeZone: string, retentionDays: number): string {
  return addDays(localDateOf(now, timeZone), -(retentionDays - 1));
}

export async function pruneExpired(
  context: BackgroundContext,
): Promise<{ days: number; snapshots: number; visits: number; edits: number; imported: number }> {
  const { db, now, timeZone } = context;
  const tables = [
    db.settings,
    db.days,
    db.accountSnapshots,
    db.visits,
    db.localEdits,
    db.importedDays,
    db.importedAccountPoints,
    db.followerLists,
  ];
  return db.transaction('rw', tables, async () => {
    const retentionDays = (await db.settings.get('current'))?.retentionDays ?? null;
    if (retentionDays === null) return { days: 0, snapshots: 0, visits: 0, edits: 0, imported: 0 };
    const cutoff = retentionCutoff(now(), timeZone(), retentionDays);
    const days = await db.days.where('date').below(cutoff).delete();
    const snapshots = await db.accountSnapshots.where('date').below(cutoff).delete();
    const visits = await db.visits.filter((visit) => localDateOf(visit.seenAt, timeZone()) < cutoff).delete();
    const edits = await db.localEdits.where('date').below(cutoff).delete();
    const imported =
      (await db.importedDays.where('date').below(cutoff).delete()) +
      (await db.importedAccountPoints.where('date').below(cutoff).delete()) +
      // A follower list is dated by its import: other people's usernames are kept no longer than anything else.
      (await db.followerLists.filter((list) => localDateOf(list.importedAt, timeZone()) < cutoff).delete());
    return { days, snapshots, visits, edits, imported };
  });
}

export async function pruneBookkeeping(context: BackgroundContext): Promise<void> {
  const { db, now, timeZone } = context;
  const today = localDateOf(now(), timeZone());
  await db.transaction('rw', db.attendedSeconds, db.dayKeys, async () => {
    await db.attendedSeconds
      .where('utcDay')
      .below(Math.floor(now() / 86_400_000) - 2)
      .delete();
    await db.dayKeys.where('date').below(addDays(today, -1)).delete();
  });
}
