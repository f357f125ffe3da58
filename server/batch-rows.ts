/** How both stores turn a batch into rows and rows back into what the right of access answers. */
import type { InstallationData, UploadBatch } from '../src/shared/contracts/upload';

/** The batch's own fields, as opposed to the fields a newer client added, which are kept with the batch as `extra`. */
const batchFields = new Set(['schemaVersion', 'batchId', 'policyVersion', 'scopes', 'environment', 'days', 'accounts']);

/** The batch's fields this server does not know, as JSON, or null when there are none. */
export function unknownBatchFields(batch: UploadBatch): string | null {
  const extra = Object.fromEntries(Object.entries(batch).filter(([field]) => !batchFields.has(field)));
  return Object.keys(extra).length > 0 ? JSON.stringify(extra) : null;
}

/** A day's revision as stored: version 1 has no revisions, so its days are revision 0 and among them the last wins. */
export function storedRevision(batch: UploadBatch, day: UploadBatch['days'][number]): number {
  return batch.schemaVersion >= 2 ? (day.revision ?? 0) : 0;
}

/** A stored batch as the right of access gives it back. */
export function batchSummary(row: {
  batchId: string;
  receivedAt: string;
  days: number;
  extra: Record<string, unknown> | null;
}): InstallationData['batches'][number] {
  // Fields a newer client added to the batch, given back with it; the server's own three come last and win.
  return { ...(row.extra ?? {}), batchId: row.batchId, receivedAt: row.receivedAt, days: row.days };
}
