// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import type uPlot from 'uplot';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Dashboard } from '../../../src/options/dashboard/Dashboard';
import { addDays } from '../../../src/shared/domain/dates';
import { pageDatabaseOptions, SmartTagsDatabase } from '../../../src/shared/storage/db';
import type { AccountSnapshotRecord } from '../../../src/shared/storage/records';
import { makeSnapshot } from '../helpers/records';

// The Overview's day correction asks the background; these tests never do, but the polyfill refuses to load outside
// an extension.
vi.mock('webextension-polyfill', () => ({ default: {} }));
const charts = vi.hoisted(() => ({ created: [] as Array<{ options: uPlot.Options; data: uPlot.AlignedData }> }));
vi.mock('uplot', () => {
  class FakePlot {
    static paths = {};
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

const today = '2026-11-24';

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

async function openAccount() {
  render(<Dashboard db={db} today={today} />);
  fireEvent.click(screen.getByTestId('tab-account'));
  await waitFor(() => expect(document.querySelector('[aria-busy="true"]')).toBeNull());
}

function rowsOf(testId: string): string[][] {
  return [...screen.getByTestId(testId).querySelectorAll('tbody tr')].map((row) =>
    [...row.querySelectorAll('th, td')].map((cell) => cell.textContent ?? ''),
  );
}

const snapshots: AccountSnapshotRecord[] = [
  { ...makeSnapshot('maya.rivers', '2026-11-20'), followers: { value: 12_000, exact: false } },
  { ...makeSnapshot('maya.rivers', '2026-11-21', 12_437), following: null },
  makeSnapshot('maya.rivers', '2026-11-22', 12_440),
];

describe('Account', () => {
  it('explains what is needed when no snapshot is recorded', async () => {
    await openAccount();
    const empty = await screen.findByTestId('account-empty');
    expect(empty.textContent).toContain('No account numbers recorded yet.');
    expect(empty.textContent).toContain('“Read my Instagram account”');
    expect(empty.textContent).toContain('a visit to your own profile');
    expect(within(empty).getByRole('link', { name: 'Your data and privacy' }).getAttribute('href')).toBe('#privacy');
  });

  it('shows the latest numbers and a table per day, rounded and unread numbers marked', async () => {
    await db.accountSnapshots.bulkPut(snapshots);
    await openAccount();
    expect((await screen.findByTestId('account-name')).textContent).toBe('@maya.rivers');
    expect(screen.queryByRole('combobox')).toBeNull();
    expect(screen.getByRole('heading', { name: 'Latest, Nov 22, 2026' })).toBeTruthy();
    expect(screen.getByTestId('latest-followers').textContent).toBe('12,440');
    expect(screen.getByTestId('latest-following').textContent).toBe('450');
    expect(screen.getByTestId('latest-posts').textContent).toBe('≈ 120 (rounded)');
    expect(screen.getByTestId('account-legend').textContent).toContain('Hollow points: rounded');

    const table = screen.getByTestId('account-table');
    expect(table.tagName).toBe('DETAILS');
    expect([...table.querySelectorAll('thead th')].map((cell) => cell.textContent)).toEqual([
      'Date',
      'Followers',
      'Following',
      'Posts',
    ]);
    expect(rowsOf('account-table')).toEqual([
      ['Sun, Nov 22, 2026', '12,440', '450', '≈ 120 (rounded)'],
      ['Sat, Nov 21, 2026', '12,437', '— not read', '≈ 120 (rounded)'],
      ['Fri, Nov 20, 2026', '≈ 12,000 (rounded)', '450', '≈ 120 (rounded)'],
    ]);
    // The "(rounded)" note is for screen readers; the ≈ mark is what is seen.
    expect(table.querySelector('.rounded .visually-hidden')?.textContent).toBe(' (rounded)');
  });

  it('offers a choice of account when there are several', async () => {
    await db.accountSnapshots.bulkPut([...snapshots, makeSnapshot('bakery_maya', '2026-11-23', 310)]);
    await openAccount();
    const select = await waitFor(() => {
      const element = document.querySelector<HTMLSelectElement>('select[name="account"]');
      if (!element) throw new Error('No account select.');
      return element;
    });
    expect([...select.options].map((option) => option.textContent)).toEqual(['@bakery_maya', '@maya.rivers']);
    expect(select.value).toBe('bakery_maya');
    expect(rowsOf('account-table')).toEqual([['Mon, Nov 23, 2026', '310', '450', '≈ 120 (rounded)']]);
    fireEvent.change(select, { target: { value: 'maya.rivers' } });
    await waitFor(() => expect(rowsOf('account-table')).toHaveLength(3));
    expect(screen.getByTestId('latest-followers').textContent).toBe('12,440');
  });

  it('draws exact numbers as filled points and rounded ones as hollow points', async () => {
    vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue({} as never);
    await db.accountSnapshots.bulkPut(snapshots);
    await openAccount();
    await waitFor(() => expect(charts.created).toHaveLength(3));
    const followers = charts.created[0];
    if (!followers) throw new Error('No chart.');
    expect(followers.data.slice(1)).toEqual([
      [12_000, 12_437, 12_440],
      [12_000, 12_437, 12_440],
    ]);
    const [, exact, rounded] = followers.options.series;
    const points = (series: uPlot.Series | undefined) => {
      const filter = series?.points?.filter;
      return typeof filter === 'function' ? filter({} as uPlot, 1, true) : filter;
    };
    expect(points(exact)).toEqual([1, 2]);
    expect(points(rounded)).toEqual([0]);
    expect(exact?.points?.fill).toBe(exact?.stroke);
    expect(rounded?.points?.fill).not.toBe(rounded?.stroke);
    // Unread following (null) leaves a gap in its data, bridged by the line.
    expect(charts.created[1]?.data[1]).toEqual([450, null, 450]);
  });
});

describe('account growth in numbers', () => {
  const followersOn = (date: string, value: number, exact = true): AccountSnapshotRecord => ({
    ...makeSnapshot('maya.rivers', date, value),
    followers: { value, exact },
  });

  it('gives each count’s change over the period, approximate when a count was rounded', async () => {
    await db.accountSnapshots.bulkPut([
      followersOn('2026-11-10', 180),
      followersOn('2026-11-20', 183),
      followersOn('2026-11-24', 185),
    ]);
    await openAccount();
    fireEvent.click(screen.getByTestId('period-last-7'));
    // From the last count before the period (180, on the 10th) to the last in it.
    await waitFor(() => expect(screen.getByTestId('period-change-followers').textContent).toBe('+5'));
    expect(screen.getByTestId('account-period-change').textContent).toContain('from 180 to 185');
    expect(screen.getByTestId('period-change-following').textContent).toBe('0');
    // Posts were rounded as Instagram showed them.
    expect(screen.getByTestId('period-change-posts').textContent).toBe('≈ 0 (rounded)');
  });

  it('lists gains and losses per week and per month, newest first', async () => {
    await db.accountSnapshots.bulkPut([
      followersOn('2026-10-28', 170),
      followersOn('2026-11-04', 180),
      followersOn('2026-11-12', 176),
      followersOn('2026-11-20', 12_400, false),
    ]);
    await openAccount();
    await screen.findByTestId('growth-table');
    const plain = (rows: string[][]) => rows.map((row) => row.map((cell) => cell.replace(/\s/g, ' ')));
    expect(plain(rowsOf('growth-table'))).toEqual([
      ['Nov 16 – 22, 2026', '≈ +12,224 (rounded)', '0', '≈ 0 (rounded)'],
      ['Nov 9 – 15, 2026', '-4', '0', '≈ 0 (rounded)'],
      ['Nov 2 – 8, 2026', '+10', '0', '≈ 0 (rounded)'],
    ]);
    fireEvent.click(screen.getByTestId('growth-by-month'));
    await waitFor(() => expect(rowsOf('growth-table')).toHaveLength(1));
    expect(rowsOf('growth-table')[0]?.slice(0, 2)).toEqual(['Nov 2026', '≈ +12,230 (rounded)']);
  });

  it('says when there are not yet two readings to compare', async () => {
    await db.accountSnapshots.put(followersOn('2026-11-24', 185));
    await openAccount();
    expect((await screen.findByTestId('growth-empty')).textContent).toBe(
      'Not enough readings yet to show a change: visit your profile on another day.',
    );
  });

  it('draws a count on an axis that keeps a small move small', async () => {
    vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue({} as never);
    await db.accountSnapshots.bulkPut([followersOn('2026-11-20', 180), followersOn('2026-11-24', 185)]);
    await openAccount();
    await waitFor(() => expect(charts.created).toHaveLength(3));
    const range = charts.created[0]?.options.scales?.y?.range;
    if (typeof range !== 'function') throw new Error('No range.');
    const [min, max] = range({} as uPlot, 180, 185, 'y');
    // At least 10 % of the count wide: five followers more is a small step, not a cliff.
    expect((max ?? 0) - (min ?? 0)).toBeGreaterThanOrEqual(18);
    expect(min).toBeLessThanOrEqual(180);
    expect(max).toBeGreaterThanOrEqual(185);
  });
});

describe('Account with a year of snapshots for two accounts', () => {
  it('keeps rounded points hollow and leaves exact ones to the line when there are many days', async () => {
    vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue({} as never);
    await db.accountSnapshots.bulkPut(
      Array.from({ length: 365 }, (_, index) => ({
        ...makeSnapshot('maya.rivers', addDays(today, -index), 10_000 + index),
        followers: { value: 10_000 + index, exact: index % 100 !== 0 },
      })),
    );
    await openAccount();
    await waitFor(() => expect(charts.created).toHaveLength(3));
    const [, exact, rounded] = charts.created[0]?.options.series ?? [];
    const points = (series: uPlot.Series | undefined) => {
      const filter = series?.points?.filter;
      return typeof filter === 'function' ? filter({} as uPlot, 1, true) : filter;
    };
    expect(points(exact)).toEqual([]);
    // Rounded 300, 200 and 100 days back and today; the series runs oldest first (364 days back is index 0).
    expect(points(rounded)).toEqual([64, 164, 264, 364]);
  });

  it('caps the table at 100 days with “show more”', async () => {
    const year = (username: string) =>
      Array.from({ length: 365 }, (_, index) => makeSnapshot(username, addDays(today, -index), 10_000 + index));
    await db.accountSnapshots.bulkPut([...year('maya.rivers'), ...year('bakery_maya')]);
    await openAccount();
    await waitFor(() => expect(rowsOf('account-table')).toHaveLength(100));
    expect(rowsOf('account-table')[0]).toEqual(['Tue, Nov 24, 2026', '10,000', '450', '≈ 120 (rounded)']);
    fireEvent.click(screen.getByTestId('account-table-more'));
    await waitFor(() => expect(rowsOf('account-table')).toHaveLength(200));
    fireEvent.change(document.querySelector('select[name="account"]') as HTMLSelectElement, {
      target: { value: 'maya.rivers' },
    });
    await waitFor(() => expect(rowsOf('account-table')).toHaveLength(100));
  });
});

describe('Account: counts imported from Instagram’s export', () => {
  it('fills dates without a snapshot with the imported lower bounds, marked, and keeps recorded snapshots', async () => {
    await db.accountSnapshots.bulkPut(snapshots);
    const point = (date: string, followers: number) => ({
      username: 'maya.rivers',
      date,
      source: 'instagram-export' as const,
      followers: { value: followers, exact: false as const },
      following: null,
      importedAt: 1,
    });
    // 22 November was recorded: its snapshot wins over the imported point of that date.
    await db.importedAccountPoints.bulkPut([point('2026-11-19', 11_900), point('2026-11-22', 1)]);
    await openAccount();
    await screen.findByTestId('account-table');
    const rows = rowsOf('account-table');
    expect(rows[0]).toEqual(['Sun, Nov 22, 2026', '12,440', '450', '≈ 120 (rounded)']);
    expect(rows.at(-1)?.[0]).toContain('Thu, Nov 19, 2026');
    expect(rows.at(-1)?.[0]).toContain('From Instagram’s export');
    expect(rows.at(-1)?.[1]).toContain('11,900');
    expect(screen.getByTestId('account-imported-legend').textContent).toContain('at least this many');
  });
});
