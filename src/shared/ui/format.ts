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
