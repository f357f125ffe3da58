/**
 * Numbers, dates and durations for the dashboard and the popup, formatted by Intl in the browser's UI language (`uiLanguage`, from
 * the browser's i18n API). Dates are calendar dates (YYYY-MM-DD) and are formatted in UTC from the string itself, so
 * the viewer's time zone cannot shift them.
 */
import { utcMsOfDate } from '../domain/dates';
import { cachedFormat, uiLanguage } from './i18n';

function cached<Format>(purpose: string, make: (language: string) => Format): Format {
  return cachedFormat(uiLanguage(), purpose, make);
}

/** A number, e.g. "12,440" in English or "12 440" in French. */
export { formatCount as formatNumber } from './i18n';

export function formatPercent(fraction: number): string {
  return cached('percent', (language) => new Intl.NumberFormat(language, { style: 'percent' })).format(fraction);
}

function unit(unit: 'hour' | 'minute' | 'second') {
  return cached(
    `unit-${unit}`,
    (language) => new Intl.NumberFormat(language, { style: 'unit', unit, unitDisplay: 'short' }),
  );
}

/**
 * A duration as hours and minutes, e.g. "1 hr 5 min" in English ("1 Std., 5 Min." in German); under a minute in
 * seconds; nothing as "0 min".
 */
export function formatDuration(ms: number): string {
  if (ms <= 0) return unit('minute').format(0);
  if (ms < 59_500) return unit('second').format(Math.max(1, Math.round(ms / 1000)));
  const minutes = Math.round(ms / 60_000);
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  const parts: string[] = [];
  if (hours > 0) parts.push(unit('hour').format(hours));
  if (rest > 0 || hours === 0) parts.push(unit('minute').format(rest));
  return cached('unit-list', (language) => new Intl.ListFormat(language, { type: 'unit', style: 'narrow' })).format(
    parts,
  );
}

/** A calendar date, e.g. "Nov 24, 2026". */
export function formatDate(date: string): string {
  return cached(
    'date',
    (language) => new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeZone: 'UTC' }),
  ).format(utcMsOfDate(date));
}

/** A calendar date with its weekday, short, for table rows: e.g. "Tue, Nov 24". */
export function formatDayShort(date: string): string {
  return cached(
    'day-short',
    (language) =>
      new Intl.DateTimeFormat(language, {
        weekday: 'short',
        month: 'short',
        day: 'numeric',
        year: 'numeric',
        timeZone: 'UTC',
      }),
  ).format(utcMsOfDate(date));
}

/** A weekday by index, 0 = Monday … 6 = Sunday. */
export function formatWeekday(index: number, width: 'long' | 'short' = 'long'): string {
  // 2024-01-01 was a Monday.
  return cached(
    `weekday-${width}`,
    (language) => new Intl.DateTimeFormat(language, { weekday: width, timeZone: 'UTC' }),
  ).format(Date.UTC(2024, 0, 1 + index));
}

/** An hour of the day, e.g. "9 PM" or "21 Uhr". */
export function formatHour(hour: number): string {
  return cached('hour', (language) => new Intl.DateTimeFormat(language, { hour: 'numeric', timeZone: 'UTC' })).format(
    Date.UTC(2024, 0, 1, hour),
  );
}

/** A calendar date as a chart's tick shows it, short and in the language's order: "Nov 24" in English, "24 nov." in French. */
export function formatDayMonth(date: string): string {
  return cached(
    'day-month',
    (language) => new Intl.DateTimeFormat(language, { month: 'short', day: 'numeric', timeZone: 'UTC' }),
  ).format(utcMsOfDate(date));
}

/** A month's short name with its year, for a calendar's month labels: "Nov 2026", "nov. 2026". */
export function formatMonth(date: string): string {
  return cached(
    'month',
    (language) => new Intl.DateTimeFormat(language, { month: 'short', year: 'numeric', timeZone: 'UTC' }),
  ).format(utcMsOfDate(date));
}

/** A calendar date in full, for a day's page: "Tuesday, November 24, 2026", "mardi 24 novembre 2026". */
export function formatDateLong(date: string): string {
  return cached(
    'date-long',
    (language) => new Intl.DateTimeFormat(language, { dateStyle: 'full', timeZone: 'UTC' }),
  ).format(utcMsOfDate(date));
}

/**
 * A range of calendar dates, both included, as the language writes one: "Nov 17 – 23, 2026", "17–23 nov. 2026"; a
 * single date when both ends are the same.
 */
export function formatDateRange(start: string, end: string): string {
  if (start === end) return formatDate(start);
  return cached(
    'date-range',
    (language) => new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeZone: 'UTC' }),
  ).formatRange(utcMsOfDate(start), utcMsOfDate(end));
}

/** The language's plus or minus sign for a change, nothing for no change (Intl's own, e.g. "+" and "-"). */
function signOf(value: number): string {
  const parts = cached(
    'sign',
    (language) => new Intl.NumberFormat(language, { signDisplay: 'exceptZero' }),
  ).formatToParts(value);
  return parts.find((part) => part.type === 'plusSign' || part.type === 'minusSign')?.value ?? '';
}

/** A change in a count, signed: "+12", "-3", "0". */
export function formatSignedNumber(value: number): string {
  return cached('signed-number', (language) => new Intl.NumberFormat(language, { signDisplay: 'exceptZero' })).format(
    value,
  );
}

/** A relative change, signed: "+25%", "-50%" (French "+25 %"). */
export function formatSignedPercent(fraction: number): string {
  return cached(
    'signed-percent',
    (language) => new Intl.NumberFormat(language, { style: 'percent', signDisplay: 'exceptZero' }),
  ).format(fraction);
}

/** A change in time, signed: "+12 min", "-1 hr 5 min", "0 min". */
export function formatSignedDuration(ms: number): string {
  return `${signOf(Math.round(ms / 1000))}${formatDuration(Math.abs(ms))}`;
}

/** A month's short name, for a calendar's columns: "Nov", "nov.". */
export function formatMonthName(date: string): string {
  return cached(
    'month-name',
    (language) => new Intl.DateTimeFormat(language, { month: 'short', timeZone: 'UTC' }),
  ).format(utcMsOfDate(date));
}
