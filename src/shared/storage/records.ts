/**
 * Every record the extension stores, described once; the Dexie tables (./db.ts) are typed from these schemas and the
 * background validates a record before it writes it. Field meanings: docs/DATA_MODEL.md.
 */
import { defaultIdleSeconds, defaultPassiveSeconds } from '../domain/attention';
import { consentSources, scopeNames } from '../domain/consent';
import { isCalendarDate, isTimeZone } from '../domain/dates';
import { isNormalised } from '../domain/followerLists';
import { surfaces, usernamePattern } from '../domain/routes';
import { z } from '../zod';

export const epochMs = z.number().int().nonnegative();
export const milliseconds = z.number().int().nonnegative();
export const count = z.number().int().nonnegative();
export const localDate = z.string().refine(isCalendarDate, 'must be a calendar date YYYY-MM-DD');
export const timeZone = z.string().max(64).refine(isTimeZone, 'must be an IANA time zone');
export const username = z.string().regex(usernamePattern, 'must be an Instagram username');
export const hashtag = z.string().min(1).max(100);
export const surface = z.enum(surfaces);

export const scopesSchema = z.object(
  Object.fromEntries(scopeNames.map((scope) => [scope, z.boolean()])) as Record<
    (typeof scopeNames)[number],
    z.ZodBoolean
  >,
);
export const partialScopesSchema = scopesSchema.partial();
export const consentSource = z.enum(consentSources);
export const policyVersionNumber = z.number().int().positive();

/** The person's current choices. One row, id "current"; absent until the first start. */
export const consentStateRecord = z.object({
  id: z.literal('current'),
  scopes: scopesSchema,
  /** The policy version the person last agreed to by making a choice; null before any choice. */
  agreedPolicyVersion: policyVersionNumber.nullable(),
  /** When the person last made a choice; null until then (onboarding not finished). */
  decidedAt: epochMs.nullable(),
});
export type ConsentStateRecord = z.infer<typeof consentStateRecord>;

/** One grant or withdrawal of one scope. */
export const consentLedgerRecord = z.object({
  id: z.number().int().positive().optional(),
  at: epochMs,
  scope: z.enum(scopeNames),
  granted: z.boolean(),
  policyVersion: policyVersionNumber,
  source: consentSource,
});
export type ConsentLedgerRecord = z.infer<typeof consentLedgerRecord>;

export const retentionDays = z.union([z.literal(30), z.literal(90), z.literal(365)]).nullable();

/** Attention thresholds (seconds); their meaning: src/content/attention.ts. */
export const idleSeconds = z.number().int().min(10).max(600);
export const passiveSeconds = z.number().int().min(30).max(1800);

/** Reminders (src/shared/domain/reminders.ts), in minutes: the daily limit, and continuous attention before a break. */
export const dailyLimitMinutes = z.number().int().min(5).max(1440);
export const breakAfterMinutes = z.number().int().min(10).max(240);
/** Goals (src/shared/domain/goals.ts): one surface's daily limit, in minutes, within the overall limit's bounds. */
export const surfaceLimitMinutes = z.number().int().min(5).max(1440);
const surfaceLimitsMinutes = z.partialRecord(surface, surfaceLimitMinutes);
/** The reel-count nudge: after this many reels in a row (src/shared/domain/reminders.ts). */
export const reelNudgeCount = z.number().int().min(5).max(500);
/** A day of the ISO week, 1 = Monday … 7 = Sunday; an hour of the local day, 0–23. */
const isoWeekday = z.number().int().min(1).max(7);
const hourOfDay = z.number().int().min(0).max(23);
/** When the weekly report's notification comes (src/shared/domain/weeklyReport.ts): local weekday and hour. */
export const weeklyReportSchedule = z.object({ enabled: z.boolean(), weekday: isoWeekday, hour: hourOfDay });
export type WeeklyReportSchedule = z.infer<typeof weeklyReportSchedule>;
/** Off until the person turns it on (that asks for the notifications permission); Monday morning when they do. */
export const defaultWeeklyReport: WeeklyReportSchedule = { enabled: false, weekday: 1, hour: 9 };

