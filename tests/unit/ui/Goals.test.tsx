// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Goals } from '../../../src/options/Goals';
import { addDays, localToday } from '../../../src/shared/domain/dates';
import { withSurfaceLimits } from '../../../src/shared/domain/goals';
import { pageDatabaseOptions, SmartTagsDatabase } from '../../../src/shared/storage/db';
import { defaultSettings, settingsRecord } from '../../../src/shared/storage/records';
import { BackgroundError } from '../../../src/shared/ui/background';
import { setTestLanguage } from '../helpers/i18n';
import { makeDay } from '../helpers/records';
import { checkbox, fakeBackground, renderWithBackground } from './support';

/** The browser's permissions API: whether notifications are granted, what the person answers, who listens. */
const permissions = vi.hoisted(() => {
  const listeners = { added: new Set<() => void>(), removed: new Set<() => void>() };
  const event = (set: Set<() => void>) => ({
    addListener: (listener: () => void) => set.add(listener),
    removeListener: (listener: () => void) => set.delete(listener),
  });
  return {
    granted: false,
    listeners,
    contains: vi.fn<(request: { permissions: string[] }) => Promise<boolean>>(),
    request: vi.fn<(request: { permissions: string[] }) => Promise<boolean>>(),
    remove: vi.fn<(request: { permissions: string[] }) => Promise<boolean>>(),
    onAdded: event(listeners.added),
    onRemoved: event(listeners.removed),
  };
});
vi.mock('webextension-polyfill', () => ({ default: { permissions } }));

/** The person's answer to the prompt; granting fires onAdded, as browsers do. */
function answerPrompt(grant: boolean) {
  permissions.request.mockReset().mockImplementation(async () => {
    if (grant && !permissions.granted) {
      permissions.granted = true;
      for (const listener of permissions.listeners.added) listener();
    }
    return grant;
  });
}

let db: SmartTagsDatabase;
beforeEach(() => {
  db = new SmartTagsDatabase(`test-${crypto.randomUUID()}`, { ...pageDatabaseOptions, fixtureWrites: true });
  permissions.granted = false;
  permissions.contains.mockReset().mockImplementation(async () => permissions.granted);
  answerPrompt(true);
  permissions.remove.mockReset().mockImplementation(async () => {
    permissions.granted = false;
    for (const listener of permissions.listeners.removed) listener();
    return true;
  });
});
afterEach(async () => {
  cleanup();
  await db.delete();
});

/** A background whose settings.set stores the change as the real one does (surface goals merged), so the page follows it. */
function settingsBackground() {
  return fakeBackground(undefined, {
    'settings.set': async ({ type: _type, surfaceLimitsMinutes, ...change }) => {
      const current = settingsRecord.parse({ ...defaultSettings, ...(await db.settings.get('current')) });
      const surfaces =
        surfaceLimitsMinutes === undefined
          ? {}
          : { surfaceLimitsMinutes: withSurfaceLimits(current.surfaceLimitsMinutes ?? {}, surfaceLimitsMinutes) };
      await db.settings.put(settingsRecord.parse({ ...current, ...change, ...surfaces }));
    },
  });
}

async function renderGoals(background = settingsBackground()) {
  renderWithBackground(background, <Goals db={db} />);
  await waitFor(() => expect(document.querySelector('[aria-busy="true"]')).toBeNull());
  await screen.findByTestId('reminders-permission');
  return background;
}

function field(name: string): HTMLInputElement {
  const input = document.querySelector(`input[name="${name}"]`);
  if (!(input instanceof HTMLInputElement)) throw new Error(`No input named ${name}.`);
  return input;
}
function select(name: string): HTMLSelectElement {
  const element = document.querySelector(`select[name="${name}"]`);
  if (!(element instanceof HTMLSelectElement)) throw new Error(`No select named ${name}.`);
  return element;
}

const daily = () => checkbox('reminder-daily-limit');
const takeABreak = () => checkbox('reminder-break');
const reels = () => checkbox('goal-reels');
const reelNudge = () => checkbox('goal-reel-nudge');
const weekly = () => checkbox('weekly-report');
const permissionText = () => screen.getByTestId('reminders-permission').textContent;

