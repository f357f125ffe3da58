import { classifyPath } from '../shared/domain/routes';
import { visitRecord } from '../shared/storage/records';
import type { BackgroundContext } from './context';
import { pausedNow } from './pause';

/** The popup lists recent visits; older ones carry nothing the days do not. */
export const visitsKept = 100;

/**
 * Stores a page load as a visit to its surface — only while `usage` is granted and recording is not paused. Consent is read inside the same
 * transaction as the write, so a withdrawal that committed first always wins.
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
  return db.transaction('rw', db.consent, db.settings, db.visits, async () => {
    const consent = await db.consent.get('current');
    if (!consent?.scopes.usage) return 'no-consent';
    if (await pausedNow(context)) return 'paused';
    await db.visits.add(record);
    const excess = (await db.visits.count()) - visitsKept;
    if (excess > 0) await db.visits.orderBy('seenAt').limit(excess).delete();
    return 'recorded';
  });
}
