// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Popup } from '../../../src/popup/Popup';
import { SmartTagsDatabase } from '../../../src/shared/db';
import { checkbox, consentView, type FakeBackground, fakeBackground, renderWithBackground } from './support';

const browserMock = vi.hoisted(() => ({
  runtime: { getURL: (path: string) => `chrome-extension://test/${path}`, openOptionsPage: vi.fn(async () => {}) },
  tabs: { create: vi.fn(async () => ({})) },
}));
vi.mock('webextension-polyfill', () => ({ default: browserMock }));
vi.mock('../../../src/shared/ui/dataCollection', () => ({ requestDataCollection: vi.fn(() => Promise.resolve(true)) }));

let db: SmartTagsDatabase;
beforeEach(() => {
  db = new SmartTagsDatabase(`test-${crypto.randomUUID()}`);
});
afterEach(async () => {
  cleanup();
  vi.clearAllMocks();
  await db.delete();
});

async function renderPopup(background: FakeBackground) {
  renderWithBackground(background, <Popup db={db} />);
  await waitFor(() => expect(document.querySelector('[aria-busy="true"]')).toBeNull());
}

describe('Popup', () => {
  it('before onboarding, says nothing is recorded and opens the onboarding page', async () => {
    await renderPopup(fakeBackground(consentView({}, { decidedAt: null })));
    const needed = screen.getByTestId('consent-needed');
    expect(needed.textContent).toContain('smartTags records nothing until you choose');
    expect(screen.queryByTestId('visits')).toBeNull();
    expect(document.querySelector('input[name="scope-usage"]')).toBeNull();

    fireEvent.click(screen.getByTestId('open-onboarding'));
    expect(browserMock.tabs.create).toHaveBeenCalledWith({ url: 'chrome-extension://test/src/onboarding/index.html' });
  });

  it('says recording is off when usage is off, and offers the choices', async () => {
    await renderPopup(fakeBackground(consentView({ account: true })));
    expect(screen.getByTestId('recording-off').textContent).toContain('Recording is off');
    expect(checkbox('scope-usage').checked).toBe(false);
    expect(checkbox('scope-account').checked).toBe(true);
  });

  it('stops saying recording is off once usage is turned on from the popup', async () => {
    const background = fakeBackground(consentView());
    await renderPopup(background);
    fireEvent.click(checkbox('scope-usage'));
    await waitFor(() => expect(screen.queryByTestId('recording-off')).toBeNull());
    expect(background.sent('consent.set')).toEqual([{ type: 'consent.set', scopes: { usage: true }, source: 'popup' }]);
  });

  it('lists the five newest visits, newest first, by surface', async () => {
    const now = Date.now();
    await db.visits.bulkAdd([
      { surface: 'feed', seenAt: now - 7000 },
      { surface: 'explore', seenAt: now - 6000 },
      { surface: 'hashtag', seenAt: now - 5000 },
      { surface: 'reels', seenAt: now - 4000 },
      { surface: 'stories', seenAt: now - 3000 },
      { surface: 'direct', seenAt: now - 2000 },
      { surface: 'profile', seenAt: now - 1000 },
    ]);
    await renderPopup(fakeBackground(consentView({ usage: true })));
    const list = await screen.findByTestId('visits');
    const labels = [...list.querySelectorAll('li .surface')].map((label) => label.textContent);
    expect(labels).toEqual(['Profile', 'Messages', 'Stories', 'Reels', 'Hashtag page']);
    expect(list.querySelector('li time')?.getAttribute('dateTime')).toBe(new Date(now - 1000).toISOString());
    expect(screen.queryByTestId('recording-off')).toBeNull();
  });

  it('says when no visit is recorded yet, and shows a visit as soon as the background stores one', async () => {
    await renderPopup(fakeBackground(consentView({ usage: true })));
    expect((await screen.findByTestId('visits-empty')).textContent).toContain('No Instagram visit recorded yet');
    await db.visits.add({ surface: 'post', seenAt: Date.now() });
    expect((await screen.findByTestId('visits')).textContent).toContain('Post');
  });

  it('asks the person to review a policy change, opening the policy-update page', async () => {
    await renderPopup(fakeBackground(consentView({ usage: true, uploadUsage: true }, { needsReconsent: true })));
    expect(screen.getByTestId('policy-notice').textContent).toContain('The privacy policy has changed');
    fireEvent.click(screen.getByTestId('policy-review'));
    expect(browserMock.tabs.create).toHaveBeenCalledWith({
      url: 'chrome-extension://test/src/onboarding/index.html?reason=policy-update',
    });
  });

  it('shows no policy notice when the policy is agreed to', async () => {
    await renderPopup(fakeBackground(consentView({ usage: true })));
    expect(screen.queryByTestId('policy-notice')).toBeNull();
  });

  it('opens the dashboard', async () => {
    await renderPopup(fakeBackground(consentView({ usage: true })));
    fireEvent.click(screen.getByTestId('open-dashboard'));
    expect(browserMock.runtime.openOptionsPage).toHaveBeenCalled();
  });
});
