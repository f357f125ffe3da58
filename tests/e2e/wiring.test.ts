/**
 * Every context is wired: an Instagram page loads, the content script reports it, the background validates and
 * stores it, and the popup shows it. And the other half of that promise: nothing a web page or a malformed message
 * says is stored.
 */
import { expect, it } from 'vitest';
import type { VisitRecord } from '../../src/shared/storage/records';
import { smallDataset, yearOfData } from '../support/yearOfData';
import { bothBrowsers, describeInBrowsers, type ExtensionSession, eventually } from './harness';

const feed = { '/': { file: 'feed-en.html' } };

async function storedSurfaces({ readTable }: ExtensionSession): Promise<string[]> {
  return (await readTable<VisitRecord>('visits')).map((visit) => visit.surface);
}

async function allowRecording(session: ExtensionSession): Promise<void> {
  const reply = await session.sendFromExtensionPage({
    type: 'consent.set',
    scopes: { usage: true },
    source: 'options',
  });
  expect(reply).toMatchObject({ ok: true });
}

describeInBrowsers(bothBrowsers, 'wiring', (session) => {
  it('stores the visit the content script reports, and the popup shows it', async () => {
    await allowRecording(session());
    const instagram = await session().openInstagram('/', feed);
    const surfaces = await eventually('the feed visit to be stored', async () => {
      const stored = await storedSurfaces(session());
      return stored.length > 0 ? stored : undefined;
    });
    expect(surfaces).toEqual(['feed']);
    await instagram.close();

    const popup = await session().openExtensionPage('src/popup/index.html');
    await popup.waitForSelector('[data-testid="visits"] li');
    const shown = await popup.$$eval('[data-testid="visits"] li', (items) => items.map((item) => item.textContent));
    expect(shown).toHaveLength(1);
    expect(shown[0]).toContain('Feed');
    await popup.close();
  });

  it('ignores what a web page posts with window.postMessage', async () => {
    const forging = `<!DOCTYPE html><html lang="en"><body><main role="main"></main><script>
      for (const delay of [0, 200, 600]) setTimeout(() => {
        window.postMessage({ type: 'page.seen', path: '/direct/inbox/' }, '*');
        window.postMessage(JSON.stringify({ type: 'page.seen', path: '/direct/inbox/' }), '*');
      }, delay);
    </script></body></html>`;
    const page = await session().openInstagram('/reels/', { '/reels/': { html: forging } });
    await eventually('the reels visit itself to be stored', async () =>
      (await storedSurfaces(session())).includes('reels') ? true : undefined,
    );
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await storedSurfaces(session())).not.toContain('direct');
    await page.close();
  });

  it('refuses malformed messages and messages from the wrong kind of sender, storing nothing', async () => {
    const before = await storedSurfaces(session());
    const send = session().sendFromExtensionPage;
    expect(await send({ type: 'page.seen', path: '/explore/' })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(await send({ path: '/no-type/' })).toMatchObject({ ok: false, error: { code: 'bad-message' } });
    expect(await send('page.seen /')).toMatchObject({ ok: false, error: { code: 'bad-message' } });
    expect(await send({ type: 'data.dump' })).toMatchObject({ ok: false, error: { code: 'unknown-type' } });
    expect(await send({ type: 'consent.set', scopes: { uploadAccount: true }, source: 'popup' })).toMatchObject({
      ok: false,
      error: { code: 'refused' },
    });
    expect(await send({ type: 'data.import', document: { format: 'other' }, mode: 'replace' })).toMatchObject({
      ok: false,
      error: { code: 'bad-import' },
    });
    expect(await storedSurfaces(session())).toEqual(before);
  });
});

