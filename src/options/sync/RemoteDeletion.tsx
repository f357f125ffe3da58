import { useId, useRef, useState } from 'preact/hooks';
import type { SmartTagsDatabase } from '../../shared/db';
import type { ConsentView } from '../../shared/messages';
import type { DeletionRequestRecord } from '../../shared/records';
import { useAsk } from '../../shared/ui/background';
import { ConfirmDialog } from '../../shared/ui/ConfirmDialog';
import { errorMessage } from '../../shared/ui/errors';
import { scopeText } from '../../shared/ui/scopeText';
import { type LiveResult, useLiveQuery } from '../../shared/ui/useLiveQuery';
import { timeFormat } from './format';

const statuses: Record<DeletionRequestRecord['status'], string> = {
  queued: 'Queued',
  sent: 'Sent — waiting for the server to confirm',
  confirmed: 'Confirmed',
};

const text = {
  explain:
    'Asks the server to delete everything it holds under your pseudonymous id. A deletion is retried until the ' +
    'server confirms it, even if you stop using that backend meanwhile. Afterwards, uploads (if still on) start under ' +
    'a new pseudonymous id.',
  open: 'Delete my data on the server',
  title: 'Delete your data on the server?',
  what: (identity: Identity | null) =>
    identity === null
      ? 'smartTags has no pseudonymous id on a server right now, so there may be nothing to delete there.'
      : `smartTags asks ${identity.backendUrl} to delete everything it holds under the pseudonymous id ` +
        `${identity.installationId}, and forgets that id. Batches waiting to be sent are discarded.`,
  kept: 'Your data in this browser stays.',
  reupload: `“${scopeText.uploadUsage.label}” is still on: smartTags will then upload your finished days again, under a new pseudonymous id. Turn it off first if you want nothing more on the server.`,
  confirm: 'Delete on the server',
  cancel: 'Cancel',
  deleting: 'Asking the server…',
  queued: 'Deletion requested; its receipt is below. smartTags retries it until the server confirms it.',
  nothing: 'smartTags has no pseudonymous id on a server right now, so there was nothing to delete there.',
  receipts: 'Deletion requests, newest first.',
  requested: 'Requested',
  backend: 'Server',
  pseudonym: 'Pseudonymous id',
  status: 'Status',
  receipt: 'Receipt',
  lastError: 'Last error',
  receiptText: (receiptId: string | null, deletedAt: string | null) =>
    [
      receiptId === null ? 'No receipt (the server no longer knew this id)' : `Receipt ${receiptId}`,
      deletedAt === null ? '' : `deleted ${formatIso(deletedAt)}`,
    ]
      .filter((part) => part !== '')
      .join(', '),
  loading: 'Loading…',
  failed: (message: string) => `Could not read the deletion requests: ${message}`,
  empty: 'No deletion requested yet.',
};

interface Identity {
  installationId: string;
  backendUrl: string;
}

/** A deletion request without its token: the token never reaches the page's state. */
type Receipt = Omit<DeletionRequestRecord, 'token'>;

function formatIso(iso: string): string {
  const at = Date.parse(iso);
  return Number.isNaN(at) ? iso : timeFormat.format(at);
}

async function readState(db: SmartTagsDatabase): Promise<{ identity: Identity | null; receipts: Receipt[] }> {
  const credentials = await db.syncCredentials.get('current');
  const requests = await db.deletionRequests.toArray();
  return {
    identity: credentials ? { installationId: credentials.installationId, backendUrl: credentials.backendUrl } : null,
    receipts: requests
      .map(({ token: _token, ...receipt }) => receipt)
      .sort((a, b) => b.requestedAt - a.requestedAt || b.id.localeCompare(a.id)),
  };
}

type Outcome = { kind: 'done'; queued: boolean } | { kind: 'failed'; message: string };

/**
 * "Delete my data on the server", behind an in-page confirmation like WipeControl's: focus moves into it, Escape
 * cancels and focus returns to the button. Below it, every deletion request with its status and receipt.
 */
