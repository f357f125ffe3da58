/**
 * "How you compare": the person's week against a cohort's quartiles in a public weekly aggregate report
 * (docs/AGGREGATES.md). Computed on the device from the downloaded report; nothing of the person is sent for it.
 *
 * The person's figures are computed the way the server computes each installation's (server/weekly-report.ts): minutes
 * a day per surface and views a day, averaged over the days of the week that have a record, and clipped to the
 * report's contribution bounds — so both sides of the comparison mean the same thing.
 */
import { addDays } from './dates';
import { aggregateReportPublishedFrom, isoWeekOf, type Period, periodOfIsoWeek } from './periods';
import { type Surface, surfaces } from './routes';

/** What one recorded day brings to the comparison (a day's totals record has these fields). */
export interface ComparedDay {
  date: string;
  surfaces: Partial<Record<Surface, number>>;
  views: { posts: number; reels: number; stories: number };
}

export interface WeekFigures {
  /** Days of the week with a record: what the averages are over. */
  recordedDays: number;
  minutesPerDay: Record<Surface, number>;
  viewsPerDay: number;
}

export interface Quartiles {
  p25: number;
  median: number;
  p75: number;
}

/** Where a figure stands among a cohort's: under its lower quartile, in its lower or upper middle half, or above. */
export type Standing = 'below-p25' | 'p25-to-median' | 'median-to-p75' | 'above-p75';

/**
 * The latest ISO week whose report is published at `now` (epoch ms): last week from its Tuesday 00:00 UTC on, the
 * week before until then.
 */
export function latestPublishedWeek(now: number, today: string): { week: string; dates: Period } {
  const lastWeek = isoWeekOf(addDays(today, -7));
  const lastDates = periodOfIsoWeek(lastWeek);
  if (!lastDates) throw new Error(`no dates for ${lastWeek}`);
  if (new Date(now).toISOString() >= aggregateReportPublishedFrom(lastDates))
    return { week: lastWeek, dates: lastDates };
  const weekBefore = isoWeekOf(addDays(lastDates.start, -7));
  const beforeDates = periodOfIsoWeek(weekBefore);
  if (!beforeDates) throw new Error(`no dates for ${weekBefore}`);
  return { week: weekBefore, dates: beforeDates };
}

/**
 * The person's figures for the week, as the server computes an installation's; null when no day of the week has a
 * record (there is nothing to compare).
 */
export function weekFiguresOf(
  days: readonly ComparedDay[],
  week: Period,
  bounds: { minutesPerDay: number; viewsPerDay: number },
): WeekFigures | null {
  const inWeek = days.filter((day) => day.date >= week.start && day.date <= week.end);
  if (inWeek.length === 0) return null;
  const average = (value: (day: ComparedDay) => number) =>
    inWeek.reduce((sum, day) => sum + value(day), 0) / inWeek.length;
  const minutesPerDay = Object.fromEntries(
    surfaces.map((surface) => [
      surface,
      Math.min(
        bounds.minutesPerDay,
        average((day) => (day.surfaces[surface] ?? 0) / 60_000),
      ),
    ]),
  ) as Record<Surface, number>;
  return {
    recordedDays: inWeek.length,
    minutesPerDay,
    viewsPerDay: Math.min(
      bounds.viewsPerDay,
      average((day) => day.views.posts + day.views.reels + day.views.stories),
    ),
  };
}

/** Where `value` stands among the quartiles; a value on a quartile counts in the half below it. */
export function standingAmong(value: number, quartiles: Quartiles): Standing {
  if (value < quartiles.p25) return 'below-p25';
  if (value <= quartiles.median) return 'p25-to-median';
  if (value <= quartiles.p75) return 'median-to-p75';
  return 'above-p75';
}
