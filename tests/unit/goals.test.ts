import { describe, expect, it } from 'vitest';
import {
  type GoalDay,
  type Goals,
  goalStreak,
  goalsOf,
  hasGoals,
  withinGoals,
  withSurfaceLimits,
} from '../../src/shared/domain/goals';
import { defaultSettings } from '../../src/shared/storage/records';

const minute = 60_000;
const none: Goals = { dailyLimitMinutes: null, surfaceLimitsMinutes: {} };
const hourADay: Goals = { dailyLimitMinutes: 60, surfaceLimitsMinutes: {} };
const reels20: Goals = { dailyLimitMinutes: null, surfaceLimitsMinutes: { reels: 20 } };

function day(date: string, minutes: number, reelsMinutes = 0): GoalDay {
  return {
    date,
    activeMs: minutes * minute,
    surfaces: { feed: (minutes - reelsMinutes) * minute, reels: reelsMinutes * minute },
  };
}

describe('goals', () => {
  it('read from the settings, rows from before goals having none', () => {
    expect(goalsOf(defaultSettings)).toEqual(none);
    expect(hasGoals(goalsOf(defaultSettings))).toBe(false);
    const settings = { ...defaultSettings, dailyLimitMinutes: 90, surfaceLimitsMinutes: { reels: 20 } };
    expect(goalsOf(settings)).toEqual({ dailyLimitMinutes: 90, surfaceLimitsMinutes: { reels: 20 } });
    expect(hasGoals(reels20)).toBe(true);
    expect(hasGoals(hourADay)).toBe(true);
  });

  it('hold a day within them up to the limit itself, and over from the next second', () => {
    expect(withinGoals(day('2026-11-25', 60), hourADay)).toBe(true);
    expect(withinGoals({ ...day('2026-11-25', 60), activeMs: 60 * minute + 1000 }, hourADay)).toBe(false);
    expect(withinGoals(day('2026-11-25', 200, 20), reels20)).toBe(true);
    expect(withinGoals(day('2026-11-25', 21, 21), reels20)).toBe(false);
    // Every goal must hold: the total and each limited surface.
    const both: Goals = { dailyLimitMinutes: 60, surfaceLimitsMinutes: { reels: 20 } };
    expect(withinGoals(day('2026-11-25', 50, 25), both)).toBe(false);
    expect(withinGoals(day('2026-11-25', 70, 10), both)).toBe(false);
    expect(withinGoals(day('2026-11-25', 50, 10), both)).toBe(true);
    expect(withinGoals(undefined, both)).toBe(true);
  });

  it('change by surface: a limit sets one, null removes it, the others stay', () => {
    expect(withSurfaceLimits({ reels: 20, feed: 60 }, { reels: null, stories: 10 })).toEqual({ feed: 60, stories: 10 });
    expect(withSurfaceLimits({}, {})).toEqual({});
  });
});

describe('the streak of days within the goals', () => {
  it('counts the days in a row up to today, today included while it is within', () => {
    const days = [day('2026-11-20', 30), day('2026-11-21', 80), day('2026-11-22', 50), day('2026-11-23', 40)];
    expect(goalStreak(days, hourADay, '2026-11-23')).toEqual({ current: 2, best: 2, todayWithin: true });
    expect(goalStreak([...days, day('2026-11-24', 10)], hourADay, '2026-11-24')).toEqual({
      current: 3,
      best: 3,
      todayWithin: true,
    });
  });

  it('is broken by today only once today goes over, and the best stays', () => {
    const days = [day('2026-11-20', 30), day('2026-11-21', 30), day('2026-11-22', 30), day('2026-11-23', 59)];
    expect(goalStreak(days, hourADay, '2026-11-23')).toEqual({ current: 4, best: 4, todayWithin: true });
    const over = [...days.slice(0, 3), day('2026-11-23', 61)];
    expect(goalStreak(over, hourADay, '2026-11-23')).toEqual({ current: 0, best: 3, todayWithin: false });
  });

  it('counts a date without a record, after the first recorded day, as within: nothing went over', () => {
    const days = [day('2026-11-18', 30), day('2026-11-22', 30)];
    expect(goalStreak(days, hourADay, '2026-11-24')).toEqual({ current: 7, best: 7, todayWithin: true });
  });

  it('starts with the first recorded day: nothing before it counts', () => {
    expect(goalStreak([day('2026-11-24', 5)], hourADay, '2026-11-24')).toEqual({
      current: 1,
      best: 1,
      todayWithin: true,
    });
    // No day up to today: nothing to count yet.
    expect(goalStreak([day('2026-11-26', 5)], hourADay, '2026-11-24')).toEqual({
      current: 0,
      best: 0,
      todayWithin: null,
    });
    expect(goalStreak([], hourADay, '2026-11-24')).toEqual({ current: 0, best: 0, todayWithin: null });
  });

  it('keeps the best run anywhere in the days, in any order', () => {
    const days = [
      day('2026-11-05', 30),
      day('2026-11-01', 30),
      day('2026-11-06', 90),
      day('2026-11-02', 30),
      day('2026-11-03', 30),
      day('2026-11-04', 30),
      day('2026-11-08', 90),
    ];
    expect(goalStreak(days, hourADay, '2026-11-09')).toEqual({ current: 1, best: 5, todayWithin: true });
  });

  it('judges surface goals per surface, with the total free when it has no goal', () => {
    const days = [day('2026-11-22', 300, 10), day('2026-11-23', 30, 25), day('2026-11-24', 300, 19)];
    expect(goalStreak(days, reels20, '2026-11-24')).toEqual({ current: 1, best: 1, todayWithin: true });
  });

  it('is not kept without goals', () => {
    expect(goalStreak([day('2026-11-24', 5)], none, '2026-11-24')).toEqual({ current: 0, best: 0, todayWithin: null });
  });

  it('walks calendar dates across the end of a month', () => {
    const days = [day('2026-10-24', 30), day('2026-11-02', 30)];
    expect(goalStreak(days, hourADay, '2026-11-02')).toEqual({ current: 10, best: 10, todayWithin: true });
  });
});
