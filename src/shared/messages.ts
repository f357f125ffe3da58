/**
 * Every message between the extension's contexts, described once. The background validates each one where it
 * enters (src/background/router.ts); TypeScript types are inferred from these schemas. The content script imports
 * only the types (`import type`), so zod never reaches its bundle.
 *
 * Message catalogue with senders and answers: docs/MESSAGES.md.
 */
import { z } from './zod';

/** A path on www.instagram.com, as the content script sees it in `location.pathname`. */
export const instagramPath = z
  .string()
  .min(1)
  .max(2048)
  .regex(/^\/[^\s]*$/, 'must be a URL path starting with "/"');

/** Content script → background: "this Instagram page was loaded in a top-level tab". */
export const pageSeenMessage = z.object({
  type: z.literal('page.seen'),
  path: instagramPath,
});
export type PageSeenMessage = z.infer<typeof pageSeenMessage>;

export const errorCodes = ['bad-message', 'forbidden', 'unknown-type', 'internal'] as const;
export type ErrorCode = (typeof errorCodes)[number];

/** Every answer the background gives: success with an optional payload, or an error a person can read. */
export const failureReply = z.object({
  ok: z.literal(false),
  error: z.object({ code: z.enum(errorCodes), message: z.string() }),
});
export type FailureReply = z.infer<typeof failureReply>;
export type SuccessReply<T = undefined> = T extends undefined ? { ok: true } : { ok: true; value: T };
