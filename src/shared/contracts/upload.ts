/**
 * The upload contract between the extension and a smartTags backend, described once and shared by both ends: the
 * extension builds and checks what it sends with these schemas, and the reference server (server/) validates what it
 * receives with the same ones. docs/openapi.json is generated from them (npm run openapi).
 *
 * Privacy by shape: `days` carry no username (a pseudonymous usage record, under the random upload id); only
 * `accounts` do, and only when the batch's scopes grant `uploadAccount` — the schema refuses anything else, on both
 * ends.
 */
import { scopeNames, scopePrerequisites } from '../domain/consent';
import {
  type AccountSnapshotRecord,
  accountCount,
  count,
  type DayRecord,
  hashtag,
  localDate,
  milliseconds,
  policyVersionNumber,
  scopesSchema,
  surface,
  timeZone,
  username,
} from '../storage/records';
import { z } from '../zod';

/**
 * The upload contract's version: what the extension sends. A server accepts a range of versions (at least this one and
 * the one before), so a self-hosted server one release behind the extension keeps working; docs/SYNC.md states the
 * policy. Version 2 added `revision` to each day.
 */
export const uploadSchemaVersion = 2;
/** The oldest upload contract version a current server still accepts. */
export const oldestAcceptedUploadVersion = 1;

/** A batch id: fixed when the batch is enqueued, sent as the Idempotency-Key, so a retry is recognised. */
export const batchId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'must be 8–64 letters, digits, _ or -');

const browserNames = ['chrome', 'firefox', 'edge', 'other'] as const;
const operatingSystems = ['windows', 'macos', 'linux', 'chromeos', 'android', 'ios', 'other'] as const;
const deviceTypes = ['desktop', 'mobile', 'tablet'] as const;

/** Facts about the environment, none naming anyone. The country comes from the time zone, never from an IP look-up. */
const uploadEnvironment = z
  .object({
    browser: z.enum(browserNames),
    browserVersion: z.string().regex(/^\d{1,4}(\.\d{1,6}){0,3}$/, 'must be a version number'),
    os: z.enum(operatingSystems),
    deviceType: z.enum(deviceTypes),
    timeZone,
    /** ISO 3166-1 alpha-2, or null when the time zone names no single country (e.g. UTC). */
    country: z
      .string()
      .regex(/^[A-Z]{2}$/)
      .nullable(),
  })
  .loose();
export type UploadEnvironment = z.infer<typeof uploadEnvironment>;

export const uploadAccount = z
  .object({
    username,
    snapshots: z
      .array(
        z
          .object({
            date: localDate,
            observedAt: z.iso.datetime(),
            followers: accountCount,
            following: accountCount,
            posts: accountCount,
          })
          .loose(),
      )
      .max(400),
  })
  .loose();

/**
 * One day as uploaded: the contract's own description, not the storage record's — a field added to the IndexedDB
 * record reaches the upload only through `uploadDayOf`, and a self-hosted server is never asked to take a storage
 * detail. `revision` grows every time the extension enqueues a changed version of the day (version 2 on); the server
 * keeps the highest revision it received, so an older version retried late never overwrites a correction. Fields a
 * server does not know are kept, not refused (a newer extension may add metrics): the objects are loose.
 */
const uploadDay = z
  .object({
    date: localDate,
    timeZone,
    activeMs: milliseconds,
    surfaces: z.record(surface, milliseconds),
    sessions: count,
    hours: z.array(milliseconds).length(24),
    views: z.object({ posts: count, reels: count, stories: count }).loose(),
    hashtags: z.object({ seen: z.record(hashtag, count), used: z.record(hashtag, count) }).loose(),
    hashtagPageMs: z.record(hashtag, milliseconds).default({}),
    hashtagPairs: z.record(z.string().max(201), count).default({}),
    /** Of each surface's time, the part counted only by the passive rule. Absent from older extensions. */
    passiveSurfaces: z.partialRecord(surface, milliseconds).default({}),
    revision: z.number().int().nonnegative().optional(),
  })
  .loose();
export type UploadDay = z.infer<typeof uploadDay>;

/** The one mapping from a stored day to the uploaded one. */
export function uploadDayOf(day: DayRecord, revision: number): UploadDay {
  return {
    date: day.date,
    timeZone: day.timeZone,
    activeMs: day.activeMs,
    surfaces: day.surfaces,
    sessions: day.sessions,
    hours: day.hours,
    views: day.views,
    hashtags: day.hashtags,
    hashtagPageMs: day.hashtagPageMs,
    hashtagPairs: day.hashtagPairs,
    passiveSurfaces: day.passiveSurfaces,
    revision,
  };
}

/** The one mapping from stored account snapshots to the uploaded accounts: grouped by username, in name order. */
export function uploadAccountsOf(snapshots: readonly AccountSnapshotRecord[]): Array<z.infer<typeof uploadAccount>> {
  const byUsername = new Map<string, AccountSnapshotRecord[]>();
  for (const snapshot of snapshots)
    byUsername.set(snapshot.username, [...(byUsername.get(snapshot.username) ?? []), snapshot]);
  return [...byUsername.keys()].sort().map((name) => ({
    username: name,
    snapshots: (byUsername.get(name) ?? []).map(({ date, observedAt, followers, following, posts }) => ({
      date,
      observedAt: new Date(observedAt).toISOString(),
      followers,
      following,
      posts,
    })),
  }));
}

/** The first value that appears twice, in linear time. */
function firstRepeated(values: readonly string[]): string | undefined {
  const seen = new Set<string>();
  for (const value of values) {
    if (seen.has(value)) return value;
    seen.add(value);
  }
  return undefined;
}

