/**
 * Every message between the extension's contexts, described once in `messageCatalogue`: its type (the key), the one
 * sender class allowed to send it, its zod schema and what it answers on success. Everything else is derived from
 * this list: the message and answer types below, the background's dispatch table (src/background/router.ts, which
 * must give every type a handler), the catalogue table in docs/MESSAGES.md (from the prose in ./messageDocs.ts,
 * which must describe every type) and the test that each type is refused from every other sender.
 *
 * The background validates each message where it enters; TypeScript types are inferred from these schemas. The
 * content script and the pages import only types (`import type`), so neither zod nor this list reaches their bundles.
 */
import type { Scopes } from '../domain/consent';
import type { PolicyVersion } from '../domain/policy';
import type { SenderClass } from '../domain/sender';
import {
  accountCount,
  breakAfterMinutes,
  consentSource,
  dailyLimitMinutes,
  epochMs,
  hashtag,
  idleSeconds,
  localDate,
  partialScopesSchema,
  passiveSeconds,
  readers,
  reelNudgeCount,
  retentionDays,
  surface,
  surfaceLimitMinutes,
  username,
  weeklyReportSchedule,
} from '../storage/records';
import { z } from '../zod';
import type { ExportDocument, ImportPlan } from './exportDocument';
import { importModes } from './exportDocument';
import type { InstagramImportResult } from './instagramExport';
import type { UploadBatch } from './upload';

/** A path on www.instagram.com, as the content script sees it in `location.pathname`. */
const instagramPath = z
  .string()
  .min(1)
  .max(2048)
  .regex(/^\/[^\s]*$/, 'must be a URL path starting with "/"');

/** A post, reel or story id as Instagram writes it in URLs (or a reel identity the content script derives). */
const itemId = z.string().regex(/^[A-Za-z0-9_.:-]{1,120}$/, 'must be an item id');

/** The sender classes a message can be allowed from; `untrusted` senders are always refused. */
export type AllowedSender = Exclude<SenderClass, 'untrusted'>;

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

declare const answerType: unique symbol;
/**
 * What a message answers on success (`{ok: true, value}`; `undefined`: just `{ok: true}`). A type only: the answer is
 * never validated at run time, but it must sit in the message's entry so nobody can add a message and forget it.
 */
export interface Answer<Value> {
  // Wrapped, so that `undefined` (nothing to answer) is still inferred back from it.
  readonly [answerType]?: { value: Value };
}
/** `answers<ConsentView>()`; `answers()` for nothing (NoInfer: the catalogue's `Answer<unknown>` must not fill it in). */
function answers<Value = undefined>(): Answer<NoInfer<Value>> {
  return {};
}

interface CatalogueEntry<Type extends string> {
  from: AllowedSender;
  /** Its `type` must be the entry's key: a mismatch is a type error, so the key is the one name of the message. */
  schema: z.ZodType<{ type: Type }>;
  answer: Answer<unknown>;
}

/** Only checks each entry (and keeps `from` a literal), so the catalogue's own type is what the derived types read. */
function defineCatalogue<const Catalogue extends { [Type in keyof Catalogue & string]: CatalogueEntry<Type> }>(
  catalogue: Catalogue,
): Catalogue {
  return catalogue;
}

