/**
 * Firefox for Android, as closely as a desktop Firefox stands in for it: a phone's viewport (412 × 915 at 2.625
 * device pixels per CSS pixel, touch), Firefox for Android's user agent for the whole browser (so the background
 * describes the device as the upload environment would), touch input only, and Instagram's mobile web layout
 * (tests/fixtures/instagram-mobile/): the feed with its stories tray and bottom tab bar, stories opened from the tray,
 * full-screen reels, the own profile with its counts below the header. The session's truth is known; the export must
 * match it. What only a device can show is listed in docs/MOBILE.md.
 *
 * Headless Firefox dispatches touch events but does not pan the page for them (there is no compositor window to run
 * asynchronous pan and zoom), so after each swipe the test scrolls what the finger was on by the swipe's distance.
 */
import type { Page } from 'puppeteer';
import { expect, it } from 'vitest';
import type { UploadBatch } from '../../src/shared/contracts/upload';
import { describeInBrowsers, eventually, exported, type Phone, secondsOn, settled, sleep } from './harness';
import type { InstagramRoutes } from './instagram';

/** Firefox for Android on a mid-size phone (a Pixel 7's CSS viewport and pixel ratio). */
const firefoxForAndroid: Phone = {
  userAgent: 'Mozilla/5.0 (Android 15; Mobile; rv:153.0) Gecko/153.0 Firefox/153.0',
  viewport: { width: 412, height: 915, deviceScaleFactor: 2.625, isMobile: true, hasTouch: true },
};

const mobile = (file: string) => ({ file: `../instagram-mobile/${file}` });
const routes: InstagramRoutes = {
  '/': mobile('feed-en.html'),
  '/reels/': mobile('reels-en.html'),
  '/maya.rivers/': mobile('profile-own-en.html'),
};

/** A finger moving from one point to another, then the scroll it would have caused (see the header). */
async function swipe(page: Page, from: { x: number; y: number }, to: { x: number; y: number }): Promise<void> {
  const finger = await page.touchscreen.touchStart(from.x, from.y);
  const steps = 8;
  for (let step = 1; step <= steps; step += 1) {
    await finger.move(from.x + ((to.x - from.x) * step) / steps, from.y + ((to.y - from.y) * step) / steps);
  }
  await finger.end();
  await page.evaluate(
    (x, y, left, top) => {
      let element = document.elementFromPoint(x, y);
      const scrolls = (candidate: Element) =>
        candidate.scrollHeight > candidate.clientHeight && /auto|scroll/.test(getComputedStyle(candidate).overflowY);
      while (element && !scrolls(element)) element = element.parentElement;
      (element ?? document.scrollingElement)?.scrollBy({ left, top });
    },
    from.x,
    from.y,
    from.x - to.x,
    from.y - to.y,
  );
}

/** Taps an element and waits for the page it links to (a tab of the bottom bar). */
async function tapAndLoad(page: Page, selector: string, path: string): Promise<void> {
  await page.tap(selector);
  await eventually(`${path} to load`, () =>
    page
      .evaluate(() => document.readyState === 'complete' && location.pathname)
      .then((at) => (typeof at === 'string' && at.startsWith(path) ? true : undefined)),
  );
}

