import type { SmartTagsDatabase } from '../shared/storage/db';
import { formatDayShort, formatDuration } from '../shared/ui/format';
import { formatDateTime, t } from '../shared/ui/i18n';
import { surfaceLabels } from '../shared/ui/surfaces';
import { TableScroll } from '../shared/ui/TableScroll';
import { useLiveQuery } from '../shared/ui/useLiveQuery';

/**
 * The ledger of local edits: each day, or surface's time on a day, the person removed from the dashboard, as the
 * background recorded it (newest first). It is part of the export, so the data says which figures were changed by hand.
 */
export function LocalEdits({ db }: { db: SmartTagsDatabase }) {
  const entries = useLiveQuery(() => db.localEdits.orderBy('at').reverse().toArray(), [db]);
  if (entries.state === 'loading') return <p aria-busy="true">{t('commonLoading')}</p>;
  if (entries.state === 'failed') {
    return (
      <p role="alert" class="alert">
        {t('localEditsFailed', entries.message)}
      </p>
    );
  }
  if (entries.value.length === 0) {
    return (
      <p class="empty" data-testid="local-edits-empty">
        {t('localEditsEmpty')}
      </p>
    );
  }
  return (
    <TableScroll label={t('localEditsCaption')}>
      <table data-testid="local-edits">
        <caption>{t('localEditsCaption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('localEditsWhen')}</th>
            <th scope="col">{t('localEditsDay')}</th>
            <th scope="col">{t('localEditsWhat')}</th>
            <th scope="col">{t('localEditsTime')}</th>
          </tr>
        </thead>
        <tbody>
          {entries.value.map((entry) => (
            <tr key={entry.id}>
              <td>
                <time dateTime={new Date(entry.at).toISOString()}>{formatDateTime(entry.at, 'seconds')}</time>
              </td>
              <td>
                <time dateTime={entry.date}>{formatDayShort(entry.date)}</time>
              </td>
              <td>{entry.surface === null ? t('localEditsWholeDay') : surfaceLabels[entry.surface]}</td>
              <td>{formatDuration(entry.removedMs)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
