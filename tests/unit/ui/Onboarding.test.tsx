// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Onboarding } from '../../../src/onboarding/Onboarding';
import { pageDatabaseOptions, SmartTagsDatabase } from '../../../src/shared/storage/db';
import { BackgroundError } from '../../../src/shared/ui/background';
import { requestDataCollection } from '../../../src/shared/ui/dataCollection';
import { checkbox, consentView, type FakeBackground, fakeBackground, renderWithBackground } from './support';

const browserMock = vi.hoisted(() => ({
  runtime: { getURL: (path: string) => `chrome-extension://test/${path}`, openOptionsPage: vi.fn(async () => {}) },
  tabs: { create: vi.fn(async () => ({})) },
}));
vi.mock('webextension-polyfill', () => ({ default: browserMock }));
vi.mock('../../../src/shared/ui/dataCollection', () => ({ requestDataCollection: vi.fn(() => Promise.resolve(true)) }));

let db: SmartTagsDatabase;
beforeEach(() => {
  db = new SmartTagsDatabase(`test-${crypto.randomUUID()}`, { ...pageDatabaseOptions, fixtureWrites: true });
});
afterEach(async () => {
  cleanup();
  vi.mocked(requestDataCollection).mockReset().mockResolvedValue(true);
  await db.delete();
});

const undecided = consentView({}, { decidedAt: null });

async function renderOnboarding(background: FakeBackground, policyUpdate = false) {
  renderWithBackground(background, <Onboarding db={db} policyUpdate={policyUpdate} />);
  await screen.findByRole('heading', { name: /Welcome to smartTags/ });
}

