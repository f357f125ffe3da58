/**
 * The extension's own pages on a 360 px wide phone, the narrowest common Android width: Firefox for Android opens the
 * popup, the onboarding page and the options page as full-screen tabs, so each must fit that width. For every page and
 * every section of the options page (each dashboard tab, a day, a hashtag, a week's report, goals, privacy, sync) with
 * data in it: the page does not scroll sideways, and every control (link, button, field, summary) lies within the
 * screen — or inside a box of its own that scrolls sideways and fits the screen, as a wide table does — so a finger
 * can reach it.
 *
 * Firefox only: it is the one browser that runs these pages on a phone (Chrome for Android has no extensions).
 */
import type { Page } from 'puppeteer';
import { beforeAll, expect, it } from 'vitest';
import { addDays, localToday } from '../../src/shared/domain/dates';
import { isoWeekOf } from '../../src/shared/domain/periods';
import { smallDataset } from '../support/yearOfData';
import { describeInBrowsers, eventually, type Phone } from './harness';

/** A small Android phone: 360 × 740 CSS pixels at 3 device pixels per CSS pixel (a Galaxy S8's screen). */
const narrowPhone: Phone = {
  userAgent: 'Mozilla/5.0 (Android 15; Mobile; rv:153.0) Gecko/153.0 Firefox/153.0',
  viewport: { width: 360, height: 740, deviceScaleFactor: 3, isMobile: true, hasTouch: true },
};

/**
 * What keeps a page from being used at its width: a phone lays out a page without a device-width viewport at 980 px
 * and shrinks it (desktop Firefox ignores the tag, so it is read rather than seen), how far the page scrolls sideways,
 * and the controls out of reach.
 */
interface NarrowFit {
  viewport: string | null;
  width: number;
  sidewaysScroll: number;
  outOfReach: string[];
}

/** Measures the page as it is now (see NarrowFit). */
function measureFit(page: Page): Promise<NarrowFit> {
  return page.evaluate((): NarrowFit => {
    const width = document.documentElement.clientWidth;
    const inside = (rect: DOMRect, left: number, right: number) => rect.left >= left - 1 && rect.right <= right + 1;
    /** The nearest ancestor that scrolls sideways by itself, if it fits the screen: what is in it is reachable. */
    const scrollsSideways = (element: Element) => {
      for (let box = element.parentElement; box && box !== document.body; box = box.parentElement) {
        const overflow = getComputedStyle(box).overflowX;
        if ((overflow === 'auto' || overflow === 'scroll') && box.scrollWidth > box.clientWidth) {
          return inside(box.getBoundingClientRect(), 0, width);
        }
      }
      return false;
    };
    const controls = document.querySelectorAll('a[href], button, input, select, textarea, summary, [tabindex="0"]');
    const outOfReach = [...controls]
      .filter((control) => {
        const rect = control.getBoundingClientRect();
        // Hidden controls (a closed <details>, a tab's hidden panel, a visually hidden input) take no room.
        if (rect.width <= 1 || rect.height <= 1 || getComputedStyle(control).visibility === 'hidden') return false;
        return !inside(rect, 0, width) && !scrollsSideways(control);
      })
      .map((control) => {
        const rect = control.getBoundingClientRect();
        const name = (control.getAttribute('data-testid') ?? control.textContent ?? '').trim().slice(0, 40);
        return `${control.tagName.toLowerCase()} "${name}" at ${Math.round(rect.left)}–${Math.round(rect.right)} px`;
      });
    return {
      viewport: document.querySelector('meta[name="viewport"]')?.getAttribute('content') ?? null,
      width,
      sidewaysScroll: document.documentElement.scrollWidth - width,
      outOfReach,
    };
  });
}

/** Opens every <details>, so what is behind them is measured too. */
async function openAllDetails(page: Page): Promise<void> {
  await page.evaluate(() => {
    for (const details of document.querySelectorAll('details')) details.open = true;
  });
}

/** Waits until no part of the page says it is still loading, then one frame more for charts to size themselves. */
async function loaded(page: Page, selector: string): Promise<void> {
  await page.waitForSelector(selector);
  await eventually('the page to finish loading', () =>
    page.evaluate(() => document.querySelector('[aria-busy="true"]') === null || undefined),
  );
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => resolve(true))));
}

const fits: NarrowFit = {
  viewport: 'width=device-width, initial-scale=1',
  width: 360,
  sidewaysScroll: 0,
  outOfReach: [],
};

describeInBrowsers(
  ['firefox'],
  'the extension’s pages on a 360 px wide phone',
  (session) => {
    beforeAll(async () => {
      // Consent first (a file cannot give it), then a month of data with an account, so every part of the pages shows.
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
    });

    it('the popup and the onboarding page fit the width, every control within reach', async () => {
      const popup = await session().openExtensionPage('src/popup/index.html');
      await loaded(popup, '[data-testid="today-total"]');
      await openAllDetails(popup);
      const onboarding = await session().openExtensionPage('src/onboarding/index.html');
      await loaded(onboarding, '[data-testid="onboarding-save"]');
      await openAllDetails(onboarding);
      expect({ popup: await measureFit(popup), onboarding: await measureFit(onboarding) }).toEqual({
        popup: fits,
        onboarding: fits,
      });
      await popup.close();
      await onboarding.close();
    });

    it('every section of the options page fits the width, every control within reach', async () => {
      const page = await session().openExtensionPage('src/options/index.html#dashboard');
      // Everything is measured before anything is asserted, so one failure does not hide another's.
      const found: Record<string, NarrowFit> = {};
      for (const [tab, ready] of [
        ['overview', '[data-testid="overview-summary"]'],
        ['hashtags', '[data-testid="hashtag-table"]'],
        ['account', '[data-testid="account-latest"]'],
      ] as const) {
        await page.tap(`[data-testid="tab-${tab}"]`);
        await loaded(page, `[data-testid="panel-${tab}"]:not([hidden]) ${ready}`);
        await openAllDetails(page);
        found[tab] = await measureFit(page);
      }
      // Yesterday, a tag of the dataset and last week: the data ends today, so all three have something to show.
      const week = isoWeekOf(addDays(localToday(), -7));
      const addresses = {
        [`day/${addDays(localToday(), -1)}`]: '#day h2',
        'tag/photography': '#tag h2',
        [`report/${week}`]: '#report h2',
        goals: '#goals h2',
        privacy: '#privacy h2',
        sync: '#sync h2',
      };
      for (const [address, ready] of Object.entries(addresses)) {
        await page.evaluate((hash) => {
          location.hash = hash;
        }, address);
        await loaded(page, ready);
        await openAllDetails(page);
        found[address] = await measureFit(page);
      }
      expect(found).toEqual(Object.fromEntries(Object.keys(found).map((view) => [view, fits])));
      expect(Object.keys(found)).toHaveLength(9);
      await page.close();
    });
  },
  { phone: narrowPhone },
);
