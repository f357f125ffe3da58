// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Sync } from '../../../src/options/Sync';
import type { UploadBatch } from '../../../src/shared/contracts/upload';
import { pageDatabaseOptions, SmartTagsDatabase } from '../../../src/shared/storage/db';
import type { DeletionRequestRecord, UploadLogRecord } from '../../../src/shared/storage/records';
import { BackgroundError } from '../../../src/shared/ui/background';
import { makeDay } from '../helpers/records';
import { consentView, type FakeBackground, fakeBackground, renderWithBackground } from './support';

const permissions = vi.hoisted(() => ({
  request: vi.fn<(permissions: { origins: string[] }) => Promise<boolean>>(),
  remove: vi.fn<(permissions: { origins: string[] }) => Promise<boolean>>(),
}));
vi.mock('webextension-polyfill', () => ({ default: { permissions } }));

const token = 'secret-token-0123456789abcdefghijklmnopqrstuvwxyz';
const otherToken = 'older-secret-token-0123456789abcdefghijklmnopqrst';

let db: SmartTagsDatabase;
beforeEach(() => {
  db = new SmartTagsDatabase(`test-${crypto.randomUUID()}`, { ...pageDatabaseOptions, fixtureWrites: true });
  permissions.request.mockReset().mockResolvedValue(true);
  permissions.remove.mockReset().mockResolvedValue(true);
});
afterEach(async () => {
  cleanup();
  await db.delete();
});

/** A background whose sync.configure does what the real one does to the database, so the page follows it live. */
function syncBackground(
  view = consentView({ usage: true, uploadUsage: true }),
  extra: Parameters<typeof fakeBackground>[1] = {},
) {
  return fakeBackground(view, {
    'sync.configure': async (message) => {
      if (message.backendUrl === null) {
        await db.syncConfig.delete('current');
        return { backendUrl: null, oldData: 'none' as const };
      }
      const origin = new URL(message.backendUrl).origin;
      await db.syncConfig.put({ id: 'current', backendUrl: origin });
      return { backendUrl: origin, oldData: 'none' as const };
    },
    ...extra,
  });
}

async function renderSync(background: FakeBackground = syncBackground()) {
  renderWithBackground(background, <Sync db={db} />);
  await waitFor(() => expect(document.querySelector('[aria-busy="true"]')).toBeNull());
  return background;
}

function urlField(): HTMLInputElement {
  const input = document.querySelector('input[name="backend-url"]');
  if (!(input instanceof HTMLInputElement)) throw new Error('No backend-url input.');
  return input;
}

function saveBackend(value: string) {
  fireEvent.input(urlField(), { target: { value } });
  fireEvent.click(screen.getByTestId('backend-save'));
}

function identity(installationId = 'inst-1234-5678') {
  const uninstallCode = 'uninstall-code-that-is-a-secret-too-0123456789';
  return {
    id: 'current' as const,
    backendUrl: 'https://smarttags.example.org',
    installationId,
    token,
    uninstallCode,
    createdAt: 1,
  };
}

function logEntry(overrides: Partial<UploadLogRecord>): UploadLogRecord {
  return {
    at: Date.parse('2026-12-03T10:00:00Z'),
    batchId: 'batch-aaaaaaaaaaaa',
    dates: ['2026-12-01'],
    outcome: 'sent',
    status: 200,
    error: null,
    ...overrides,
  };
}

function deletion(overrides: Partial<DeletionRequestRecord>): DeletionRequestRecord {
  return {
    id: 'del-1',
    requestedAt: Date.parse('2026-12-04T10:00:00Z'),
    backendUrl: 'https://smarttags.example.org',
    installationId: 'inst-old-0001',
    token: otherToken,
    status: 'queued',
    failures: 0,
    nextAttemptAt: 0,
    lastError: null,
    receiptId: null,
    deletedAt: null,
    ...overrides,
  };
}

