import { describe, expect, it } from 'vitest';
import { csvCell } from '../../src/shared/domain/csv';
import { addDays } from '../../src/shared/domain/dates';
import { datesOf } from '../../src/shared/domain/periods';
import {
  accountSeries,
  accountUsernames,
  coOccurrence,
  emptyDay,
  hashtagCsv,
  heatmap,
  searchTags,
  seenVsUsedOf,
  sortTags,
  tagTable,
  tagTrend,
  topTags,
  totals,
  weekdayIndex,
} from '../../src/shared/domain/reports';
import type { AccountSnapshotRecord, DayRecord } from '../../src/shared/storage/records';
import { makeDay, makeSnapshot } from './helpers/records';

const noTags = { hashtags: { seen: {}, used: {} }, hashtagPageMs: {}, hashtagPairs: {} };

describe('averages and totals', () => {
  it('totals sums time per surface, sessions and views; counts days with use', () => {
    const a = makeDay('2026-11-20', 600_000, { sessions: 2 });
    const b = makeDay('2026-11-21', 300_000, {
      sessions: 3,
      surfaces: { ...makeDay('x', 0).surfaces, feed: 100_000, reels: 200_000 },
    });
    const sum = totals([a, b]);
    expect(sum.activeMs).toBe(900_000);
    expect(sum.sessions).toBe(5);
    expect(sum.surfaces).toEqual({
      feed: 700_000,
      explore: 0,
      hashtag: 0,
      reels: 200_000,
      stories: 0,
      direct: 0,
      post: 0,
      profile: 0,
      other: 0,
    });
    expect(sum.views).toEqual({ posts: 24, reels: 6, stories: 8 });
    expect(sum.daysWithUse).toBe(2);
  });
});

describe('heatmap', () => {
  it.each([
    ['2026-11-23', 0, 'Monday'],
    ['2026-11-24', 1, 'Tuesday'],
    ['2026-11-25', 2, 'Wednesday'],
    ['2026-11-26', 3, 'Thursday'],
    ['2026-11-27', 4, 'Friday'],
    ['2026-11-28', 5, 'Saturday'],
    ['2026-11-29', 6, 'Sunday'],
    ['2024-02-29', 3, 'Thursday'],
    ['2000-01-01', 5, 'Saturday'],
  ])('%s is weekday %i (%s)', (date, index) => {
    expect(weekdayIndex(date)).toBe(index);
  });

  it('puts each day’s hours on its weekday row, Monday first, across a week, whatever the day’s time zone', () => {
    const week = Array.from({ length: 8 }, (_, index) => {
      const hours = Array.from({ length: 24 }, () => 0);
      hours[index] = 1000 * (index + 1);
      hours[23] = 1;
      return makeDay(addDays('2026-11-23', index), 0, {
        hours,
        timeZone: index % 2 ? 'Pacific/Kiritimati' : 'Pacific/Pago_Pago',
      });
    });
    const matrix = heatmap(week);
    expect(matrix).toHaveLength(7);
    for (const row of matrix) expect(row).toHaveLength(24);
    // Monday 2026-11-23 (hour 0) and the next Monday 2026-11-30 (hour 7) share row 0.
    expect(matrix[0]?.[0]).toBe(1000);
    expect(matrix[0]?.[7]).toBe(8000);
    expect(matrix[0]?.[23]).toBe(2);
    for (let weekday = 1; weekday < 7; weekday++) {
      expect(matrix[weekday]?.[weekday]).toBe(1000 * (weekday + 1));
      expect(matrix[weekday]?.reduce((sum, ms) => sum + ms, 0)).toBe(1000 * (weekday + 1) + 1);
    }
  });

  it('is all zeros without days', () => {
    expect(
      heatmap([])
        .flat()
        .every((ms) => ms === 0),
    ).toBe(true);
  });
});

