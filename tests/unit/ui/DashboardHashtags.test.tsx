// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Dashboard } from '../../../src/options/dashboard/Dashboard';
import { addDays } from '../../../src/shared/domain/dates';
import { pageDatabaseOptions, SmartTagsDatabase } from '../../../src/shared/storage/db';
import type { DayRecord } from '../../../src/shared/storage/records';
import { makeDay } from '../helpers/records';

// The Overview's day correction asks the background; these tests never do, but the polyfill refuses to load outside
// an extension.
vi.mock('webextension-polyfill', () => ({ default: {} }));
// happy-dom has no canvas, so the dashboard draws no chart here; uPlot is replaced all the same.
vi.mock('uplot', () => ({
  default: Object.assign(
    vi.fn(() => ({ width: 0, setSize() {}, destroy() {} })),
    { paths: {}, tzDate: (date: Date) => date },
  ),
}));

const today = '2026-11-24';

let db: SmartTagsDatabase;
beforeEach(() => {
  db = new SmartTagsDatabase(`test-${crypto.randomUUID()}`, { ...pageDatabaseOptions, fixtureWrites: true });
});
afterEach(async () => {
  cleanup();
  vi.restoreAllMocks();
  await db.delete();
});

async function openHashtags() {
  render(<Dashboard db={db} today={today} />);
  fireEvent.click(screen.getByTestId('tab-hashtags'));
  await waitFor(() => expect(document.querySelector('[aria-busy="true"]')).toBeNull());
}

function rowsOf(testId: string): string[][] {
  return [...screen.getByTestId(testId).querySelectorAll('tbody tr')].map((row) =>
    [...row.querySelectorAll('th, td')].map((cell) => cell.textContent ?? ''),
  );
}

/** Text with Intl's thin and no-break spaces as plain spaces, for readable expectations. */
const plain = (text: string | null | undefined) => (text ?? '').replace(/\s/g, ' ');

function search(query: string) {
  const input = document.querySelector<HTMLInputElement>('input[name="tag-search"]');
  if (!input) throw new Error('No search box.');
  fireEvent.input(input, { target: { value: query } });
}

const tagged = (date: string, hashtags: Partial<DayRecord>) =>
  makeDay(date, 600_000, { hashtags: { seen: {}, used: {} }, hashtagPageMs: {}, hashtagPairs: {}, ...hashtags });

const days: DayRecord[] = [
  tagged('2026-11-24', {
    hashtags: { seen: { sourdough: 5, café: 2, bread: 1 }, used: { baking: 2 } },
    hashtagPageMs: { sourdough: 30_000, crumb: 3_900_000 },
    hashtagPairs: { 'bread sourdough': 1, 'café sourdough': 2 },
  }),
  tagged('2026-11-22', {
    hashtags: { seen: { café: 4, bread: 1 }, used: { baking: 1, sourdough: 1 } },
    hashtagPairs: { 'bread sourdough': 2, 'bread café': 4 },
  }),
  tagged('2026-08-01', { hashtags: { seen: { oldtag: 50 }, used: {} } }),
];

