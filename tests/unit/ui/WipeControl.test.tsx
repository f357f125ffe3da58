// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BackgroundError } from '../../../src/shared/ui/background';
import { WipeControl } from '../../../src/shared/ui/WipeControl';
import { checkbox, fakeBackground, renderWithBackground } from './support';

vi.mock('webextension-polyfill', () => ({ default: {} }));

afterEach(() => cleanup());

function openConfirmation() {
  fireEvent.click(screen.getByTestId('wipe'));
  return screen.getByTestId('wipe-dialog');
}

describe('WipeControl', () => {
  it('asks for confirmation in the page, says what is deleted and what stays, and moves focus into it', async () => {
    renderWithBackground(fakeBackground(), <WipeControl />);
    const dialog = openConfirmation();
    expect(dialog.getAttribute('role')).toBe('dialog');
    expect(dialog.textContent).toContain('every recorded day, account snapshot and Instagram visit');
    expect(dialog.textContent).toContain('Your choices, the history of those choices and your settings stay');
    expect(checkbox('stop-recording').checked).toBe(false);
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId('wipe-cancel')));
  });

  it('cancels without deleting, returning focus to the button', async () => {
    const background = fakeBackground();
    renderWithBackground(background, <WipeControl />);
    openConfirmation();
    fireEvent.click(screen.getByTestId('wipe-cancel'));
    expect(screen.queryByTestId('wipe-dialog')).toBeNull();
    expect(document.activeElement).toBe(screen.getByTestId('wipe'));
    expect(background.calls).toEqual([]);
  });

  it('cancels on Escape', async () => {
    const background = fakeBackground();
    renderWithBackground(background, <WipeControl />);
    openConfirmation();
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId('wipe-cancel')));
    fireEvent.keyDown(screen.getByTestId('wipe-cancel'), { key: 'Escape' });
    expect(screen.queryByTestId('wipe-dialog')).toBeNull();
    expect(document.activeElement).toBe(screen.getByTestId('wipe'));
    expect(background.calls).toEqual([]);
  });

  it('deletes, keeping recording on unless asked to stop', async () => {
    const background = fakeBackground(undefined, { 'data.wipe': () => undefined });
    renderWithBackground(background, <WipeControl />);
    openConfirmation();
    fireEvent.click(screen.getByTestId('wipe-confirm'));
    expect((await screen.findByTestId('wipe-done')).textContent).toBe('All recorded data was deleted.');
    expect(background.sent('data.wipe')).toEqual([{ type: 'data.wipe', stopRecording: false }]);
    expect(screen.queryByTestId('wipe-dialog')).toBeNull();
  });

  it('also stops recording when the person ticks it', async () => {
    const background = fakeBackground(undefined, { 'data.wipe': () => undefined });
    renderWithBackground(background, <WipeControl />);
    openConfirmation();
    fireEvent.click(checkbox('stop-recording'));
    fireEvent.click(screen.getByTestId('wipe-confirm'));
    expect((await screen.findByTestId('wipe-done')).textContent).toBe(
      'All recorded data was deleted, and recording is off.',
    );
    expect(background.sent('data.wipe')).toEqual([{ type: 'data.wipe', stopRecording: true }]);
  });

  it('shows the background’s error and keeps the confirmation open', async () => {
    const background = fakeBackground(undefined, {
      'data.wipe': () => {
        throw new BackgroundError('internal', 'The data could not be deleted; nothing was changed.');
      },
    });
    renderWithBackground(background, <WipeControl />);
    openConfirmation();
    fireEvent.click(screen.getByTestId('wipe-confirm'));
    const error = await screen.findByTestId('wipe-error');
    expect(error.getAttribute('role')).toBe('alert');
    expect(error.textContent).toBe('The data could not be deleted; nothing was changed.');
    expect(screen.getByTestId('wipe-dialog')).toBeTruthy();
    expect(screen.queryByTestId('wipe-done')).toBeNull();
  });
});
