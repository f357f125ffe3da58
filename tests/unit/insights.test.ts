import { describe, expect, it } from 'vitest';
import { addDays } from '../../src/shared/domain/dates';
import {
  accountGrowth,
  calendarHeatmap,
  compare,
  countAxisRange,
  dayDetail,
  durationStep,
  periodChange,
  summarize,
  tagDetail,
  tagMovers,
  usualForWeekday,
  weeklyTotals,
} from '../../src/shared/domain/insights';
import { datesOf, previousPeriod, resolvePeriod } from '../../src/shared/domain/periods';
import { type AccountPoint, firstRecordedDate } from '../../src/shared/domain/reports';
import type { DayRecord } from '../../src/shared/storage/records';
import { makeDay } from './helpers/records';

const minute = 60_000;
const hour = 60 * minute;

/** A day with time on the feed and on reels, `passiveReels` of the reels time passive. */
function mixedDay(date: string, feedMs: number, reelsMs: number, passiveReels = 0): DayRecord {
  const day = makeDay(date, feedMs + reelsMs);
  return {
    ...day,
    surfaces: { ...day.surfaces, feed: feedMs, reels: reelsMs },
    passiveSurfaces: passiveReels > 0 ? { reels: passiveReels } : {},
  };
}

/** One day per date from `first`, each `ms` long. */
function daysFrom(first: string, count: number, ms: number): DayRecord[] {
  return Array.from({ length: count }, (_, index) => makeDay(addDays(first, index), ms));
}

function withSeen(date: string, seen: Record<string, number>, extra: Partial<DayRecord> = {}): DayRecord {
  return makeDay(date, 60_000, { hashtags: { seen, used: {} }, hashtagPageMs: {}, hashtagPairs: {}, ...extra });
}

describe('averages count only the days since recording began', () => {
  // Issue 14: a week of use showed 13 min a day in the 30-day view instead of 58.
  const today = '2026-12-02';
  const week = daysFrom('2026-11-26', 7, 58 * minute);
  const first = firstRecordedDate(week);

  it('a week of 58 min a day averages 58 min in the 30-day view, not 13', () => {
    const last30 = resolvePeriod('last-30', today);
    const summary = summarize(week, last30, first, today);
    expect(summary.countedDays).toBe(7);
    expect(summary.totalMs).toBe(7 * 58 * minute);
    expect(summary.averageMs).toBe(58 * minute);
    // The old rule (every date of the range counts) gave 13.5 minutes.
    expect(Math.floor(summary.totalMs / datesOf(last30).length / minute)).toBe(13);
  });

  it('gives the same figure in the 7, 30, 90 and 365-day views', () => {
    for (const kind of ['last-7', 'last-30', 'last-90', 'last-365'] as const) {
      const period = resolvePeriod(kind, today);
      expect(summarize(week, period, first, today).averageMs).toBe(58 * minute);
    }
  });

  it('a date since recording began without a record counts as zero', () => {
    const days = [makeDay('2026-11-30', 90 * minute), makeDay('2026-12-02', 30 * minute)];
    const summary = summarize(days, resolvePeriod('last-7', today), '2026-11-30', today);
    expect(summary.countedDays).toBe(3);
    expect(summary.averageMs).toBe(40 * minute);
  });
});

