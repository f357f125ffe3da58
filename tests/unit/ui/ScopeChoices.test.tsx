// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/preact';
import { useState } from 'preact/hooks';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ConsentView } from '../../../src/shared/contracts/messages';
import { noScopes, type Scopes } from '../../../src/shared/domain/consent';
import { BackgroundError } from '../../../src/shared/ui/background';
import { requestDataCollection } from '../../../src/shared/ui/dataCollection';
import { ScopeChoices } from '../../../src/shared/ui/ScopeChoices';
import { checkbox, consentView, type FakeBackground, fakeBackground, renderWithBackground } from './support';

vi.mock('webextension-polyfill', () => ({ default: {} }));
vi.mock('../../../src/shared/ui/dataCollection', () => ({ requestDataCollection: vi.fn(() => Promise.resolve(true)) }));

afterEach(() => {
  cleanup();
  vi.mocked(requestDataCollection).mockReset().mockResolvedValue(true);
});

function Deferred({ onScopes }: { onScopes: (scopes: Scopes) => void }) {
  const [scopes, setScopes] = useState<Scopes>(noScopes);
  return (
    <ScopeChoices
      mode="deferred"
      scopes={scopes}
      onChange={(next) => {
        setScopes(next);
        onScopes(next);
      }}
    />
  );
}

function Immediate({ initial }: { initial: ConsentView }) {
  const [view, setView] = useState(initial);
  return <ScopeChoices mode="immediate" source="popup" consent={view} onChange={setView} />;
}

function renderImmediate(background: FakeBackground, initial: ConsentView) {
  renderWithBackground(background, <Immediate initial={initial} />);
}

