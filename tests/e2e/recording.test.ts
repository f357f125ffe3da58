/**
 * Recording, end to end: a scripted Instagram session whose truth is known — the test drives input, SPA navigation,
 * visibility and time — and the export must match it. In Chromium the service worker is stopped several times during
 * the session, as the browser may do at any moment; totals must still match.
 *
 * The attention thresholds are set to their minimum (idle 10 s, passive 30 s) so the idle and passive rules show within
 * seconds. Each surface's expected seconds allow ±2 s: a route change is noticed within a second, and seconds are
 * whole epoch seconds.
 */
import type { Page } from 'puppeteer';
import { expect, it } from 'vitest';
import type { ExportDocument } from '../../src/shared/contracts/exportDocument';
import {
  bothBrowsers,
  describeInBrowsers,
  type ExtensionSession,
  eventually,
  exported,
  secondsOn,
  settled,
  sleep,
} from './harness';

const routes = {
  '/': { file: 'feed-en.html' },
  '/reels/': { file: 'reels-en.html' },
  '/maya.rivers/': { file: 'profile-own-en.html' },
  '/direct/t/340282366841710300949128171234567890/': { file: 'direct-thread-en.html' },
  '/accounts/edit/': { file: 'accounts-edit-en.html' },
};

/** Moves the mouse (or scrolls) every half second for `seconds`: a person reading. */
async function activeFor(page: Page, seconds: number, scrollBy = 0): Promise<void> {
  for (let step = 0; step < seconds * 2; step += 1) {
    await page.mouse.move(200 + (step % 2) * 40, 300);
    if (scrollBy !== 0) await page.mouse.wheel({ deltaY: scrollBy });
    await sleep(500);
  }
}

/** A grid of post thumbnails, as explore and tag pages show: no captions, no video. */
const grid = Array.from(
  { length: 9 },
  (_, index) => `<a href="/p/DGrid${String(index).padStart(6, '0')}/" role="link"><img alt="" src="data:,"></a>`,
).join('');

/** An SPA navigation as Instagram makes it: history.pushState and a re-render of main, no page load. */
async function navigate(page: Page, path: string, main?: string): Promise<void> {
  await page.evaluate(
    (to, html) => {
      history.pushState({}, '', to);
      const content = document.querySelector('main');
      if (content && html !== undefined) content.innerHTML = html;
    },
    path,
    main,
  );
}

/** Each test allows recording itself, so it also runs alone (vitest -t). */
async function allowRecording(session: ExtensionSession): Promise<void> {
  const reply = await session.sendFromExtensionPage({
    type: 'consent.set',
    scopes: { usage: true, account: true },
    source: 'options',
  });
  expect(reply).toMatchObject({ ok: true });
}

