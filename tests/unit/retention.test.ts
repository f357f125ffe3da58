import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pruneExpired, retentionCutoff } from '../../src/background/retention';
import { updateSettings } from '../../src/background/settings';
import { addDays } from '../../src/shared/domain/dates';
import { makeContext, type TestContext } from './helpers/context';
import { makeDay, makeSnapshot } from './helpers/records';

let context: TestContext;
beforeEach(() => {
  context = makeContext('Europe/Berlin');
});
afterEach(async () => {
  await context.db.delete();
});

describe('retention', () => {
  it('keeps today and the N − 1 days before it, in the local time zone', () => {
    // 23:30 UTC on 25 November is already 26 November in Berlin.
    const lateEvening = Date.UTC(2026, 10, 25, 23, 30);
    expect(retentionCutoff(lateEvening, 'Europe/Berlin', 30)).toBe('2026-10-28');
    expect(retentionCutoff(lateEvening, 'UTC', 30)).toBe('2026-10-27');
    expect(retentionCutoff(lateEvening, 'UTC', 1)).toBe('2026-11-25');
  });

  it('keeps everything when no limit is chosen', async () => {
    await context.db.days.bulkAdd([makeDay('2020-01-01'), makeDay('2026-11-25')]);
    expect(await pruneExpired(context)).toEqual({ days: 0, snapshots: 0, visits: 0, edits: 0, imported: 0 });
    expect(await context.db.days.count()).toBe(2);
  });

  it('deletes days, account snapshots, visits and the corrections of those days older than the limit when it is set', async () => {
    const today = '2026-11-25';
    await context.db.days.bulkAdd([makeDay(addDays(today, -30)), makeDay(addDays(today, -29)), makeDay(today)]);
    await context.db.accountSnapshots.bulkAdd([makeSnapshot('maya', addDays(today, -31)), makeSnapshot('maya', today)]);
    await context.db.visits.bulkAdd([
      { surface: 'feed', seenAt: context.clock.now - 40 * 86_400_000 },
      { surface: 'reels', seenAt: context.clock.now },
    ]);
    await context.db.localEdits.bulkAdd([
      { at: context.clock.now, date: addDays(today, -30), surface: 'feed', removedMs: 60_000 },
      { at: context.clock.now, date: today, surface: null, removedMs: 1000 },
    ]);
    await updateSettings(context, { retentionDays: 30 });
    expect((await context.db.days.toArray()).map((day) => day.date)).toEqual([addDays(today, -29), today]);
    expect((await context.db.accountSnapshots.toArray()).map((snapshot) => snapshot.date)).toEqual([today]);
    expect((await context.db.visits.toArray()).map((visit) => visit.surface)).toEqual(['reels']);
    expect((await context.db.localEdits.toArray()).map((edit) => edit.date)).toEqual([today]);
  });

  it('deletes history imported from Instagram older than the limit, like recorded data', async () => {
    const today = '2026-11-25';
    const imported = (date: string) => ({
      date,
      source: 'instagram-export' as const,
      views: { posts: 2, reels: 1 },
      tagsUsed: {},
      ownPosts: 0,
      importedAt: 1,
    });
    const point = (date: string) => ({
      username: 'maya',
      date,
      source: 'instagram-export' as const,
      followers: { value: 5, exact: false as const },
      following: null,
      importedAt: 1,
    });
    await context.db.importedDays.bulkAdd([imported(addDays(today, -30)), imported(today)]);
    await context.db.importedAccountPoints.bulkAdd([point(addDays(today, -31)), point(today)]);
    await updateSettings(context, { retentionDays: 30 });
    expect((await context.db.importedDays.toArray()).map((day) => day.date)).toEqual([today]);
    expect((await context.db.importedAccountPoints.toArray()).map((kept) => kept.date)).toEqual([today]);
  });

  it('prunes again as days pass (the daily alarm)', async () => {
    await updateSettings(context, { retentionDays: 30 });
    await context.db.days.add(makeDay('2026-11-01'));
    expect((await pruneExpired(context)).days).toBe(0);
    context.clock.now += 30 * 86_400_000;
    expect((await pruneExpired(context)).days).toBe(1);
  });

  it('keeps the setting across restarts (it is stored, not held in memory)', async () => {
    await updateSettings(context, { retentionDays: 90 });
    expect(await context.db.settings.get('current')).toEqual({
      id: 'current',
      retentionDays: 90,
      idleSeconds: 60,
      passiveSeconds: 180,
      pausedUntil: null,
    });
  });
});