describe('Sync — backend', () => {
  it('labels the address field, shows the stored backend and says where uploads go', async () => {
    await db.syncConfig.put({ id: 'current', backendUrl: 'https://smarttags.example.org' });
    await renderSync();
    expect(screen.getByLabelText('Backend address')).toBe(urlField());
    expect(urlField().value).toBe('https://smarttags.example.org');
    expect(urlField().placeholder).toBe('https://smarttags.example.org');
    const text = document.body.textContent ?? '';
    expect(text).toContain('Uploads go only to this server, only over HTTPS');
    expect(text).toContain('plain HTTP only for 127.0.0.1 and localhost');
    expect(text).toContain('only while “Send pseudonymous usage data” is on');
    expect(text).toContain('smartTags asks the old one to delete what it holds (unless you choose to keep it there)');
    expect(screen.getByTestId('backend-clear')).toBeTruthy();
  });

  it('offers no "stop using" button while no backend is set', async () => {
    await renderSync();
    expect(urlField().value).toBe('');
    expect(screen.getByTestId('backend-current').textContent).toBe('No backend is set, so nothing is uploaded.');
    expect(screen.queryByTestId('backend-clear')).toBeNull();
  });

  it.each([
    ['not a url', 'This is not a URL'],
    ['http://smarttags.example.org', 'Uploads go over HTTPS only'],
    ['https://smarttags.example.org/api', 'without a path'],
    ['', 'This is not a URL'],
  ])('refuses “%s” inline and asks nothing', async (value, reason) => {
    const background = await renderSync();
    saveBackend(value);
    const error = await screen.findByTestId('backend-error');
    expect(error.getAttribute('role')).toBe('alert');
    expect(error.textContent).toContain(reason);
    expect(error.textContent).toContain('Nothing was saved.');
    expect(urlField().getAttribute('aria-invalid')).toBe('true');
    expect(permissions.request).not.toHaveBeenCalled();
    expect(background.sent('sync.configure')).toEqual([]);
    expect(await db.syncConfig.get('current')).toBeUndefined();
  });

  it('saves nothing when the browser permission is declined', async () => {
    permissions.request.mockResolvedValue(false);
    const background = await renderSync();
    saveBackend('https://smarttags.example.org');
    const error = await screen.findByTestId('backend-error');
    expect(error.textContent).toBe(
      'The browser permission to connect to https://smarttags.example.org was declined, so the backend was not saved.',
    );
    expect(background.sent('sync.configure')).toEqual([]);
    expect(await db.syncConfig.get('current')).toBeUndefined();
  });

  it('saves nothing when the browser cannot ask', async () => {
    permissions.request.mockRejectedValue(new Error('Permissions not listed in the manifest'));
    const background = await renderSync();
    saveBackend('https://smarttags.example.org');
    expect((await screen.findByTestId('backend-error')).textContent).toContain(
      'Permissions not listed in the manifest',
    );
    expect(background.sent('sync.configure')).toEqual([]);
  });

  it('asks for the host permission synchronously from the click, then configures the origin', async () => {
    const background = await renderSync();
    saveBackend(' https://smarttags.example.org/ ');
    // Still inside the click: nothing was awaited before the browser was asked.
    expect(permissions.request).toHaveBeenCalledWith({ origins: ['https://smarttags.example.org/*'] });
    expect(background.calls.filter((call) => call.type !== 'consent.get')).toEqual([]);
    const saved = await screen.findByTestId('backend-saved');
    expect(saved.closest('[role="status"]')).not.toBeNull();
    expect(saved.textContent).toBe('Saved. Uploads go to https://smarttags.example.org.');
    expect(background.sent('sync.configure')).toEqual([
      { type: 'sync.configure', backendUrl: 'https://smarttags.example.org' },
    ]);
    expect(screen.queryByTestId('backend-error')).toBeNull();
    await waitFor(() => expect(screen.getByTestId('backend-clear')).toBeTruthy());
    expect(permissions.remove).not.toHaveBeenCalled();
  });

  it('asks for a loopback host without its port (Firefox patterns cannot carry one)', async () => {
    const background = await renderSync();
    saveBackend('http://127.0.0.1:8787');
    expect(permissions.request).toHaveBeenCalledWith({ origins: ['http://127.0.0.1/*'] });
    await screen.findByTestId('backend-saved');
    expect(background.sent('sync.configure')).toEqual([
      { type: 'sync.configure', backendUrl: 'http://127.0.0.1:8787' },
    ]);
  });

  it('shows the background’s refusal and gives the unused permission back', async () => {
    const background = await renderSync(
      syncBackground(undefined, {
        'sync.configure': () => {
          throw new BackgroundError('refused', 'The backend could not be saved.');
        },
      }),
    );
    saveBackend('https://smarttags.example.org');
    expect((await screen.findByTestId('backend-error')).textContent).toBe('The backend could not be saved.');
    expect(background.sent('sync.configure')).toHaveLength(1);
    await waitFor(() =>
      expect(permissions.remove).toHaveBeenCalledWith({ origins: ['https://smarttags.example.org/*'] }),
    );
  });

  it('stops using the backend: configures null and removes the host permission', async () => {
    await db.syncConfig.put({ id: 'current', backendUrl: 'https://smarttags.example.org' });
    const background = await renderSync();
    fireEvent.click(screen.getByTestId('backend-clear'));
    const cleared = await screen.findByTestId('backend-cleared');
    expect(cleared.textContent).toBe('This backend is no longer used; nothing is uploaded until you set one.');
    expect(background.sent('sync.configure')).toEqual([{ type: 'sync.configure', backendUrl: null }]);
    expect(permissions.remove).toHaveBeenCalledWith({ origins: ['https://smarttags.example.org/*'] });
    expect(permissions.request).not.toHaveBeenCalled();
    await waitFor(() => expect(screen.queryByTestId('backend-clear')).toBeNull());
    expect(urlField().value).toBe('');
    expect(document.activeElement).toBe(urlField());
  });

  it('keeps the permission while a deletion there still waits for the server', async () => {
    await db.syncConfig.put({ id: 'current', backendUrl: 'https://smarttags.example.org' });
    await db.deletionRequests.put(deletion({ status: 'sent' }));
    await renderSync();
    fireEvent.click(screen.getByTestId('backend-clear'));
    const cleared = await screen.findByTestId('backend-cleared');
    expect(cleared.textContent).toContain('keeps its permission to connect to https://smarttags.example.org');
    expect(permissions.remove).not.toHaveBeenCalled();
  });

  it('gives back the old backend’s permission when changing to another', async () => {
    await db.syncConfig.put({ id: 'current', backendUrl: 'https://old.example.org' });
    const background = await renderSync();
    saveBackend('https://new.example.org');
    await screen.findByTestId('backend-saved');
    expect(background.sent('sync.configure')).toEqual([
      { type: 'sync.configure', backendUrl: 'https://new.example.org' },
    ]);
    expect(permissions.request).toHaveBeenCalledWith({ origins: ['https://new.example.org/*'] });
    expect(permissions.remove).toHaveBeenCalledWith({ origins: ['https://old.example.org/*'] });
    await waitFor(() => expect(urlField().value).toBe('https://new.example.org'));
  });

  it('offers to keep the old backend’s data only while it holds some, and says what became of it', async () => {
    await db.syncConfig.put({ id: 'current', backendUrl: 'https://old.example.org' });
    const answers: Array<'deleted' | 'kept'> = ['kept', 'deleted'];
    const background = await renderSync(
      syncBackground(undefined, {
        'sync.configure': async (message) => {
          await db.syncConfig.put({ id: 'current', backendUrl: message.backendUrl ?? '' });
          return { backendUrl: message.backendUrl, oldData: answers.shift() ?? 'none' };
        },
      }),
    );
    expect(document.querySelector('input[name="keep-old-data"]')).toBeNull();
    await db.syncCredentials.put({ ...identity(), backendUrl: 'https://old.example.org' });
    const keep = await waitFor(() => {
      const box = document.querySelector('input[name="keep-old-data"]');
      if (!(box instanceof HTMLInputElement)) throw new Error('no keep box yet');
      return box;
    });
    expect(keep.checked).toBe(false);
    expect(keep.closest('label')?.textContent).toContain('Keep what was already sent to https://old.example.org there');
    fireEvent.click(keep);
    saveBackend('https://new.example.org');
    expect((await screen.findByTestId('backend-saved')).textContent).toContain(
      'What https://old.example.org holds stays there, as you chose.',
    );
    await waitFor(() => expect(screen.getByTestId('backend-current').textContent).toContain('https://new.example.org'));
    // The page clears what was typed once the stored backend changes, in an effect after the render: let it run, as
    // it would long before a person types the next address.
    await new Promise((resolve) => setTimeout(resolve, 50));
    saveBackend('https://newer.example.org');
    await waitFor(() =>
      expect(screen.getByTestId('backend-saved').textContent).toContain(
        'smartTags asked https://new.example.org to delete what it held',
      ),
    );
    expect(background.sent('sync.configure')).toEqual([
      { type: 'sync.configure', backendUrl: 'https://new.example.org', keepOldData: true },
      { type: 'sync.configure', backendUrl: 'https://newer.example.org' },
    ]);
  });
});