/** Every message, in the order docs/MESSAGES.md lists them. */
export const messageCatalogue = defineCatalogue({
  // ——— from the content script ———

  /** "This Instagram page was loaded in a top-level tab." Stored as a visit to its surface, under `usage`. */
  'page.seen': {
    from: 'instagram-content-script',
    schema: z.object({
      type: z.literal('page.seen'),
      path: instagramPath,
      /** The page says nobody is logged in to Instagram (absent: someone is, or the page does not say). */
      signedOut: z.literal(true).optional(),
    }),
    answer: answers(),
  },

  /**
   * Usage observed since the last report, under `usage` (`used` hashtags also need `account`). Every part is
   * idempotent, so a report sent twice counts once (src/background/aggregate.ts).
   */
  'usage.report': {
    from: 'instagram-content-script',
    schema: z.object({
      type: z.literal('usage.report'),
      runs: z
        .array(
          z.object({
            startSecond: z.number().int().positive(),
            seconds: z.number().int().min(1).max(3600),
            surface,
            tag: hashtag.optional(),
            /** Counted only by the passive rule (a video surface on screen, no recent input): kept apart per surface. */
            passive: z.literal(true).optional(),
          }),
        )
        .max(500),
      views: z.array(z.object({ kind: z.enum(['post', 'reel', 'story']), id: itemId, at: epochMs })).max(1000),
      hashtags: z.array(z.object({ postId: itemId, tag: hashtag, at: epochMs, used: z.boolean() })).max(5000),
    }),
    answer: answers(),
  },

  /** The person's own profile counts, read on their own profile page, under `account`. */
  'account.report': {
    from: 'instagram-content-script',
    schema: z.object({
      type: z.literal('account.report'),
      username,
      followers: accountCount,
      following: accountCount,
      posts: accountCount,
    }),
    answer: answers(),
  },

  /**
   * Whether one reader found what it reads on the page (layout drift shows as `missing`), so the popup and the options
   * page can say which part of recording is failing.
   */
  'quality.report': {
    from: 'instagram-content-script',
    schema: z.object({
      type: z.literal('quality.report'),
      reader: z.enum(readers),
      state: z.enum(['missing', 'ok']),
    }),
    answer: answers(),
  },

  // ——— from extension pages ———

  'consent.get': {
    from: 'extension-page',
    schema: z.object({ type: z.literal('consent.get') }),
    answer: answers<ConsentView>(),
  },

  'consent.set': {
    from: 'extension-page',
    schema: z.object({
      type: z.literal('consent.set'),
      scopes: partialScopesSchema.refine((scopes) => Object.keys(scopes).length > 0, 'name at least one scope'),
      // "browser" is recorded by the background itself when Firefox's own data-collection grant is revoked.
      source: consentSource.exclude(['browser']),
    }),
    answer: answers<ConsentView>(),
  },

  'data.export': {
    from: 'extension-page',
    schema: z.object({ type: z.literal('data.export') }),
    answer: answers<ExportDocument>(),
  },

  'data.import': {
    from: 'extension-page',
    schema: z.object({
      type: z.literal('data.import'),
      /** The parsed JSON of the file; validated by the background with the export schema. */
      document: z.unknown(),
      mode: z.enum(importModes),
      /** Only answer what the import would change. */
      dryRun: z.boolean().optional(),
    }),
    answer: answers<ImportResult>(),
  },

  /**
   * Imports Instagram's own data export: the page reads the wanted files out of the zip (or its parts) and sends their
   * text; the background plans the import from them itself and merges the days and account points allowed by consent
   * into the imported history (src/background/instagramImport.ts). Refused as a whole with `bad-import` and a
   * `reason` (html-export, not-an-export, corrupt, empty, mixed-accounts, other-account).
   */
  'instagram.import': {
    from: 'extension-page',
    schema: z.object({
      type: z.literal('instagram.import'),
      files: z
        .array(
          z.object({
            /** The file's path inside the zip. */
            name: z.string().min(1).max(1000),
            /** The file's text (JSON); empty for an HTML file, which is recognised by its name alone. */
            text: z.string(),
          }),
        )
        .max(5000),
      /** Only answer what the import would do. */
      dryRun: z.boolean().optional(),
    }),
    answer: answers<InstagramImportResult>(),
  },

  /**
   * "Keep my follower list to see who unfollowed me": imports of Instagram's export then keep the followers'
   * usernames (the two newest lists, on this device only). Off deletes the kept lists at once.
   */
  'followerLists.keep': {
    from: 'extension-page',
    schema: z.object({ type: z.literal('followerLists.keep'), keep: z.boolean() }),
    answer: answers<{ deleted: number }>(),
  },

  /** "Delete the follower lists": deletes every kept list; the setting stays as it is. */
  'followerLists.delete': {
    from: 'extension-page',
    schema: z.object({ type: z.literal('followerLists.delete') }),
    answer: answers<{ deleted: number }>(),
  },

  'data.wipe': {
    from: 'extension-page',
    schema: z.object({
      type: z.literal('data.wipe'),
      /** Also withdraw the recording scopes (`usage`, `account`); otherwise recording continues after the wipe. */
      stopRecording: z.boolean().optional(),
    }),
    answer: answers(),
  },

  /**
   * The person corrects a recorded day from the dashboard: deletes the whole day, or one surface's time on it. Recorded
   * in the ledger of local edits (exported); answers what was removed.
   */
  'day.edit': {
    from: 'extension-page',
    schema: z.object({
      type: z.literal('day.edit'),
      date: localDate,
      /** The surface whose time is removed; absent: the whole day is deleted. */
      surface: surface.optional(),
    }),
    answer: answers<{ removedMs: number }>(),
  },

  'settings.set': {
    from: 'extension-page',
    schema: z
      .object({
        type: z.literal('settings.set'),
        retentionDays: retentionDays.optional(),
        idleSeconds: idleSeconds.optional(),
        passiveSeconds: passiveSeconds.optional(),
        /** null turns the reminder off. The page asks for the notifications permission before turning one on. */
        dailyLimitMinutes: dailyLimitMinutes.nullable().optional(),
        breakAfterMinutes: breakAfterMinutes.nullable().optional(),
        /** Goals per surface, as a change: the surfaces named get that limit, or none with null; others keep theirs. */
        surfaceLimitsMinutes: z.partialRecord(surface, surfaceLimitMinutes.nullable()).optional(),
        reelNudgeCount: reelNudgeCount.nullable().optional(),
        /** The weekly report's notification, on or off, and when: it is scheduled again at once. */
        weeklyReport: weeklyReportSchedule.optional(),
        /** "How you compare" on or off: whether the dashboard downloads the public weekly report to compare with. */
        compareWithOthers: z.boolean().optional(),
      })
      .refine(
        (message) => Object.keys(message).length > 1,
        'name at least one setting (retentionDays, idleSeconds, passiveSeconds, dailyLimitMinutes, breakAfterMinutes, surfaceLimitsMinutes, reelNudgeCount, weeklyReport)',
      ),
    answer: answers(),
  },

  /** Pauses recording until `until` (at most 25 hours ahead), or with null resumes it now. */
  'recording.pause': {
    from: 'extension-page',
    schema: z.object({
      type: z.literal('recording.pause'),
      until: epochMs.nullable(),
    }),
    answer: answers<{ pausedUntil: number | null }>(),
  },

  /**
   * Sets (or with null, clears) the backend uploads go to. The page asks for its host permission first. What the old
   * backend holds is deleted there unless `keepOldData` is true (the person's explicit choice).
   */
  'sync.configure': {
    from: 'extension-page',
    schema: z.object({
      type: z.literal('sync.configure'),
      backendUrl: z.string().max(300).nullable(),
      keepOldData: z.boolean().optional(),
    }),
    answer: answers<{
      backendUrl: string | null;
      /** What happens to what the previous backend holds — a deletion was queued, it was kept, or there was none. */
      oldData: 'deleted' | 'kept' | 'none';
    }>(),
  },

  /** Sends what is due now (the alarm does the same every few minutes). */
  'sync.now': {
    from: 'extension-page',
    schema: z.object({ type: z.literal('sync.now') }),
    answer: answers<{ sent: number; dropped: number; failed: number; remaining: number; deletionsConfirmed: number }>(),
  },

  /** The exact JSON the next upload would send, without sending or enqueuing anything. */
  'sync.preview': {
    from: 'extension-page',
    schema: z.object({ type: z.literal('sync.preview') }),
    answer: answers<{ batch: UploadBatch } | { reason: string }>(),
  },

  /** "Delete my data on the server": queues a deletion request and starts a new identity. */
  'sync.deleteRemote': {
    from: 'extension-page',
    schema: z.object({ type: z.literal('sync.deleteRemote') }),
    answer: answers<{ queued: boolean }>(),
  },
});

