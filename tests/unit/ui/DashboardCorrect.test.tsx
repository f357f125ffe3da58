// @vitest-environment happy-dom
/**
 * Correcting a day from the dashboard's per-day table, and the passive time shown apart. The page talks to the real
 * background code (routeMessage on a background context over the same database), so a correction is applied and the
 * live dashboard follows it. Each test names the promise it protects.
 */
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { changeConsent } from '../../../src/background/consent';
import { routeMessage } from '../../../src/background/router';
import { Dashboard } from '../../../src/options/dashboard/Dashboard';
import { LocalEdits } from '../../../src/options/LocalEdits';
import type { ExtensionPageMessage } from '../../../src/shared/contracts/messages';
import { pageDatabaseOptions, SmartTagsDatabase } from '../../../src/shared/storage/db';
import type { DayRecord } from '../../../src/shared/storage/records';
import { BackgroundError } from '../../../src/shared/ui/background';
import { makeContext, own, type TestContext } from '../helpers/context';
import { makeDay } from '../helpers/records';
import { fakeBackground, renderWithBackground } from './support';

vi.mock('webextension-polyfill', () => ({ default: {} }));
// happy-dom has no canvas, so the dashboard draws no chart here; uPlot is replaced all the same.
vi.mock('uplot', () => ({
  default: Object.assign(
    vi.fn(() => ({ width: 0, setSize() {}, destroy() {} })),
    { paths: {}, tzDate: (date: Date) => date },
  ),
}));

const today = '2026-11-24';
const page = { id: own.id, url: `${own.origin}/src/options/index.html`, tab: { id: 2 }, frameId: 0 };

let context: TestContext;
let db: SmartTagsDatabase;
beforeEach(async () => {
  context = makeContext('Europe/Berlin');
  // The page's own connection to the background's database, opened the way pages open it.
  db = new SmartTagsDatabase(context.db.name, pageDatabaseOptions);
  await changeConsent(context, { usage: true }, 'onboarding');
});
afterEach(async () => {
  cleanup();
  db.close();
  await context.db.delete();
});

/** A background that applies `day.edit` with the real background code, answering as askBackground would. */
function realBackground() {
  return fakeBackground(undefined, {
    'day.edit': async (message) => {
      const reply = await routeMessage(message, page, context);
      if (!reply.ok) throw new BackgroundError(reply.error.code, reply.error.message);
      return (reply as { value: { removedMs: number } }).value;
    },
  });
}

/** 30 min of feed and 35 of reels (10 of them passive). */
const mixed = (date: string): DayRecord =>
  makeDay(date, 3_900_000, {
    surfaces: { ...makeDay(date).surfaces, feed: 1_800_000, reels: 2_100_000 },
    passiveSurfaces: { reels: 600_000 },
    sessions: 2,
  });

async function renderDashboard(background = realBackground()) {
  renderWithBackground(background, <Dashboard db={db} today={today} />);
  await screen.findByTestId('overview-table');
  fireEvent.click(screen.getByTestId('period-last-7'));
  await waitFor(() => expect(rowsOf('overview-table')).toHaveLength(7));
  return background;
}

function rowsOf(testId: string): string[][] {
  return [...screen.getByTestId(testId).querySelectorAll('tbody tr')].map((row) =>
    [...row.querySelectorAll('th, td')].map((cell) => cell.textContent ?? ''),
  );
}

async function openCorrection(date: string) {
  fireEvent.click(screen.getByTestId(`correct-${date}`));
  const panel = await screen.findByTestId('day-correction');
  await waitFor(() => expect(document.activeElement).toBe(within(panel).getByRole('heading')));
  return panel;
}

describe('passive time is shown apart (promise: the dashboard tells active from passive time)', () => {
  it('in the per-day table and, per surface, in the time by surface', async () => {
    await context.db.days.put(mixed(today));
    await renderDashboard();
    expect(rowsOf('overview-table')[0]?.slice(0, 5)).toEqual([
      'Tue, Nov 24, 2026',
      '1 hr 5 min',
      '10 min',
      '30 min',
      '35 min',
    ]);
    expect(rowsOf('surface-totals')).toEqual([
      ['Reels', '35 min', '25 min', '10 min', '54%', '—'],
      ['Feed', '30 min', '30 min', '0 min', '46%', '—'],
    ]);
  });
});

