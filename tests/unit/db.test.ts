import { Dexie } from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { SmartTagsDatabase } from '../../src/shared/db';

const name = `migration-${crypto.randomUUID()}`;
afterEach(async () => {
  await Dexie.delete(name);
});

describe('database migrations', () => {
  it('v1 → v2 turns stored page paths into visits by surface and drops the paths', async () => {
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
    expect(v2.verno).toBe(2);
    expect((await v2.visits.toArray()).map(({ surface, seenAt }) => ({ surface, seenAt }))).toEqual([
      { surface: 'feed', seenAt: 1000 },
      { surface: 'direct', seenAt: 2000 },
      { surface: 'profile', seenAt: 3000 },
    ]);
    expect(v2.tables.map((table) => table.name)).not.toContain('pagesSeen');
    v2.close();
  });

  it('creates the current schema on a fresh install', async () => {
    const db = new SmartTagsDatabase(name);
    await db.open();
    expect(db.tables.map((table) => table.name).sort()).toEqual([
      'accountSnapshots',
      'consent',
      'consentLedger',
      'days',
      'settings',
      'visits',
    ]);
    db.close();
  });
});
