/**
 * Computing a week's aggregate report from the store — shared by the server's public endpoint, which publishes a
 * week at its first request, and the operator's `server:admin -- report`, which can publish it ahead of that or
 * recompute it (docs/AGGREGATES.md, "Publication").
 */
import { isoWeek, type WeeklyAggregateReport, weeklyAggregateReport } from '../src/shared/contracts/aggregateReport';
import { addDays } from '../src/shared/domain/dates';
import { isoWeekOf, periodOfIsoWeek } from '../src/shared/domain/periods';
import type { Store } from './store';
import { computeWeeklyReport, type ReportSettings } from './weekly-report';

/** The dates of an ISO week such as `2026-W48`, or null when the text is no ISO week. */
export function datesOfReportWeek(week: string): { start: string; end: string } | null {
  return isoWeek.safeParse(week).success ? periodOfIsoWeek(week) : null;
}

/** The week's report from what the store holds now; the week before's published report gives the rising tags. */
export async function computeReportOf(
  store: Store,
  week: string,
  dates: { start: string; end: string },
  settings: ReportSettings,
): Promise<WeeklyAggregateReport> {
  const previous = await store.findReport(isoWeekOf(addDays(dates.start, -7)));
  return computeWeeklyReport(
    { isoWeek: week, from: dates.start, to: dates.end },
    await store.weekContributions(dates.start, dates.end),
    previous === undefined ? null : weeklyAggregateReport.parse(JSON.parse(previous)),
    settings,
  );
}
