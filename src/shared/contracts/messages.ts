/**
 * Every message between the extension's contexts, described once. The background validates each one where it
 * enters (src/background/router.ts); TypeScript types are inferred from these schemas. The content script imports
 * only the types (`import type`), so zod never reaches its bundle.
 *
 * Message catalogue with senders and answers: docs/MESSAGES.md.
 */
import type { Scopes } from '../domain/consent';
import type { PolicyVersion } from '../domain/policy';
import {
  accountCount,
  breakAfterMinutes,
  consentSource,
  dailyLimitMinutes,
  epochMs,
  hashtag,
  idleSeconds,
  partialScopesSchema,
  passiveSeconds,
  qualitySignals,
  retentionDays,
  surface,
  username,
} from '../storage/records';
import { z } from '../zod';
import type { ExportDocument, ImportPlan } from './exportDocument';
import { importModes } from './exportDocument';
import type { UploadBatch } from './upload';

/** A path on www.instagram.com, as the content script sees it in `location.pathname`. */
export const instagramPath = z
  .string()
  .min(1)
  .max(2048)
  .regex(/^\/[^\s]*$/, 'must be a URL path starting with "/"');

// ——— from the content script ———

/** "This Instagram page was loaded in a top-level tab." Stored as a visit to its surface, under `usage`. */
export const pageSeenMessage = z.object({
  type: z.literal('page.seen'),
  path: instagramPath,
  /** The page says nobody is logged in to Instagram (absent: someone is, or the page does not say). */
  signedOut: z.literal(true).optional(),
});
export type PageSeenMessage = z.infer<typeof pageSeenMessage>;

/** A post, reel or story id as Instagram writes it in URLs (or a reel identity the content script derives). */
export const itemId = z.string().regex(/^[A-Za-z0-9_.:-]{1,120}$/, 'must be an item id');

/**
 * Usage observed since the last report, under `usage` (`used` hashtags also need `account`). Every part is
 * idempotent, so a report sent twice counts once (src/background/aggregate.ts).
 */
export const usageReportMessage = z.object({
  type: z.literal('usage.report'),
  runs: z
    .array(
      z.object({
        startSecond: z.number().int().positive(),
        seconds: z.number().int().min(1).max(3600),
        surface,
        tag: hashtag.optional(),
      }),
    )
    .max(500),
  views: z.array(z.object({ kind: z.enum(['post', 'reel', 'story']), id: itemId, at: epochMs })).max(1000),
  hashtags: z.array(z.object({ postId: itemId, tag: hashtag, at: epochMs, used: z.boolean() })).max(5000),
});
export type UsageReportMessage = z.infer<typeof usageReportMessage>;

/** The person's own profile counts, read on their own profile page, under `account`. */
export const accountReportMessage = z.object({
  type: z.literal('account.report'),
  username,
  followers: accountCount,
  following: accountCount,
  posts: accountCount,
});
export type AccountReportMessage = z.infer<typeof accountReportMessage>;

/** Whether the page still has what the content script reads (layout drift), so the dashboard can say so. */
export const qualityReportMessage = z.object({
  type: z.literal('quality.report'),
  signal: z.enum(qualitySignals),
  state: z.enum(['missing', 'ok']),
});
export type QualityReportMessage = z.infer<typeof qualityReportMessage>;

// ——— from extension pages ———

export const consentGetMessage = z.object({ type: z.literal('consent.get') });

export const consentSetMessage = z.object({
  type: z.literal('consent.set'),
  scopes: partialScopesSchema.refine((scopes) => Object.keys(scopes).length > 0, 'name at least one scope'),
  // "browser" is recorded by the background itself when Firefox's own data-collection grant is revoked.
  source: consentSource.exclude(['browser']),
});

export const dataExportMessage = z.object({ type: z.literal('data.export') });

export const dataImportMessage = z.object({
  type: z.literal('data.import'),
  /** The parsed JSON of the file; validated by the background with the export schema. */
  document: z.unknown(),
  mode: z.enum(importModes),
  /** Only answer what the import would change. */
  dryRun: z.boolean().optional(),
});

export const dataWipeMessage = z.object({
  type: z.literal('data.wipe'),
  /** Also withdraw the recording scopes (`usage`, `account`); otherwise recording continues after the wipe. */
  stopRecording: z.boolean().optional(),
});

