// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Options } from '../../../src/options/Options';
import {
  buildExportDocument,
  type ExportDocument,
  type ImportMode,
  type ImportPlan,
  type LeftOut,
} from '../../../src/shared/contracts/exportDocument';
import { localToday } from '../../../src/shared/domain/dates';
import { pageDatabaseOptions, SmartTagsDatabase } from '../../../src/shared/storage/db';
import { BackgroundError } from '../../../src/shared/ui/background';
import { makeDay } from '../helpers/records';
import { consentView, type FakeBackground, fakeBackground, renderWithBackground } from './support';

/** A plan that leaves nothing out. */
const nothingLeftOut: LeftOut = { days: 0, visits: 0, accountSnapshots: 0, usedHashtagDays: 0 };

vi.mock('webextension-polyfill', () => import('./optionsPageBrowser'));
vi.mock('../../../src/shared/ui/dataCollection', () => ({ requestDataCollection: vi.fn(() => Promise.resolve(true)) }));

let db: SmartTagsDatabase;
beforeEach(() => {
  db = new SmartTagsDatabase(`test-${crypto.randomUUID()}`, { ...pageDatabaseOptions, fixtureWrites: true });
});
afterEach(async () => {
  cleanup();
  vi.restoreAllMocks();
  await db.delete();
});

const exported: ExportDocument = buildExportDocument(
  {
    scopes: { usage: true, account: false, uploadUsage: false, uploadAccount: false },
    ledger: [],
    settings: { id: 'current', retentionDays: 90, idleSeconds: 60, passiveSeconds: 180, pausedUntil: null },
    days: [makeDay('2026-12-01')],
    snapshots: [],
    visits: [{ surface: 'feed', seenAt: Date.parse('2026-12-01T09:00:00Z') }],
  },
  1,
  Date.parse('2026-12-02T10:00:00Z'),
);

/** Opens the options page at "Your data and privacy" (`#privacy`), where most of what is tested here lives. */
async function renderOptions(background: FakeBackground, hash = '#privacy') {
  history.replaceState(null, '', hash);
  renderWithBackground(background, <Options db={db} />);
  await screen.findByRole('heading', { name: 'Your choices' });
  await waitFor(() => expect(document.querySelector('[aria-busy="true"]')).toBeNull());
}

function chooseFile(text: string, name = 'smarttags-export.json') {
  const input = screen.getByTestId('import-file');
  fireEvent.change(input, { target: { files: [new File([text], name, { type: 'application/json' })] } });
}

