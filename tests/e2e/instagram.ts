/**
 * Serves fixture pages under the real https://www.instagram.com/ URLs, so the extension's real match patterns
 * apply. Nothing reaches the network: every Instagram request is answered here, every other request is aborted.
 */
import { readFileSync } from 'node:fs';
import type { HTTPRequest, Page } from 'puppeteer';

const fixturesDirectory = new URL('../fixtures/instagram/', import.meta.url);

function fixture(name: string): string {
  return readFileSync(new URL(name, fixturesDirectory), 'utf8');
}

/** Maps a path on www.instagram.com (exact, e.g. "/explore/") to a fixture file name or inline HTML. */
export type InstagramRoutes = Record<string, { file: string } | { html: string }>;

function answer(request: HTTPRequest, routes: InstagramRoutes): Promise<void> {
  const url = new URL(request.url());
  if (url.origin !== 'https://www.instagram.com') return request.abort('blockedbyclient');
  const route = routes[url.pathname];
  if (!request.isNavigationRequest() || !route) {
    return request.respond({ status: 404, contentType: 'text/plain', body: 'not in the fixtures' });
  }
  let body: string;
  try {
    body = 'file' in route ? fixture(route.file) : route.html;
  } catch (error) {
    // A missing fixture must fail the test visibly, not leave the navigation hanging until it times out.
    return request.respond({ status: 500, contentType: 'text/plain', body: `fixture error: ${String(error)}` });
  }
  return request.respond({ status: 200, contentType: 'text/html; charset=utf-8', body });
}

export async function serveInstagram(page: Page, routes: InstagramRoutes): Promise<void> {
  await page.setRequestInterception(true);
  page.on('request', (request) => {
    const url = request.url();
    // Pages of the extension itself and inline documents are not network requests to answer.
    if (!/^https?:/.test(url)) {
      void request.continue();
      return;
    }
    void answer(request, routes).catch(() => {
      // The page navigated away or closed while the answer was in flight: nothing is waiting for it any more.
    });
  });
}
