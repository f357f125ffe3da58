/**
 * Goals and their streak. A goal is a daily limit: on the whole of Instagram (`dailyLimitMinutes`) and on any surface
 * (`surfaceLimitsMinutes`, e.g. reels 20 minutes). They are the same limits the reminders nudge about
 * (./reminders.ts); this module only judges recorded days against them. Pure, for the popup, the options page and the
 * weekly report alike.
 *
 * A day is within its goals when its total and each limited surface's time are at most their limits: the reminder
 * comes on reaching a limit, and the day is over it from the next second on.
 *
 * The streak is the number of days in a row within the goals, ending today. Decisions, so that the number means the
 * same everywhere it is shown:
 * - Today counts while it is within so far, and breaks the streak only once it goes over: the person sees the day they
 *   are keeping, and sees it lost the moment it is.
 * - A date without a day record, after recording began, counts as within: nothing was recorded, so nothing went over
 *   (Instagram not opened, recording paused or off, or a day the person deleted).
 * - Dates before the first recorded day do not count: there is no streak from before smartTags was there. Days
 *   removed by the retention limit are gone too, so the best streak is over the days kept (and given).
 * - Every day is measured against the goals as they are now: the settings keep no history, and a streak is about the
 *   line the person draws today.
 * - Without any goal there is nothing to keep: no streak, and `todayWithin` is null.
 */
import type { SettingsRecord } from '../storage/records';
import { addDays } from './dates';
import { type Surface, surfaces } from './routes';

export interface Goals {
  /** Minutes of attention a day in all; null: no overall goal. */
  dailyLimitMinutes: number | null;
  /** Minutes a day on a surface; a surface absent has no goal. */
  surfaceLimitsMinutes: Partial<Record<Surface, number>>;
}

/** What a streak needs of a day: its date, its total and its time per surface (a day record is one). */
export interface GoalDay {
  date: string;
  activeMs: number;
  surfaces: Partial<Record<Surface, number>>;
}

export interface GoalStreak {
  /** Days in a row within the goals, ending today (today included while it is within so far). */
  current: number;
  /** The longest such run among the days given, the current one included. */
  best: number;
  /** Whether today is within the goals so far; null without goals or without any recorded day up to today. */
  todayWithin: boolean | null;
}

const minuteMs = 60_000;

/** The goals stored in the settings row; rows from before goals lack the fields, which read as none. */
export function goalsOf(settings: Pick<SettingsRecord, 'dailyLimitMinutes' | 'surfaceLimitsMinutes'>): Goals {
  return {
    dailyLimitMinutes: settings.dailyLimitMinutes ?? null,
    surfaceLimitsMinutes: settings.surfaceLimitsMinutes ?? {},
  };
}

export function hasGoals(goals: Goals): boolean {
  return (
    goals.dailyLimitMinutes !== null || surfaces.some((surface) => goals.surfaceLimitsMinutes[surface] !== undefined)
  );
}

/** Whether a day is within the goals: its total and each limited surface at most their limits. No record: within. */
export function withinGoals(day: GoalDay | undefined, goals: Goals): boolean {
  if (!day) return true;
  if (goals.dailyLimitMinutes !== null && day.activeMs > goals.dailyLimitMinutes * minuteMs) return false;
  return surfaces.every((surface) => {
    const limit = goals.surfaceLimitsMinutes[surface];
    return limit === undefined || (day.surfaces[surface] ?? 0) <= limit * minuteMs;
  });
}

/** The streak of days within the goals up to `today` (a local date); days after it are left out. */
export function goalStreak(days: readonly GoalDay[], goals: Goals, today: string): GoalStreak {
  const none: GoalStreak = { current: 0, best: 0, todayWithin: null };
  if (!hasGoals(goals)) return none;
  const byDate = new Map<string, GoalDay>();
  let first: string | undefined;
  for (const day of days) {
    if (day.date > today) continue;
    byDate.set(day.date, day);
    if (first === undefined || day.date < first) first = day.date;
  }
  if (first === undefined) return none;
  let run = 0;
  let best = 0;
  let within = true;
  for (let date = first; date <= today; date = addDays(date, 1)) {
    within = withinGoals(byDate.get(date), goals);
    run = within ? run + 1 : 0;
    best = Math.max(best, run);
  }
  // The loop ended on today: `within` and `run` are today's.
  return { current: run, best, todayWithin: within };
}

/** Surface goals after a change that names some surfaces: a limit sets one, null removes it, the others stay. */
export function withSurfaceLimits(
  current: Partial<Record<Surface, number>>,
  change: Partial<Record<Surface, number | null>>,
): Partial<Record<Surface, number>> {
  const next = { ...current };
  for (const surface of surfaces) {
    const limit = change[surface];
    if (limit === null) delete next[surface];
    else if (limit !== undefined) next[surface] = limit;
  }
  return next;
}
