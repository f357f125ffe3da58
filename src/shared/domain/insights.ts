/**
 * Insights for the dashboard, the popup and the weekly report: a period's summary and its comparison with the period
 * before, the calendar heatmap, rising and falling hashtags, one tag's and one day's page, the own account's growth,
 * and chart axes. Pure aggregation over day records (docs/DATA_MODEL.md); periods and counted days: ./periods.ts.
 *
 * Definitions (the one place they are written):
 * - Averages divide by counted days (./periods.ts): the dates of the period from the first recorded date up to today.
 *   A period before any data has no average (null), and a comparison with it has no previous value (null).
 * - A change is current − previous (`delta`) and the relative change (current − previous) / previous (`ratio`:
 *   0.25 = 25 % more, −0.5 = half as much); `ratio` is null when previous is 0, `previous` null when the previous
 *   period has no counted day.
 * - Rising and falling hashtags compare the posts seen carrying each tag in two spans of days: a tag ranks only when it
 *   was seen at least `minCount` times over both together (so one post more of a rare tag is no trend); rising = seen
 *   more now, falling = seen less, each ordered by the size of the change, then by tag (code-point order).
 * - A count axis (followers, posts) never spans less than 10 % of its largest value, nor less than 10: a move from 180
 *   to 185 followers is drawn as the small change it is. Its ends are round numbers (multiples of 1, 2 or 5 × 10ⁿ)
 *   and it does not go below zero for counts that cannot.
 * - The account's growth over a week, month or period runs from the last count before it (or, with none, its first
 *   count) to its last count; days whose count could not be read are skipped; it is exact only when both counts were.
 * - The usual for a weekday is the median of that weekday's totals in the previous weeks since recording began.
 */

import type { DayRecord, DayTotalsRecord } from '../storage/records';
import { addDays } from './dates';
import {
  countedDays,
  datesOf,
  earlierDate,
  laterDate,
  monthEnd,
  monthStart,
  type Period,
  periodDays,
  weekStart,
} from './periods';
import { type AccountPoint, coOccurrence, firstRecordedDate, tagTrend } from './reports';
import { type Surface, surfaces } from './routes';

type Views = { posts: number; reels: number; stories: number };

export interface PeriodSummary {
  period: Period;
  /** Dates of the period since recording began, up to today: the divisor of the average. */
  countedDays: number;
  /** All attention time (active and passive). */
  totalMs: number;
  /** The passive part of `totalMs`. */
  passiveMs: number;
  /** totalMs / countedDays, whole ms; null when no day counts. */
  averageMs: number | null;
  /** Attention time per surface; surfaces without time left out. */
  surfaces: Partial<Record<Surface, number>>;
  /** Passive time per surface; surfaces without passive time left out. */
  passiveSurfaces: Partial<Record<Surface, number>>;
  views: Views;
  sessions: number;
}

function within(date: string, period: Period): boolean {
  return date >= period.start && date <= period.end;
}

function passiveOf(day: DayTotalsRecord): number {
  let sum = 0;
  for (const surface of surfaces) sum += day.passiveSurfaces[surface] ?? 0;
  return sum;
}

/** The figures of a period. `days`: day records of whatever dates (those outside the period are ignored). */
export function summarize(
  days: readonly DayTotalsRecord[],
  period: Period,
  firstRecorded: string | null,
  today: string,
): PeriodSummary {
  const counted = countedDays(period, firstRecorded, today);
  const summary: PeriodSummary = {
    period,
    countedDays: counted,
    totalMs: 0,
    passiveMs: 0,
    averageMs: null,
    surfaces: {},
    passiveSurfaces: {},
    views: { posts: 0, reels: 0, stories: 0 },
    sessions: 0,
  };
  for (const day of days) {
    if (!within(day.date, period)) continue;
    summary.totalMs += day.activeMs;
    summary.sessions += day.sessions;
    summary.views.posts += day.views.posts;
    summary.views.reels += day.views.reels;
    summary.views.stories += day.views.stories;
    for (const surface of surfaces) {
      const ms = day.surfaces[surface] ?? 0;
      if (ms > 0) summary.surfaces[surface] = (summary.surfaces[surface] ?? 0) + ms;
      const passive = day.passiveSurfaces[surface] ?? 0;
      if (passive > 0) {
        summary.passiveSurfaces[surface] = (summary.passiveSurfaces[surface] ?? 0) + passive;
        summary.passiveMs += passive;
      }
    }
  }
  if (counted > 0) summary.averageMs = Math.round(summary.totalMs / counted);
  return summary;
}

