/**
 * Reminders: nudges, never blocks. Pure: after each usage report is applied, the background
 * (src/background/reminders.ts) calls `dueReminders` inside the same transaction with the stored state, stores the state
 * it answers, and shows the reminders once the transaction has committed. Because the decision and the state it
 * leaves are one transaction, two reports racing (two tabs) cannot both decide to show the same reminder, and because
 * the state is stored, neither can a restarted worker or a retried report.
 *
 * Daily limit: once today's attention time (the day record of the local date, src/background/aggregate.ts) reaches the
 * limit, one reminder — at most one per local date. Raising the limit later that day re-arms it: the person drew a new
 * line, so one more reminder comes once that one is passed. Lowering it does not: they were told today already. The
 * next local date starts afresh.
 *
 * Take a break: a streak is attention whose gaps are all shorter than a break (`breakSeconds`); its length runs from its
 * first to its last attended second, short gaps included (they were not a break). When the streak still going on
 * reaches the chosen length, one reminder; none again until a break ends that streak. Streaks are read from the
 * per-second record of attention every tab shares (the `attendedSeconds` bitmap), not from the runs of one report, so
 * duplicated, retried or out-of-order reports cannot make a streak look new: a late report that fills a gap only
 * lengthens the streak already reminded of.
 */
import type { ReminderStateRecord } from '../storage/records';

/**
 * Five minutes without attention is a break: the same gap that starts a new session in the day records
 * (sessionGapSeconds in src/background/aggregate.ts), so "take a break" and the session count agree on what a break is.
 * Shorter gaps — reading a comment elsewhere, fetching a coffee — are part of the same stretch of use.
 */
export const breakSeconds = 300;

/**
 * How far back a streak is traced, which bounds the work per report (and the bitmaps read: two UTC days). A streak
 * longer than this is taken to start this long before its last second, so a day of use without a single 5-minute
 * break would count as a new streak a day after its reminder — one more nudge, which such a day deserves.
 */
export const streakLookbackSeconds = 86_400;

export interface ReminderSettings {
  /** Minutes of attention a day after which to remind once; null: off. */
  dailyLimitMinutes: number | null;
  /** Minutes of continuous attention after which to suggest a break; null: off. */
  breakAfterMinutes: number | null;
}

/** A run of attention without a break, as epoch seconds (both attended). */
export interface Streak {
  firstSecond: number;
  lastSecond: number;
}

export type Reminder =
  | { kind: 'daily-limit'; date: string; limitMinutes: number }
  | { kind: 'break'; streakStart: number; minutes: number };

export interface ReminderInput {
  settings: ReminderSettings;
  state: ReminderStateRecord;
  /** Today's local date and the attention time counted on it so far (the report just applied included). */
  today: { date: string; activeMs: number };
  /** The streak still going on (`currentStreak`); null when the person is on a break. */
  streak: Streak | null;
}

export interface ReminderDecision {
  reminders: Reminder[];
  /** The state to store; the same object when nothing was due. */
  state: ReminderStateRecord;
}

/**
 * The streak still going on at `nowSecond`: attention that ended less than a break ago, traced back to the last break
 * (or `streakLookbackSeconds`). Null when the last attended second is a break or more ago.
 */
export function currentStreak(isAttended: (second: number) => boolean, nowSecond: number): Streak | null {
  let lastSecond: number | undefined;
  for (let second = nowSecond; second > nowSecond - breakSeconds; second -= 1) {
    if (isAttended(second)) {
      lastSecond = second;
      break;
    }
  }
  if (lastSecond === undefined) return null;
  let firstSecond = lastSecond;
  const oldest = lastSecond - streakLookbackSeconds;
  // Stops once `breakSeconds` seconds in a row before the earliest attended second found were all unattended.
  for (let second = lastSecond - 1; second >= oldest && second >= firstSecond - breakSeconds; second -= 1) {
    if (isAttended(second)) firstSecond = second;
  }
  return { firstSecond, lastSecond };
}

/** Which reminders are due now, and the state that remembers them. */
export function dueReminders({ settings, state, today, streak }: ReminderInput): ReminderDecision {
  const reminders: Reminder[] = [];
  let next = state;

  const limit = settings.dailyLimitMinutes;
  if (limit !== null && today.activeMs >= limit * 60_000) {
    const told = state.dailyLimit;
    const alreadyToldToday = told !== null && told.date === today.date && told.limitMinutes >= limit;
    if (!alreadyToldToday) {
      reminders.push({ kind: 'daily-limit', date: today.date, limitMinutes: limit });
      next = { ...next, dailyLimit: { date: today.date, limitMinutes: limit } };
    }
  }

  const after = settings.breakAfterMinutes;
  if (after !== null && streak !== null && streak.lastSecond - streak.firstSecond + 1 >= after * 60) {
    // A streak reaching back to where the reminded one had got to is that streak (perhaps lengthened by a late report);
    // a new streak starts after a break, so after that second.
    const remindedThrough = state.breakRemindedThrough;
    if (remindedThrough === null || streak.firstSecond > remindedThrough) {
      reminders.push({ kind: 'break', streakStart: streak.firstSecond, minutes: after });
      next = { ...next, breakRemindedThrough: streak.lastSecond };
    }
  }

  return { reminders, state: next };
}