describe('summarize', () => {
  const today = '2026-12-02';

  it('sums time, passive time, surfaces, views and sessions of the period’s days only', () => {
    const days = [
      mixedDay('2026-11-29', 10 * minute, 20 * minute, 5 * minute),
      mixedDay('2026-11-30', 0, 40 * minute, 30 * minute),
      mixedDay('2026-12-01', 15 * minute, 0),
      mixedDay('2026-11-22', 99 * minute, 99 * minute, 99 * minute), // the week before
    ];
    const summary = summarize(days, resolvePeriod('last-7', today), '2026-11-01', today);
    expect(summary).toEqual({
      period: { start: '2026-11-26', end: today },
      countedDays: 7,
      totalMs: 85 * minute,
      passiveMs: 35 * minute,
      averageMs: Math.round((85 * minute) / 7),
      surfaces: { feed: 25 * minute, reels: 60 * minute },
      passiveSurfaces: { reels: 35 * minute },
      views: { posts: 36, reels: 9, stories: 12 },
      sessions: 3,
    });
  });

  it('a period before any data has no counted day and no average', () => {
    const days = daysFrom('2026-11-26', 7, 10 * minute);
    const summary = summarize(days, { start: '2026-10-01', end: '2026-10-31' }, '2026-11-26', today);
    expect(summary.countedDays).toBe(0);
    expect(summary.averageMs).toBeNull();
    expect(summary.totalMs).toBe(0);
    expect(summary.surfaces).toEqual({});
  });

  it('nothing recorded yet: no average anywhere', () => {
    const summary = summarize([], resolvePeriod('last-30', today), null, today);
    expect(summary.countedDays).toBe(0);
    expect(summary.averageMs).toBeNull();
  });

  it('a partial first week averages over the days since recording began', () => {
    // Recording began on Thursday 2026-11-26; this week is Monday 11-23 to Sunday 11-29.
    const days = daysFrom('2026-11-26', 4, 20 * minute);
    const summary = summarize(days, resolvePeriod('this-week', '2026-11-29'), '2026-11-26', '2026-11-29');
    expect(summary.countedDays).toBe(4);
    expect(summary.averageMs).toBe(20 * minute);
  });

  it('this week and this month count no future date', () => {
    const days = daysFrom('2026-11-01', 32, 12 * minute);
    const week = summarize(days, { start: '2026-11-30', end: '2026-12-06' }, '2026-11-01', today);
    expect(week.countedDays).toBe(3);
    expect(week.averageMs).toBe(12 * minute);
    const month = summarize(days, resolvePeriod('this-month', today), '2026-11-01', today);
    expect(month.countedDays).toBe(2);
    expect(month.averageMs).toBe(12 * minute);
  });

  it.each([
    ['2026-03-29', 'Europe, clocks forward'],
    ['2026-10-25', 'Europe, clocks back'],
    ['2026-03-08', 'the US, clocks forward'],
  ])('a week ending %s (%s) holds seven days of data', (sunday) => {
    const days = daysFrom(addDays(sunday, -13), 14, 30 * minute);
    const week = resolvePeriod('this-week', sunday);
    const summary = summarize(days, week, days[0]?.date ?? null, sunday);
    expect(summary.countedDays).toBe(7);
    expect(summary.totalMs).toBe(7 * 30 * minute);
    expect(summary.averageMs).toBe(30 * minute);
    const previous = summarize(days, previousPeriod('this-week', week), days[0]?.date ?? null, sunday);
    expect(previous.totalMs).toBe(7 * 30 * minute);
  });

  it('a leap February averages over 29 days', () => {
    const days = daysFrom('2028-02-01', 29, 29 * minute);
    const summary = summarize(days, resolvePeriod('last-month', '2028-03-10'), '2028-01-01', '2028-03-10');
    expect(summary.period).toEqual({ start: '2028-02-01', end: '2028-02-29' });
    expect(summary.countedDays).toBe(29);
    expect(summary.averageMs).toBe(29 * minute);
  });
});

