/**
 * Periods of local calendar dates for the dashboard, the popup and the weekly report: which dates a period holds, the
 * period it is compared with, and how many of its days count for an average. Pure: dates are 'YYYY-MM-DD' strings and
 * all arithmetic is done on the calendar date in UTC, so neither the viewer's time zone nor a DST change can move a day.
 *
 * Definitions (the one place they are written):
 * - A period is an inclusive range of local dates, start <= end.
 * - `this-week` starts on the week's first day (Monday by default, Sunday when asked) and ends today; `last-week` is the
 *   whole week before. `this-month` is the 1st of this month to today; `last-month` the whole month before.
 *   `last-N` is the N dates ending today (today included). `custom` is the given range, swapped when reversed and
 *   clamped to today.
 * - The previous period (what a period is compared with):
 *   - `this-week`: the same weekdays of the week before (Monday–Wednesday against last Monday–Wednesday), so a partial
 *     week is compared with the same part of a whole one.
 *   - `last-week`: the whole week before it.
 *   - `this-month`: the same number of days from the 1st of the month before, cut at that month's end (March 1–31
 *     against February 1–28).
 *   - `last-month`: the whole month before it (whatever its length).
 *   - `last-N` and `custom`: the same number of dates immediately before the start.
 * - A counted day is a date of the period from the first date anything was recorded up to today. Averages divide by
 *   counted days, never by the period's length: dates before recording began are unknown, not zero (a week of use seen
 *   in the 30-day view averages over 7 days, not 30). Dates since recording began without a record count as zero.
 */

import { addDays, isCalendarDate, utcMsOfDate } from './dates';

export const periodKinds = [
  'this-week',
  'last-week',
  'this-month',
  'last-month',
  'last-7',
  'last-30',
  'last-90',
  'last-365',
  'custom',
] as const;
export type PeriodKind = (typeof periodKinds)[number];

/** Inclusive local dates, start <= end. */
export interface Period {
  start: string;
  end: string;
}

const dayMs = 86_400_000;

/** The earlier of two dates ('YYYY-MM-DD' strings order as dates). */
export function earlierDate(a: string, b: string): string {
  return a <= b ? a : b;
}

/** The later of two dates. */
export function laterDate(a: string, b: string): string {
  return a >= b ? a : b;
}

/** Whole calendar days from `from` to `to` (negative when `to` is earlier). */
function daysBetween(from: string, to: string): number {
  return Math.round((utcMsOfDate(to) - utcMsOfDate(from)) / dayMs);
}

/** 0 = Sunday … 6 = Saturday, from the calendar date alone. */
function utcWeekday(date: string): number {
  return new Date(utcMsOfDate(date)).getUTCDay();
}

/** The first date of the week holding `date`, weeks starting on Monday (1) or Sunday (0). */
export function weekStart(date: string, weekStartsOn: 0 | 1 = 1): string {
  return addDays(date, -((utcWeekday(date) - weekStartsOn + 7) % 7));
}

/** The first date of the month holding `date`. */
export function monthStart(date: string): string {
  return `${date.slice(0, 7)}-01`;
}

/** The first date of the month after the one holding `date`. */
function nextMonthStart(date: string): string {
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  return new Date(Date.UTC(year, month, 1)).toISOString().slice(0, 10);
}

/** The last date of the month holding `date` (leap years included). */
export function monthEnd(date: string): string {
  return addDays(nextMonthStart(date), -1);
}

const lastNDays = { 'last-7': 7, 'last-30': 30, 'last-90': 90, 'last-365': 365 } as const;

/**
 * The dates of a period kind, seen from `today`. weekStartsOn: 1 = Monday (default), 0 = Sunday. 'this-week' and
 * 'this-month' end today (partial); 'last-N' = the N days ending today; 'custom' requires `custom` (swapped when
 * reversed, clamped to today; throws a RangeError when absent or not calendar dates).
 */
