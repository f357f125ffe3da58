/**
 * Local calendar days. A day is a calendar date (YYYY-MM-DD) in an IANA time zone; the browser's Intl data does the
 * zone arithmetic (DST included), so no date library is needed for these few operations.
 */

const dateFormats = new Map<string, Intl.DateTimeFormat>();

function dateFormat(timeZone: string): Intl.DateTimeFormat {
  let format = dateFormats.get(timeZone);
  if (!format) {
    // en-CA formats dates as YYYY-MM-DD.
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dateFormats.set(timeZone, format);
  }
  return format;
}

export function isTimeZone(value: string): boolean {
  try {
    dateFormat(value);
    return true;
  } catch {
    return false;
  }
}

/** The calendar date of an instant in a time zone. */
export function localDateOf(epochMs: number, timeZone: string): string {
  return dateFormat(timeZone).format(epochMs);
}

export function isCalendarDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [, year, month, day] = match.map(Number) as [number, number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** `date` moved by a whole number of calendar days (negative for earlier). */
export function addDays(date: string, days: number): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}
