// @vitest-environment happy-dom
import { cleanup, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WeeklyReport } from '../../../src/options/report/WeeklyReport';
import { addDays, localToday } from '../../../src/shared/domain/dates';
import { isoWeekAfter, isoWeekContaining } from '../../../src/shared/domain/weeklyReport';
import { pageDatabaseOptions, SmartTagsDatabase } from '../../../src/shared/storage/db';
import { type DayRecord, defaultSettings } from '../../../src/shared/storage/records';
import { setTestLanguage } from '../helpers/i18n';
import { makeDay, makeSnapshot } from '../helpers/records';

let db: SmartTagsDatabase;
beforeEach(() => {
  db = new SmartTagsDatabase(`test-${crypto.randomUUID()}`, { ...pageDatabaseOptions, fixtureWrites: true });
});
afterEach(async () => {
  cleanup();
  await db.delete();
});

const minute = 60_000;
// Last complete week and the one before it, whatever day the tests run.
const lastWeek = isoWeekAfter(isoWeekContaining(localToday()), -1);
const weekBefore = isoWeekAfter(lastWeek, -1);

function day(date: string, feedMinutes: number, reelsMinutes: number, seen: Record<string, number>): DayRecord {
  const record = makeDay(date, (feedMinutes + reelsMinutes) * minute, { hashtags: { seen, used: {} } });
  record.surfaces = { ...record.surfaces, feed: feedMinutes * minute, reels: reelsMinutes * minute };
  return record;
}

async function seed() {
  await db.days.bulkPut([
    day(weekBefore.first, 30, 10, { bread: 2, yoga: 5 }),
    day(lastWeek.first, 20, 25, { bread: 4, ocean: 1 }),
    day(addDays(lastWeek.first, 2), 40, 5, { bread: 3 }),
  ]);
  await db.accountSnapshots.bulkPut([
    makeSnapshot('maya.rivers', addDays(lastWeek.first, -1), 1000),
    makeSnapshot('maya.rivers', lastWeek.last, 1024),
  ]);
}

async function renderReport(week = lastWeek.isoWeek) {
  render(<WeeklyReport db={db} week={week} />);
  await waitFor(() => expect(document.querySelector('[aria-busy="true"]')).toBeNull());
}

/** A table's rows as the cells' texts. */
function rows(testId: string): string[][] {
  return [...screen.getByTestId(testId).querySelectorAll('tbody tr')].map((row) =>
    [...row.querySelectorAll('th, td')].map((cell) => cell.textContent ?? ''),
  );
}

describe('WeeklyReport', () => {
  it('shows the week against the week before as tables: time, views, surfaces, tags and followers', async () => {
    await seed();
    await renderReport();
    const heading = screen.getByRole('heading', { level: 2 });
    expect(heading.textContent).toMatch(/^Weekly report: /);
    expect(screen.getByText(/nothing is sent anywhere/)).toBeTruthy();
    const summary = rows('weekly-report-summary');
    expect(summary[0]).toEqual(['Time on Instagram', '1 hr 30 min', '40 min', '+50 min']);
    expect(summary[1]).toEqual(['Days recorded', '2', '1', '+1']);
    expect(rows('weekly-report-surfaces')).toEqual([
      ['Feed', '1 hr', '30 min', '+30 min'],
      ['Reels', '30 min', '10 min', '+20 min'],
    ]);
    expect(rows('weekly-report-top-tags')).toEqual([
      ['#bread', '7'],
      ['#ocean', '1'],
    ]);
    expect(rows('weekly-report-rising-tags')).toEqual([
      ['#bread', '7', '2', '+5'],
      ['#ocean', '1', '0', '+1'],
    ]);
    expect(rows('weekly-report-followers')).toEqual([['@maya.rivers', '1,000', '1,024', '+24']]);
    // Without goals, no goal days, and a word on how to get them.
    expect(screen.queryByTestId('weekly-report-goal-days')).toBeNull();
    expect(screen.getByText(/No goal is set/)).toBeTruthy();
    // Each table is named for assistive technology.
    const summaryTable = screen.getByTestId('weekly-report-summary');
    expect(within(summaryTable).getByText('The week against the week before').tagName).toBe('CAPTION');
  });

  it('counts the days within the goals', async () => {
    await seed();
    await db.settings.put({ ...defaultSettings, surfaceLimitsMinutes: { reels: 20 } });
    await renderReport();
    await waitFor(() => expect(screen.getByTestId('weekly-report-goal-days')).toBeTruthy());
    // Last week: one day over (25 min of reels) of seven; the week before: all seven within.
    expect(rows('weekly-report-summary').at(-1)).toEqual(['Days within your goals', '6 of 7', '7 of 7', '-1']);
  });

  it('links to the week before and, up to the current week, the week after', async () => {
    await renderReport();
    expect(screen.getByTestId('weekly-report-previous').getAttribute('href')).toBe(`#report/${weekBefore.isoWeek}`);
    expect(screen.getByTestId('weekly-report-next').getAttribute('href')).toBe(
      `#report/${isoWeekAfter(lastWeek, 1).isoWeek}`,
    );
    cleanup();
    await renderReport(isoWeekAfter(lastWeek, 1).isoWeek);
    expect(screen.queryByTestId('weekly-report-next')).toBeNull();
  });

  it('says so clearly when nothing was recorded in either week', async () => {
    await renderReport();
    expect(screen.getByTestId('weekly-report-empty').textContent).toBe(
      'Nothing was recorded in this week or the week before.',
    );
    expect(screen.queryByTestId('weekly-report-summary')).toBeNull();
  });

  it('says what is missing when the week has no tags or followers counts', async () => {
    await db.days.put(day(lastWeek.first, 10, 0, {}));
    await renderReport();
    expect(screen.getByTestId('weekly-report-top-tags-empty').textContent).toBe('No tag was seen this week.');
    expect(screen.getByTestId('weekly-report-rising-tags-empty').textContent).toBe(
      'No tag was seen more than the week before.',
    );
    expect(screen.getByTestId('weekly-report-followers-empty').textContent).toContain('No followers count was read');
  });

  it('explains a link that names no week, and offers last week’s report', async () => {
    await renderReport('2026-W99');
    const alert = screen.getByTestId('weekly-report-invalid');
    expect(alert.getAttribute('role')).toBe('alert');
    expect(alert.textContent).toContain('“2026-W99” names no week');
    expect(within(alert).getByRole('link').getAttribute('href')).toBe(`#report/${lastWeek.isoWeek}`);
  });

  it('speaks the browser’s language', async () => {
    setTestLanguage('fr');
    await seed();
    await renderReport();
    expect(screen.getByRole('heading', { level: 2 }).textContent).toMatch(/^Bilan hebdomadaire\u00a0: /);
    expect(rows('weekly-report-followers')).toEqual([['@maya.rivers', '1\u202f000', '1\u202f024', '+24']]);
  });
});
