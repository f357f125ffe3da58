import { afterEach, describe, expect, it } from 'vitest';
import { addDays } from '../../src/shared/domain/dates';
import {
  countedDays,
  datesOf,
  earlierDate,
  isoWeekOf,
  laterDate,
  monthEnd,
  monthStart,
  type Period,
  type PeriodKind,
  periodDays,
  periodKinds,
  periodOfIsoWeek,
  previousPeriod,
  resolvePeriod,
  weekStart,
} from '../../src/shared/domain/periods';

const originalTimeZone = process.env.TZ;
afterEach(() => {
  process.env.TZ = originalTimeZone;
});

/** Runs `check` with the process in each time zone: calendar dates must come out the same everywhere. */
function inEveryZone(check: () => void) {
  for (const zone of ['UTC', 'Europe/Paris', 'America/New_York', 'Pacific/Auckland', 'Asia/Kolkata']) {
    process.env.TZ = zone;
    check();
  }
}

describe('resolvePeriod', () => {
  // 2026-12-02 is a Wednesday.
  const today = '2026-12-02';

  it.each([
    ['this-week', '2026-11-30', '2026-12-02'],
    ['last-week', '2026-11-23', '2026-11-29'],
    ['this-month', '2026-12-01', '2026-12-02'],
    ['last-month', '2026-11-01', '2026-11-30'],
    ['last-7', '2026-11-26', '2026-12-02'],
    ['last-30', '2026-11-03', '2026-12-02'],
    ['last-90', '2026-09-04', '2026-12-02'],
    ['last-365', '2025-12-03', '2026-12-02'],
  ] as const)('%s seen from Wednesday 2026-12-02 is %s … %s', (kind, start, end) => {
    expect(resolvePeriod(kind, today)).toEqual({ start, end });
  });

  it('gives last-N periods of exactly N dates, today included', () => {
    for (const [kind, length] of [
      ['last-7', 7],
      ['last-30', 30],
      ['last-90', 90],
      ['last-365', 365],
    ] as const) {
      const period = resolvePeriod(kind, today);
      expect(periodDays(period)).toBe(length);
      expect(period.end).toBe(today);
    }
  });

  it('starts weeks on Sunday when asked', () => {
    expect(resolvePeriod('this-week', today, undefined, 0)).toEqual({ start: '2026-11-29', end: today });
    expect(resolvePeriod('last-week', today, undefined, 0)).toEqual({ start: '2026-11-22', end: '2026-11-28' });
  });

  it('on the first day of a week, this week is today alone', () => {
    expect(resolvePeriod('this-week', '2026-11-30')).toEqual({ start: '2026-11-30', end: '2026-11-30' });
    expect(resolvePeriod('this-week', '2026-11-29', undefined, 0)).toEqual({ start: '2026-11-29', end: '2026-11-29' });
    // On a Sunday with Monday weeks, the week is nearly over.
    expect(resolvePeriod('this-week', '2026-11-29')).toEqual({ start: '2026-11-23', end: '2026-11-29' });
  });

  it('on the first of the month, this month is today alone and last month the whole month before', () => {
    expect(resolvePeriod('this-month', '2026-03-01')).toEqual({ start: '2026-03-01', end: '2026-03-01' });
    expect(resolvePeriod('last-month', '2026-03-01')).toEqual({ start: '2026-02-01', end: '2026-02-28' });
  });

  it.each([
    ['2028-03-15', '2028-02-01', '2028-02-29'],
    ['2100-03-15', '2100-02-01', '2100-02-28'],
    ['2000-03-15', '2000-02-01', '2000-02-29'],
    ['2027-01-10', '2026-12-01', '2026-12-31'],
    ['2026-05-31', '2026-04-01', '2026-04-30'],
  ])('last month seen from %s is %s … %s (month lengths, leap years, year change)', (from, start, end) => {
    expect(resolvePeriod('last-month', from)).toEqual({ start, end });
  });

  it('crosses the year in weeks and in last-N periods', () => {
    expect(resolvePeriod('this-week', '2027-01-01')).toEqual({ start: '2026-12-28', end: '2027-01-01' });
    expect(resolvePeriod('last-week', '2027-01-01')).toEqual({ start: '2026-12-21', end: '2026-12-27' });
    expect(resolvePeriod('last-7', '2027-01-03')).toEqual({ start: '2026-12-28', end: '2027-01-03' });
    expect(resolvePeriod('last-365', '2028-12-31')).toEqual({ start: '2028-01-02', end: '2028-12-31' });
  });

  it('takes a custom period as given when valid', () => {
    const custom = { start: '2026-10-01', end: '2026-10-15' };
    expect(resolvePeriod('custom', today, custom)).toEqual(custom);
  });

  it('swaps a reversed custom period and clamps it to today', () => {
    expect(resolvePeriod('custom', today, { start: '2026-10-15', end: '2026-10-01' })).toEqual({
      start: '2026-10-01',
      end: '2026-10-15',
    });
    expect(resolvePeriod('custom', today, { start: '2026-11-20', end: '2027-02-01' })).toEqual({
      start: '2026-11-20',
      end: today,
    });
    // Wholly in the future: today alone.
    expect(resolvePeriod('custom', today, { start: '2027-01-01', end: '2027-02-01' })).toEqual({
      start: today,
      end: today,
    });
  });

  it('refuses a custom period without dates or with impossible ones', () => {
    expect(() => resolvePeriod('custom', today)).toThrow(RangeError);
    expect(() => resolvePeriod('custom', today, { start: '2026-02-30', end: '2026-03-01' })).toThrow(RangeError);
    expect(() => resolvePeriod('custom', today, { start: 'yesterday', end: today })).toThrow(RangeError);
  });

  it('resolves every kind to an ordered period ending no later than today', () => {
    for (const kind of periodKinds) {
      const period = resolvePeriod(kind, today, { start: '2026-01-01', end: '2026-02-01' });
      expect(period.start <= period.end).toBe(true);
      expect(period.end <= today).toBe(true);
    }
  });
});

