/**
 * Importing Instagram's own data export in the real extension, in Chromium and Firefox (issue 15): a person chooses the
 * zip in the options page's file input, sees the preview, imports, and the dashboard shows the back-filled days,
 * marked as imported. The zip is built from tests/fixtures/instagram-export/current at test time, with a photo the
 * import must not need. Then "who unfollowed me": with the setting on, that zip and a later export
 * (tests/fixtures/instagram-export/later, friend.two gone) are imported, the page lists who unfollowed, and the
 * person deletes the lists.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ElementHandle, Page } from 'puppeteer';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { fixtureZip } from '../support/instagramExportFixtures';
import { bothBrowsers, describeInBrowsers, eventually } from './harness';

const directory = mkdtempSync(join(tmpdir(), 'smarttags-instagram-export-'));
const zipPath = join(directory, 'instagram-lena.example-2025-03-02.zip');
const laterZipPath = join(directory, 'instagram-lena.example-2025-04-14.zip');

beforeAll(async () => {
  const photo = { name: 'media/posts/202503/photo_1.jpg', content: new Uint8Array(256 * 1024).fill(9) };
  writeFileSync(zipPath, await fixtureZip('current', [photo]));
  writeFileSync(laterZipPath, await fixtureZip('later'));
});
afterAll(() => {
  rmSync(directory, { recursive: true, force: true });
});

const text = (page: Page, selector: string) => page.$eval(selector, (node) => node.textContent ?? '');

/** Sets a date field as a person picking a date does: the value, then the change event the page listens to. */
async function pickDate(page: Page, testId: string, date: string) {
  await page.$eval(
    `[data-testid="${testId}"]`,
    (input, value) => {
      (input as HTMLInputElement).value = value;
      input.dispatchEvent(new Event('change', { bubbles: true }));
    },
    date,
  );
}

