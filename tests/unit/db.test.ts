import { Dexie } from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { changeConsent } from '../../src/background/consent';
import { guardedWrite } from '../../src/background/writeGuard';
import { SmartTagsDatabase } from '../../src/shared/storage/db';
import { type DayRecord, dayTotalsOf, defaultSettings, settingsRecord } from '../../src/shared/storage/records';
import { makeContext } from './helpers/context';
import { makeDay } from './helpers/records';

const name = `migration-${crypto.randomUUID()}`;
afterEach(async () => {
  await Dexie.delete(name);
});

describe('database migrations', () => {
  it('v1 → v9 turns stored page paths into visits by surface and drops the paths', async () => {
    const v1 = new Dexie(name);
    v1.version(1).stores({ pagesSeen: '++id, seenAt' });
    await v1.table('pagesSeen').bulkAdd([
      { path: '/', seenAt: 1000 },
      { path: '/direct/t/340282366841710300949128171234567890/', seenAt: 2000 },
      { path: '/sol.kitchen/', seenAt: 3000 },
    ]);
    v1.close();

    const v2 = new SmartTagsDatabase(name);
    await v2.open();
    expect(v2.verno).toBe(9);
    expect((await v2.visits.toArray()).map(({ surface, seenAt }) => ({ surface, seenAt }))).toEqual([
      { surface: 'feed', seenAt: 1000 },
      { surface: 'direct', seenAt: 2000 },
      { surface: 'profile', seenAt: 3000 },
    ]);
    expect(v2.tables.map((table) => table.name)).not.toContain('pagesSeen');
    v2.close();
  });

  it('v2 → v3 keeps settings written before the attention thresholds existed, read with defaults', async () => {
    const v2 = new Dexie(name);
    v2.version(2).stores({ settings: '&id', days: '&date' });
    await v2.table('settings').put({ id: 'current', retentionDays: 90 });
    v2.close();
    const v3 = new SmartTagsDatabase(name);
    const settings = settingsRecord.parse({ ...defaultSettings, ...(await v3.settings.get('current')) });
    expect(settings).toEqual({
      id: 'current',
      retentionDays: 90,
      idleSeconds: 60,
      passiveSeconds: 180,
      pausedUntil: null,
    });
    v3.close();
  });

  it('v4 → v5 adds the reminder state, empty; settings from before reminders read with both reminders off', async () => {
    const v4 = new Dexie(name);
    v4.version(4).stores({ settings: '&id', days: '&date', attendedSeconds: '&utcDay' });
    const settings = { id: 'current', retentionDays: 30, idleSeconds: 45, passiveSeconds: 240, pausedUntil: null };
    await v4.table('settings').put(settings);
    await v4.table('days').put(makeDay('2026-11-25', 1000));
    v4.close();
    const v5 = new SmartTagsDatabase(name);
    await v5.open();
    expect(v5.verno).toBe(9);
    expect(await v5.reminderState.count()).toBe(0);
    expect(await v5.days.get('2026-11-25')).toMatchObject({ activeMs: 1000 });
    const read = settingsRecord.parse({ ...defaultSettings, ...(await v5.settings.get('current')) });
    expect(read).toEqual(settings);
    expect(read.dailyLimitMinutes ?? null).toBeNull();
    expect(read.breakAfterMinutes ?? null).toBeNull();
    v5.close();
  });

  it('v5 → v6 carries each layout-drift signal over as its reader failing since then, and drops the signals', async () => {
    const v5 = new Dexie(name);
    v5.version(5).stores({ qualitySignals: '&signal', reminderState: '&id', days: '&date' });
    await v5.table('qualitySignals').bulkPut([
      { signal: 'profile-counts-missing', since: 1000, lastSeenAt: 5000 },
      { signal: 'feed-posts-missing', since: 2000, lastSeenAt: 3000 },
    ]);
    await v5.table('days').put(makeDay('2026-11-25', 1000));
    v5.close();

    const v6 = new SmartTagsDatabase(name);
    await v6.open();
    expect(v6.verno).toBe(9);
    expect(await v6.readerHealth.toArray()).toEqual([
      { reader: 'feed-posts', lastOkAt: null, failingSince: 2000, lastFailedAt: 3000 },
      { reader: 'profile-counts', lastOkAt: null, failingSince: 1000, lastFailedAt: 5000 },
    ]);
    expect(v6.tables.map((table) => table.name)).not.toContain('qualitySignals');
    expect(await v6.days.get('2026-11-25')).toMatchObject({ activeMs: 1000 });
    v6.close();
  });

  it('v5 → v6 without any signal starts with no reader health: every reader not seen yet', async () => {
    const v5 = new Dexie(name);
    v5.version(5).stores({ qualitySignals: '&signal' });
    await v5.open();
    v5.close();
    const v6 = new SmartTagsDatabase(name);
    expect(await v6.readerHealth.count()).toBe(0);
    v6.close();
  });

  it('v7 → v8 keeps each stored day and its figures without hashtags in dayTotals', async () => {
    const v7 = new Dexie(name);
    v7.version(7).stores({ days: '&date' });
    const days = [makeDay('2026-11-24', 5000), makeDay('2026-11-25', 1000)];
    await v7.table('days').bulkPut(days);
    v7.close();
    const v8 = new SmartTagsDatabase(name);
    expect(await v8.days.toArray()).toEqual(days);
    expect(await v8.dayTotals.toArray()).toEqual(days.map(dayTotalsOf));
    expect(Object.keys((await v8.dayTotals.get('2026-11-24')) ?? {})).not.toContain('hashtags');
    v8.close();
  });

  it('keeps dayTotals equal to days through every kind of write, in the same transaction', async () => {
    const db = new SmartTagsDatabase(name, { fixtureWrites: true });
    const totals = async () => (await db.dayTotals.toArray()).map(({ date, activeMs }) => [date, activeMs]);
    await db.days.bulkAdd([makeDay('2026-11-23', 1), makeDay('2026-11-24', 2), makeDay('2026-11-25', 3)]);
    expect(await totals()).toEqual([
      ['2026-11-23', 1],
      ['2026-11-24', 2],
      ['2026-11-25', 3],
    ]);
    await db.days.put(makeDay('2026-11-24', 20));
    await db.days.update('2026-11-23', { activeMs: 10 });
    await db.days
      .where('date')
      .above('2026-11-24')
      .modify((day: DayRecord) => {
        day.activeMs = 30;
      });
    expect(await totals()).toEqual([
      ['2026-11-23', 10],
      ['2026-11-24', 20],
      ['2026-11-25', 30],
    ]);
    await db.days.delete('2026-11-23');
    await db.days.where('date').below('2026-11-25').delete();
    expect(await totals()).toEqual([['2026-11-25', 30]]);
    // A day refused by its schema writes neither.
    await expect(db.days.put({ ...makeDay('2026-11-26', 4), sessions: -1 })).rejects.toThrow('invalid days record');
    await db.days.clear();
    expect(await db.dayTotals.count()).toBe(0);
    db.close();
  });

  it('a recording transaction that fails half-way writes neither a day nor its totals', async () => {
    const context = makeContext('Europe/Berlin');
    await changeConsent(context, { usage: true }, 'onboarding');
    await expect(
      guardedWrite(context, { tables: ['days'], consent: ['usage'] }, async () => {
        await context.db.days.put(makeDay('2026-11-27', 5));
        expect(await context.db.dayTotals.get('2026-11-27')).toMatchObject({ activeMs: 5 });
        throw new Error('half-way');
      }),
    ).rejects.toThrow('half-way');
    expect(await context.db.days.count()).toBe(0);
    expect(await context.db.dayTotals.count()).toBe(0);
    await context.db.delete();
  });

  it('v6 → v9 adds the tables of history imported from Instagram, empty, and keeps what was recorded', async () => {
    const v6 = new Dexie(name);
    v6.version(6).stores({ days: '&date', accountSnapshots: '[username+date], username, date' });
    await v6.table('days').put(makeDay('2026-11-25', 1000));
    v6.close();
    const v7 = new SmartTagsDatabase(name);
    await v7.open();
    expect(v7.verno).toBe(9);
    expect(await v7.importedDays.count()).toBe(0);
    expect(await v7.importedAccountPoints.count()).toBe(0);
    expect(await v7.days.get('2026-11-25')).toMatchObject({ activeMs: 1000 });
    v7.close();
  });

  it('v8 → v9 adds the follower lists, empty (none is kept before the person turns it on), and keeps the rest', async () => {
    const v8 = new Dexie(name);
    v8.version(8).stores({ days: '&date', settings: '&id', importedDays: '&date' });
    await v8.table('days').put(makeDay('2026-11-25', 1000));
    await v8.table('settings').put({ ...defaultSettings, retentionDays: 90 });
    v8.close();
    const v9 = new SmartTagsDatabase(name);
    await v9.open();
    expect(v9.verno).toBe(9);
    expect(await v9.followerLists.count()).toBe(0);
    expect(await v9.days.get('2026-11-25')).toMatchObject({ activeMs: 1000 });
    // Settings from before the follower lists read with keeping them off.
    expect(settingsRecord.parse(await v9.settings.get('current')).keepFollowerLists).toBeUndefined();
    v9.close();
  });

  it('creates the current schema on a fresh install', async () => {
    const db = new SmartTagsDatabase(name);
    await db.open();
    expect(db.tables.map((table) => table.name).sort()).toEqual([
      'accountSnapshots',
      'attendedSeconds',
      'consent',
      'consentLedger',
      'dayKeys',
      'dayTotals',
      'days',
      'deletionRequests',
      'followerLists',
      'importedAccountPoints',
      'importedDays',
      'localEdits',
      'outbox',
      'readerHealth',
      'reminderState',
      'settings',
      'syncConfig',
      'syncCredentials',
      'syncDays',
      'uploadLog',
      'visits',
    ]);
    db.close();
  });
});