describe('compare', () => {
  const today = '2026-12-02';

  it('gives the change and the relative change of every figure', () => {
    const days = [
      mixedDay('2026-11-19', 10 * minute, 30 * minute, 10 * minute),
      mixedDay('2026-11-26', 20 * minute, 40 * minute, 20 * minute),
      mixedDay('2026-11-27', 0, 0),
    ];
    const current = summarize(days, resolvePeriod('last-7', today), '2026-11-01', today);
    const previous = summarize(days, previousPeriod('last-7', current.period), '2026-11-01', today);
    const comparison = compare(current, previous);
    expect(comparison.totalMs).toEqual({ current: 60 * minute, previous: 40 * minute, delta: 20 * minute, ratio: 0.5 });
    expect(comparison.passiveMs).toEqual({ current: 20 * minute, previous: 10 * minute, delta: 10 * minute, ratio: 1 });
    expect(comparison.averageMs.ratio).toBeCloseTo(0.5);
    expect(comparison.views.posts).toEqual({ current: 24, previous: 12, delta: 12, ratio: 1 });
    expect(comparison.surfaces.feed).toEqual({
      current: 20 * minute,
      previous: 10 * minute,
      delta: 10 * minute,
      ratio: 1,
    });
    expect(comparison.surfaces.reels?.ratio).toBeCloseTo(1 / 3);
    expect(comparison.surfaces.stories).toBeUndefined();
  });

  it('a surface used only before falls to zero; one new now has no ratio', () => {
    const current = summarize(
      [mixedDay('2026-12-01', 0, 10 * minute)],
      resolvePeriod('last-7', today),
      '2026-11-01',
      today,
    );
    const previous = summarize(
      [mixedDay('2026-11-20', 10 * minute, 0)],
      { start: '2026-11-19', end: '2026-11-25' },
      '2026-11-01',
      today,
    );
    const comparison = compare(current, previous);
    expect(comparison.surfaces.feed).toEqual({ current: 0, previous: 10 * minute, delta: -10 * minute, ratio: -1 });
    expect(comparison.surfaces.reels).toEqual({ current: 10 * minute, previous: 0, delta: 10 * minute, ratio: null });
  });

  it('the previous period before any data has no previous value', () => {
    const days = daysFrom('2026-11-28', 5, 20 * minute);
    const current = summarize(days, resolvePeriod('last-7', today), '2026-11-28', today);
    const previous = summarize(days, previousPeriod('last-7', current.period), '2026-11-28', today);
    expect(previous.countedDays).toBe(0);
    const comparison = compare(current, previous);
    expect(comparison.totalMs).toEqual({ current: 100 * minute, previous: null, delta: null, ratio: null });
    expect(comparison.averageMs).toEqual({ current: 20 * minute, previous: null, delta: null, ratio: null });
    expect(comparison.views.reels.previous).toBeNull();
    expect(comparison.surfaces.feed?.previous).toBeNull();
  });

  it('a previous period partly recorded compares averages over its counted days', () => {
    // Recording began on Saturday 11-21; last week (Mon 11-16 … Sun 11-22) counts two days.
    const days = [
      makeDay('2026-11-21', 60 * minute),
      makeDay('2026-11-22', 60 * minute),
      ...daysFrom('2026-11-23', 7, 30 * minute),
    ];
    const first = firstRecordedDate(days);
    const current = summarize(days, resolvePeriod('last-week', '2026-12-02'), first, today);
    const previous = summarize(days, previousPeriod('last-week', current.period), first, today);
    expect(previous.countedDays).toBe(2);
    const comparison = compare(current, previous);
    expect(comparison.averageMs).toEqual({
      current: 30 * minute,
      previous: 60 * minute,
      delta: -30 * minute,
      ratio: -0.5,
    });
    expect(comparison.totalMs).toEqual({
      current: 210 * minute,
      previous: 120 * minute,
      delta: 90 * minute,
      ratio: 0.75,
    });
  });

  it('a partial week is compared with the same weekdays of the week before', () => {
    const days = daysFrom('2026-11-16', 17, 10 * minute);
    const current = summarize(days, resolvePeriod('this-week', today), '2026-11-16', today);
    const previous = summarize(days, previousPeriod('this-week', current.period), '2026-11-16', today);
    expect(previous.period).toEqual({ start: '2026-11-23', end: '2026-11-25' });
    expect(compare(current, previous).totalMs).toEqual({
      current: 30 * minute,
      previous: 30 * minute,
      delta: 0,
      ratio: 0,
    });
  });

  it('this month so far against the same days of last month', () => {
    const days = daysFrom('2026-11-01', 32, 10 * minute);
    const current = summarize(days, resolvePeriod('this-month', today), '2026-11-01', today);
    const previous = summarize(days, previousPeriod('this-month', current.period), '2026-11-01', today);
    expect(previous.period).toEqual({ start: '2026-11-01', end: '2026-11-02' });
    expect(compare(current, previous).totalMs.delta).toBe(0);
  });
});

