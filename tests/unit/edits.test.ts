/**
 * Correcting a day by hand (`day.edit`, src/background/edits.ts). Each test names the promise it protects: the day is
 * gone or corrected, the ledger records it, a bad date changes nothing, a resent report cannot bring deleted time
 * back, a correction works without consent, a wipe clears the ledger, and sync learns what to send again.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { changeConsent } from '../../src/background/consent';
import { exportData, wipeData } from '../../src/background/data';
import { pauseRecording } from '../../src/background/pause';
import { routeMessage } from '../../src/background/router';
import { previewUpload } from '../../src/background/sync/sync';
import { recordUsage } from '../../src/background/usage';
import type { UsageReportMessage } from '../../src/shared/contracts/messages';
import type { Surface } from '../../src/shared/domain/routes';
import { makeContext, own, type TestContext } from './helpers/context';
import { makeDay, makeSnapshot } from './helpers/records';

const page = { id: own.id, url: `${own.origin}/src/options/index.html`, tab: { id: 2 }, frameId: 0 };

let context: TestContext;
beforeEach(async () => {
  context = makeContext('Europe/Berlin');
  await changeConsent(context, { usage: true, account: true }, 'onboarding');
});
afterEach(async () => {
  await context.db.delete();
});

const edit = (date: string, surface?: Surface) =>
  routeMessage({ type: 'day.edit', date, ...(surface && { surface }) }, page, context);

/** 40 min of reels (10 of them passive) and 20 of feed, over two hours; some time on a tag page. */
const mixedDay = (date: string) => {
  const hours = Array.from({ length: 24 }, () => 0);
  hours[9] = 1_200_000;
  hours[20] = 2_400_000;
  return makeDay(date, 3_600_000, {
    surfaces: { ...makeDay(date).surfaces, feed: 1_200_000, reels: 1_800_000, hashtag: 600_000 },
    passiveSurfaces: { reels: 600_000 },
    hours,
    sessions: 3,
    hashtagPageMs: { sourdough: 600_000 },
  });
};

/** Everything stored, table by table, to show that a refused correction changed nothing. */
const storedData = () => Promise.all(context.db.tables.map(async (table) => [table.name, await table.toArray()]));

describe('deleting a day (promise: a wrong day can be deleted, and the deletion is recorded)', () => {
  it('deletes the day, answers the time removed and records the deletion in the ledger', async () => {
    await context.db.days.bulkAdd([mixedDay('2026-11-23'), makeDay('2026-11-24')]);
    expect(await edit('2026-11-23')).toEqual({ ok: true, value: { removedMs: 3_600_000 } });
    expect(await context.db.days.get('2026-11-23')).toBeUndefined();
    expect(await context.db.days.get('2026-11-24')).toBeDefined();
    expect(await context.db.localEdits.toArray()).toEqual([
      { id: 1, at: context.clock.now, date: '2026-11-23', surface: null, removedMs: 3_600_000 },
    ]);
  });

  it('keeps the account snapshot of that date: it is the account’s growth, not the day’s use', async () => {
    await context.db.days.add(makeDay('2026-11-23'));
    await context.db.accountSnapshots.add(makeSnapshot('maya.rivers', '2026-11-23'));
    await edit('2026-11-23');
    expect(await context.db.accountSnapshots.count()).toBe(1);
  });

  it('works with consent withdrawn and while recording is paused: deleting one’s data is always allowed', async () => {
    await context.db.days.add(makeDay('2026-11-23'));
    await changeConsent(context, { usage: false, account: false }, 'options');
    await pauseRecording(context, context.clock.now + 3_600_000);
    expect(await edit('2026-11-23')).toEqual({ ok: true, value: { removedMs: 600_000 } });
    expect(await context.db.days.count()).toBe(0);
    expect(await context.db.localEdits.count()).toBe(1);
  });
});

