/**
 * The foundation's proof that every context is wired: an Instagram page loads, the content script reports it, the
 * background validates and stores it, and the popup shows it. And the other half of that promise: nothing a web
 * page or a malformed message says is stored.
 */
import type { Page } from 'puppeteer';
import { expect, it } from 'vitest';
import type { PageSeenRecord } from '../../src/shared/records';
import { bothBrowsers, describeInBrowsers, eventually } from './harness';

const feed = { '/': { file: 'feed-en.html' } };

async function storedPaths(readTable: (table: string) => Promise<unknown[]>): Promise<string[]> {
  const records = (await readTable('pagesSeen')) as PageSeenRecord[];
  return records.map((record) => record.path);
}

/** Sends a runtime message from an extension page and returns the background's reply. */
function sendFromExtensionPage(page: Page, message: unknown): Promise<unknown> {
  return page.evaluate((body) => {
    const api = (globalThis as unknown as { browser?: typeof chrome }).browser ?? chrome;
    return api.runtime.sendMessage(body);
  }, message);
}

describeInBrowsers(bothBrowsers, 'wiring', (session) => {
  it('stores the Instagram page the content script reports, and the popup shows it', async () => {
    const { openInstagram, openExtensionPage, readTable } = session();
    const instagram = await openInstagram('/', feed);
    const paths = await eventually('the feed page to be stored', async () => {
      const stored = await storedPaths(readTable);
      return stored.includes('/') ? stored : undefined;
    });
    expect(paths).toEqual(['/']);
    await instagram.close();

    const popup = await openExtensionPage('src/popup/index.html');
    const shown = await popup.$$eval('[data-testid="pages"] li code', (codes) => codes.map((code) => code.textContent));
    expect(shown).toEqual(['/']);
    await popup.close();
  });

  it('ignores what a web page posts with window.postMessage', async () => {
    const { openInstagram, readTable } = session();
    const forging = `<!DOCTYPE html><html lang="en"><body><main role="main"></main><script>
      for (const delay of [0, 200, 600]) setTimeout(() => {
        window.postMessage({ type: 'page.seen', path: '/forged-by-page/' }, '*');
        window.postMessage(JSON.stringify({ type: 'page.seen', path: '/forged-by-page/' }), '*');
      }, delay);
    </script></body></html>`;
    const page = await openInstagram('/explore/', { '/explore/': { html: forging } });
    await eventually('the explore page itself to be stored', async () =>
      (await storedPaths(readTable)).includes('/explore/') ? true : undefined,
    );
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await storedPaths(readTable)).not.toContain('/forged-by-page/');
    await page.close();
  });

  it('refuses malformed messages and messages from the wrong kind of sender, storing nothing', async () => {
    const { openExtensionPage, readTable } = session();
    const before = await storedPaths(readTable);
    const popup = await openExtensionPage('src/popup/index.html');

    const wrongSender = await sendFromExtensionPage(popup, { type: 'page.seen', path: '/from-an-extension-page/' });
    expect(wrongSender).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const noType = await sendFromExtensionPage(popup, { path: '/no-type/' });
    expect(noType).toMatchObject({ ok: false, error: { code: 'bad-message' } });
    const notAnObject = await sendFromExtensionPage(popup, 'page.seen /');
    expect(notAnObject).toMatchObject({ ok: false, error: { code: 'bad-message' } });
    const unknown = await sendFromExtensionPage(popup, { type: 'data.dump' });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'unknown-type' } });
    await popup.close();

    expect(await storedPaths(readTable)).toEqual(before);
  });
});

describeInBrowsers(['chromium'], 'content-script sender', (session) => {
  it('refuses a page.seen of the wrong shape even from the content script itself', async () => {
    const { openInstagram, readTable } = session();
    const page = await openInstagram('/', feed);
    await eventually('the feed page to be stored', async () =>
      (await storedPaths(readTable)).includes('/') ? true : undefined,
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
    expect(await send({ type: 'page.seen', path: '/sent-from-content-script/' })).toEqual({ ok: true });
    expect(await storedPaths(readTable)).toEqual(['/', '/sent-from-content-script/']);
    await page.close();
  });
});
