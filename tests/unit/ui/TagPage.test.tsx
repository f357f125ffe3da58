// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { useState } from 'preact/hooks';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PeriodSelection } from '../../../src/options/dashboard/PeriodChoice';
import { TagPage } from '../../../src/options/dashboard/TagPage';
import { pageDatabaseOptions, SmartTagsDatabase } from '../../../src/shared/storage/db';
import type { DayRecord } from '../../../src/shared/storage/records';
import { makeDay } from '../helpers/records';

vi.mock('webextension-polyfill', () => ({ default: {} }));
// happy-dom has no canvas, so no chart is drawn here; uPlot is replaced all the same.
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
  await db.delete();
});

const tagged = (date: string, hashtags: Partial<DayRecord>) =>
  makeDay(date, 600_000, { hashtags: { seen: {}, used: {} }, hashtagPageMs: {}, hashtagPairs: {}, ...hashtags });

const days: DayRecord[] = [
  tagged('2026-11-24', {
    hashtags: { seen: { sourdough: 5, café: 2, bread: 1 }, used: {} },
    hashtagPageMs: { sourdough: 30_000 },
    hashtagPairs: { 'bread sourdough': 1, 'café sourdough': 2 },
  }),
  tagged('2026-11-22', {
    hashtags: { seen: { café: 4, bread: 1 }, used: { sourdough: 1 } },
    hashtagPairs: { 'bread sourdough': 2, 'bread café': 4 },
  }),
  // In the period before the last 7 days.
  tagged('2026-11-12', { hashtags: { seen: { sourdough: 2 }, used: {} } }),
];

function rowsOf(testId: string): string[][] {
  return [...screen.getByTestId(testId).querySelectorAll('tbody tr')].map((row) =>
    [...row.querySelectorAll('th, td')].map((cell) => cell.textContent ?? ''),
  );
}

/** The page, keeping its period like the options page does. */
function Kept({ tag, initial }: { tag: string; initial: PeriodSelection }) {
  const [selection, setSelection] = useState(initial);
  return <TagPage db={db} tag={tag} selection={selection} onSelect={setSelection} today={today} />;
}

async function openTag(tag: string, initial: PeriodSelection = { kind: 'last-7' }) {
  render(<Kept tag={tag} initial={initial} />);
  await screen.findByTestId('tag-totals');
}

describe('a hashtag’s page', () => {
  it('shows its totals over the period, against the period before', async () => {
    await db.days.bulkPut(days);
    await openTag('sourdough');
    expect(screen.getByRole('heading', { level: 2 }).textContent).toBe('#sourdough');
    expect(screen.getByTestId('tag-seen').textContent).toBe('5');
    expect(screen.getByTestId('tag-seen-change').textContent).toBe('▲ +3 (+150%) vs 2 the period before');
    expect(screen.getByTestId('tag-used').textContent).toBe('1');
    expect(screen.getByTestId('tag-page-time').textContent).toBe('30 sec');
    expect(screen.getByTestId('tag-days').textContent).toBe('1');
    expect(screen.getByRole('link', { name: 'Back to the dashboard' }).getAttribute('href')).toBe('#dashboard');
  });

  it('has its trend per day as a table, each date a link to its page', async () => {
    await db.days.bulkPut(days);
    await openTag('sourdough');
    const trend = rowsOf('trend-table');
    expect(trend).toHaveLength(7);
    expect(trend.slice(0, 3)).toEqual([
      ['Tue, Nov 24, 2026', '5', '0', '30 sec'],
      ['Mon, Nov 23, 2026', '0', '0', '0 min'],
      ['Sun, Nov 22, 2026', '0', '1', '0 min'],
    ]);
    expect(
      within(screen.getByTestId('trend-table')).getByRole('link', { name: 'Tue, Nov 24, 2026' }).getAttribute('href'),
    ).toBe('#day/2026-11-24');
  });

  it('lists the tags seen on the same posts, each a link to its own page', async () => {
    await db.days.bulkPut(days);
    await openTag('sourdough');
    expect(rowsOf('cooccurrence-table')).toEqual([
      ['#bread', '3'],
      ['#café', '2'],
    ]);
    expect(
      within(screen.getByTestId('cooccurrence-table')).getByRole('link', { name: '#café' }).getAttribute('href'),
    ).toBe('#tag/caf%C3%A9');
  });

  it('lists the days it was seen, newest first', async () => {
    await db.days.bulkPut(days);
    await openTag('café');
    const items = [...screen.getByTestId('tag-dates').querySelectorAll('li')];
    expect(items.map((item) => item.textContent)).toEqual(['Tue, Nov 24, 2026 2 posts', 'Sun, Nov 22, 2026 4 posts']);
    expect(items[1]?.querySelector('a')?.getAttribute('href')).toBe('#day/2026-11-22');
  });

  it('follows the period chosen on it', async () => {
    await db.days.bulkPut(days);
    await openTag('sourdough');
    fireEvent.click(screen.getByTestId('period-last-30'));
    await waitFor(() => expect(screen.getByTestId('tag-seen').textContent).toBe('7'));
    expect(screen.getByTestId('tag-days').textContent).toBe('2');
    expect(rowsOf('trend-table')).toHaveLength(30);
  });

  it('says when the tag was not seen in the period', async () => {
    await db.days.bulkPut(days);
    await openTag('nowhere');
    expect((await screen.findByTestId('tag-not-seen')).textContent?.replace(/\s/g, ' ')).toBe(
      '#nowhere was not seen in this period (Nov 18 – 24, 2026).',
    );
    expect(screen.queryByTestId('trend-table')).toBeNull();
  });

  it('says when a tag is seen with no other', async () => {
    await db.days.put(tagged('2026-11-24', { hashtags: { seen: { crumb: 2 }, used: {} } }));
    await openTag('crumb');
    expect(screen.getByTestId('cooccurrence-empty').textContent).toBe(
      'No other tag was seen on the same posts as #crumb in this period.',
    );
  });
});