describe('Sync — status', () => {
  it('says uploading is off while “Send pseudonymous usage data” is off', async () => {
    await renderSync(syncBackground(consentView({ usage: true })));
    expect(screen.getByTestId('sync-uploading').textContent).toBe(
      'Off: “Send pseudonymous usage data” is off, so nothing is uploaded.',
    );
  });

  it('says uploading is paused while the updated policy awaits review', async () => {
    await renderSync(syncBackground(consentView({ usage: true, uploadUsage: true }, { needsReconsent: true })));
    expect(screen.getByTestId('sync-uploading').textContent).toContain(
      'Paused until you review the updated privacy policy',
    );
  });

  it('says uploading is on, and when no backend is set', async () => {
    await renderSync(
      syncBackground(consentView({ usage: true, account: true, uploadUsage: true, uploadAccount: true })),
    );
    expect(screen.getByTestId('sync-uploading').textContent).toBe(
      'On: pseudonymous usage data and your account analytics. No backend is set, so nothing is sent yet.',
    );
    await db.syncConfig.put({ id: 'current', backendUrl: 'https://smarttags.example.org' });
    await waitFor(() =>
      expect(screen.getByTestId('sync-uploading').textContent).toBe(
        'On: pseudonymous usage data and your account analytics.',
      ),
    );
  });

  it('shows the pseudonymous id, what waits, the last success and the last error — never the token', async () => {
    await db.syncConfig.put({ id: 'current', backendUrl: 'https://smarttags.example.org' });
    await renderSync();
    expect(screen.getByTestId('sync-identity').textContent).toContain('None yet');
    expect(screen.getByTestId('sync-pending').textContent).toBe('0 batches');
    expect(screen.getByTestId('sync-last-success').textContent).toBe('None yet');
    expect(screen.getByTestId('sync-last-error').textContent).toBe('None');

    await db.syncCredentials.put(identity());
    for (const seq of [1, 2, 3]) {
      await db.outbox.add({
        seq,
        batchId: `batch-${seq}-xxxxxxxx`,
        createdAt: 1,
        batch: {},
        dates: ['2026-12-01'],
        failures: 0,
        nextAttemptAt: 0,
      });
    }
    const successAt = Date.parse('2026-12-02T08:00:00Z');
    await db.uploadLog.bulkAdd([
      logEntry({ at: successAt - 1000, outcome: 'sent' }),
      logEntry({ at: successAt, outcome: 'duplicate' }),
      logEntry({ at: successAt + 1000, outcome: 'retrying', status: 503, error: 'HTTP 503: down for maintenance' }),
    ]);
    await waitFor(() =>
      expect(screen.getByTestId('sync-identity').textContent).toBe('Pseudonymous id: inst-1234-5678'),
    );
    expect(screen.getByTestId('sync-pending').textContent).toBe('3 batches');
    expect(screen.getByTestId('sync-last-success').querySelector('time')?.getAttribute('datetime')).toBe(
      new Date(successAt).toISOString(),
    );
    expect(screen.getByTestId('sync-last-error').textContent).toContain('HTTP 503: down for maintenance');
    expect(document.body.innerHTML).not.toContain(token);
  });

  it('syncs now and summarises the outcome', async () => {
    const background = await renderSync(
      syncBackground(undefined, {
        'sync.now': () => ({ sent: 2, dropped: 0, failed: 1, remaining: 1, deletionsConfirmed: 0 }),
      }),
    );
    fireEvent.click(screen.getByTestId('sync-now'));
    const result = await screen.findByTestId('sync-result');
    expect(result.closest('[role="status"]')).not.toBeNull();
    expect(result.textContent).toBe('Sent 2 batches; 1 waiting; 1 failed and will be retried.');
    expect(background.sent('sync.now')).toEqual([{ type: 'sync.now' }]);
  });

  it('mentions dropped batches and confirmed deletions when there are any', async () => {
    await renderSync(
      syncBackground(undefined, {
        'sync.now': () => ({ sent: 1, dropped: 1, failed: 0, remaining: 0, deletionsConfirmed: 1 }),
      }),
    );
    fireEvent.click(screen.getByTestId('sync-now'));
    expect((await screen.findByTestId('sync-result')).textContent).toBe(
      'Sent 1 batch; 0 waiting; 0 failed and will be retried. 1 batch was refused by the server and dropped. ' +
        '1 deletion confirmed by the server.',
    );
  });

  it('shows a failed sync as an alert', async () => {
    await renderSync(
      syncBackground(undefined, {
        'sync.now': () => {
          throw new BackgroundError('internal', 'Sync failed.');
        },
      }),
    );
    fireEvent.click(screen.getByTestId('sync-now'));
    const error = await screen.findByTestId('sync-error');
    expect(error.getAttribute('role')).toBe('alert');
    expect(error.textContent).toBe('Sync failed.');
  });
});

