/**
 * The upload contract between the extension and a smartTags backend, described once and shared by both ends: the
 * extension builds and checks what it sends with these schemas, and the reference server (server/) validates what it
 * receives with the same ones. docs/openapi.json is generated from them (npm run openapi).
 *
 * Privacy by shape: `days` carry no username (an anonymous usage record); only `accounts` do, and only when the batch's
 * scopes grant `uploadAccount` — the schema refuses anything else, on both ends.
 */
import { accountCount, dayRecord, localDate, policyVersionNumber, scopesSchema, username } from './records';
import { z } from './zod';

export const uploadSchemaVersion = 1;

/** A batch id: fixed when the batch is enqueued, sent as the Idempotency-Key, so a retry is recognised. */
export const batchId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'must be 8–64 letters, digits, _ or -');

export const browserNames = ['chrome', 'firefox', 'edge', 'other'] as const;
export const operatingSystems = ['windows', 'macos', 'linux', 'chromeos', 'android', 'ios', 'other'] as const;
export const deviceTypes = ['desktop', 'mobile', 'tablet'] as const;

/** Anonymous facts about the environment. The country comes from the time zone, never from an IP look-up. */
export const uploadEnvironment = z.object({
  browser: z.enum(browserNames),
  browserVersion: z.string().regex(/^\d{1,4}(\.\d{1,6}){0,3}$/, 'must be a version number'),
  os: z.enum(operatingSystems),
  deviceType: z.enum(deviceTypes),
  timeZone: z.string().min(1).max(64),
  /** ISO 3166-1 alpha-2, or null when the time zone names no single country (e.g. UTC). */
  country: z
    .string()
    .regex(/^[A-Z]{2}$/)
    .nullable(),
});
export type UploadEnvironment = z.infer<typeof uploadEnvironment>;

export const uploadAccount = z.object({
  username,
  snapshots: z
    .array(
      z.object({
        date: localDate,
        observedAt: z.iso.datetime(),
        followers: accountCount,
        following: accountCount,
        posts: accountCount,
      }),
    )
    .max(400),
});

export const uploadBatch = z
  .object({
    schemaVersion: z.literal(uploadSchemaVersion),
    batchId,
    policyVersion: policyVersionNumber,
    scopes: scopesSchema,
    environment: uploadEnvironment,
    days: z.array(dayRecord).max(400),
    accounts: z.array(uploadAccount).max(20).optional(),
  })
  .superRefine((batch, context) => {
    if (!batch.scopes.uploadUsage) {
      context.addIssue({ code: 'custom', path: ['scopes'], message: 'uploads need the uploadUsage scope' });
    }
    if (batch.accounts !== undefined && !batch.scopes.uploadAccount) {
      context.addIssue({ code: 'custom', path: ['accounts'], message: 'accounts need the uploadAccount scope' });
    }
    const dates = batch.days.map((day) => day.date);
    const repeated = dates.find((date, index) => dates.indexOf(date) !== index);
    if (repeated) context.addIssue({ code: 'custom', path: ['days'], message: `the day ${repeated} appears twice` });
  });
export type UploadBatch = z.infer<typeof uploadBatch>;

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
});
export type UploadAccepted = z.infer<typeof uploadAccepted>;

export const deletionReceipt = z.object({ deletedAt: z.iso.datetime(), receiptId: z.string().min(8).max(64) });
export type DeletionReceipt = z.infer<typeof deletionReceipt>;

/** Everything a backend holds for one installation: the person's right of access. */
export const installationData = z.object({
  installationId: z.string(),
  createdAt: z.iso.datetime(),
  days: z.array(
    dayRecord.extend({
      receivedAt: z.iso.datetime(),
      policyVersion: policyVersionNumber,
      environment: uploadEnvironment,
    }),
  ),
  accounts: z.array(uploadAccount),
  batches: z.array(z.object({ batchId, receivedAt: z.iso.datetime(), days: z.number().int().nonnegative() })),
});
export type InstallationData = z.infer<typeof installationData>;

export const apiErrorCodes = [
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
