import type { SmartTagsDatabase } from '../../shared/storage/db';
import type { UploadLogRecord } from '../../shared/storage/records';
import { formatCount, formatDateTime, type MessageKey, t } from '../../shared/ui/i18n';
import { TableScroll } from '../../shared/ui/TableScroll';
import { useLiveQuery } from '../../shared/ui/useLiveQuery';
import { describeDates, shortId } from './format';

const shown = 50;

const outcomeLabelKeys: Record<UploadLogRecord['outcome'], MessageKey> = {
  sent: 'uploadLogOutcomeSent',
  duplicate: 'uploadLogOutcomeDuplicate',
  dropped: 'uploadLogOutcomeDropped',
  retrying: 'uploadLogOutcomeRetrying',
  overflow: 'uploadLogOutcomeOverflow',
  split: 'uploadLogOutcomeSplit',
  'too-large': 'uploadLogOutcomeTooLarge',
};

/** The upload log as the background wrote it: one row per attempt to send a batch (or drop one). */
export function UploadLog({ db }: { db: SmartTagsDatabase }) {
  const entries = useLiveQuery(() => db.uploadLog.orderBy('at').reverse().limit(shown).toArray(), [db]);
  if (entries.state === 'loading') return <p aria-busy="true">{t('commonLoading')}</p>;
  if (entries.state === 'failed') {
    return (
      <p role="alert" class="alert">
        {t('uploadLogFailed', entries.message)}
      </p>
    );
  }
  if (entries.value.length === 0) {
    return (
      <p class="empty" data-testid="upload-log-empty">
        {t('uploadLogEmpty')}
      </p>
    );
  }
  return (
    <TableScroll label={t('uploadLogCaption', formatCount(shown))}>
      <table data-testid="upload-log">
        <caption>{t('uploadLogCaption', formatCount(shown))}</caption>
        <thead>
          <tr>
            <th scope="col">{t('uploadLogWhen')}</th>
            <th scope="col">{t('uploadLogBatch')}</th>
            <th scope="col">{t('uploadLogDays')}</th>
            <th scope="col">{t('uploadLogOutcome')}</th>
            <th scope="col">{t('uploadLogStatus')}</th>
            <th scope="col">{t('uploadLogError')}</th>
          </tr>
        </thead>
        <tbody>
          {entries.value.map((entry) => (
            <tr key={entry.id} data-outcome={entry.outcome}>
              <td>
                <time dateTime={new Date(entry.at).toISOString()}>{formatDateTime(entry.at, 'seconds')}</time>
              </td>
              <td>
                <code title={entry.batchId}>{shortId(entry.batchId)}</code>
              </td>
              <td>{describeDates(entry.dates)}</td>
              <td>{t(outcomeLabelKeys[entry.outcome])}</td>
              <td>{entry.status ?? (entry.outcome === 'retrying' ? t('uploadLogNoAnswer') : '')}</td>
              <td class="log-error">{entry.error ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
