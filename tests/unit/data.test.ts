import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { changeConsent } from '../../src/background/consent';
import { exportData, importData, wipeData } from '../../src/background/data';
import { routeMessage } from '../../src/background/router';
import { updateSettings } from '../../src/background/settings';
import { type ExportDocument, parseExportDocument, parseExportText } from '../../src/shared/contracts/exportDocument';
import { latestPolicy } from '../../src/shared/domain/policy';
import { makeContext, own, type TestContext } from './helpers/context';
import { makeDay, makeSnapshot } from './helpers/records';

let context: TestContext;
beforeEach(async () => {
  context = makeContext();
  await changeConsent(context, { usage: true, account: true }, 'onboarding');
});
afterEach(async () => {
  await context.db.delete();
});

async function seed() {
  await context.db.days.bulkAdd([makeDay('2026-11-23'), makeDay('2026-11-24', 1_200_000)]);
  await context.db.accountSnapshots.bulkAdd([
    makeSnapshot('maya.rivers', '2026-11-23', 12_400),
    makeSnapshot('maya.rivers', '2026-11-24'),
    makeSnapshot('maya.studio', '2026-11-24', 310),
  ]);
  await context.db.visits.bulkAdd([
    { surface: 'feed', seenAt: context.clock.now - 5000 },
    { surface: 'reels', seenAt: context.clock.now - 1000 },
  ]);
}

const withoutExportTime = ({ exportedAt: _exportedAt, ...rest }: ExportDocument) => rest;

describe('export', () => {
  it('holds every stored record in the documented shape', async () => {
    await seed();
    const document = await exportData(context);
    expect(parseExportDocument(document)).toEqual({ ok: true, document });
    expect(document).toMatchObject({
      format: 'smarttags-export',
      version: 1,
      exportedAt: new Date(context.clock.now).toISOString(),
      // The version the extension ships now: the one the person is shown and agrees to.
      policyVersion: latestPolicy().version,
      consent: { usage: true, account: true, uploadUsage: false, uploadAccount: false },
      settings: { retentionDays: null },
    });
    expect(document.consentLedger.map((entry) => [entry.scope, entry.granted, entry.source])).toEqual([
      ['usage', true, 'onboarding'],
      ['account', true, 'onboarding'],
    ]);
    expect(document.days.map((day) => day.date)).toEqual(['2026-11-23', '2026-11-24']);
    expect(document.accounts.map((account) => [account.username, account.snapshots.map((s) => s.date)])).toEqual([
      ['maya.rivers', ['2026-11-23', '2026-11-24']],
      ['maya.studio', ['2026-11-24']],
    ]);
    expect(document.accounts[0]?.snapshots[1]).toEqual({
      date: '2026-11-24',
      observedAt: '2026-11-24T18:00:00.000Z',
      followers: { value: 12_437, exact: true },
      following: { value: 450, exact: true },
      posts: { value: 120, exact: false },
    });
    expect(document.visits.map((visit) => visit.surface)).toEqual(['feed', 'reels']);
  });
});

describe('wipe', () => {
  it('leaves no recorded data, keeps consent, and recording continues unless asked to stop', async () => {
    await seed();
    await wipeData(context, false, 'popup');
    const document = await exportData(context);
    expect(document.days).toEqual([]);
    expect(document.accounts).toEqual([]);
    expect(document.visits).toEqual([]);
    expect(document.consent.usage).toBe(true);
  });

  it('withdraws recording first when asked to stop', async () => {
    await seed();
    await wipeData(context, true, 'options');
    const document = await exportData(context);
    expect(document.consent).toEqual({ usage: false, account: false, uploadUsage: false, uploadAccount: false });
    expect(document.days).toEqual([]);
    expect(context.platform.gates.at(-1)).toMatchObject({ usage: false, account: false });
  });
});