describe('ScopeChoices', () => {
  it('explains every scope, and disables a scope whose prerequisites are off, saying what it needs', () => {
    renderWithBackground(fakeBackground(), <Deferred onScopes={() => {}} />);
    for (const name of ['usage', 'account', 'uploadUsage', 'uploadAccount']) {
      expect(checkbox(`scope-${name}`).checked).toBe(false);
    }
    expect(screen.getByLabelText('Record my Instagram use')).toBe(checkbox('scope-usage'));
    expect(document.body.textContent).toContain('Nothing is recorded, and the dashboard stays empty.');
    expect(document.body.textContent).toContain(
      'The account features — your username, account stats and per-account history — do not run.',
    );
    expect(checkbox('scope-usage').disabled).toBe(false);
    expect(checkbox('scope-account').disabled).toBe(false);
    expect(checkbox('scope-uploadUsage').disabled).toBe(true);
    expect(screen.getByTestId('scope-uploadUsage-needs').textContent).toBe(
      'Needs “Record my Instagram use” to be on first.',
    );
    expect(checkbox('scope-uploadAccount').disabled).toBe(true);
    expect(screen.getByTestId('scope-uploadAccount-needs').textContent).toBe(
      'Needs “Read my Instagram account” and “Send pseudonymous usage data” to be on first.',
    );
    // The hint is read out with the checkbox, not only shown next to it.
    expect(checkbox('scope-uploadUsage').getAttribute('aria-describedby')).toContain(
      screen.getByTestId('scope-uploadUsage-needs').id,
    );
  });

  it('in deferred mode only collects the choice, and withdrawing a scope clears the scopes that need it', async () => {
    const background = fakeBackground();
    const onScopes = vi.fn();
    renderWithBackground(background, <Deferred onScopes={onScopes} />);

    fireEvent.click(checkbox('scope-usage'));
    await waitFor(() => expect(checkbox('scope-uploadUsage').disabled).toBe(false));
    expect(screen.queryByTestId('scope-uploadUsage-needs')).toBeNull();

    fireEvent.click(checkbox('scope-uploadUsage'));
    await waitFor(() => expect(checkbox('scope-uploadUsage').checked).toBe(true));
    expect(screen.getByTestId('scope-uploadAccount-needs').textContent).toBe(
      'Needs “Read my Instagram account” to be on first.',
    );

    fireEvent.click(checkbox('scope-usage'));
    await waitFor(() => expect(checkbox('scope-usage').checked).toBe(false));
    expect(checkbox('scope-uploadUsage').checked).toBe(false);
    expect(checkbox('scope-uploadUsage').disabled).toBe(true);
    expect(onScopes).toHaveBeenLastCalledWith(noScopes);
    expect(background.calls).toEqual([]);
  });

  it('in immediate mode sends each change with just that scope, and renders the background’s answer', async () => {
    const background = fakeBackground(consentView());
    renderImmediate(background, consentView());

    fireEvent.click(checkbox('scope-usage'));
    expect(await screen.findByTestId('scope-saved')).toHaveProperty(
      'textContent',
      '“Record my Instagram use” is now on.',
    );
    expect(background.sent('consent.set')).toEqual([{ type: 'consent.set', scopes: { usage: true }, source: 'popup' }]);
    expect(checkbox('scope-usage').checked).toBe(true);
    expect(checkbox('scope-uploadUsage').disabled).toBe(false);
  });

  it('shows the withdrawal cascade the background computed', async () => {
    const granted = consentView({ usage: true, account: true, uploadUsage: true, uploadAccount: true });
    const background = fakeBackground(granted);
    renderImmediate(background, granted);

    fireEvent.click(checkbox('scope-usage'));
    await waitFor(() => expect(checkbox('scope-usage').checked).toBe(false));
    expect(background.sent('consent.set')).toEqual([
      { type: 'consent.set', scopes: { usage: false }, source: 'popup' },
    ]);
    expect(checkbox('scope-uploadUsage').checked).toBe(false);
    expect(checkbox('scope-uploadAccount').checked).toBe(false);
    expect(checkbox('scope-account').checked).toBe(true);
  });

  it('asks the browser for data-collection permission within the click, before anything is sent', async () => {
    const initial = consentView({ usage: true });
    const background = fakeBackground(initial);
    renderImmediate(background, initial);

    fireEvent.click(checkbox('scope-uploadUsage'));
    // Synchronously, inside the handler: Firefox shows its prompt only during the person's gesture.
    expect(requestDataCollection).toHaveBeenCalledWith(['uploadUsage']);
    expect(background.calls).toEqual([]);
    await waitFor(() =>
      expect(background.sent('consent.set')).toEqual([
        { type: 'consent.set', scopes: { uploadUsage: true }, source: 'popup' },
      ]),
    );
    await waitFor(() => expect(checkbox('scope-uploadUsage').checked).toBe(true));
  });

  it('leaves an upload scope off, and says so, when the browser’s permission is declined', async () => {
    vi.mocked(requestDataCollection).mockResolvedValue(false);
    const initial = consentView({ usage: true });
    const background = fakeBackground(initial);
    renderImmediate(background, initial);

    fireEvent.click(checkbox('scope-uploadUsage'));
    expect(await screen.findByTestId('scope-declined')).toHaveProperty(
      'textContent',
      'Your browser’s permission was declined, so “Send pseudonymous usage data” stays off.',
    );
    expect(checkbox('scope-uploadUsage').checked).toBe(false);
    expect(background.sent('consent.set')).toEqual([]);
  });

  it('needs no browser permission to turn an upload scope off', async () => {
    const initial = consentView({ usage: true, uploadUsage: true });
    const background = fakeBackground(initial);
    renderImmediate(background, initial);

    fireEvent.click(checkbox('scope-uploadUsage'));
    await waitFor(() => expect(checkbox('scope-uploadUsage').checked).toBe(false));
    expect(requestDataCollection).not.toHaveBeenCalled();
    expect(background.sent('consent.set')).toEqual([
      { type: 'consent.set', scopes: { uploadUsage: false }, source: 'popup' },
    ]);
  });

  it('shows the background’s error and keeps the stored choice', async () => {
    const background = fakeBackground(consentView(), {
      'consent.set': () => {
        throw new BackgroundError('internal', 'Could not save your choice: storage is full.');
      },
    });
    renderImmediate(background, consentView());

    fireEvent.click(checkbox('scope-account'));
    expect(await screen.findByRole('alert')).toHaveProperty(
      'textContent',
      'Could not save your choice: storage is full.',
    );
    expect(checkbox('scope-account').checked).toBe(false);
  });

  it('marks granted upload scopes as paused while a policy change awaits the person', () => {
    const initial = consentView({ usage: true, uploadUsage: true }, { needsReconsent: true });
    renderImmediate(fakeBackground(initial), initial);
    expect(document.body.textContent).toContain('Paused until you review the privacy policy change.');
  });
});
