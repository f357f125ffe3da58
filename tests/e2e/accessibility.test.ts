/**
 * Accessibility of every page a person sees, in the real extension, in Chromium and Firefox, in the light and the dark
 * colour scheme: axe-core (https://github.com/dequelabs/axe-core, the checker issue 7 names) must report no violation
 * on the popup (before consent and with data), the onboarding page and the options page: each dashboard tab, each of
 * its other sections (goals and reminders, your data and privacy, sync — each at its own address) and a week's report. Collapsed tables (<details>) are opened
 * first, so the tables behind the charts are checked too.
 *
 * And one keyboard-only path: Tab reaches the dashboard's tabs with a visible focus ring, arrow keys, Home and End move
 * between them and show their panel, and Enter on a tab opens it.
 *
 * How axe gets into an extension page: the pages' CSP (`script-src 'self'`) forbids injected <script> elements, but
 * puppeteer's `page.evaluate(source)` runs in the page's main world through the automation protocol — CDP's
 * Runtime.evaluate in Chromium, WebDriver BiDi's script.evaluate in Firefox — which the page's CSP does not govern.
 */
import axe from 'axe-core';
import type { Page } from 'puppeteer';
import { beforeAll, describe, expect, it } from 'vitest';
import { addDays, localToday } from '../../src/shared/domain/dates';
import { isoWeekOf } from '../../src/shared/domain/periods';
import { buildDataset } from '../support/yearOfData';
import { bothBrowsers, describeInBrowsers, type ExtensionSession, eventually } from './harness';

/** The parts of an axe result a failure message needs. */
interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string; summary: string }>;
}

/** Runs axe-core on the page as it is now and returns its violations, one line per element for a readable diff. */
async function axeViolations(page: Page): Promise<string[]> {
  const loaded = await page.evaluate(() => typeof (globalThis as { axe?: unknown }).axe === 'object');
  if (!loaded) await page.evaluate(axe.source);
  const violations = await page.evaluate(async (): Promise<Violation[]> => {
    const checker = (globalThis as unknown as { axe: typeof axe }).axe;
    const results = await checker.run(document, { resultTypes: ['violations'] });
    return results.violations.map((violation) => ({
      id: violation.id,
      impact: violation.impact ?? null,
      help: violation.help,
      nodes: violation.nodes.map((node) => ({
        target: node.target.map(String).join(' '),
        summary: (node.failureSummary ?? '').replace(/\s+/g, ' ').trim(),
      })),
    }));
  });
  return violations.flatMap((violation) =>
    violation.nodes.map(
      (node) =>
        `${violation.id} [${violation.impact ?? 'no impact'}] ${node.target} — ${violation.help}: ${node.summary}`,
    ),
  );
}

/** Opens every collapsed table and section, so axe checks what is behind them too. */
async function openAllDetails(page: Page): Promise<void> {
  await page.evaluate(() => {
    for (const details of document.querySelectorAll('details')) details.open = true;
  });
}