describe('previousPeriod', () => {
  it.each([
    // A partial week is compared with the same weekdays of the week before.
    ['this-week', { start: '2026-11-30', end: '2026-12-02' }, { start: '2026-11-23', end: '2026-11-25' }],
    ['last-week', { start: '2026-11-23', end: '2026-11-29' }, { start: '2026-11-16', end: '2026-11-22' }],
    // A partial month: the same number of days from the 1st of the month before.
    ['this-month', { start: '2026-12-01', end: '2026-12-10' }, { start: '2026-11-01', end: '2026-11-10' }],
    // … cut at that month's end.
    ['this-month', { start: '2026-03-01', end: '2026-03-31' }, { start: '2026-02-01', end: '2026-02-28' }],
    ['this-month', { start: '2028-03-01', end: '2028-03-30' }, { start: '2028-02-01', end: '2028-02-29' }],
    ['this-month', { start: '2027-01-01', end: '2027-01-31' }, { start: '2026-12-01', end: '2026-12-31' }],
    // A whole month: the whole month before, whatever its length.
    ['last-month', { start: '2026-03-01', end: '2026-03-31' }, { start: '2026-02-01', end: '2026-02-28' }],
    ['last-month', { start: '2028-03-01', end: '2028-03-31' }, { start: '2028-02-01', end: '2028-02-29' }],
    ['last-month', { start: '2026-02-01', end: '2026-02-28' }, { start: '2026-01-01', end: '2026-01-31' }],
    ['last-month', { start: '2027-01-01', end: '2027-01-31' }, { start: '2026-12-01', end: '2026-12-31' }],
    // Last N days and custom: the same number of dates just before.
    ['last-7', { start: '2026-11-26', end: '2026-12-02' }, { start: '2026-11-19', end: '2026-11-25' }],
    ['last-30', { start: '2026-11-03', end: '2026-12-02' }, { start: '2026-10-04', end: '2026-11-02' }],
    ['last-90', { start: '2026-09-04', end: '2026-12-02' }, { start: '2026-06-06', end: '2026-09-03' }],
    ['last-365', { start: '2027-01-01', end: '2027-12-31' }, { start: '2026-01-01', end: '2026-12-31' }],
    ['last-365', { start: '2028-01-02', end: '2028-12-31' }, { start: '2027-01-02', end: '2028-01-01' }],
    ['custom', { start: '2026-10-01', end: '2026-10-10' }, { start: '2026-09-21', end: '2026-09-30' }],
    ['custom', { start: '2026-10-01', end: '2026-10-01' }, { start: '2026-09-30', end: '2026-09-30' }],
  ] as Array<[PeriodKind, Period, Period]>)('%s %o is compared with %o', (kind, period, previous) => {
    expect(previousPeriod(kind, period)).toEqual(previous);
  });

  it('never overlaps the period and ends before it starts, for every kind', () => {
    const today = '2026-12-02';
    for (const kind of periodKinds) {
      const period = resolvePeriod(kind, today, { start: '2026-11-10', end: '2026-11-20' });
      const previous = previousPeriod(kind, period);
      expect(previous.end < period.start).toBe(true);
      expect(periodDays(previous)).toBeLessThanOrEqual(Math.max(periodDays(period), 31));
    }
  });

  it('keeps the length of last-N and custom periods', () => {
    for (const kind of ['last-7', 'last-30', 'last-90', 'last-365'] as const) {
      const period = resolvePeriod(kind, '2028-03-01');
      expect(periodDays(previousPeriod(kind, period))).toBe(periodDays(period));
    }
  });
});

