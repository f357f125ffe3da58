// @vitest-environment happy-dom
/**
 * The import preview says in words what the current consent keeps out of an import, and that replace deletes what is
 * stored all the same (the flow itself is tested with the whole options page in Options.test.tsx).
 */
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ImportData } from '../../../src/options/ImportData';
import {
  buildExportDocument,
  type ImportMode,
  type ImportPlan,
  type LeftOut,
} from '../../../src/shared/contracts/exportDocument';
import { defaultSettings } from '../../../src/shared/storage/records';
import { setTestLanguage } from '../helpers/i18n';
import { makeDay } from '../helpers/records';
import { fakeBackground, renderWithBackground } from './support';

/** A plan that leaves nothing out. */
const nothingLeftOut: LeftOut = { days: 0, visits: 0, accountSnapshots: 0, usedHashtagDays: 0 };

vi.mock('webextension-polyfill', () => import('./optionsPageBrowser'));

afterEach(() => {
  cleanup();
});

const exported = buildExportDocument(
  {
    scopes: { usage: true, account: true, uploadUsage: false, uploadAccount: false },
    ledger: [],
    settings: defaultSettings,
    days: [makeDay('2026-12-01')],
    snapshots: [],
    visits: [],
  },
  1,
  Date.parse('2026-12-02T10:00:00Z'),
);

function planFor(mode: ImportMode, leftOut: LeftOut): ImportPlan {
  return {
    mode,
    days: { add: 1, overlap: 0, onlyStored: 0 },
    accountSnapshots: { add: 0, overlap: 0, onlyStored: 2 },
    visits: { add: 0, overlap: 0, onlyStored: 0 },
    settingsChange: false,
    leftOut,
  };
}

async function preview(leftOut: LeftOut, mode: ImportMode = 'merge') {
  const background = fakeBackground(undefined, {
    'data.import': (message) => ({ plan: planFor(message.mode, leftOut), applied: message.dryRun !== true }),
  });
  renderWithBackground(background, <ImportData />);
  const input = screen.getByTestId('import-file');
  const file = new File([JSON.stringify(exported)], 'smarttags-export.json', { type: 'application/json' });
  fireEvent.change(input, { target: { files: [file] } });
  await screen.findByTestId('import-preview');
  if (mode === 'replace') {
    const replace = document.querySelector<HTMLInputElement>('input[name="import-mode"][value="replace"]');
    if (!replace) throw new Error('No replace option.');
    fireEvent.click(replace);
    await waitFor(() => expect(screen.getByText(/Replace still deletes/)).toBeTruthy());
  }
  return screen.getByTestId('import-preview');
}

describe('ImportData: what consent keeps out', () => {
  it('says nothing about it when the import brings in everything', async () => {
    const shown = await preview(nothingLeftOut);
    expect(screen.queryByTestId('import-left-out')).toBeNull();
    expect(shown.textContent).not.toContain('leaves out');
  });

  it('names the choice that is off and what of the file it keeps out', async () => {
    // Promise: the person sees, before importing, what the import will not bring in and why.
    await preview({ days: 3, visits: 1, accountSnapshots: 4, usedHashtagDays: 0 });
    const leftOut = screen.getByTestId('import-left-out');
    expect([...leftOut.querySelectorAll('p')].map((line) => line.textContent)).toEqual([
      '“Record my Instagram use” is off, so the import leaves out the file’s 3 days and 1 visit.',
      '“Read my Instagram account” is off, so the import leaves out the file’s 4 account snapshots.',
      'To import them, turn these choices on under “Your choices” first, then choose the file again.',
    ]);
  });

  it('says that the hashtags of the person’s own posts are left out without account', async () => {
    await preview({ days: 0, visits: 0, accountSnapshots: 0, usedHashtagDays: 1 });
    expect(screen.getByTestId('import-left-out').textContent).toContain(
      '“Read my Instagram account” is off, so the import leaves out the hashtags you used on your own posts, on 1 day of the file.',
    );
  });

  it('warns that replace deletes what is stored all the same', async () => {
    const shown = await preview({ days: 0, visits: 0, accountSnapshots: 2, usedHashtagDays: 0 }, 'replace');
    expect(shown.textContent).toContain(
      'Replace still deletes all your recorded data first: what is left out will not be in smartTags afterwards, even if it is stored now.',
    );
  });

  it('says it in French too', async () => {
    setTestLanguage('fr');
    await preview({ days: 1, visits: 0, accountSnapshots: 0, usedHashtagDays: 0 });
    expect(screen.getByTestId('import-left-out').querySelector('p')?.textContent).toBe(
      'Le choix «\u00a0Enregistrer mon utilisation d’Instagram\u00a0» est désactivé\u00a0: l’import laisse de côté 1 jour du fichier.',
    );
  });
});