describeInBrowsers(
  ['firefox'],
  'Firefox for Android: a touch session on Instagram’s mobile layout',
  (session) => {
    it('records the surfaces, views, tags and account figures of the session, and uploads would say mobile', async () => {
      expect(
        await session().sendFromExtensionPage({
          type: 'consent.set',
          scopes: { usage: true, account: true, uploadUsage: true },
          source: 'options',
        }),
      ).toMatchObject({ ok: true });
      expect(
        await session().sendFromExtensionPage({ type: 'settings.set', idleSeconds: 10, passiveSeconds: 30 }),
      ).toEqual({ ok: true });

      const instagram = await session().openInstagram('/', routes);
      await instagram.bringToFront();
      expect(await instagram.evaluate(() => [innerWidth, navigator.userAgent])).toEqual([
        412,
        firefoxForAndroid.userAgent,
      ]);
      await eventually('the recorder to start', async () =>
        (await exported(session())).visits.some((visit) => visit.surface === 'feed') ? true : undefined,
      );

      // The feed: the first post, read for a few seconds.
      await instagram.tap('article img[decoding]'); // the photo, not the author's picture (a link)
      await sleep(2500);

      // Stories from the tray: sol.kitchen's two items (a tap forward between them), then a swipe to june.ink's.
      await instagram.tap('[data-tray-user="sol.kitchen"]');
      await sleep(2500);
      await instagram.tap('[data-story-next]');
      await sleep(2500);
      await swipe(instagram, { x: 320, y: 450 }, { x: 60, y: 450 });
      await sleep(2500);
      expect(await instagram.evaluate(() => location.pathname)).toBe('/stories/june.ink/3521933100472659028/');
      await instagram.tap('[data-story-close]');

      // Back on the feed: a swipe up brings the second post, a video, on screen.
      await sleep(1500);
      await swipe(instagram, { x: 200, y: 760 }, { x: 200, y: 210 });
      await sleep(2500);

      // Reels, from the bottom tab bar: three reels, one swipe up each.
      await tapAndLoad(instagram, 'a[href="/reels/"]', '/reels/');
      await instagram.tap('[data-fixture-reel="1"] video');
      await sleep(2500);
      for (const next of [2, 3]) {
        await swipe(instagram, { x: 200, y: 700 }, { x: 200, y: 150 });
        await eventually(`reel ${next} to fill the screen`, () =>
          instagram
            .evaluate((index) => {
              const reel = document.querySelector(`[data-fixture-reel="${index}"]`)?.getBoundingClientRect();
              return reel && Math.abs(reel.top) < 2 ? true : undefined;
            }, next)
            .catch(() => undefined),
        );
        await sleep(2500);
      }

      // The own profile, from the tab bar: its counts sit below the header on a narrow screen.
      await tapAndLoad(instagram, 'a[href="/maya.rivers/"]', '/maya.rivers/');
      const account = await eventually('the account data point', async () => (await exported(session())).accounts[0]);
      expect(account).toMatchObject({
        username: 'maya.rivers',
        snapshots: [
          {
            followers: { value: 12_437, exact: true },
            following: { value: 450, exact: true },
            posts: { value: 120, exact: true },
          },
        ],
      });
      // The recorder has read the page: a tap on the profile photo (no link), and a moment on the profile.
      await instagram.tap('main header img');
      await sleep(2500);

      // Leaving the tab ends the session and sends what was counted.
      const elsewhere = await session().browser.newPage();
      await elsewhere.bringToFront();
      const recorded = await settled(session());
      const [day] = recorded.days;
      expect(recorded.days).toHaveLength(1);
      expect(day?.views).toEqual({ posts: 2, reels: 3, stories: 3 });
      for (const tag of ['bakery', 'sourdough', 'trailrunning', 'yogaeveryday', 'morningroutine', 'bikelife']) {
        expect(day?.hashtags.seen[tag], tag).toBe(1);
      }
      // The reels not watched (the fourth) and nothing of the profile's grid count.
      expect(day?.hashtags.seen.tidepools).toBeUndefined();
      // Each surface got the time spent on it: about 7 s of feed, 8 of stories, 9 of reels, 3 of profile (a route change
      // is noticed within a second; waiting for a reel to settle can add a little on a slow machine).
      expect(secondsOn(recorded, 'feed')).toBeGreaterThanOrEqual(4);
      expect(secondsOn(recorded, 'feed')).toBeLessThanOrEqual(12);
      expect(secondsOn(recorded, 'stories')).toBeGreaterThanOrEqual(5);
      expect(secondsOn(recorded, 'stories')).toBeLessThanOrEqual(11);
      expect(secondsOn(recorded, 'reels')).toBeGreaterThanOrEqual(5);
      expect(secondsOn(recorded, 'reels')).toBeLessThanOrEqual(14);
      expect(secondsOn(recorded, 'profile')).toBeGreaterThanOrEqual(1);
      expect(new Set(recorded.visits.map((visit) => visit.surface))).toEqual(
        new Set(['feed', 'stories', 'reels', 'profile']),
      );

      // What an upload would carry: the device is a phone.
      const preview = (await session().sendFromExtensionPage({ type: 'sync.preview' })) as {
        ok: true;
        value: { batch?: UploadBatch; reason?: string };
      };
      expect(preview.value.batch?.environment).toMatchObject({ browser: 'firefox', deviceType: 'mobile' });
      await elsewhere.close();
      await instagram.close();
    }, 120_000);
  },
  { phone: firefoxForAndroid },
);
