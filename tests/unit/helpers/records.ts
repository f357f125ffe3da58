import { surfaces } from '../../../src/shared/domain/routes';
import type { AccountSnapshotRecord, DayRecord } from '../../../src/shared/storage/records';

export function makeDay(date: string, activeMs = 600_000, overrides: Partial<DayRecord> = {}): DayRecord {
  const surfaceMs = Object.fromEntries(surfaces.map((surface) => [surface, 0])) as DayRecord['surfaces'];
  surfaceMs.feed = activeMs;
  const hours = Array.from({ length: 24 }, () => 0);
  hours[20] = activeMs;
  return {
    date,
    timeZone: 'Europe/Berlin',
    activeMs,
    surfaces: surfaceMs,
    sessions: 1,
    hours,
    views: { posts: 12, reels: 3, stories: 4 },
    hashtags: { seen: { sourdough: 2, café: 1 }, used: { baking: 1 } },
    hashtagPageMs: { sourdough: 30_000 },
    hashtagPairs: { 'baking sourdough': 1 },
    passiveSurfaces: {},
    ...overrides,
  };
}

export function makeSnapshot(username: string, date: string, followers = 12_437): AccountSnapshotRecord {
  return {
    username,
    date,
    observedAt: Date.parse(`${date}T18:00:00Z`),
    followers: { value: followers, exact: true },
    following: { value: 450, exact: true },
    posts: { value: 120, exact: false },
  };
}