describe('Sync — preview', () => {
  const batch: UploadBatch = {
    schemaVersion: 1,
    batchId: 'preview-only',
    policyVersion: 2,
    scopes: { usage: true, account: false, uploadUsage: true, uploadAccount: false },
    environment: {
      browser: 'firefox',
      browserVersion: '140.0',
      os: 'linux',
      deviceType: 'desktop',
      timeZone: 'Europe/Berlin',
      country: 'DE',
    },
    days: [makeDay('2026-12-01')],
  };

  it('shows the exact JSON that would be sent', async () => {
    const background = await renderSync(syncBackground(undefined, { 'sync.preview': () => ({ batch }) }));
    fireEvent.click(screen.getByTestId('sync-preview'));
    const json = await screen.findByTestId('sync-preview-json');
    expect(json.tagName).toBe('PRE');
    expect(json.textContent).toBe(JSON.stringify(batch, null, 2));
    expect(JSON.parse(json.textContent ?? '')).toEqual(batch);
    expect(screen.getByTestId('sync-preview-note').textContent).toContain('This is exactly what would be sent');
    expect(screen.getByTestId('sync-preview-note').textContent).toContain('“preview-only”');
    expect(background.sent('sync.preview')).toEqual([{ type: 'sync.preview' }]);
    expect(screen.queryByTestId('sync-preview-none')).toBeNull();
  });

  it('says why nothing would be sent', async () => {
    await renderSync(syncBackground(undefined, { 'sync.preview': () => ({ reason: 'Uploading is off.' }) }));
    fireEvent.click(screen.getByTestId('sync-preview'));
    const none = await screen.findByTestId('sync-preview-none');
    expect(none.textContent).toBe('Nothing would be sent. Uploading is off.');
    expect(none.closest('[role="status"]')).not.toBeNull();
    expect(screen.queryByTestId('sync-preview-json')).toBeNull();
  });
});