/** The colour scheme the page sees, so a test never passes in light mode while claiming to check dark. */
async function schemeOf(page: Page): Promise<'dark' | 'light'> {
  return page.evaluate(() => (matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light'));
}

/** Opens an extension page and checks that it sees the colour scheme the suite is about. */
async function openInScheme(session: ExtensionSession, path: string, scheme: 'light' | 'dark'): Promise<Page> {
  const page = await session.openExtensionPage(path);
  expect(await schemeOf(page)).toBe(scheme);
  return page;
}

/** Waits until the chosen dashboard tab's panel shows its report (a table, a chart's container or an empty note). */
async function showTab(page: Page, tab: 'overview' | 'hashtags' | 'account'): Promise<void> {
  const ready = {
    overview: '[data-testid="overview-summary"]',
    hashtags: '[data-testid="hashtag-table"]',
    account: '[data-testid="account-latest"]',
  }[tab];
  await page.click(`[data-testid="tab-${tab}"]`);
  await page.waitForSelector(`[data-testid="panel-${tab}"]:not([hidden]) ${ready}`);
}

for (const scheme of ['light', 'dark'] as const) {
  describeInBrowsers(
    bothBrowsers,
    `accessibility, ${scheme} colour scheme`,
    (session) => {
      const open = (path: string) => openInScheme(session(), path, scheme);

      it('the onboarding page has no axe violations', async () => {
        const page = await open('src/onboarding/index.html');
        await page.waitForSelector('[data-testid="onboarding-save"]');
        await openAllDetails(page);
        expect(await axeViolations(page)).toEqual([]);
        await page.close();
      });

      it('the popup before any choice has no axe violations', async () => {
        const page = await open('src/popup/index.html');
        await page.waitForSelector('[data-testid="consent-needed"]');
        expect(await axeViolations(page)).toEqual([]);
        await page.close();
      });

      it('the options page before any choice, with an empty dashboard, has no axe violations', async () => {
        const page = await open('src/options/index.html#dashboard');
        await page.waitForSelector('[data-testid="dashboard-empty"]');
        await openAllDetails(page);
        expect(await axeViolations(page)).toEqual([]);
        await page.close();
      });

      describeData(session, scheme);
    },
    { colorScheme: scheme },
  );
}

/**
 * The checks with data and consent (after those of the empty state). Two months with 400 hashtags and both accounts
 * show every part of the pages — tables longer than their first 100 rows with their "show more" buttons, the account
 * chooser — at a fraction of a year's import time.
 */
function describeData(session: () => ExtensionSession, scheme: 'light' | 'dark'): void {
  describe('with data and consent given', () => {
    beforeAll(async () => {
      // An import brings in only what the choices allow (a file cannot give consent), so they are made first.
      expect(
        await session().sendFromExtensionPage({
          type: 'consent.set',
          scopes: { usage: true, account: true },
          source: 'options',
        }),
      ).toMatchObject({ ok: true });
      expect(
        await session().sendFromExtensionPage({
          type: 'data.import',
          document: buildDataset({ days: 60, tags: 400, accounts: 2 }),
          mode: 'replace',
        }),
      ).toMatchObject({ ok: true, value: { applied: true } });
    });

    it('the popup with data has no axe violations', async () => {
      const page = await openInScheme(session(), 'src/popup/index.html', scheme);
      await page.waitForSelector('[data-testid="today-total"]');
      await openAllDetails(page);
      expect(await axeViolations(page)).toEqual([]);
      await page.close();
    });

    it('the options page has no axe violations on any dashboard tab, in any section and on a week’s report', async () => {
      const page = await openInScheme(session(), 'src/options/index.html#dashboard', scheme);
      // Everything is checked before anything is asserted, so one failure does not hide another's.
      const found: Record<string, string[]> = {};
      for (const tab of ['overview', 'hashtags', 'account'] as const) {
        await showTab(page, tab);
        await openAllDetails(page);
        found[tab] = await axeViolations(page);
      }
      // Last week: the dataset ends today, so that week has days.
      const week = isoWeekOf(addDays(localToday(), -7));
      for (const address of ['goals', 'privacy', 'sync', `report/${week}`]) {
        await page.evaluate((hash) => {
          location.hash = hash;
        }, address);
        await page.waitForSelector(address.startsWith('report/') ? '#report' : `#${address}`);
        await openAllDetails(page);
        found[address] = await axeViolations(page);
      }
      expect(found).toEqual({
        overview: [],
        hashtags: [],
        account: [],
        goals: [],
        privacy: [],
        sync: [],
        [`report/${week}`]: [],
      });
      await page.close();
    });
  });
}

describeInBrowsers(bothBrowsers, 'keyboard-only use of the dashboard', (session) => {
  it('Tab reaches the tabs with a visible focus ring; arrows, Home, End and Enter switch them', async () => {
    const page = await session().openExtensionPage('src/options/index.html#dashboard');
    await page.bringToFront();
    await page.waitForSelector('[data-testid="tab-overview"]');

    const focused = () =>
      page.evaluate(() => {
        const element = document.activeElement;
        if (!(element instanceof HTMLElement)) return null;
        const style = getComputedStyle(element);
        return {
          testId: element.dataset.testid ?? null,
          role: element.getAttribute('role'),
          outline: style.outlineStyle !== 'none' && Number.parseFloat(style.outlineWidth) >= 1,
          focusVisible: element.matches(':focus-visible'),
        };
      });
    const selected = () =>
      page.evaluate(() => ({
        tab: document.querySelector('[role="tab"][aria-selected="true"]')?.getAttribute('data-testid') ?? null,
        panels: [...document.querySelectorAll('[role="tabpanel"]:not([hidden])')].map((panel) => panel.id),
      }));

    // From the top of the page, Tab goes through the header's links to the selected tab (the only tab in the order).
    let reached = false;
    for (let presses = 0; presses < 10 && !reached; presses++) {
      await page.keyboard.press('Tab');
      reached = (await focused())?.role === 'tab';
    }
    expect(reached).toBe(true);
    expect(await focused()).toEqual({ testId: 'tab-overview', role: 'tab', outline: true, focusVisible: true });

    await page.keyboard.press('ArrowRight');
    await eventually('the Hashtags tab to be chosen', async () =>
      (await selected()).tab === 'tab-hashtags' ? true : undefined,
    );
    expect(await selected()).toEqual({ tab: 'tab-hashtags', panels: ['panel-hashtags'] });
    expect(await focused()).toMatchObject({ testId: 'tab-hashtags', outline: true });

    await page.keyboard.press('End');
    await eventually('the last tab, How you compare', async () =>
      (await selected()).tab === 'tab-compare' ? true : undefined,
    );
    expect(await focused()).toMatchObject({ testId: 'tab-compare', outline: true });

    await page.keyboard.press('ArrowRight'); // wraps around
    await eventually('the Overview tab', async () => ((await selected()).tab === 'tab-overview' ? true : undefined));

    await page.keyboard.press('ArrowLeft'); // wraps back to the last tab
    await eventually('How you compare again', async () =>
      (await selected()).tab === 'tab-compare' ? true : undefined,
    );
    await page.keyboard.press('Home');
    await eventually('the Overview tab again', async () =>
      (await selected()).tab === 'tab-overview' ? true : undefined,
    );

    // Enter on a focused tab opens it too (a tab is a button).
    await page.evaluate(() => document.querySelector<HTMLElement>('[data-testid="tab-account"]')?.focus());
    await page.keyboard.press('Enter');
    await eventually('Enter to choose the Account tab', async () =>
      (await selected()).tab === 'tab-account' ? true : undefined,
    );

    // Tab leaves the tab list for the panel's content: the tabs are one stop, not four. The panel reads its data
    // after it is shown, so Tab is pressed once it holds something to reach (before that, focus left the page).
    await page
      .waitForFunction(() =>
        document.getElementById('panel-account')?.querySelector('a[href], button, input, select, [tabindex="0"]'),
      )
      .catch(async (error: unknown) => {
        // Say what the panel showed instead (still loading, an error), not only that the wait ran out.
        const shown = await page.evaluate(() => document.getElementById('panel-account')?.outerHTML ?? 'no panel');
        throw new Error(`The Account panel never held anything to focus; it showed: ${shown}`, { cause: error });
      });
    await page.keyboard.press('Tab');
    const next = await page.evaluate(() => {
      const element = document.activeElement;
      return {
        inPanel: element?.closest('[role="tabpanel"]')?.id ?? null,
        role: element?.getAttribute('role') ?? null,
        visible: element?.matches(':focus-visible') ?? false,
      };
    });
    expect(next.role).not.toBe('tab');
    expect(next.visible).toBe(true);
    await page.close();
  });
});
