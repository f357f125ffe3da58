// @vitest-environment happy-dom
import { cleanup, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Options } from '../../../src/options/Options';
import { RecordingHealth } from '../../../src/options/RecordingHealth';
import { pageDatabaseOptions, SmartTagsDatabase } from '../../../src/shared/storage/db';
import { setTestLanguage } from '../helpers/i18n';
import { fakeBackground, renderWithBackground } from './support';

vi.mock('webextension-polyfill', () => import('./optionsPageBrowser'));
vi.mock('../../../src/shared/ui/dataCollection', () => ({ requestDataCollection: vi.fn(() => Promise.resolve(true)) }));

let db: SmartTagsDatabase;
beforeEach(() => {
  db = new SmartTagsDatabase(`test-${crypto.randomUUID()}`, { ...pageDatabaseOptions, fixtureWrites: true });
});
afterEach(async () => {
  cleanup();
  setTestLanguage('en');
  await db.delete();
});

const format = (at: number) =>
  new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' }).format(at);
const reelsWorked = Date.parse('2026-12-01T09:00:00Z');
const reelsFailing = Date.parse('2026-12-03T18:30:00Z');
const feedWorked = Date.parse('2026-12-02T07:15:00Z');

/** Each row of the table: what it reads, its state, when it last worked, what is missing while it fails. */
function rows() {
  return [...screen.getByTestId('recording-health').querySelectorAll('tbody tr')].map((row) =>
    [...row.children].map((cell) => cell.textContent),
  );
}

describe('RecordingHealth: every reader of Instagram’s pages, so no failure is silent', () => {
  it('says nothing was read yet before any reader reported, and keeps the no-zeros promise', async () => {
    render(<RecordingHealth db={db} />);
    expect((await screen.findByTestId('recording-health-empty')).textContent).toContain('No reader has reported yet');
    expect(screen.queryByTestId('recording-health')).toBeNull();
    const section = screen.getByRole('region', { name: 'Recording health' });
    expect(section.textContent).toContain('smartTags records no zeros in place of what it could not read');
  });

  it('lists all six readers: working, failing since when, or not seen yet, with the last success', async () => {
    await db.readerHealth.bulkPut([
      { reader: 'reels', lastOkAt: reelsWorked, failingSince: reelsFailing, lastFailedAt: reelsFailing },
      { reader: 'feed-posts', lastOkAt: feedWorked, failingSince: null, lastFailedAt: reelsWorked },
    ]);
    render(<RecordingHealth db={db} />);
    await screen.findByTestId('recording-health');
    expect(rows()).toEqual([
      ['Who is logged in', 'Not seen yet', 'Not yet', 'Your account’s counts and the hashtags you use'],
      ['Your profile’s counts', 'Not seen yet', 'Not yet', 'Your followers, following and posts'],
      ['Posts in the feed', 'Working', format(feedWorked), 'Views and hashtags of feed posts'],
      ['A post’s own page', 'Not seen yet', 'Not yet', 'Views and hashtags of posts opened on their own page'],
      ['Reels', `Failing since ${format(reelsFailing)}`, format(reelsWorked), 'Reel views and their hashtags'],
      ['Stories', 'Not seen yet', 'Not yet', 'Story views'],
    ]);
    const reels = screen.getByTestId('recording-health').querySelector('tr[data-reader="reels"]');
    expect(reels?.getAttribute('data-state')).toBe('failing');
    expect(reels?.querySelector('strong time')?.getAttribute('datetime')).toBe('2026-12-03T18:30:00.000Z');
    expect(screen.getByTestId('recording-health-failing').getAttribute('role')).toBe('status');
    expect(screen.getByTestId('recording-health-failing').textContent).toBe('1 reader is failing now.');
  });

  it('names each reader as a row header in a captioned table the keyboard can scroll', async () => {
    await db.readerHealth.put({ reader: 'viewer', lastOkAt: feedWorked, failingSince: null, lastFailedAt: null });
    render(<RecordingHealth db={db} />);
    const table = await screen.findByTestId('recording-health');
    expect(table.querySelector('caption')?.textContent).toBe('What smartTags reads from Instagram’s pages');
    expect(within(table).getAllByRole('rowheader')).toHaveLength(6);
    expect(table.closest('.table-scroll')?.getAttribute('tabindex')).toBe('0');
    expect(screen.queryByTestId('recording-health-failing')).toBeNull();
  });

  it('follows the stored health live: a failure appears, and goes once the reader works again', async () => {
    render(<RecordingHealth db={db} />);
    await screen.findByTestId('recording-health-empty');
    await db.readerHealth.put({
      reader: 'stories',
      lastOkAt: null,
      failingSince: reelsFailing,
      lastFailedAt: reelsFailing,
    });
    await waitFor(() =>
      expect(screen.getByTestId('recording-health-failing').textContent).toBe('1 reader is failing now.'),
    );
    await db.readerHealth.put({
      reader: 'stories',
      lastOkAt: reelsFailing + 1,
      failingSince: null,
      lastFailedAt: reelsFailing,
    });
    await waitFor(() => expect(screen.queryByTestId('recording-health-failing')).toBeNull());
    expect(rows()[5]?.[1]).toBe('Working');
  });

  it('speaks French', async () => {
    setTestLanguage('fr');
    await db.readerHealth.bulkPut([
      { reader: 'reels', lastOkAt: null, failingSince: reelsFailing, lastFailedAt: reelsFailing },
      { reader: 'stories', lastOkAt: null, failingSince: reelsFailing, lastFailedAt: reelsFailing },
    ]);
    render(<RecordingHealth db={db} />);
    expect((await screen.findByTestId('recording-health-failing')).textContent).toBe(
      '2 lecteurs échouent en ce moment.',
    );
    expect(screen.getByRole('heading', { level: 3 }).textContent).toBe('État de l’enregistrement');
  });
});

describe('Options page: recording health comes first in privacy, where the popup links', () => {
  async function renderOptions() {
    // Where the popup's warning links: the privacy section, brought into view at its recording health.
    history.replaceState(null, '', '#recording-health');
    renderWithBackground(fakeBackground(), <Options db={db} />);
    await screen.findByRole('heading', { name: 'Your choices' });
    await waitFor(() => expect(document.querySelector('[aria-busy="true"]')).toBeNull());
  }
  const headings = () => [...document.querySelectorAll('#privacy h3')].map((heading) => heading.textContent);

  it('opens the privacy part with recording health, its section reachable as #recording-health', async () => {
    await renderOptions();
    expect(headings().slice(0, 2)).toEqual(['Recording health', 'Your choices']);
    const section = document.getElementById('recording-health');
    expect(section?.getAttribute('aria-labelledby')).toBe('recording-health-heading');
    expect(within(section as HTMLElement).getByTestId('recording-health-empty')).toBeTruthy();
  });

  it('keeps the attention settings after retention', async () => {
    await renderOptions();
    const retention = headings().indexOf('How long to keep data');
    expect(headings().slice(retention, retention + 2)).toEqual(['How long to keep data', 'How attention is measured']);
    expect(document.querySelector<HTMLInputElement>('input[name="idle-seconds"]')?.value).toBe('60');
    expect(document.querySelector<HTMLInputElement>('input[name="passive-seconds"]')?.value).toBe('180');
  });
});