/** previous null when the previous period has no counted day; ratio (relative change) null when previous is 0. */
export interface Change {
  current: number;
  previous: number | null;
  delta: number | null;
  ratio: number | null;
}

export interface Comparison {
  totalMs: Change;
  averageMs: Change;
  passiveMs: Change;
  views: { posts: Change; reels: Change; stories: Change };
  /** Every surface with time in either period. */
  surfaces: Partial<Record<Surface, Change>>;
}

function change(current: number, previous: number | null): Change {
  if (previous === null) return { current, previous: null, delta: null, ratio: null };
  return {
    current,
    previous,
    delta: current - previous,
    ratio: previous === 0 ? null : (current - previous) / previous,
  };
}

/**
 * A period's figures against the period before (see the definitions at the top of this module). A current period
 * without counted day compares an average of 0.
 */
export function compare(current: PeriodSummary, previous: PeriodSummary): Comparison {
  const known = previous.countedDays > 0;
  const of = (now: number, before: number) => change(now, known ? before : null);
  const comparedSurfaces: Partial<Record<Surface, Change>> = {};
  for (const surface of surfaces) {
    const now = current.surfaces[surface];
    const before = previous.surfaces[surface];
    if (now === undefined && before === undefined) continue;
    comparedSurfaces[surface] = of(now ?? 0, before ?? 0);
  }
  return {
    totalMs: of(current.totalMs, previous.totalMs),
    averageMs: of(current.averageMs ?? 0, previous.averageMs ?? 0),
    passiveMs: of(current.passiveMs, previous.passiveMs),
    views: {
      posts: of(current.views.posts, previous.views.posts),
      reels: of(current.views.reels, previous.views.reels),
      stories: of(current.views.stories, previous.views.stories),
    },
    surfaces: comparedSurfaces,
  };
}

/** The first date with a day record (any activity), or null. */

// ——— calendar heatmap ———

export interface CalendarCell {
  date: string;
  ms: number;
}

/**
 * A calendar of the period: one column per week (Monday first) from the week of `start` to the week of `end`, seven
 * cells each; a cell is null outside the period or after today. `maxMs` is the largest cell, for scaling colours.
 */
export function calendarHeatmap(
  days: readonly DayTotalsRecord[],
  period: Period,
  today: string,
): { weeks: Array<Array<CalendarCell | null>>; maxMs: number } {
  const byDate = new Map<string, number>();
  for (const day of days) if (within(day.date, period)) byDate.set(day.date, day.activeMs);
  const weeks: Array<Array<CalendarCell | null>> = [];
  let maxMs = 0;
  const last = weekStart(period.end);
  for (let monday = weekStart(period.start); monday <= last; monday = addDays(monday, 7)) {
    const column: Array<CalendarCell | null> = [];
    for (let index = 0; index < 7; index++) {
      const date = addDays(monday, index);
      if (!within(date, period) || date > today) {
        column.push(null);
        continue;
      }
      const ms = byDate.get(date) ?? 0;
      if (ms > maxMs) maxMs = ms;
      column.push({ date, ms });
    }
    weeks.push(column);
  }
  return { weeks, maxMs };
}

// ——— hashtags ———

export interface TagChange {
  tag: string;
  current: number;
  previous: number;
  change: number;
}

const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function seenTotals(days: readonly DayRecord[]): Map<string, number> {
  const totals = new Map<string, number>();
  for (const day of days) {
    const seen = day.hashtags.seen;
    for (const tag in seen) totals.set(tag, (totals.get(tag) ?? 0) + (seen[tag] ?? 0));
  }
  return totals;
}

