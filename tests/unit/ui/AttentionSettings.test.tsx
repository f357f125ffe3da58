// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AttentionSettings } from '../../../src/options/AttentionSettings';
import { pageDatabaseOptions, SmartTagsDatabase } from '../../../src/shared/storage/db';
import { BackgroundError } from '../../../src/shared/ui/background';
import { fakeBackground, renderWithBackground } from './support';

vi.mock('webextension-polyfill', () => ({ default: {} }));

let db: SmartTagsDatabase;
beforeEach(() => {
  db = new SmartTagsDatabase(`test-${crypto.randomUUID()}`, { ...pageDatabaseOptions, fixtureWrites: true });
});
afterEach(async () => {
  cleanup();
  await db.delete();
});

function field(name: 'idle-seconds' | 'passive-seconds'): HTMLInputElement {
  const input = document.querySelector(`input[name="${name}"]`);
  if (!(input instanceof HTMLInputElement)) throw new Error(`No input named ${name}.`);
  return input;
}

async function renderSettings(background = fakeBackground(undefined, { 'settings.set': () => undefined })) {
  renderWithBackground(background, <AttentionSettings db={db} />);
  await waitFor(() => expect(document.querySelector('[aria-busy="true"]')).toBeNull());
  return background;
}

describe('AttentionSettings', () => {
  it('explains what counts as attention and labels both limits', async () => {
    await renderSettings();
    const text = document.body.textContent ?? '';
    expect(text).toContain('the Instagram tab is visible and its window is focused');
    expect(text).toContain('a reel, a story or a video post');
    expect(text).toContain('while the computer sleeps, that time is not counted');
    expect(screen.getByLabelText('Stop counting after this many seconds without input')).toBe(field('idle-seconds'));
    expect(
      screen.getByLabelText('Stop counting after this many seconds without input while a video is on screen'),
    ).toBe(field('passive-seconds'));
    expect([field('idle-seconds').min, field('idle-seconds').max]).toEqual(['10', '600']);
    expect([field('passive-seconds').min, field('passive-seconds').max]).toEqual(['30', '1800']);
  });

  it('shows the defaults when nothing is stored, and stored values live', async () => {
    await renderSettings();
    expect(field('idle-seconds').value).toBe('60');
    expect(field('passive-seconds').value).toBe('180');
    await db.settings.put({
      id: 'current',
      retentionDays: null,
      idleSeconds: 45,
      passiveSeconds: 600,
      pausedUntil: null,
    });
    await waitFor(() => expect(field('idle-seconds').value).toBe('45'));
    expect(field('passive-seconds').value).toBe('600');
  });

  it('shows the defaults for settings stored before the limits existed', async () => {
    // A record from an older version: only retentionDays.
    await db.settings.put({ id: 'current', retentionDays: 30 } as never);
    await renderSettings();
    expect(field('idle-seconds').value).toBe('60');
    expect(field('passive-seconds').value).toBe('180');
  });

  it('sends a valid change of either limit, on change only, and says it was saved', async () => {
    const background = await renderSettings();
    fireEvent.input(field('idle-seconds'), { target: { value: '12' } });
    fireEvent.input(field('idle-seconds'), { target: { value: '120' } });
    expect(background.sent('settings.set')).toEqual([]);
    fireEvent.change(field('idle-seconds'), { target: { value: '120' } });
    const saved = await screen.findByTestId('attention-saved');
    expect(saved.closest('[role="status"]')).not.toBeNull();
    expect(field('idle-seconds').value).toBe('120');

    fireEvent.change(field('passive-seconds'), { target: { value: '900' } });
    await waitFor(() => expect(background.sent('settings.set')).toHaveLength(2));
    expect(background.sent('settings.set')).toEqual([
      { type: 'settings.set', idleSeconds: 120 },
      { type: 'settings.set', passiveSeconds: 900 },
    ]);
    expect(screen.queryByTestId('attention-error')).toBeNull();
  });

  it.each([
    ['idle-seconds', '5', 'Without input: enter a whole number of seconds from 10 to 600.'],
    ['idle-seconds', '9999', 'Without input: enter a whole number of seconds from 10 to 600.'],
    ['idle-seconds', '12.5', 'Without input: enter a whole number of seconds from 10 to 600.'],
    ['idle-seconds', '', 'Without input: enter a whole number of seconds from 10 to 600.'],
    ['passive-seconds', '5', 'While a video is on screen: enter a whole number of seconds from 30 to 1800.'],
    ['passive-seconds', '9999', 'While a video is on screen: enter a whole number of seconds from 30 to 1800.'],
    ['passive-seconds', '12.5', 'While a video is on screen: enter a whole number of seconds from 30 to 1800.'],
    ['passive-seconds', '', 'While a video is on screen: enter a whole number of seconds from 30 to 1800.'],
  ] as const)('refuses %s = “%s” and sends nothing', async (name, value, message) => {
    const background = await renderSettings();
    fireEvent.change(field(name), { target: { value } });
    const error = await screen.findByTestId('attention-error');
    expect(error.getAttribute('role')).toBe('alert');
    expect(error.textContent).toContain(message);
    expect(error.textContent).toContain('Nothing was saved.');
    expect(field(name).value).toBe(value);
    expect(field(name).getAttribute('aria-invalid')).toBe('true');
    expect(screen.queryByTestId('attention-saved')).toBeNull();
    expect(background.sent('settings.set')).toEqual([]);

    // Correcting it clears the error and saves.
    fireEvent.change(field(name), { target: { value: '300' } });
    await screen.findByTestId('attention-saved');
    expect(screen.queryByTestId('attention-error')).toBeNull();
    expect(background.sent('settings.set')).toHaveLength(1);
  });

  it('shows the background’s error and the value that is still stored', async () => {
    const background = fakeBackground(undefined, {
      'settings.set': () => {
        throw new BackgroundError('internal', 'The setting could not be saved.');
      },
    });
    await renderSettings(background);
    fireEvent.change(field('passive-seconds'), { target: { value: '240' } });
    const error = await screen.findByTestId('attention-error');
    expect(error.textContent).toBe('The setting could not be saved.');
    expect(error.getAttribute('role')).toBe('alert');
    expect(background.sent('settings.set')).toEqual([{ type: 'settings.set', passiveSeconds: 240 }]);
    await waitFor(() => expect(field('passive-seconds').value).toBe('180'));
    expect(screen.queryByTestId('attention-saved')).toBeNull();
  });

  it('never writes the database itself', async () => {
    await renderSettings();
    fireEvent.change(field('idle-seconds'), { target: { value: '90' } });
    await screen.findByTestId('attention-saved');
    expect(await db.settings.get('current')).toBeUndefined();
  });
});