export const settingsRecord = z.object({
  id: z.literal('current'),
  /** Days of recorded data kept; null keeps everything until the person deletes it. */
  retentionDays,
  /** Without input for this long, attention ends (default 60 s). */
  idleSeconds: idleSeconds.default(defaultIdleSeconds),
  /** On a video surface, attention ends this long after the last input (default 3 min). */
  passiveSeconds: passiveSeconds.default(defaultPassiveSeconds),
  /** Recording is paused until this instant (the person chose "pause for 1 hour" or "until tomorrow"); null: not paused. */
  pausedUntil: epochMs.nullable().default(null),
  /**
   * Remind once a day when today's attention time passes this many minutes; null or absent: off. Optional rather
   * than defaulted, so rows and fixtures written before reminders existed read back unchanged.
   */
  dailyLimitMinutes: dailyLimitMinutes.nullable().optional(),
  /** Suggest a break after this many minutes of continuous attention; null or absent: off. */
  breakAfterMinutes: breakAfterMinutes.nullable().optional(),
  /** Goals: a daily limit per surface (minutes); a surface absent has none. Absent: none. */
  surfaceLimitsMinutes: surfaceLimitsMinutes.optional(),
  /** Nudge once after this many reels in a row; null or absent: off. */
  reelNudgeCount: reelNudgeCount.nullable().optional(),
  /** The weekly report's notification; absent: off (`defaultWeeklyReport`). */
  weeklyReport: weeklyReportSchedule.optional(),
  /**
   * "How you compare": download the public weekly aggregate report from the chosen server and compare on this device.
   * Opt-in; absent: off.
   */
  compareWithOthers: z.boolean().optional(),
  /**
   * "Keep my follower list": imports of Instagram's export keep the followers' usernames to show who unfollowed
   * (`followerLists`). Absent: off. Turning it off deletes the lists (src/background/followerLists.ts).
   */
  keepFollowerLists: z.boolean().optional(),
});
export type SettingsRecord = z.infer<typeof settingsRecord>;
export const defaultSettings: SettingsRecord = {
  id: 'current',
  retentionDays: null,
  idleSeconds: defaultIdleSeconds,
  passiveSeconds: defaultPassiveSeconds,
  pausedUntil: null,
};

const tagCounts = z.record(hashtag, count);

/** One local calendar day of Instagram use. */
export const dayRecord = z.object({
  date: localDate,
  timeZone,
  activeMs: milliseconds,
  surfaces: z.record(surface, milliseconds),
  sessions: count,
  hours: z.array(milliseconds).length(24),
  views: z.object({ posts: count, reels: count, stories: count }),
  hashtags: z.object({ seen: tagCounts, used: tagCounts }),
  /** Attention time on each tag's own page (`/explore/tags/<tag>/`). Absent in files from before it existed. */
  hashtagPageMs: z.record(hashtag, milliseconds).default({}),
  /**
   * Tags seen together: "a b" (the two tags in code-point order, space-separated) → how many posts carried both, for the
   * co-occurrence report. Counted once per post per day, from its first ten tags. Absent in older files.
   */
  hashtagPairs: z.record(z.string().max(201), count).default({}),
  /**
   * Of each surface's time in `surfaces`, the part that counted only by the passive rule: a video surface on screen,
   * no input for longer than the idle threshold (src/content/attention.ts). Active time is the difference. Absent in
   * files from before it was kept apart.
   */
  passiveSurfaces: z.partialRecord(surface, milliseconds).default({}),
});
export type DayRecord = z.infer<typeof dayRecord>;

/**
 * A day's figures without its hashtag fields: what the views of time and views read (the Overview, the goals, the
 * popup). A year of full days is about 10 MB, nearly all hashtag counts and pairs; a year of these reads in a fraction
 * of the time. Kept by the database itself in the transaction of every write of a day (src/shared/storage/db.ts).
 */
export const dayTotalsRecord = dayRecord.omit({ hashtags: true, hashtagPageMs: true, hashtagPairs: true });
export type DayTotalsRecord = z.infer<typeof dayTotalsRecord>;