export const uploadBatch = z
  .object({
    schemaVersion: z.number().int().min(oldestAcceptedUploadVersion).max(uploadSchemaVersion),
    batchId,
    policyVersion: policyVersionNumber,
    scopes: scopesSchema,
    environment: uploadEnvironment,
    days: z.array(uploadDay).max(400),
    accounts: z.array(uploadAccount).max(20).optional(),
  })
  .loose()
  .superRefine((batch, context) => {
    if (!batch.scopes.uploadUsage) {
      context.addIssue({ code: 'custom', path: ['scopes'], message: 'uploads need the uploadUsage scope' });
    }
    // The extension never grants a scope without its prerequisites (src/shared/domain/consent.ts): anything else is forged.
    for (const scope of scopeNames) {
      const missing = scopePrerequisites[scope].filter((prerequisite) => !batch.scopes[prerequisite]);
      if (batch.scopes[scope] && missing.length > 0) {
        context.addIssue({ code: 'custom', path: ['scopes'], message: `${scope} needs ${missing.join(' and ')}` });
      }
    }
    if (batch.accounts !== undefined && !batch.scopes.uploadAccount) {
      context.addIssue({ code: 'custom', path: ['accounts'], message: 'accounts need the uploadAccount scope' });
    }
    const repeated = firstRepeated(batch.days.map((day) => day.date));
    if (repeated) context.addIssue({ code: 'custom', path: ['days'], message: `the day ${repeated} appears twice` });
    if (batch.schemaVersion >= 2 && batch.days.some((day) => day.revision === undefined)) {
      context.addIssue({ code: 'custom', path: ['days'], message: 'from version 2 on, every day has a revision' });
    }
  });
export type UploadBatch = z.infer<typeof uploadBatch>;

/**
 * `GET /v1/limits` (public): how large an upload may be. `maxBodyBytes` bounds the bytes on the wire (gzip-compressed
 * when sent with `Content-Encoding: gzip`), `maxDecodedBytes` the JSON after decompression. Every answer also carries
 * `X-SmartTags-Body-Limit` with `maxBodyBytes`. A server that predates this route answers 404: the client then assumes
 * 1 MiB for both.
 */
export const uploadLimits = z
  .object({
    maxBodyBytes: z.number().int().positive(),
    maxDecodedBytes: z.number().int().positive(),
    uploadVersions: z.object({ oldest: z.number().int().positive(), newest: z.number().int().positive() }),
  })
  .loose();
export type UploadLimits = z.infer<typeof uploadLimits>;
export const bodyLimitHeader = 'x-smarttags-body-limit';
/** What a client assumes of a server that does not announce its limits (the reference server's old default). */
export const assumedLimits: UploadLimits = {
  maxBodyBytes: 1_048_576,
  maxDecodedBytes: 1_048_576,
  uploadVersions: { oldest: 1, newest: 1 },
};

export const installationCreated = z.object({
  installationId: z.string().min(8).max(64),
  /** A random secret; the server keeps only its hash. */
  token: z.string().min(32).max(256),
  /**
   * A second secret, only for deletion: the extension puts it in its uninstall URL
   * (`GET /v1/uninstalled/<code>`), the fallback that deletes everything when the extension is removed without a
   * chance to send its deletion request. The server keeps only its hash.
   */
  uninstallCode: z.string().regex(/^[A-Za-z0-9_-]{32,128}$/),
});
export type InstallationCreated = z.infer<typeof installationCreated>;

export const uploadAccepted = z.object({
  /** How many days the batch stored (inserted or replaced). */
  accepted: z.number().int().nonnegative(),
  /** True when this batch id had been received before: nothing changed. */
  duplicate: z.boolean(),
  /** Days not stored because the server already held a higher revision of them (version 2 on; absent before). */
  stale: z.number().int().nonnegative().optional(),
});
export type UploadAccepted = z.infer<typeof uploadAccepted>;

/**
 * The server's receipt for a deletion: only this confirms it. A repeated deletion with the same token (its first answer
 * was lost) gets the same receipt again.
 */
export const deletionReceipt = z
  .object({
    deletedAt: z.iso.datetime(),
    receiptId: z.string().min(8).max(64),
    deleted: z.object({
      days: z.number().int().nonnegative(),
      accountSnapshots: z.number().int().nonnegative(),
      batches: z.number().int().nonnegative(),
    }),
  })
  .loose();
export type DeletionReceipt = z.infer<typeof deletionReceipt>;

/** Everything a backend holds for one installation: the person's right of access. */
export const installationData = z.object({
  installationId: z.string(),
  createdAt: z.iso.datetime(),
  days: z.array(
    uploadDay.extend({
      receivedAt: z.iso.datetime(),
      policyVersion: policyVersionNumber,
      environment: uploadEnvironment,
    }),
  ),
  accounts: z.array(uploadAccount),
  /** Each batch received; fields the batch carried that the server does not know are given back here (loose). */
  batches: z.array(z.object({ batchId, receivedAt: z.iso.datetime(), days: z.number().int().nonnegative() }).loose()),
});
export type InstallationData = z.infer<typeof installationData>;

const apiErrorCodes = [
  'bad-request',
  'unauthorized',
  'not-found',
  'payload-too-large',
  'unsupported-media-type',
  'rate-limited',
  'conflict',
  'internal',
] as const;
export const apiError = z.object({ error: z.object({ code: z.enum(apiErrorCodes), message: z.string() }) });
export type ApiError = z.infer<typeof apiError>;
