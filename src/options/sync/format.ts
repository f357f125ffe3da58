/** Formatting shared by the Sync section's parts. */
import { t, tPlural } from '../../shared/ui/i18n';

/** The days a batch covered, as "first – last (n days)"; the dates stay ISO, as the upload itself names them. */
export function describeDates(dates: readonly string[]): string {
  if (dates.length === 0) return t('uploadLogNoDays');
  const sorted = [...dates].sort();
  const first = sorted[0];
  const last = sorted[sorted.length - 1];
  const count = tPlural(sorted.length, 'uploadLogDaysOne', 'uploadLogDaysOther');
  return first === last ? `${first} (${count})` : `${first} – ${last} (${count})`;
}

/** A batch or receipt id short enough for a table cell. */
export const shortId = (id: string) => (id.length > 10 ? `${id.slice(0, 8)}…` : id);
