/**
 * Numbers people can trust (issue 13), end to end in both browsers: two of the promises as a person meets them.
 *
 * - "No failure is silent": a logged-in feed whose markup no longer has posts makes the `feed-posts` reader report
 *   itself failing after its deadline (10 s, seen by the route scan 16 s after the page loaded); the popup warns about
 *   the feed and the options page's Recording health lists the reader as failing. A later feed with posts reports it
 *   working again, and the warning goes.
 * - "Correct or delete one day": from the dashboard's per-day table, one surface's time is removed from a day and a
 *   whole day is deleted, each confirmed in the dialog; the export shows exactly that time gone and the ledger of local
 *   edits holding both corrections, and the dashboard marks the days "Corrected by hand" and lists the edits.
 */
import { readFileSync } from 'node:fs';
import type { ElementHandle, Page } from 'puppeteer';
import { expect, it } from 'vitest';
import type { ExportDocument } from '../../src/shared/contracts/exportDocument';
import { surfaces } from '../../src/shared/domain/routes';
import type { ReaderHealthRecord } from '../../src/shared/storage/records';
import { bothBrowsers, describeInBrowsers, type ExtensionSession, eventually } from './harness';

const english = JSON.parse(
  readFileSync(new URL('../../public/_locales/en/messages.json', import.meta.url), 'utf8'),
) as Record<string, { message: string }>;
const text = (key: string) => english[key]?.message ?? `(no message ${key})`;

/** The feed fixture as Instagram might serve it after a redesign: the app's navigation is there, its posts are not. */
const feedFixture = readFileSync(new URL('../fixtures/instagram/feed-en.html', import.meta.url), 'utf8');
const feedWithoutPosts = feedFixture.replace(/<article\b[\s\S]*?<\/article>/g, '');

/** Each test allows recording itself, so it also runs alone (vitest -t). */
async function allowRecording(session: ExtensionSession): Promise<void> {
  const reply = await session.sendFromExtensionPage({
    type: 'consent.set',
    scopes: { usage: true, account: true },
    source: 'options',
  });
  expect(reply).toMatchObject({ ok: true });
}

async function exported(session: ExtensionSession): Promise<ExportDocument> {
  const reply = (await session.sendFromExtensionPage({ type: 'data.export' })) as { ok: true; value: ExportDocument };
  return reply.value;
}

async function feedHealth(session: ExtensionSession): Promise<ReaderHealthRecord | undefined> {
  const records = await session.readTable<ReaderHealthRecord>('readerHealth');
  return records.find((record) => record.reader === 'feed-posts');
}

/** The text of the first element matching `selector`, or null. */
function textOf(page: Page, selector: string): Promise<string | null> {
  return page.evaluate((wanted) => document.querySelector(wanted)?.textContent ?? null, selector);
}

/** The readers the popup's recording-health warning names, in order; [] when it shows no warning. */
function warnedReaders(popup: Page): Promise<string[]> {
  return popup.evaluate(() =>
    [...document.querySelectorAll('[data-testid="recording-health-warning"] [data-reader]')].map(
      (element) => element.getAttribute('data-reader') ?? '',
    ),
  );
}

/** The state the options page's Recording health table shows for a reader (working, failing, unseen). */
function shownState(options: Page, reader: string): Promise<string | null> {
  return options.evaluate(
    (name) =>
      document
        .querySelector(`[data-testid="recording-health"] tr[data-reader="${name}"]`)
        ?.getAttribute('data-state') ?? null,
    reader,
  );
}

const minute = 60_000;
const utcDayMs = 86_400_000;

/** The calendar date `days` before today, in this machine's time zone (the browsers run on it). */
function dateDaysAgo(days: number): string {
  const now = new Date();
  const today = Date.UTC(now.getFullYear(), now.getMonth(), now.getDate());
  return new Date(today - days * utcDayMs).toISOString().slice(0, 10);
}

