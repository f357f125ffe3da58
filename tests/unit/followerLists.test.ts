/**
 * "Who unfollowed me since the last import" (issue 15): the pure rules (src/shared/domain/followerLists.ts), the
 * planner's reading of the followers' usernames (src/shared/domain/instagramExport.ts), and the background keeping,
 * deleting, exporting and never uploading the lists (src/background/instagramImport.ts, followerLists.ts, data.ts,
 * retention.ts, sync/), through the router as the options page calls it. Each test names the promise it protects.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { changeConsent } from '../../src/background/consent';
import { exportData, importData, wipeData } from '../../src/background/data';
import { pruneExpired } from '../../src/background/retention';
import { routeMessage } from '../../src/background/router';
import { drain, previewUpload } from '../../src/background/sync/sync';
import { exportCsvFiles } from '../../src/shared/contracts/exportCsv';
import { exportDocumentSchema } from '../../src/shared/contracts/exportDocument';
import type { InstagramImportResult } from '../../src/shared/contracts/instagramExport';
import {
  compareNewestLists,
  decideFollowerList,
  type FollowerList,
  followerChanges,
  isNormalised,
  listsToDropForNew,
  normalisedUsernames,
} from '../../src/shared/domain/followerLists';
import { planInstagramImport } from '../../src/shared/domain/instagramExport';
import { exportFiles } from '../support/instagramExportFixtures';
import { makeContext, own, type TestContext } from './helpers/context';
import { makeDay, makeSnapshot } from './helpers/records';

const page = { id: own.id, url: `${own.origin}/src/options/index.html` };
const day = 86_400_000;

/** The followers of `current/` and of `later/`, the same account's export some weeks on. */
const currentFollowers = ['friend.five', 'friend.four', 'friend.one', 'friend.six', 'friend.three', 'friend.two'];
const laterFollowers = ['friend.five', 'friend.four', 'friend.one', 'friend.seven', 'friend.six', 'friend.three'];

const list = (importedAt: number, usernames: string[], exportOwner = 'lena.example'): FollowerList => ({
  importedAt,
  exportOwner,
  usernames,
});

describe('the rules (pure)', () => {
  it('who unfollowed: in the earlier list, not in the later; who followed since: the other way round', () => {
    expect(followerChanges(currentFollowers, laterFollowers)).toEqual({
      unfollowed: ['friend.two'],
      followedSince: ['friend.seven'],
    });
    expect(followerChanges(currentFollowers, currentFollowers)).toEqual({ unfollowed: [], followedSince: [] });
    expect(followerChanges([], ['a'])).toEqual({ unfollowed: [], followedSince: ['a'] });
  });

  it('compares the two newest lists of one account, and says when there is nothing to compare', () => {
    expect(compareNewestLists([])).toEqual({ kind: 'no-list' });
    expect(compareNewestLists([list(1, ['a'])])).toMatchObject({ kind: 'one-list', latest: { importedAt: 1 } });
    const compared = compareNewestLists([list(3, ['b', 'c']), list(1, ['x']), list(2, ['a', 'b'])]);
    expect(compared).toMatchObject({
      kind: 'compared',
      earlier: { importedAt: 2 },
      latest: { importedAt: 3 },
      changes: { unfollowed: ['a'], followedSince: ['c'] },
    });
    expect(compareNewestLists([list(1, ['a']), list(2, ['a'], 'other.account')])).toMatchObject({
      kind: 'other-accounts',
    });
    // Two imports in the same millisecond: the one stored later is the newer.
    expect(compareNewestLists([list(5, ['a']), list(5, ['b'])])).toMatchObject({ latest: { usernames: ['b'] } });
  });

  it('keeps a list only when the setting and `account` are on and the export says whose whole list it is', () => {
    const input = { keep: true, account: true, owner: 'lena.example', usernames: currentFollowers, stored: [] };
    expect(decideFollowerList(input)).toEqual({ outcome: 'kept', followers: 6 });
    expect(decideFollowerList({ ...input, keep: false })).toEqual({ outcome: 'off' });
    expect(decideFollowerList({ ...input, usernames: null })).toEqual({ outcome: 'no-list' });
    expect(decideFollowerList({ ...input, owner: null })).toEqual({ outcome: 'no-owner' });
    expect(decideFollowerList({ ...input, account: false })).toEqual({ outcome: 'no-consent' });
  });

  it('does not keep the same list again (a second import of one export changes nothing)', () => {
    const stored = [list(1, laterFollowers), list(2, currentFollowers), list(3, laterFollowers, 'other.account')];
    const input = { keep: true, account: true, owner: 'lena.example', usernames: currentFollowers, stored };
    expect(decideFollowerList(input)).toEqual({ outcome: 'unchanged', followers: 6, since: 2 });
    expect(decideFollowerList({ ...input, usernames: laterFollowers })).toEqual({ outcome: 'kept', followers: 6 });
  });

  it('drops all but the newest stored list when a new one is kept: two at most', () => {
    expect(listsToDropForNew([])).toEqual([]);
    expect(listsToDropForNew([list(1, [])])).toEqual([]);
    expect(listsToDropForNew([list(2, []), list(1, []), list(3, [])]).map((kept) => kept.importedAt)).toEqual([2, 1]);
  });

  it('stores usernames sorted and each once', () => {
    expect(normalisedUsernames(['b', 'a', 'b', 'A'])).toEqual(['A', 'a', 'b']);
    expect(isNormalised(['a', 'b'])).toBe(true);
    expect(isNormalised(['a', 'a'])).toBe(false);
    expect(isNormalised(['b', 'a'])).toBe(false);
  });
});

