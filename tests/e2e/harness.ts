/**
 * Launches a real browser with the current build of smartTags loaded (dist/chrome into Chromium, dist/firefox into
 * Firefox) and gives tests one vocabulary for both: open Instagram fixture pages, open the extension's pages, read
 * its IndexedDB, and (Chromium) stop its service worker.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer, { type Browser, type Page, type Viewport } from 'puppeteer';
import { afterAll, beforeAll, describe } from 'vitest';
import { geckoId } from '../../scripts/manifest';
import type { ExportDocument } from '../../src/shared/contracts/exportDocument';
import { type BrowserKind, browserExecutable } from './browsers';
import { type InstagramRoutes, serveInstagram } from './instagram';

export type { BrowserKind };

/** Pins Firefox's moz-extension:// host, which is otherwise random for each profile. */
const firefoxExtensionUuid = '6d1e5a8c-4b7f-4f0e-9a3c-2f5b8e1d7c40';

const distDirectory: Record<BrowserKind, string> = {
  chromium: fileURLToPath(new URL('../../dist/chrome', import.meta.url)),
  firefox: fileURLToPath(new URL('../../dist/firefox', import.meta.url)),
};

export interface ExtensionSession {
  kind: BrowserKind;
  browser: Browser;
  /** `chrome-extension://<id>` or `moz-extension://<uuid>`, no trailing slash. */
  origin: string;
  /** Opens a tab on https://www.instagram.com<path>, answered from the given fixture routes. */
  openInstagram(path: string, routes: InstagramRoutes): Promise<Page>;
  /**
   * Finds a tab the extension opened itself (e.g. the onboarding page on install) and brings it to the front, so it
   * renders and takes input like the tab a person looks at. Firefox reports such tabs as about:blank through
   * WebDriver BiDi, so tabs are matched by the location their document reports.
   */
  findExtensionTab(path: string): Promise<Page>;
  /** Opens an extension page (e.g. "src/popup/index.html") and waits until it has rendered. */
  openExtensionPage(path: string): Promise<Page>;
  /** Reads every record of an IndexedDB table of the extension, through an extension page. */
  readTable<T = unknown>(table: string): Promise<T[]>;
  /** Sends a runtime message from an extension page (as the popup would) and returns the background's reply. */
  sendFromExtensionPage(message: unknown): Promise<unknown>;
  /** The address the toolbar button opens now (`action.getPopup`), relative to the extension's origin. */
  popupAddress(): Promise<string>;
  /** Chromium only: stops the background service worker, as the browser may at any moment. */
  stopServiceWorker(): Promise<void>;
  close(): Promise<void>;
}

export interface SessionOptions {
  /**
   * Chromium only: host permissions to treat as already granted. Headless Chromium cannot answer the prompt that
   * `permissions.request` opens, so a test that needs a granted optional host loads a copy of the build with those
   * hosts granted up front — standing in for the person's click. Firefox answers such prompts itself (see launch).
   */
  grantedHosts?: string[];
  /**
   * Chromium only: optional API permissions (e.g. "notifications") to treat as already granted, for the same reason as
   * `grantedHosts`: the copy of the build lists them as required permissions.
   */
  grantedPermissions?: string[];
  /**
   * The colour scheme the system reports (`prefers-color-scheme`); by default the browser's own (light, headless).
   * Firefox takes it as a preference at launch, for every page; Chromium emulates it in the pages the session opens or
   * finds (openExtensionPage, findExtensionTab, openInstagram) — puppeteer's emulateMediaFeatures is CDP-only, which
   * Firefox over WebDriver BiDi does not offer.
   */
  colorScheme?: 'light' | 'dark';
  /**
   * A phone: every page the session opens or finds gets its viewport (with touch input), and the whole browser its
   * user agent — so the extension's background, which describes the device in uploads, reads it too. Firefox takes
   * the agent and touch events as preferences at launch, Chromium the agent as a flag.
   */
  phone?: Phone;
}

export interface Phone {
  userAgent: string;
  viewport: Viewport;
}

/**
 * A copy of dist/chrome whose manifest grants `hosts` (and API `permissions`), for tests that need a permission the
 * person would grant.
 */
function chromiumBuildGranting(hosts: string[], permissions: string[] = []): string {
  const copy = mkdtempSync(join(tmpdir(), 'smarttags-granted-'));
  cpSync(distDirectory.chromium, copy, { recursive: true });
  const manifestPath = join(copy, 'manifest.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
    host_permissions?: string[];
    permissions?: string[];
  };
  manifest.host_permissions = [...(manifest.host_permissions ?? []), ...hosts];
  manifest.permissions = [...(manifest.permissions ?? []), ...permissions];
  writeFileSync(manifestPath, JSON.stringify(manifest));
  return copy;
}