describe('removing one surface’s time (promise: the day is corrected consistently)', () => {
  it('takes the surface out of the total, the surface, its passive part and the hours, which still add up', async () => {
    await context.db.days.add(mixedDay('2026-11-23'));
    expect(await edit('2026-11-23', 'reels')).toEqual({ ok: true, value: { removedMs: 1_800_000 } });
    const day = await context.db.days.get('2026-11-23');
    expect(day).toMatchObject({ activeMs: 1_800_000, sessions: 3, passiveSurfaces: {} });
    expect(day?.surfaces).toMatchObject({ reels: 0, feed: 1_200_000, hashtag: 600_000 });
    // Hours know no surface: both keep their shape, halved with the day's time.
    expect(day?.hours[9]).toBe(600_000);
    expect(day?.hours[20]).toBe(1_200_000);
    expect(day?.hours.reduce((sum, ms) => sum + ms, 0)).toBe(1_800_000);
    // Views and hashtags are counts of what was seen, not time: they stay.
    expect(day?.views).toEqual(mixedDay('2026-11-23').views);
    expect(day?.hashtagPageMs).toEqual({ sourdough: 600_000 });
    expect(await context.db.localEdits.toArray()).toMatchObject([
      { date: '2026-11-23', surface: 'reels', removedMs: 1_800_000 },
    ]);
  });

  it('removes the time on tag pages with the hashtag surface', async () => {
    await context.db.days.add(mixedDay('2026-11-23'));
    await edit('2026-11-23', 'hashtag');
    expect((await context.db.days.get('2026-11-23'))?.hashtagPageMs).toEqual({});
  });

  it('keeps the hours adding up to the total when they do not split evenly', async () => {
    const hours = Array.from({ length: 24 }, () => 0);
    hours[1] = 1000;
    hours[2] = 1000;
    hours[3] = 1000;
    await context.db.days.add(
      makeDay('2026-11-23', 3000, { surfaces: { ...makeDay('x').surfaces, feed: 2000, reels: 1000 }, hours }),
    );
    await edit('2026-11-23', 'reels');
    const day = await context.db.days.get('2026-11-23');
    expect(day?.hours.slice(1, 4).sort()).toEqual([666, 667, 667]);
    expect(day?.hours.reduce((sum, ms) => sum + ms, 0)).toBe(2000);
  });

  it('leaves no session when no time remains', async () => {
    await context.db.days.add(makeDay('2026-11-23'));
    await edit('2026-11-23', 'feed');
    expect(await context.db.days.get('2026-11-23')).toMatchObject({ activeMs: 0, sessions: 0 });
    expect((await context.db.days.get('2026-11-23'))?.hours.every((ms) => ms === 0)).toBe(true);
  });
});

describe('a correction of what is not there changes nothing (promise: nothing written on a bad request)', () => {
  it('answers not-found for a date with no day, and writes nothing', async () => {
    await context.db.days.add(makeDay('2026-11-24'));
    const before = await storedData();
    expect(await edit('2026-11-20')).toMatchObject({ ok: false, error: { code: 'not-found' } });
    expect(await edit('2026-11-20', 'feed')).toMatchObject({ ok: false, error: { code: 'not-found' } });
    expect(await storedData()).toEqual(before);
  });

  it('answers not-found for a surface without time on that day, and writes nothing', async () => {
    await context.db.days.add(makeDay('2026-11-24'));
    const before = await storedData();
    expect(await edit('2026-11-24', 'reels')).toMatchObject({ ok: false, error: { code: 'not-found' } });
    expect(await storedData()).toEqual(before);
  });

  it('refuses a date that is not a calendar date before looking', async () => {
    expect(await routeMessage({ type: 'day.edit', date: '2026-02-30' }, page, context)).toMatchObject({
      ok: false,
      error: { code: 'bad-message' },
    });
  });
});