describe('the planner reads the followers’ usernames', () => {
  const followers = (...files: Array<{ name: string; entries: unknown[] }>) =>
    planInstagramImport(
      files.map(({ name, entries }) => ({ name, text: JSON.stringify(entries) })),
      'UTC',
    ).followerUsernames;
  const entry = (title: string, cell: Record<string, unknown>) => ({ title, string_list_data: [cell] });

  it('from value, title only or an /_u/ href, mojibake repaired, lower case, each once, invalid names dropped', () => {
    expect(
      followers(
        {
          name: 'connections/followers_and_following/followers_1.json',
          entries: [
            entry('', { value: 'friend.one', timestamp: 1_740_000_000 }),
            entry('Title.Only', { href: 'https://www.instagram.com/_u/title.only', timestamp: 1_740_000_000 }),
            entry('', { href: 'https://www.instagram.com/_u/Href_Only', timestamp: 1_740_000_000 }),
            // A no-break space in mojibake ("Â\u00a0"): repaired, then trimmed like any space.
            entry('', { value: '\u00c2\u00a0@spaced.name' }),
            // "café.example" once repaired: é is not in a username.
            entry('caf\u00c3\u00a9.example', {}),
            entry('', { value: 'has space' }),
            entry('', { value: 'a'.repeat(31) }),
          ],
        },
        {
          name: 'connections/followers_and_following/followers_2.json',
          entries: [entry('', { value: 'FRIEND.ONE', timestamp: 1_750_000_000 })],
        },
      ),
    ).toEqual(['friend.one', 'href_only', 'spaced.name', 'title.only']);
  });

  it('reads the fixtures’ later export: friend.two gone, friend.seven new, friend.one in both files once', () => {
    expect(planInstagramImport(exportFiles('later'), 'UTC').followerUsernames).toEqual(laterFollowers);
  });

  it('gives no list when the export has no followers file, or one that cannot be read (no false “unfollowed”)', () => {
    const viewsOnly = exportFiles('current').filter((file) => !file.name.includes('followers_'));
    expect(planInstagramImport(viewsOnly, 'UTC').followerUsernames).toBeNull();
    const damaged = exportFiles('current').map((file) =>
      file.name.endsWith('followers_2.json') ? { ...file, text: file.text.slice(0, 40) } : file,
    );
    expect(planInstagramImport(damaged, 'UTC').followerUsernames).toBeNull();
    // A followers file with nobody in it is a whole list: nobody follows.
    const nobody = [...viewsOnly, { name: 'connections/followers_and_following/followers_1.json', text: '[]' }];
    expect(planInstagramImport(nobody, 'UTC').followerUsernames).toEqual([]);
  });
});

let context: TestContext;
beforeEach(() => {
  context = makeContext('Europe/Amsterdam');
});
afterEach(async () => {
  await context.db.delete();
});

