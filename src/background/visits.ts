import { classifyPath } from '../shared/domain/routes';
import { visitRecord } from '../shared/storage/records';
import type { BackgroundContext } from './context';
import { guardedWrite } from './writeGuard';

/** The popup lists recent visits; older ones carry nothing the days do not. */
export const visitsKept = 100;

/**
 * Stores a page load as a visit to its surface — only while `usage` is granted and recording is not paused, both read
 * by the write guard inside the transaction that writes it, so a withdrawal or pause that committed first always wins.
 */
export async function recordVisit(
  context: BackgroundContext,
  path: string,
  signedOut: boolean,
): Promise<'recorded' | 'no-consent' | 'paused'> {
  const { db, now } = context;
  const record = visitRecord.parse({
    surface: classifyPath(path).surface,
    seenAt: now(),
    ...(signedOut && { signedOut: true }),
  });
  const result = await guardedWrite(context, { tables: ['visits'], consent: ['usage'] }, async () => {
    await db.visits.add(record);
    const excess = (await db.visits.count()) - visitsKept;
    if (excess > 0) await db.visits.orderBy('seenAt').limit(excess).delete();
  });
  return result.outcome;
}
