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

/** Midnight UTC of a calendar date, in epoch ms: the one way dates become numbers (chart axes, weekdays). */
export function utcMsOfDate(date: string): number {
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)));
}

/** `date` moved by a whole number of calendar days (negative for earlier). */
export function addDays(date: string, days: number): string {
  return new Date(utcMsOfDate(date) + days * 86_400_000).toISOString().slice(0, 10);
}

/** The IANA time zone this browser counts days in now (it follows the machine's setting, so it is read each time). */
export function currentTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** Today's local date in the browser's current time zone. */
export function localToday(now: number = Date.now()): string {
  return localDateOf(now, currentTimeZone());
}