describe('hashtags', () => {
  const days: DayRecord[] = [
    makeDay('2026-11-20', 600_000, {
      hashtags: { seen: { sourdough: 5, café: 2, bread: 1 }, used: { baking: 2 } },
      hashtagPageMs: { sourdough: 30_000, crumb: 90_000 },
      hashtagPairs: { 'bread sourdough': 1, 'café sourdough': 2 },
    }),
    makeDay('2026-11-21', 600_000, noTags),
    makeDay('2026-11-22', 600_000, {
      hashtags: { seen: { café: 4, bread: 1 }, used: { baking: 1, sourdough: 1 } },
      hashtagPageMs: { crumb: 10_000 },
      hashtagPairs: { 'bread sourdough': 2, 'bread café': 4 },
    }),
  ];

  it('tagTable gathers every tag’s three measures', () => {
    const rows = sortTags(tagTable(days), { key: 'tag', direction: 'asc' });
    expect(rows).toEqual([
      { tag: 'baking', seen: 0, used: 3, pageMs: 0 },
      { tag: 'bread', seen: 2, used: 0, pageMs: 0 },
      { tag: 'café', seen: 6, used: 0, pageMs: 0 },
      { tag: 'crumb', seen: 0, used: 0, pageMs: 100_000 },
      { tag: 'sourdough', seen: 5, used: 1, pageMs: 30_000 },
    ]);
  });

  it.each([
    ['seen', ['café', 'sourdough', 'bread']],
    ['used', ['baking', 'sourdough']],
    ['pageTime', ['crumb', 'sourdough']],
  ] as const)('topTags by %s, highest first, without tags that have none', (by, expected) => {
    expect(topTags(days, { by }).map((row) => row.tag)).toEqual(expected);
  });

  it('topTags takes a limit and a search, and breaks ties A→Z', () => {
    const tied = [
      makeDay('2026-11-20', 0, { ...noTags, hashtags: { seen: { zebra: 1, apple: 1, mango: 1 }, used: {} } }),
    ];
    expect(topTags(tied, { by: 'seen', limit: 2 }).map((row) => row.tag)).toEqual(['apple', 'mango']);
    expect(topTags(days, { by: 'seen', search: 'BR' }).map((row) => row.tag)).toEqual(['bread']);
  });

  it.each([
    ['seen', 'desc', ['café', 'sourdough', 'bread', 'baking', 'crumb']],
    ['seen', 'asc', ['baking', 'crumb', 'bread', 'sourdough', 'café']],
    ['used', 'desc', ['baking', 'sourdough', 'bread', 'café', 'crumb']],
    ['pageTime', 'desc', ['crumb', 'sourdough', 'baking', 'bread', 'café']],
    ['tag', 'asc', ['baking', 'bread', 'café', 'crumb', 'sourdough']],
    ['tag', 'desc', ['sourdough', 'crumb', 'café', 'bread', 'baking']],
  ] as const)('sortTags by %s %s', (key, direction, expected) => {
    expect(sortTags(tagTable(days), { key, direction }).map((row) => row.tag)).toEqual(expected);
  });

  it.each([
    ['café', ['café']],
    ['CAFÉ', ['café']],
    ['Caf\u0065\u0301', ['café']], // decomposed é, as some keyboards and pastes produce
    ['  afé ', ['café']],
    ['cafe', []], // accents count
    ['R', ['bread', 'crumb', 'sourdough']],
    ['', ['baking', 'bread', 'café', 'crumb', 'sourdough']],
  ])('search %j finds %j', (query, expected) => {
    const rows = sortTags(tagTable(days), { key: 'tag', direction: 'asc' });
    expect(searchTags(rows, query).map((row) => row.tag)).toEqual(expected);
  });

  it('treats tags named like Object’s own properties as plain tags', () => {
    const odd = [
      makeDay('2026-11-20', 0, { ...noTags, hashtags: { seen: { constructor: 2, tostring: 1 }, used: {} } }),
      makeDay('2026-11-21', 0, noTags),
    ];
    expect(tagTrend(odd, 'constructor').map((point) => point.seen)).toEqual([2, 0]);
    expect(tagTrend(odd, 'toString').map((point) => point.seen)).toEqual([0, 0]);
    expect(topTags(odd, { by: 'seen', limit: 5 })).toEqual([
      { tag: 'constructor', seen: 2, used: 0, pageMs: 0 },
      { tag: 'tostring', seen: 1, used: 0, pageMs: 0 },
    ]);
  });

  it('topTags fills every measure of the tags it keeps, whatever the limit', () => {
    const many = Array.from({ length: 400 }, (_, index) => `t${String(index).padStart(3, '0')}`);
    const day = makeDay('2026-11-20', 0, {
      ...noTags,
      hashtags: {
        seen: Object.fromEntries(many.map((tag, index) => [tag, 1000 - index])),
        used: { t001: 3, t399: 1 },
      },
      hashtagPageMs: { t002: 5000 },
    });
    for (const limit of [3, 300, undefined]) {
      const rows = topTags([day, day], { by: 'seen', ...(limit ? { limit } : {}) });
      expect(rows).toHaveLength(limit ?? 400);
      expect(rows.slice(0, 3)).toEqual([
        { tag: 't000', seen: 2000, used: 0, pageMs: 0 },
        { tag: 't001', seen: 1998, used: 6, pageMs: 0 },
        { tag: 't002', seen: 1996, used: 0, pageMs: 10_000 },
      ]);
    }
    expect(topTags([day], { by: 'seen' }).at(-1)).toEqual({ tag: 't399', seen: 601, used: 1, pageMs: 0 });
  });

  it('search finds tags stored decomposed too', () => {
    expect(searchTags([{ tag: 'cafe\u0301' }], 'CAFÉ')).toHaveLength(1);
  });

  it('tagTrend has one value per day given, zero where the tag was absent', () => {
    const byDate = new Map(days.map((day) => [day.date, day]));
    const range = datesOf({ start: '2026-11-17', end: '2026-11-23' }).map((date) => byDate.get(date) ?? emptyDay(date));
    expect(tagTrend(range, 'sourdough').slice(-4)).toEqual([
      { date: '2026-11-20', seen: 5, used: 0, pageMs: 30_000 },
      { date: '2026-11-21', seen: 0, used: 0, pageMs: 0 },
      { date: '2026-11-22', seen: 0, used: 1, pageMs: 0 },
      { date: '2026-11-23', seen: 0, used: 0, pageMs: 0 },
    ]);
    expect(tagTrend(range, 'sourdough')).toHaveLength(7);
  });

  it('coOccurrence lists the pairs by count, or one tag’s partners', () => {
    expect(coOccurrence(days)).toEqual([
      { a: 'bread', b: 'café', count: 4 },
      { a: 'bread', b: 'sourdough', count: 3 },
      { a: 'café', b: 'sourdough', count: 2 },
    ]);
    expect(coOccurrence(days, undefined, 1)).toEqual([{ a: 'bread', b: 'café', count: 4 }]);
    expect(coOccurrence(days, 'sourdough')).toEqual([
      { a: 'sourdough', b: 'bread', count: 3 },
      { a: 'sourdough', b: 'café', count: 2 },
    ]);
    expect(coOccurrence(days, 'bread', 1)).toEqual([{ a: 'bread', b: 'café', count: 4 }]);
    expect(coOccurrence(days, 'crumb')).toEqual([]);
  });

  it('seenVsUsed puts both counts side by side, used tags first', () => {
    expect(seenVsUsedOf(tagTable(days))).toEqual([
      { tag: 'baking', seen: 0, used: 3 },
      { tag: 'sourdough', seen: 5, used: 1 },
      { tag: 'café', seen: 6, used: 0 },
      { tag: 'bread', seen: 2, used: 0 },
    ]);
    expect(
      seenVsUsedOf(tagTable(days), { sort: { key: 'seen', direction: 'desc' }, limit: 2 }).map((row) => row.tag),
    ).toEqual(['café', 'sourdough']);
    expect(seenVsUsedOf(tagTable(days), { search: 'OUGH' })).toEqual([{ tag: 'sourdough', seen: 5, used: 1 }]);
  });

  it('hashtagCsv quotes cells and defuses formulas like the export', () => {
    expect(csvCell('=cmd')).toBe("'=cmd");
    expect(csvCell('a,"b"')).toBe('"a,""b"""');
    expect(csvCell(null)).toBe('');
    expect(
      hashtagCsv([
        { tag: 'café', seen: 6, used: 0, pageMs: 0 },
        { tag: '-1,2', seen: 1, used: 0, pageMs: 1500 },
      ]),
    ).toBe('hashtag,seen,used,page_ms\r\ncafé,6,0,0\r\n"\'-1,2",1,0,1500\r\n');
  });
});

