import { describe, expect, it } from 'vitest';
import { latestFollowers, surfaceBreakdown } from '../../src/shared/domain/reports';
import { makeDay, makeSnapshot } from './helpers/records';

describe('surfaceBreakdown', () => {
  it('lists surfaces with time, most first', () => {
    const day = makeDay('2026-11-25', 900_000);
    day.surfaces.feed = 300_000;
    day.surfaces.reels = 500_000;
    day.surfaces.stories = 100_000;
    expect(surfaceBreakdown(day)).toEqual([
      { surface: 'reels', ms: 500_000 },
      { surface: 'feed', ms: 300_000 },
      { surface: 'stories', ms: 100_000 },
    ]);
  });

  it('is empty for a day without use', () => {
    expect(surfaceBreakdown(undefined)).toEqual([]);
    expect(surfaceBreakdown(makeDay('2026-11-25', 0))).toEqual([]);
  });
});

describe('latestFollowers', () => {
  it('gives each account’s newest count and the change since the day before', () => {
    const snapshots = [
      makeSnapshot('maya.rivers', '2026-11-24', 12_437),
      makeSnapshot('maya.rivers', '2026-11-25', 12_450),
      makeSnapshot('bakes.by.maya', '2026-11-25', 803),
    ];
    expect(latestFollowers(snapshots)).toEqual([
      { username: 'bakes.by.maya', date: '2026-11-25', followers: { value: 803, exact: true }, change: null },
      {
        username: 'maya.rivers',
        date: '2026-11-25',
        followers: { value: 12_450, exact: true },
        change: { since: '2026-11-24', by: 13, exact: true },
      },
    ]);
  });

  it('skips days whose count was unreadable and marks changes between rounded counts as approximate', () => {
    const unread = { ...makeSnapshot('maya.rivers', '2026-11-25'), followers: null };
    const rounded = { ...makeSnapshot('maya.rivers', '2026-11-24'), followers: { value: 12_400, exact: false } };
    const older = makeSnapshot('maya.rivers', '2026-11-20', 12_300);
    expect(latestFollowers([older, rounded, unread])).toEqual([
      {
        username: 'maya.rivers',
        date: '2026-11-24',
        followers: { value: 12_400, exact: false },
        change: { since: '2026-11-20', by: 100, exact: false },
      },
    ]);
  });

  it('is empty without snapshots, or when no count was ever read', () => {
    expect(latestFollowers([])).toEqual([]);
    expect(latestFollowers([{ ...makeSnapshot('maya.rivers', '2026-11-25'), followers: null }])).toEqual([]);
  });
});