/**
 * Hashtags seen more (rising) and less (falling) in `current` days than in `previous` days. A tag ranks only if seen
 * at least `minCount` times (default 5) over both; each list is ordered by the size of the change, then by tag, and
 * holds at most `limit` (default 10).
 */
export function tagMovers(
  current: readonly DayRecord[],
  previous: readonly DayRecord[],
  options: { minCount?: number; limit?: number } = {},
): { rising: TagChange[]; falling: TagChange[] } {
  const { minCount = 5, limit = 10 } = options;
  const now = seenTotals(current);
  const before = seenTotals(previous);
  const rising: TagChange[] = [];
  const falling: TagChange[] = [];
  for (const tag of new Set([...now.keys(), ...before.keys()])) {
    const currentCount = now.get(tag) ?? 0;
    const previousCount = before.get(tag) ?? 0;
    if (currentCount + previousCount < minCount) continue;
    const row = { tag, current: currentCount, previous: previousCount, change: currentCount - previousCount };
    if (row.change > 0) rising.push(row);
    else if (row.change < 0) falling.push(row);
  }
  rising.sort((a, b) => b.change - a.change || byCodePoint(a.tag, b.tag));
  falling.sort((a, b) => a.change - b.change || byCodePoint(a.tag, b.tag));
  return { rising: rising.slice(0, Math.max(0, limit)), falling: falling.slice(0, Math.max(0, limit)) };
}

/**
 * One tag's page: its measures on each date of the period (zero where nothing), the tags most often seen on the same
 * posts (top `coLimit`, default 10), the dates it was seen, and its totals.
 */
export function tagDetail(
  days: readonly DayRecord[],
  tag: string,
  period: Period,
  options: { coLimit?: number } = {},
): {
  trend: Array<{ date: string; seen: number; used: number; pageMs: number }>;
  coTags: Array<{ tag: string; count: number }>;
  datesSeen: string[];
  totalSeen: number;
  totalUsed: number;
} {
  const { coLimit = 10 } = options;
  const inPeriod = days.filter((day) => within(day.date, period));
  const byDate = new Map(tagTrend(inPeriod, tag).map((point) => [point.date, point]));
  const trend = datesOf(period).map((date) => byDate.get(date) ?? { date, seen: 0, used: 0, pageMs: 0 });
  let totalSeen = 0;
  let totalUsed = 0;
  const datesSeen: string[] = [];
  for (const point of trend) {
    totalSeen += point.seen;
    totalUsed += point.used;
    if (point.seen > 0) datesSeen.push(point.date);
  }
  const coTags = coOccurrence(inPeriod, tag, coLimit).map((pair) => ({ tag: pair.b, count: pair.count }));
  return { trend, coTags, datesSeen, totalSeen, totalUsed };
}

// ——— the own account ———

export type AccountMeasure = 'followers' | 'following' | 'posts';

export interface GrowthRow {
  /** The calendar week or month (or period) the row is about. */
  start: string;
  end: string;
  /** The count the change starts from: the last one before `start`, or else the first one in the span. */
  from: number;
  /** The last count in the span. */
  to: number;
  change: number;
  /** False when either count was rounded as Instagram showed it ("12.4K"): the change is then approximate. */
  exact: boolean;
  /** The dates of the two counts compared. */
  fromDate: string;
  toDate: string;
}

interface CountAt {
  date: string;
  value: number;
  exact: boolean;
}

function countsOf(points: readonly AccountPoint[], measure: AccountMeasure): CountAt[] {
  const counts: CountAt[] = [];
  for (const point of points) {
    const count = point[measure];
    if (count) counts.push({ date: point.date, value: count.value, exact: count.exact });
  }
  return counts.sort((a, b) => byCodePoint(a.date, b.date));
}

function growthRow(start: string, end: string, from: CountAt, to: CountAt): GrowthRow {
  return {
    start,
    end,
    from: from.value,
    to: to.value,
    change: to.value - from.value,
    exact: from.exact && to.exact,
    fromDate: from.date,
    toDate: to.date,
  };
}

/**
 * The change of a count over a span: from the last count before the span (or, with none, the first in it) to the last
 * in it. Null when the span holds no count, or only the one it would start from (nothing to compare).
 */