describe('Options — privacy', () => {
  it('offers the choices, the policy and the privacy contact', async () => {
    await renderOptions(fakeBackground(consentView({ usage: true })));
    expect(document.querySelector<HTMLInputElement>('input[name="scope-usage"]')?.checked).toBe(true);
    expect(screen.getByTestId('policy').querySelector('summary')?.textContent).toBe(
      'Read the privacy policy (version 3)',
    );
    expect(screen.getByTestId('privacy-contact').textContent).toBe('Privacy questions: privacy@smarttags.app');
  });

  it('says in its about section that smartTags is not affiliated with Instagram or Meta', async () => {
    await renderOptions(fakeBackground(consentView()));
    const about = screen.getByRole('heading', { name: 'About smartTags' }).closest('section');
    expect(about?.querySelector('[data-testid="not-affiliated"]')?.textContent).toBe(
      'smartTags is an independent extension. It is not affiliated with, endorsed by or sponsored by Instagram or Meta. Instagram is a trademark of Meta Platforms, Inc.',
    );
  });

  it('sends a choice made here with the options page as its source', async () => {
    const background = fakeBackground(consentView());
    await renderOptions(background);
    fireEvent.click(screen.getByLabelText('Read my Instagram account'));
    await screen.findByTestId('scope-saved');
    expect(background.sent('consent.set')).toEqual([
      { type: 'consent.set', scopes: { account: true }, source: 'options' },
    ]);
  });

  it('has goals and reminders at their own address, and only the section shown', async () => {
    history.replaceState(null, '', '#goals');
    renderWithBackground(fakeBackground(), <Options db={db} />);
    const heading = await screen.findByRole('heading', { name: 'Goals and reminders' });
    const section = heading.closest('section');
    expect(section?.getAttribute('aria-labelledby')).toBe('reminders-heading');
    await waitFor(() => expect(section?.querySelector('input[name="reminder-daily-limit"]')).not.toBeNull());
    expect(section?.querySelector('input[name="reminder-break"]')).not.toBeNull();
    expect(screen.queryByRole('heading', { name: 'Your choices' })).toBeNull();
    expect(screen.getByTestId('section-link-goals').getAttribute('aria-current')).toBe('page');
    expect(screen.getByTestId('section-link-privacy').getAttribute('aria-current')).toBeNull();
  });

  it('follows the address: a link to another section shows it, and an older link to an element shows its section', async () => {
    await renderOptions(fakeBackground(), '#recording-health');
    expect(screen.getByTestId('section-link-privacy').getAttribute('aria-current')).toBe('page');
    history.replaceState(null, '', '#sync');
    window.dispatchEvent(new HashChangeEvent('hashchange'));
    expect(await screen.findByRole('heading', { name: 'Sync', level: 2 })).toBeTruthy();
    expect(screen.queryByRole('heading', { name: 'Your choices' })).toBeNull();
  });

  describe('consent history', () => {
    it('says when there is none', async () => {
      await renderOptions(fakeBackground());
      expect(screen.getByTestId('ledger-empty').textContent).toBe('No choice recorded yet.');
    });

    it('lists every grant and withdrawal, newest first', async () => {
      await db.consentLedger.bulkAdd([
        {
          at: Date.parse('2026-12-01T10:00:00Z'),
          scope: 'usage',
          granted: true,
          policyVersion: 1,
          source: 'onboarding',
        },
        { at: Date.parse('2026-12-03T10:00:00Z'), scope: 'account', granted: false, policyVersion: 1, source: 'popup' },
        {
          at: Date.parse('2026-12-02T10:00:00Z'),
          scope: 'account',
          granted: true,
          policyVersion: 1,
          source: 'options',
        },
      ]);
      await renderOptions(fakeBackground());
      const rows = [...(await screen.findByTestId('ledger')).querySelectorAll('tbody tr')].map((row) =>
        [...row.querySelectorAll('td')].slice(1).map((cell) => cell.textContent),
      );
      expect(rows).toEqual([
        ['Read my Instagram account', 'Turned off', '1', 'Toolbar popup'],
        ['Read my Instagram account', 'Turned on', '1', 'Options page'],
        ['Record my Instagram use', 'Turned on', '1', 'Welcome page'],
      ]);
    });
  });

  describe('retention', () => {
    const retention = () => {
      const select = document.querySelector('select[name="retention"]');
      if (!(select instanceof HTMLSelectElement)) throw new Error('No retention select.');
      return select;
    };

    it('shows the stored setting, and “until I delete it” when there is none', async () => {
      await renderOptions(fakeBackground());
      expect(retention().value).toBe('forever');
      expect(retention().selectedOptions[0]?.textContent).toBe('Keep until I delete it');
      await db.settings.put({
        id: 'current',
        retentionDays: 90,
        idleSeconds: 60,
        passiveSeconds: 180,
        pausedUntil: null,
      });
      await waitFor(() => expect(retention().value).toBe('90'));
    });

    it('sends a new setting and says it was saved', async () => {
      const background = fakeBackground(undefined, { 'settings.set': () => undefined });
      await db.settings.put({
        id: 'current',
        retentionDays: 90,
        idleSeconds: 60,
        passiveSeconds: 180,
        pausedUntil: null,
      });
      await renderOptions(background);
      await waitFor(() => expect(retention().value).toBe('90'));

      fireEvent.change(retention(), { target: { value: '30' } });
      await screen.findByTestId('retention-saved');
      fireEvent.change(retention(), { target: { value: 'forever' } });
      await waitFor(() => expect(background.sent('settings.set')).toHaveLength(2));
      expect(background.sent('settings.set')).toEqual([
        { type: 'settings.set', retentionDays: 30 },
        { type: 'settings.set', retentionDays: null },
      ]);
    });

    it('shows a failure and the setting that is still stored', async () => {
      const background = fakeBackground(undefined, {
        'settings.set': () => {
          throw new BackgroundError('internal', 'The setting could not be saved.');
        },
      });
      await renderOptions(background);
      fireEvent.change(retention(), { target: { value: '365' } });
      expect((await screen.findByTestId('retention-error')).textContent).toBe('The setting could not be saved.');
      await waitFor(() => expect(retention().value).toBe('forever'));
    });
  });

  describe('export', () => {
    function captureDownloads() {
      const blobs: Blob[] = [];
      const names: string[] = [];
      vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
        if (blob instanceof Blob) blobs.push(blob);
        return `blob:test/${blobs.length}`;
      });
      vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => {});
      vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
        names.push(this.download);
      });
      return { blobs, names };
    }

    it('downloads everything as one dated JSON file', async () => {
      const downloads = captureDownloads();
      const background = fakeBackground(undefined, { 'data.export': () => exported });
      await renderOptions(background);
      fireEvent.click(screen.getByTestId('export-json'));
      await screen.findByTestId('export-done');
      expect(downloads.names).toEqual([`smarttags-export-${localToday()}.json`]);
      const [blob] = downloads.blobs;
      expect(JSON.parse(await (blob ?? new Blob()).text())).toEqual(exported);
      // The temporary link does not stay in the page.
      expect(document.querySelectorAll('a[download]')).toHaveLength(0);
    });

    it('downloads the CSV tables, one file each', async () => {
      const downloads = captureDownloads();
      await renderOptions(fakeBackground(undefined, { 'data.export': () => exported }));
      fireEvent.click(screen.getByTestId('export-csv'));
      await screen.findByTestId('export-done');
      expect(downloads.names).toEqual([
        'smarttags-days.csv',
        'smarttags-hashtags.csv',
        'smarttags-account-snapshots.csv',
        'smarttags-local-edits.csv',
        'smarttags-follower-lists.csv',
      ]);
      expect(await downloads.blobs[1]?.text()).toContain('2026-12-01,sourdough,2,0');
    });

    it('shows the background’s error', async () => {
      captureDownloads();
      const background = fakeBackground(undefined, {
        'data.export': () => {
          throw new BackgroundError('internal', 'The export failed.');
        },
      });
      await renderOptions(background);
      fireEvent.click(screen.getByTestId('export-json'));
      expect((await screen.findByTestId('export-error')).textContent).toBe('The export failed.');
    });
  });

  describe('import', () => {
    function planFor(mode: ImportMode): ImportPlan {
      return {
        mode,
        days: { add: 1, overlap: 2, onlyStored: 3 },
        accountSnapshots: { add: 0, overlap: 0, onlyStored: 1 },
        visits: { add: 1, overlap: 0, onlyStored: 4 },
        settingsChange: mode === 'replace',
        leftOut: nothingLeftOut,
      };
    }

    function importingBackground() {
      return fakeBackground(undefined, {
        'data.import': (message) => ({ plan: planFor(message.mode), applied: message.dryRun !== true }),
      });
    }

    it('previews a merge, re-previews on a change of mode, and imports on confirmation', async () => {
      const background = importingBackground();
      await renderOptions(background);
      expect(document.body.textContent).toContain('Your choices about what smartTags may do are never imported');

      chooseFile(JSON.stringify(exported));
      const preview = await screen.findByTestId('import-preview');
      const merge = document.querySelector<HTMLInputElement>('input[name="import-mode"][value="merge"]');
      expect(merge?.checked).toBe(true);
      expect(document.body.textContent).toContain('never changes anything already stored');
      expect(background.sent('data.import')).toEqual([
        { type: 'data.import', document: exported, mode: 'merge', dryRun: true },
      ]);
      const daysRow = () =>
        [...screen.getByTestId('import-preview').querySelectorAll('tbody tr')][0]?.textContent ?? '';
      expect(daysRow()).toBe('Recorded days1 added2 kept as stored3 kept');
      expect(preview.textContent).toContain('Your settings will not change.');

      const replace = document.querySelector<HTMLInputElement>('input[name="import-mode"][value="replace"]');
      if (!replace) throw new Error('No replace option.');
      fireEvent.click(replace);
      await waitFor(() => expect(daysRow()).toBe('Recorded days1 added2 replaced by the file’s3 deleted'));
      expect(screen.getByTestId('import-preview').textContent).toContain(
        'Your retention setting will be replaced by the file’s.',
      );
      expect(background.sent('data.import').at(-1)).toEqual({
        type: 'data.import',
        document: exported,
        mode: 'replace',
        dryRun: true,
      });

      fireEvent.click(screen.getByTestId('import-confirm'));
      const done = await screen.findByTestId('import-done');
      expect(background.sent('data.import').at(-1)).toEqual({
        type: 'data.import',
        document: exported,
        mode: 'replace',
      });
      expect(done.textContent).toBe(
        'Imported: your recorded data was replaced by the file’s 3 days, 0 account snapshots, 1 visit.',
      );
      expect(screen.queryByTestId('import-confirm')).toBeNull();
    });

    it.each([
      ['not JSON', '{"format": "smarttags-export", ', 'This file is not valid JSON'],
      [
        'another program’s file',
        JSON.stringify({ format: 'other-app', version: 1 }),
        'This file is not a smartTags export',
      ],
      [
        'a newer smartTags’ export',
        JSON.stringify({ ...exported, version: 2 }),
        'This export was made by a newer smartTags (format version 2); update smartTags to import it.',
      ],
    ])('explains a file that is %s, and sends nothing', async (_, contents, message) => {
      const background = importingBackground();
      await renderOptions(background);
      chooseFile(contents);
      const error = await screen.findByTestId('import-error');
      expect(error.getAttribute('role')).toBe('alert');
      expect(error.textContent).toContain(message);
      expect(screen.queryByTestId('import-preview')).toBeNull();
      expect(background.sent('data.import')).toEqual([]);
    });

    it('shows the background’s error when the import fails', async () => {
      const background = fakeBackground(undefined, {
        'data.import': (message) => {
          if (message.dryRun) return { plan: planFor(message.mode), applied: false };
          throw new BackgroundError('bad-import', 'The import failed; nothing was changed.');
        },
      });
      await renderOptions(background);
      chooseFile(JSON.stringify(exported));
      fireEvent.click(await screen.findByTestId('import-confirm'));
      expect((await screen.findByTestId('import-error')).textContent).toBe('The import failed; nothing was changed.');
      expect(screen.queryByTestId('import-done')).toBeNull();
    });
  });
});

