/**
 * What the popup reads for "today at a glance", in one batch of parallel indexed reads: the stored choices, a week of
 * days, the newest account snapshots, the latest visit, each reader's health.
 */

import type { Scopes } from '../shared/domain/consent';
import { addDays } from '../shared/domain/dates';
import type { SmartTagsDatabase } from '../shared/storage/db';
import type { AccountSnapshotRecord, DayRecord, ReaderHealthRecord } from '../shared/storage/records';

export interface TodayFacts {
  today: string;
  /** The stored choices once the person has made them; null before (then the popup asks for them). */
  choices: Scopes | null;
  /** Today's record, if anything was recorded today. */
  day: DayRecord | undefined;
  /** The seven dates before today (for the average), plus today. */
  week: DayRecord[];
  /** Whether any day was ever recorded (to tell "nothing today" from "nothing yet"). */
  anyDay: boolean;
  /** The newest snapshots, enough for each account's latest count and the one before it. */
  snapshots: AccountSnapshotRecord[];
  /** The newest page load said nobody was logged in to Instagram. */
  signedOut: boolean;
  /** Each reader that reported (at most one row per reader), to warn when one fails. */
  readerHealth: ReaderHealthRecord[];
}

/** Snapshots read: two accounts' latest days with room for days whose count was unreadable. */
const snapshotsRead = 20;

/** A handful of indexed reads, so the popup paints at once even with a year of data stored. */
export async function readToday(db: SmartTagsDatabase, today: string): Promise<TodayFacts> {
  const [consent, week, anyDay, snapshots, latestVisit, readerHealth] = await Promise.all([
    db.consent.get('current'),
    db.days.where('date').between(addDays(today, -7), today, true, true).toArray(),
    db.days
      .limit(1)
      .count()
      .then((count) => count > 0),
    db.accountSnapshots.orderBy('date').reverse().limit(snapshotsRead).toArray(),
    db.visits.orderBy('seenAt').last(),
    db.readerHealth.toArray(),
  ]);
  return {
    today,
    choices: consent && consent.decidedAt !== null ? consent.scopes : null,
    day: week.find((day) => day.date === today),
    week,
    anyDay,
    snapshots,
    signedOut: latestVisit?.signedOut === true,
    readerHealth,
  };
}