describe('account series', () => {
  const rounded = (snapshot: AccountSnapshotRecord, followers: number): AccountSnapshotRecord => ({
    ...snapshot,
    followers: { value: followers, exact: false },
  });
  const snapshots: AccountSnapshotRecord[] = [
    makeSnapshot('maya.rivers', '2026-11-22', 12_400),
    rounded(makeSnapshot('maya.rivers', '2026-11-20'), 12_000),
    makeSnapshot('bakery_maya', '2026-11-21', 310),
    { ...makeSnapshot('maya.rivers', '2026-11-21', 12_437), following: null },
  ];

  it('lists one account’s counts per date, oldest first, keeping the exact flags and unread counts', () => {
    expect(accountSeries(snapshots, 'maya.rivers')).toEqual([
      {
        date: '2026-11-20',
        observedAt: Date.parse('2026-11-20T18:00:00Z'),
        followers: { value: 12_000, exact: false },
        following: { value: 450, exact: true },
        posts: { value: 120, exact: false },
      },
      {
        date: '2026-11-21',
        observedAt: Date.parse('2026-11-21T18:00:00Z'),
        followers: { value: 12_437, exact: true },
        following: null,
        posts: { value: 120, exact: false },
      },
      {
        date: '2026-11-22',
        observedAt: Date.parse('2026-11-22T18:00:00Z'),
        followers: { value: 12_400, exact: true },
        following: { value: 450, exact: true },
        posts: { value: 120, exact: false },
      },
    ]);
    expect(accountSeries(snapshots, 'nobody')).toEqual([]);
  });

  it('lists the usernames A→Z', () => {
    expect(accountUsernames(snapshots)).toEqual(['bakery_maya', 'maya.rivers']);
    expect(accountUsernames([])).toEqual([]);
  });
});

