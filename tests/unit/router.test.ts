import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { routeMessage } from '../../src/background/router';
import { visitsKept } from '../../src/background/visits';
import { type MessageOf, type MessageType, messageCatalogue, messageTypes } from '../../src/shared/contracts/messages';
import type { SenderClass, SenderFacts } from '../../src/shared/domain/sender';
import { makeContext, own, type TestContext } from './helpers/context';

const contentScript: SenderFacts = { id: own.id, url: 'https://www.instagram.com/reels/', tab: { id: 1 }, frameId: 0 };
const popup: SenderFacts = { id: own.id, url: `${own.origin}/src/popup/index.html` };
const options: SenderFacts = { id: own.id, url: `${own.origin}/src/options/index.html`, tab: { id: 2 }, frameId: 0 };
const stranger: SenderFacts = { id: 'other', url: 'https://www.instagram.com/', tab: { id: 1 }, frameId: 0 };

let context: TestContext;
beforeEach(() => {
  context = makeContext();
});
afterEach(async () => {
  await context.db.delete();
});

const grantUsage = () =>
  routeMessage({ type: 'consent.set', scopes: { usage: true }, source: 'popup' }, popup, context);

/** One sender of each class. A Record over the classes, so a new class needs a sender here. */
const senders: Record<SenderClass, SenderFacts> = {
  'extension-page': popup,
  'instagram-content-script': contentScript,
  untrusted: stranger,
};

/**
 * A valid message of every catalogued type, so that a refusal below can come only from the sender. A mapped type over
 * the catalogue: a new message does not compile until it has an example here.
 */
const examples: { [Type in MessageType]: MessageOf<Type> } = {
  'page.seen': { type: 'page.seen', path: '/' },
  'usage.report': {
    type: 'usage.report',
    runs: [{ startSecond: 1_700_000_000, seconds: 20, surface: 'feed' }],
    views: [{ kind: 'post', id: 'C1a2b3', at: 1_700_000_000_000 }],
    hashtags: [{ postId: 'C1a2b3', tag: 'cats', at: 1_700_000_000_000, used: true }],
  },
  'account.report': {
    type: 'account.report',
    username: 'someone',
    followers: { value: 10, exact: true },
    following: { value: 20, exact: true },
    posts: null,
  },
  'quality.report': { type: 'quality.report', reader: 'profile-counts', state: 'missing' },
  'consent.get': { type: 'consent.get' },
  // Withdraws what every refusal test grants first, so a consent change that got through would show.
  'consent.set': { type: 'consent.set', scopes: { usage: false }, source: 'popup' },
  'data.export': { type: 'data.export' },
  'data.import': { type: 'data.import', document: {}, mode: 'replace' },
  'data.wipe': { type: 'data.wipe', stopRecording: true },
  'followerLists.keep': { type: 'followerLists.keep', keep: true },
  'followerLists.delete': { type: 'followerLists.delete' },
  'instagram.import': {
    type: 'instagram.import',
    files: [{ name: 'ads_information/ads_and_topics/videos_watched.json', text: '{}' }],
  },
  'day.edit': { type: 'day.edit', date: '2026-11-24', surface: 'reels' },
  'settings.set': { type: 'settings.set', retentionDays: 30 },
  'recording.pause': { type: 'recording.pause', until: null },
  'sync.configure': { type: 'sync.configure', backendUrl: 'https://sync.example' },
  'sync.now': { type: 'sync.now' },
  'sync.preview': { type: 'sync.preview' },
  'sync.deleteRemote': { type: 'sync.deleteRemote' },
};

/** Every (type, sender class) pair the catalogue does not allow, untrusted included. */
const refusedPairs = messageTypes.flatMap((type) =>
  (Object.keys(senders) as SenderClass[])
    .filter((senderClass) => senderClass !== messageCatalogue[type].from)
    .map((senderClass) => [type, senderClass] as const),
);

/** Everything stored, table by table, to show that a refused message changed nothing. */
const storedData = () => Promise.all(context.db.tables.map(async (table) => [table.name, await table.toArray()]));