type Catalogue = typeof messageCatalogue;

export type MessageType = keyof Catalogue;
/** Every message type, in catalogue order. `Object.keys` only knows it returns strings; the catalogue's keys are these. */
export const messageTypes = Object.keys(messageCatalogue) as MessageType[];

/** A message of one type, as its schema parses it. */
export type MessageOf<Type extends MessageType> = z.infer<Catalogue[Type]['schema']>;

/** The message types one sender class may send. */
type MessageTypeFrom<Sender extends AllowedSender> = {
  [Type in MessageType]: Catalogue[Type]['from'] extends Sender ? Type : never;
}[MessageType];

/** Any message a page may send (what `askBackground` takes). */
export type ExtensionPageMessage = {
  [Type in MessageTypeFrom<'extension-page'>]: MessageOf<Type>;
}[MessageTypeFrom<'extension-page'>];

// Names for the messages code outside this module handles by name; elsewhere `MessageOf<Type>` says the same.
export type PageSeenMessage = MessageOf<'page.seen'>;
export type UsageReportMessage = MessageOf<'usage.report'>;
export type AccountReportMessage = MessageOf<'account.report'>;
export type QualityReportMessage = MessageOf<'quality.report'>;
export type SettingsSetMessage = MessageOf<'settings.set'>;

/** What each message answers on success (`{ok: true, value}`), read from its catalogue entry. */
export type ReplyValues = {
  [Type in MessageType]: Catalogue[Type]['answer'] extends Answer<infer Value> ? Value : never;
};

const errorCodes = [
  'bad-message',
  'forbidden',
  'unknown-type',
  'no-consent',
  'paused',
  'refused',
  'bad-import',
  'not-found',
  'internal',
] as const;
export type ErrorCode = (typeof errorCodes)[number];

export interface FailureReply {
  ok: false;
  /** `reason`: which refusal of several a code stands for, for the page to word (e.g. `bad-import`'s). */
  error: { code: ErrorCode; message: string; reason?: string };
}
export type SuccessReply<Value> = Value extends undefined ? { ok: true } : { ok: true; value: Value };
/** The background's answer to a message of this type: its success value, or a failure. */
export type ReplyTo<Type extends MessageType> = SuccessReply<ReplyValues[Type]> | FailureReply;
/** The background's answer to whatever arrived, before anyone knows its type (what the router returns). */
export type AnyReply = ReplyTo<MessageType>;