describe('a year of data with 5,000 distinct hashtags', () => {
  function yearOfDays(): DayRecord[] {
    let seed = 7;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed / 2_147_483_648;
    };
    const tags = Array.from({ length: 5000 }, (_, index) => `tag${index}`);
    return Array.from({ length: 365 }, (_, index) => {
      const seen: Record<string, number> = {};
      const pairs: Record<string, number> = {};
      const hashtagPageMs: Record<string, number> = {};
      // Every tag appears at least once over the year; each day sees ~300 tags.
      for (let n = 0; n < 300; n++) {
        const tag = tags[(index * 14 + n * 17) % 5000] ?? 'tag0';
        seen[tag] = (seen[tag] ?? 0) + 1 + Math.floor(random() * 3);
        const other = tags[Math.floor(random() * 5000)] ?? 'tag1';
        if (other !== tag) pairs[tag < other ? `${tag} ${other}` : `${other} ${tag}`] = 1;
      }
      for (let n = 0; n < 10; n++) hashtagPageMs[tags[Math.floor(random() * 5000)] ?? 'tag0'] = 60_000;
      const hours = Array.from({ length: 24 }, () => Math.floor(random() * 100_000));
      return makeDay(addDays('2026-01-01', index), 1_200_000, {
        hours,
        hashtags: { seen, used: { [tags[index % 50] ?? 'tag0']: 1 } },
        hashtagPageMs,
        hashtagPairs: pairs,
      });
    });
  }

  // How fast these run is measured by `npm run bench:ui` (docs/BENCHMARKS.md), not here: a timed test fails on a busy
  // machine without anything being wrong.
  it('computes every dashboard report over a year of 5,000 tags', () => {
    const days = yearOfDays();
    let tableSize = 0;
    {
      const range = days;
      totals(range);
      heatmap(range);
      const table = tagTable(range);
      tableSize = table.length;
      for (const key of ['tag', 'seen', 'used', 'pageTime'] as const) sortTags(table, { key, direction: 'desc' });
      searchTags(table, 'TAG12');
      topTags(range, { by: 'seen', limit: 100 });
      topTags(range, { by: 'used', limit: 100 });
      topTags(range, { by: 'pageTime', limit: 100 });
      tagTrend(range, 'tag1');
      coOccurrence(range, 'tag1', 100);
      seenVsUsedOf(tagTable(range), { limit: 100 });
    }
    expect(tableSize).toBe(5000);
  });

  it('finds the 100 most frequent of ~100,000 distinct tag pairs, most first', () => {
    const range = yearOfDays();
    const top = coOccurrence(range, undefined, 100);
    expect(top).toHaveLength(100);
    for (let index = 1; index < top.length; index++) {
      expect((top[index - 1]?.count ?? 0) >= (top[index]?.count ?? 0)).toBe(true);
    }
  });
});