describe('Goals', () => {
  it('labels every control, starts with everything off and offers sensible values', async () => {
    await renderGoals();
    const text = document.body.textContent ?? '';
    expect(text).toContain('nothing is ever blocked');
    expect(screen.getByLabelText('Remind me when my Instagram time today passes a daily limit')).toBe(daily());
    expect(screen.getByLabelText('Daily limit')).toBe(field('daily-limit-minutes'));
    expect(screen.getByLabelText('Reels')).toBe(reels());
    expect(screen.getByLabelText('Daily limit for Reels')).toBe(field('goal-reels-minutes'));
    expect(screen.getByLabelText('Daily limit for Stories')).toBe(field('goal-stories-minutes'));
    expect(screen.getByLabelText('Nudge me after many reels in a row')).toBe(reelNudge());
    expect(screen.getByLabelText('Reels in a row')).toBe(field('reel-nudge-count'));
    expect(screen.getByLabelText('Remind me to take a break')).toBe(takeABreak());
    expect(screen.getByLabelText('Notify me of my weekly report')).toBe(weekly());
    expect(screen.getByLabelText('Day')).toBe(select('weekly-report-weekday'));
    expect(screen.getByLabelText('Time')).toBe(select('weekly-report-hour'));
    const boxes = [...document.querySelectorAll<HTMLInputElement>('input[type="checkbox"]')];
    expect(boxes.length).toBe(13); // overall, 9 surfaces, reels in a row, break, weekly report
    expect(boxes.every((box) => !box.checked)).toBe(true);
    expect(field('goal-reels-minutes').value).toBe('20');
    expect(field('goal-feed-minutes').value).toBe('30');
    expect(field('reel-nudge-count').value).toBe('20');
    expect([field('reel-nudge-count').min, field('reel-nudge-count').max]).toEqual(['5', '500']);
    // Monday, 9 in the morning, as the browser's language writes them.
    expect(select('weekly-report-weekday').selectedOptions[0]?.textContent).toBe('Monday');
    expect(select('weekly-report-hour').selectedOptions[0]?.textContent).toBe('9 AM');
    expect(select('weekly-report-weekday').options).toHaveLength(7);
    expect(select('weekly-report-hour').options).toHaveLength(24);
    expect(screen.getByTestId('goals-streak').textContent).toBe(
      'Set a daily limit, overall or for one part of Instagram, to start a streak of days kept within your goals.',
    );
    expect(permissionText()).toBe('Your browser does not let smartTags show notifications. ');
  });

  it('sets a reels goal: the permission asked for in the same click, then that surface alone sent', async () => {
    const background = await renderGoals();
    fireEvent.input(field('goal-reels-minutes'), { target: { value: '15' } });
    fireEvent.click(reels());
    expect(permissions.request).toHaveBeenCalledWith({ permissions: ['notifications'] });
    await screen.findByTestId('reminders-saved');
    expect(background.sent('settings.set')).toEqual([{ type: 'settings.set', surfaceLimitsMinutes: { reels: 15 } }]);
    await waitFor(() => expect(reels().checked).toBe(true));
    expect((await db.settings.get('current'))?.surfaceLimitsMinutes).toEqual({ reels: 15 });
    // Another surface's goal leaves this one as it is.
    fireEvent.click(checkbox('goal-stories'));
    await waitFor(() => expect(background.sent('settings.set')).toHaveLength(2));
    await waitFor(async () =>
      expect((await db.settings.get('current'))?.surfaceLimitsMinutes).toEqual({ reels: 15, stories: 30 }),
    );
  });

  it('turns the reels-in-a-row nudge on with its count, and refuses a count out of range', async () => {
    const background = await renderGoals();
    fireEvent.input(field('reel-nudge-count'), { target: { value: '3' } });
    fireEvent.click(reelNudge());
    const error = await screen.findByTestId('reminders-error');
    expect(error.textContent).toBe('Reels in a row: enter a whole number from 5 to 500. Nothing was saved.');
    expect(field('reel-nudge-count').getAttribute('aria-invalid')).toBe('true');
    expect(permissions.request).not.toHaveBeenCalled();
    fireEvent.input(field('reel-nudge-count'), { target: { value: '25' } });
    fireEvent.click(reelNudge());
    await screen.findByTestId('reminders-saved');
    expect(background.sent('settings.set')).toEqual([{ type: 'settings.set', reelNudgeCount: 25 }]);
  });

  it('turns the weekly report on at the chosen day and hour, and changes them while on', async () => {
    const background = await renderGoals();
    fireEvent.change(select('weekly-report-weekday'), { target: { value: '7' } });
    fireEvent.change(select('weekly-report-hour'), { target: { value: '18' } });
    expect(background.sent('settings.set')).toEqual([]);
    fireEvent.click(weekly());
    expect(permissions.request).toHaveBeenCalledWith({ permissions: ['notifications'] });
    await screen.findByTestId('reminders-saved');
    expect(background.sent('settings.set')).toEqual([
      { type: 'settings.set', weeklyReport: { enabled: true, weekday: 7, hour: 18 } },
    ]);
    await waitFor(() => expect(weekly().checked).toBe(true));
    fireEvent.change(select('weekly-report-weekday'), { target: { value: '2' } });
    await waitFor(() => expect(background.sent('settings.set')).toHaveLength(2));
    expect(background.sent('settings.set')[1]).toEqual({
      type: 'settings.set',
      weeklyReport: { enabled: true, weekday: 2, hour: 18 },
    });
    await waitFor(() => expect(select('weekly-report-weekday').value).toBe('2'));
  });

  it('turns the weekly report off keeping its time, and gives the permission back once nothing is on', async () => {
    permissions.granted = true;
    await db.settings.put({
      ...defaultSettings,
      surfaceLimitsMinutes: { reels: 20 },
      weeklyReport: { enabled: true, weekday: 3, hour: 7 },
    });
    const background = await renderGoals();
    expect([weekly().checked, reels().checked]).toEqual([true, true]);
    fireEvent.click(weekly());
    await waitFor(() =>
      expect(background.sent('settings.set')).toEqual([
        { type: 'settings.set', weeklyReport: { enabled: false, weekday: 3, hour: 7 } },
      ]),
    );
    await waitFor(() => expect(weekly().checked).toBe(false));
    expect(select('weekly-report-weekday').value).toBe('3');
    expect(permissions.remove).not.toHaveBeenCalled();
    fireEvent.click(reels());
    await waitFor(() => expect(permissions.remove).toHaveBeenCalledWith({ permissions: ['notifications'] }));
    expect(background.sent('settings.set')[1]).toEqual({ type: 'settings.set', surfaceLimitsMinutes: { reels: null } });
  });

  it('leaves a goal off and says so when the browser’s permission is declined', async () => {
    answerPrompt(false);
    const background = await renderGoals();
    fireEvent.click(reels());
    const error = await screen.findByTestId('reminders-error');
    expect(error.textContent).toBe('Your browser did not allow notifications, so the limit for Reels stays off.');
    expect(reels().checked).toBe(false);
    expect(reels().getAttribute('aria-describedby')).toContain(error.querySelector('p')?.id);
    fireEvent.click(weekly());
    await waitFor(() =>
      expect(screen.getByTestId('reminders-error').textContent).toBe(
        'Your browser did not allow notifications, so the weekly report’s notification stays off.',
      ),
    );
    expect(background.sent('settings.set')).toEqual([]);
  });

  it('saves a new number at once while on, and keeps one for later while off', async () => {
    permissions.granted = true;
    await db.settings.put({ ...defaultSettings, dailyLimitMinutes: 30 });
    const background = await renderGoals();
    fireEvent.change(field('daily-limit-minutes'), { target: { value: '90' } });
    await screen.findByTestId('reminders-saved');
    fireEvent.change(field('break-after-minutes'), { target: { value: '20' } });
    expect(background.sent('settings.set')).toEqual([{ type: 'settings.set', dailyLimitMinutes: 90 }]);
    fireEvent.click(takeABreak());
    await waitFor(() => expect(background.sent('settings.set')).toHaveLength(2));
    expect(background.sent('settings.set')[1]).toEqual({ type: 'settings.set', breakAfterMinutes: 20 });
  });

  it('shows the streak of days within the goals, today’s state and the best', async () => {
    const today = localToday();
    await db.settings.put({ ...defaultSettings, dailyLimitMinutes: 60 });
    await db.days.bulkPut([
      makeDay(addDays(today, -6), 30 * 60_000),
      makeDay(addDays(today, -5), 30 * 60_000),
      makeDay(addDays(today, -4), 30 * 60_000),
      makeDay(addDays(today, -3), 90 * 60_000),
      makeDay(addDays(today, -1), 10 * 60_000),
      makeDay(today, 20 * 60_000),
    ]);
    await renderGoals();
    await waitFor(() => expect(screen.getByTestId('goals-streak-current').textContent).toBe('3 days'));
    expect(screen.getByTestId('goals-streak-best').textContent).toBe('3 days');
    expect(screen.getByTestId('goals-streak-today').textContent).toContain('Today is within your limits so far');
    // Today goes over: the streak is lost at once, the best stays.
    await db.days.put(makeDay(today, 61 * 60_000));
    await waitFor(() => expect(screen.getByTestId('goals-streak-current').textContent).toBe('0 days'));
    expect(screen.getByTestId('goals-streak-best').textContent).toBe('3 days');
    expect(screen.getByTestId('goals-streak-today').textContent).toContain('Today went over a limit');
  });

  it('shows the background’s error and leaves the stored choice as it was', async () => {
    const background = fakeBackground(undefined, {
      'settings.set': () => {
        throw new BackgroundError('internal', 'The setting could not be saved.');
      },
    });
    await renderGoals(background);
    fireEvent.click(reelNudge());
    const error = await screen.findByTestId('reminders-error');
    expect(error.textContent).toBe('The setting could not be saved.');
    await waitFor(() => expect(reelNudge().checked).toBe(false));
  });

  it('speaks the browser’s language', async () => {
    setTestLanguage('fr');
    await db.settings.put({ ...defaultSettings, surfaceLimitsMinutes: { reels: 20 } });
    await renderGoals();
    expect(screen.getByLabelText('Limite quotidienne pour Reels')).toBe(field('goal-reels-minutes'));
    expect(screen.getByLabelText('Me prévenir après de nombreux reels d’affilée')).toBe(reelNudge());
    expect(select('weekly-report-weekday').selectedOptions[0]?.textContent).toBe('lundi');
    expect(select('weekly-report-hour').selectedOptions[0]?.textContent).toBe('09 h');
    await waitFor(() => expect(screen.getByTestId('goals-streak-current').textContent).toBe('0 jour'));
  });

  it('never writes the database itself', async () => {
    await renderGoals(fakeBackground(undefined, { 'settings.set': () => undefined }));
    fireEvent.click(reels());
    fireEvent.click(weekly());
    await screen.findByTestId('reminders-saved');
    expect(await db.settings.get('current')).toBeUndefined();
  });
});
