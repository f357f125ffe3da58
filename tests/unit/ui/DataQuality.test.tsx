// @vitest-environment happy-dom
import { cleanup, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DataQuality } from '../../../src/options/DataQuality';
import { Options } from '../../../src/options/Options';
import { pageDatabaseOptions, SmartTagsDatabase } from '../../../src/shared/storage/db';
import { fakeBackground, renderWithBackground } from './support';

vi.mock('webextension-polyfill', () => import('./optionsPageBrowser'));
vi.mock('../../../src/shared/ui/dataCollection', () => ({ requestDataCollection: vi.fn(() => Promise.resolve(true)) }));

let db: SmartTagsDatabase;
beforeEach(() => {
  db = new SmartTagsDatabase(`test-${crypto.randomUUID()}`, { ...pageDatabaseOptions, fixtureWrites: true });
});
afterEach(async () => {
  cleanup();
  await db.delete();
});

const format = (at: number) =>
  new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' }).format(at);
const profileSince = Date.parse('2026-12-01T09:00:00Z');
const profileSeen = Date.parse('2026-12-03T18:30:00Z');
const feedSince = Date.parse('2026-12-02T07:15:00Z');
const feedSeen = Date.parse('2026-12-02T08:00:00Z');

/** Resolves once the live query has answered (an empty table renders nothing, so wait for a real read). */
async function settle() {
  await db.qualitySignals.toArray();
  await new Promise((resolve) => setTimeout(resolve, 20));
}

describe('DataQuality', () => {
  it('renders nothing when everything was found', async () => {
    const { container } = render(<DataQuality db={db} />);
    await settle();
    expect(container.innerHTML).toBe('');
  });

  it('lists each signal in plain words, with since and last seen, as a status', async () => {
    await db.qualitySignals.bulkPut([
      { signal: 'feed-posts-missing', since: feedSince, lastSeenAt: feedSeen },
      { signal: 'profile-counts-missing', since: profileSince, lastSeenAt: profileSeen },
    ]);
    render(<DataQuality db={db} />);
    const notice = await screen.findByTestId('quality-drift');
    expect(notice.getAttribute('role')).toBe('status');
    const items = [...notice.querySelectorAll('li')].map((item) => item.textContent);
    expect(items).toEqual([
      'Your profile’s follower, following and post counts could not be read — Instagram may have changed its page. ' +
        `Account data points are missing since ${format(profileSince)} (last seen ${format(profileSeen)}).`,
      'No posts could be found in your feed — Instagram may have changed its page; time is still recorded, but ' +
        `views and hashtags from the feed may be missing since ${format(feedSince)} (last seen ${format(feedSeen)}).`,
    ]);
    expect(notice.querySelector('time')?.getAttribute('datetime')).toBe('2026-12-01T09:00:00.000Z');
    expect(notice.textContent).toContain('smartTags records no zeros in place of what it could not read');
  });

  it('follows the stored signals live', async () => {
    render(<DataQuality db={db} />);
    await settle();
    expect(screen.queryByTestId('quality-drift')).toBeNull();
    await db.qualitySignals.put({ signal: 'feed-posts-missing', since: feedSince, lastSeenAt: feedSeen });
    const notice = await screen.findByTestId('quality-drift');
    expect(notice.querySelectorAll('li')).toHaveLength(1);
    await db.qualitySignals.delete('feed-posts-missing');
    await waitFor(() => expect(screen.queryByTestId('quality-drift')).toBeNull());
  });
});

describe('Options page with the attention and data quality sections', () => {
  async function renderOptions() {
    renderWithBackground(fakeBackground(), <Options db={db} />);
    await screen.findByRole('heading', { name: 'Your choices' });
    await waitFor(() => expect(document.querySelector('[aria-busy="true"]')).toBeNull());
  }
  const headings = () => [...document.querySelectorAll('main h3')].map((heading) => heading.textContent);

  it('shows the attention settings after retention, and no drift notice when all is fine', async () => {
    await renderOptions();
    expect(headings().slice(0, 6)).toEqual([
      'Your choices',
      'History of your choices',
      'Privacy policy',
      'How long to keep data',
      'How attention is measured',
      'Reminders',
    ]);
    expect(document.querySelector<HTMLInputElement>('input[name="idle-seconds"]')?.value).toBe('60');
    expect(document.querySelector<HTMLInputElement>('input[name="passive-seconds"]')?.value).toBe('180');
    await settle();
    expect(screen.queryByTestId('quality-drift')).toBeNull();
  });

  it('shows the drift notice at the top, before the choices', async () => {
    await db.qualitySignals.put({ signal: 'profile-counts-missing', since: profileSince, lastSeenAt: profileSeen });
    await renderOptions();
    const notice = await screen.findByTestId('quality-drift');
    const choices = screen.getByRole('heading', { name: 'Your choices' });
    expect(notice.compareDocumentPosition(choices) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    expect(notice.closest('main')).not.toBeNull();
  });
});
