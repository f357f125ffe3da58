/** Formatting shared by the Sync section's parts. */

export const timeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

export const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;

/** The days a batch covered, as "first – last (n days)". */
export function describeDates(dates: readonly string[]): string {
  if (dates.length === 0) return 'No days';
  const sorted = [...dates].sort();
  const first = sorted[0];
  const last = sorted[sorted.length - 1];
  const count = plural(sorted.length, 'day', 'days');
  return first === last ? `${first} (${count})` : `${first} – ${last} (${count})`;
}

/** A batch or receipt id short enough for a table cell. */
export const shortId = (id: string) => (id.length > 10 ? `${id.slice(0, 8)}…` : id);