const ask = (message: Record<string, unknown>) => routeMessage(message, page, context);

async function imported(folder: string, dryRun = false): Promise<InstagramImportResult> {
  const reply = await ask({ type: 'instagram.import', files: exportFiles(folder), ...(dryRun ? { dryRun } : {}) });
  if (!reply.ok || !('value' in reply)) throw new Error(`import refused: ${JSON.stringify(reply)}`);
  return reply.value as InstagramImportResult;
}

const storedLists = async () =>
  (await context.db.followerLists.toArray()).map(({ importedAt, exportOwner, usernames }) => ({
    importedAt,
    exportOwner,
    usernames,
  }));

async function keepLists(keep = true) {
  expect(await ask({ type: 'followerLists.keep', keep })).toMatchObject({ ok: true });
}

const grantAll = () => changeConsent(context, { usage: true, account: true }, 'onboarding');

describe('keeping follower lists: off by default, only on request', () => {
  it('keeps nothing while the setting is off (the default), and says so', async () => {
    await grantAll();
    const result = await imported('current');
    expect(result.followerList).toEqual({ outcome: 'off' });
    expect(await storedLists()).toEqual([]);
  });

  it('keeps the list of the first import once it is on, and answers counts, never usernames', async () => {
    await grantAll();
    await keepLists();
    const preview = await imported('current', true);
    expect(preview.followerList).toEqual({ outcome: 'kept', followers: 6 });
    expect(await storedLists()).toEqual([]);
    const result = await imported('current');
    expect(result.followerList).toEqual({ outcome: 'kept', followers: 6 });
    expect(JSON.stringify(result)).not.toContain('friend.');
    expect(await storedLists()).toEqual([
      { importedAt: context.clock.now, exportOwner: 'lena.example', usernames: currentFollowers },
    ]);
  });

  it('keeps nothing without `account`: the follower list is about the person’s account', async () => {
    await changeConsent(context, { usage: true }, 'onboarding');
    await keepLists();
    expect((await imported('current')).followerList).toEqual({ outcome: 'no-consent' });
    expect(await storedLists()).toEqual([]);
  });

  it('keeps nothing when the export does not say whose it is', async () => {
    await grantAll();
    await keepLists();
    const files = exportFiles('current').filter((file) => !file.name.includes('personal_information'));
    const reply = await ask({ type: 'instagram.import', files });
    expect(reply).toMatchObject({ ok: true, value: { followerList: { outcome: 'no-owner' } } });
    expect(await storedLists()).toEqual([]);
  });

  it('shows who unfollowed between two imports, keeps only the two newest lists, and the same export changes nothing', async () => {
    await grantAll();
    await keepLists();
    const first = context.clock.now;
    await imported('current');
    context.clock.now += 40 * day;
    const again = await imported('current');
    expect(again.followerList).toEqual({ outcome: 'unchanged', followers: 6, since: first });
    expect(await storedLists()).toHaveLength(1);

    const second = context.clock.now;
    expect((await imported('later')).followerList).toEqual({ outcome: 'kept', followers: 6 });
    expect(compareNewestLists(await storedLists())).toMatchObject({
      kind: 'compared',
      earlier: { importedAt: first },
      latest: { importedAt: second },
      changes: { unfollowed: ['friend.two'], followedSince: ['friend.seven'] },
    });

    // A third list: the oldest is deleted in the same transaction.
    context.clock.now += 40 * day;
    await imported('current');
    expect((await storedLists()).map((kept) => kept.importedAt)).toEqual([second, context.clock.now]);
  });

  it('refuses another account’s export once a follower list of this one is kept', async () => {
    await changeConsent(context, { account: true }, 'onboarding');
    await keepLists();
    await imported('current');
    await context.db.importedAccountPoints.clear();
    const reply = await ask({ type: 'instagram.import', files: exportFiles('other-account') });
    expect(reply).toMatchObject({ ok: false, error: { code: 'bad-import', reason: 'other-account' } });
  });
});