export const settingsSetMessage = z
  .object({
    type: z.literal('settings.set'),
    retentionDays: retentionDays.optional(),
    idleSeconds: idleSeconds.optional(),
    passiveSeconds: passiveSeconds.optional(),
    /** null turns the reminder off. The page asks for the notifications permission before turning one on. */
    dailyLimitMinutes: dailyLimitMinutes.nullable().optional(),
    breakAfterMinutes: breakAfterMinutes.nullable().optional(),
  })
  .refine(
    (message) => Object.keys(message).length > 1,
    'name at least one setting (retentionDays, idleSeconds, passiveSeconds, dailyLimitMinutes, breakAfterMinutes)',
  );

/** Pauses recording until `until` (at most 25 hours ahead), or with null resumes it now. */
export const recordingPauseMessage = z.object({
  type: z.literal('recording.pause'),
  until: epochMs.nullable(),
});

/**
 * Sets (or with null, clears) the backend uploads go to. The page asks for its host permission first. What the old
 * backend holds is deleted there unless `keepOldData` is true (the person's explicit choice).
 */
export const syncConfigureMessage = z.object({
  type: z.literal('sync.configure'),
  backendUrl: z.string().max(300).nullable(),
  keepOldData: z.boolean().optional(),
});
/** Sends what is due now (the alarm does the same every few minutes). */
export const syncNowMessage = z.object({ type: z.literal('sync.now') });
/** The exact JSON the next upload would send, without sending or enqueuing anything. */
export const syncPreviewMessage = z.object({ type: z.literal('sync.preview') });
/** "Delete my data on the server": queues a deletion request and starts a new identity. */
export const syncDeleteRemoteMessage = z.object({ type: z.literal('sync.deleteRemote') });

export type ConsentGetMessage = z.infer<typeof consentGetMessage>;
export type ConsentSetMessage = z.infer<typeof consentSetMessage>;
export type DataExportMessage = z.infer<typeof dataExportMessage>;
export type DataImportMessage = z.infer<typeof dataImportMessage>;
export type DataWipeMessage = z.infer<typeof dataWipeMessage>;
export type SettingsSetMessage = z.infer<typeof settingsSetMessage>;
export type RecordingPauseMessage = z.infer<typeof recordingPauseMessage>;

export type SyncConfigureMessage = z.infer<typeof syncConfigureMessage>;
export type SyncNowMessage = z.infer<typeof syncNowMessage>;
export type SyncPreviewMessage = z.infer<typeof syncPreviewMessage>;
export type SyncDeleteRemoteMessage = z.infer<typeof syncDeleteRemoteMessage>;

export type ExtensionPageMessage =
  | SyncConfigureMessage
  | SyncNowMessage
  | SyncPreviewMessage
  | SyncDeleteRemoteMessage
  | ConsentGetMessage
  | ConsentSetMessage
  | DataExportMessage
  | DataImportMessage
  | DataWipeMessage
  | SettingsSetMessage
  | RecordingPauseMessage;

/** The consent state as pages show it. */
export interface ConsentView {
  scopes: Scopes;
  agreedPolicyVersion: number | null;
  decidedAt: number | null;
  policy: {
    version: number;
    /** Uploads are held until the person agrees to the current policy again. */
    needsReconsent: boolean;
    /** The collection-changing versions since the one agreed to (shown on the policy-update page). */
    changes: PolicyVersion[];
  };
}

export interface ImportResult {
  plan: ImportPlan;
  applied: boolean;
}

/** What each message answers on success (`{ok: true, value}`). */
export interface ReplyValues {
  'page.seen': undefined;
  'usage.report': undefined;
  'account.report': undefined;
  'quality.report': undefined;
  'consent.get': ConsentView;
  'consent.set': ConsentView;
  'data.export': ExportDocument;
  'data.import': ImportResult;
  'data.wipe': undefined;
  'settings.set': undefined;
  'recording.pause': { pausedUntil: number | null };
  /** `oldData`: what happens to what the previous backend holds — a deletion was queued, it was kept, or there was none. */
  'sync.configure': { backendUrl: string | null; oldData: 'deleted' | 'kept' | 'none' };
  'sync.now': { sent: number; dropped: number; failed: number; remaining: number; deletionsConfirmed: number };
  'sync.preview': { batch: UploadBatch } | { reason: string };
  'sync.deleteRemote': { queued: boolean };
}

export const errorCodes = [
  'bad-message',
  'forbidden',
  'unknown-type',
  'no-consent',
  'paused',
  'refused',
  'bad-import',
  'internal',
] as const;
export type ErrorCode = (typeof errorCodes)[number];

export interface FailureReply {
  ok: false;
  error: { code: ErrorCode; message: string };
}
export type SuccessReply<Value> = Value extends undefined ? { ok: true } : { ok: true; value: Value };
export type Reply<Value> = SuccessReply<Value> | FailureReply;
