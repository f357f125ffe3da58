import { useState } from 'preact/hooks';
import type { SmartTagsDatabase } from '../../shared/db';
import type { ConsentView, ReplyValues } from '../../shared/messages';
import type { UploadLogRecord } from '../../shared/records';
import { useAsk } from '../../shared/ui/background';
import { errorMessage } from '../../shared/ui/errors';
import { scopeText } from '../../shared/ui/scopeText';
import { type LiveResult, useLiveQuery } from '../../shared/ui/useLiveQuery';
import { plural, timeFormat } from './format';

const text = {
  uploading: 'Uploading',
  off: `Off: “${scopeText.uploadUsage.label}” is off, so nothing is uploaded.`,
  paused: 'Paused until you review the updated privacy policy: nothing is uploaded meanwhile.',
  on: (withAccount: boolean) =>
    withAccount ? 'On: anonymous usage data and your account analytics.' : 'On: anonymous usage data.',
  noBackend: 'No backend is set, so nothing is sent yet.',
  identity: 'Identity at the server',
  pseudonym: (installationId: string) => `Pseudonymous id: ${installationId}`,
  pseudonymAt: (installationId: string, backendUrl: string) => `Pseudonymous id: ${installationId} (at ${backendUrl})`,
  noPseudonym: 'None yet: the server gives smartTags a pseudonymous id at the first upload.',
  pending: 'Waiting to be sent',
  pendingCount: (count: number) => plural(count, 'batch', 'batches'),
  lastSuccess: 'Last successful upload',
  never: 'None yet',
  lastError: 'Last error',
  noError: 'None',
  errorAt: (at: number, error: string, status: number | null) =>
    `${timeFormat.format(at)}: ${error}${status === null || error.includes(`HTTP ${status}`) ? '' : ` (HTTP ${status})`}`,
  syncNow: 'Sync now',
  syncing: 'Syncing…',
  result: ({ sent, remaining, failed, dropped, deletionsConfirmed }: ReplyValues['sync.now']) =>
    [
      `Sent ${plural(sent, 'batch', 'batches')}; ${remaining} waiting; ${failed} failed and will be retried.`,
      dropped > 0 ? `${plural(dropped, 'batch was', 'batches were')} refused by the server and dropped.` : '',
      deletionsConfirmed > 0 ? `${plural(deletionsConfirmed, 'deletion', 'deletions')} confirmed by the server.` : '',
    ]
      .filter((part) => part !== '')
      .join(' '),
  loading: 'Loading…',
  failed: (message: string) => `Could not read the sync state: ${message}`,
};

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
  if (!consent.scopes.uploadUsage) return text.off;
  if (consent.policy.needsReconsent) return text.paused;
  const on = text.on(consent.scopes.uploadAccount);
  return backendUrl === null ? `${on} ${text.noBackend}` : on;
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

  if (facts.state === 'loading' || consent.state === 'loading') return <p aria-busy="true">{text.loading}</p>;
  if (facts.state === 'failed' || consent.state === 'failed') {
    return (
      <p role="alert" class="alert">
        {text.failed(facts.state === 'failed' ? facts.message : consent.state === 'failed' ? consent.message : '')}
      </p>
    );
  }
  const { backendUrl, identity, pending, lastSuccess, lastError } = facts.value;
  return (
    <div class="sync-status">
      <dl class="facts">
        <dt>{text.uploading}</dt>
        <dd data-testid="sync-uploading">{uploadingText(consent.value, backendUrl)}</dd>
        <dt>{text.identity}</dt>
        <dd data-testid="sync-identity">
          {identity === null
            ? text.noPseudonym
            : identity.backendUrl === backendUrl
              ? text.pseudonym(identity.installationId)
              : text.pseudonymAt(identity.installationId, identity.backendUrl)}
        </dd>
        <dt>{text.pending}</dt>
        <dd data-testid="sync-pending">{text.pendingCount(pending)}</dd>
        <dt>{text.lastSuccess}</dt>
        <dd data-testid="sync-last-success">
          {lastSuccess ? (
            <time dateTime={new Date(lastSuccess.at).toISOString()}>{timeFormat.format(lastSuccess.at)}</time>
          ) : (
            text.never
          )}
        </dd>
        <dt>{text.lastError}</dt>
        <dd data-testid="sync-last-error">
          {lastError?.error ? text.errorAt(lastError.at, lastError.error, lastError.status) : text.noError}
        </dd>
      </dl>
      <div class="button-row">
        <button type="button" data-testid="sync-now" onClick={() => void syncNow()}>
          {text.syncNow}
        </button>
      </div>
      <div role="status" class="status">
        {syncing && text.syncing}
        {result?.kind === 'done' && <span data-testid="sync-result">{text.result(result.value)}</span>}
      </div>
      {result?.kind === 'failed' && (
        <p role="alert" class="alert" data-testid="sync-error">
          {result.message}
        </p>
      )}
    </div>
  );
}