/** A day in the export file's shape: `surfaceMs` per surface (every other surface 0), hours adding up to the total. */
function exportDay(
  date: string,
  surfaceMs: Partial<Record<(typeof surfaces)[number], number>>,
  passive: Partial<Record<(typeof surfaces)[number], number>> = {},
): ExportDocument['days'][number] {
  const all = Object.fromEntries(surfaces.map((surface) => [surface, surfaceMs[surface] ?? 0])) as Record<
    (typeof surfaces)[number],
    number
  >;
  const activeMs = Object.values(all).reduce((sum, ms) => sum + ms, 0);
  const hours = Array.from({ length: 24 }, () => 0);
  hours[9] = Math.floor(activeMs / 2);
  hours[20] = activeMs - Math.floor(activeMs / 2);
  return {
    date,
    timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC',
    activeMs,
    surfaces: all,
    sessions: 2,
    hours,
    views: { posts: 14, reels: 6, stories: 0 },
    hashtags: { seen: { sourdough: 2 }, used: {} },
    hashtagPageMs: {},
    hashtagPairs: {},
    passiveSurfaces: passive,
  };
}

async function element(page: Page, selector: string): Promise<ElementHandle<Element>> {
  const found = await page.waitForSelector(selector, { visible: true });
  if (!found) throw new Error(`${selector} is not on the page`);
  return found;
}