describeInBrowsers(bothBrowsers, 'importing Instagram’s data export', (session) => {
  beforeAll(async () => {
    expect(
      await session().sendFromExtensionPage({
        type: 'consent.set',
        scopes: { usage: true, account: true },
        source: 'options',
      }),
    ).toMatchObject({ ok: true });
  });

  it('imports the zip chosen in the file input, and the dashboard shows the back-filled days', async () => {
    const page = await session().openExtensionPage('src/options/index.html#privacy');
    const input = (await page.waitForSelector(
      '[data-testid="instagram-import-file"]',
    )) as ElementHandle<HTMLInputElement>;
    await input.uploadFile(zipPath);

    // The preview: what the export holds, before anything is written.
    await page.waitForSelector('[data-testid="instagram-import-preview"]', { timeout: 20_000 });
    const preview = await text(page, '[data-testid="instagram-import-preview"]');
    expect(preview).toContain('Posts seen4');
    expect(preview).toContain('Reels seen3');
    expect(preview).toContain('lower bound');
    expect(await session().readTable('importedDays')).toEqual([]);

    await page.click('[data-testid="instagram-import-confirm"]');
    await page.waitForSelector('[data-testid="instagram-import-done"]');
    expect(await text(page, '[data-testid="instagram-import-done"]')).toContain('3 new days');
    const days = await session().readTable<{ date: string; views: { posts: number; reels: number } }>('importedDays');
    expect(days.map((day) => day.date)).toEqual(['2025-02-28', '2025-03-01', '2025-03-02']);

    // The dashboard, over the export's dates: the days are there, their views counted, and marked as imported.
    await page.evaluate(() => {
      location.hash = '#dashboard';
    });
    await page.waitForSelector('[data-testid="period-custom"]');
    await page.click('[data-testid="period-custom"]');
    await page.waitForSelector('[data-testid="period-from"]');
    await pickDate(page, 'period-from', '2025-02-20');
    await pickDate(page, 'period-to', '2025-03-05');
    const posts = await eventually('the posts seen of the imported days', async () => {
      const shown = await page.$('[data-testid="views-posts"]');
      return shown ? await text(page, '[data-testid="views-posts"]') : undefined;
    });
    expect(posts).toBe('4');
    expect(await text(page, '[data-testid="views-reels"]')).toBe('3');
    expect(await page.$('[data-testid="imported-legend"]')).not.toBeNull();
    const marked = await page.$$eval('[data-testid="imported-marker"]', (markers) =>
      markers.map((marker) => marker.closest('tr')?.querySelector('a')?.getAttribute('data-testid')),
    );
    expect(marked.sort()).toEqual(['day-link-2025-02-28', 'day-link-2025-03-01', 'day-link-2025-03-02']);

    // A back-filled day's own page shows its imported figures, marked. (Which day a late view falls on depends on the
    // browser's time zone, so the figures are compared with what was stored.)
    const firstOfMarch = days.find((day) => day.date === '2025-03-01');
    await page.$eval('[data-testid="day-link-2025-03-01"]', (link) => (link as HTMLAnchorElement).click());
    await page.waitForSelector('[data-testid="day-figures"]');
    expect(await text(page, '[data-testid="day-posts"]')).toBe(String(firstOfMarch?.views.posts));
    expect(await text(page, '[data-testid="day-reels"]')).toBe(String(firstOfMarch?.views.reels));
    expect(await page.$('[data-testid="imported-legend"]')).not.toBeNull();
    await page.close();
  });

  it('with “Keep my follower list” on, shows who unfollowed between two imports, then deletes the lists (promise: local, deletable)', async () => {
    const page = await session().openExtensionPage('src/options/index.html#privacy');
    /** Chooses a zip in the file input and imports it once the preview is shown. */
    async function importZip(path: string) {
      const input = (await page.waitForSelector(
        '[data-testid="instagram-import-file"]',
      )) as ElementHandle<HTMLInputElement>;
      await input.uploadFile(path);
      await page.waitForSelector('[data-testid="instagram-import-follower-list"]', { timeout: 20_000 });
      expect(await text(page, '[data-testid="instagram-import-follower-list"]')).toContain('will be kept');
      await page.click('[data-testid="instagram-import-confirm"]');
      await page.waitForSelector('[data-testid="instagram-import-done"]');
      expect(await text(page, '[data-testid="instagram-import-done"]')).toContain(
        'follower list (6 followers) was kept',
      );
    }

    // Off until the person turns it on; the first test's import kept nothing.
    const setting = await page.waitForSelector('[data-testid="follower-lists-keep"]:not([disabled])');
    expect(await setting?.evaluate((box) => (box as HTMLInputElement).checked)).toBe(false);
    expect(await session().readTable('followerLists')).toEqual([]);
    // By keyboard, as anyone can: focus the checkbox and press Space.
    await setting?.focus();
    await page.keyboard.press(' ');
    await page.waitForSelector('[data-testid="follower-lists-keep-saved"]');
    await page.waitForSelector('[data-testid="follower-changes-empty"]');

    // The same export as before: no figure is new, but its follower list is kept as the first one.
    await importZip(zipPath);
    await eventually('the page saying to import again later', async () =>
      (await text(page, '[data-testid="follower-changes-empty"]')).includes('Import again later') ? true : undefined,
    );
    await importZip(laterZipPath);
    const unfollowed = await eventually('the table of who unfollowed', async () =>
      (await page.$('[data-testid="follower-changes-unfollowed"]'))
        ? await text(page, '[data-testid="follower-changes-unfollowed"]')
        : undefined,
    );
    expect(unfollowed).toContain('1 account unfollowed you');
    expect(unfollowed).toContain('@friend.two');
    expect(await text(page, '[data-testid="follower-changes-followed"]')).toContain('@friend.seven');
    const lists = await session().readTable<{ exportOwner: string; usernames: string[] }>('followerLists');
    expect(lists.map((list) => [list.exportOwner, list.usernames.length])).toEqual([
      ['lena.example', 6],
      ['lena.example', 6],
    ]);

    await page.click('[data-testid="follower-lists-delete"]');
    await page.waitForSelector('[data-testid="follower-lists-delete-dialog"]');
    await page.click('[data-testid="follower-lists-delete-confirm"]');
    await page.waitForSelector('[data-testid="follower-lists-delete-done"]');
    expect(await session().readTable('followerLists')).toEqual([]);
    await page.waitForSelector('[data-testid="follower-changes-empty"]');
    await page.close();
  });
});
