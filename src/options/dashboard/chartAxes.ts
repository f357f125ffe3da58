/**
 * Where the dashboard's charts put their ticks, so they read like a calendar and a clock rather than a plotting
 * library's defaults: a date axis ticks whole days (never "12am" and "12pm" between two days), a week's Mondays or the
 * first of a month; a duration axis ticks round steps (15 min, 30 min, 1 h…, insights.ts durationStep). Pure: times are
 * the charts' x values, seconds since the epoch of each date's UTC midnight (dates are calendar dates, not instants).
 */
import { durationStep } from '../../shared/domain/insights';

const daySeconds = 86_400;
const dayStepsInDays = [1, 2, 7, 14];
const monthSteps = [1, 2, 3, 6, 12];

/** The date ('YYYY-MM-DD') of a chart's x value. */
export function dateOfSeconds(seconds: number): string {
  return new Date(seconds * 1000).toISOString().slice(0, 10);
}

/** The chart x value of a date. */
export function secondsOfDate(date: string): number {
  return Date.parse(`${date}T00:00:00Z`) / 1000;
}

/** Whole days within [min, max] (seconds), every `step` days, starting on a Monday when the step is a week or more. */
function everyDays(min: number, max: number, step: number): number[] {
  let first = Math.ceil(min / daySeconds) * daySeconds;
  if (step >= 7) {
    // 1970-01-01 was a Thursday: days since then + 3, modulo 7, is 0 on Mondays.
    const weekday = (Math.round(first / daySeconds) + 3) % 7;
    first += ((7 - weekday) % 7) * daySeconds;
  }
  const ticks: number[] = [];
  for (let tick = first; tick <= max; tick += step * daySeconds) ticks.push(tick);
  return ticks;
}

/** The first of every `step`-th month within [min, max] (seconds), counted from January so the ticks stay put. */
function everyMonths(min: number, max: number, step: number): number[] {
  const start = new Date(min * 1000);
  let year = start.getUTCFullYear();
  let month = start.getUTCMonth();
  const ticks: number[] = [];
  for (;;) {
    const tick = Date.UTC(year, month, 1) / 1000;
    if (tick > max) return ticks;
    if (tick >= min && month % step === 0) ticks.push(tick);
    month += 1;
    if (month === 12) {
      month = 0;
      year += 1;
    }
  }
}

/**
 * The ticks of a date axis from `min` to `max` (seconds): every day, every other day, every Monday, every other
 * Monday, then the first of every 1, 2, 3, 6 or 12 months — the first of these giving at most `maxTicks` ticks.
 */
export function dateTicks(min: number, max: number, maxTicks: number): number[] {
  const limit = Math.max(1, Math.floor(maxTicks));
  for (const step of dayStepsInDays) {
    const ticks = everyDays(min, max, step);
    if (ticks.length <= limit) return ticks;
  }
  for (const step of monthSteps) {
    const ticks = everyMonths(min, max, step);
    if (ticks.length <= limit) return ticks;
  }
  return everyMonths(min, max, 12).filter((_, index, all) => index % Math.ceil(all.length / limit) === 0);
}

/** Whether ticks this far apart (seconds) are months, to be labelled with the month rather than the day. */
export function ticksAreMonths(ticks: readonly number[]): boolean {
  const [first, second] = ticks;
  if (first === undefined || second === undefined) return false;
  return second - first >= 28 * daySeconds;
}

/**
 * A duration axis from zero: a round step for about `ticks` ticks (insights.ts durationStep) and the top, the first
 * multiple of the step at or above the largest value (never zero, so an empty chart still has an axis).
 */
export function durationScale(maxMs: number, ticks = 4): { step: number; top: number } {
  const step = durationStep(maxMs, ticks);
  return { step, top: Math.max(step, Math.ceil(maxMs / step) * step) };
}

/** The ticks of a duration axis: 0, step, 2 × step… up to the top. */
export function durationTicks(scale: { step: number; top: number }): number[] {
  const ticks: number[] = [];
  for (let tick = 0; tick <= scale.top + 1e-9; tick += scale.step) ticks.push(tick);
  return ticks;
}