describe('correcting a day (promise: a wrong day can be corrected from the dashboard, knowingly)', () => {
  it('lists the day’s surfaces with active and passive time, with a removal each', async () => {
    await context.db.days.put(mixed(today));
    await renderDashboard();
    const panel = await openCorrection(today);
    expect(within(panel).getByRole('heading').textContent).toBe('Correct Tue, Nov 24, 2026');
    expect(screen.getByTestId(`correct-${today}`).getAttribute('aria-expanded')).toBe('true');
    expect(screen.getByTestId(`correct-${today}`).getAttribute('aria-label')).toBe('Correct Tue, Nov 24, 2026');
    expect(rowsOf('day-correction-surfaces')).toEqual([
      ['Feed', '30 min', '0 min', 'Remove this surface’s time'],
      ['Reels', '25 min', '10 min', 'Remove this surface’s time'],
    ]);
  });

  it('removes a surface’s time after a confirmation saying exactly what goes, then marks the day', async () => {
    await context.db.days.put(mixed(today));
    const background = await renderDashboard();
    const panel = await openCorrection(today);
    fireEvent.click(within(panel).getByTestId('remove-reels'));
    const dialog = screen.getByTestId('day-correction-dialog');
    expect(dialog.textContent).toContain('Remove the Reels time from Tue, Nov 24, 2026?');
    expect(dialog.textContent).toContain(
      'This removes 35 min of Reels time (25 min active, 10 min passive) from Tue, Nov 24, 2026. The day’s total becomes 30 min',
    );
    expect(dialog.textContent).toContain('This cannot be undone.');
    expect(dialog.textContent).toContain('If uploading is on, the corrected day is sent to your backend');
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId('day-correction-cancel')));

    fireEvent.click(screen.getByTestId('day-correction-confirm'));
    expect((await screen.findByTestId('day-correction-done')).textContent).toBe(
      'Removed 35 min of Reels time from Tue, Nov 24, 2026.',
    );
    expect(background.sent('day.edit')).toEqual([{ type: 'day.edit', date: today, surface: 'reels' }]);
    expect(screen.queryByTestId('day-correction-dialog')).toBeNull();
    expect(document.activeElement).toBe(within(panel).getByRole('heading'));
    // The live dashboard follows: the day is corrected and marked.
    await waitFor(() =>
      expect(rowsOf('day-correction-surfaces')).toEqual([['Feed', '30 min', '0 min', expect.any(String)]]),
    );
    expect(rowsOf('overview-table')[0]?.[0]).toBe('Tue, Nov 24, 2026 Corrected by hand');
    expect(rowsOf('overview-table')[0]?.[1]).toBe('30 min');
    expect(within(panel).getByTestId('day-correction-edits').textContent).toMatch(/^Reels: 35 min removed on /);
  });

  it('deletes the day after a confirmation; the panel stays, says so, and Escape returns focus to the row', async () => {
    await context.db.days.bulkPut([mixed(today), makeDay('2026-11-20')]);
    await renderDashboard();
    const panel = await openCorrection(today);
    fireEvent.click(within(panel).getByTestId('delete-day'));
    const dialog = screen.getByTestId('day-correction-dialog');
    expect(dialog.textContent).toContain('Delete Tue, Nov 24, 2026?');
    expect(dialog.textContent).toContain(
      'This deletes everything recorded on Tue, Nov 24, 2026: 1 hr 5 min on Instagram, with its sessions, hours, views and hashtags. Your account figures for that date stay.',
    );
    expect(dialog.textContent).toContain('This cannot be undone.');
    expect(dialog.textContent).toContain('If uploading is on and your backend holds this day, its copy is replaced');
    fireEvent.click(screen.getByTestId('day-correction-confirm'));
    expect((await screen.findByTestId('day-correction-done')).textContent).toBe(
      'Deleted Tue, Nov 24, 2026 (1 hr 5 min).',
    );
    await screen.findByTestId('day-correction-gone');
    expect(await context.db.days.get(today)).toBeUndefined();
    // The date stays in the table, marked, and can still be opened to see what was done.
    expect(rowsOf('overview-table')[0]?.slice(0, 2)).toEqual(['Tue, Nov 24, 2026 Corrected by hand', '0 min']);
    fireEvent.keyDown(within(panel).getByRole('heading'), { key: 'Escape' });
    expect(screen.queryByTestId('day-correction')).toBeNull();
    expect(document.activeElement).toBe(screen.getByTestId(`correct-${today}`));
  });

  it('keeps the panel when the last recorded day is deleted, so the outcome stays in view', async () => {
    await context.db.days.put(mixed(today));
    await renderDashboard();
    await openCorrection(today);
    fireEvent.click(screen.getByTestId('delete-day'));
    fireEvent.click(screen.getByTestId('day-correction-confirm'));
    await screen.findByTestId('dashboard-empty');
    await screen.findByTestId('day-correction-gone');
    expect(screen.getByTestId('day-correction-done').textContent).toBe('Deleted Tue, Nov 24, 2026 (1 hr 5 min).');
  });

  it('Cancel and Escape close only the confirmation and send nothing', async () => {
    await context.db.days.put(mixed(today));
    const background = await renderDashboard();
    const panel = await openCorrection(today);
    fireEvent.click(within(panel).getByTestId('remove-feed'));
    fireEvent.click(screen.getByTestId('day-correction-cancel'));
    expect(screen.queryByTestId('day-correction-dialog')).toBeNull();
    expect(document.activeElement).toBe(within(panel).getByRole('heading'));
    fireEvent.click(within(panel).getByTestId('delete-day'));
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId('day-correction-cancel')));
    fireEvent.keyDown(screen.getByTestId('day-correction-cancel'), { key: 'Escape' });
    expect(screen.queryByTestId('day-correction-dialog')).toBeNull();
    expect(screen.getByTestId('day-correction')).toBeDefined();
    expect(background.calls.filter((call: ExtensionPageMessage) => call.type === 'day.edit')).toEqual([]);
    expect(await context.db.days.get(today)).toEqual(mixed(today));
  });

  it('shows that it is busy, sends once however often Confirm is pressed, and shows a refusal', async () => {
    await context.db.days.put(mixed(today));
    let answer: (reply: never) => void = () => undefined;
    const background = fakeBackground(undefined, {
      'day.edit': () =>
        new Promise((_resolve, reject) => {
          answer = () => reject(new BackgroundError('not-found', 'Nothing is recorded on 2026-11-24.'));
        }),
    });
    await renderDashboard(background);
    await openCorrection(today);
    fireEvent.click(screen.getByTestId('delete-day'));
    fireEvent.click(screen.getByTestId('day-correction-confirm'));
    await waitFor(() => expect(screen.getByTestId('day-correction').textContent).toContain('Correcting…'));
    fireEvent.click(screen.getByTestId('day-correction-confirm'));
    expect(background.sent('day.edit')).toHaveLength(1);
    answer(undefined as never);
    expect((await screen.findByTestId('day-correction-error')).textContent).toBe('Nothing is recorded on 2026-11-24.');
    expect(screen.getByTestId('day-correction-dialog')).toBeDefined();
  });
});

describe('the list of corrections (promise: the person sees every correction they made)', () => {
  it('lists each correction, newest first, and says when there is none', async () => {
    render(<LocalEdits db={db} />);
    await screen.findByTestId('local-edits-empty');
    await context.db.localEdits.bulkAdd([
      { at: Date.UTC(2026, 10, 25, 9), date: '2026-11-23', surface: 'reels', removedMs: 2_100_000 },
      { at: Date.UTC(2026, 10, 25, 10), date: '2026-11-22', surface: null, removedMs: 600_000 },
    ]);
    await screen.findByTestId('local-edits');
    const rows = rowsOf('local-edits');
    expect(rows.map((row) => row.slice(1))).toEqual([
      ['Sun, Nov 22, 2026', 'The whole day', '10 min'],
      ['Mon, Nov 23, 2026', 'Reels', '35 min'],
    ]);
  });
});