function spanChange(counts: readonly CountAt[], start: string, end: string): GrowthRow | null {
  let before: CountAt | undefined;
  let first: CountAt | undefined;
  let last: CountAt | undefined;
  for (const count of counts) {
    if (count.date < start) before = count;
    else if (count.date <= end) {
      first ??= count;
      last = count;
    }
  }
  const from = before ?? first;
  if (!from || !last || from === last) return null;
  return growthRow(start, end, from, last);
}

/**
 * The net change of a count per calendar week (Monday–Sunday) or month, oldest first, from an account's series
 * (reports.ts accountSeries). Days whose count could not be read are skipped; a span without a count has no row, nor
 * has the first span when it holds a single count (there is nothing before it to compare with).
 */
export function accountGrowth(
  points: readonly AccountPoint[],
  measure: AccountMeasure,
  by: 'week' | 'month',
): GrowthRow[] {
  const counts = countsOf(points, measure);
  const rows: GrowthRow[] = [];
  let previous: CountAt | undefined;
  let index = 0;
  while (index < counts.length) {
    const first = counts[index] as CountAt;
    const start = by === 'week' ? weekStart(first.date) : monthStart(first.date);
    const end = by === 'week' ? addDays(start, 6) : monthEnd(start);
    let last = first;
    while (index < counts.length && (counts[index] as CountAt).date <= end) last = counts[index++] as CountAt;
    const from = previous ?? first;
    if (from !== last) rows.push(growthRow(start, end, from, last));
    previous = last;
  }
  return rows;
}

/** The net change of a count over a period (see accountGrowth); null when there is nothing to compare. */
export function periodChange(
  points: readonly AccountPoint[],
  measure: AccountMeasure,
  period: Period,
): GrowthRow | null {
  return spanChange(countsOf(points, measure), period.start, period.end);
}

// ——— chart axes ———