describe('firstRecordedDate', () => {
  it('is the earliest date in any order, or null', () => {
    expect(firstRecordedDate([makeDay('2026-11-05'), makeDay('2026-10-31'), makeDay('2026-12-01')])).toBe('2026-10-31');
    expect(firstRecordedDate([])).toBeNull();
  });
});

describe('calendarHeatmap', () => {
  it('lays the last 30 days out in Monday-first weeks, empty cells outside the period', () => {
    // 2026-11-03 (Tuesday) … 2026-12-02 (Wednesday).
    const days = [
      makeDay('2026-11-03', 5 * minute),
      makeDay('2026-11-20', 50 * minute),
      makeDay('2026-10-30', 500 * minute),
    ];
    const { weeks, maxMs } = calendarHeatmap(days, resolvePeriod('last-30', '2026-12-02'), '2026-12-02');
    expect(weeks).toHaveLength(5);
    for (const week of weeks) expect(week).toHaveLength(7);
    expect(weeks[0]?.[0]).toBeNull();
    expect(weeks[0]?.[1]).toEqual({ date: '2026-11-03', ms: 5 * minute });
    expect(weeks[2]?.[4]).toEqual({ date: '2026-11-20', ms: 50 * minute });
    expect(weeks[4]?.slice(0, 3)).toEqual([
      { date: '2026-11-30', ms: 0 },
      { date: '2026-12-01', ms: 0 },
      { date: '2026-12-02', ms: 0 },
    ]);
    expect(weeks[4]?.slice(3)).toEqual([null, null, null, null]);
    expect(weeks.flat().filter((cell) => cell !== null)).toHaveLength(30);
    // The day outside the period does not set the scale.
    expect(maxMs).toBe(50 * minute);
  });

  it('leaves future dates of this month empty', () => {
    const { weeks } = calendarHeatmap([], { start: '2026-12-01', end: '2026-12-31' }, '2026-12-02');
    const cells = weeks.flat().filter((cell) => cell !== null);
    expect(cells.map((cell) => cell?.date)).toEqual(['2026-12-01', '2026-12-02']);
    expect(weeks).toHaveLength(5);
  });

  it('keeps DST weeks seven cells long', () => {
    const { weeks } = calendarHeatmap(
      daysFrom('2026-03-23', 7, minute),
      { start: '2026-03-23', end: '2026-03-29' },
      '2026-04-01',
    );
    expect(weeks).toEqual([datesOf({ start: '2026-03-23', end: '2026-03-29' }).map((date) => ({ date, ms: minute }))]);
  });
});