/** The day record's fields that `dayTotalsRecord` leaves out. */
export function dayTotalsOf({
  hashtags: _h,
  hashtagPageMs: _p,
  hashtagPairs: _pairs,
  ...totals
}: DayRecord): DayTotalsRecord {
  return totals;
}

export const accountCount = z.object({ value: count, exact: z.boolean() }).nullable();

/** The person's own account's stats on one day, as last observed that day. */
export const accountSnapshotRecord = z.object({
  username,
  date: localDate,
  observedAt: epochMs,
  followers: accountCount,
  following: accountCount,
  posts: accountCount,
});
export type AccountSnapshotRecord = z.infer<typeof accountSnapshotRecord>;

/** One Instagram page load, by surface only (never the path: paths name other people and message threads). */
export const visitRecord = z.object({
  id: z.number().int().positive().optional(),
  surface,
  seenAt: epochMs,
  /** The page said nobody was logged in to Instagram. */
  signedOut: z.literal(true).optional(),
});
export type VisitRecord = z.infer<typeof visitRecord>;

/**
 * What the background mirrors into `storage.local` for content scripts, which cannot open the extension's IndexedDB:
 * what they may observe, and the attention thresholds. Derived from the consent state and settings on every change;
 * the background still checks consent itself at write time.
 */
const recordingGate = z.object({
  /** Consent for `usage`, and not paused. */
  usage: z.boolean(),
  /** Consent for `account`, and not paused. */
  account: z.boolean(),
  idleMs: z.number().int().positive(),
  passiveMs: z.number().int().positive(),
});
export type RecordingGate = z.infer<typeof recordingGate>;
export const recordingGateKey = 'recordingGate';

/**
 * What the reminders already said (src/shared/domain/reminders.ts), so a restarted worker, a second tab or a retried report
 * never repeats a reminder. One row, id "current"; absent means nothing was said yet.
 */
export const reminderStateRecord = z.object({
  id: z.literal('current'),
  /** The last daily-limit reminder: the local date it was for and the limit (minutes) it was about. */
  dailyLimit: z.object({ date: localDate, limitMinutes: dailyLimitMinutes }).nullable(),
  /** The last attended epoch second of the streak the last break reminder was about. */
  breakRemindedThrough: z.number().int().nonnegative().nullable(),
  /**
   * The last per-surface limit reminder of each surface: the local date and the limit it was about. The fields below
   * are defaulted: rows from before goals read as nothing said.
   */
  surfaceLimits: z.partialRecord(surface, z.object({ date: localDate, limitMinutes: surfaceLimitMinutes })).default({}),
  /** The reels watched in a row lately: the first and last view's time, how many, and whether the nudge came. */
  reelRun: z
    .object({ firstAt: epochMs, lastAt: epochMs, count: count, reminded: z.boolean() })
    .nullable()
    .default(null),
  /** The next weekly report's notification, as a local date and hour (null: none scheduled). */
  weeklyReportDue: z.object({ date: localDate, hour: hourOfDay }).nullable().default(null),
});
export type ReminderStateRecord = z.infer<typeof reminderStateRecord>;
export const emptyReminderState: ReminderStateRecord = {
  id: 'current',
  dailyLimit: null,
  breakRemindedThrough: null,
  surfaceLimits: {},
  reelRun: null,
  weeklyReportDue: null,
};

/** Counted attention seconds of one UTC day (bit i = second i of the day), so no second is counted twice. */
export const attendedSecondsRecord = z.object({
  utcDay: z.number().int().nonnegative(),
  bits: z.instanceof(Uint8Array),
});
export type AttendedSecondsRecord = z.infer<typeof attendedSecondsRecord>;

/** A view or hashtag already counted on a local day ("view:post:<id>", "seen:<post>:<tag>", "used:<post>:<tag>"). */
export const dayKeyRecord = z.object({ date: localDate, key: z.string().min(1).max(200) });
export type DayKeyRecord = z.infer<typeof dayKeyRecord>;