describe('Sync — upload log', () => {
  it('says when nothing was uploaded yet', async () => {
    await renderSync();
    expect(screen.getByTestId('upload-log-empty').textContent).toBe('Nothing was uploaded or tried yet.');
    expect(screen.queryByTestId('upload-log')).toBeNull();
  });

  it('lists the newest 50 entries, newest first, in words', async () => {
    const base = Date.parse('2026-12-03T10:00:00Z');
    await db.uploadLog.bulkAdd([
      logEntry({ at: base, batchId: 'sent-batch-0001', dates: ['2026-12-02', '2026-12-01', '2026-11-30'] }),
      logEntry({ at: base + 1, batchId: 'dupe-batch-0002', outcome: 'duplicate' }),
      logEntry({ at: base + 2, batchId: 'drop-batch-0003', outcome: 'dropped', status: 422, error: 'HTTP 422: bad' }),
      logEntry({ at: base + 3, batchId: 'retry-batch-004', outcome: 'retrying', status: null, error: 'TypeError: x' }),
      logEntry({ at: base + 4, batchId: 'full-batch-0005', outcome: 'overflow', status: null, error: 'outbox full' }),
    ]);
    await renderSync();
    const table = screen.getByTestId('upload-log');
    const rows = within(table).getAllByRole('row').slice(1);
    const cells = rows.map((row) => [...row.querySelectorAll('td')].map((cell) => cell.textContent));
    expect(cells.map((row) => row.slice(1))).toEqual([
      ['full-bat…', '2026-12-01 (1 day)', 'Dropped: outbox full', '', 'outbox full'],
      ['retry-ba…', '2026-12-01 (1 day)', 'Will retry', 'No answer', 'TypeError: x'],
      ['drop-bat…', '2026-12-01 (1 day)', 'Dropped (not retried)', '422', 'HTTP 422: bad'],
      ['dupe-bat…', '2026-12-01 (1 day)', 'Already received', '200', ''],
      ['sent-bat…', '2026-11-30 – 2026-12-02 (3 days)', 'Sent', '200', ''],
    ]);
    expect(rows[0]?.querySelector('time')?.getAttribute('datetime')).toBe(new Date(base + 4).toISOString());

    await db.uploadLog.bulkAdd(Array.from({ length: 60 }, (_, index) => logEntry({ at: base + 10 + index })));
    await waitFor(() => expect(within(screen.getByTestId('upload-log')).getAllByRole('row')).toHaveLength(51));
  });
});

