/**
 * Importing Instagram's own data export: the merge rules (src/shared/domain/instagramHistory.ts) and the background's
 * import (src/background/instagramImport.ts, through the router as the page calls it), on the synthetic fixtures of
 * tests/fixtures/instagram-export/.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { changeConsent } from '../../src/background/consent';
import { exportData, wipeData } from '../../src/background/data';
import { routeMessage } from '../../src/background/router';
import { exportDocumentSchema } from '../../src/shared/contracts/exportDocument';
import type { InstagramImportResult } from '../../src/shared/contracts/instagramExport';
import { planInstagramImport } from '../../src/shared/domain/instagramExport';
import {
  consentedHistory,
  isOtherAccount,
  mergeImportedDay,
  withImportedDays,
  withImportedPoints,
} from '../../src/shared/domain/instagramHistory';
import { emptyDay } from '../../src/shared/domain/reports';
import type { ImportedDayRecord } from '../../src/shared/storage/records';
import { exportFiles } from '../support/instagramExportFixtures';
import { makeContext, own, type TestContext } from './helpers/context';
import { makeDay, makeSnapshot } from './helpers/records';

const page = { id: own.id, url: `${own.origin}/src/options/index.html` };

let context: TestContext;
beforeEach(() => {
  context = makeContext('Europe/Amsterdam');
});
afterEach(async () => {
  await context.db.delete();
});

async function importFiles(files: Array<{ name: string; text: string }>, dryRun = false) {
  return routeMessage({ type: 'instagram.import', files, ...(dryRun ? { dryRun } : {}) }, page, context);
}

async function imported(files: Array<{ name: string; text: string }>, dryRun = false): Promise<InstagramImportResult> {
  const reply = await importFiles(files, dryRun);
  if (!reply.ok || !('value' in reply)) throw new Error(`import refused: ${JSON.stringify(reply)}`);
  return reply.value as InstagramImportResult;
}

/** Everything the import may write, to show what it changed (or did not). */
const importedTables = async () => ({
  days: await context.db.importedDays.toArray(),
  points: await context.db.importedAccountPoints.toArray(),
});

const grantAll = () => changeConsent(context, { usage: true, account: true }, 'onboarding');

describe('instagram.import: the background imports the export it is given', () => {
  it('fills the imported days and the owner’s points, and says what it did (the export back-fills history)', async () => {
    await grantAll();
    const result = await imported(exportFiles('current'));
    expect(result.applied).toBe(true);
    expect(result.changes).toEqual({ daysAdded: 3, daysRaised: 0, pointsAdded: 6, pointsRaised: 0 });
    const { days, points } = await importedTables();
    expect(days.map(({ date, views, ownPosts, source }) => [date, views, ownPosts, source])).toEqual([
      ['2025-02-28', { posts: 0, reels: 0 }, 1, 'instagram-export'],
      ['2025-03-01', { posts: 2, reels: 1 }, 1, 'instagram-export'],
      ['2025-03-02', { posts: 2, reels: 2 }, 2, 'instagram-export'],
    ]);
    expect(days[0]?.tagsUsed).toEqual({ boulangerie: 1, café: 1, sourdough: 1 });
    expect(points.every((point) => point.username === 'lena.example')).toBe(true);
    expect(points.find((point) => point.date === '2025-03-02')?.followers).toEqual({ value: 5, exact: false });
    expect(points.find((point) => point.date === '2023-05-05')).toMatchObject({
      followers: null,
      following: { value: 1, exact: false },
    });
  });

  it('keeps no other person’s username: not stored, not answered (authors and followers are counts only)', async () => {
    await grantAll();
    const result = await imported(exportFiles('current'));
    expect(result.plan.followerUsernames).toBeNull();
    const everything = JSON.stringify([result, await importedTables()]);
    for (const other of ['friend.', 'sample.cook', 'trail.example', 'reel.maker', 'other.reels']) {
      expect(everything).not.toContain(other);
    }
  });

  it('writes nothing on a dry run, and answers the same plan (the preview is what the import will do)', async () => {
    await grantAll();
    const preview = await imported(exportFiles('current'), true);
    expect(preview.applied).toBe(false);
    expect(await importedTables()).toEqual({ days: [], points: [] });
    const done = await imported(exportFiles('current'));
    expect(done.changes).toEqual(preview.changes);
    expect(done.plan).toEqual(preview.plan);
  });

  it('changes nothing when the same export is imported twice (idempotent), not even the import time', async () => {
    await grantAll();
    await imported(exportFiles('current'));
    const first = await importedTables();
    context.clock.now += 86_400_000;
    const again = await imported(exportFiles('current'));
    expect(again.changes).toEqual({ daysAdded: 0, daysRaised: 0, pointsAdded: 0, pointsRaised: 0 });
    expect(await importedTables()).toEqual(first);
  });

  it('merges a later export without lowering what an earlier one brought (one part, then both)', async () => {
    await grantAll();
    await imported(exportFiles('split/part2'));
    const before = await importedTables();
    const both = await imported([...exportFiles('split/part1'), ...exportFiles('split/part2')]);
    const after = await importedTables();
    for (const day of before.days) {
      const kept = after.days.find((candidate) => candidate.date === day.date);
      expect(kept?.views.posts).toBeGreaterThanOrEqual(day.views.posts);
      expect(kept?.views.reels).toBeGreaterThanOrEqual(day.views.reels);
    }
    expect(both.changes.daysAdded + both.changes.daysRaised).toBeGreaterThan(0);
    // Part 2 again: every figure it holds is already there, so nothing changes.
    const partOnly = await imported(exportFiles('split/part2'));
    expect(partOnly.changes).toEqual({ daysAdded: 0, daysRaised: 0, pointsAdded: 0, pointsRaised: 0 });
    expect(await importedTables()).toEqual(after);
  });

  it('never touches what smartTags recorded itself (imported history is kept apart)', async () => {
    await grantAll();
    const recorded = makeDay('2025-03-01', 600_000, { views: { posts: 40, reels: 7, stories: 0 } });
    await context.db.days.add(recorded);
    await imported(exportFiles('current'));
    expect(await context.db.days.toArray()).toEqual([recorded]);
  });
});