describe('a resent report cannot bring corrected time back (promise: a correction sticks)', () => {
  const report = (): UsageReportMessage => {
    const second = Math.floor(context.clock.now / 1000) - 120;
    return {
      type: 'usage.report',
      runs: [
        { startSecond: second, seconds: 30, surface: 'feed' },
        { startSecond: second + 30, seconds: 30, surface: 'reels' },
      ],
      views: [{ kind: 'post', id: 'DCx8sP1oQ2a', at: context.clock.now - 5000 }],
      hashtags: [{ postId: 'DCx8sP1oQ2a', tag: 'sourdough', at: context.clock.now - 5000, used: false }],
    };
  };

  it('a deleted day does not come back, not even in part, when its report is resent', async () => {
    expect(await recordUsage(context, report())).toBe('recorded');
    expect(await edit('2026-11-25')).toEqual({ ok: true, value: { removedMs: 60_000 } });
    // The content script keeps a report it got no answer for and sends it again.
    expect(await recordUsage(context, report())).toBe('recorded');
    expect(await context.db.days.get('2026-11-25')).toBeUndefined();
  });

  it('a removed surface stays removed when its report is resent, and new use still counts', async () => {
    await recordUsage(context, report());
    await edit('2026-11-25', 'reels');
    await recordUsage(context, report());
    expect(await context.db.days.get('2026-11-25')).toMatchObject({ activeMs: 30_000, surfaces: { reels: 0 } });
    context.clock.now += 60_000;
    const later = Math.floor(context.clock.now / 1000) - 10;
    await recordUsage(context, {
      type: 'usage.report',
      runs: [{ startSecond: later, seconds: 5, surface: 'reels' }],
      views: [],
      hashtags: [],
    });
    expect(await context.db.days.get('2026-11-25')).toMatchObject({ activeMs: 35_000, surfaces: { reels: 5000 } });
  });
});

describe('the ledger of local edits (promise: the person’s corrections are kept, exported and wiped)', () => {
  it('is exported, oldest first', async () => {
    await context.db.days.bulkAdd([mixedDay('2026-11-23'), makeDay('2026-11-24')]);
    await edit('2026-11-23', 'reels');
    context.clock.now += 1000;
    await edit('2026-11-24');
    expect((await exportData(context)).localEdits).toEqual([
      { at: '2026-11-25T12:00:00.000Z', date: '2026-11-23', surface: 'reels', removedMs: 1_800_000 },
      { at: '2026-11-25T12:00:01.000Z', date: '2026-11-24', surface: null, removedMs: 600_000 },
    ]);
  });

  it('is emptied by a wipe', async () => {
    await context.db.days.add(makeDay('2026-11-23'));
    await edit('2026-11-23', 'feed');
    await wipeData(context, false, 'options');
    expect(await context.db.localEdits.count()).toBe(0);
  });
});

describe('sync learns what to send again (promise: an edited day reaches the backend corrected)', () => {
  beforeEach(async () => {
    await changeConsent(context, { uploadUsage: true }, 'options');
  });

  /** What the last enqueue recorded: as if this finished day had been uploaded. */
  async function enqueued(date: string) {
    await context.db.syncDays.put({ date, fingerprint: 'as enqueued', revision: 7 });
  }

  it('marks a deleted day that was enqueued, so it goes out once more as an empty day', async () => {
    await context.db.days.add(makeDay('2026-11-23'));
    await enqueued('2026-11-23');
    await edit('2026-11-23');
    const preview = await previewUpload(context);
    expect(preview).toHaveProperty('batch');
    if (!('batch' in preview)) return;
    expect(preview.batch.days).toHaveLength(1);
    expect(preview.batch.days[0]).toMatchObject({
      date: '2026-11-23',
      activeMs: 0,
      sessions: 0,
      views: { posts: 0, reels: 0, stories: 0 },
      hashtags: { seen: {}, used: {} },
      revision: context.clock.now,
    });
  });

  it('marks nothing for a day never enqueued: none of it left the device', async () => {
    await context.db.days.add(makeDay('2026-11-23'));
    await edit('2026-11-23');
    expect(await context.db.syncDays.count()).toBe(0);
    expect(await previewUpload(context)).toMatchObject({ batch: { days: [] } });
  });
});
