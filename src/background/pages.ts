import type { SmartTagsDatabase } from '../shared/db';
import { pageSeenRecord } from '../shared/records';

/** The page list only proves the wiring and feeds the popup's "recently seen" list; older entries are not needed. */
export const pagesSeenKept = 100;

export async function recordPageSeen(db: SmartTagsDatabase, path: string, seenAt: number): Promise<void> {
  const record = pageSeenRecord.parse({ path, seenAt });
  await db.transaction('rw', db.pagesSeen, async () => {
    await db.pagesSeen.add(record);
    const excess = (await db.pagesSeen.count()) - pagesSeenKept;
    if (excess > 0) await db.pagesSeen.orderBy('seenAt').limit(excess).delete();
  });
}
