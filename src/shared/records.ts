/**
 * Every record the extension stores, described once; the Dexie tables (./db.ts) are typed from these schemas and the
 * background validates a record before it writes it.
 */
import { instagramPath } from './messages';
import { z } from './zod';

/** One Instagram page load reported by the content script (the wiring proof of the foundation). */
export const pageSeenRecord = z.object({
  id: z.number().int().positive().optional(),
  path: instagramPath,
  /** Epoch milliseconds when the background received the report. */
  seenAt: z.number().int().nonnegative(),
});
export type PageSeenRecord = z.infer<typeof pageSeenRecord>;
