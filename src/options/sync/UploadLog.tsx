import type { SmartTagsDatabase } from '../../shared/storage/db';
import type { UploadLogRecord } from '../../shared/storage/records';
import { formatCount, type MessageKey, t } from '../../shared/ui/i18n';
import { LogTable } from '../../shared/ui/LogTable';
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
  return (
    <LogTable
      entries={entries}
      testId="upload-log"
      texts={{
        caption: t('uploadLogCaption', formatCount(shown)),
        columns: [
          'uploadLogWhen',
          'uploadLogBatch',
          'uploadLogDays',
          'uploadLogOutcome',
          'uploadLogStatus',
          'uploadLogError',
        ],
        failed: 'uploadLogFailed',
        empty: 'uploadLogEmpty',
      }}
      rowAttributes={(entry) => ({ 'data-outcome': entry.outcome })}
      row={(entry) => (
        <>
          <td>
            <code title={entry.batchId}>{shortId(entry.batchId)}</code>
          </td>
          <td>{describeDates(entry.dates)}</td>
          <td>{t(outcomeLabelKeys[entry.outcome])}</td>
          <td>{entry.status ?? (entry.outcome === 'retrying' ? t('uploadLogNoAnswer') : '')}</td>
          <td class="log-error">{entry.error ?? ''}</td>
        </>
      )}
    />
  );
}
