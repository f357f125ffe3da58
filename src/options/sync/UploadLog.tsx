import type { SmartTagsDatabase } from '../../shared/db';
import type { UploadLogRecord } from '../../shared/records';
import { useLiveQuery } from '../../shared/ui/useLiveQuery';
import { describeDates, shortId, timeFormat } from './format';

const shown = 50;

const outcomes: Record<UploadLogRecord['outcome'], string> = {
  sent: 'Sent',
  duplicate: 'Already received',
  dropped: 'Dropped (not retried)',
  retrying: 'Will retry',
  overflow: 'Dropped: outbox full',
};

const text = {
  caption: `The newest ${shown} uploads and attempts, newest first.`,
  when: 'Time',
  batch: 'Batch',
  days: 'Days',
  outcome: 'Outcome',
  status: 'HTTP status',
  error: 'Error',
  noAnswer: 'No answer',
  loading: 'Loading…',
  failed: (message: string) => `Could not read the upload log: ${message}`,
  empty: 'Nothing was uploaded or tried yet.',
};

/** The upload log as the background wrote it: one row per attempt to send a batch (or drop one). */
export function UploadLog({ db }: { db: SmartTagsDatabase }) {
  const entries = useLiveQuery(() => db.uploadLog.orderBy('at').reverse().limit(shown).toArray(), [db]);
  if (entries.state === 'loading') return <p aria-busy="true">{text.loading}</p>;
  if (entries.state === 'failed') {
    return (
      <p role="alert" class="alert">
        {text.failed(entries.message)}
      </p>
    );
  }
  if (entries.value.length === 0) {
    return (
      <p class="empty" data-testid="upload-log-empty">
        {text.empty}
      </p>
    );
  }
  return (
    <div class="table-scroll">
      <table data-testid="upload-log">
        <caption>{text.caption}</caption>
        <thead>
          <tr>
            <th scope="col">{text.when}</th>
            <th scope="col">{text.batch}</th>
            <th scope="col">{text.days}</th>
            <th scope="col">{text.outcome}</th>
            <th scope="col">{text.status}</th>
            <th scope="col">{text.error}</th>
          </tr>
        </thead>
        <tbody>
          {entries.value.map((entry) => (
            <tr key={entry.id} data-outcome={entry.outcome}>
              <td>
                <time dateTime={new Date(entry.at).toISOString()}>{timeFormat.format(entry.at)}</time>
              </td>
              <td>
                <code title={entry.batchId}>{shortId(entry.batchId)}</code>
              </td>
              <td>{describeDates(entry.dates)}</td>
              <td>{outcomes[entry.outcome]}</td>
              <td>{entry.status ?? (entry.outcome === 'retrying' ? text.noAnswer : '')}</td>
              <td class="log-error">{entry.error ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
