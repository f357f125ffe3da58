/**
 * What the popup reads for "today at a glance", in one batch of parallel indexed reads: the stored choices and goals,
 * today and the week before it, the same weekday in the weeks before (for the usual), the first recorded date, the
 * newest account snapshots, the latest visit, each reader's health. Only today's record is read whole (its top hashtags
 * are shown); the other days are read without their hashtag counts (`dayTotals`), which are what makes reading many
 * days slow (docs/BENCHMARKS.md).
 */

import type { Scopes } from '../shared/domain/consent';
import { addDays } from '../shared/domain/dates';
import { type Goals, goalsOf } from '../shared/domain/goals';
import type { SmartTagsDatabase } from '../shared/storage/db';
import type { AccountSnapshotRecord, DayRecord, DayTotalsRecord, ReaderHealthRecord } from '../shared/storage/records';

export interface TodayFacts {
  today: string;
  /** The stored choices once the person has made them; null before (then the popup asks for them). */
  choices: Scopes | null;
  /** Today's record, if anything was recorded today. */
  day: DayRecord | undefined;
  /** The seven dates before today, plus today (for the recording-health warning). */
  week: DayTotalsRecord[];
  /** The records of the same weekday in the `usualWeeks` weeks before today (dates without a record are missing). */
  sameWeekday: DayTotalsRecord[];
  /** The first date anything was recorded; null before anything was (to tell "nothing today" from "nothing yet"). */
  firstDate: string | null;
  /** The daily limits the person set (none: nothing to show progress against). */
  goals: Goals;
  /** The newest snapshots, enough for each account's latest count and the one before it. */
  snapshots: AccountSnapshotRecord[];
  /** The newest page load said nobody was logged in to Instagram. */
  signedOut: boolean;
  /** Each reader that reported (at most one row per reader), to warn when one fails. */
  readerHealth: ReaderHealthRecord[];
}

/** Snapshots read: two accounts' latest days with room for days whose count was unreadable. */
const snapshotsRead = 20;
/** How many weeks back the usual for a weekday looks (insights.ts's `usualForWeekday`): two months, as it does. */
export const usualWeeks = 8;

/** A handful of indexed reads, so the popup paints at once even with a year of data stored. */
export async function readToday(db: SmartTagsDatabase, today: string): Promise<TodayFacts> {
  const sameWeekdayDates = Array.from({ length: usualWeeks }, (_, index) => addDays(today, -7 * (index + 1)));
  const [consent, settings, day, week, sameWeekday, firstDates, snapshots, latestVisit, readerHealth] =
    await Promise.all([
      db.consent.get('current'),
      db.settings.get('current'),
      db.days.get(today),
      db.dayTotals.where('date').between(addDays(today, -7), today, true, true).toArray(),
      db.dayTotals.bulkGet(sameWeekdayDates),
      // Keys only: the first day's record itself is not needed.
      db.dayTotals.toCollection().limit(1).primaryKeys(),
      db.accountSnapshots.orderBy('date').reverse().limit(snapshotsRead).toArray(),
      db.visits.orderBy('seenAt').last(),
      db.readerHealth.toArray(),
    ]);
  return {
    today,
    choices: consent && consent.decidedAt !== null ? consent.scopes : null,
    day,
    week,
    sameWeekday: sameWeekday.filter((day): day is DayTotalsRecord => day !== undefined),
    firstDate: firstDates[0] ?? null,
    goals: goalsOf(settings ?? {}),
    snapshots,
    signedOut: latestVisit?.signedOut === true,
    readerHealth,
  };
}