describe('import', () => {
  it('export → wipe → import restores the same document', async () => {
    await seed();
    await updateSettings(context, { retentionDays: 365 });
    const before = await exportData(context);
    await wipeData(context, false, 'options');
    const outcome = await importData(context, JSON.parse(JSON.stringify(before)), 'replace', false);
    expect(outcome).toMatchObject({ ok: true, applied: true });
    expect(withoutExportTime(await exportData(context))).toEqual(withoutExportTime(before));
  });

  it('previews without changing anything', async () => {
    await seed();
    const document = await exportData(context);
    document.days.push(makeDay('2026-11-25'));
    await context.db.days.delete('2026-11-23');
    const outcome = await importData(context, document, 'merge', true);
    expect(outcome).toEqual({
      ok: true,
      applied: false,
      plan: {
        mode: 'merge',
        days: { add: 2, overlap: 1, onlyStored: 0 },
        accountSnapshots: { add: 0, overlap: 3, onlyStored: 0 },
        visits: { add: 0, overlap: 2, onlyStored: 0 },
        settingsChange: false,
        leftOut: { days: 0, visits: 0, accountSnapshots: 0, usedHashtagDays: 0 },
      },
    });
    expect(await context.db.days.count()).toBe(1);
  });

  it('merge adds what is missing and never changes what is stored', async () => {
    await seed();
    const document = await exportData(context);
    const changedDay = { ...makeDay('2026-11-24', 1), sessions: 99 };
    document.days = [makeDay('2026-11-20', 42), changedDay];
    document.accounts = [{ username: 'maya.rivers', snapshots: [] }];
    await importData(context, document, 'merge', false);
    expect((await context.db.days.get('2026-11-24'))?.activeMs).toBe(1_200_000);
    expect((await context.db.days.get('2026-11-20'))?.activeMs).toBe(42);
    expect(await context.db.accountSnapshots.count()).toBe(3);
  });

  it('replace swaps recorded data and the retention setting for the file’s, never consent', async () => {
    await seed();
    const document = await exportData(context);
    document.days = [makeDay('2026-01-01')];
    document.accounts = [];
    document.visits = [];
    document.settings = { retentionDays: 30, idleSeconds: 45, passiveSeconds: 240 };
    document.consent = { usage: false, account: false, uploadUsage: true, uploadAccount: true };
    const outcome = await importData(context, document, 'replace', false);
    expect(outcome).toMatchObject({ plan: { days: { add: 1, overlap: 0, onlyStored: 2 }, settingsChange: true } });
    expect((await context.db.days.toArray()).map((day) => day.date)).toEqual(['2026-01-01']);
    expect(await context.db.accountSnapshots.count()).toBe(0);
    expect(await context.db.settings.get('current')).toEqual({
      id: 'current',
      retentionDays: 30,
      idleSeconds: 45,
      passiveSeconds: 240,
      pausedUntil: null,
    });
    expect((await exportData(context)).consent).toEqual({
      usage: true,
      account: true,
      uploadUsage: false,
      uploadAccount: false,
    });
  });
});

describe('the ledger of local edits in the file (promise: corrections travel with the data they describe)', () => {
  const correction = (date: string, at = context.clock.now) => ({
    at,
    date,
    surface: 'reels' as const,
    removedMs: 60_000,
  });
  const withoutIds = async () => (await context.db.localEdits.toArray()).map(({ id: _id, ...edit }) => edit);

  it('export → wipe → import restores the corrections too', async () => {
    await seed();
    await context.db.localEdits.bulkAdd([correction('2026-11-23'), { ...correction('2026-11-20'), surface: null }]);
    const before = await exportData(context);
    expect(before.localEdits).toHaveLength(2);
    await wipeData(context, false, 'options');
    await importData(context, JSON.parse(JSON.stringify(before)), 'replace', false);
    expect(withoutExportTime(await exportData(context))).toEqual(withoutExportTime(before));
  });

  it('imports a file from before corrections existed, with none', async () => {
    await seed();
    const { localEdits: _localEdits, ...older } = await exportData(context);
    await context.db.localEdits.add(correction('2026-11-23'));
    expect(await importData(context, older, 'merge', false)).toMatchObject({ ok: true, applied: true });
    expect(await withoutIds()).toEqual([correction('2026-11-23')]);
    expect(await importData(context, older, 'replace', false)).toMatchObject({ ok: true, applied: true });
    expect(await context.db.localEdits.count()).toBe(0);
  });

  it('merge adds the file’s corrections not stored yet, never one twice', async () => {
    await seed();
    await context.db.localEdits.add(correction('2026-11-23'));
    const document = await exportData(context);
    document.localEdits.push({ at: '2026-11-25T13:00:00.000Z', date: '2026-11-24', surface: null, removedMs: 1 });
    await importData(context, document, 'merge', false);
    await importData(context, document, 'merge', false);
    expect(await withoutIds()).toEqual([
      correction('2026-11-23'),
      { at: Date.parse('2026-11-25T13:00:00.000Z'), date: '2026-11-24', surface: null, removedMs: 1 },
    ]);
  });

  it('replace swaps the stored corrections for the file’s', async () => {
    await seed();
    const document = await exportData(context);
    await context.db.localEdits.add(correction('2026-11-23'));
    document.localEdits = [{ at: '2026-11-25T13:00:00.000Z', date: '2026-11-24', surface: 'feed', removedMs: 5 }];
    await importData(context, document, 'replace', false);
    expect(await withoutIds()).toEqual([
      { at: Date.parse('2026-11-25T13:00:00.000Z'), date: '2026-11-24', surface: 'feed', removedMs: 5 },
    ]);
  });

  it('leaves the file’s corrections out without usage, like its days (they say how long a day was)', async () => {
    await seed();
    await context.db.localEdits.add(correction('2026-11-23'));
    const document = await exportData(context);
    await wipeData(context, false, 'options');
    await changeConsent(context, { usage: false }, 'options');
    await importData(context, document, 'merge', false);
    expect(await context.db.localEdits.count()).toBe(0);
  });
});

