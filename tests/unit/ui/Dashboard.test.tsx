// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import type uPlot from 'uplot';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Dashboard } from '../../../src/options/dashboard/Dashboard';
import { addDays } from '../../../src/shared/domain/dates';
import { pageDatabaseOptions, SmartTagsDatabase } from '../../../src/shared/storage/db';
import type { DayRecord } from '../../../src/shared/storage/records';
import { makeDay } from '../helpers/records';

// The Overview's day correction asks the background; these tests never do, but the polyfill refuses to load outside
// an extension.
vi.mock('webextension-polyfill', () => ({ default: {} }));
// uPlot draws on a canvas, which happy-dom lacks: the dashboard skips drawing there. Where a test pretends a canvas
// exists, this stand-in records what would have been drawn.
const charts = vi.hoisted(() => ({ created: [] as Array<{ options: uPlot.Options; data: uPlot.AlignedData }> }));
vi.mock('uplot', () => {
  class FakePlot {
    static paths = { bars: () => () => null };
    static tzDate = (date: Date) => date;
    width: number;
    constructor(options: uPlot.Options, data: uPlot.AlignedData) {
      charts.created.push({ options, data });
      this.width = options.width;
    }
    setSize() {}
    destroy() {}
  }
  return { default: FakePlot };
});

const today = '2026-11-24'; // a Tuesday

let db: SmartTagsDatabase;
beforeEach(() => {
  db = new SmartTagsDatabase(`test-${crypto.randomUUID()}`, { ...pageDatabaseOptions, fixtureWrites: true });
  charts.created.length = 0;
});
afterEach(async () => {
  cleanup();
  vi.restoreAllMocks();
  await db.delete();
});

async function renderDashboard() {
  render(<Dashboard db={db} today={today} />);
  await waitFor(() => expect(document.querySelector('[aria-busy="true"]')).toBeNull());
}

function rowsOf(testId: string): string[][] {
  return [...screen.getByTestId(testId).querySelectorAll('tbody tr')].map((row) =>
    [...row.querySelectorAll('th, td')].map((cell) => cell.textContent ?? ''),
  );
}

function chooseRange(days: number) {
  const radio = document.querySelector<HTMLInputElement>(`input[name="range"][value="${days}"]`);
  if (!radio) throw new Error(`No range ${days}.`);
  fireEvent.click(radio);
}

const withSurfaces = (date: string, surfaces: Partial<DayRecord['surfaces']>, overrides: Partial<DayRecord> = {}) => {
  const base = makeDay(date, 0);
  const merged = { ...base.surfaces, feed: 0, ...surfaces };
  const activeMs = Object.values(merged).reduce((sum, ms) => sum + ms, 0);
  const hours = Array.from({ length: 24 }, () => 0);
  hours[20] = activeMs;
  return { ...base, activeMs, surfaces: merged, hours, ...overrides };
};

describe('Dashboard tabs', () => {
  it('offers Overview, Hashtags and Account as tabs, Overview first', async () => {
    await renderDashboard();
    const tablist = screen.getByRole('tablist');
    expect(
      within(tablist)
        .getAllByRole('tab')
        .map((tab) => tab.textContent),
    ).toEqual(['Overview', 'Hashtags', 'Account']);
    expect(screen.getByTestId('tab-overview').getAttribute('aria-selected')).toBe('true');
    expect(screen.getByTestId('tab-hashtags').getAttribute('aria-selected')).toBe('false');
    expect(screen.getByTestId('tab-overview').tabIndex).toBe(0);
    expect(screen.getByTestId('tab-hashtags').tabIndex).toBe(-1);
    const panel = screen.getByRole('tabpanel');
    expect(panel.getAttribute('aria-labelledby')).toBe('tab-overview');
    expect(screen.getByTestId('tab-overview').getAttribute('aria-controls')).toBe(panel.id);
  });

  it('moves between tabs with the arrow keys, Home and End, focusing the chosen tab', async () => {
    await renderDashboard();
    const overview = screen.getByTestId('tab-overview');
    overview.focus();
    fireEvent.keyDown(overview, { key: 'ArrowRight' });
    await waitFor(() => expect(screen.getByTestId('tab-hashtags').getAttribute('aria-selected')).toBe('true'));
    expect(document.activeElement).toBe(screen.getByTestId('tab-hashtags'));
    expect(screen.getByTestId('panel-hashtags').hidden).toBe(false);
    expect(screen.getByTestId('panel-overview').hidden).toBe(true);

    fireEvent.keyDown(document.activeElement as Element, { key: 'End' });
    await waitFor(() => expect(screen.getByTestId('tab-account').getAttribute('aria-selected')).toBe('true'));
    expect(document.activeElement).toBe(screen.getByTestId('tab-account'));
    await screen.findByTestId('account-empty');

    fireEvent.keyDown(document.activeElement as Element, { key: 'ArrowRight' });
    await waitFor(() => expect(screen.getByTestId('tab-overview').getAttribute('aria-selected')).toBe('true'));
    fireEvent.keyDown(document.activeElement as Element, { key: 'ArrowLeft' });
    await waitFor(() => expect(screen.getByTestId('tab-account').getAttribute('aria-selected')).toBe('true'));
    fireEvent.keyDown(document.activeElement as Element, { key: 'Home' });
    await waitFor(() => expect(screen.getByTestId('tab-overview').getAttribute('aria-selected')).toBe('true'));
    expect(document.activeElement).toBe(screen.getByTestId('tab-overview'));
    // Only the selected tab is in the tab order.
    expect(screen.getAllByRole('tab').map((tab) => tab.tabIndex)).toEqual([0, -1, -1]);
  });

  it('switches tabs with a click and keeps the chosen period', async () => {
    await db.days.put(makeDay('2026-11-20'));
    await renderDashboard();
    chooseRange(7);
    fireEvent.click(screen.getByTestId('tab-hashtags'));
    await screen.findByTestId('hashtag-table');
    expect(document.querySelector<HTMLInputElement>('input[name="range"]:checked')?.value).toBe('7');
  });
});

