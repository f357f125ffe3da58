// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Reminders } from '../../../src/options/Reminders';
import { pageDatabaseOptions, SmartTagsDatabase } from '../../../src/shared/storage/db';
import { defaultSettings, settingsRecord } from '../../../src/shared/storage/records';
import { BackgroundError } from '../../../src/shared/ui/background';
import { setTestLanguage } from '../helpers/i18n';
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

/** A background whose settings.set stores the change as the real one does, so the page follows it live. */
function settingsBackground() {
  return fakeBackground(undefined, {
    'settings.set': async ({ type: _type, ...change }) => {
      const current = settingsRecord.parse({ ...defaultSettings, ...(await db.settings.get('current')) });
      await db.settings.put(settingsRecord.parse({ ...current, ...change }));
    },
  });
}

async function renderReminders(background = settingsBackground()) {
  renderWithBackground(background, <Reminders db={db} />);
  await waitFor(() => expect(document.querySelector('[aria-busy="true"]')).toBeNull());
  await screen.findByTestId('reminders-permission');
  return background;
}

function minutes(name: 'daily-limit-minutes' | 'break-after-minutes'): HTMLInputElement {
  const input = document.querySelector(`input[name="${name}"]`);
  if (!(input instanceof HTMLInputElement)) throw new Error(`No input named ${name}.`);
  return input;
}

const daily = () => checkbox('reminder-daily-limit');
const takeABreak = () => checkbox('reminder-break');
const permissionText = () => screen.getByTestId('reminders-permission').textContent;