describe('Sync — deletion on the server', () => {
  it('explains the deletion and asks for confirmation in the page, moving focus into it', async () => {
    await db.syncCredentials.put(identity());
    await renderSync();
    const text = document.body.textContent ?? '';
    expect(text).toContain('A deletion is retried until the server confirms it');
    expect(text).toContain('uploads (if still on) start under a new pseudonymous id');
    fireEvent.click(screen.getByTestId('delete-remote'));
    const dialog = screen.getByTestId('delete-remote-dialog');
    expect(dialog.getAttribute('role')).toBe('dialog');
    expect(dialog.textContent).toContain('https://smarttags.example.org');
    expect(dialog.textContent).toContain('inst-1234-5678');
    // Uploading is still on in this view: the re-upload under a new id is said before deleting.
    expect(screen.getByTestId('delete-remote-reupload').textContent).toContain('upload your finished days again');
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId('delete-remote-cancel')));
    expect(document.body.innerHTML).not.toContain(token);
  });

  it('cancels with the button or Escape, asking nothing', async () => {
    const background = await renderSync();
    fireEvent.click(screen.getByTestId('delete-remote'));
    fireEvent.click(screen.getByTestId('delete-remote-cancel'));
    expect(screen.queryByTestId('delete-remote-dialog')).toBeNull();
    expect(document.activeElement).toBe(screen.getByTestId('delete-remote'));

    fireEvent.click(screen.getByTestId('delete-remote'));
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId('delete-remote-cancel')));
    fireEvent.keyDown(screen.getByTestId('delete-remote-cancel'), { key: 'Escape' });
    expect(screen.queryByTestId('delete-remote-dialog')).toBeNull();
    expect(document.activeElement).toBe(screen.getByTestId('delete-remote'));
    expect(background.sent('sync.deleteRemote')).toEqual([]);
  });

  it('asks for the deletion on confirmation', async () => {
    const background = await renderSync(syncBackground(undefined, { 'sync.deleteRemote': () => ({ queued: true }) }));
    fireEvent.click(screen.getByTestId('delete-remote'));
    fireEvent.click(screen.getByTestId('delete-remote-confirm'));
    const done = await screen.findByTestId('delete-remote-done');
    expect(done.closest('[role="status"]')).not.toBeNull();
    expect(done.textContent).toContain('retries it until the server confirms it');
    expect(background.sent('sync.deleteRemote')).toEqual([{ type: 'sync.deleteRemote' }]);
    expect(screen.queryByTestId('delete-remote-dialog')).toBeNull();
    expect(document.activeElement).toBe(screen.getByTestId('delete-remote'));
  });

  it('says when there was nothing to delete, and shows a failure in the dialog', async () => {
    let answer: 'nothing' | 'fail' = 'nothing';
    await renderSync(
      syncBackground(undefined, {
        'sync.deleteRemote': () => {
          if (answer === 'fail') throw new BackgroundError('internal', 'Could not queue the deletion.');
          return { queued: false };
        },
      }),
    );
    fireEvent.click(screen.getByTestId('delete-remote'));
    fireEvent.click(screen.getByTestId('delete-remote-confirm'));
    expect((await screen.findByTestId('delete-remote-nothing')).textContent).toContain('nothing to delete there');

    answer = 'fail';
    fireEvent.click(screen.getByTestId('delete-remote'));
    fireEvent.click(screen.getByTestId('delete-remote-confirm'));
    const error = await screen.findByTestId('delete-remote-error');
    expect(error.getAttribute('role')).toBe('alert');
    expect(error.textContent).toBe('Could not queue the deletion.');
    expect(screen.getByTestId('delete-remote-dialog')).toBeTruthy();
  });

  it('shows a receipt’s counts, a held request in words, and no id once it is forgotten', async () => {
    await renderSync();
    await db.deletionRequests.bulkPut([
      deletion({
        id: 'del-a',
        requestedAt: Date.parse('2026-12-01T10:00:00Z'),
        status: 'confirmed',
        token: null,
        installationId: null,
        receiptId: null,
        deletedAt: '2026-12-01T10:00:05.000Z',
        deleted: { days: 365, accountSnapshots: 730, batches: 12 },
        fromWipe: true,
      }),
      deletion({ id: 'del-b', requestedAt: Date.parse('2026-12-02T10:00:00Z'), status: 'held' }),
    ]);
    const table = await screen.findByTestId('deletion-receipts');
    const cells = within(table)
      .getAllByRole('row')
      .slice(1)
      .map((row) => [...row.querySelectorAll('td')].map((cell) => cell.textContent));
    expect(cells[0]?.slice(2, 4)).toEqual(['inst-old-0001', 'Kept at your choice']);
    expect(cells[1]?.slice(2, 4)).toEqual(['forgotten', 'Confirmed']);
    expect(cells[1]?.[4]).toMatch(
      /^Deleted .+ \(receipt id not kept after “Delete all my data”\) — deleted 365 days, 730 account data points, 12 batches$/,
    );
  });

  it('lists deletion receipts newest first with their status in words — never their token', async () => {
    await renderSync();
    expect(screen.getByTestId('deletion-receipts-empty').textContent).toBe('No deletion requested yet.');
    const day = 86_400_000;
    const first = Date.parse('2026-12-01T10:00:00Z');
    await db.deletionRequests.bulkPut([
      deletion({
        id: 'del-a',
        requestedAt: first,
        status: 'confirmed',
        receiptId: 'rcpt-42',
        deletedAt: '2026-12-01T10:00:05.000Z',
      }),
      deletion({ id: 'del-b', requestedAt: first + day, status: 'sent', lastError: 'HTTP 503', failures: 1 }),
      deletion({ id: 'del-c', requestedAt: first + 2 * day, status: 'queued', installationId: 'inst-new-0002' }),
      deletion({ id: 'del-d', requestedAt: first - day, status: 'confirmed', receiptId: null, deletedAt: null }),
    ]);
    const table = await screen.findByTestId('deletion-receipts');
    const rows = within(table).getAllByRole('row').slice(1);
    const cells = rows.map((row) => [...row.querySelectorAll('td')].map((cell) => cell.textContent));
    expect(cells.map((row) => row.slice(1, 4))).toEqual([
      ['https://smarttags.example.org', 'inst-new-0002', 'Queued'],
      ['https://smarttags.example.org', 'inst-old-0001', 'Sent — waiting for the server to confirm'],
      ['https://smarttags.example.org', 'inst-old-0001', 'Confirmed'],
      ['https://smarttags.example.org', 'inst-old-0001', 'Confirmed'],
    ]);
    expect(cells[0]?.[4]).toBe('');
    expect(cells[1]?.[5]).toBe('HTTP 503');
    expect(cells[2]?.[4]).toContain('Receipt rcpt-42, deleted ');
    expect(cells[3]?.[4]).toBe('No receipt (the server no longer knew this id)');
    expect(rows[0]?.querySelector('time')?.getAttribute('datetime')).toBe(new Date(first + 2 * day).toISOString());
    expect(document.body.innerHTML).not.toContain(otherToken);
  });
});

