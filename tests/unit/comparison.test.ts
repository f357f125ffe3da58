/**
 * "How you compare" (src/shared/domain/comparison.ts). Promise: the person's week is compared like with like — their
 * figures are computed as the server computes everyone's (averaged over the days with a record, clipped to the
 * report's bounds) — against the latest week whose report is actually published.
 */
import { describe, expect, it } from 'vitest';
import {
  type ComparedDay,
  latestPublishedWeek,
  standingAmong,
  weekFiguresOf,
} from '../../src/shared/domain/comparison';

const week = { start: '2026-11-23', end: '2026-11-29' };
const bounds = { minutesPerDay: 240, viewsPerDay: 1000 };
const day = (date: string, reelsMinutes: number, views = 0): ComparedDay => ({
  date,
  surfaces: { reels: reelsMinutes * 60_000 },
  views: { posts: views, reels: 0, stories: 0 },
});

describe('latestPublishedWeek', () => {
  it('is last week from its Tuesday 00:00 UTC, and the week before until then', () => {
    // Monday 30 November: 2026-W48 (23–29 November) is not over everywhere yet.
    expect(latestPublishedWeek(Date.parse('2026-11-30T23:00:00Z'), '2026-11-30')).toEqual({
      week: '2026-W47',
      dates: { start: '2026-11-16', end: '2026-11-22' },
    });
    expect(latestPublishedWeek(Date.parse('2026-12-01T00:00:00Z'), '2026-12-01').week).toBe('2026-W48');
    expect(latestPublishedWeek(Date.parse('2026-12-06T12:00:00Z'), '2026-12-06').week).toBe('2026-W48');
  });

  it('crosses the year: the first days of 2027 compare with 2026-W52 or W53 as ISO weeks say', () => {
    // 2026 has 53 ISO weeks (it starts on a Thursday); Monday 4 January 2027 is 2027-W01.
    expect(latestPublishedWeek(Date.parse('2027-01-06T09:00:00Z'), '2027-01-06').week).toBe('2026-W53');
    expect(latestPublishedWeek(Date.parse('2027-01-04T09:00:00Z'), '2027-01-04').week).toBe('2026-W52');
  });
});

describe('weekFiguresOf', () => {
  it('averages over the days of the week with a record, not over seven', () => {
    const figures = weekFiguresOf([day('2026-11-23', 30, 40), day('2026-11-25', 10, 20)], week, bounds);
    expect(figures).toMatchObject({ recordedDays: 2, viewsPerDay: 30 });
    expect(figures?.minutesPerDay.reels).toBe(20);
    expect(figures?.minutesPerDay.feed).toBe(0);
  });

  it('leaves out days outside the week, and answers null when the week has none', () => {
    expect(weekFiguresOf([day('2026-11-22', 50), day('2026-11-30', 50)], week, bounds)).toBeNull();
    expect(weekFiguresOf([day('2026-11-22', 50), day('2026-11-29', 10)], week, bounds)?.minutesPerDay.reels).toBe(10);
  });

  it('clips to the report’s bounds, as every installation’s contribution was', () => {
    const figures = weekFiguresOf([day('2026-11-24', 600, 5000)], week, bounds);
    expect(figures?.minutesPerDay.reels).toBe(240);
    expect(figures?.viewsPerDay).toBe(1000);
  });
});

describe('standingAmong', () => {
  const quartiles = { p25: 10, median: 20, p75: 45 };
  it('places a figure in one of the four quarters, a value on a quartile in the half below it', () => {
    expect(standingAmong(5, quartiles)).toBe('below-p25');
    expect(standingAmong(10, quartiles)).toBe('p25-to-median');
    expect(standingAmong(20, quartiles)).toBe('p25-to-median');
    expect(standingAmong(30, quartiles)).toBe('median-to-p75');
    expect(standingAmong(45, quartiles)).toBe('median-to-p75');
    expect(standingAmong(46, quartiles)).toBe('above-p75');
  });

  it('says nothing worse than "at or below the median" for no use when most used nothing either', () => {
    expect(standingAmong(0, { p25: 0, median: 0, p75: 0 })).toBe('p25-to-median');
  });
});