describe('tagMovers', () => {
  const current = [
    withSeen('2026-11-30', { sourdough: 10, café: 2, kimchi: 4 }),
    withSeen('2026-12-01', { sourdough: 5, matcha: 6 }),
  ];
  const previous = [withSeen('2026-11-23', { sourdough: 5, café: 9, kimchi: 1, rye: 3, matcha: 1 })];

  it('ranks tags seen more and seen less, biggest change first', () => {
    const { rising, falling } = tagMovers(current, previous);
    expect(rising).toEqual([
      { tag: 'sourdough', current: 15, previous: 5, change: 10 },
      { tag: 'matcha', current: 6, previous: 1, change: 5 },
      { tag: 'kimchi', current: 4, previous: 1, change: 3 },
    ]);
    expect(falling).toEqual([{ tag: 'café', current: 2, previous: 9, change: -7 }]);
  });

  it('leaves out tags seen fewer than minCount times in both spans together', () => {
    // By default (5), kimchi (4 + 1) ranks and rye (0 + 3) does not.
    expect(tagMovers(current, previous).falling.map((row) => row.tag)).not.toContain('rye');
    expect(tagMovers(current, previous, { minCount: 6 }).rising.map((row) => row.tag)).toEqual(['sourdough', 'matcha']);
    const lower = tagMovers(current, previous, { minCount: 3 });
    expect(lower.rising.map((row) => row.tag)).toEqual(['sourdough', 'matcha', 'kimchi']);
    expect(lower.falling.map((row) => row.tag)).toEqual(['café', 'rye']);
    const higher = tagMovers(current, previous, { minCount: 12 });
    expect(higher.rising.map((row) => row.tag)).toEqual(['sourdough']);
    expect(higher.falling).toEqual([]);
  });

  it('breaks ties by tag and keeps at most `limit` per list', () => {
    const now = [withSeen('2026-12-01', { b: 4, a: 4, c: 4, d: 1 })];
    const before = [withSeen('2026-11-24', { d: 5 })];
    const { rising, falling } = tagMovers(now, before, { minCount: 1, limit: 2 });
    expect(rising.map((row) => row.tag)).toEqual(['a', 'b']);
    expect(falling).toEqual([{ tag: 'd', current: 1, previous: 5, change: -4 }]);
  });

  it('has nothing to say without data, and nothing for unchanged tags', () => {
    expect(tagMovers([], [])).toEqual({ rising: [], falling: [] });
    expect(tagMovers(previous, previous, { minCount: 1 })).toEqual({ rising: [], falling: [] });
  });
});

describe('tagDetail', () => {
  it('gives the trend for every date, the tags seen with it, and the dates it was seen', () => {
    const days = [
      withSeen(
        '2026-11-28',
        { sourdough: 3, rye: 2 },
        { hashtagPageMs: { sourdough: 40_000 }, hashtagPairs: { 'rye sourdough': 2 } },
      ),
      withSeen(
        '2026-11-30',
        { sourdough: 1, levain: 1 },
        {
          hashtags: { seen: { sourdough: 1, levain: 1 }, used: { sourdough: 1 } },
          hashtagPairs: { 'levain sourdough': 1, 'levain rye': 4 },
        },
      ),
      withSeen('2026-11-10', { sourdough: 50 }, { hashtagPairs: { 'bread sourdough': 50 } }), // outside
    ];
    const detail = tagDetail(days, 'sourdough', { start: '2026-11-27', end: '2026-12-01' });
    expect(detail.trend).toEqual([
      { date: '2026-11-27', seen: 0, used: 0, pageMs: 0 },
      { date: '2026-11-28', seen: 3, used: 0, pageMs: 40_000 },
      { date: '2026-11-29', seen: 0, used: 0, pageMs: 0 },
      { date: '2026-11-30', seen: 1, used: 1, pageMs: 0 },
      { date: '2026-12-01', seen: 0, used: 0, pageMs: 0 },
    ]);
    expect(detail.coTags).toEqual([
      { tag: 'rye', count: 2 },
      { tag: 'levain', count: 1 },
    ]);
    expect(detail.datesSeen).toEqual(['2026-11-28', '2026-11-30']);
    expect(detail.totalSeen).toBe(4);
    expect(detail.totalUsed).toBe(1);
    expect(tagDetail(days, 'sourdough', { start: '2026-11-27', end: '2026-12-01' }, { coLimit: 1 }).coTags).toEqual([
      { tag: 'rye', count: 2 },
    ]);
  });

  it('a tag never met: zeros on every date', () => {
    const detail = tagDetail([withSeen('2026-11-28', { rye: 1 })], 'constructor', {
      start: '2026-11-28',
      end: '2026-11-29',
    });
    expect(detail.trend.every((point) => point.seen === 0 && point.used === 0 && point.pageMs === 0)).toBe(true);
    expect(detail).toMatchObject({ coTags: [], datesSeen: [], totalSeen: 0, totalUsed: 0 });
  });
});