describe('Options — sections and the dashboard’s pages, each at its own address', () => {
  const navigate = (hash: string) => {
    history.pushState(null, '', hash);
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  };
  const currentOf = (section: string) => screen.getByTestId(`section-link-${section}`).getAttribute('aria-current');

  it('names the four sections in its navigation, the dashboard by default', async () => {
    history.replaceState(null, '', '#');
    renderWithBackground(fakeBackground(), <Options db={db} />);
    await screen.findByRole('heading', { name: 'Your Instagram use', level: 2 });
    const nav = screen.getByRole('navigation', { name: 'Sections' });
    expect([...nav.querySelectorAll('a')].map((link) => [link.textContent, link.getAttribute('href')])).toEqual([
      ['Dashboard', '#dashboard'],
      ['Goals and reminders', '#goals'],
      ['Your data and privacy', '#privacy'],
      ['Sync', '#sync'],
    ]);
    expect(currentOf('dashboard')).toBe('page');
    expect(document.title).toBe('Dashboard — smartTags');
    // Only the section shown is rendered.
    expect(screen.queryByRole('heading', { name: 'Your choices' })).toBeNull();
  });

  it('opens a day’s page from its address, within the dashboard, and moves focus to its heading', async () => {
    await db.days.put(makeDay('2026-11-22'));
    history.replaceState(null, '', '#dashboard');
    renderWithBackground(fakeBackground(), <Options db={db} />);
    await screen.findByTestId('tab-overview');
    navigate('#day/2026-11-22');
    const heading = await screen.findByRole('heading', { name: 'Sunday, November 22, 2026', level: 2 });
    await waitFor(() => expect(document.activeElement).toBe(heading));
    expect(currentOf('dashboard')).toBe('true');
    expect(document.title).toBe('Sunday, November 22, 2026 — smartTags');
    expect(screen.queryByTestId('tab-overview')).toBeNull();
    await screen.findByTestId('day-figures');
  });

  it('opens a tag’s page, with the period chosen on the dashboard kept both ways', async () => {
    await db.days.put(makeDay(localToday()));
    history.replaceState(null, '', '#dashboard');
    renderWithBackground(fakeBackground(), <Options db={db} />);
    fireEvent.click(await screen.findByTestId('tab-hashtags'));
    fireEvent.click(screen.getByTestId('period-last-week'));
    navigate('#tag/caf%C3%A9');
    await screen.findByRole('heading', { name: '#café', level: 2 });
    expect(screen.getByTestId<HTMLInputElement>('period-last-week').checked).toBe(true);
    fireEvent.click(screen.getByTestId('period-last-90'));
    // Back: the dashboard as it was left, on its Hashtags tab, with the period chosen on the tag's page.
    navigate('#dashboard');
    await screen.findByTestId('tab-hashtags');
    expect(screen.getByTestId('tab-hashtags').getAttribute('aria-selected')).toBe('true');
    expect(screen.getByTestId<HTMLInputElement>('period-last-90').checked).toBe(true);
  });

  it('shows a week’s report at its address, under its own heading only', async () => {
    history.replaceState(null, '', '#report/2026-W47');
    renderWithBackground(fakeBackground(), <Options db={db} />);
    await screen.findByTestId('weekly-report');
    expect(document.querySelectorAll('main h2')).toHaveLength(1);
    expect(currentOf('dashboard')).toBe('true');
    expect(screen.getByRole('link', { name: 'Back to the dashboard' }).getAttribute('href')).toBe('#dashboard');
  });

  it('shows the dashboard for an address it does not know', async () => {
    history.replaceState(null, '', '#day/not-a-date');
    renderWithBackground(fakeBackground(), <Options db={db} />);
    await screen.findByRole('heading', { name: 'Your Instagram use', level: 2 });
    expect(currentOf('dashboard')).toBe('page');
  });
});
