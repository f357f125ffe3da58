import { describe, expect, it } from 'vitest';
import {
  AttendedSeconds,
  applyUsage,
  datesTouched,
  type UsageFacts,
  type UsageState,
  utcDaysTouched,
} from '../../src/background/aggregate';

const freshState = (): UsageState => ({ days: new Map(), attended: new AttendedSeconds(), keys: new Map() });
const facts = (partial: Partial<UsageFacts>): UsageFacts => ({ runs: [], views: [], hashtags: [], ...partial });
const second = (iso: string) => Date.parse(iso) / 1000;

describe('applyUsage: attention', () => {
  it('adds each counted second to the day, its surface and its local hour', () => {
    const state = freshState();
    const changes = applyUsage(
      facts({ runs: [{ startSecond: second('2026-11-25T09:59:50Z'), seconds: 20, surface: 'reels' }] }),
      state,
      'Europe/Berlin',
    );
    expect(changes.secondsCounted).toBe(20);
    const day = state.days.get('2026-11-25');
    expect(day?.activeMs).toBe(20_000);
    expect(day?.surfaces.reels).toBe(20_000);
    expect(day?.hours[10]).toBe(10_000);
    expect(day?.hours[11]).toBe(10_000);
    expect(day?.timeZone).toBe('Europe/Berlin');
    expect(day?.sessions).toBe(1);
  });

  it('never counts a second twice: a report delivered again, or another tab claiming the same seconds', () => {
    const state = freshState();
    const report = facts({ runs: [{ startSecond: second('2026-11-25T12:00:00Z'), seconds: 30, surface: 'feed' }] });
    applyUsage(report, state, 'UTC');
    expect(applyUsage(report, state, 'UTC').secondsCounted).toBe(0);
    const otherTab = facts({
      runs: [{ startSecond: second('2026-11-25T12:00:20Z'), seconds: 30, surface: 'explore' }],
    });
    expect(applyUsage(otherTab, state, 'UTC').secondsCounted).toBe(20);
    expect(state.days.get('2026-11-25')?.activeMs).toBe(50_000);
    expect(state.days.get('2026-11-25')?.surfaces).toMatchObject({ feed: 30_000, explore: 20_000 });
  });

  it('splits a run at local midnight', () => {
    const state = freshState();
    applyUsage(
      facts({ runs: [{ startSecond: second('2026-11-25T22:59:30Z'), seconds: 60, surface: 'feed' }] }),
      state,
      'Europe/Berlin',
    );
    expect(state.days.get('2026-11-25')?.activeMs).toBe(30_000);
    expect(state.days.get('2026-11-25')?.hours[23]).toBe(30_000);
    expect(state.days.get('2026-11-26')?.activeMs).toBe(30_000);
    expect(state.days.get('2026-11-26')?.hours[0]).toBe(30_000);
  });

  it('handles the DST change: the repeated hour counts into the same local hour', () => {
    const state = freshState();
    // Berlin falls back on 25 October 2026 at 03:00 CEST → 02:00 CET: 02:xx happens twice.
    applyUsage(
      facts({ runs: [{ startSecond: second('2026-10-25T00:30:00Z'), seconds: 60, surface: 'feed' }] }),
      state,
      'Europe/Berlin',
    );
    applyUsage(
      facts({ runs: [{ startSecond: second('2026-10-25T01:30:00Z'), seconds: 60, surface: 'feed' }] }),
      state,
      'Europe/Berlin',
    );
    const day = state.days.get('2026-10-25');
    expect(day?.hours[2]).toBe(120_000);
    expect(day?.activeMs).toBe(120_000);
  });

  it('starts a new session only after 5 minutes without attention', () => {
    const state = freshState();
    const start = second('2026-11-25T12:00:00Z');
    applyUsage(
      facts({
        runs: [
          { startSecond: start, seconds: 10, surface: 'feed' },
          { startSecond: start + 10 + 299, seconds: 10, surface: 'feed' },
          { startSecond: start + 10 + 299 + 10 + 300, seconds: 10, surface: 'feed' },
        ],
      }),
      state,
      'UTC',
    );
    expect(state.days.get('2026-11-25')?.sessions).toBe(2);
  });

  it('keeps passive time apart per surface, as part of the surface’s time (a second counted once, by whichever came first)', () => {
    // Promise: the passive figure shown next to active time is exactly the time counted only by the passive rule.
    const state = freshState();
    const start = second('2026-11-25T12:00:00Z');
    applyUsage(
      facts({
        runs: [
          { startSecond: start, seconds: 60, surface: 'reels' },
          { startSecond: start + 60, seconds: 120, surface: 'reels', passive: true },
        ],
      }),
      state,
      'UTC',
    );
    // Another tab reports the same seconds as active: already counted, nothing changes.
    applyUsage(facts({ runs: [{ startSecond: start + 60, seconds: 30, surface: 'reels' }] }), state, 'UTC');
    const day = state.days.get('2026-11-25');
    expect(day?.surfaces.reels).toBe(180_000);
    expect(day?.passiveSurfaces).toEqual({ reels: 120_000 });
    expect(day?.activeMs).toBe(180_000);
  });

  it('keeps time on a hashtag page per tag', () => {
    const state = freshState();
    applyUsage(
      facts({ runs: [{ startSecond: second('2026-11-25T12:00:00Z'), seconds: 15, surface: 'hashtag', tag: 'café' }] }),
      state,
      'UTC',
    );
    expect(state.days.get('2026-11-25')?.hashtagPageMs).toEqual({ café: 15_000 });
    expect(state.days.get('2026-11-25')?.surfaces.hashtag).toBe(15_000);
  });

  it('names the UTC days and local dates it needs, including the session look-back', () => {
    const run = { startSecond: second('2026-11-25T00:02:00Z'), seconds: 10, surface: 'feed' as const };
    expect(utcDaysTouched([run]).length).toBe(2);
    expect(datesTouched(facts({ runs: [run] }), 'America/New_York')).toEqual(['2026-11-24']);
  });
});

