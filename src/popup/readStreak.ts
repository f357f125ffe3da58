/**
 * The current streak of days within the goals, for the popup (src/shared/domain/goals.ts says what counts). The
 * dashboard reads every day for it, the best streak included; the popup must stay quick with a year of data, and a
 * day record carries the day's hashtag counts, so it reads back from today a fortnight at a time and stops at the
 * first day over a limit (the streak cannot reach past it) or at the first recorded day. A streak of a few days costs
 * one read.
 */
import { addDays } from '../shared/domain/dates';
import { type GoalDay, type Goals, goalStreak, hasGoals, withinGoals } from '../shared/domain/goals';
import type { SmartTagsDatabase } from '../shared/storage/db';

/** Days read at a time, going back from today. */
const batchDays = 14;

export interface CurrentStreak {
  /** Days in a row within the goals, ending today (today included while it is within so far). */
  current: number;
  /** Whether today is within the goals so far. */
  todayWithin: boolean;
}

/** Null without goals, or before anything was recorded (then there is no streak to show). */
export async function readCurrentStreak(
  db: SmartTagsDatabase,
  goals: Goals,
  today: string,
  firstDate: string | null,
): Promise<CurrentStreak | null> {
  if (!hasGoals(goals) || firstDate === null || firstDate > today) return null;
  const days: GoalDay[] = [];
  for (let to = today; to >= firstDate; ) {
    const from = addDays(to, 1 - batchDays) > firstDate ? addDays(to, 1 - batchDays) : firstDate;
    const batch = await db.dayTotals.where('date').between(from, to, true, true).toArray();
    // Only what the streak needs is kept.
    for (const { date, activeMs, surfaces } of batch) days.push({ date, activeMs, surfaces });
    if (batch.some((day) => !withinGoals(day, goals))) break;
    to = addDays(from, -1);
  }
  // From the day over a limit (or the first recorded day) to today: goalStreak's current run is the whole answer; its
  // best would be over these days only, so it is not given.
  const { current, todayWithin } = goalStreak(days, goals, today);
  return { current, todayWithin: todayWithin ?? true };
}