describe('Sync — the page only reads', () => {
  it('never writes the database itself, and never shows a token', async () => {
    await db.syncCredentials.put(identity());
    await db.deletionRequests.put(deletion({}));
    const background = fakeBackground(consentView({ usage: true, uploadUsage: true }), {
      'sync.configure': (message) => ({ backendUrl: message.backendUrl, oldData: 'none' as const }),
      'sync.now': () => ({ sent: 0, dropped: 0, failed: 0, remaining: 0, deletionsConfirmed: 0 }),
      'sync.preview': () => ({ reason: 'Nothing yet.' }),
      'sync.deleteRemote': () => ({ queued: true }),
    });
    await renderSync(background);
    saveBackend('https://smarttags.example.org');
    await screen.findByTestId('backend-saved');
    fireEvent.click(screen.getByTestId('sync-now'));
    await screen.findByTestId('sync-result');
    fireEvent.click(screen.getByTestId('sync-preview'));
    await screen.findByTestId('sync-preview-none');
    fireEvent.click(screen.getByTestId('delete-remote'));
    fireEvent.click(screen.getByTestId('delete-remote-confirm'));
    await screen.findByTestId('delete-remote-done');
    expect(await db.syncConfig.count()).toBe(0);
    expect(await db.syncCredentials.toArray()).toEqual([identity()]);
    expect(await db.deletionRequests.toArray()).toEqual([deletion({})]);
    expect(await db.uploadLog.count()).toBe(0);
    expect(await db.outbox.count()).toBe(0);
    expect(document.body.innerHTML).not.toContain(token);
    expect(document.body.innerHTML).not.toContain(otherToken);
  });
});