describeInBrowsers(['chromium'], 'content-script sender', (session) => {
  it('refuses a page.seen of the wrong shape even from the content script itself', async () => {
    await allowRecording(session());
    const page = await session().openInstagram('/', feed);
    await eventually('the feed visit to be stored', async () =>
      (await storedSurfaces(session())).includes('feed') ? true : undefined,
    );
    // Chromium lets a test evaluate inside the content script's isolated world, so the message really comes from
    // the one sender page.seen is allowed from — only its shape is wrong.
    const client = await page.createCDPSession();
    const contexts: number[] = [];
    client.on('Runtime.executionContextCreated', ({ context }) => {
      const auxData = context.auxData as { type?: string } | undefined;
      if (auxData?.type === 'isolated' && context.origin.startsWith('chrome-extension://')) contexts.push(context.id);
    });
    await client.send('Runtime.enable');
    const contextId = await eventually('the content script world', async () => contexts[0]);
    const send = async (message: unknown) => {
      const { result } = await client.send('Runtime.evaluate', {
        contextId,
        expression: `chrome.runtime.sendMessage(${JSON.stringify(message)})`,
        awaitPromise: true,
        returnByValue: true,
      });
      return result.value as unknown;
    };
    expect(await send({ type: 'page.seen', path: 42 })).toMatchObject({ ok: false, error: { code: 'bad-message' } });
    expect(await send({ type: 'page.seen', path: 'no-leading-slash' })).toMatchObject({
      ok: false,
      error: { code: 'bad-message' },
    });
    expect(await send({ type: 'consent.set', scopes: { usage: true }, source: 'popup' })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(await send({ type: 'data.wipe' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await send({ type: 'page.seen', path: '/stories/sol.kitchen/3412345678901234567/' })).toEqual({ ok: true });
    expect(await storedSurfaces(session())).toEqual(['feed', 'stories']);
    await page.close();
  });
});

describeInBrowsers(bothBrowsers, 'the popup’s address', (session) => {
  it('carries today’s stored total once recorded, the popup opened there shows it, and a wipe takes it away', async () => {
    const send = session().sendFromExtensionPage;
    expect(await session().popupAddress()).toBe('src/popup/index.html');
    expect(await send({ type: 'consent.set', scopes: { usage: true }, source: 'options' })).toMatchObject({ ok: true });
    expect(await send({ type: 'data.import', document: smallDataset(), mode: 'replace' })).toMatchObject({
      ok: true,
      value: { applied: true },
    });
    const today = await session().openExtensionPage('src/popup/index.html');
    const date = await today.evaluate(() =>
      new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit' }).format(Date.now()),
    );
    await today.waitForSelector('[data-testid="today-total"]');
    const shownFromDatabase = await today.$eval('[data-testid="today-total"]', (total) => total.textContent);
    await today.close();
    const stored = (await session().readTable<{ date: string; activeMs: number }>('dayTotals')).find(
      (day) => day.date === date,
    );
    expect(stored?.activeMs).toBeGreaterThan(0);

    const address = await eventually('the popup’s address to carry today’s total', async () => {
      const current = await session().popupAddress();
      return current.includes('?today=') ? current : undefined;
    });
    expect(address).toBe(`src/popup/index.html?today=${date}.${stored?.activeMs}`);
    const popup = await session().openExtensionPage(address);
    await popup.waitForSelector('[data-testid="today-total"]');
    expect(await popup.$eval('[data-testid="today-total"]', (total) => total.textContent)).toBe(shownFromDatabase);
    await popup.close();

    expect(await send({ type: 'data.wipe' })).toMatchObject({ ok: true });
    await eventually('the popup’s address to carry nothing after the wipe', async () =>
      (await session().popupAddress()) === 'src/popup/index.html' ? true : undefined,
    );
  });
});

describeInBrowsers(['chromium'], 'the popup’s first paint from its address', (session) => {
  it('paints the total its address carries at once, and the full popup then shows what is stored', async () => {
    const send = session().sendFromExtensionPage;
    expect(await send({ type: 'consent.set', scopes: { usage: true }, source: 'options' })).toMatchObject({ ok: true });
    expect(await send({ type: 'data.import', document: smallDataset(), mode: 'replace' })).toMatchObject({
      ok: true,
      value: { applied: true },
    });
    const address = await eventually('the popup’s address to carry today’s total', async () => {
      const current = await session().popupAddress();
      return current.includes('?today=') ? current : undefined;
    });
    // An address that fell behind (the worker stopped between a write and its refresh): one second today.
    const behind = address.replace(/\.\d+$/, '.1000');
    const page = await session().browser.newPage();
    // Notes the first total painted, before the popup's own script runs.
    await page.evaluateOnNewDocument(() => {
      new MutationObserver((_, observer) => {
        const first = document.querySelector('[data-testid="glance-total"]');
        if (!first) return;
        document.documentElement.dataset.firstPainted = first.textContent ?? '';
        observer.disconnect();
      }).observe(document, { childList: true, subtree: true });
    });
    await page.goto(`${session().origin}/${behind}`);
    await page.waitForSelector('[data-testid="today-total"]');
    expect(await page.evaluate(() => document.documentElement.dataset.firstPainted)).toBe('1 sec');
    await page.waitForFunction(() => document.querySelector('[data-testid="today-total"]')?.textContent !== '1 sec');
    const stored = await session().openExtensionPage('src/popup/index.html');
    await stored.waitForSelector('[data-testid="today-total"]');
    const fromDatabase = await stored.$eval('[data-testid="today-total"]', (total) => total.textContent);
    expect(await page.$eval('[data-testid="today-total"]', (total) => total.textContent)).toBe(fromDatabase);
    await Promise.all([page.close(), stored.close()]);
  });
});

describeInBrowsers(['chromium'], 'the popup with a year of data', (session) => {
  it('fits within the 600 px Chrome gives a toolbar popup, leading with today, the usual, the limits and the streak', async () => {
    const send = session().sendFromExtensionPage;
    expect(
      await send({ type: 'consent.set', scopes: { usage: true, account: true }, source: 'options' }),
    ).toMatchObject({
      ok: true,
    });
    expect(await send({ type: 'data.import', document: yearOfData(), mode: 'replace' })).toMatchObject({
      ok: true,
      value: { applied: true },
    });
    // The lead at its longest: an overall limit and two surfaces' limits, with the streak under them.
    expect(
      await send({ type: 'settings.set', dailyLimitMinutes: 60, surfaceLimitsMinutes: { reels: 20, feed: 15 } }),
    ).toMatchObject({ ok: true });

    const popup = await session().openExtensionPage('src/popup/index.html');
    await popup.setViewport({ width: 360, height: 600 });
    // Every part the popup shows with these choices, once each has read what it shows.
    for (const part of ['goal-streak', 'recording-status', 'surface-bars', 'account-followers', 'upload-status']) {
      await popup.waitForSelector(`[data-testid="${part}"]`);
    }
    const layout = await popup.evaluate(() => ({
      // The document's own height: what Chrome sizes a toolbar popup to (the viewport's is fixed here).
      height: document.documentElement.getBoundingClientRect().height,
      width: document.querySelector('main')?.getBoundingClientRect().width,
      order: [...document.querySelectorAll('[data-testid]')].map((element) => element.getAttribute('data-testid')),
    }));
    expect(layout.width).toBe(360);
    expect(layout.height).toBeLessThanOrEqual(600);
    // What leads: today's total, then the usual, the limits and the streak, all before the recording controls.
    const lead = ['today-total', 'today-usual', 'goal-overall', 'goal-feed', 'goal-reels', 'goal-streak'];
    const positions = [...lead, 'recording-status'].map((part) => layout.order.indexOf(part));
    expect(positions.every((position) => position >= 0)).toBe(true);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    await popup.close();
  });
});