describe('deleting follower lists', () => {
  beforeEach(async () => {
    await grantAll();
    await keepLists();
    await imported('current');
    context.clock.now += day;
    await imported('later');
  });

  it('turning the setting off deletes every list at once, and later imports keep none', async () => {
    expect(await ask({ type: 'followerLists.keep', keep: false })).toEqual({ ok: true, value: { deleted: 2 } });
    expect(await storedLists()).toEqual([]);
    expect((await context.db.settings.get('current'))?.keepFollowerLists).toBe(false);
    context.clock.now += day;
    expect((await imported('current')).followerList).toEqual({ outcome: 'off' });
    expect(await storedLists()).toEqual([]);
  });

  it('“Delete the follower lists” deletes them and leaves the setting on', async () => {
    expect(await ask({ type: 'followerLists.delete' })).toEqual({ ok: true, value: { deleted: 2 } });
    expect(await storedLists()).toEqual([]);
    expect((await context.db.settings.get('current'))?.keepFollowerLists).toBe(true);
  });

  it('“Delete all my data” deletes them', async () => {
    await wipeData(context, false, 'options');
    expect(await storedLists()).toEqual([]);
  });

  it('retention deletes a list imported before the kept days, like the rest of the imported history', async () => {
    context.clock.now += 45 * day;
    await context.db.settings.update('current', { retentionDays: 30 });
    expect(await pruneExpired(context)).toMatchObject({ imported: expect.any(Number) });
    expect(await storedLists()).toEqual([]);
  });
});

describe('the lists are the person’s data: exported, never uploaded', () => {
  beforeEach(async () => {
    await grantAll();
    await keepLists();
    await imported('current');
    context.clock.now += day;
    await imported('later');
  });

  it('are in “Export my data” (JSON and CSV), and importing that file does not bring them back', async () => {
    const document = await exportData(context);
    expect(document.importedFromInstagram.followerLists).toEqual([
      {
        importedAt: new Date(context.clock.now - day).toISOString(),
        exportOwner: 'lena.example',
        usernames: currentFollowers,
      },
      { importedAt: new Date(context.clock.now).toISOString(), exportOwner: 'lena.example', usernames: laterFollowers },
    ]);
    const reparsed = exportDocumentSchema.parse(JSON.parse(JSON.stringify(document)));
    expect(reparsed.importedFromInstagram.followerLists).toHaveLength(2);
    const csv = exportCsvFiles(document).find((file) => file.name === 'smarttags-follower-lists.csv');
    expect(csv?.text.split('\r\n')[0]).toBe('imported_at,export_owner,username');
    expect(csv?.text).toContain(',lena.example,friend.seven');

    await context.db.followerLists.clear();
    expect(await importData(context, reparsed, 'replace', false)).toMatchObject({ ok: true });
    expect(await storedLists()).toEqual([]);
  });

  it('never reach an upload batch, even with every upload choice on (promise: other people’s names stay here)', async () => {
    await changeConsent(context, { uploadUsage: true, uploadAccount: true }, 'options');
    await context.db.days.bulkAdd([makeDay('2026-11-23'), makeDay('2026-11-24')]);
    await context.db.accountSnapshots.add(makeSnapshot('lena.example', '2026-11-24'));
    const bodies: string[] = [];
    context.network.fetch = async (url, init) => {
      if (typeof init.body === 'string') bodies.push(init.body);
      if (url.endsWith('/v1/installations')) {
        return Response.json(
          { installationId: 'installation-1', token: 't'.repeat(40), uninstallCode: 'u'.repeat(40) },
          { status: 201 },
        );
      }
      if (url.endsWith('/v1/uploads')) return Response.json({ accepted: 2, duplicate: false });
      return new Response(null, { status: 404 });
    };
    expect(await ask({ type: 'sync.configure', backendUrl: 'https://sync.example' })).toMatchObject({ ok: true });

    const preview = await previewUpload(context);
    expect(preview).toHaveProperty('batch');
    expect(await drain(context)).toMatchObject({ sent: 1, failed: 0 });
    const uploads = [JSON.stringify(preview), ...bodies];
    // What was sent holds the account's own username (uploadAccount is on), and no follower's.
    expect(bodies.some((body) => body.includes('lena.example'))).toBe(true);
    for (const follower of [...currentFollowers, ...laterFollowers]) {
      for (const upload of uploads) expect(upload).not.toContain(follower);
    }
  });
});
