// @vitest-environment happy-dom
import { cleanup, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DayPage } from '../../../src/options/dashboard/DayPage';
import { pageDatabaseOptions, SmartTagsDatabase } from '../../../src/shared/storage/db';
import { setTestLanguage } from '../helpers/i18n';
import { makeDay, makeSnapshot } from '../helpers/records';

// The day's correction asks the background; these tests never do, but the polyfill refuses to load outside an
// extension.
vi.mock('webextension-polyfill', () => ({ default: {} }));

const today = '2026-11-24';

let db: SmartTagsDatabase;
beforeEach(() => {
  db = new SmartTagsDatabase(`test-${crypto.randomUUID()}`, { ...pageDatabaseOptions, fixtureWrites: true });
});
afterEach(async () => {
  cleanup();
  await db.delete();
});

function rowsOf(testId: string): string[][] {
  return [...screen.getByTestId(testId).querySelectorAll('tbody tr')].map((row) =>
    [...row.querySelectorAll('th, td')].map((cell) => cell.textContent ?? ''),
  );
}

async function openDay(date: string) {
  render(<DayPage db={db} date={date} today={today} />);
  await waitFor(() => expect(document.querySelector('[aria-busy="true"]')).toBeNull());
}

const hours = Array.from({ length: 24 }, () => 0);
hours[8] = 900_000;
hours[20] = 2_400_000;
const busyDay = makeDay('2026-11-22', 3_300_000, {
  surfaces: { ...makeDay('2026-11-22').surfaces, feed: 1_200_000, reels: 2_100_000 },
  passiveSurfaces: { reels: 600_000 },
  hours,
  sessions: 3,
  views: { posts: 40, reels: 12, stories: 5 },
  hashtags: { seen: { sourdough: 4, café: 4, bread: 1 }, used: { baking: 1 } },
});

describe('a day’s page', () => {
  it('shows the day’s figures, active and passive apart', async () => {
    await db.days.put(busyDay);
    await openDay('2026-11-22');
    expect(screen.getByRole('heading', { level: 2 }).textContent).toBe('Sunday, November 22, 2026');
    expect(screen.getByTestId('day-total').textContent).toBe('55 min');
    expect(screen.getByTestId('day-active').textContent).toBe('45 min');
    expect(screen.getByTestId('day-passive').textContent).toBe('10 min');
    expect(screen.getByTestId('day-sessions').textContent).toBe('3');
    expect(screen.getByTestId('day-posts').textContent).toBe('40');
    expect(screen.getByTestId('day-reels').textContent).toBe('12');
    expect(screen.getByTestId('day-stories').textContent).toBe('5');
  });

  it('shows its hours and its surfaces as tables', async () => {
    await db.days.put(busyDay);
    await openDay('2026-11-22');
    const hourRows = rowsOf('day-hours-table');
    expect(hourRows).toHaveLength(24);
    expect(hourRows[8]).toEqual(['8 AM', '15 min']);
    expect(hourRows[20]).toEqual(['8 PM', '40 min']);
    expect(rowsOf('day-surfaces')).toEqual([
      ['Reels', '35 min', '25 min', '10 min'],
      ['Feed', '20 min', '20 min', '0 min'],
    ]);
  });

  it('lists the hashtags seen and used, most first, each a link to its page', async () => {
    await db.days.put(busyDay);
    await openDay('2026-11-22');
    expect(rowsOf('day-tags-seen')).toEqual([
      ['#café', '4'],
      ['#sourdough', '4'],
      ['#bread', '1'],
    ]);
    expect(rowsOf('day-tags-used')).toEqual([['#baking', '1']]);
    expect(within(screen.getByTestId('day-tags-seen')).getByRole('link', { name: '#café' }).getAttribute('href')).toBe(
      '#tag/caf%C3%A9',
    );
  });

  it('shows the account figures read that day, rounded ones marked', async () => {
    await db.days.put(busyDay);
    await db.accountSnapshots.bulkPut([
      makeSnapshot('maya.rivers', '2026-11-22', 185),
      makeSnapshot('maya.rivers', '2026-11-21'),
    ]);
    await openDay('2026-11-22');
    expect(rowsOf('day-account')).toEqual([['@maya.rivers', '185', '450', '≈ 120 (rounded)']]);
  });

  it('steps to the day before and after, and to its week’s report', async () => {
    await db.days.put(busyDay);
    await openDay('2026-11-22');
    expect(screen.getByTestId('day-previous').getAttribute('href')).toBe('#day/2026-11-21');
    expect(screen.getByTestId('day-next').getAttribute('href')).toBe('#day/2026-11-23');
    expect(screen.getByTestId('day-week-report').getAttribute('href')).toBe('#report/2026-W47');
    cleanup();
    await openDay(today);
    // Nothing after today.
    expect(screen.queryByTestId('day-next')).toBeNull();
    expect(screen.getByTestId('day-previous').getAttribute('href')).toBe('#day/2026-11-23');
  });

  it('says when nothing was recorded that day, or that recording had not begun', async () => {
    await db.days.put(busyDay);
    await openDay('2026-11-23');
    expect(screen.getByTestId('day-empty').textContent).toBe('Nothing was recorded on this day.');
    expect(screen.queryByTestId('day-figures')).toBeNull();
    cleanup();
    await openDay('2026-11-01');
    expect(screen.getByTestId('day-empty').textContent).toBe(
      'Nothing was recorded on this day: recording began on Nov 22, 2026.',
    );
  });

  it('shows a day Instagram’s export filled, marked, without a correction (only recorded time can be corrected)', async () => {
    await db.days.put(busyDay);
    await db.importedDays.put({
      date: '2025-03-01',
      source: 'instagram-export',
      views: { posts: 7, reels: 2 },
      tagsUsed: { sourdough: 1 },
      ownPosts: 1,
      importedAt: 1,
    });
    await openDay('2025-03-01');
    expect(screen.queryByTestId('day-empty')).toBeNull();
    expect(screen.getByTestId('day-posts').textContent).toBe('7');
    expect(screen.getByTestId('day-reels').textContent).toBe('2');
    // The export has no time: only what smartTags recorded has.
    expect(screen.getByTestId('day-sessions').textContent).toBe('0');
    expect(screen.getByTestId('imported-legend').textContent).toContain('From Instagram’s export');
    expect(screen.queryByTestId('day-correct')).toBeNull();
  });

  it('offers the day’s correction', async () => {
    await db.days.put(busyDay);
    await openDay('2026-11-22');
    screen.getByTestId('day-correct').click();
    const panel = await screen.findByTestId('day-correction');
    expect(within(panel).getByTestId('remove-reels')).toBeTruthy();
  });

  it('writes its date in the UI language', async () => {
    setTestLanguage('fr');
    await db.days.put(busyDay);
    await openDay('2026-11-22');
    expect(screen.getByRole('heading', { level: 2 }).textContent).toBe('dimanche 22 novembre 2026');
  });
});