describe('instagram.import: consent', () => {
  it('imports nothing without consent, and the answer says what consent left out and why', async () => {
    const result = await imported(exportFiles('current'));
    expect(result.leftOutByConsent).toEqual({
      usage: { views: 2, tagsUsed: 3 },
      account: { ownPosts: 3, followerPoints: 4, followingPoints: 3 },
    });
    expect(await importedTables()).toEqual({ days: [], points: [] });
  });

  it('with usage only: views, no own hashtags, own posts or follower points (those need account)', async () => {
    await changeConsent(context, { usage: true }, 'onboarding');
    const result = await imported(exportFiles('current'));
    expect(result.leftOutByConsent).toEqual({
      account: { tagsUsed: 3, ownPosts: 3, followerPoints: 4, followingPoints: 3 },
    });
    const { days, points } = await importedTables();
    expect(days.map((day) => day.date)).toEqual(['2025-03-01', '2025-03-02']);
    expect(days.every((day) => Object.keys(day.tagsUsed).length === 0 && day.ownPosts === 0)).toBe(true);
    expect(points).toEqual([]);
  });

  it('with account only: follower points and own posts, no views and no own hashtags (those need usage too)', async () => {
    await changeConsent(context, { account: true }, 'onboarding');
    const result = await imported(exportFiles('current'));
    expect(result.leftOutByConsent).toEqual({ usage: { views: 2, tagsUsed: 3 } });
    const { days, points } = await importedTables();
    expect(days.every((day) => day.views.posts + day.views.reels === 0)).toBe(true);
    expect(points.length).toBeGreaterThan(0);
  });
});

describe('instagram.import: refusals', () => {
  it('refuses an export of another account than the one recorded, and writes nothing', async () => {
    await grantAll();
    await context.db.accountSnapshots.add(makeSnapshot('maya.rivers', '2026-11-20'));
    const reply = await importFiles(exportFiles('current'));
    expect(reply).toMatchObject({ ok: false, error: { code: 'bad-import', reason: 'other-account' } });
    expect(await importedTables()).toEqual({ days: [], points: [] });
  });

  it('accepts the export of the recorded account, and any export while no account is known yet', async () => {
    await grantAll();
    await context.db.accountSnapshots.add(makeSnapshot('lena.example', '2026-11-20'));
    expect((await importFiles(exportFiles('current'))).ok).toBe(true);
    // Once imported, the export's owner is known: another account's export is refused after it.
    const other = await importFiles(exportFiles('other-account'));
    expect(other).toMatchObject({ ok: false, error: { reason: 'other-account' } });
  });

  it.each([
    ['html-export', 'html'],
    ['corrupt', 'corrupt'],
  ])('refuses %s with that reason and a readable message', async (reason, folder) => {
    await grantAll();
    const files = exportFiles(folder).filter((file) => reason !== 'corrupt' || !file.name.includes('videos'));
    const reply = await importFiles(files);
    expect(reply).toMatchObject({ ok: false, error: { code: 'bad-import', reason } });
    expect(await importedTables()).toEqual({ days: [], points: [] });
  });

  it('refuses files that are not an export, and two accounts’ exports mixed', async () => {
    await grantAll();
    expect(await importFiles([{ name: 'notes/todo.json', text: '[]' }])).toMatchObject({
      ok: false,
      error: { reason: 'not-an-export' },
    });
    expect(await importFiles([...exportFiles('current'), ...exportFiles('other-account')])).toMatchObject({
      ok: false,
      error: { reason: 'mixed-accounts' },
    });
  });

  it('writes nothing at all when a write fails half-way (one transaction)', async () => {
    await grantAll();
    const failing = vi
      .spyOn(context.db.importedAccountPoints, 'bulkPut')
      .mockRejectedValue(new Error('disk full, after the days were written'));
    const reply = await importFiles(exportFiles('current'));
    expect(reply).toMatchObject({ ok: false, error: { code: 'internal' } });
    failing.mockRestore();
    expect(await importedTables()).toEqual({ days: [], points: [] });
  });

  it('is in “Export my data”, and a smartTags file of it still reads back (the person keeps everything stored)', async () => {
    await grantAll();
    await imported(exportFiles('current'));
    const document = await exportData(context);
    expect(document.importedFromInstagram.days.map((day) => day.date)).toEqual([
      '2025-02-28',
      '2025-03-01',
      '2025-03-02',
    ]);
    expect(document.importedFromInstagram.accountPoints).toHaveLength(6);
    expect(exportDocumentSchema.safeParse(JSON.parse(JSON.stringify(document))).success).toBe(true);
  });

  it('is deleted by “Delete all my data”', async () => {
    await grantAll();
    await imported(exportFiles('current'));
    await wipeData(context, false, 'options');
    expect(await importedTables()).toEqual({ days: [], points: [] });
  });
});