describe('Onboarding', () => {
  it('offers every choice on one page, all off, with declining as easy as accepting, and the policy one click away', async () => {
    await renderOnboarding(fakeBackground(undecided));
    await screen.findByTestId('onboarding-save');
    for (const name of ['usage', 'account', 'uploadUsage', 'uploadAccount']) {
      expect(checkbox(`scope-${name}`).checked).toBe(false);
    }
    expect(screen.getByTestId('onboarding-save').textContent).toBe('Save my choices');
    expect(screen.getByTestId('onboarding-decline').textContent).toBe('Decline all');
    expect(screen.getByTestId('onboarding-decline').className).toBe(screen.getByTestId('onboarding-save').className);

    const policy = screen.getByTestId('policy');
    expect(policy.tagName).toBe('DETAILS');
    expect(policy.querySelector('summary')?.textContent).toBe('Privacy policy (version 3)');
    expect(policy.textContent).toContain('privacy@smarttags.app');
    expect(policy.textContent).toContain('We do not sell your data, and we do not share it with advertisers.');
    expect(screen.getByTestId('not-affiliated').textContent).toContain(
      'It is not affiliated with, endorsed by or sponsored by Instagram or Meta.',
    );
  });

  it('sends nothing until “Save my choices”, then all four choices, and confirms what is on and off', async () => {
    const background = fakeBackground(undecided);
    await renderOnboarding(background);
    await screen.findByTestId('onboarding-save');

    fireEvent.click(checkbox('scope-usage'));
    await waitFor(() => expect(checkbox('scope-usage').checked).toBe(true));
    fireEvent.click(checkbox('scope-account'));
    await waitFor(() => expect(checkbox('scope-account').checked).toBe(true));
    expect(background.sent('consent.set')).toEqual([]);

    fireEvent.click(screen.getByTestId('onboarding-save'));
    const done = await screen.findByTestId('onboarding-done');
    expect(background.sent('consent.set')).toEqual([
      {
        type: 'consent.set',
        scopes: { usage: true, account: true, uploadUsage: false, uploadAccount: false },
        source: 'onboarding',
      },
    ]);
    const summary = [...done.querySelectorAll('li')].map((item) => item.textContent);
    expect(summary).toEqual([
      'Record my Instagram use: On',
      'Read my Instagram account: On',
      'Send pseudonymous usage data: Off',
      'Send my account analytics: Off',
    ]);
    expect(done.textContent).toContain('You can change these choices at any time');
    await waitFor(() => expect(document.activeElement).toBe(done.querySelector('h2')));
  });

  it('declines everything with one click, whatever was ticked', async () => {
    const background = fakeBackground(undecided);
    await renderOnboarding(background);
    await screen.findByTestId('onboarding-save');
    fireEvent.click(checkbox('scope-usage'));
    await waitFor(() => expect(checkbox('scope-usage').checked).toBe(true));

    fireEvent.click(screen.getByTestId('onboarding-decline'));
    const done = await screen.findByTestId('onboarding-done');
    expect(background.sent('consent.set')).toEqual([
      {
        type: 'consent.set',
        scopes: { usage: false, account: false, uploadUsage: false, uploadAccount: false },
        source: 'onboarding',
      },
    ]);
    expect(done.textContent).toContain('smartTags records nothing.');
  });

  it('asks the browser when an upload choice is ticked, and saves it off when the browser declines', async () => {
    vi.mocked(requestDataCollection).mockResolvedValue(false);
    const background = fakeBackground(undecided);
    await renderOnboarding(background);
    await screen.findByTestId('onboarding-save');
    fireEvent.click(checkbox('scope-usage'));
    await waitFor(() => expect(checkbox('scope-uploadUsage').disabled).toBe(false));

    fireEvent.click(checkbox('scope-uploadUsage'));
    expect(requestDataCollection).toHaveBeenCalledWith(['uploadUsage']);
    await screen.findByTestId('scope-declined');
    expect(checkbox('scope-uploadUsage').checked).toBe(false);

    fireEvent.click(screen.getByTestId('onboarding-save'));
    await screen.findByTestId('onboarding-done');
    expect(background.sent('consent.set')[0]?.scopes).toEqual({
      usage: true,
      account: false,
      uploadUsage: false,
      uploadAccount: false,
    });
  });

  it('shows the background’s error and keeps the page usable', async () => {
    const background = fakeBackground(undecided, {
      'consent.set': () => {
        throw new BackgroundError('internal', 'smartTags could not save your choices.');
      },
    });
    await renderOnboarding(background);
    fireEvent.click(await screen.findByTestId('onboarding-decline'));
    expect((await screen.findByTestId('onboarding-error')).textContent).toBe('smartTags could not save your choices.');
    expect(screen.getByTestId('onboarding-error').getAttribute('role')).toBe('alert');
    expect(screen.queryByTestId('onboarding-done')).toBeNull();
    expect(screen.getByTestId('onboarding-save')).toBeTruthy();
  });

  describe('after a policy change (?reason=policy-update)', () => {
    const changed = consentView(
      { usage: true, account: true, uploadUsage: true },
      {
        needsReconsent: true,
        changes: [
          {
            version: 2,
            publishedOn: '2027-03-01',
            changesCollection: true,
            summary: 'Uploads now include the time zone.',
          },
        ],
      },
    );

    it('lists what changed and, on agreement, re-sends the granted upload choices unchanged', async () => {
      const background = fakeBackground(changed);
      await renderOnboarding(background, true);
      const changes = await screen.findByTestId('policy-changes');
      expect(changes.textContent).toContain('Version 2');
      expect(changes.textContent).toContain('Uploads now include the time zone.');
      expect(document.body.textContent).toContain('paused until you decide');
      expect(screen.queryByTestId('onboarding-save')).toBeNull();

      fireEvent.click(screen.getByTestId('policy-agree'));
      const done = await screen.findByTestId('policy-done');
      expect(background.sent('consent.set')).toEqual([
        { type: 'consent.set', scopes: { uploadUsage: true, uploadAccount: false }, source: 'policy-update' },
      ]);
      expect(done.textContent).toContain('you agreed to version 2');
    });

    it('stops all uploading when the person opts out', async () => {
      const background = fakeBackground(changed);
      await renderOnboarding(background, true);
      fireEvent.click(await screen.findByTestId('policy-opt-out'));
      const done = await screen.findByTestId('policy-done');
      expect(background.sent('consent.set')).toEqual([
        { type: 'consent.set', scopes: { uploadUsage: false, uploadAccount: false }, source: 'policy-update' },
      ]);
      expect(done.textContent).toContain('Uploading is off.');
    });

    it('says the policy is up to date when there is nothing to decide', async () => {
      const background = fakeBackground(consentView({ usage: true }));
      await renderOnboarding(background, true);
      expect((await screen.findByTestId('policy-up-to-date')).textContent).toContain('up to date');
      expect(screen.queryByTestId('policy-agree')).toBeNull();
    });
  });
});
