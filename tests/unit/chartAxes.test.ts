import { describe, expect, it } from 'vitest';
import {
  dateOfSeconds,
  dateTicks,
  durationScale,
  durationTicks,
  secondsOfDate,
  ticksAreMonths,
} from '../../src/options/dashboard/chartAxes';

const dates = (ticks: number[]) => ticks.map(dateOfSeconds);
const minute = 60_000;

describe('date axis ticks', () => {
  it('ticks whole days, never hours between them', () => {
    const min = secondsOfDate('2026-11-18') - 43_200;
    const max = secondsOfDate('2026-11-24') + 43_200;
    expect(dates(dateTicks(min, max, 10))).toEqual([
      '2026-11-18',
      '2026-11-19',
      '2026-11-20',
      '2026-11-21',
      '2026-11-22',
      '2026-11-23',
      '2026-11-24',
    ]);
    for (const tick of dateTicks(min, max, 10)) expect(tick % 86_400).toBe(0);
  });

  it('thins to every other day, then to Mondays, as room runs out', () => {
    const min = secondsOfDate('2026-10-26');
    const max = secondsOfDate('2026-11-24');
    expect(dates(dateTicks(min, max, 15))).toHaveLength(15);
    expect(dates(dateTicks(min, max, 15))[1]).toBe('2026-10-28');
    // 2026-10-26 is a Monday.
    expect(dates(dateTicks(min, max, 6))).toEqual([
      '2026-10-26',
      '2026-11-02',
      '2026-11-09',
      '2026-11-16',
      '2026-11-23',
    ]);
    expect(dates(dateTicks(secondsOfDate('2026-10-28'), max, 3))).toEqual(['2026-11-02', '2026-11-16']);
  });

  it('ticks the first of the month over a year, labelled as months', () => {
    const ticks = dateTicks(secondsOfDate('2025-11-25'), secondsOfDate('2026-11-24'), 8);
    expect(dates(ticks)).toEqual(['2026-01-01', '2026-03-01', '2026-05-01', '2026-07-01', '2026-09-01', '2026-11-01']);
    expect(ticksAreMonths(ticks)).toBe(true);
    expect(ticksAreMonths(dateTicks(secondsOfDate('2026-11-18'), secondsOfDate('2026-11-24'), 10))).toBe(false);
  });
});

describe('duration axis', () => {
  it('runs from zero on round steps: 15 min, 30 min, 1 hr…', () => {
    expect(durationScale(50 * minute)).toEqual({ step: 15 * minute, top: 60 * minute });
    expect(durationTicks(durationScale(50 * minute))).toEqual([0, 15, 30, 45, 60].map((m) => m * minute));
    expect(durationScale(100 * minute)).toEqual({ step: 30 * minute, top: 120 * minute });
    expect(durationScale(3.5 * 60 * minute).step).toBe(60 * minute);
  });

  it('still has an axis when nothing was recorded', () => {
    expect(durationScale(0)).toEqual({ step: minute, top: minute });
  });
});