describe('import under the current consent', () => {
  const modes = ['merge', 'replace'] as const;

  /** The seeded data as a file, with storage then emptied and consent narrowed to `scopes`. */
  async function fileThenConsent(scopes: { usage?: boolean; account?: boolean }): Promise<ExportDocument> {
    await seed();
    const document = await exportData(context);
    await wipeData(context, false, 'options');
    await changeConsent(context, scopes, 'options');
    return document;
  }

  it.each(modes)(
    '%s without usage brings in no days and no visits, and the plan says what is left out',
    async (mode) => {
      // Promise: an import brings in only what the current consent scopes allow (days and visits need `usage`).
      const document = await fileThenConsent({ usage: false });
      const preview = await importData(context, document, mode, true);
      const outcome = await importData(context, document, mode, false);
      expect(outcome).toMatchObject({
        ok: true,
        applied: true,
        plan: {
          days: { add: 0, overlap: 0, onlyStored: 0 },
          accountSnapshots: { add: 3, overlap: 0, onlyStored: 0 },
          visits: { add: 0, overlap: 0, onlyStored: 0 },
          leftOut: { days: 2, visits: 2, accountSnapshots: 0, usedHashtagDays: 0 },
        },
      });
      if (preview.ok && outcome.ok) expect(preview.plan).toEqual(outcome.plan);
      expect(await context.db.days.count()).toBe(0);
      expect(await context.db.visits.count()).toBe(0);
      expect(await context.db.accountSnapshots.count()).toBe(3);
    },
  );

  it.each(modes)('%s without account brings in no account snapshots and no used hashtags', async (mode) => {
    // Promise: usernames, account figures and the tags of the person's own posts need `account`, in an import too.
    const document = await fileThenConsent({ account: false });
    const outcome = await importData(context, document, mode, false);
    expect(outcome).toMatchObject({
      ok: true,
      plan: {
        days: { add: 2, overlap: 0, onlyStored: 0 },
        accountSnapshots: { add: 0, overlap: 0, onlyStored: 0 },
        visits: { add: 2, overlap: 0, onlyStored: 0 },
        leftOut: { days: 0, visits: 0, accountSnapshots: 3, usedHashtagDays: 2 },
      },
    });
    expect(await context.db.accountSnapshots.count()).toBe(0);
    const days = await context.db.days.toArray();
    expect(days.map((day) => day.hashtags)).toEqual([
      { seen: { sourdough: 2, café: 1 }, used: {} },
      { seen: { sourdough: 2, café: 1 }, used: {} },
    ]);
    expect(days[1]).toEqual({ ...document.days[1], hashtags: { seen: { sourdough: 2, café: 1 }, used: {} } });
    expect(await context.db.visits.count()).toBe(2);
  });

  it('imports nothing recorded with every scope off, and says so', async () => {
    const document = await fileThenConsent({ usage: false, account: false });
    const outcome = await importData(context, document, 'merge', false);
    expect(outcome).toMatchObject({
      ok: true,
      plan: { leftOut: { days: 2, visits: 2, accountSnapshots: 3, usedHashtagDays: 0 } },
    });
    expect(await context.db.days.count()).toBe(0);
    expect(await context.db.accountSnapshots.count()).toBe(0);
    expect(await context.db.visits.count()).toBe(0);
  });

  it('replace under narrower consent still swaps all recorded data for what the file brings that consent allows', async () => {
    // Decided: replace means "what is stored becomes what the file brings in"; the preview says what is left out and
    // that stored records of that kind are deleted all the same.
    await seed();
    const document = await exportData(context);
    await changeConsent(context, { account: false }, 'options');
    const outcome = await importData(context, document, 'replace', false);
    expect(outcome).toMatchObject({
      ok: true,
      plan: {
        days: { add: 0, overlap: 2, onlyStored: 0 },
        accountSnapshots: { add: 0, overlap: 0, onlyStored: 3 },
        leftOut: { accountSnapshots: 3, usedHashtagDays: 2 },
      },
    });
    expect(await context.db.accountSnapshots.count()).toBe(0);
    expect((await context.db.days.toArray()).map((day) => day.hashtags.used)).toEqual([{}, {}]);
  });

  it('merge without account keeps what is stored, used hashtags included', async () => {
    await seed();
    const document = await exportData(context);
    await changeConsent(context, { account: false }, 'options');
    await importData(context, document, 'merge', false);
    expect(await context.db.accountSnapshots.count()).toBe(3);
    expect((await context.db.days.toArray()).map((day) => day.hashtags.used)).toEqual([{ baking: 1 }, { baking: 1 }]);
  });
});