describe('account growth', () => {
  function point(date: string, followers: number | null, exact = true): AccountPoint {
    return {
      date,
      observedAt: Date.parse(`${date}T18:00:00Z`),
      followers: followers === null ? null : { value: followers, exact },
      following: { value: 300, exact: true },
      posts: null,
    };
  }

  const series = [
    point('2026-11-04', 180), // Wednesday, week of 11-02
    point('2026-11-06', 183),
    point('2026-11-10', 181), // week of 11-09
    point('2026-11-12', null), // unreadable: skipped
    point('2026-11-24', 190), // week of 11-23 (11-16 week has no count)
    point('2026-12-01', 12_400, false), // week of 11-30, rounded
  ];

  it('gives the net change per Monday week, from the last count before it', () => {
    expect(accountGrowth(series, 'followers', 'week')).toEqual([
      {
        start: '2026-11-02',
        end: '2026-11-08',
        from: 180,
        to: 183,
        change: 3,
        exact: true,
        fromDate: '2026-11-04',
        toDate: '2026-11-06',
      },
      {
        start: '2026-11-09',
        end: '2026-11-15',
        from: 183,
        to: 181,
        change: -2,
        exact: true,
        fromDate: '2026-11-06',
        toDate: '2026-11-10',
      },
      {
        start: '2026-11-23',
        end: '2026-11-29',
        from: 181,
        to: 190,
        change: 9,
        exact: true,
        fromDate: '2026-11-10',
        toDate: '2026-11-24',
      },
      {
        start: '2026-11-30',
        end: '2026-12-06',
        from: 190,
        to: 12_400,
        change: 12_210,
        exact: false,
        fromDate: '2026-11-24',
        toDate: '2026-12-01',
      },
    ]);
  });

  it('gives the net change per month', () => {
    const rows = accountGrowth(series, 'followers', 'month');
    expect(rows.map(({ start, end, from, to, change, exact }) => ({ start, end, from, to, change, exact }))).toEqual([
      { start: '2026-11-01', end: '2026-11-30', from: 180, to: 190, change: 10, exact: true },
      { start: '2026-12-01', end: '2026-12-31', from: 190, to: 12_400, change: 12_210, exact: false },
    ]);
  });

  it('has no row for a single first count or a measure never read', () => {
    expect(accountGrowth([point('2026-11-04', 180)], 'followers', 'week')).toEqual([]);
    expect(accountGrowth(series, 'posts', 'month')).toEqual([]);
    // A steady count is a row with no change.
    expect(accountGrowth(series, 'following', 'month').map((row) => row.change)).toEqual([0, 0]);
  });

  it('gives the change over a period, from the last count before it', () => {
    expect(periodChange(series, 'followers', { start: '2026-11-09', end: '2026-11-30' })).toEqual({
      start: '2026-11-09',
      end: '2026-11-30',
      from: 183,
      to: 190,
      change: 7,
      exact: true,
      fromDate: '2026-11-06',
      toDate: '2026-11-24',
    });
    // Nothing before the period: from its first count.
    expect(periodChange(series, 'followers', { start: '2026-10-01', end: '2026-11-07' })?.change).toBe(3);
    // No count in the period, or only one and nothing before: nothing to compare.
    expect(periodChange(series, 'followers', { start: '2026-11-16', end: '2026-11-22' })).toBeNull();
    expect(periodChange(series, 'followers', { start: '2026-11-01', end: '2026-11-04' })).toBeNull();
    expect(periodChange([], 'followers', { start: '2026-11-01', end: '2026-11-30' })).toBeNull();
  });
});

