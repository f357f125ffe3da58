/**
 * The README's pictures, taken from the real extension with fixture data: the popup (light and dark), each dashboard
 * tab, a day's page, the goals and a weekly report, written to docs/screenshots/ on every run (the images are
 * committed, so a change of the UI shows up in review as changed pictures). The same run writes the store listings'
 * screenshots, 1280 × 800 as both stores take them, to docs/store/screenshots/ (docs/STORE.md); `npm run package`
 * copies them next to the archives.
 *
 * Chromium only: one browser is enough for pictures, and Chromium's screenshots do not depend on a window manager.
 * The data is a month (tests/support/yearOfData.ts: 30 days, 60 hashtags, one account) ending today, because the pages
 * compute "today" from the real clock; so the pictures differ from day to day in their dates, not in their shape.
 */
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Page } from 'puppeteer';
import { beforeAll, expect, it } from 'vitest';
import { addDays, localToday } from '../../src/shared/domain/dates';
import { isoWeekOf } from '../../src/shared/domain/periods';
import { smallDataset } from '../support/yearOfData';
import { describeInBrowsers } from './harness';

const directory = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));
const storeDirectory = fileURLToPath(new URL('../../docs/store/screenshots/', import.meta.url));
/** The size both stores show screenshots at (Chrome Web Store: 1280 × 800 or 640 × 400; AMO scales 1280 × 800). */
const storeSize = { width: 1280, height: 800 };