describe('bad imports change nothing', () => {
  async function validDocument(): Promise<ExportDocument> {
    await seed();
    return exportData(context);
  }

  const cases: Array<[string, (document: ExportDocument) => unknown, RegExp]> = [
    ['a JSON array', () => [], /not a smartTags export/],
    ['null', () => null, /not a smartTags export/],
    ['another app’s export', () => ({ format: 'instagram-data', version: 1 }), /not a smartTags export/],
    ['a future version', (document) => ({ ...document, version: 2 }), /newer smartTags \(format version 2\)/],
    ['a string version', (document) => ({ ...document, version: '1' }), /unknown format version/],
    ['a truncated document (days missing)', ({ days: _days, ...rest }) => rest, /damaged.*days/],
    [
      'a day with 23 hours',
      (document) => ({ ...document, days: [{ ...document.days[0], hours: Array(23).fill(0) }] }),
      /damaged.*hours/,
    ],
    [
      'a negative count',
      (document) => ({ ...document, days: [{ ...document.days[0], sessions: -1 }] }),
      /damaged.*sessions/,
    ],
    [
      'an impossible date',
      (document) => ({ ...document, days: [{ ...document.days[0], date: '2026-02-30' }] }),
      /calendar date/,
    ],
    [
      'an unknown time zone',
      (document) => ({ ...document, days: [{ ...document.days[0], timeZone: 'Mars/Base' }] }),
      /time zone/,
    ],
    ['a duplicated day', (document) => ({ ...document, days: [document.days[0], document.days[0]] }), /appears twice/],
    [
      'a bad username',
      (document) => ({ ...document, accounts: [{ username: 'not a user!', snapshots: [] }] }),
      /username/,
    ],
    [
      'a duplicated snapshot',
      (document) => ({
        ...document,
        accounts: [
          {
            ...document.accounts[0],
            snapshots: [document.accounts[0]?.snapshots[0], document.accounts[0]?.snapshots[0]],
          },
        ],
      }),
      /two snapshots/,
    ],
    [
      'an unknown surface',
      (document) => ({ ...document, visits: [{ surface: 'shopping', seenAt: document.exportedAt }] }),
      /damaged.*surface/,
    ],
  ];

  it.each(cases)('%s', async (_label, corrupt, reason) => {
    const document = await validDocument();
    const before = await exportData(context);
    const outcome = await importData(context, corrupt(structuredClone(document)), 'replace', false);
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.reason).toMatch(reason);
    expect(withoutExportTime(await exportData(context))).toEqual(withoutExportTime(before));
  });

  it('says a truncated file is not valid JSON', async () => {
    const text = JSON.stringify(await validDocument());
    expect(parseExportText(text.slice(0, text.length / 2))).toEqual({
      ok: false,
      error: expect.stringMatching(/not valid JSON.*truncated/),
    });
  });

  it.each(['merge', 'replace'] as const)(
    'a %s failing in its transaction (a storage error) stores nothing and is answered internal',
    async (mode) => {
      // Promise: an import applies in one transaction; a failure half-way leaves storage as it was, and says so.
      const document = await validDocument();
      document.days.push(makeDay('2026-11-25'));
      document.visits.push({ surface: 'explore', seenAt: new Date(context.clock.now).toISOString() });
      const before = await exportData(context);
      const failing = vi
        .spyOn(context.db.visits, 'bulkAdd')
        .mockRejectedValue(new DOMException('The quota has been exceeded.', 'QuotaExceededError'));
      const options = { id: own.id, url: `${own.origin}/src/options/index.html`, tab: { id: 2 }, frameId: 0 };
      const reply = await routeMessage({ type: 'data.import', document, mode }, options, context);
      expect(failing).toHaveBeenCalled();
      failing.mockRestore();
      expect(reply).toMatchObject({ ok: false, error: { code: 'internal', message: expect.stringMatching(/quota/) } });
      expect(withoutExportTime(await exportData(context))).toEqual(withoutExportTime(before));
    },
  );

  it('rolls back a replace that fails half-way, losing nothing already stored', async () => {
    const document = await validDocument();
    const before = await exportData(context);
    const failing = vi.spyOn(context.db.visits, 'bulkAdd').mockRejectedValue(new Error('quota exceeded'));
    await expect(importData(context, document, 'replace', false)).rejects.toThrow('quota exceeded');
    failing.mockRestore();
    expect(withoutExportTime(await exportData(context))).toEqual(withoutExportTime(before));
  });
});