/**
 * What the content script reads from Instagram's page, one reader each: who is logged in, the own profile's counts,
 * the feed's posts, a post page, the reels player, the stories viewer. Each reports whether it found what it reads
 * (layout drift shows as a reader failing), so no failure is silent.
 */
export const readers = ['viewer', 'profile-counts', 'feed-posts', 'post-page', 'reels', 'stories'] as const;
export type Reader = (typeof readers)[number];

/** One reader's health. Absent: it has not reported yet. */
export const readerHealthRecord = z.object({
  reader: z.enum(readers),
  /** When it last found what it reads; null: never since the data was last wiped. */
  lastOkAt: epochMs.nullable(),
  /** Failing now: since when (the first failure after the last success); null: not failing. */
  failingSince: epochMs.nullable(),
  /** The last failure, whether or not it is failing now; null: none. */
  lastFailedAt: epochMs.nullable(),
});
export type ReaderHealthRecord = z.infer<typeof readerHealthRecord>;

/**
 * One correction the person made to their recorded data from the dashboard: a day deleted, or one surface's time on a
 * day. Kept (and exported) so that the data says which figures were changed by hand, and how much was removed.
 */
export const localEditRecord = z.object({
  id: z.number().int().positive().optional(),
  at: epochMs,
  date: localDate,
  /** The surface whose time was removed; null: the whole day was deleted. */
  surface: surface.nullable(),
  /** Attention time removed (the surface's, or the whole day's). */
  removedMs: milliseconds,
});
export type LocalEditRecord = z.infer<typeof localEditRecord>;

// ——— imported from Instagram's own data export ———

/**
 * One local day as Instagram's own data export ("Download your information") tells it, imported on the person's
 * request (src/background/instagramImport.ts). Kept apart from `days`, which holds only what smartTags recorded: the
 * dashboard shows, per count, the larger of the two and marks the days the import filled
 * (src/shared/domain/instagramHistory.ts). Never uploaded: it is history from Instagram, not recording.
 */
export const importedDayRecord = z.object({
  date: localDate,
  /** Where it came from: Instagram's data export (the only source of imported days so far). */
  source: z.literal('instagram-export'),
  /** Posts and reels seen that day (under `usage`). */
  views: z.object({ posts: count, reels: count }),
  /** The person's own hashtags that day, uses per tag (under `usage` and `account`, as recorded used hashtags). */
  tagsUsed: tagCounts,
  /** The person's own posts and reels published that day (under `account`). */
  ownPosts: count,
  /** When an import last raised a figure of this day. */
  importedAt: epochMs,
});
export type ImportedDayRecord = z.infer<typeof importedDayRecord>;

/** A follower or following count from the export: a lower bound, as accounts that stopped following are absent. */
const lowerBound = z.object({ value: count, exact: z.literal(false) }).nullable();

/**
 * The export owner's follower and following counts at the end of one local day, from the follow dates in the export
 * (under `account`). Lower bounds, never exact; a day smartTags recorded a snapshot for shows that snapshot instead.
 */
export const importedAccountPointRecord = z.object({
  username,
  date: localDate,
  source: z.literal('instagram-export'),
  followers: lowerBound,
  following: lowerBound,
  importedAt: epochMs,
});
export type ImportedAccountPointRecord = z.infer<typeof importedAccountPointRecord>;

/**
 * The followers of the person's account as one import of Instagram's export listed them, kept only while "Keep my
 * follower list" is on, to show who unfollowed since the import before (src/shared/domain/followerLists.ts). Other
 * people's usernames: on this device only, never uploaded; the two newest lists are kept, and the person can delete
 * them. `usernames` lower case, sorted by code units, each once.
 */
export const followerListRecord = z.object({
  id: z.number().int().positive().optional(),
  importedAt: epochMs,
  /** Whose followers these are: the export's owner (personal_information.json). */
  exportOwner: username,
  usernames: z.array(username).refine(isNormalised, 'must be sorted, each username once'),
});
export type FollowerListRecord = z.infer<typeof followerListRecord>;

