/**
 * The dashboard's navigation in the real extension, in Chromium and Firefox (issue 14): a person chooses last week and
 * sees exactly that week's days, opens a day from the per-day table and sees that day's own figures, and steps to the
 * day before. The data comes in through the real import, as from a file exported earlier.
 */
import type { Page } from 'puppeteer';
import { beforeAll, expect, it } from 'vitest';
import { addDays, localToday } from '../../src/shared/domain/dates';
import { datesOf, resolvePeriod } from '../../src/shared/domain/periods';
import { buildDataset } from '../support/yearOfData';
import { bothBrowsers, describeInBrowsers, eventually } from './harness';

const minute = 60_000;

/** The dates whose rows the per-day table shows, newest first. */
async function tableDates(page: Page): Promise<string[]> {
  return page.$$eval('[data-testid^="day-link-"]', (links) =>
    links.map((link) => (link.getAttribute('data-testid') ?? '').replace('day-link-', '')),
  );
}

describeInBrowsers(bothBrowsers, 'the dashboard: periods and a day’s page', (session) => {
  const dataset = buildDataset({ days: 40, tags: 200, accounts: 1 });

  beforeAll(async () => {
    const send = session().sendFromExtensionPage;
    expect(
      await send({ type: 'consent.set', scopes: { usage: true, account: true }, source: 'options' }),
    ).toMatchObject({ ok: true });
    expect(await send({ type: 'data.import', document: dataset, mode: 'replace' })).toMatchObject({
      ok: true,
      value: { applied: true },
    });
  });

  it('shows last week’s days when last week is chosen, and a day’s own figures when it is opened', async () => {
    const today = localToday();
    const lastWeek = resolvePeriod('last-week', today);
    const page = await session().openExtensionPage('src/options/index.html#dashboard');
    await page.waitForSelector('[data-testid="period-last-week"]');
    await page.click('[data-testid="period-last-week"]');
    await page.evaluate(() => {
      for (const details of document.querySelectorAll('details')) details.open = true;
    });

    // The per-day table holds the seven dates of last week, Monday to Sunday, and nothing else.
    const shown = await eventually('the table to show last week', async () => {
      const dates = await tableDates(page);
      return dates.length === 7 && dates.every((date) => date >= lastWeek.start && date <= lastWeek.end)
        ? dates
        : undefined;
    });
    expect([...shown].sort()).toEqual(datesOf(lastWeek));

    // Open the Wednesday of last week: the address names the day and the page shows its figures.
    const day = addDays(lastWeek.start, 2);
    const recorded = dataset.days.find((entry) => entry.date === day);
    expect(recorded?.activeMs ?? 0).toBeGreaterThan(minute);
    // The link is followed as a click follows it (the table may re-render under a pointer while its period loads).
    await page.$eval(`[data-testid="day-link-${day}"]`, (link) => (link as HTMLAnchorElement).click());
    await page.waitForSelector('[data-testid="day-page"]');
    expect(await page.evaluate(() => location.hash)).toBe(`#day/${day}`);
    const total = await page.$eval('[data-testid="day-total"]', (node) => node.textContent ?? '');
    expect(total).toMatch(/\d/);
    expect(await page.$('[data-testid="day-empty"]')).toBeNull();
    expect(await page.$('[data-testid="day-surfaces"]')).not.toBeNull();

    // The day before is one step away, and its page is that day's.
    await page.$eval('[data-testid="day-previous"]', (link) => (link as HTMLAnchorElement).click());
    await eventually('the previous day to open', async () =>
      (await page.evaluate(() => location.hash)) === `#day/${addDays(day, -1)}` ? true : undefined,
    );
    await page.waitForSelector('[data-testid="day-page"]');
    await page.close();
  });
});