describe('countAxisRange', () => {
  it('does not make 180 → 185 look like a surge', () => {
    const [low, high] = countAxisRange([180, 182, 185]);
    expect([low, high]).toEqual([170, 195]);
    expect((185 - 180) / (high - low)).toBeLessThanOrEqual(0.25);
  });

  it.each([
    [[], [0, 10]],
    [[0], [0, 10]],
    [
      [0, 3],
      [0, 10],
    ],
    [
      [2, 3],
      [0, 10],
    ],
    [
      [0, 1000],
      [0, 1000],
    ],
    [[1000], [940, 1060]],
    [
      [12_437, 12_500],
      [11_500, 13_500],
    ],
    [
      [40, 400],
      [0, 400],
    ],
  ])('%j gets the axis %j', (values, axis) => {
    expect(countAxisRange(values)).toEqual(axis);
  });

  it('always holds every value, with round ends', () => {
    for (const values of [[7], [99, 101], [5_000, 5_010], [123_456, 124_000], [1, 2, 3, 70]]) {
      const [low, high] = countAxisRange(values);
      expect(low).toBeLessThanOrEqual(Math.min(...values));
      expect(high).toBeGreaterThanOrEqual(Math.max(...values));
      expect(low).toBeGreaterThanOrEqual(0);
      expect(high - low).toBeGreaterThanOrEqual(Math.max(10, Math.max(...values) * 0.1));
    }
  });

  it('handles negative values (changes) around zero', () => {
    const [low, high] = countAxisRange([-3, 4]);
    expect(low).toBeLessThanOrEqual(-3);
    expect(high).toBeGreaterThanOrEqual(4);
    expect(high - low).toBeGreaterThanOrEqual(10);
  });
});

describe('durationStep', () => {
  it.each([
    [0, 4, minute],
    [3 * minute, 4, minute],
    [10 * minute, 4, 5 * minute],
    [50 * minute, 4, 15 * minute],
    [2 * hour, 4, 30 * minute],
    [5 * hour, 4, 2 * hour],
    [11 * hour, 4, 3 * hour],
    [30 * hour, 4, 12 * hour],
    [3 * 24 * hour, 4, 24 * hour],
    [10 * 24 * hour, 4, 3 * 24 * hour],
    [2 * hour, 2, hour],
    [2 * hour, 8, 15 * minute],
  ])('%i ms over %i ticks: a step of %i ms', (max, ticks, step) => {
    expect(durationStep(max, ticks)).toBe(step);
  });

  it('defaults to four ticks', () => {
    expect(durationStep(2 * hour)).toBe(30 * minute);
  });
});

describe('weeklyTotals', () => {
  it('buckets a long period into Monday weeks, cut at its ends', () => {
    const today = '2026-12-02';
    const period = resolvePeriod('last-365', today); // Wednesday 2025-12-03 … Wednesday 2026-12-02
    const days = [
      makeDay('2025-12-04', minute),
      makeDay('2025-12-07', minute),
      makeDay('2025-12-08', 2 * minute),
      makeDay(today, 3 * minute),
      makeDay('2025-12-01', hour),
    ];
    const weeks = weeklyTotals(days, period);
    expect(weeks[0]).toEqual({ start: '2025-12-03', end: '2025-12-07', ms: 2 * minute, days: 5 });
    expect(weeks[1]).toEqual({ start: '2025-12-08', end: '2025-12-14', ms: 2 * minute, days: 7 });
    expect(weeks.at(-1)).toEqual({ start: '2026-11-30', end: today, ms: 3 * minute, days: 3 });
    expect(weeks.reduce((sum, week) => sum + week.days, 0)).toBe(365);
    expect(weeks.reduce((sum, week) => sum + week.ms, 0)).toBe(7 * minute);
    expect(weeks).toHaveLength(53);
  });

  it('counts only days since recording began when told', () => {
    const period = { start: '2026-09-01', end: '2026-12-02' };
    const weeks = weeklyTotals(daysFrom('2026-11-26', 7, 10 * minute), period, {
      firstRecorded: '2026-11-26',
      today: '2026-12-02',
    });
    expect(weeks.filter((week) => week.days > 0)).toEqual([
      { start: '2026-11-23', end: '2026-11-29', ms: 40 * minute, days: 4 },
      { start: '2026-11-30', end: '2026-12-02', ms: 30 * minute, days: 3 },
    ]);
  });
});