describe('routeMessage: each message from the wrong sender', () => {
  it.each(messageTypes)('has a valid example of %s', (type) => {
    expect(messageCatalogue[type].schema.safeParse(examples[type]).success).toBe(true);
  });

  it('allows each type from exactly one sender class, never from an untrusted one', () => {
    expect(refusedPairs).toHaveLength(messageTypes.length * 2);
    expect(refusedPairs.filter(([, senderClass]) => senderClass === 'untrusted')).toHaveLength(messageTypes.length);
  });

  it.each(refusedPairs)('refuses %s from the %s class and changes nothing', async (type, senderClass) => {
    // Recording granted, so a content-script message that got through would store something.
    await routeMessage(
      { type: 'consent.set', scopes: { usage: true, account: true }, source: 'popup' },
      popup,
      context,
    );
    const before = await storedData();
    expect(await routeMessage(examples[type], senders[senderClass], context)).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(await storedData()).toEqual(before);
  });
});

describe('routeMessage: senders and shapes', () => {
  it('refuses untrusted senders before reading the message', async () => {
    await grantUsage();
    const reply = await routeMessage({ type: 'page.seen', path: '/' }, stranger, context);
    expect(reply).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await context.db.visits.count()).toBe(0);
  });

  it.each([
    ['null', null],
    ['a string', 'page.seen'],
    ['an array', [{ type: 'page.seen', path: '/' }]],
    ['no type', { path: '/' }],
    ['a numeric type', { type: 1, path: '/' }],
  ])('answers bad-message for %s', async (_label, message) => {
    expect(await routeMessage(message, contentScript, context)).toMatchObject({
      ok: false,
      error: { code: 'bad-message' },
    });
  });

  it.each([
    ['a missing path', { type: 'page.seen' }],
    ['a numeric path', { type: 'page.seen', path: 42 }],
    ['a relative path', { type: 'page.seen', path: 'explore/' }],
    ['a full URL', { type: 'page.seen', path: 'https://evil.example/' }],
    ['a path with spaces', { type: 'page.seen', path: '/a b/' }],
    ['a huge path', { type: 'page.seen', path: `/${'a'.repeat(5000)}` }],
  ])('refuses %s with a readable reason and stores nothing', async (_label, message) => {
    await grantUsage();
    const reply = await routeMessage(message, contentScript, context);
    expect(reply).toMatchObject({ ok: false, error: { code: 'bad-message' } });
    if (!reply.ok) expect(reply.error.message).toMatch(/path/);
    expect(await context.db.visits.count()).toBe(0);
  });

  it.each([
    ['an unknown scope', { type: 'consent.set', scopes: { everything: true }, source: 'popup' }],
    ['no scope at all', { type: 'consent.set', scopes: {}, source: 'popup' }],
    ['a non-boolean choice', { type: 'consent.set', scopes: { usage: 'yes' }, source: 'popup' }],
    ['the browser as source', { type: 'consent.set', scopes: { usage: true }, source: 'browser' }],
    ['an unknown source', { type: 'consent.set', scopes: { usage: true }, source: 'web' }],
    ['a retention of 7 days', { type: 'settings.set', retentionDays: 7 }],
    ['an unknown import mode', { type: 'data.import', document: {}, mode: 'append' }],
    ['an Instagram import without files', { type: 'instagram.import' }],
    ['an Instagram import with a nameless file', { type: 'instagram.import', files: [{ name: '', text: '[]' }] }],
    ['an Instagram import with a file that is not text', { type: 'instagram.import', files: [{ name: 'a.json' }] }],
    ['an Instagram import with a plan instead of files', { type: 'instagram.import', plan: { days: [] } }],
  ])('refuses %s', async (_label, message) => {
    expect(await routeMessage(message, popup, context)).toMatchObject({ ok: false, error: { code: 'bad-message' } });
    expect(await context.db.consent.count()).toBe(0);
  });

  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty'])(
    'treats the inherited name %s as an unknown type',
    async (type) => {
      expect(await routeMessage({ type }, popup, context)).toMatchObject({
        ok: false,
        error: { code: 'unknown-type' },
      });
    },
  );

  it('answers internal when storage fails, without throwing', async () => {
    context.db.close({ disableAutoOpen: true });
    const reply = await routeMessage({ type: 'consent.get' }, popup, context);
    expect(reply).toMatchObject({ ok: false, error: { code: 'internal', message: expect.stringMatching(/closed/i) } });
  });
});