// ——— sync ———

/**
 * Where uploads go: the backend's origin, chosen by the person (and granted as a host permission); and the limits that
 * backend last announced (`GET /v1/limits`), so the preview sizes batches as the next drain will.
 */
export const syncConfigRecord = z.object({
  id: z.literal('current'),
  backendUrl: z.string().max(300),
  limits: z
    .object({
      maxBodyBytes: z.number().int().positive(),
      maxDecodedBytes: z.number().int().positive(),
      newestVersion: z.number().int().positive(),
      /** False for a server that announced nothing (it predates gzip uploads and version 2). */
      announced: z.boolean(),
    })
    .optional(),
});
export type SyncConfigRecord = z.infer<typeof syncConfigRecord>;

/** The pseudonymous identity at one backend. Replaced (a new identity) whenever an upload scope is withdrawn. */
export const syncCredentialsRecord = z.object({
  id: z.literal('current'),
  backendUrl: z.string(),
  installationId: z.string(),
  token: z.string(),
  /** The deletion-only secret in the uninstall URL (see src/shared/contracts/upload.ts). */
  uninstallCode: z.string(),
  createdAt: epochMs,
});
export type SyncCredentialsRecord = z.infer<typeof syncCredentialsRecord>;

/** A batch waiting to be sent; its id (the Idempotency-Key) is fixed when it is enqueued. */
export const outboxRecord = z.object({
  seq: z.number().int().positive().optional(),
  batchId: z.string(),
  createdAt: epochMs,
  /** The batch as built (consent is checked again, and accounts stripped if no longer allowed, when it is sent). */
  batch: z.unknown(),
  dates: z.array(localDate),
  failures: count,
  nextAttemptAt: epochMs,
});
export type OutboxRecord = z.infer<typeof outboxRecord>;

/**
 * What was last enqueued for a finished day, so a later correction of that day is enqueued again; `revision` grows with
 * every enqueued version (the server keeps the highest, so a late retry of an older version cannot undo a correction).
 */
export const syncDayRecord = z.object({ date: localDate, fingerprint: z.string(), revision: count.default(0) });
export type SyncDayRecord = z.infer<typeof syncDayRecord>;

/**
 * queued → sent → confirmed (only with the server's receipt). `held`: the person chose to keep what an old backend
 * holds when they changed backend; it is queued by "Delete my data on the server" or "Delete all my data".
 */
const deletionStatuses = ['held', 'queued', 'sent', 'confirmed'] as const;
/**
 * A request to delete everything a backend holds for one (former) identity, retried until confirmed. Once confirmed,
 * the secret (token) and the installation id are forgotten; after a wipe the receipt id too — what remains is counts
 * and dates.
 */
export const deletionRequestRecord = z.object({
  id: z.string(),
  requestedAt: epochMs,
  backendUrl: z.string(),
  installationId: z.string().nullable(),
  token: z.string().nullable(),
  status: z.enum(deletionStatuses),
  failures: count,
  nextAttemptAt: epochMs,
  lastError: z.string().nullable(),
  receiptId: z.string().nullable(),
  deletedAt: z.string().nullable(),
  /** What the server says it deleted, from its receipt. Absent until confirmed (and in records from before receipts). */
  deleted: z.object({ days: count, accountSnapshots: count, batches: count }).optional(),
  /** Asked for by "Delete all my data": once confirmed, no id of the installation is kept. */
  fromWipe: z.boolean().optional(),
});
export type DeletionRequestRecord = z.infer<typeof deletionRequestRecord>;

const uploadOutcomes = ['sent', 'duplicate', 'dropped', 'retrying', 'overflow', 'split', 'too-large'] as const;
export const uploadLogRecord = z.object({
  id: z.number().int().positive().optional(),
  at: epochMs,
  batchId: z.string(),
  dates: z.array(localDate),
  outcome: z.enum(uploadOutcomes),
  status: z.number().int().nullable(),
  error: z.string().nullable(),
});
export type UploadLogRecord = z.infer<typeof uploadLogRecord>;