describe('usualForWeekday', () => {
  // 2026-12-02 is a Wednesday.
  const today = '2026-12-02';
  const wednesdays = (count: number, ms: (index: number) => number) =>
    Array.from({ length: count }, (_, index) => makeDay(addDays(today, -7 * (index + 1)), ms(index)));

  it('is the median of the same weekday in the weeks before', () => {
    expect(
      usualForWeekday(
        wednesdays(5, (index) => (index + 1) * 10 * minute),
        today,
        5,
      ),
    ).toBe(30 * minute);
    expect(
      usualForWeekday(
        wednesdays(4, (index) => (index + 1) * 10 * minute),
        today,
        4,
      ),
    ).toBe(25 * minute);
    // Only `weeks` weeks back.
    expect(
      usualForWeekday(
        wednesdays(8, (index) => (index < 2 ? 0 : hour)),
        today,
        2,
      ),
    ).toBe(0);
  });

  it('counts only weeks since recording began; a date since then without record is zero', () => {
    const days = [makeDay(addDays(today, -7), 40 * minute), makeDay(addDays(today, -21), 20 * minute)];
    // Recording began three weeks ago: 40, 0 (no record two weeks ago), 20.
    expect(usualForWeekday(days, today, 8)).toBe(20 * minute);
    // Only the same weekdays were read, but recording began long before: 40, 0, 20, 0, 0 … over eight weeks.
    expect(usualForWeekday(days, today, 8, '2026-01-01')).toBe(0);
  });

  it('is null before a whole week of recording', () => {
    expect(usualForWeekday([makeDay(today, hour)], today)).toBeNull();
    expect(usualForWeekday([], today)).toBeNull();
    expect(usualForWeekday([makeDay('2026-11-30', hour)], today)).toBeNull();
  });
});

describe('dayDetail', () => {
  it('gives a day’s figures, surfaces and tags most first', () => {
    const day = {
      ...mixedDay('2026-12-01', 10 * minute, 25 * minute, 20 * minute),
      hashtags: { seen: { rye: 2, sourdough: 5, levain: 2 }, used: { bread: 1 } },
      sessions: 4,
    };
    const detail = dayDetail(day, '2026-12-01');
    expect(detail).toMatchObject({
      date: '2026-12-01',
      totalMs: 35 * minute,
      passiveMs: 20 * minute,
      surfaces: [
        { surface: 'reels', ms: 25 * minute, passiveMs: 20 * minute },
        { surface: 'feed', ms: 10 * minute, passiveMs: 0 },
      ],
      views: { posts: 12, reels: 3, stories: 4 },
      sessions: 4,
      tagsSeen: [
        { tag: 'sourdough', count: 5 },
        { tag: 'levain', count: 2 },
        { tag: 'rye', count: 2 },
      ],
      tagsUsed: [{ tag: 'bread', count: 1 }],
    });
    expect(detail.hours).toHaveLength(24);
    expect(detail.hours[20]).toBe(35 * minute);
  });

  it('a day without record is all zeros', () => {
    const detail = dayDetail(undefined, '2026-12-01');
    expect(detail).toEqual({
      date: '2026-12-01',
      totalMs: 0,
      passiveMs: 0,
      hours: Array.from({ length: 24 }, () => 0),
      surfaces: [],
      views: { posts: 0, reels: 0, stories: 0 },
      sessions: 0,
      tagsSeen: [],
      tagsUsed: [],
    });
  });
});