describe('Hashtags', () => {
  it('says how to start when nothing is recorded', async () => {
    await openHashtags();
    expect(screen.getByTestId('dashboard-empty').textContent).toContain('Record my Instagram use');
    expect(screen.queryByTestId('hashtag-table')).toBeNull();
  });

  it('says when the period’s days carry no hashtag', async () => {
    await db.days.put(tagged('2026-11-24', {}));
    await openHashtags();
    expect(plain((await screen.findByTestId('hashtags-empty')).textContent)).toContain(
      'No hashtags recorded in this period (Oct 26 – Nov 24, 2026).',
    );
  });

  it('lists the period’s tags, most seen first, with uses and time on their page', async () => {
    await db.days.bulkPut(days);
    await openHashtags();
    await screen.findByTestId('hashtag-table');
    expect(rowsOf('hashtag-table')).toEqual([
      ['#café', '6', '0', '0 min'],
      ['#sourdough', '5', '1', '30 sec'],
      ['#bread', '2', '0', '0 min'],
      ['#baking', '0', '3', '0 min'],
      ['#crumb', '0', '0', '1 hr 5 min'],
    ]);
    expect(screen.getByTestId('hashtag-count').textContent).toBe('5 hashtags');
    expect(screen.getByTestId('hashtag-count').getAttribute('role')).toBe('status');
    // A longer period takes in older days.
    fireEvent.click(screen.getByTestId('period-last-365'));
    await waitFor(() => expect(rowsOf('hashtag-table')[0]).toEqual(['#oldtag', '50', '0', '0 min']));
  });

  it('sorts by each column with its header button, and says how it is sorted', async () => {
    await db.days.bulkPut(days);
    await openHashtags();
    await screen.findByTestId('hashtag-table');
    const tags = () => rowsOf('hashtag-table').map((row) => row[0]);
    const sortOf = (key: string) => screen.getByTestId(`sort-${key}`).closest('th')?.getAttribute('aria-sort');
    expect(sortOf('seen')).toBe('descending');

    fireEvent.click(screen.getByTestId('sort-used'));
    await waitFor(() => expect(tags()).toEqual(['#baking', '#sourdough', '#bread', '#café', '#crumb']));
    expect(sortOf('used')).toBe('descending');
    expect(sortOf('seen')).toBeNull();

    fireEvent.click(screen.getByTestId('sort-pageTime'));
    await waitFor(() => expect(tags().slice(0, 2)).toEqual(['#crumb', '#sourdough']));

    fireEvent.click(screen.getByTestId('sort-tag'));
    await waitFor(() => expect(tags()).toEqual(['#baking', '#bread', '#café', '#crumb', '#sourdough']));
    expect(sortOf('tag')).toBe('ascending');
    fireEvent.click(screen.getByTestId('sort-tag'));
    await waitFor(() => expect(tags()).toEqual(['#sourdough', '#crumb', '#café', '#bread', '#baking']));
    expect(sortOf('tag')).toBe('descending');
    expect(plain(screen.getByTestId('hashtag-table').querySelector('caption')?.textContent)).toBe(
      'Hashtags, Oct 26 – Nov 24, 2026, sorted by hashtag, descending',
    );
    // The sort controls are buttons, reachable with the keyboard.
    expect(screen.getByTestId('sort-seen').tagName).toBe('BUTTON');
  });

  it.each([
    ['CAFÉ', ['#café']],
    ['cafe\u0301', ['#café']],
    ['R', ['#sourdough', '#bread', '#crumb']],
  ])('searches %j without regard to case or Unicode form', async (query, expected) => {
    await db.days.bulkPut(days);
    await openHashtags();
    await screen.findByTestId('hashtag-table');
    search(query);
    await waitFor(() => expect(rowsOf('hashtag-table').map((row) => row[0])).toEqual(expected));
    expect(screen.getByTestId('hashtag-count').textContent).toBe(`${expected.length} of 5 hashtags match`);
  });

  it('says when no tag matches', async () => {
    await db.days.bulkPut(days);
    await openHashtags();
    await screen.findByTestId('hashtag-table');
    search('  zzz ');
    expect((await screen.findByTestId('hashtag-no-match')).textContent).toBe('No hashtag contains “zzz”.');
    expect(screen.getByTestId('hashtag-csv')).toHaveProperty('disabled', true);
  });

  it('links every tag to its page', async () => {
    await db.days.bulkPut(days);
    await openHashtags();
    await screen.findByTestId('hashtag-table');
    const link = within(screen.getByTestId('hashtag-table')).getByRole('link', { name: '#café' });
    expect(link.getAttribute('href')).toBe('#tag/caf%C3%A9');
    expect(
      within(screen.getByTestId('seen-vs-used-table')).getByRole('link', { name: '#baking' }).getAttribute('href'),
    ).toBe('#tag/baking');
  });

  it('ranks the tags seen more and less than in the period before, leaving out rare ones', async () => {
    await db.days.bulkPut([
      tagged('2026-11-24', { hashtags: { seen: { rise: 8, steady: 3, rare: 2 }, used: {} } }),
      tagged('2026-11-15', { hashtags: { seen: { rise: 1, fall: 6, steady: 3, rare: 1 }, used: {} } }),
    ]);
    await openHashtags();
    fireEvent.click(screen.getByTestId('period-last-7'));
    await screen.findByTestId('tags-rising');
    expect(rowsOf('tags-rising')).toEqual([['#rise', '8', '1', '+7']]);
    expect(rowsOf('tags-falling')).toEqual([['#fall', '0', '6', '-6']]);
    expect(within(screen.getByTestId('tags-falling')).getByRole('link', { name: '#fall' }).getAttribute('href')).toBe(
      '#tag/fall',
    );
    expect(plain(screen.getByRole('heading', { name: 'Rising and falling' }).nextElementSibling?.textContent)).toBe(
      'Posts seen with each tag, against Nov 11 – 17, 2026. A tag counts only when seen at least 5 times over both periods, so a single post does not make a trend.',
    );
  });

  it('says when no tag rose or fell', async () => {
    await db.days.bulkPut([
      tagged('2026-11-24', { hashtags: { seen: { once: 1 }, used: {} } }),
      tagged('2026-09-01', { hashtags: { seen: {}, used: {} } }),
    ]);
    await openHashtags();
    expect((await screen.findByTestId('tags-rising')).textContent).toContain(
      'No tag is seen clearly more than before.',
    );
    expect(screen.getByTestId('tags-falling').textContent).toContain('No tag is seen clearly less than before.');
  });

  it('compares seen and used, the tags of one’s own posts first', async () => {
    await db.days.bulkPut(days);
    await openHashtags();
    await screen.findByTestId('seen-vs-used-table');
    expect(rowsOf('seen-vs-used-table').map((row) => row.slice(0, 3))).toEqual([
      ['#baking', '0', '3'],
      ['#sourdough', '5', '1'],
      ['#café', '6', '0'],
      ['#bread', '2', '0'],
    ]);
  });

  it('downloads the current table, searched and sorted, as CSV', async () => {
    const blobs: Blob[] = [];
    const names: string[] = [];
    vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
      if (blob instanceof Blob) blobs.push(blob);
      return 'blob:test/1';
    });
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => {});
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      names.push(this.download);
    });
    await db.days.bulkPut(days);
    await openHashtags();
    await screen.findByTestId('hashtag-table');
    search('r');
    fireEvent.click(screen.getByTestId('sort-tag'));
    fireEvent.click(screen.getByTestId('sort-tag'));
    await waitFor(() =>
      expect(rowsOf('hashtag-table').map((row) => row[0])).toEqual(['#sourdough', '#crumb', '#bread']),
    );
    fireEvent.click(screen.getByTestId('hashtag-csv'));
    expect(names).toEqual(['smarttags-hashtags-2026-10-26-to-2026-11-24.csv']);
    expect(await blobs[0]?.text()).toBe(
      'hashtag,seen,used,page_ms\r\nsourdough,5,1,30000\r\ncrumb,0,0,3900000\r\nbread,2,0,0\r\n',
    );
    expect(blobs[0]?.type).toMatch(/^text\/csv/);
    expect((await screen.findByTestId('hashtag-count')).textContent).toContain('Downloaded 3 hashtags as CSV.');
    // The temporary link does not stay in the page.
    expect(document.querySelectorAll('a[download]')).toHaveLength(0);
  });
});