export function resolvePeriod(kind: PeriodKind, today: string, custom?: Period, weekStartsOn: 0 | 1 = 1): Period {
  switch (kind) {
    case 'this-week':
      return { start: weekStart(today, weekStartsOn), end: today };
    case 'last-week': {
      const start = addDays(weekStart(today, weekStartsOn), -7);
      return { start, end: addDays(start, 6) };
    }
    case 'this-month':
      return { start: monthStart(today), end: today };
    case 'last-month': {
      const end = addDays(monthStart(today), -1);
      return { start: monthStart(end), end };
    }
    case 'custom': {
      if (!custom || !isCalendarDate(custom.start) || !isCalendarDate(custom.end)) {
        throw new RangeError('a custom period needs a start and an end date');
      }
      const end = earlierDate(laterDate(custom.start, custom.end), today);
      return { start: earlierDate(earlierDate(custom.start, custom.end), end), end };
    }
    default: {
      const length = lastNDays[kind];
      return { start: addDays(today, -(length - 1)), end: today };
    }
  }
}

/** The period a period of this kind is compared with (see the definitions at the top of this module). */
export function previousPeriod(kind: PeriodKind, period: Period): Period {
  switch (kind) {
    case 'this-week':
    case 'last-week':
      return { start: addDays(period.start, -7), end: addDays(period.end, -7) };
    case 'this-month': {
      const start = monthStart(addDays(period.start, -1));
      const sameLength = addDays(start, periodDays(period) - 1);
      return { start, end: earlierDate(sameLength, monthEnd(start)) };
    }
    case 'last-month': {
      const end = addDays(monthStart(period.start), -1);
      return { start: monthStart(end), end };
    }
    default: {
      const end = addDays(period.start, -1);
      return { start: addDays(end, -(periodDays(period) - 1)), end };
    }
  }
}

/** The number of dates in the period, both ends included. */
export function periodDays(period: Period): number {
  return Math.max(0, daysBetween(period.start, period.end) + 1);
}

/** Every date of the period, oldest first. */
export function datesOf(period: Period): string[] {
  const length = periodDays(period);
  const dates: string[] = [];
  for (let index = 0; index < length; index++) dates.push(addDays(period.start, index));
  return dates;
}

/**
 * The days of the period that count for averages: from max(start, firstRecorded) to min(end, today); 0 when nothing
 * was recorded yet (firstRecorded null) or recording began after the period.
 */
export function countedDays(period: Period, firstRecorded: string | null, today: string): number {
  if (firstRecorded === null) return 0;
  const from = laterDate(period.start, firstRecorded);
  const to = earlierDate(period.end, today);
  return from > to ? 0 : daysBetween(from, to) + 1;
}

/** ISO 8601 week ('2026-W49') of a date: weeks start on Monday and belong to the year of their Thursday. */
export function isoWeekOf(date: string): string {
  const thursday = addDays(weekStart(date, 1), 3);
  const year = thursday.slice(0, 4);
  const week = Math.floor(daysBetween(`${year}-01-01`, thursday) / 7) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** The Monday..Sunday period of an ISO week string ('2026-W49'); null if malformed or the year has no such week. */
export function periodOfIsoWeek(week: string): Period | null {
  const match = /^(\d{4})-W(\d{2})$/.exec(week);
  if (!match) return null;
  const number = Number(match[2]);
  if (number < 1 || number > 53) return null;
  // Week 1 is the week holding 4 January.
  const start = addDays(weekStart(`${match[1]}-01-04`, 1), (number - 1) * 7);
  if (isoWeekOf(start) !== week) return null;
  return { start, end: addDays(start, 6) };
}

/**
 * When a week's public aggregate report is published: once the week is over everywhere — two days after its Sunday,
 * at 00:00 UTC, since the time zones ahead of UTC end their Sunday up to 14 hours before UTC does and days are stored
 * by local date (docs/AGGREGATES.md, "Publication").
 */
export function aggregateReportPublishedFrom(week: Period): string {
  return `${addDays(week.end, 2)}T00:00:00.000Z`;
}