describeInBrowsers(bothBrowsers, 'recording a scripted session', (session) => {
  it('measures attention per surface, views, hashtags and the own account as the script did them', async () => {
    const { sendFromExtensionPage, kind } = session();
    await allowRecording(session());
    expect(await sendFromExtensionPage({ type: 'settings.set', idleSeconds: 10, passiveSeconds: 30 })).toEqual({
      ok: true,
    });
    const stopWorker = async () => {
      if (kind === 'chromium') await session().stopServiceWorker();
    };

    const instagram = await session().openInstagram('/', routes);
    await instagram.bringToFront();
    await eventually('the recorder to start', async () =>
      (await exported(session())).visits.some((visit) => visit.surface === 'feed') ? true : undefined,
    );

    await activeFor(instagram, 8, 100); // feed: 8 s, scrolling past both posts
    await stopWorker();
    await navigate(instagram, '/explore/', grid);
    await activeFor(instagram, 6); // explore: 6 s with input…
    await sleep(14_000); // …then 14 s without: the idle rule keeps counting 10 s of them
    await stopWorker();
    await navigate(instagram, '/explore/tags/caf%C3%A9/', grid);
    await activeFor(instagram, 5); // the #café tag page: 5 s
    await navigate(instagram, '/reels/', '<div style="height:100vh"><video playsinline></video></div>');
    await instagram.mouse.move(10, 10);
    await sleep(14_000); // reels, watched without touching anything: the passive rule counts all 14 s
    await stopWorker();

    // Hiding the tab stops the clock and flushes what was counted.
    const elsewhere = await session().browser.newPage();
    await elsewhere.bringToFront();
    await sleep(5000);

    const document = await eventually('the reels time to arrive', async () => {
      const current = await exported(session());
      return secondsOn(current, 'reels') >= 12 ? current : undefined;
    });
    expect(secondsOn(document, 'feed')).toBeGreaterThanOrEqual(7);
    expect(secondsOn(document, 'feed')).toBeLessThanOrEqual(10);
    expect(secondsOn(document, 'explore')).toBeGreaterThanOrEqual(14);
    expect(secondsOn(document, 'explore')).toBeLessThanOrEqual(18);
    expect(secondsOn(document, 'hashtag')).toBeGreaterThanOrEqual(4);
    expect(secondsOn(document, 'hashtag')).toBeLessThanOrEqual(7);
    expect(secondsOn(document, 'reels')).toBeGreaterThanOrEqual(12);
    expect(secondsOn(document, 'reels')).toBeLessThanOrEqual(16);
    // Of the reels time, what counted only because the video was on screen: past the 10 s idle threshold, 4 s.
    const passiveReels = document.days.reduce((sum, day) => sum + (day.passiveSurfaces.reels ?? 0), 0) / 1000;
    expect(passiveReels).toBeGreaterThanOrEqual(2);
    expect(passiveReels).toBeLessThanOrEqual(6);
    expect(document.days.every((day) => (day.passiveSurfaces.explore ?? 0) === 0)).toBe(true);
    const [day] = document.days;
    expect(document.days).toHaveLength(1);
    expect(day?.sessions).toBe(1);
    expect(day?.activeMs).toBe(day ? Object.values(day.surfaces).reduce((sum, ms) => sum + ms, 0) : -1);
    expect(day?.hours.reduce((sum, ms) => sum + ms, 0)).toBe(day?.activeMs);
    expect((day?.hashtagPageMs.café ?? 0) / 1000).toBeGreaterThanOrEqual(4);
    // The feed fixture's two posts were on screen; the first carries #sourdough and #baking.
    expect(day?.views).toEqual({ posts: 2, reels: 0, stories: 0 });
    expect(day?.hashtags.seen).toEqual({ sourdough: 1, baking: 1 });

    // The own profile, loaded in full: its counts become today's data point for the account.
    await instagram.bringToFront();
    await instagram.goto('https://www.instagram.com/maya.rivers/');
    await instagram.mouse.move(50, 50);
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
    await elsewhere.close();
    await instagram.close();

    // The popup shows what the session produced: today's total, the surfaces, views, tags and the account.
    const final = await settled(session());
    const today = final.days[0];
    const popup = await session().openExtensionPage('src/popup/index.html');
    await popup.waitForSelector('[data-testid="account-followers"]');
    const shown = await popup.evaluate(() => {
      const page = globalThis.document;
      const textOf = (selector: string) => page.querySelector(selector)?.textContent ?? null;
      return {
        total: textOf('[data-testid="today-total"]'),
        surfaces: [...page.querySelectorAll('[data-testid="surface-bars"] .surface-name')].map((e) => e.textContent),
        views: textOf('[data-testid="today-views"]'),
        tags: [...page.querySelectorAll('[data-testid="today-tags"] .tag')].map((e) => e.textContent),
        followers: textOf('[data-testid="account-followers"]'),
      };
    });
    const seconds = Math.round((today?.activeMs ?? 0) / 1000);
    expect(shown.total).toBe(seconds < 60 ? `${seconds} sec` : `${Math.round(seconds / 60)} min`);
    const surfaceOrder = Object.entries(today?.surfaces ?? {})
      .filter(([, ms]) => ms > 0)
      .sort(([, a], [, b]) => b - a)
      .map(([surface]) => surface);
    expect(shown.surfaces).toHaveLength(surfaceOrder.length);
    expect(shown.surfaces).toContain('Reels');
    expect(shown.surfaces).toContain('Explore');
    expect(shown.views).toBe('Posts: 2 · Reels: 0 · Stories: 0');
    expect(shown.tags).toEqual(['#baking', '#sourdough']);
    expect(shown.followers).toContain('@maya.rivers');
    expect(shown.followers).toContain('12,437 followers');
    await popup.close();

    // The dashboard renders every tab from the same data.
    const dashboard = await session().openExtensionPage('src/options/index.html#dashboard');
    const total = await dashboard.waitForSelector('[data-testid="total-time"]');
    expect(await total?.evaluate((element) => element.textContent)).toContain(shown.total ?? '');
    await dashboard.click('[data-testid="tab-hashtags"]');
    const tagTable = await dashboard.waitForSelector('[data-testid="hashtag-table"]');
    const tagText = (await tagTable?.evaluate((element) => element.textContent)) ?? '';
    expect(tagText).toContain('sourdough');
    expect(tagText).toContain('baking');
    await dashboard.click('[data-testid="tab-account"]');
    const latest = await dashboard.waitForSelector('[data-testid="account-latest"]');
    expect(await latest?.evaluate((element) => element.textContent)).toContain('12,437');
    await dashboard.close();
  }, 180_000);

  it('counts each reel that becomes the active one, with its tags', async () => {
    await allowRecording(session());
    const before = await exported(session());
    const reelsBefore = before.days.reduce((sum, day) => sum + day.views.reels, 0);
    const reels = await session().openInstagram('/reels/', routes);
    await reels.bringToFront();
    for (let reel = 1; reel <= 4; reel += 1) {
      await activeFor(reels, 2);
      // Reels scroll inside a nested container; the document itself never scrolls.
      await reels.evaluate(() =>
        document.querySelector('[data-fixture-reel="1"]')?.parentElement?.scrollBy(0, innerHeight),
      );
    }
    const elsewhere = await session().browser.newPage();
    await elsewhere.bringToFront();
    const result = await eventually('four reel views', async () => {
      const current = await exported(session());
      const count = current.days.reduce((sum, day) => sum + day.views.reels, 0);
      return count - reelsBefore >= 4 ? current : undefined;
    });
    expect(result.days.reduce((sum, day) => sum + day.views.reels, 0) - reelsBefore).toBe(4);
    const seen = result.days[0]?.hashtags.seen ?? {};
    for (const tag of ['योग', 'yogaeveryday', 'bikelife', 'commute', 'tidepools', 'ocean']) expect(seen[tag]).toBe(1);
    await elsewhere.close();
    await reels.close();
  }, 60_000);

  it('on today’s Instagram: a post page without <article>, a /popular/ tag page, re-created reel videos, a login wall', async () => {
    await allowRecording(session());
    const todays = {
      '/p/DXq4mN2kLs8/': { file: 'post-2025-own-en.html' },
      '/popular/sourdough/': { file: 'hashtag-page-en.html' },
      '/reels/DRk3vQ1oT7x/': { file: 'reels-2026-en.html' },
      '/reel/DRk3vQ1oT7x/': { file: 'reel-login-wall-en.html' },
    };
    const before = await settled(session());
    const sum = (document: ExportDocument, pick: (day: ExportDocument['days'][number]) => number) =>
      document.days.reduce((total, day) => total + pick(day), 0);
    const sumTag = (document: ExportDocument, kind: 'seen' | 'used', tag: string) =>
      sum(document, (day) => day.hashtags[kind][tag] ?? 0);

    // The viewer's own post, on a 2025 post page with no <article>: one view, its caption's tags seen and used.
    const post = await session().openInstagram('/p/DXq4mN2kLs8/', todays);
    await post.bringToFront();
    await activeFor(post, 3);
    // A 2026 tag landing page: hashtag time for #sourdough.
    await post.goto('https://www.instagram.com/popular/sourdough/');
    await activeFor(post, 4);
    // Reels whose player destroys and re-creates the active reel's <video>: still one reel.
    await post.goto('https://www.instagram.com/reels/DRk3vQ1oT7x/');
    await activeFor(post, 3);
    await post.evaluate(() => {
      const video = document.querySelector('[data-fixture-reel="1"] video');
      video?.replaceWith(video.cloneNode(true));
    });
    await activeFor(post, 3);
    // A login wall at a reel URL: other time, no view, no video surface.
    await post.goto('https://www.instagram.com/reel/DRk3vQ1oT7x/');
    await activeFor(post, 3);
    const elsewhere = await session().browser.newPage();
    await elsewhere.bringToFront();

    const after = await eventually('the session’s figures', async () => {
      const current = await exported(session());
      const otherMs = sum(current, (day) => day.surfaces.other ?? 0) - sum(before, (day) => day.surfaces.other ?? 0);
      return otherMs >= 2000 ? current : undefined;
    });
    expect(sum(after, (day) => day.views.posts) - sum(before, (day) => day.views.posts)).toBe(1);
    expect(sum(after, (day) => day.views.reels) - sum(before, (day) => day.views.reels)).toBe(1);
    for (const tag of ['sourdough', 'focaccia', 'weekendbake']) {
      expect(sumTag(after, 'seen', tag) - sumTag(before, 'seen', tag)).toBeGreaterThanOrEqual(1);
      expect(sumTag(after, 'used', tag) - sumTag(before, 'used', tag)).toBe(1);
    }
    const pageMs = (document: ExportDocument) => sum(document, (day) => day.hashtagPageMs.sourdough ?? 0);
    expect((pageMs(after) - pageMs(before)) / 1000).toBeGreaterThanOrEqual(3);
    await elsewhere.close();
    await post.close();
  }, 90_000);

  it('never stores message text, form input or passwords', async () => {
    await allowRecording(session());
    const canaries = ['CANARY-DIRECT-7f3a', 'CANARY-FORM-2b9e', 'CANARY-TYPED-91c4'];
    const direct = await session().openInstagram('/direct/t/340282366841710300949128171234567890/', routes);
    await direct.bringToFront();
    const composer = await direct.$('[contenteditable="true"]');
    await composer?.click();
    await direct.keyboard.type(`${canaries[2]} hello`);
    await sleep(2000);
    const form = await session().openInstagram('/accounts/edit/', routes);
    await form.bringToFront();
    for (const field of await form.$$('input, textarea')) {
      await field.click();
      await form.keyboard.type(canaries[2] ?? '');
    }
    await sleep(2000);
    await session()
      .browser.newPage()
      .then((page) => page.bringToFront());
    await sleep(1000);

    const everything = JSON.stringify(await exported(session()));
    const tables = await Promise.all(
      ['days', 'visits', 'accountSnapshots', 'dayKeys', 'readerHealth', 'consentLedger', 'settings'].map((table) =>
        session().readTable(table),
      ),
    );
    const stored = everything + JSON.stringify(tables);
    for (const canary of canaries) expect(stored).not.toContain(canary);
    // The visits were recorded (the pages were seen), by surface only.
    expect(everything).toContain('"surface":"direct"');
    await direct.close();
    await form.close();
  });
});