describe('rising and falling hashtags before there is a period to compare with', () => {
  it('says so rather than calling every tag rising', async () => {
    await db.days.put(tagged('2026-11-24', { hashtags: { seen: { sourdough: 9 }, used: {} } }));
    await openHashtags();
    expect(plain((await screen.findByTestId('tags-movers-none')).textContent)).toBe(
      'Nothing was recorded in the period before (Sep 26 – Oct 25, 2026), so no tag can be said to rise or fall yet.',
    );
    expect(screen.queryByTestId('tags-rising')).toBeNull();
  });
});

describe('Hashtags with a year of data and 5,000 distinct tags', () => {
  it('shows 100 rows at a time, searches and sorts the whole set', async () => {
    const tags = Array.from({ length: 5000 }, (_, index) => `tag${String(index).padStart(4, '0')}`);
    const year = Array.from({ length: 365 }, (_, index) => {
      const seen: Record<string, number> = {};
      for (let n = 0; n < 100; n++) {
        const tag = tags[(index + n * 50) % 5000] ?? 'tag0000';
        seen[tag] = (seen[tag] ?? 0) + 1;
      }
      return tagged(addDays(today, -index), {
        hashtags: { seen, used: { [tags[index % 20] ?? 'tag0000']: 1 } },
        hashtagPageMs: { [tags[index % 7] ?? 'tag0000']: 60_000 },
        hashtagPairs: { [`${tags[0]} ${tags[1 + (index % 30)]}`]: 2 },
      });
    });
    await db.days.bulkPut(year);
    render(<Dashboard db={db} today={today} />);
    fireEvent.click(screen.getByTestId('period-last-365'));
    const started = performance.now();
    fireEvent.click(screen.getByTestId('tab-hashtags'));
    await waitFor(() => expect(screen.getByTestId('hashtag-count').textContent).toBe('5,000 hashtags'), {
      timeout: 5000,
    });
    const elapsed = performance.now() - started;
    expect(rowsOf('hashtag-table')).toHaveLength(100);
    expect(screen.getByTestId('hashtag-more').closest('p')?.textContent).toContain('100 of 5,000 shown');
    fireEvent.click(screen.getByTestId('hashtag-more'));
    await waitFor(() => expect(rowsOf('hashtag-table')).toHaveLength(200));

    search('TAG000');
    await waitFor(() => expect(screen.getByTestId('hashtag-count').textContent).toBe('10 of 5,000 hashtags match'));
    expect(rowsOf('hashtag-table')).toHaveLength(10);
    search('');
    fireEvent.click(screen.getByTestId('sort-tag'));
    await waitFor(() => expect(rowsOf('hashtag-table')[0]?.[0]).toBe('#tag0000'));
    expect(rowsOf('hashtag-table')).toHaveLength(100);

    expect(rowsOf('seen-vs-used-table')).toHaveLength(100);
    expect(rowsOf('seen-vs-used-table')[0]?.[2]).toBe('19');
    // Loading a year from IndexedDB and computing every table: well within a few seconds even in a test DOM.
    expect(elapsed).toBeLessThan(5000);
  }, 30_000);
});