describe('merge rules (pure)', () => {
  const plan = planInstagramImport(exportFiles('current'), 'Europe/Amsterdam');
  const stored: ImportedDayRecord = {
    date: '2025-03-01',
    source: 'instagram-export',
    views: { posts: 5, reels: 0 },
    tagsUsed: { sourdough: 3 },
    ownPosts: 0,
    importedAt: 1,
  };

  it('raises each count to the larger figure and never lowers one', () => {
    const merged = mergeImportedDay(
      stored,
      { date: '2025-03-01', views: { posts: 2, reels: 4 }, tagsUsed: { sourdough: 1, café: 2 }, ownPosts: 1 },
      2,
    );
    expect(merged).toEqual({
      date: '2025-03-01',
      source: 'instagram-export',
      views: { posts: 5, reels: 4 },
      tagsUsed: { sourdough: 3, café: 2 },
      ownPosts: 1,
      importedAt: 2,
    });
  });

  it('writes nothing when the stored day already holds every figure', () => {
    expect(
      mergeImportedDay(stored, { date: '2025-03-01', views: { posts: 1, reels: 0 }, tagsUsed: {}, ownPosts: 0 }, 2),
    ).toBeNull();
  });

  it('drops a day consent leaves empty', () => {
    const history = consentedHistory(plan, { usage: true, account: false });
    // 28 February holds only an own post and its hashtags: nothing of it is allowed under usage alone.
    expect(history.days.map((day) => day.date)).toEqual(['2025-03-01', '2025-03-02']);
  });

  it('refuses another account only when one is known', () => {
    expect(isOtherAccount('lena.example', new Set())).toBe(false);
    expect(isOtherAccount('lena.example', new Set(['lena.example']))).toBe(false);
    expect(isOtherAccount('lena.example', new Set(['maya.rivers']))).toBe(true);
    expect(isOtherAccount(null, new Set(['maya.rivers']))).toBe(false);
  });

  it('the dashboard shows per count the larger of recorded and imported, and marks what the import filled', () => {
    const recorded = makeDay('2025-03-01', 600_000, { views: { posts: 9, reels: 0, stories: 3 } });
    const unchanged = makeDay('2025-03-05', 600_000, { views: { posts: 9, reels: 9, stories: 0 } });
    const { days, importedDates } = withImportedDays(
      [recorded, unchanged],
      [stored, { ...stored, date: '2025-02-20' }, { ...stored, date: '2025-03-05', tagsUsed: {} }],
      emptyDay,
    );
    expect(days.map((day) => [day.date, day.views, day.activeMs])).toEqual([
      ['2025-02-20', { posts: 5, reels: 0, stories: 0 }, 0],
      ['2025-03-01', { posts: 9, reels: 0, stories: 3 }, 600_000],
      ['2025-03-05', { posts: 9, reels: 9, stories: 0 }, 600_000],
    ]);
    expect(days[1]?.hashtags.used).toMatchObject({ sourdough: 3 });
    // 1 March: the imported hashtags raised it; 5 March: recorded already held every imported figure.
    expect([...importedDates].sort()).toEqual(['2025-02-20', '2025-03-01']);
  });

  it('a recorded snapshot wins over an imported point of the same date; imported points fill the rest', () => {
    const snapshot = makeSnapshot('lena.example', '2025-03-02', 7);
    const point = (date: string) => ({
      username: 'lena.example',
      date,
      source: 'instagram-export' as const,
      followers: { value: 5, exact: false as const },
      following: null,
      importedAt: 1,
    });
    const { snapshots, importedDates } = withImportedPoints([snapshot], [point('2025-03-02'), point('2025-03-01')]);
    expect(snapshots.map((kept) => [kept.date, kept.followers])).toEqual([
      ['2025-03-02', snapshot.followers],
      ['2025-03-01', { value: 5, exact: false }],
    ]);
    expect([...importedDates]).toEqual(['2025-03-01']);
  });
});
