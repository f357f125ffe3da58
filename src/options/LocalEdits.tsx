import type { SmartTagsDatabase } from '../shared/storage/db';
import { formatDayShort, formatDuration } from '../shared/ui/format';
import { t } from '../shared/ui/i18n';
import { LogTable } from '../shared/ui/LogTable';
import { surfaceLabels } from '../shared/ui/surfaces';
import { useLiveQuery } from '../shared/ui/useLiveQuery';

/**
 * The ledger of local edits: each day, or surface's time on a day, the person removed from the dashboard, as the
 * background recorded it (newest first). It is part of the export, so the data says which figures were changed by hand.
 */
export function LocalEdits({ db }: { db: SmartTagsDatabase }) {
  const entries = useLiveQuery(() => db.localEdits.orderBy('at').reverse().toArray(), [db]);
  return (
    <LogTable
      entries={entries}
      testId="local-edits"
      texts={{
        caption: t('localEditsCaption'),
        columns: ['localEditsWhen', 'localEditsDay', 'localEditsWhat', 'localEditsTime'],
        failed: 'localEditsFailed',
        empty: 'localEditsEmpty',
      }}
      row={(entry) => (
        <>
          <td>
            <time dateTime={entry.date}>{formatDayShort(entry.date)}</time>
          </td>
          <td>{entry.surface === null ? t('localEditsWholeDay') : surfaceLabels[entry.surface]}</td>
          <td>{formatDuration(entry.removedMs)}</td>
        </>
      )}
    />
  );
}
