import { useState } from 'preact/hooks';
import type { ConsentView, ReplyValues } from '../../shared/contracts/messages';
import type { SmartTagsDatabase } from '../../shared/storage/db';
import type { UploadLogRecord } from '../../shared/storage/records';
import { useAsk } from '../../shared/ui/background';
import { errorMessage } from '../../shared/ui/errors';
import { formatCount, formatDateTime, t, tPlural } from '../../shared/ui/i18n';
import { scopeText } from '../../shared/ui/scopeText';
import { type LiveResult, useLiveQuery } from '../../shared/ui/useLiveQuery';

const batches = (count: number) => tPlural(count, 'syncStatusBatchesOne', 'syncStatusBatchesOther');

function errorAt(at: number, error: string, status: number | null): string {
  const time = formatDateTime(at, 'seconds');
  // Errors from an HTTP answer already name their status ("HTTP 503: …").
  return status === null || error.includes(`HTTP ${status}`)
    ? t('syncStatusErrorAt', time, error)
    : t('syncStatusErrorAtWithStatus', time, error, String(status));
}

function resultText({ sent, remaining, failed, dropped, deletionsConfirmed }: ReplyValues['sync.now']): string {
  return [
    t('syncStatusResult', batches(sent), formatCount(remaining), formatCount(failed)),
    dropped > 0 ? tPlural(dropped, 'syncStatusDroppedOne', 'syncStatusDroppedOther') : '',
    deletionsConfirmed > 0 ? tPlural(deletionsConfirmed, 'syncStatusDeletionsOne', 'syncStatusDeletionsOther') : '',
  ]
    .filter((part) => part !== '')
    .join(' ');
}

interface Facts {
  backendUrl: string | null;
  /** The identity without its token: the token never reaches the page's state. */
  identity: { installationId: string; backendUrl: string } | null;
  pending: number;
  lastSuccess: UploadLogRecord | undefined;
  lastError: UploadLogRecord | undefined;
}

async function readFacts(db: SmartTagsDatabase): Promise<Facts> {
  const config = await db.syncConfig.get('current');
  const credentials = await db.syncCredentials.get('current');
  const pending = await db.outbox.count();
  const newestFirst = () => db.uploadLog.orderBy('at').reverse();
  const lastSuccess = await newestFirst()
    .filter((entry) => entry.outcome === 'sent' || entry.outcome === 'duplicate')
    .first();
  const lastError = await newestFirst()
    .filter((entry) => entry.error !== null)
    .first();
  return {
    backendUrl: config?.backendUrl ?? null,
    identity: credentials ? { installationId: credentials.installationId, backendUrl: credentials.backendUrl } : null,
    pending,
    lastSuccess,
    lastError,
  };
}

function uploadingText(consent: ConsentView, backendUrl: string | null): string {
  if (!consent.scopes.uploadUsage) return t('syncStatusOff', scopeText.uploadUsage.label);
  if (consent.policy.needsReconsent) return t('syncStatusPaused');
  const on = t(consent.scopes.uploadAccount ? 'syncStatusOnUsageAndAccount' : 'syncStatusOnUsage');
  return backendUrl === null ? `${on} ${t('syncStatusNoBackend')}` : on;
}

/** Whether uploading is on, the identity, what waits, how the last uploads went — and "Sync now". */
export function SyncStatus({ db, consent }: { db: SmartTagsDatabase; consent: LiveResult<ConsentView> }) {
  const ask = useAsk();
  const facts = useLiveQuery(() => readFacts(db), [db]);
  const [syncing, setSyncing] = useState(false);
  const [result, setResult] = useState<
    { kind: 'done'; value: ReplyValues['sync.now'] } | { kind: 'failed'; message: string } | null
  >(null);

  async function syncNow() {
    if (syncing) return;
    setSyncing(true);
    setResult(null);
    try {
      setResult({ kind: 'done', value: await ask({ type: 'sync.now' }) });
    } catch (error) {
      setResult({ kind: 'failed', message: errorMessage(error) });
    } finally {
      setSyncing(false);
    }
  }

  if (facts.state === 'loading' || consent.state === 'loading') return <p aria-busy="true">{t('commonLoading')}</p>;
  if (facts.state === 'failed' || consent.state === 'failed') {
    return (
      <p role="alert" class="alert">
        {t(
          'syncStatusFailed',
          facts.state === 'failed' ? facts.message : consent.state === 'failed' ? consent.message : '',
        )}
      </p>
    );
  }
  const { backendUrl, identity, pending, lastSuccess, lastError } = facts.value;
  return (
    <div class="sync-status">
      <dl class="facts">
        <dt>{t('syncStatusUploading')}</dt>
        <dd data-testid="sync-uploading">{uploadingText(consent.value, backendUrl)}</dd>
        <dt>{t('syncStatusIdentity')}</dt>
        <dd data-testid="sync-identity">
          {identity === null
            ? t('syncStatusNoPseudonym')
            : identity.backendUrl === backendUrl
              ? t('syncStatusPseudonym', identity.installationId)
              : t('syncStatusPseudonymAt', identity.installationId, identity.backendUrl)}
        </dd>
        <dt>{t('syncStatusPending')}</dt>
        <dd data-testid="sync-pending">{batches(pending)}</dd>
        <dt>{t('syncStatusLastSuccess')}</dt>
        <dd data-testid="sync-last-success">
          {lastSuccess ? (
            <time dateTime={new Date(lastSuccess.at).toISOString()}>{formatDateTime(lastSuccess.at, 'seconds')}</time>
          ) : (
            t('syncStatusNever')
          )}
        </dd>
        <dt>{t('syncStatusLastError')}</dt>
        <dd data-testid="sync-last-error">
          {lastError?.error ? errorAt(lastError.at, lastError.error, lastError.status) : t('syncStatusNoError')}
        </dd>
      </dl>
      <div class="button-row">
        <button type="button" data-testid="sync-now" onClick={() => void syncNow()}>
          {t('syncStatusSyncNow')}
        </button>
      </div>
      <div role="status" class="status">
        {syncing && t('syncStatusSyncing')}
        {result?.kind === 'done' && <span data-testid="sync-result">{resultText(result.value)}</span>}
      </div>
      {result?.kind === 'failed' && (
        <p role="alert" class="alert" data-testid="sync-error">
          {result.message}
        </p>
      )}
    </div>
  );
}
