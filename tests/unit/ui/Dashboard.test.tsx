// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import type uPlot from 'uplot';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Dashboard } from '../../../src/options/dashboard/Dashboard';
import { addDays } from '../../../src/shared/domain/dates';
import type { PeriodKind } from '../../../src/shared/domain/periods';
import { pageDatabaseOptions, SmartTagsDatabase } from '../../../src/shared/storage/db';
import type { DayRecord } from '../../../src/shared/storage/records';
import { setTestLanguage } from '../helpers/i18n';
import { makeDay } from '../helpers/records';

// The Overview's day correction asks the background; these tests never do, but the polyfill refuses to load outside
// an extension.
vi.mock('webextension-polyfill', () => ({ default: {} }));
// uPlot draws on a canvas, which happy-dom lacks: the dashboard skips drawing there. Where a test pretends a canvas
// exists, this stand-in records what would have been drawn.
interface DrawnChart {
  options: uPlot.Options;
  data: uPlot.AlignedData;
  over: HTMLDivElement;
  cursor: { idx: number | null };
}
const charts = vi.hoisted(() => ({ created: [] as DrawnChart[] }));
vi.mock('uplot', () => {
  class FakePlot {
    static paths = { bars: () => () => null };
    static tzDate = (date: Date) => date;
    width: number;
    // What the pointer is over: the chart's overlay (clicks land there) and the hovered point's index.
    over = document.createElement('div');
    cursor: { idx: number | null } = { idx: null };
    constructor(options: uPlot.Options, data: uPlot.AlignedData) {
      charts.created.push({ options, data, over: this.over, cursor: this.cursor });
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

function choosePeriod(kind: PeriodKind) {
  fireEvent.click(screen.getByTestId(`period-${kind}`));
}

/** Text with Intl's thin and no-break spaces as plain spaces, for readable expectations. */
const plain = (text: string | null | undefined) => (text ?? '').replace(/\s/g, ' ');

const withSurfaces = (date: string, surfaces: Partial<DayRecord['surfaces']>, overrides: Partial<DayRecord> = {}) => {
  const base = makeDay(date, 0);
  const merged = { ...base.surfaces, feed: 0, ...surfaces };
  const activeMs = Object.values(merged).reduce((sum, ms) => sum + ms, 0);
  const hours = Array.from({ length: 24 }, () => 0);
  hours[20] = activeMs;
  return { ...base, activeMs, surfaces: merged, hours, ...overrides };
};

describe('Dashboard tabs', () => {
  it('offers Overview, Hashtags, Account and How you compare as tabs, Overview first', async () => {
    await renderDashboard();
    const tablist = screen.getByRole('tablist');
    expect(
      within(tablist)
        .getAllByRole('tab')
        .map((tab) => tab.textContent),
    ).toEqual(['Overview', 'Hashtags', 'Account', 'How you compare']);
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
    await waitFor(() => expect(screen.getByTestId('tab-compare').getAttribute('aria-selected')).toBe('true'));
    expect(document.activeElement).toBe(screen.getByTestId('tab-compare'));
    await screen.findByRole('checkbox', { name: /Compare my week with others/ });

    fireEvent.keyDown(document.activeElement as Element, { key: 'ArrowLeft' });
    await waitFor(() => expect(screen.getByTestId('tab-account').getAttribute('aria-selected')).toBe('true'));
    expect(document.activeElement).toBe(screen.getByTestId('tab-account'));
    await screen.findByTestId('account-empty');

    fireEvent.keyDown(document.activeElement as Element, { key: 'End' });
    fireEvent.keyDown(document.activeElement as Element, { key: 'ArrowRight' });
    await waitFor(() => expect(screen.getByTestId('tab-overview').getAttribute('aria-selected')).toBe('true'));
    fireEvent.keyDown(document.activeElement as Element, { key: 'ArrowLeft' });
    await waitFor(() => expect(screen.getByTestId('tab-compare').getAttribute('aria-selected')).toBe('true'));
    fireEvent.keyDown(document.activeElement as Element, { key: 'Home' });
    await waitFor(() => expect(screen.getByTestId('tab-overview').getAttribute('aria-selected')).toBe('true'));
    expect(document.activeElement).toBe(screen.getByTestId('tab-overview'));
    // Only the selected tab is in the tab order.
    expect(screen.getAllByRole('tab').map((tab) => tab.tabIndex)).toEqual([0, -1, -1, -1]);
  });

  it('switches tabs with a click and keeps the chosen period', async () => {
    await db.days.put(makeDay('2026-11-20'));
    await renderDashboard();
    choosePeriod('last-7');
    fireEvent.click(screen.getByTestId('tab-hashtags'));
    await screen.findByTestId('hashtag-table');
    expect(document.querySelector<HTMLInputElement>('input[name="period"]:checked')?.value).toBe('last-7');
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
    expect(document.querySelectorAll('input[name="period"]')).toHaveLength(9);
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
    expect(document.querySelector<HTMLInputElement>('input[name="period"]:checked')?.value).toBe('last-30');
    expect(screen.getByTestId('total-time').textContent).toBe('1 hr 15 min');
    expect(screen.getByTestId('daily-average').textContent).toBe('3 min'); // 4,500,000 ms / 30 = 2.5 min, rounded
    expect(screen.getByTestId('total-sessions').textContent).toBe('3');
    expect(screen.getByTestId('days-with-use').textContent).toBe('2 of 30');

    choosePeriod('last-7');
    await waitFor(() => expect(screen.getByTestId('daily-average').textContent).toBe('11 min'));
    expect(screen.getByTestId('days-with-use').textContent).toBe('2 of 7');

    choosePeriod('last-90');
    await waitFor(() => expect(screen.getByTestId('total-time').textContent).toBe('2 hr 55 min'));
    expect(screen.getByTestId('total-sessions').textContent).toBe('7');
  });

  it('has a table of every date in the period, newest first, with the surfaces used', async () => {
    await db.days.bulkPut([
      withSurfaces('2026-11-24', { feed: 1_800_000, reels: 2_100_000 }, { sessions: 2 }),
      withSurfaces('2026-11-20', { feed: 300_000, explore: 300_000 }, { sessions: 1 }),
    ]);
    await renderDashboard();
    choosePeriod('last-7');
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
    // Recording began within the period: the period before has nothing to compare with.
    expect(rowsOf('surface-totals')).toEqual([
      ['Feed', '35 min', '35 min', '0 min', '47%', '—'],
      ['Reels', '35 min', '35 min', '0 min', '47%', '—'],
      ['Explore', '5 min', '5 min', '0 min', '7%', '—'],
    ]);
    // Every date opens its page.
    expect(screen.getByTestId('day-link-2026-11-24').getAttribute('href')).toBe('#day/2026-11-24');
    expect(screen.getByTestId('day-link-2026-11-23').getAttribute('href')).toBe('#day/2026-11-23');
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
    choosePeriod('last-7');
    expect(plain((await screen.findByTestId('range-empty')).textContent)).toBe(
      'No Instagram use recorded in this period (Nov 18 – 24, 2026).',
    );
    expect(screen.queryByTestId('dashboard-empty')).toBeNull();
    choosePeriod('last-90');
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
    choosePeriod('last-7');
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
    choosePeriod('last-365');
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

describe('periods and comparisons', () => {
  it('offers weeks, months, last days and a custom range, and says which dates each holds', async () => {
    await db.days.put(makeDay('2026-10-01'));
    await renderDashboard();
    expect(
      [...document.querySelectorAll<HTMLInputElement>('input[name="period"]')].map(
        (input) => input.labels?.[0]?.textContent,
      ),
    ).toEqual([
      'This week',
      'Last week',
      'This month',
      'Last month',
      'Last 7 days',
      'Last 30 days',
      'Last 90 days',
      'Last 365 days',
      'Custom range',
    ]);
    choosePeriod('last-week');
    // 2026-11-24 is a Tuesday: last week is Monday 16 to Sunday 22, compared with the week before.
    await waitFor(() =>
      expect(plain(screen.getByTestId('period-dates').textContent)).toBe(
        'Nov 16 – 22, 2026, compared with Nov 9 – 15, 2026',
      ),
    );
    choosePeriod('this-month');
    await waitFor(() =>
      expect(plain(screen.getByTestId('period-dates').textContent)).toBe(
        'Nov 1 – 24, 2026, compared with Oct 1 – 24, 2026',
      ),
    );
  });

  it('shows every figure against the period before, per surface too', async () => {
    await db.days.bulkPut([
      // This week (Monday 23 to Tuesday 24).
      withSurfaces('2026-11-24', { feed: 1_800_000, reels: 1_800_000 }, { sessions: 3 }),
      // Last week: the same weekdays (Monday 16, Tuesday 17) are what this week is compared with…
      withSurfaces('2026-11-17', { feed: 2_400_000 }, { sessions: 1 }),
      // …not the rest of that week.
      withSurfaces('2026-11-19', { feed: 6_000_000 }, { sessions: 5 }),
    ]);
    await renderDashboard();
    choosePeriod('this-week');
    await waitFor(() => expect(screen.getByTestId('total-time').textContent).toBe('1 hr'));
    expect(plain(screen.getByTestId('total-time-change').textContent)).toBe(
      '▲ +20 min (+50%) vs 40 min the period before',
    );
    expect(plain(screen.getByTestId('total-sessions-change').textContent)).toBe('▲ +2 (+200%) vs 1 the period before');
    expect(screen.getByTestId('daily-average').textContent).toBe('30 min');
    expect(plain(screen.getByTestId('daily-average-change').textContent)).toBe(
      // Recording began on the 17th: the period before counts one day (40 min), this one two (1 hr).
      '▼ -10 min (-25%) vs 40 min the period before',
    );
    expect(rowsOf('surface-totals')).toEqual([
      ['Feed', '30 min', '30 min', '0 min', '50%', '-10 min (-25%)'],
      ['Reels', '30 min', '30 min', '0 min', '50%', '+30 min'],
    ]);

    choosePeriod('last-week');
    await waitFor(() => expect(screen.getByTestId('total-time').textContent).toBe('2 hr 20 min'));
    // The week before last began before recording did: nothing to compare with.
    expect(screen.getByTestId('total-time-change').textContent).toBe('nothing recorded the period before');
  });

  it('averages over the days since recording began, and says so', async () => {
    await db.days.bulkPut([makeDay('2026-11-20', 3_000_000), makeDay('2026-11-24', 600_000)]);
    await renderDashboard();
    await screen.findByTestId('overview-summary');
    // Last 30 days, but recording began on November 20: five days count, not thirty.
    expect(screen.getByTestId('daily-average').textContent).toBe('12 min');
    expect(screen.getByTestId('days-with-use').textContent).toBe('2 of 5');
    expect(screen.getByTestId('overview-summary').textContent).toContain(
      'per day since recording began (Nov 20, 2026); days without use count as zero',
    );
  });

  it('says when a period lies before recording began', async () => {
    await db.days.put(makeDay('2026-11-20'));
    await renderDashboard();
    choosePeriod('last-month');
    expect(plain((await screen.findByTestId('range-empty')).textContent)).toBe(
      'Nothing was recorded in this period (Oct 1 – 31, 2026): recording began on Nov 20, 2026.',
    );
  });

  it('takes a custom range from two date fields, no later than today', async () => {
    await db.days.bulkPut([makeDay('2026-11-02', 600_000), makeDay('2026-11-05', 1_200_000), makeDay('2026-11-20')]);
    await renderDashboard();
    choosePeriod('custom');
    const from = await screen.findByTestId('period-from');
    const to = screen.getByTestId('period-to');
    expect(to.getAttribute('max')).toBe(today);
    fireEvent.change(from, { target: { value: '2026-11-01' } });
    fireEvent.change(screen.getByTestId('period-to'), { target: { value: '2026-11-07' } });
    await waitFor(() => expect(screen.getByTestId('total-time').textContent).toBe('30 min'));
    expect(plain(screen.getByTestId('period-dates').textContent)).toBe(
      'Nov 1 – 7, 2026, compared with Oct 25 – 31, 2026',
    );
    // Recording began on November 2: six of the seven days count.
    expect(screen.getByTestId('days-with-use').textContent).toBe('2 of 6');
  });
});

/** One of an axis's functions, to call as uPlot would. */
function axisFunction<Result>(axis: uPlot.Axis | undefined, name: 'splits' | 'values') {
  const property = axis?.[name];
  if (typeof property !== 'function') throw new Error(`The axis has no ${name} function.`);
  return property as (...args: unknown[]) => Result;
}

describe('charts that read well', () => {
  it('ticks daily bars on days and the time axis on round steps, in the UI language', async () => {
    vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue({} as never);
    setTestLanguage('fr');
    await db.days.bulkPut([makeDay('2026-11-24', 50 * 60_000), makeDay('2026-11-20', 20 * 60_000)]);
    await renderDashboard();
    choosePeriod('last-7');
    await waitFor(() => expect(charts.created.at(-1)?.data[0]).toHaveLength(7));
    const chart = charts.created.at(-1) as DrawnChart;
    const [xAxis, yAxis] = chart.options.axes ?? [];
    const fakeChart = { width: 700 } as uPlot;
    const min = Date.UTC(2026, 10, 18) / 1000 - 43_200;
    const max = Date.UTC(2026, 10, 24) / 1000 + 43_200;
    const ticks = axisFunction<number[]>(xAxis, 'splits')(fakeChart, 0, min, max);
    expect(ticks).toHaveLength(7);
    const labels = axisFunction<string[]>(xAxis, 'values')(fakeChart, ticks);
    // Day first in French, and never a time of day.
    expect(labels.at(-1)).toBe('24 nov.');
    expect(labels.join(' ')).not.toMatch(/am|pm|:/i);
    const steps = axisFunction<number[]>(yAxis, 'splits')(fakeChart, 1, 0, 60);
    expect(steps).toEqual([0, 15, 30, 45, 60]);
    expect(plain(axisFunction<string[]>(yAxis, 'values')(fakeChart, [15, 60]).join(' | '))).toBe('15 min | 1 h');
  });

  it('opens a day’s page when its bar is clicked', async () => {
    vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue({} as never);
    await db.days.put(makeDay('2026-11-22'));
    await renderDashboard();
    choosePeriod('last-7');
    await waitFor(() => expect(charts.created.at(-1)?.data[0]).toHaveLength(7));
    const chart = charts.created.at(-1) as DrawnChart;
    chart.cursor.idx = 4;
    chart.over.dispatchEvent(new MouseEvent('click'));
    expect(location.hash).toBe('#day/2026-11-22');
    history.replaceState(null, '', '#');
  });

  it('shows a year as weekly bars with their table, not 365 slivers', async () => {
    vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue({} as never);
    await db.days.bulkPut(
      Array.from({ length: 365 }, (_, index) => makeDay(addDays(today, -index), 60_000 * (1 + (index % 10)))),
    );
    await renderDashboard();
    choosePeriod('last-365');
    await screen.findByTestId('weekly-table');
    await waitFor(() => expect(charts.created.at(-1)?.data[0]).toHaveLength(53));
    const weeks = rowsOf('weekly-table');
    expect(weeks).toHaveLength(53);
    // Newest first: Monday 23 and Tuesday 24 November, 1 + 2 minutes.
    expect(plain(weeks[0]?.join(' | '))).toBe('Nov 23 – 24, 2026 | 3 min | 2 min');
    expect(screen.getByTestId('weekly-table').querySelector('a')?.getAttribute('href')).toBe('#report/2026-W48');
  });
});

describe('the calendar of daily totals', () => {
  it('has a link per day with its date and total, darker for more time', async () => {
    await db.days.bulkPut([makeDay('2026-11-24', 3_600_000), makeDay('2026-11-23', 600_000)]);
    await renderDashboard();
    choosePeriod('last-7');
    const cell = await screen.findByTestId('calendar-2026-11-24');
    expect(cell.getAttribute('href')).toBe('#day/2026-11-24');
    expect(cell.textContent).toBe('Tue, Nov 24, 2026: 1 hr');
    expect(cell.getAttribute('title')).toBe('Tue, Nov 24, 2026: 1 hr');
    expect(cell.className).toContain('level-4');
    expect(screen.getByTestId('calendar-2026-11-23').className).toContain('level-1');
    expect(screen.getByTestId('calendar-2026-11-22').className).toContain('level-0');
    // Only the days of the period, up to today.
    expect(screen.getByTestId('calendar').querySelectorAll('a')).toHaveLength(7);
  });

  it('is one stop in the tab order; arrows move by day and week, Home and End to the ends', async () => {
    await db.days.put(makeDay('2026-11-24'));
    await renderDashboard();
    choosePeriod('last-30');
    await screen.findByTestId('calendar-2026-11-24');
    const calendar = screen.getByTestId('calendar');
    const inTabOrder = () => [...calendar.querySelectorAll<HTMLElement>('a')].filter((link) => link.tabIndex === 0);
    expect(inTabOrder().map((link) => link.dataset.date)).toEqual([today]);
    const start = screen.getByTestId(`calendar-${today}`);
    start.focus();
    fireEvent.keyDown(start, { key: 'ArrowUp' });
    expect(document.activeElement).toBe(screen.getByTestId('calendar-2026-11-23'));
    fireEvent.keyDown(document.activeElement as Element, { key: 'ArrowLeft' });
    expect(document.activeElement).toBe(screen.getByTestId('calendar-2026-11-16'));
    fireEvent.keyDown(document.activeElement as Element, { key: 'Home' });
    expect(document.activeElement).toBe(screen.getByTestId('calendar-2026-10-26'));
    // Nothing before the period's first day.
    fireEvent.keyDown(document.activeElement as Element, { key: 'ArrowLeft' });
    expect(document.activeElement).toBe(screen.getByTestId('calendar-2026-10-26'));
    await waitFor(() => expect(inTabOrder().map((link) => link.dataset.date)).toEqual(['2026-10-26']));
    fireEvent.keyDown(document.activeElement as Element, { key: 'End' });
    expect(document.activeElement).toBe(start);
  });
});

describe('Overview: history imported from Instagram’s export', () => {
  const imported = (date: string, posts: number, reels: number) => ({
    date,
    source: 'instagram-export' as const,
    views: { posts, reels },
    tagsUsed: {},
    ownPosts: 0,
    importedAt: 1,
  });

  it('shows imported days with nothing recorded, marked, with a legend (history from day one)', async () => {
    await db.importedDays.bulkPut([imported(addDays(today, -3), 5, 2), imported(addDays(today, -2), 1, 0)]);
    await renderDashboard();
    expect(screen.queryByTestId('dashboard-empty')).toBeNull();
    expect(screen.getByTestId('views-posts').textContent).toBe('6');
    expect(screen.getByTestId('views-reels').textContent).toBe('2');
    expect(screen.getByTestId('imported-legend').textContent).toContain('From Instagram’s export');
    const marked = [...document.querySelectorAll('[data-testid="imported-marker"]')].map((marker) =>
      marker.closest('tr')?.querySelector('a')?.getAttribute('data-testid'),
    );
    expect(marked.sort()).toEqual([`day-link-${addDays(today, -3)}`, `day-link-${addDays(today, -2)}`]);
    // Only recorded time can be corrected: an imported day has no Correct button.
    expect(screen.queryByTestId(`correct-${addDays(today, -3)}`)).toBeNull();
  });

  it('never shows less than what was recorded: per count the larger figure, unmarked when recorded held it', async () => {
    const date = addDays(today, -1);
    await db.days.put(withSurfaces(date, { feed: 600_000 }, { views: { posts: 9, reels: 0, stories: 1 } }));
    await db.importedDays.put(imported(date, 4, 3));
    await renderDashboard();
    expect(screen.getByTestId('views-posts').textContent).toBe('9');
    expect(screen.getByTestId('views-reels').textContent).toBe('3');
    expect(screen.getAllByTestId('imported-marker')).toHaveLength(1);
  });
});
