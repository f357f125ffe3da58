/**
 * The person's control over the follower lists kept for "who unfollowed me" (src/shared/domain/followerLists.ts): the
 * setting that lets imports keep them, and their deletion. Both only store a choice or delete, so neither needs
 * consent nor the write guard (./writeGuard.ts); imports write the lists, through the guard (./instagramImport.ts).
 */
import { settingsRecord } from '../shared/storage/records';
import type { BackgroundContext } from './context';
import { readSettings } from './settings';

/**
 * Turns "Keep my follower list" on or off. Off deletes every kept list in the same transaction that stores the
 * choice — other people's usernames are kept only while the person wants them — so an import running meanwhile
 * either kept its list before (and it is deleted here) or reads the setting off (and keeps nothing). Answers how many
 * lists were deleted.
 */
export async function setKeepFollowerLists(context: BackgroundContext, keep: boolean): Promise<{ deleted: number }> {
  const { db } = context;
  return db.transaction('rw', db.settings, db.followerLists, async () => {
    const current = await readSettings(context);
    await db.settings.put(settingsRecord.parse({ ...current, keepFollowerLists: keep }));
    return keep ? { deleted: 0 } : deleteFollowerLists(context);
  });
}

/**
 * "Delete the follower lists": every kept list, whatever the setting (it stays as it is, so the next import keeps a
 * new first list if it is on). Answers how many were deleted.
 */
export async function deleteFollowerLists({ db }: Pick<BackgroundContext, 'db'>): Promise<{ deleted: number }> {
  return db.transaction('rw', db.followerLists, async () => {
    const deleted = await db.followerLists.count();
    await db.followerLists.clear();
    return { deleted };
  });
}
