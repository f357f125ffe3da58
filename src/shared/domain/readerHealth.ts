/**
 * Recording health: each reader of Instagram's page (src/shared/storage/records.ts, `readers`) reports whether it found
 * what it reads; the background keeps, per reader, when it last worked and since when it fails. This module says how
 * a report changes that record, and which failures the popup warns about: only those on a part of Instagram the person
 * actually uses, so a warning is never about something they would not miss. The options page lists every reader.
 */
import type { DayTotalsRecord, Reader, ReaderHealthRecord } from '../storage/records';
import { addDays } from './dates';
import type { Surface } from './routes';

/**
 * The surfaces whose figures each reader feeds. Who is logged in serves every surface: it is what tells the person's
 * own posts (the hashtags they use) and own profile (their counts) from everyone else's.
 */
const readerSurfaces: Readonly<Record<Reader, 'every' | readonly Surface[]>> = {
  viewer: 'every',
  'profile-counts': ['profile'],
  'feed-posts': ['feed'],
  'post-page': ['post'],
  reels: ['reels'],
  stories: ['stories'],
};

/** The readers in the order they are shown (the record schema's order). */
const readerOrder = Object.keys(readerSurfaces) as Reader[];

/**
 * A reader's record after one report at `at`. Found → working, the failure (if any) over. Missing → failing since the
 * first failure after the last success, so repeated reports of a failure do not move "since" forward.
 */
export function readerHealthAfter(
  earlier: ReaderHealthRecord | undefined,
  reader: Reader,
  state: 'ok' | 'missing',
  at: number,
): ReaderHealthRecord {
  if (state === 'ok') {
    return { reader, lastOkAt: at, failingSince: null, lastFailedAt: earlier?.lastFailedAt ?? null };
  }
  return { reader, lastOkAt: earlier?.lastOkAt ?? null, failingSince: earlier?.failingSince ?? at, lastFailedAt: at };
}

/** How many days before today still make a surface one the person uses. */
const recentUseDays = 7;

/**
 * The failing readers the popup warns about: failing now, on a surface that had attention time today or in the
 * `recentUseDays` days before it (the viewer: whenever any time was recorded then). In the order the readers are
 * shown. `days` may hold other dates too; only the recent ones count.
 */
export function readersToWarnAbout(
  health: readonly ReaderHealthRecord[],
  days: readonly DayTotalsRecord[],
  today: string,
): Reader[] {
  const from = addDays(today, -recentUseDays);
  const used = new Set<Surface>();
  for (const day of days) {
    if (day.date < from || day.date > today) continue;
    for (const [surface, ms] of Object.entries(day.surfaces) as [Surface, number][]) if (ms > 0) used.add(surface);
  }
  const failing = new Set(health.filter((record) => record.failingSince !== null).map((record) => record.reader));
  return readerOrder.filter((reader) => {
    if (!failing.has(reader)) return false;
    const served = readerSurfaces[reader];
    return served === 'every' ? used.size > 0 : served.some((surface) => used.has(surface));
  });
}
