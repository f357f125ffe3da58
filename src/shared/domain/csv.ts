/**
 * CSV as spreadsheets read it: RFC 4180 quoting, CRLF line ends, and a leading apostrophe on text a spreadsheet would
 * run as a formula (=, +, -, @, tab, CR) — hashtags come from other people's captions. Used by the export's CSV files
 * and the dashboard's hashtag table download, so both follow the same rules.
 */

export type CsvValue = string | number | boolean | null;

export function csvCell(value: CsvValue): string {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A whole table: the header row, then one line per row, each ended by CRLF. */
export function csvTable(header: readonly string[], rows: ReadonlyArray<readonly CsvValue[]>): string {
  return `${[header, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`;
}
