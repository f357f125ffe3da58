import { useId } from 'preact/hooks';
import type { ConsentView } from '../../shared/contracts/messages';
import type { SmartTagsDatabase } from '../../shared/storage/db';
import type { DeletionRequestRecord } from '../../shared/storage/records';
import { useAsk } from '../../shared/ui/background';
import { ConfirmDialog, useConfirmedAction } from '../../shared/ui/ConfirmDialog';
import { formatCount, formatDateTime, type MessageKey, t } from '../../shared/ui/i18n';
import { scopeText } from '../../shared/ui/scopeText';
import { TableScroll } from '../../shared/ui/TableScroll';
import { type LiveResult, useLiveQuery } from '../../shared/ui/useLiveQuery';

const statusLabelKeys: Record<DeletionRequestRecord['status'], MessageKey> = {
  held: 'remoteDeletionStatusHeld',
  queued: 'remoteDeletionStatusQueued',
  sent: 'remoteDeletionStatusSent',
  confirmed: 'remoteDeletionStatusConfirmed',
};

/**
 * A confirmed deletion's receipt: its id (not kept after "Delete all my data"), when the server deleted, and what it
 * says it deleted.
 */
function receiptText({ receiptId, deletedAt, deleted }: Receipt): string {
  if (deletedAt === null) {
    return receiptId === null ? t('remoteDeletionNoReceipt') : t('remoteDeletionReceiptId', receiptId);
  }
  const when = formatIso(deletedAt);
  const said =
    receiptId === null
      ? t('remoteDeletionNoReceiptDeleted', when)
      : t('remoteDeletionReceiptIdDeleted', receiptId, when);
  if (!deleted) return said;
  return `${said} — ${t(
    'remoteDeletionReceiptCounts',
    formatCount(deleted.days),
    formatCount(deleted.accountSnapshots),
    formatCount(deleted.batches),
  )}`;
}

interface Identity {
  installationId: string;
  backendUrl: string;
}

/** A deletion request without its token: the token never reaches the page's state. */
type Receipt = Omit<DeletionRequestRecord, 'token'>;

function formatIso(iso: string): string {
  const at = Date.parse(iso);
  return Number.isNaN(at) ? iso : formatDateTime(at, 'seconds');
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

/**
 * "Delete my data on the server", behind an in-page confirmation like WipeControl's: focus moves into it, Escape
 * cancels and focus returns to the button. Below it, every deletion request with its status and receipt.
 */
export function RemoteDeletion({ db, consent }: { db: SmartTagsDatabase; consent: LiveResult<ConsentView> }) {
  const ask = useAsk();
  const id = useId();
  const state = useLiveQuery(() => readState(db), [db]);
  const deletion = useConfirmedAction(() => ask({ type: 'sync.deleteRemote' }));

  if (state.state === 'loading') return <p aria-busy="true">{t('commonLoading')}</p>;
  if (state.state === 'failed') {
    return (
      <p role="alert" class="alert">
        {t('remoteDeletionFailed', state.message)}
      </p>
    );
  }
  const { identity, receipts } = state.value;
  const uploading = consent.state === 'ready' && consent.value.scopes.uploadUsage;
  return (
    <div class="remote-deletion">
      <p id={`${id}-explain`}>{t('remoteDeletionExplain')}</p>
      <button
        type="button"
        class="danger"
        ref={deletion.opener}
        data-testid="delete-remote"
        aria-expanded={deletion.open}
        aria-describedby={`${id}-explain`}
        onClick={deletion.show}
      >
        {t('remoteDeletionOpen')}
      </button>
      <ConfirmDialog
        open={deletion.open}
        id={id}
        title={t('remoteDeletionTitle')}
        describedBy={`${id}-what ${id}-kept${uploading ? ` ${id}-reupload` : ''}`}
        confirmLabel={t('remoteDeletionConfirm')}
        cancelLabel={t('commonCancel')}
        testId="delete-remote"
        onConfirm={() => void deletion.confirm()}
        onClose={deletion.close}
        busy={deletion.busy}
        busyLabel={t('remoteDeletionDeleting')}
        error={deletion.error}
        outcome={
          deletion.outcome?.kind === 'done' && (
            <span data-testid={deletion.outcome.value.queued ? 'delete-remote-done' : 'delete-remote-nothing'}>
              {t(deletion.outcome.value.queued ? 'remoteDeletionQueued' : 'remoteDeletionNothing')}
            </span>
          )
        }
      >
        <p id={`${id}-what`}>
          {identity === null
            ? t('remoteDeletionWhatNone')
            : t('remoteDeletionWhat', identity.backendUrl, identity.installationId)}
        </p>
        <p id={`${id}-kept`}>{t('remoteDeletionKept')}</p>
        {uploading && (
          <p id={`${id}-reupload`} class="notice" data-testid="delete-remote-reupload">
            {t('remoteDeletionReupload', scopeText.uploadUsage.label)}
          </p>
        )}
      </ConfirmDialog>
      {receipts.length === 0 ? (
        <p class="empty" data-testid="deletion-receipts-empty">
          {t('remoteDeletionEmpty')}
        </p>
      ) : (
        <TableScroll label={t('remoteDeletionReceipts')}>
          <table data-testid="deletion-receipts">
            <caption>{t('remoteDeletionReceipts')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('remoteDeletionRequested')}</th>
                <th scope="col">{t('remoteDeletionBackend')}</th>
                <th scope="col">{t('remoteDeletionPseudonym')}</th>
                <th scope="col">{t('remoteDeletionStatus')}</th>
                <th scope="col">{t('remoteDeletionReceipt')}</th>
                <th scope="col">{t('remoteDeletionLastError')}</th>
              </tr>
            </thead>
            <tbody>
              {receipts.map((receipt) => (
                <tr key={receipt.id} data-status={receipt.status}>
                  <td>
                    <time dateTime={new Date(receipt.requestedAt).toISOString()}>
                      {formatDateTime(receipt.requestedAt, 'seconds')}
                    </time>
                  </td>
                  <td>{receipt.backendUrl}</td>
                  <td>
                    {receipt.installationId === null ? (
                      t('remoteDeletionIdForgotten')
                    ) : (
                      <code>{receipt.installationId}</code>
                    )}
                  </td>
                  <td>{t(statusLabelKeys[receipt.status])}</td>
                  <td>{receipt.status === 'confirmed' ? receiptText(receipt) : ''}</td>
                  <td class="log-error">{receipt.lastError ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </div>
  );
}