describe('period length and dates', () => {
  it.each([
    [{ start: '2026-12-02', end: '2026-12-02' }, 1],
    [{ start: '2026-02-01', end: '2026-02-28' }, 28],
    [{ start: '2028-02-01', end: '2028-02-29' }, 29],
    [{ start: '2028-01-01', end: '2028-12-31' }, 366],
    [{ start: '2026-01-01', end: '2026-12-31' }, 365],
    [{ start: '2026-12-02', end: '2026-12-01' }, 0],
  ])('%o has %i dates', (period, length) => {
    expect(periodDays(period)).toBe(length);
    expect(datesOf(period)).toHaveLength(length);
  });

  it('lists the dates across a leap day and a year change', () => {
    expect(datesOf({ start: '2028-02-27', end: '2028-03-01' })).toEqual([
      '2028-02-27',
      '2028-02-28',
      '2028-02-29',
      '2028-03-01',
    ]);
    expect(datesOf({ start: '2026-12-30', end: '2027-01-02' })).toEqual([
      '2026-12-30',
      '2026-12-31',
      '2027-01-01',
      '2027-01-02',
    ]);
  });

  it.each([
    ['2026-03-29', 'Europe (clocks forward)', '2026-03-23', '2026-03-16'],
    ['2026-10-25', 'Europe (clocks back)', '2026-10-19', '2026-10-12'],
    ['2026-03-08', 'the US (clocks forward)', '2026-03-02', '2026-02-23'],
    ['2026-11-01', 'the US (clocks back)', '2026-10-26', '2026-10-19'],
  ])(
    'the week ending %s, a DST change in %s, holds seven whole dates in any time zone',
    (sunday, _, monday, mondayBefore) => {
      inEveryZone(() => {
        const week = resolvePeriod('this-week', sunday);
        expect(week).toEqual({ start: monday, end: sunday });
        const dates = datesOf(week);
        expect(dates).toHaveLength(7);
        expect(new Set(dates).size).toBe(7);
        expect(dates.at(-1)).toBe(sunday);
        expect(previousPeriod('this-week', week)).toEqual({ start: mondayBefore, end: addDays(monday, -1) });
        expect(resolvePeriod('last-7', sunday)).toEqual(week);
        expect(countedDays(week, '2026-01-01', sunday)).toBe(7);
        expect(isoWeekOf(monday)).toBe(isoWeekOf(sunday));
      });
    },
  );

  it('finds week and month bounds', () => {
    expect(weekStart('2026-12-02')).toBe('2026-11-30');
    expect(weekStart('2026-11-30')).toBe('2026-11-30');
    expect(weekStart('2026-12-06')).toBe('2026-11-30');
    expect(weekStart('2026-12-06', 0)).toBe('2026-12-06');
    expect(weekStart('2026-12-05', 0)).toBe('2026-11-29');
    expect(monthStart('2028-02-29')).toBe('2028-02-01');
    expect(monthEnd('2028-02-10')).toBe('2028-02-29');
    expect(monthEnd('2026-02-10')).toBe('2026-02-28');
    expect(monthEnd('2026-12-31')).toBe('2026-12-31');
    expect(monthEnd('2026-04-01')).toBe('2026-04-30');
    expect(earlierDate('2026-12-02', '2026-11-30')).toBe('2026-11-30');
    expect(laterDate('2026-12-02', '2026-11-30')).toBe('2026-12-02');
  });
});