describe('Reminders', () => {
  it('explains reminders, labels every control, and starts with both off', async () => {
    await renderReminders();
    const text = document.body.textContent ?? '';
    expect(text).toContain('They never block anything or close a tab.');
    expect(text).toContain('One reminder a day, the first time today’s time passes the limit.');
    expect(text).toContain('A break is five minutes or more away from Instagram; shorter pauses do not count.');
    expect(screen.getByLabelText('Remind me when my Instagram time today passes a daily limit')).toBe(daily());
    expect(screen.getByLabelText('Remind me to take a break')).toBe(takeABreak());
    expect(screen.getByLabelText('Daily limit')).toBe(minutes('daily-limit-minutes'));
    expect(screen.getByLabelText('After this much Instagram without a break')).toBe(minutes('break-after-minutes'));
    expect([daily().checked, takeABreak().checked]).toEqual([false, false]);
    expect(minutes('daily-limit-minutes').value).toBe('60');
    expect(minutes('break-after-minutes').value).toBe('30');
    expect([minutes('daily-limit-minutes').min, minutes('daily-limit-minutes').max]).toEqual(['5', '1440']);
    expect([minutes('break-after-minutes').min, minutes('break-after-minutes').max]).toEqual(['10', '240']);
    expect(permissionText()).toBe('Your browser does not let smartTags show notifications. ');
  });

  it('asks for the notifications permission in the same click, then turns the reminder on', async () => {
    const background = await renderReminders();
    fireEvent.input(minutes('daily-limit-minutes'), { target: { value: '45' } });
    fireEvent.click(daily());
    // Synchronously, before anything awaited: otherwise the browser would not show its prompt.
    expect(permissions.request).toHaveBeenCalledWith({ permissions: ['notifications'] });
    await screen.findByTestId('reminders-saved');
    expect(background.sent('settings.set')).toEqual([{ type: 'settings.set', dailyLimitMinutes: 45 }]);
    await waitFor(() => expect(permissionText()).toContain('Your browser lets smartTags show notifications.'));
    expect(daily().checked).toBe(true);
    expect(minutes('daily-limit-minutes').value).toBe('45');
    expect(screen.queryByTestId('reminders-error')).toBeNull();
  });

  it('leaves the reminder off and says so when the browser’s permission is declined', async () => {
    answerPrompt(false);
    const background = await renderReminders();
    fireEvent.click(takeABreak());
    const error = await screen.findByTestId('reminders-error');
    expect(error.getAttribute('role')).toBe('alert');
    expect(error.textContent).toBe('Your browser did not allow notifications, so the take a break reminder stays off.');
    expect(takeABreak().checked).toBe(false);
    expect(takeABreak().getAttribute('aria-describedby')).toContain(error.querySelector('p')?.id);
    expect(background.sent('settings.set')).toEqual([]);
    expect(screen.queryByTestId('reminders-saved')).toBeNull();
  });

  it('says so when the browser cannot ask at all', async () => {
    permissions.request.mockReset().mockRejectedValue(new Error('Permission request needs a user gesture'));
    const background = await renderReminders();
    fireEvent.click(daily());
    expect((await screen.findByTestId('reminders-error')).textContent).toBe(
      'The browser could not ask for permission to show notifications (Permission request needs a user gesture). ' +
        'Nothing was changed.',
    );
    expect(daily().checked).toBe(false);
    expect(background.sent('settings.set')).toEqual([]);
  });

  it.each([
    [
      'daily-limit-minutes',
      '4',
      'reminder-daily-limit',
      'Daily limit: enter a whole number of minutes from 5 to 1440.',
    ],
    [
      'daily-limit-minutes',
      '1441',
      'reminder-daily-limit',
      'Daily limit: enter a whole number of minutes from 5 to 1440.',
    ],
    [
      'break-after-minutes',
      '7.5',
      'reminder-break',
      'After this much Instagram without a break: enter a whole number of minutes from 10 to 240.',
    ],
    [
      'break-after-minutes',
      '',
      'reminder-break',
      'After this much Instagram without a break: enter a whole number of minutes from 10 to 240.',
    ],
  ] as const)(
    'refuses %s = “%s”: no prompt, nothing sent, the reminder stays off',
    async (name, value, toggle, message) => {
      const background = await renderReminders();
      fireEvent.input(minutes(name), { target: { value } });
      fireEvent.click(checkbox(toggle));
      const error = await screen.findByTestId('reminders-error');
      expect(error.textContent).toBe(`${message} Nothing was saved.`);
      expect(minutes(name).getAttribute('aria-invalid')).toBe('true');
      expect(minutes(name).getAttribute('aria-describedby')).toContain(error.querySelector('p')?.id);
      expect(checkbox(toggle).checked).toBe(false);
      expect(permissions.request).not.toHaveBeenCalled();
      expect(background.sent('settings.set')).toEqual([]);
    },
  );

  it('saves a new number of minutes at once while on, and keeps it for later while off', async () => {
    permissions.granted = true;
    await db.settings.put({ ...defaultSettings, dailyLimitMinutes: 30 });
    const background = await renderReminders();
    expect(daily().checked).toBe(true);
    expect(minutes('daily-limit-minutes').value).toBe('30');
    fireEvent.change(minutes('daily-limit-minutes'), { target: { value: '90' } });
    await screen.findByTestId('reminders-saved');
    fireEvent.change(minutes('break-after-minutes'), { target: { value: '20' } });
    expect(background.sent('settings.set')).toEqual([{ type: 'settings.set', dailyLimitMinutes: 90 }]);
    fireEvent.click(takeABreak());
    await waitFor(() => expect(background.sent('settings.set')).toHaveLength(2));
    expect(background.sent('settings.set')[1]).toEqual({ type: 'settings.set', breakAfterMinutes: 20 });
    await waitFor(() => expect(takeABreak().checked).toBe(true));
  });

  it('turns a reminder off, and gives the permission back only once both are off', async () => {
    permissions.granted = true;
    await db.settings.put({ ...defaultSettings, dailyLimitMinutes: 30, breakAfterMinutes: 20 });
    const background = await renderReminders();
    fireEvent.click(daily());
    await waitFor(() =>
      expect(background.sent('settings.set')).toEqual([{ type: 'settings.set', dailyLimitMinutes: null }]),
    );
    await screen.findByTestId('reminders-saved');
    await waitFor(() => expect(daily().checked).toBe(false));
    expect(minutes('daily-limit-minutes').value).toBe('30');
    expect(permissions.remove).not.toHaveBeenCalled();
    fireEvent.click(takeABreak());
    await waitFor(() => expect(permissions.remove).toHaveBeenCalledWith({ permissions: ['notifications'] }));
    expect(background.sent('settings.set')[1]).toEqual({ type: 'settings.set', breakAfterMinutes: null });
    await waitFor(() => expect(permissionText()).toContain('Your browser does not let smartTags show notifications.'));
    expect(screen.queryByTestId('reminders-allow')).toBeNull();
    expect(permissions.request).not.toHaveBeenCalled();
  });

  it('warns when a reminder is on but notifications are not allowed, and asks again from a click', async () => {
    await db.settings.put({ ...defaultSettings, breakAfterMinutes: 20 });
    await renderReminders();
    expect(permissionText()).toContain('A reminder is on, but your browser does not let smartTags show notifications');
    fireEvent.click(screen.getByTestId('reminders-allow'));
    expect(permissions.request).toHaveBeenCalledWith({ permissions: ['notifications'] });
    await waitFor(() => expect(permissionText()).toContain('Your browser lets smartTags show notifications.'));
    expect(screen.queryByTestId('reminders-allow')).toBeNull();
  });

  it('follows the permission when it changes elsewhere (the browser’s own settings)', async () => {
    permissions.granted = true;
    await db.settings.put({ ...defaultSettings, dailyLimitMinutes: 30 });
    await renderReminders();
    expect(permissionText()).toContain('Your browser lets smartTags show notifications.');
    permissions.granted = false;
    for (const listener of permissions.listeners.removed) listener();
    await screen.findByTestId('reminders-allow');
  });

  it('shows the background’s error and leaves the stored choice as it was', async () => {
    const background = fakeBackground(undefined, {
      'settings.set': () => {
        throw new BackgroundError('internal', 'The setting could not be saved.');
      },
    });
    await renderReminders(background);
    fireEvent.click(daily());
    const error = await screen.findByTestId('reminders-error');
    expect(error.textContent).toBe('The setting could not be saved.');
    await waitFor(() => expect(daily().checked).toBe(false));
    expect(screen.queryByTestId('reminders-saved')).toBeNull();
  });

  it('speaks the browser’s language', async () => {
    setTestLanguage('fr');
    await renderReminders();
    expect(screen.getByLabelText('Me rappeler de faire une pause')).toBe(takeABreak());
    expect(screen.getByLabelText('Limite quotidienne')).toBe(minutes('daily-limit-minutes'));
    expect(permissionText()).toBe('Votre navigateur n’autorise pas smartTags à afficher des notifications. ');
    fireEvent.input(minutes('daily-limit-minutes'), { target: { value: '2000' } });
    fireEvent.click(daily());
    expect((await screen.findByTestId('reminders-error')).textContent).toBe(
      'Limite quotidienne\u00a0: saisissez un nombre entier de minutes entre 5 et 1440. Rien n’a été enregistré.',
    );
  });

  it('never writes the database itself', async () => {
    await renderReminders(fakeBackground(undefined, { 'settings.set': () => undefined }));
    fireEvent.click(daily());
    await screen.findByTestId('reminders-saved');
    expect(await db.settings.get('current')).toBeUndefined();
  });
});