export function RemoteDeletion({ db, consent }: { db: SmartTagsDatabase; consent: LiveResult<ConsentView> }) {
  const ask = useAsk();
  const id = useId();
  const state = useLiveQuery(() => readState(db), [db]);
  const [open, setOpen] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const opener = useRef<HTMLButtonElement>(null);

  function close() {
    setOpen(false);
    opener.current?.focus();
  }

  async function remove() {
    setDeleting(true);
    setOutcome(null);
    try {
      const { queued } = await ask({ type: 'sync.deleteRemote' });
      setOutcome({ kind: 'done', queued });
      close();
    } catch (error) {
      setOutcome({ kind: 'failed', message: errorMessage(error) });
    } finally {
      setDeleting(false);
    }
  }

  if (state.state === 'loading') return <p aria-busy="true">{text.loading}</p>;
  if (state.state === 'failed') {
    return (
      <p role="alert" class="alert">
        {text.failed(state.message)}
      </p>
    );
  }
  const { identity, receipts } = state.value;
  const uploading = consent.state === 'ready' && consent.value.scopes.uploadUsage;
  return (
    <div class="remote-deletion">
      <p id={`${id}-explain`}>{text.explain}</p>
      <button
        type="button"
        class="danger"
        ref={opener}
        data-testid="delete-remote"
        aria-expanded={open}
        aria-describedby={`${id}-explain`}
        onClick={() => {
          setOutcome(null);
          setOpen(true);
        }}
      >
        {text.open}
      </button>
      <ConfirmDialog
        open={open}
        id={id}
        title={text.title}
        describedBy={`${id}-what ${id}-kept${uploading ? ` ${id}-reupload` : ''}`}
        confirmLabel={text.confirm}
        cancelLabel={text.cancel}
        testId="delete-remote"
        onConfirm={() => void remove()}
        onClose={close}
        busy={deleting}
        busyLabel={text.deleting}
        error={outcome?.kind === 'failed' ? outcome.message : null}
        outcome={
          outcome?.kind === 'done' && (
            <span data-testid={outcome.queued ? 'delete-remote-done' : 'delete-remote-nothing'}>
              {outcome.queued ? text.queued : text.nothing}
            </span>
          )
        }
      >
        <p id={`${id}-what`}>{text.what(identity)}</p>
        <p id={`${id}-kept`}>{text.kept}</p>
        {uploading && (
          <p id={`${id}-reupload`} class="notice" data-testid="delete-remote-reupload">
            {text.reupload}
          </p>
        )}
      </ConfirmDialog>
      {receipts.length === 0 ? (
        <p class="empty" data-testid="deletion-receipts-empty">
          {text.empty}
        </p>
      ) : (
        <div class="table-scroll">
          <table data-testid="deletion-receipts">
            <caption>{text.receipts}</caption>
            <thead>
              <tr>
                <th scope="col">{text.requested}</th>
                <th scope="col">{text.backend}</th>
                <th scope="col">{text.pseudonym}</th>
                <th scope="col">{text.status}</th>
                <th scope="col">{text.receipt}</th>
                <th scope="col">{text.lastError}</th>
              </tr>
            </thead>
            <tbody>
              {receipts.map((receipt) => (
                <tr key={receipt.id} data-status={receipt.status}>
                  <td>
                    <time dateTime={new Date(receipt.requestedAt).toISOString()}>
                      {timeFormat.format(receipt.requestedAt)}
                    </time>
                  </td>
                  <td>{receipt.backendUrl}</td>
                  <td>
                    <code>{receipt.installationId}</code>
                  </td>
                  <td>{statuses[receipt.status]}</td>
                  <td>
                    {receipt.status === 'confirmed' ? text.receiptText(receipt.receiptId, receipt.deletedAt) : ''}
                  </td>
                  <td class="log-error">{receipt.lastError ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