/** The file is a PNG (its eight-byte signature) with something drawn in it (a blank page compresses to under 5 KB). */
function expectPicture(path: string): void {
  expect(readFileSync(path).subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  expect(statSync(path).size).toBeGreaterThan(5_000);
}

/** Waits until fonts are loaded and two frames have been drawn, so the picture shows the finished page. */
async function settled(page: Page): Promise<void> {
  await page.evaluate(async () => {
    await document.fonts.ready;
    await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
  });
}

describeInBrowsers(['chromium'], 'screenshots for the README', (session) => {
  beforeAll(async () => {
    mkdirSync(directory, { recursive: true });
    mkdirSync(storeDirectory, { recursive: true });
    // The popup shows today's figures only after choices are made; a file cannot make them (see docs/EXPORT.md).
    expect(
      await session().sendFromExtensionPage({
        type: 'consent.set',
        scopes: { usage: true, account: true },
        source: 'options',
      }),
    ).toMatchObject({ ok: true });
    expect(
      await session().sendFromExtensionPage({ type: 'data.import', document: smallDataset(), mode: 'replace' }),
    ).toMatchObject({ ok: true, value: { applied: true } });
    // Goals, so the popup and the goals page show a limit and a streak.
    expect(
      await session().sendFromExtensionPage({
        type: 'settings.set',
        dailyLimitMinutes: 60,
        surfaceLimitsMinutes: { reels: 20 },
      }),
    ).toMatchObject({ ok: true });
  });

  /** The options page at `address`, light, 1280 px wide, once `content` is shown and every chart in it is drawn. */
  async function optionsPage(address: string, content: string): Promise<Page> {
    const page = await session().browser.newPage();
    await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'light' }]);
    await page.setViewport({ width: 1280, height: 900 });
    await page.goto(`${session().origin}/src/options/index.html${address}`);
    await page.waitForSelector(content);
    await page.waitForFunction(() =>
      [...document.querySelectorAll('.chart')].every((chart) => chart.querySelector('.uplot canvas')),
    );
    await page.evaluate(() => window.scrollTo(0, 0));
    await settled(page);
    return page;
  }

  async function picture(page: Page, name: string): Promise<void> {
    const path = `${directory}${name}.png`;
    await page.screenshot({ path });
    expectPicture(path);
    await page.close();
  }

  for (const scheme of ['light', 'dark'] as const) {
    it(`the popup, ${scheme}`, async () => {
      const page = await session().browser.newPage();
      await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: scheme }]);
      // Chrome sizes a toolbar popup to its content, at most 800 × 600: the popup's own width, and 600 px tall.
      await page.setViewport({ width: 400, height: 600 });
      await page.goto(`${session().origin}/src/popup/index.html`);
      await page.waitForSelector('[data-testid="today-total"]');
      const width = await page.$eval('main', (main) => Math.ceil(main.getBoundingClientRect().width));
      await page.setViewport({ width, height: 600 });
      await settled(page);
      const path = `${directory}popup-${scheme}.png`;
      await page.screenshot({ path });
      expectPicture(path);
      await page.close();
    });
  }

  const tabs = {
    overview: '[data-testid="overview-summary"]',
    hashtags: '[data-testid="hashtag-table"]',
    account: '[data-testid="account-latest"]',
  } as const;
  for (const [tab, content] of Object.entries(tabs)) {
    it(`the dashboard's ${tab} tab`, async () => {
      const page = await session().browser.newPage();
      await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'light' }]);
      await page.setViewport({ width: 1280, height: 900 });
      await page.goto(`${session().origin}/src/options/index.html#dashboard`);
      await page.waitForSelector('[data-testid="tab-overview"]');
      await page.click(`[data-testid="tab-${tab}"]`);
      await page.waitForSelector(`[data-testid="panel-${tab}"] ${content}`);
      // Every chart of the tab drawn (uPlot renders into .uplot; the Hashtags tab has none), then the page from its top.
      await page.waitForFunction(
        (panel) => {
          const charts = document.querySelectorAll(`${panel} .chart`);
          return [...charts].every((chart) => chart.querySelector('.uplot canvas'));
        },
        {},
        `[data-testid="panel-${tab}"]`,
      );
      await page.evaluate(() => window.scrollTo(0, 0));
      await settled(page);
      const path = `${directory}dashboard-${tab}.png`;
      await page.screenshot({ path });
      expectPicture(path);
      if (tab !== 'account') {
        // The store's picture of the same tab: the first screenful at the stores' size.
        await page.setViewport(storeSize);
        await settled(page);
        const storePath = `${storeDirectory}dashboard-${tab}-1280x800.png`;
        await page.screenshot({ path: storePath });
        expectPicture(storePath);
      }
      await page.close();
    });
  }

  // The pages compute "today" from the real clock, as the data does: yesterday and last week have data.
  const today = localToday();
  const pages = {
    'day-page': [`#day/${addDays(today, -1)}`, '[data-testid="day-figures"]'],
    goals: ['#goals', '[data-testid="goals-streak-current"]'],
    'weekly-report': [`#report/${isoWeekOf(addDays(today, -7))}`, '[data-testid="weekly-report"]'],
  } as const;
  for (const [name, [address, content]] of Object.entries(pages)) {
    it(`the ${name.replace('-', ' ')}`, async () => {
      await picture(await optionsPage(address, content), name);
    });
  }

  it('the store’s picture of the popup, over a plain backdrop with one line saying what it is', async () => {
    const popup = await session().browser.newPage();
    await popup.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'light' }]);
    await popup.setViewport({ width: 400, height: 600 });
    await popup.goto(`${session().origin}/src/popup/index.html`);
    await popup.waitForSelector('[data-testid="today-total"]');
    const width = await popup.$eval('main', (main) => Math.ceil(main.getBoundingClientRect().width));
    await popup.setViewport({ width, height: 600 });
    await settled(popup);
    const picture = await popup.screenshot({ encoding: 'base64' });
    await popup.close();
    const page = await session().browser.newPage();
    await page.setViewport(storeSize);
    await page.setContent(`<body style="margin:0;height:800px;display:flex;align-items:center;justify-content:center;
      gap:72px;background:#e8f4f2;font-family:system-ui,sans-serif;color:#17322e">
      <div style="max-width:440px"><p style="font-size:40px;font-weight:700;margin:0 0 16px">Today at a glance</p>
      <p style="font-size:22px;line-height:1.4;margin:0">Your time on Instagram against your usual day and your limits,
      where it went, views and hashtags — recorded and kept on your device.</p></div>
      <img src="data:image/png;base64,${picture}" style="border-radius:12px;box-shadow:0 12px 40px rgb(0 0 0 / 25%)">
      </body>`);
    await settled(page);
    const path = `${storeDirectory}popup-1280x800.png`;
    await page.screenshot({ path });
    expectPicture(path);
    await page.close();
  });

  it('the store’s picture of the onboarding page: the choices on one page, declining as easy as accepting', async () => {
    const page = await session().browser.newPage();
    await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'light' }]);
    await page.setViewport(storeSize);
    await page.goto(`${session().origin}/src/onboarding/index.html`);
    await page.waitForSelector('[data-testid="onboarding-save"]');
    // As a new install shows it, every choice off: the choices made for the other pictures are cleared on the page
    // only (nothing is saved), the dependent ones first.
    for (const box of (await page.$$('.scope-choices input[type="checkbox"]:checked')).reverse()) await box.click();
    expect(await page.$$('.scope-choices input[type="checkbox"]:checked')).toHaveLength(0);
    await settled(page);
    const path = `${storeDirectory}onboarding-1280x800.png`;
    await page.screenshot({ path });
    expectPicture(path);
    await page.close();
  });
});
