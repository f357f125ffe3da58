import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pagesSeenKept } from '../../src/background/pages';
import { type RouterContext, routeMessage } from '../../src/background/router';
import { SmartTagsDatabase } from '../../src/shared/db';
import type { SenderFacts } from '../../src/shared/sender';

const own = { id: 'ownid', origin: 'chrome-extension://ownid' };
const contentScript: SenderFacts = { id: own.id, url: 'https://www.instagram.com/reels/', tab: { id: 1 }, frameId: 0 };
const popup: SenderFacts = { id: own.id, url: `${own.origin}/src/popup/index.html` };
const stranger: SenderFacts = { id: 'other', url: 'https://www.instagram.com/', tab: { id: 1 }, frameId: 0 };

let context: RouterContext;
let clock = 1_700_000_000_000;

beforeEach(() => {
  context = { db: new SmartTagsDatabase(`test-${crypto.randomUUID()}`), own, now: () => clock };
});
afterEach(async () => {
  await context.db.delete();
});

async function storedPaths(): Promise<string[]> {
  return (await context.db.pagesSeen.orderBy('seenAt').toArray()).map((record) => record.path);
}

describe('routeMessage', () => {
  it('stores a well-formed page report from the content script', async () => {
    expect(await routeMessage({ type: 'page.seen', path: '/reels/' }, contentScript, context)).toEqual({ ok: true });
    expect(await context.db.pagesSeen.toArray()).toEqual([{ id: 1, path: '/reels/', seenAt: clock }]);
  });

  it('refuses untrusted senders before reading the message', async () => {
    const reply = await routeMessage({ type: 'page.seen', path: '/' }, stranger, context);
    expect(reply).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await storedPaths()).toEqual([]);
  });

  it('refuses a content-script message sent from an extension page', async () => {
    const reply = await routeMessage({ type: 'page.seen', path: '/' }, popup, context);
    expect(reply).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await storedPaths()).toEqual([]);
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
    const reply = await routeMessage(message, contentScript, context);
    expect(reply).toMatchObject({ ok: false, error: { code: 'bad-message' } });
    if (!reply.ok) expect(reply.error.message).toMatch(/path/);
    expect(await storedPaths()).toEqual([]);
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
    const reply = await routeMessage({ type: 'page.seen', path: '/' }, contentScript, context);
    expect(reply).toMatchObject({ ok: false, error: { code: 'internal', message: expect.stringMatching(/closed/i) } });
  });

  it(`keeps only the newest ${pagesSeenKept} pages`, async () => {
    for (let index = 0; index < pagesSeenKept + 5; index += 1) {
      clock += 1000;
      await routeMessage({ type: 'page.seen', path: `/p/${index}/` }, contentScript, context);
    }
    const paths = await storedPaths();
    expect(paths).toHaveLength(pagesSeenKept);
    expect(paths[0]).toBe('/p/5/');
    expect(paths.at(-1)).toBe(`/p/${pagesSeenKept + 4}/`);
  });
});