/** Firefox preferences that make pages see the given `prefers-color-scheme`. */
function firefoxColorSchemePrefs(scheme: SessionOptions['colorScheme']): Record<string, number> {
  if (!scheme) return {};
  // content-override: 0 dark, 1 light (2 follows the system, 3 the browser theme); the system pref backs it up.
  return {
    'layout.css.prefers-color-scheme.content-override': scheme === 'dark' ? 0 : 1,
    'ui.systemUsesDarkTheme': scheme === 'dark' ? 1 : 0,
  };
}

/**
 * Firefox preferences for a phone: its user agent everywhere, touch events for the touch input tests send, and
 * scrollbars drawn over the page as a phone's are (a desktop scrollbar would take 12 px of a 360 px screen).
 */
function firefoxPhonePrefs(phone: Phone | undefined): Record<string, string | number> {
  if (!phone) return {};
  return {
    'general.useragent.override': phone.userAgent,
    'dom.w3c_touch_events.enabled': 1,
    'ui.useOverlayScrollbars': 1,
  };
}

async function launch(kind: BrowserKind, options: SessionOptions = {}): Promise<Browser> {
  const executablePath = browserExecutable(kind);
  if (kind === 'chromium') {
    return puppeteer.launch({
      browser: 'chrome',
      executablePath,
      headless: true,
      pipe: true,
      enableExtensions: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        ...(options.phone ? [`--user-agent=${options.phone.userAgent}`] : []),
      ],
    });
  }
  return puppeteer.launch({
    browser: 'firefox',
    executablePath,
    headless: true,
    args: ['--remote-allow-system-access'],
    extraPrefsFirefox: {
      'extensions.webextensions.uuids': JSON.stringify({ [geckoId]: firefoxExtensionUuid }),
      // Optional permissions (the backend's host, data-collection categories) requested from a click are granted
      // without the doorhanger a person would answer; the request itself still runs, from a real click.
      'extensions.webextOptionalPermissionPrompts': false,
      ...firefoxColorSchemePrefs(options.colorScheme),
      ...firefoxPhonePrefs(options.phone),
    },
  });
}

async function startExtensionSession(kind: BrowserKind, options: SessionOptions = {}): Promise<ExtensionSession> {
  const granting = kind === 'chromium' && (options.grantedHosts || options.grantedPermissions);
  const dist = granting
    ? chromiumBuildGranting(options.grantedHosts ?? [], options.grantedPermissions)
    : distDirectory[kind];
  if (!existsSync(`${dist}/manifest.json`)) throw new Error(`${dist} has no build: run "npm run build" first.`);
  const browser = await launch(kind, options);
  const extensionId = await browser.installExtension(dist);
  const origin = kind === 'chromium' ? `chrome-extension://${extensionId}` : `moz-extension://${firefoxExtensionUuid}`;

  /**
   * Applies the session's colour scheme (Chromium; Firefox has it from its launch preferences) and a phone's viewport
   * to a page.
   */
  async function preparePage(page: Page): Promise<void> {
    if (kind === 'chromium' && options.colorScheme) {
      await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: options.colorScheme }]);
    }
    if (options.phone) await page.setViewport(options.phone.viewport);
  }

  async function openExtensionPage(path: string): Promise<Page> {
    const page = await browser.newPage();
    await preparePage(page);
    const url = `${origin}/${path}`;
    if (kind === 'chromium') {
      await page.goto(url);
    } else {
      // Firefox never resolves goto() for moz-extension:// pages; start it and poll for the document instead.
      // Polling (rather than waitForFunction) rides out the moment the old document is torn down, when Firefox's
      // BiDi evaluation fails with a protocol error.
      void page.goto(url).catch(() => {});
      await eventually(`${url} to load`, () =>
        page.evaluate(
          (expected) => (location.href === expected && document.readyState === 'complete') || undefined,
          url,
        ),
      );
    }
    await page.waitForFunction(() => (document.getElementById('app')?.childElementCount ?? 0) > 0);
    return page;
  }

  // One extension page kept open for reads and messages: opening a page per read costs seconds in Firefox.
  let probePage: Page | undefined;
  async function probe(): Promise<Page> {
    if (!probePage || probePage.isClosed()) probePage = await openExtensionPage('src/options/index.html');
    return probePage;
  }

  return {
    kind,
    browser,
    origin,
    async openInstagram(path, routes) {
      const page = await browser.newPage();
      await preparePage(page);
      await serveInstagram(page, routes);
      await page.goto(`https://www.instagram.com${path}`, { waitUntil: 'load' });
      return page;
    },
    openExtensionPage,
    async findExtensionTab(path) {
      const wanted = `${origin}/${path}`;
      const page = await eventually(`a tab showing ${wanted}`, async () => {
        for (const candidate of await browser.pages()) {
          const href = await candidate.evaluate(() => location.href).catch(() => '');
          if (href.startsWith(wanted)) return candidate;
        }
        return undefined;
      });
      await page.bringToFront();
      await preparePage(page);
      await page.waitForFunction(() => (document.getElementById('app')?.childElementCount ?? 0) > 0);
      return page;
    },
    async readTable<T>(table: string): Promise<T[]> {
      const page = await probe();
      return page.evaluate(
        (name) =>
          new Promise<T[]>((resolve, reject) => {
            const open = indexedDB.open('smarttags');
            open.onerror = () => reject(open.error);
            open.onsuccess = () => {
              const request = open.result.transaction(name, 'readonly').objectStore(name).getAll();
              request.onerror = () => reject(request.error);
              request.onsuccess = () => {
                open.result.close();
                resolve(request.result as T[]);
              };
            };
          }),
        table,
      );
    },
    async sendFromExtensionPage(message: unknown): Promise<unknown> {
      const page = await probe();
      return page.evaluate((body) => {
        const api = (globalThis as unknown as { browser?: typeof chrome }).browser ?? chrome;
        return api.runtime.sendMessage(body);
      }, message);
    },
    async popupAddress(): Promise<string> {
      const page = await probe();
      const address = await page.evaluate(() => {
        const api = (globalThis as unknown as { browser?: typeof chrome }).browser ?? chrome;
        return api.action.getPopup({});
      });
      // Chrome answers a full URL, Firefox may too: both are made relative to the origin.
      return address.startsWith(`${origin}/`) ? address.slice(origin.length + 1) : address;
    },
    async stopServiceWorker() {
      if (kind !== 'chromium') throw new Error('Only Chromium runs the background as a service worker.');
      const target = await browser.waitForTarget(
        (candidate) => candidate.type() === 'service_worker' && candidate.url().startsWith(origin),
      );
      const worker = await target.worker();
      if (!worker) throw new Error('The service worker target has no worker.');
      await worker.close();
    },
    close: () => browser.close(),
  };
}