/** The round step (1, 2 or 5 × 10ⁿ) nearest above `rough`. */
function niceStep(rough: number): number {
  if (!(rough > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(rough));
  for (const multiple of [1, 2, 5, 10]) if (multiple * power >= rough) return multiple * power;
  return 10 * power;
}

/** The smallest span a count axis shows, so small moves of large counts stay small on screen. */
const minimumCountSpan = 10;

/**
 * An axis [min, max] for counts that does not make 180 → 185 look like a surge: the values' range widened around its
 * middle to at least 10 % of the largest value and at least 10, kept at or above zero for non-negative values, and
 * rounded outward to a round step (about five ticks).
 */
export function countAxisRange(values: readonly number[]): [number, number] {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return [0, minimumCountSpan];
  let low = Math.min(...finite);
  let high = Math.max(...finite);
  const span = Math.max(high - low, Math.abs(high) * 0.1, Math.abs(low) * 0.1, minimumCountSpan);
  const middle = (low + high) / 2;
  low = middle - span / 2;
  high = middle + span / 2;
  if (low < 0 && Math.min(...finite) >= 0) {
    high -= low;
    low = 0;
  }
  const step = niceStep(span / 5);
  return [Math.floor(low / step) * step, Math.ceil(high / step) * step];
}

const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;
const durationSteps = [
  minute,
  2 * minute,
  5 * minute,
  10 * minute,
  15 * minute,
  30 * minute,
  hour,
  2 * hour,
  3 * hour,
  4 * hour,
  6 * hour,
  12 * hour,
  day,
];

/**
 * A round step for a duration axis: the smallest of 1, 2, 5, 10, 15, 30 min, 1, 2, 3, 4, 6, 12 h, 1 day with which
 * `ticks` steps (default 4) reach `maxMs`; beyond that, whole days.
 */
export function durationStep(maxMs: number, ticks = 4): number {
  const count = Math.max(1, Math.floor(ticks));
  if (!(maxMs > 0)) return minute;
  for (const step of durationSteps) if (step * count >= maxMs) return step;
  return Math.ceil(maxMs / count / day) * day;
}

// ——— long periods ———

/**
 * Daily totals bucketed into calendar weeks (Monday start) for long periods, oldest first, cut at the period's ends.
 * `days` is the number of the bucket's dates that count: with `counted`, those since recording began up to today
 * (./periods.ts countedDays), so ms / days is the week's daily average; without, every date of the bucket.
 */
export function weeklyTotals(
  days: readonly DayTotalsRecord[],
  period: Period,
  counted?: { firstRecorded: string | null; today: string },
): Array<{ start: string; end: string; ms: number; days: number }> {
  const buckets: Array<{ start: string; end: string; ms: number; days: number }> = [];
  const firstMonday = weekStart(period.start);
  for (let monday = firstMonday; monday <= period.end; monday = addDays(monday, 7)) {
    const start = laterDate(monday, period.start);
    const end = earlierDate(addDays(monday, 6), period.end);
    const bucket = { start, end };
    buckets.push({
      start,
      end,
      ms: 0,
      days: counted ? countedDays(bucket, counted.firstRecorded, counted.today) : periodDays(bucket),
    });
  }
  for (const record of days) {
    if (!within(record.date, period)) continue;
    const daysIn = periodDays({ start: firstMonday, end: record.date }) - 1;
    const bucket = buckets[Math.floor(daysIn / 7)];
    if (bucket) bucket.ms += record.activeMs;
  }
  return buckets;
}

// ——— the popup ———

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2
    ? (sorted[middle] as number)
    : Math.round(((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2);
}

/**
 * The usual total for today's weekday: the median of the same weekday's totals over the previous `weeks` weeks
 * (default 8), counting only dates since recording began (a date since then without a record counts as zero); null
 * when none. `firstRecorded` defaults to the first date among `days`; pass the true one when `days` holds only some
 * records (e.g. just the same weekdays).
 */
export function usualForWeekday(
  days: readonly DayTotalsRecord[],
  today: string,
  weeks = 8,
  firstRecorded: string | null = firstRecordedDate(days),
): number | null {
  if (firstRecorded === null) return null;
  const byDate = new Map<string, number>();
  for (const record of days) byDate.set(record.date, record.activeMs);
  const totals: number[] = [];
  for (let back = 1; back <= weeks; back++) {
    const date = addDays(today, -7 * back);
    if (date < firstRecorded) break;
    totals.push(byDate.get(date) ?? 0);
  }
  return median(totals);
}

// ——— a day's page ———

function tagList(record: Record<string, number>): Array<{ tag: string; count: number }> {
  return Object.entries(record)
    .filter(([, count]) => count > 0)
    .map(([tag, count]) => ({ tag, count }))
    .sort((a, b) => b.count - a.count || byCodePoint(a.tag, b.tag));
}

/**
 * A day's page: its figures, surfaces most time first (without time left out), tags most first (ties A→Z); every
 * figure zero for a day without record.
 */
export function dayDetail(
  record: DayRecord | undefined,
  date: string,
): {
  date: string;
  totalMs: number;
  passiveMs: number;
  hours: number[];
  surfaces: Array<{ surface: Surface; ms: number; passiveMs: number }>;
  views: Views;
  sessions: number;
  tagsSeen: Array<{ tag: string; count: number }>;
  tagsUsed: Array<{ tag: string; count: number }>;
} {
  const hours = Array.from({ length: 24 }, (_, index) => record?.hours[index] ?? 0);
  if (!record) {
    return {
      date,
      totalMs: 0,
      passiveMs: 0,
      hours,
      surfaces: [],
      views: { posts: 0, reels: 0, stories: 0 },
      sessions: 0,
      tagsSeen: [],
      tagsUsed: [],
    };
  }
  return {
    date,
    totalMs: record.activeMs,
    passiveMs: passiveOf(record),
    hours,
    surfaces: surfaces
      .map((surface) => ({
        surface,
        ms: record.surfaces[surface] ?? 0,
        passiveMs: record.passiveSurfaces[surface] ?? 0,
      }))
      .filter((entry) => entry.ms > 0)
      .sort((a, b) => b.ms - a.ms),
    views: { ...record.views },
    sessions: record.sessions,
    tagsSeen: tagList(record.hashtags.seen),
    tagsUsed: tagList(record.hashtags.used),
  };
}
