import type { ComponentChildren } from 'preact';
import { formatDateTime, type MessageKey, t } from './i18n';
import { TableScroll } from './TableScroll';
import type { LiveResult } from './useLiveQuery';

/** The texts of one log: its table's caption, the heading of each column, and what to say when failed or empty. */
export interface LogTexts {
  caption: string;
  columns: readonly MessageKey[];
  failed: MessageKey;
  empty: MessageKey;
}

/**
 * A log the background keeps (the consent ledger, the upload log, the local edits), newest first: loading, failed,
 * empty or a table whose first column is when each entry was written. The rest of each row is the log's own.
 */
export function LogTable<Entry extends { id?: number | undefined; at: number }>({
  entries,
  texts,
  testId,
  row,
  rowAttributes,
}: {
  entries: LiveResult<Entry[]>;
  texts: LogTexts;
  testId: string;
  /** The cells after the "when" cell. */
  row: (entry: Entry) => ComponentChildren;
  rowAttributes?: (entry: Entry) => Record<string, string>;
}) {
  if (entries.state === 'loading') return <p aria-busy="true">{t('commonLoading')}</p>;
  if (entries.state === 'failed') {
    return (
      <p role="alert" class="alert">
        {t(texts.failed, entries.message)}
      </p>
    );
  }
  if (entries.value.length === 0) {
    return (
      <p class="empty" data-testid={`${testId}-empty`}>
        {t(texts.empty)}
      </p>
    );
  }
  return (
    <TableScroll label={texts.caption}>
      <table data-testid={testId}>
        <caption>{texts.caption}</caption>
        <thead>
          <tr>
            {texts.columns.map((column) => (
              <th key={column} scope="col">
                {t(column)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {entries.value.map((entry) => (
            <tr key={entry.id} {...rowAttributes?.(entry)}>
              <td>
                <time dateTime={new Date(entry.at).toISOString()}>{formatDateTime(entry.at, 'seconds')}</time>
              </td>
              {row(entry)}
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