/**
 * Declares a suite that runs once per named browser, each with its own fresh profile and the extension installed.
 * The callback receives a getter because the session only exists once beforeAll has run.
 */
export function describeInBrowsers(
  kinds: readonly BrowserKind[],
  title: string,
  body: (session: () => ExtensionSession) => void,
  options: SessionOptions = {},
): void {
  for (const kind of kinds) {
    describe(`${title} [${kind}]`, () => {
      let session: ExtensionSession | undefined;
      beforeAll(async () => {
        session = await startExtensionSession(kind, options);
      });
      afterAll(async () => {
        await session?.close();
      });
      body(() => {
        if (!session) throw new Error(`The ${kind} session did not start.`);
        return session;
      });
    });
  }
}

export const bothBrowsers: readonly BrowserKind[] = ['chromium', 'firefox'];

/** Polls until `check` returns a value other than undefined, or fails with `what` after the timeout. */
export async function eventually<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`Timed out waiting for ${what}${lastError ? ` (last error: ${String(lastError)})` : ''}`);
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Everything the extension has recorded, as its export gives it. */
export async function exported(session: ExtensionSession): Promise<ExportDocument> {
  const reply = (await session.sendFromExtensionPage({ type: 'data.export' })) as { ok: true; value: ExportDocument };
  return reply.value;
}

/** The export once the last reports (sent when the tabs closed) have been written: two reads a second apart agree. */
export async function settled(session: ExtensionSession): Promise<ExportDocument> {
  let previous = JSON.stringify((await exported(session)).days);
  return eventually('the recorded days to settle', async () => {
    await sleep(1000);
    const document = await exported(session);
    const current = JSON.stringify(document.days);
    const stable = current === previous;
    previous = current;
    return stable ? document : undefined;
  });
}

/** Seconds of attention the export holds for a surface, over all its days. */
export function secondsOn(document: ExportDocument, surface: string): number {
  return document.days.reduce((sum, day) => sum + (day.surfaces[surface as 'feed'] ?? 0), 0) / 1000;
}

/** Sets the backend on the options page's Sync section as a person does: types the address, saves (the click asks for
 * the host permission), and waits until the page shows it in use. */
export async function setBackend(options: Page, url: string): Promise<void> {
  await options.waitForSelector('input[name="backend-url"]');
  await options.$eval('input[name="backend-url"]', (input) => {
    (input as HTMLInputElement).value = '';
  });
  await options.type('input[name="backend-url"]', url);
  await options.click('[data-testid="backend-save"]');
  await options.waitForFunction(
    (wanted) => document.querySelector('[data-testid="backend-current"]')?.textContent?.includes(wanted),
    {},
    url,
  );
}
