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
 *
 * Surface limits (goals, ./goals.ts): like the daily limit, per surface — once today's time on a surface reaches its
 * limit, one reminder for that surface that date; raising that limit re-arms it.
 *
 * Reels in a row: reels watched one after another, each less than a break (`breakSeconds`) after the one before, are
 * a run; once a run reaches the chosen count, one nudge, and none again in that run. Only reels counted for the first
 * time are fed in (a view already counted that day, from a retried report or a second tab, is not a new reel), in the
 * order they were watched; a late view reaching back into the run still belongs to it, one from a run long over (older
 * than the run by more than a break) is left out rather than starting a run in the past. The count is kept only while
 * the nudge is on: turned on, it counts from then.
 */
import type { ReminderStateRecord } from '../storage/records';
import { type Surface, surfaces } from './routes';

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
  /** Minutes a day per surface after which to remind once; a surface absent: off. */
  surfaceLimitsMinutes: Partial<Record<Surface, number>>;
  /** Reels in a row after which to nudge once; null: off. */
  reelNudgeCount: number | null;
}

/** A run of attention without a break, as epoch seconds (both attended). */
export interface Streak {
  firstSecond: number;
  lastSecond: number;
}

export type Reminder =
  | { kind: 'daily-limit'; date: string; limitMinutes: number }
  | { kind: 'surface-limit'; surface: Surface; date: string; limitMinutes: number }
  | { kind: 'break'; streakStart: number; minutes: number }
  | { kind: 'reels'; runStart: number; count: number };

export interface ReminderInput {
  settings: ReminderSettings;
  state: ReminderStateRecord;
  /**
   * Today's local date and the attention time counted on it so far, in all and per surface (the report just applied
   * included).
   */
  today: { date: string; activeMs: number; surfaces: Partial<Record<Surface, number>> };
  /** The streak still going on (`currentStreak`); null when the person is on a break. */
  streak: Streak | null;
  /** When each reel the report counted for the first time was watched (epoch ms), in any order. */
  reelViews: readonly number[];
}

export interface ReminderDecision {
  reminders: Reminder[];
  /** The state to store; the same object when nothing changed (nothing due, no reel counted towards a nudge). */
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
export function dueReminders({ settings, state, today, streak, reelViews }: ReminderInput): ReminderDecision {
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

  for (const surface of surfaces) {
    const surfaceLimit = settings.surfaceLimitsMinutes[surface];
    if (surfaceLimit === undefined || (today.surfaces[surface] ?? 0) < surfaceLimit * 60_000) continue;
    const told = next.surfaceLimits[surface];
    if (told !== undefined && told.date === today.date && told.limitMinutes >= surfaceLimit) continue;
    reminders.push({ kind: 'surface-limit', surface, date: today.date, limitMinutes: surfaceLimit });
    next = {
      ...next,
      surfaceLimits: { ...next.surfaceLimits, [surface]: { date: today.date, limitMinutes: surfaceLimit } },
    };
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

  const nudgeAt = settings.reelNudgeCount;
  const run = nudgeAt === null ? null : reelRunAfter(next.reelRun, reelViews);
  if (nudgeAt !== null && run !== null && run !== next.reelRun) {
    if (!run.reminded && run.count >= nudgeAt) {
      reminders.push({ kind: 'reels', runStart: run.firstAt, count: nudgeAt });
      next = { ...next, reelRun: { ...run, reminded: true } };
    } else {
      next = { ...next, reelRun: run };
    }
  }

  return { reminders, state: next };
}

type ReelRun = NonNullable<ReminderStateRecord['reelRun']>;

/** The run of reels after these views (epoch ms), from the run stored (null: none yet); unchanged: the same object. */
function reelRunAfter(stored: ReelRun | null, views: readonly number[]): ReelRun | null {
  const breakMs = breakSeconds * 1000;
  let run = stored;
  for (const at of [...views].sort((a, b) => a - b)) {
    if (run === null || at >= run.lastAt + breakMs) {
      run = { firstAt: at, lastAt: at, count: 1, reminded: false };
    } else if (at > run.firstAt - breakMs) {
      run = { ...run, firstAt: Math.min(run.firstAt, at), lastAt: Math.max(run.lastAt, at), count: run.count + 1 };
    }
  }
  return run;
}