describe('Overview', () => {
  it('says how to start when nothing is recorded', async () => {
    await renderDashboard();
    const empty = screen.getByTestId('dashboard-empty');
    expect(empty.textContent).toContain('Nothing recorded yet.');
    expect(empty.textContent).toContain('turn on “Record my Instagram use”');
    expect(within(empty).getByRole('link', { name: 'Your data and privacy' }).getAttribute('href')).toBe('#privacy');
    expect(within(empty).getByRole('link', { name: 'instagram.com' }).getAttribute('href')).toBe(
      'https://www.instagram.com/',
    );
    expect(screen.queryByTestId('overview-table')).toBeNull();
    // The period can still be chosen.
    expect(document.querySelectorAll('input[name="range"]')).toHaveLength(4);
  });

  it('shows the period’s average, total, sessions and days, zero days included', async () => {
    await db.days.bulkPut([
      withSurfaces('2026-11-24', { feed: 1_800_000, reels: 2_100_000 }, { sessions: 2 }),
      withSurfaces('2026-11-20', { feed: 300_000, explore: 300_000 }, { sessions: 1 }),
      withSurfaces('2026-10-01', { feed: 6_000_000 }, { sessions: 4 }), // only in the 90-day period
    ]);
    await renderDashboard();
    // Default period: 30 days. 1 hr 15 min in all over 30 dates.
    await screen.findByTestId('overview-summary');
    expect(document.querySelector<HTMLInputElement>('input[name="range"]:checked')?.value).toBe('30');
    expect(screen.getByTestId('total-time').textContent).toBe('1 hr 15 min');
    expect(screen.getByTestId('daily-average').textContent).toBe('3 min'); // 4,500,000 ms / 30 = 2.5 min, rounded
    expect(screen.getByTestId('total-sessions').textContent).toBe('3');
    expect(screen.getByTestId('days-with-use').textContent).toBe('2 of 30');

    chooseRange(7);
    await waitFor(() => expect(screen.getByTestId('daily-average').textContent).toBe('11 min'));
    expect(screen.getByTestId('days-with-use').textContent).toBe('2 of 7');

    chooseRange(90);
    await waitFor(() => expect(screen.getByTestId('total-time').textContent).toBe('2 hr 55 min'));
    expect(screen.getByTestId('total-sessions').textContent).toBe('7');
  });

  it('has a table of every date in the period, newest first, with the surfaces used', async () => {
    await db.days.bulkPut([
      withSurfaces('2026-11-24', { feed: 1_800_000, reels: 2_100_000 }, { sessions: 2 }),
      withSurfaces('2026-11-20', { feed: 300_000, explore: 300_000 }, { sessions: 1 }),
    ]);
    await renderDashboard();
    chooseRange(7);
    await screen.findByTestId('overview-table');
    const table = screen.getByTestId('overview-table');
    expect(table.tagName).toBe('DETAILS');
    expect([...table.querySelectorAll('thead th')].map((cell) => cell.textContent)).toEqual([
      'Date',
      'Total',
      'Passive',
      'Feed',
      'Explore',
      'Reels',
      'Sessions',
      'Correction',
    ]);
    await waitFor(() => expect(rowsOf('overview-table')).toHaveLength(7));
    // Only recorded dates can be corrected.
    expect(rowsOf('overview-table')).toEqual([
      ['Tue, Nov 24, 2026', '1 hr 5 min', '0 min', '30 min', '0 min', '35 min', '2', 'Correct'],
      ['Mon, Nov 23, 2026', '0 min', '0 min', '0 min', '0 min', '0 min', '0', ''],
      ['Sun, Nov 22, 2026', '0 min', '0 min', '0 min', '0 min', '0 min', '0', ''],
      ['Sat, Nov 21, 2026', '0 min', '0 min', '0 min', '0 min', '0 min', '0', ''],
      ['Fri, Nov 20, 2026', '10 min', '0 min', '5 min', '5 min', '0 min', '1', 'Correct'],
      ['Thu, Nov 19, 2026', '0 min', '0 min', '0 min', '0 min', '0 min', '0', ''],
      ['Wed, Nov 18, 2026', '0 min', '0 min', '0 min', '0 min', '0 min', '0', ''],
    ]);
    expect(rowsOf('surface-totals')).toEqual([
      ['Feed', '35 min', '35 min', '0 min', '47%'],
      ['Reels', '35 min', '35 min', '0 min', '47%'],
      ['Explore', '5 min', '5 min', '0 min', '7%'],
    ]);
  });

  it('puts time on its weekday and hour in the heatmap and its table', async () => {
    const hours = (hour: number, ms: number) => {
      const all = Array.from({ length: 24 }, () => 0);
      all[hour] = ms;
      return all;
    };
    await db.days.bulkPut([
      makeDay('2026-11-24', 600_000, { hours: hours(20, 600_000) }), // Tuesday 8 PM
      makeDay('2026-11-17', 1_200_000, { hours: hours(20, 1_200_000) }), // the Tuesday before
      makeDay('2026-11-22', 300_000, { hours: hours(9, 300_000), timeZone: 'America/Los_Angeles' }), // Sunday 9 AM
    ]);
    await renderDashboard();
    const table = await screen.findByTestId('heatmap-table');
    const header = [...table.querySelectorAll('thead th')].map((cell) => cell.textContent);
    expect(header).toEqual(['Hour', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun']);
    const rows = rowsOf('heatmap-table');
    expect(rows).toHaveLength(24);
    expect(rows[20]).toEqual(['8 PM', '0 min', '30 min', '0 min', '0 min', '0 min', '0 min', '0 min']);
    expect(rows[9]).toEqual(['9 AM', '0 min', '0 min', '0 min', '0 min', '0 min', '0 min', '5 min']);
    expect(screen.getByTestId('heatmap-peak').textContent).toBe('Busiest hour: Tuesdays at 8 PM (30 min in all).');
  });

  it('says when the period has no use while older days exist', async () => {
    await db.days.put(makeDay('2026-09-01'));
    await renderDashboard();
    chooseRange(7);
    expect((await screen.findByTestId('range-empty')).textContent).toBe(
      'No Instagram use recorded in the last 7 days.',
    );
    expect(screen.queryByTestId('dashboard-empty')).toBeNull();
    chooseRange(90);
    await screen.findByTestId('overview-table');
  });

  it('follows new days as the background records them', async () => {
    await renderDashboard();
    await screen.findByTestId('dashboard-empty');
    await db.days.put(makeDay(today, 3_900_000));
    await waitFor(() => expect(screen.getByTestId('total-time').textContent).toBe('1 hr 5 min'));
  });

  it('hands uPlot stacked bars, one band per surface, where a canvas exists', async () => {
    vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue({} as never);
    await db.days.bulkPut([
      withSurfaces('2026-11-24', { feed: 60_000, reels: 120_000 }),
      withSurfaces('2026-11-23', { feed: 180_000 }),
    ]);
    await renderDashboard();
    chooseRange(7);
    await waitFor(() => expect(charts.created.at(-1)?.data[0]).toHaveLength(7));
    const chart = charts.created.at(-1);
    if (!chart) throw new Error('No chart.');
    // Series are drawn tallest first: reels stacked on feed (cumulative), then feed.
    expect(chart.options.series.map((series) => series.label)).toEqual(['Date', 'Reels', 'Feed']);
    expect(chart.data[1]?.slice(-2)).toEqual([3, 3]);
    expect(chart.data[2]?.slice(-2)).toEqual([3, 1]);
    expect(chart.data[0]?.at(-1)).toBe(Date.UTC(2026, 10, 24) / 1000);
  });
});

describe('Overview with a year of data', () => {
  it('renders 365 days, a table capped at 100 rows with “show more”', async () => {
    const days = Array.from({ length: 365 }, (_, index) =>
      makeDay(addDays(today, -index), 60_000 * (1 + (index % 10)), { sessions: 2 }),
    );
    await db.days.bulkPut(days);
    await renderDashboard();
    chooseRange(365);
    await waitFor(() => expect(screen.getByTestId('days-with-use').textContent).toBe('365 of 365'));
    expect(screen.getByTestId('total-sessions').textContent).toBe('730');
    // Minutes 1..10 repeating: 36 full cycles of 55 min plus 1..5 (15 min) = 1,995 min.
    expect(screen.getByTestId('total-time').textContent).toBe('33 hr 15 min');
    expect(rowsOf('overview-table')).toHaveLength(100);
    fireEvent.click(screen.getByTestId('overview-table-more'));
    await waitFor(() => expect(rowsOf('overview-table')).toHaveLength(200));
    fireEvent.click(screen.getByTestId('overview-table-more'));
    fireEvent.click(screen.getByTestId('overview-table-more'));
    await waitFor(() => expect(rowsOf('overview-table')).toHaveLength(365));
    expect(screen.queryByTestId('overview-table-more')).toBeNull();
  });
});