describe('routeMessage: consent gates recording', () => {
  it('stores nothing before consent, and says why', async () => {
    const reply = await routeMessage({ type: 'page.seen', path: '/reels/' }, contentScript, context);
    expect(reply).toMatchObject({ ok: false, error: { code: 'no-consent' } });
    expect(await context.db.visits.count()).toBe(0);
  });

  it('stores a visit by surface (never the path) once usage is granted', async () => {
    await grantUsage();
    expect(await routeMessage({ type: 'page.seen', path: '/direct/t/12345/' }, contentScript, context)).toEqual({
      ok: true,
    });
    expect(await context.db.visits.toArray()).toEqual([{ id: 1, surface: 'direct', seenAt: context.clock.now }]);
  });

  it('remembers that the page said nobody was logged in', async () => {
    await grantUsage();
    await routeMessage({ type: 'page.seen', path: '/', signedOut: true }, contentScript, context);
    expect(await context.db.visits.toArray()).toEqual([
      { id: 1, surface: 'feed', seenAt: context.clock.now, signedOut: true },
    ]);
  });

  it('stores a reader’s health from quality.report, and refuses a report naming no known reader', async () => {
    await grantUsage();
    const report = { type: 'quality.report', reader: 'reels', state: 'missing' };
    expect(await routeMessage(report, contentScript, context)).toEqual({ ok: true });
    expect(await context.db.readerHealth.get('reels')).toMatchObject({ failingSince: context.clock.now });
    for (const refused of [
      { type: 'quality.report', signal: 'feed-posts-missing', state: 'missing' },
      { type: 'quality.report', reader: 'comments', state: 'missing' },
      { type: 'quality.report', reader: 'reels', state: 'broken' },
    ]) {
      expect(await routeMessage(refused, contentScript, context)).toMatchObject({
        ok: false,
        error: { code: 'bad-message' },
      });
    }
    expect(await context.db.readerHealth.count()).toBe(1);
  });

  it('stops storing at once when usage is withdrawn', async () => {
    await grantUsage();
    await routeMessage({ type: 'page.seen', path: '/' }, contentScript, context);
    await routeMessage({ type: 'consent.set', scopes: { usage: false }, source: 'options' }, options, context);
    const reply = await routeMessage({ type: 'page.seen', path: '/explore/' }, contentScript, context);
    expect(reply).toMatchObject({ ok: false, error: { code: 'no-consent' } });
    expect((await context.db.visits.toArray()).map((visit) => visit.surface)).toEqual(['feed']);
  });

  it('answers a usage report internal when storage fails (quota), stores nothing, and counts a resend once', async () => {
    // Promise: a storage fault is an error the content script keeps its report for, never a silent success.
    await grantUsage();
    const startSecond = Math.floor(context.clock.now / 1000) - 30;
    const report = {
      type: 'usage.report',
      runs: [{ startSecond, seconds: 20, surface: 'feed' }],
      views: [],
      hashtags: [],
    };
    const full = vi
      .spyOn(context.db.days, 'bulkPut')
      .mockRejectedValue(new DOMException('The quota has been exceeded.', 'QuotaExceededError'));
    expect(await routeMessage(report, contentScript, context)).toMatchObject({
      ok: false,
      error: { code: 'internal', message: expect.stringMatching(/quota/i) },
    });
    expect(await context.db.days.count()).toBe(0);
    expect(await context.db.attendedSeconds.count()).toBe(0);
    full.mockRestore();
    expect(await routeMessage(report, contentScript, context)).toEqual({ ok: true });
    expect(await routeMessage(report, contentScript, context)).toEqual({ ok: true });
    expect((await context.db.days.toArray()).map((day) => day.activeMs)).toEqual([20_000]);
  });

  it(`keeps only the newest ${visitsKept} visits`, async () => {
    await grantUsage();
    for (let index = 0; index < visitsKept + 5; index += 1) {
      context.clock.now += 1000;
      await routeMessage({ type: 'page.seen', path: index === 0 ? '/explore/' : '/' }, contentScript, context);
    }
    expect(await context.db.visits.count()).toBe(visitsKept);
    expect((await context.db.visits.toArray()).some((visit) => visit.surface === 'explore')).toBe(false);
  });

  it('records the wipe-and-stop withdrawal as made in the page that asked', async () => {
    await routeMessage(
      { type: 'consent.set', scopes: { usage: true, account: true }, source: 'options' },
      options,
      context,
    );
    expect(await routeMessage({ type: 'data.wipe', stopRecording: true }, popup, context)).toEqual({ ok: true });
    const withdrawals = (await context.db.consentLedger.toArray()).filter((entry) => !entry.granted);
    expect(withdrawals.map(({ scope, source }) => [scope, source])).toEqual([
      ['usage', 'popup'],
      ['account', 'popup'],
    ]);
  });
});