describe('countedDays', () => {
  const today = '2026-12-02';
  const last30 = resolvePeriod('last-30', today);

  it.each([
    ['recording began before the period: every date counts', '2026-01-01', 30],
    ['recording began on the period’s first date', '2026-11-03', 30],
    ['a week of use: seven dates count, not thirty', '2026-11-26', 7],
    ['recording began today', today, 1],
    ['nothing recorded yet', null, 0],
    ['recording began after the period (a period before any data)', '2026-12-03', 0],
  ])('%s', (_, firstRecorded, counted) => {
    expect(countedDays(last30, firstRecorded, today)).toBe(counted);
  });

  it('counts no future date: a whole week or month still running counts up to today', () => {
    expect(countedDays({ start: '2026-11-30', end: '2026-12-06' }, '2026-01-01', today)).toBe(3);
    expect(countedDays({ start: '2026-12-01', end: '2026-12-31' }, '2026-01-01', today)).toBe(2);
    expect(countedDays({ start: '2026-12-10', end: '2026-12-31' }, '2026-01-01', today)).toBe(0);
  });

  it('counts a partial first week from the first recorded date', () => {
    // Recording began on Thursday; this week (Mon–Sun, today Sunday) counts Thursday to Sunday.
    expect(countedDays({ start: '2026-11-23', end: '2026-11-29' }, '2026-11-26', '2026-11-29')).toBe(4);
    // The week before that: no counted day.
    expect(countedDays({ start: '2026-11-16', end: '2026-11-22' }, '2026-11-26', '2026-11-29')).toBe(0);
  });

  it('counts across a leap day', () => {
    expect(countedDays({ start: '2028-02-01', end: '2028-02-29' }, '2028-02-20', '2028-03-05')).toBe(10);
    expect(countedDays({ start: '2028-01-01', end: '2028-12-31' }, '2027-06-01', '2028-12-31')).toBe(366);
  });
});

describe('ISO weeks', () => {
  it.each([
    ['2026-12-02', '2026-W49'],
    ['2026-12-31', '2026-W53'],
    ['2027-01-01', '2026-W53'],
    ['2027-01-03', '2026-W53'],
    ['2027-01-04', '2027-W01'],
    ['2020-12-31', '2020-W53'],
    ['2021-01-03', '2020-W53'],
    ['2021-01-04', '2021-W01'],
    ['2024-12-30', '2025-W01'],
    ['2026-01-01', '2026-W01'],
    ['2025-12-29', '2026-W01'],
    ['2028-02-29', '2028-W09'],
    ['2026-03-29', '2026-W13'],
    ['2026-10-25', '2026-W43'],
  ])('%s is in %s', (date, week) => {
    inEveryZone(() => expect(isoWeekOf(date)).toBe(week));
  });

  it.each([
    ['2026-W49', { start: '2026-11-30', end: '2026-12-06' }],
    ['2026-W53', { start: '2026-12-28', end: '2027-01-03' }],
    ['2020-W53', { start: '2020-12-28', end: '2021-01-03' }],
    ['2026-W01', { start: '2025-12-29', end: '2026-01-04' }],
    ['2025-W01', { start: '2024-12-30', end: '2025-01-05' }],
    ['2027-W01', { start: '2027-01-04', end: '2027-01-10' }],
  ])('%s runs %o', (week, period) => {
    expect(periodOfIsoWeek(week)).toEqual(period);
  });

  it.each(['2025-W53', '2026-W00', '2026-W54', '2026-W5', '2026W49', '2026-w49', '', 'week 49'])(
    '%s is not a week',
    (week) => {
      expect(periodOfIsoWeek(week)).toBeNull();
    },
  );

  it('maps every date of a few years to a week that holds it', () => {
    for (const date of datesOf({ start: '2019-12-20', end: '2029-01-10' })) {
      const period = periodOfIsoWeek(isoWeekOf(date));
      expect(period).not.toBeNull();
      expect(period && date >= period.start && date <= period.end).toBe(true);
    }
  });
});