describeInBrowsers(bothBrowsers, 'numbers people can trust', (session) => {
  // Promise protected (issue 13, "Recording health"): no failure is silent. A reader that stops finding what it reads
  // is reported after its deadline, warned about in the popup and listed in the options page; and it recovers.
  it('warns in the popup and lists the reader when the feed shows no posts, and clears once posts show again', async () => {
    const s = session();
    expect(feedWithoutPosts).not.toContain('<article');
    expect(feedWithoutPosts).toContain('href="/direct/inbox/"');
    await allowRecording(s);

    // A logged-in feed with no <article>: the person reads it (input), and after the deadline the reader says so.
    const openedAt = Date.now();
    const broken = await s.openInstagram('/', { '/': { html: feedWithoutPosts } });
    await broken.bringToFront();
    let step = 0;
    const failing = await eventually(
      'the feed-posts reader to be reported failing',
      async () => {
        step += 1;
        await broken.mouse.move(200 + (step % 2) * 40, 300);
        const record = await feedHealth(s);
        return record?.failingSince ? record : undefined;
      },
      30_000,
    );
    // Not before the reader's 10 s deadline: a feed still rendering is not a failure.
    expect((failing.failingSince ?? 0) - openedAt).toBeGreaterThanOrEqual(10_000);
    expect(failing.lastOkAt).toBeNull();

    // Hiding the tab flushes the feed time: the feed is a surface the person uses today, so the popup warns about it.
    const elsewhere = await s.browser.newPage();
    await elsewhere.bringToFront();
    await eventually('feed time to be recorded', async () => {
      const days = (await exported(s)).days;
      return days.some((day) => (day.surfaces.feed ?? 0) > 0) ? true : undefined;
    });
    await broken.close();
    await elsewhere.close();

    const popup = await s.openExtensionPage('src/popup/index.html');
    await popup.waitForSelector('[data-testid="recording-health-warning"] [data-reader="feed-posts"]');
    expect(await warnedReaders(popup)).toEqual(['feed-posts']);
    const warning = await textOf(popup, '[data-testid="recording-health-warning"] [data-reader="feed-posts"]');
    expect(warning).toBe(text('popupHealthFeedPosts'));
    expect(warning).toMatch(/feed/i);
    expect(await popup.$eval('[data-testid="recording-health-details"]', (link) => link.getAttribute('href'))).toMatch(
      /options\/index\.html#recording-health$/,
    );

    const options = await s.openExtensionPage('src/options/index.html#recording-health');
    await options.waitForSelector(
      '[data-testid="recording-health"] tr[data-reader="feed-posts"][data-state="failing"]',
    );
    const row = await textOf(options, '[data-testid="recording-health"] tr[data-reader="feed-posts"]');
    expect(row).toContain(text('recordingHealthFeedPosts'));
    expect(row).toContain(text('recordingHealthFailingSince').replace('$SINCE$', '').trim());
    expect(await textOf(options, '[data-testid="recording-health-failing"]')).toBe(
      text('recordingHealthFailingOne').replace('$COUNT$', '1'),
    );
    await options.close();

    // A new page load whose feed has posts again: the reader is reported working at once.
    const healthy = await s.openInstagram('/', { '/': { file: 'feed-en.html' } });
    await healthy.bringToFront();
    await healthy.mouse.move(220, 320);
    const recovered = await eventually('the feed-posts reader to be reported working', async () => {
      const record = await feedHealth(s);
      return record && record.failingSince === null ? record : undefined;
    });
    expect(recovered.lastOkAt).toBeGreaterThan(failing.failingSince ?? 0);
    expect(recovered.lastFailedAt).toBe(failing.lastFailedAt);
    await healthy.close();

    // The popup left open drops the warning as the background writes the recovery…
    await popup.bringToFront();
    await eventually('the open popup to drop the warning', async () =>
      (await warnedReaders(popup)).length === 0 ? true : undefined,
    );
    await popup.close();
    // …and a popup opened now shows today's figures without it.
    const reopened = await s.openExtensionPage('src/popup/index.html');
    await reopened.waitForSelector('[data-testid="today-total"]');
    expect(await reopened.$('[data-testid="recording-health-warning"]')).toBeNull();
    await reopened.close();

    const optionsAfter = await s.openExtensionPage('src/options/index.html#recording-health');
    await optionsAfter.waitForSelector('[data-testid="recording-health"] tr[data-reader="feed-posts"]');
    expect(await shownState(optionsAfter, 'feed-posts')).toBe('working');
    expect(await textOf(optionsAfter, '[data-testid="recording-health"] tr[data-reader="feed-posts"]')).toContain(
      text('recordingHealthWorking'),
    );
    expect(await optionsAfter.$('[data-testid="recording-health-failing"]')).toBeNull();
    await optionsAfter.close();
  }, 90_000);

  // Promise protected (issue 13, "Correct or delete one day"): from the dashboard's per-day view a surface's time on a
  // day can be removed and a whole day deleted; each change is recorded in the ledger of local edits and exported.
  it('removes one surface’s time from a day and deletes another day from the per-day table, recording both', async () => {
    const s = session();
    await allowRecording(s);
    const corrected = dateDaysAgo(3);
    const deleted = dateDaysAgo(4);
    const reelsMs = 10 * minute;
    const correctedDay = exportDay(
      corrected,
      { feed: 20 * minute, explore: 5 * minute, reels: reelsMs },
      {
        reels: 4 * minute,
      },
    );
    const deletedDay = exportDay(deleted, { feed: 12 * minute });

    // Seed the two days through the real import, as from a file the person exported earlier.
    const base = await exported(s);
    const file = { ...base, days: [correctedDay, deletedDay], accounts: [], visits: [], localEdits: [] };
    expect(await s.sendFromExtensionPage({ type: 'data.import', document: file, mode: 'merge' })).toMatchObject({
      ok: true,
      value: { applied: true },
    });
    const seeded = await exported(s);
    expect(seeded.days.find((day) => day.date === corrected)?.activeMs).toBe(35 * minute);
    expect(seeded.days.find((day) => day.date === deleted)?.activeMs).toBe(12 * minute);
    const editsBefore = seeded.localEdits.length;

    const dashboard = await s.openExtensionPage('src/options/index.html#dashboard');
    await (await element(dashboard, '[data-testid="overview-table"] > summary')).click();

    // Keyboard: open the day's correction panel, choose "Remove this surface's time" for Reels, confirm.
    const openCorrected = await element(dashboard, `[data-testid="correct-${corrected}"]`);
    await openCorrected.focus();
    await dashboard.keyboard.press('Enter');
    await element(dashboard, '[data-testid="day-correction-surfaces"]');
    const removeReels = await element(dashboard, '[data-testid="remove-reels"]');
    await removeReels.focus();
    await dashboard.keyboard.press('Enter');
    const dialog = await element(dashboard, '[data-testid="day-correction-dialog"]');
    expect(await dialog.evaluate((node) => node.getAttribute('role'))).toBe('dialog');
    // It says what goes (10 min of Reels, 4 of them passive; 25 min left) and that it cannot be undone.
    const asked = (await dialog.evaluate((node) => node.textContent)) ?? '';
    expect(asked).toContain(text('dashboardCorrectPermanent'));
    expect(asked).toMatch(/removes 10 min of Reels time \(6 min active, 4 min passive\)/);
    expect(asked).toMatch(/total becomes 25 min/);
    // Focus moves to Cancel as the dialog opens (nothing is removed by a stray Enter); confirm is just before it.
    await eventually('focus to move to Cancel', async () =>
      (await dashboard.evaluate(() => document.activeElement?.getAttribute('data-testid'))) === 'day-correction-cancel'
        ? true
        : undefined,
    );
    await dashboard.keyboard.down('Shift');
    await dashboard.keyboard.press('Tab');
    await dashboard.keyboard.up('Shift');
    expect(await dashboard.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe(
      'day-correction-confirm',
    );
    await dashboard.keyboard.press('Enter');
    const surfaceDone = await element(dashboard, '[data-testid="day-correction-done"]');
    expect(await surfaceDone.evaluate((node) => node.textContent)).toContain('Reels');
    await dashboard.waitForSelector('[data-testid="day-correction-dialog"]', { hidden: true });
    // The panel follows the stored day: Reels is no longer listed, the day is marked as corrected.
    await dashboard.waitForSelector('[data-testid="remove-reels"]', { hidden: true });
    await element(dashboard, '[data-testid="day-correction-edits"]');

    // Mouse: open the other day, "Delete this day", confirm.
    await (await element(dashboard, `[data-testid="correct-${deleted}"]`)).click();
    await (await element(dashboard, '[data-testid="delete-day"]')).click();
    const dayDialog = await element(dashboard, '[data-testid="day-correction-dialog"]');
    expect(await dayDialog.evaluate((node) => node.textContent)).toMatch(/12 min on Instagram/);
    await (await element(dashboard, '[data-testid="day-correction-confirm"]')).click();
    const dayDone = await element(dashboard, '[data-testid="day-correction-done"]');
    expect(await dayDone.evaluate((node) => node.textContent)).toMatch(/^Deleted /);
    await element(dashboard, '[data-testid="day-correction-gone"]');

    // The export: the Reels time is gone from that day (its total down by exactly that), the other day is gone, and
    // the ledger of local edits holds both corrections.
    const after = await exported(s);
    const day = after.days.find((entry) => entry.date === corrected);
    expect(day?.activeMs).toBe(correctedDay.activeMs - reelsMs);
    expect(day?.surfaces.reels ?? 0).toBe(0);
    expect(day?.surfaces.feed).toBe(20 * minute);
    expect(day?.surfaces.explore).toBe(5 * minute);
    expect(day?.passiveSurfaces.reels ?? 0).toBe(0);
    expect(day?.hours.reduce((sum, ms) => sum + ms, 0)).toBe(day?.activeMs);
    expect(after.days.some((entry) => entry.date === deleted)).toBe(false);
    const seededTotal = (exportedData: ExportDocument) =>
      exportedData.days
        .filter((entry) => entry.date === corrected || entry.date === deleted)
        .reduce((sum, entry) => sum + entry.activeMs, 0);
    expect(seededTotal(seeded) - seededTotal(after)).toBe(reelsMs + deletedDay.activeMs);
    expect(after.localEdits).toHaveLength(editsBefore + 2);
    expect(after.localEdits).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ date: corrected, surface: 'reels', removedMs: reelsMs }),
        expect.objectContaining({ date: deleted, surface: null, removedMs: deletedDay.activeMs }),
      ]),
    );

    // The dashboard: both days' rows carry the "Corrected by hand" marker; the Local edits list shows both.
    await eventually('both rows to be marked as corrected', async () => {
      const marked = await dashboard.evaluate(
        () => document.querySelectorAll('[data-testid="overview-table"] [data-testid="corrected-marker"]').length,
      );
      return marked === 2 ? true : undefined;
    });
    const markers = await dashboard.$$eval('[data-testid="corrected-marker"]', (nodes) =>
      nodes.map((node) => node.textContent?.trim()),
    );
    expect(markers).toEqual([text('dashboardCorrectedMarker'), text('dashboardCorrectedMarker')]);
    // The Local edits list is in "Your data and privacy", a section of its own (its own address).
    await dashboard.evaluate(() => {
      location.hash = 'privacy';
    });
    const editRows = await eventually('the Local edits list to show both corrections', async () => {
      const rows = await dashboard.$$eval('[data-testid="local-edits"] tbody tr', (nodes) =>
        nodes.map((node) => [...node.querySelectorAll('td')].map((cell) => cell.textContent ?? '')),
      );
      return rows.length === editsBefore + 2 ? rows : undefined;
    });
    // Newest first: the deleted day, then the Reels correction.
    expect(editRows[0]?.[1]).toBe(await textOf(dashboard, `[data-testid="local-edits"] time[datetime="${deleted}"]`));
    expect(editRows[0]?.[2]).toBe(text('localEditsWholeDay'));
    expect(editRows[1]?.[1]).toBe(await textOf(dashboard, `[data-testid="local-edits"] time[datetime="${corrected}"]`));
    expect(editRows[1]?.[2]).toBe('Reels');
    await dashboard.close();
  }, 90_000);
});