describe('applyUsage: views and hashtags', () => {
  const at = Date.parse('2026-11-25T12:00:00Z');

  it('counts a view once per item per local day', () => {
    const state = freshState();
    const report = facts({
      views: [
        { kind: 'post', id: 'DCx8sP1oQ2a', at },
        { kind: 'post', id: 'DCx8sP1oQ2a', at: at + 5000 },
        { kind: 'reel', id: 'C9xYzAbCdE1', at },
        { kind: 'story', id: '3412345678901234567', at },
      ],
    });
    applyUsage(report, state, 'UTC');
    applyUsage(report, state, 'UTC');
    applyUsage(facts({ views: [{ kind: 'post', id: 'DCx8sP1oQ2a', at: at + 86_400_000 }] }), state, 'UTC');
    expect(state.days.get('2026-11-25')?.views).toEqual({ posts: 1, reels: 1, stories: 1 });
    expect(state.days.get('2026-11-26')?.views).toEqual({ posts: 1, reels: 0, stories: 0 });
  });

  it('counts a hashtag seen once per post per day, and used separately', () => {
    const state = freshState();
    const changes = applyUsage(
      facts({
        hashtags: [
          { postId: 'A', tag: 'sourdough', at, used: false },
          { postId: 'A', tag: 'sourdough', at, used: false },
          { postId: 'B', tag: 'sourdough', at, used: false },
          { postId: 'C', tag: 'baking', at, used: true },
        ],
      }),
      state,
      'UTC',
    );
    expect(state.days.get('2026-11-25')?.hashtags).toEqual({ seen: { sourdough: 2 }, used: { baking: 1 } });
    expect(changes.newKeys.filter((entry) => !entry.key.startsWith('pairs:'))).toEqual([
      { date: '2026-11-25', key: 'seen:A:sourdough' },
      { date: '2026-11-25', key: 'seen:B:sourdough' },
      { date: '2026-11-25', key: 'used:C:baking' },
    ]);
  });

  it('counts tags seen together once per post per day, for co-occurrence', () => {
    const state = freshState();
    const tagged = (postId: string, tags: string[]) => tags.map((tag) => ({ postId, tag, at, used: false }));
    const report = facts({
      hashtags: [...tagged('A', ['sourdough', 'baking', 'bread']), ...tagged('B', ['baking', 'sourdough'])],
    });
    applyUsage(report, state, 'UTC');
    applyUsage(report, state, 'UTC');
    expect(state.days.get('2026-11-25')?.hashtagPairs).toEqual({
      'baking bread': 1,
      'baking sourdough': 2,
      'bread sourdough': 1,
    });
  });
});
