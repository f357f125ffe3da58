/**
 * The export document (`format: "smarttags-export"`, `version: 1`): everything smartTags stores about the person, in
 * one JSON file they can keep, read, and import again. Described once here; docs/EXPORT.md documents it.
 *
 * Pure: converting records to a document and back, validating a file with a clear reason for every way it can be
 * wrong, and planning an import (what it would add, replace and keep) without touching storage.
 */
import { defaultIdleSeconds, defaultPassiveSeconds } from '../domain/attention';
import type { Scopes } from '../domain/consent';
import { scopeNames } from '../domain/consent';
import {
  type AccountSnapshotRecord,
  accountCount,
  type ConsentLedgerRecord,
  consentSource,
  count,
  type DayRecord,
  type FollowerListRecord,
  followerListRecord,
  hashtag,
  type ImportedAccountPointRecord,
  type ImportedDayRecord,
  idleSeconds,
  type LocalEditRecord,
  localDate,
  milliseconds,
  passiveSeconds,
  policyVersionNumber,
  retentionDays,
  type SettingsRecord,
  scopesSchema,
  surface,
  timeZone,
  username,
  type VisitRecord,
} from '../storage/records';
import { z } from '../zod';

const exportFormatName = 'smarttags-export';
const exportFormatVersion = 1;

const isoInstant = z.iso.datetime();

/**
 * The first value that appears twice. One pass with a Set: comparing every pair (indexOf) made a file of 16,000 days
 * take half a second to check and one of a million about an hour.
 */
function firstDuplicate(values: readonly string[]): string | undefined {
  const seen = new Set<string>();
  for (const value of values) {
    if (seen.has(value)) return value;
    seen.add(value);
  }
  return undefined;
}

/**
 * The most an import accepts (docs/EXPORT.md), far beyond anything smartTags records, so no genuine export is ever
 * refused, while a file cannot make the background validate and write without end (a runtime message carries the
 * whole document, and validating, planning and writing are all linear in these counts):
 * - days: one per calendar day, so 100,000 is over 270 years;
 * - visits: one per Instagram page opened; 2,000,000 is 550 a day for ten years (about 120 MB of JSON);
 * - accounts: the person's own accounts; Instagram lets a person switch between a handful;
 * - account snapshots, over all accounts: one per account per day, so 100,000 is over 270 years of one account or
 *   27 years of ten;
 * - consent-ledger entries (validated, never imported): one per consent change;
 * - local edits: one per correction the person made by hand, at most a few per day.
 */
export const importLimits = {
  days: 100_000,
  visits: 2_000_000,
  accounts: 1000,
  accountSnapshots: 100_000,
  consentLedger: 100_000,
  localEdits: 100_000,
} as const;

const limitLabels: Record<keyof typeof importLimits, string> = {
  days: 'days',
  visits: 'visits',
  accounts: 'accounts',
  accountSnapshots: 'account snapshots',
  consentLedger: 'consent-ledger entries',
  localEdits: 'local edits',
};

const lengthOf = (value: unknown) => (Array.isArray(value) ? value.length : 0);

/**
 * Counts what a document holds without validating it — only array lengths, and the snapshots of at most
 * `importLimits.accounts` accounts — so an oversized file is refused before the full parse, the costly part.
 */
function sizeProblem(input: object): string | undefined {
  const { days, visits, accounts, consentLedger, localEdits } = input as Record<string, unknown>;
  const counts: Record<keyof typeof importLimits, number> = {
    days: lengthOf(days),
    visits: lengthOf(visits),
    accounts: lengthOf(accounts),
    accountSnapshots: 0,
    consentLedger: lengthOf(consentLedger),
    localEdits: lengthOf(localEdits),
  };
  if (Array.isArray(accounts) && accounts.length <= importLimits.accounts) {
    for (const account of accounts as unknown[]) {
      if (typeof account === 'object' && account !== null) {
        counts.accountSnapshots += lengthOf((account as { snapshots?: unknown }).snapshots);
      }
    }
  }
  const number = (value: number) => value.toLocaleString('en-US');
  for (const key of Object.keys(importLimits) as Array<keyof typeof importLimits>) {
    if (counts[key] > importLimits[key]) {
      return `This export is too large to import: it holds ${number(counts[key])} ${limitLabels[key]}, and smartTags imports at most ${number(importLimits[key])}.`;
    }
  }
  return undefined;
}

/**
 * One day in the export file: the file format's own description, so the stored record can change shape without
 * changing what people's files hold (and old files keep importing). Mapped both ways by `exportDayOf` and
 * `dayRecordOf`. Fields added after version 1 first shipped are optional with a default.
 */
const exportDay = z.object({
  date: localDate,
  timeZone,
  activeMs: milliseconds,
  surfaces: z.record(surface, milliseconds),
  sessions: count,
  hours: z.array(milliseconds).length(24),
  views: z.object({ posts: count, reels: count, stories: count }),
  hashtags: z.object({ seen: z.record(hashtag, count), used: z.record(hashtag, count) }),
  /** Attention time on each tag's own page. Absent in files from before it existed. */
  hashtagPageMs: z.record(hashtag, milliseconds).default({}),
  /** Tags seen together ("a b" → posts). Absent in older files. */
  hashtagPairs: z.record(z.string().max(201), count).default({}),
  /** Of each surface's time, the part counted only by the passive rule (video on screen, no input). Absent in older files. */
  passiveSurfaces: z.partialRecord(surface, milliseconds).default({}),
});
type ExportDay = z.infer<typeof exportDay>;

/** The one mapping from a stored day to the file's. */
function exportDayOf(day: DayRecord): ExportDay {
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
  };
}

/** The one mapping from the file's day back to a stored one. */
function dayRecordOf(day: ExportDay): DayRecord {
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
  };
}

/** An imported follower or following count: never exact (see importedAccountPointRecord). */
const importedLowerBound = z.object({ value: count, exact: z.literal(false) }).nullable();

export const exportDocumentSchema = z
  .object({
    format: z.literal(exportFormatName),
    version: z.literal(exportFormatVersion),
    exportedAt: isoInstant,
    policyVersion: policyVersionNumber,
    consent: scopesSchema,
    consentLedger: z.array(
      z.object({
        at: isoInstant,
        scope: z.enum(scopeNames),
        granted: z.boolean(),
        policyVersion: policyVersionNumber,
        source: consentSource,
      }),
    ),
    // The thresholds were added after version 1 first shipped: files without them import with the defaults.
    settings: z.object({
      retentionDays,
      idleSeconds: idleSeconds.default(defaultIdleSeconds),
      passiveSeconds: passiveSeconds.default(defaultPassiveSeconds),
    }),
    days: z.array(exportDay),
    accounts: z.array(
      z.object({
        username,
        snapshots: z.array(
          z.object({
            date: localDate,
            observedAt: isoInstant,
            followers: accountCount,
            following: accountCount,
            posts: accountCount,
          }),
        ),
      }),
    ),
    visits: z.array(z.object({ surface, seenAt: isoInstant })),
    /**
     * The person's corrections to recorded days (docs/DATA_MODEL.md, `localEdits`): `surface` null when the whole day
     * was deleted. Absent in files from before corrections existed.
     */
    localEdits: z
      .array(z.object({ at: isoInstant, date: localDate, surface: surface.nullable(), removedMs: milliseconds }))
      .default([]),
    /**
     * History imported from Instagram's own data export (docs/DATA_MODEL.md, `importedDays`,
     * `importedAccountPoints`, `followerLists`), apart from what smartTags recorded. Exported so the file holds
     * everything stored; an import of this file does not bring it back (it comes again from Instagram's export).
     * Absent in older files, and `followerLists` in files from before they existed.
     */
    importedFromInstagram: z
      .object({
        days: z.array(
          z.object({
            date: localDate,
            views: z.object({ posts: count, reels: count }),
            tagsUsed: z.record(hashtag, count),
            ownPosts: count,
            importedAt: isoInstant,
          }),
        ),
        accountPoints: z.array(
          z.object({
            username,
            date: localDate,
            followers: importedLowerBound,
            following: importedLowerBound,
            importedAt: isoInstant,
          }),
        ),
        /**
         * The follower lists kept for "who unfollowed me" (only while the person had that on): other people's
         * usernames, sorted and each once, as the record keeps them.
         */
        followerLists: z
          .array(
            z.object({
              importedAt: isoInstant,
              exportOwner: username,
              usernames: followerListRecord.shape.usernames,
            }),
          )
          .default([]),
      })
      .default({ days: [], accountPoints: [], followerLists: [] }),
  })
  .superRefine((document, context) => {
    const day = firstDuplicate(document.days.map((entry) => entry.date));
    if (day) context.addIssue({ code: 'custom', path: ['days'], message: `the day ${day} appears twice` });
    const account = firstDuplicate(document.accounts.map((entry) => entry.username.toLowerCase()));
    if (account)
      context.addIssue({ code: 'custom', path: ['accounts'], message: `the account ${account} appears twice` });
    for (const entry of document.accounts) {
      const date = firstDuplicate(entry.snapshots.map((snapshot) => snapshot.date));
      if (date) {
        context.addIssue({
          code: 'custom',
          path: ['accounts'],
          message: `${entry.username} has two snapshots on ${date}`,
        });
      }
    }
  });
export type ExportDocument = z.infer<typeof exportDocumentSchema>;

/** What is stored, as the export reads it. */
export interface StoredData {
  scopes: Scopes;
  ledger: ConsentLedgerRecord[];
  settings: SettingsRecord;
  days: DayRecord[];
  snapshots: AccountSnapshotRecord[];
  visits: VisitRecord[];
  /** Absent: no correction was made (documents built from fixtures). */
  localEdits?: LocalEditRecord[];
  /** History imported from Instagram's export; absent: none. */
  importedDays?: ImportedDayRecord[];
  importedAccountPoints?: ImportedAccountPointRecord[];
  /** Follower lists kept for "who unfollowed me"; absent: none. */
  followerLists?: FollowerListRecord[];
}

const iso = (epochMs: number) => new Date(epochMs).toISOString();
const byString =
  <T>(key: (item: T) => string) =>
  (a: T, b: T) =>
    key(a).localeCompare(key(b));

export function buildExportDocument(data: StoredData, policyVersion: number, now: number): ExportDocument {
  // Grouped in one pass: filtering all snapshots once per account would be accounts × snapshots.
  const byUsername = new Map<string, AccountSnapshotRecord[]>();
  for (const snapshot of data.snapshots) {
    const group = byUsername.get(snapshot.username);
    if (group) group.push(snapshot);
    else byUsername.set(snapshot.username, [snapshot]);
  }
  const usernames = [...byUsername.keys()].sort();
  return {
    format: exportFormatName,
    version: exportFormatVersion,
    exportedAt: iso(now),
    policyVersion,
    consent: data.scopes,
    consentLedger: [...data.ledger]
      .sort((a, b) => a.at - b.at)
      .map(({ at, scope, granted, policyVersion: version, source }) => ({
        at: iso(at),
        scope,
        granted,
        policyVersion: version,
        source,
      })),
    settings: {
      retentionDays: data.settings.retentionDays,
      idleSeconds: data.settings.idleSeconds,
      passiveSeconds: data.settings.passiveSeconds,
    },
    days: [...data.days].sort(byString((day) => day.date)).map(exportDayOf),
    accounts: usernames.map((name) => ({
      username: name,
      snapshots: (byUsername.get(name) ?? [])
        .sort(byString((snapshot) => snapshot.date))
        .map(({ date, observedAt, followers, following, posts }) => ({
          date,
          observedAt: iso(observedAt),
          followers,
          following,
          posts,
        })),
    })),
    visits: [...data.visits]
      .sort((a, b) => a.seenAt - b.seenAt)
      .map(({ surface: s, seenAt }) => ({ surface: s, seenAt: iso(seenAt) })),
    localEdits: [...(data.localEdits ?? [])]
      .sort((a, b) => a.at - b.at)
      .map(({ at, date, surface: s, removedMs }) => ({ at: iso(at), date, surface: s, removedMs })),
    importedFromInstagram: {
      days: [...(data.importedDays ?? [])]
        .sort(byString((day) => day.date))
        .map(({ date, views, tagsUsed, ownPosts, importedAt }) => ({
          date,
          views,
          tagsUsed,
          ownPosts,
          importedAt: iso(importedAt),
        })),
      accountPoints: [...(data.importedAccountPoints ?? [])]
        .sort(byString((point) => `${point.username} ${point.date}`))
        .map(({ username: name, date, followers, following, importedAt }) => ({
          username: name,
          date,
          followers,
          following,
          importedAt: iso(importedAt),
        })),
      followerLists: [...(data.followerLists ?? [])]
        .sort((a, b) => a.importedAt - b.importedAt)
        .map(({ importedAt, exportOwner, usernames }) => ({ importedAt: iso(importedAt), exportOwner, usernames })),
    },
  };
}

/** The records an export document restores. Consent and its ledger are never imported: consent is given here. */
/** The settings a file carries: preferences, not transient state such as a running pause. */
type PortableSettings = Pick<SettingsRecord, 'retentionDays' | 'idleSeconds' | 'passiveSeconds'>;

export interface ImportedRecords {
  settings: PortableSettings;
  days: DayRecord[];
  snapshots: AccountSnapshotRecord[];
  visits: VisitRecord[];
  localEdits: LocalEditRecord[];
}

export function recordsFromExport(document: ExportDocument): ImportedRecords {
  return {
    settings: document.settings,
    days: document.days.map(dayRecordOf),
    snapshots: document.accounts.flatMap((account) =>
      account.snapshots.map((snapshot) => ({
        ...snapshot,
        username: account.username,
        observedAt: Date.parse(snapshot.observedAt),
      })),
    ),
    visits: document.visits.map((visit) => ({ surface: visit.surface, seenAt: Date.parse(visit.seenAt) })),
    localEdits: document.localEdits.map((edit) => ({ ...edit, at: Date.parse(edit.at) })),
  };
}

export type ParsedExport = { ok: true; document: ExportDocument } | { ok: false; error: string };

function describeIssues(error: z.ZodError): string {
  const shown = error.issues.slice(0, 3).map((issue) => {
    const where = issue.path.length > 0 ? issue.path.join('.') : 'document';
    return `${where}: ${issue.message}`;
  });
  const more = error.issues.length > 3 ? ` (and ${error.issues.length - 3} more problems)` : '';
  return `${shown.join('; ')}${more}`;
}

/** Validates an export document, with a reason a person can act on for each way a file can be wrong. */
export function parseExportDocument(input: unknown): ParsedExport {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, error: 'This file is not a smartTags export: it does not hold a JSON object.' };
  }
  const { format, version } = input as { format?: unknown; version?: unknown };
  if (format !== exportFormatName) {
    return { ok: false, error: 'This file is not a smartTags export (it has no "format": "smarttags-export").' };
  }
  if (typeof version === 'number' && Number.isInteger(version) && version > exportFormatVersion) {
    return {
      ok: false,
      error: `This export was made by a newer smartTags (format version ${version}); update smartTags to import it.`,
    };
  }
  if (version !== exportFormatVersion) {
    return { ok: false, error: `This export has an unknown format version (${JSON.stringify(version)}).` };
  }
  const tooLarge = sizeProblem(input);
  if (tooLarge) return { ok: false, error: tooLarge };
  const parsed = exportDocumentSchema.safeParse(input);
  if (!parsed.success)
    return { ok: false, error: `This export is damaged and was not imported: ${describeIssues(parsed.error)}.` };
  return { ok: true, document: parsed.data };
}

/** Parses the text of a file the person chose. */
export function parseExportText(text: string): ParsedExport {
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch {
    return { ok: false, error: 'This file is not valid JSON — it may be truncated, or it is not a smartTags export.' };
  }
  return parseExportDocument(input);
}

export const importModes = ['merge', 'replace'] as const;
export type ImportMode = (typeof importModes)[number];

export interface ImportCounts {
  /** In the file and not stored: will be added. */
  add: number;
  /** Stored and in the file: merge keeps the stored one; replace takes the file's. */
  overlap: number;
  /** Stored and not in the file: merge keeps it; replace deletes it. */
  onlyStored: number;
}

/**
 * What the file holds that the current consent keeps out of the import, by the scope that would be needed:
 * `days` and `visits` need `usage`; `accountSnapshots` and the `used` hashtags of days (the tags of the person's own
 * posts) need `account`. `usedHashtagDays` counts the file's days brought in with their `used` tags emptied.
 */
export interface LeftOut {
  days: number;
  visits: number;
  accountSnapshots: number;
  usedHashtagDays: number;
}

export interface ImportPlan {
  mode: ImportMode;
  /** Counted over what the import brings in: the file's records that the current consent allows. */
  days: ImportCounts;
  accountSnapshots: ImportCounts;
  visits: ImportCounts;
  /** Replace adopts the file's settings; merge keeps the current ones. */
  settingsChange: boolean;
  /** What the file holds that consent keeps out (replace still deletes what is stored of those kinds). */
  leftOut: LeftOut;
}

export interface StoredKeys {
  days: string[];
  accountSnapshots: string[];
  visits: string[];
  settings: PortableSettings;
}

export const snapshotKey = (snapshot: Pick<AccountSnapshotRecord, 'username' | 'date'>) =>
  `${snapshot.username}\u0000${snapshot.date}`;
export const visitKey = (visit: Pick<VisitRecord, 'surface' | 'seenAt'>) => `${visit.seenAt}\u0000${visit.surface}`;
/** A correction is the same one when it was made at the same time, to the same day and surface, removing as much. */
export const localEditKey = (edit: Omit<LocalEditRecord, 'id'>) =>
  `${edit.at}\u0000${edit.date}\u0000${edit.surface ?? ''}\u0000${edit.removedMs}`;

function counts(stored: readonly string[], incoming: readonly string[]): ImportCounts {
  const storedSet = new Set(stored);
  const incomingSet = new Set(incoming);
  let overlap = 0;
  for (const key of incomingSet) if (storedSet.has(key)) overlap += 1;
  return { add: incomingSet.size - overlap, overlap, onlyStored: storedSet.size - overlap };
}

/** The file's records that the current consent allows, and what it keeps out. */
export interface ConsentedImport {
  records: ImportedRecords;
  leftOut: LeftOut;
}

const hasKeys = (record: Record<string, unknown>) => Object.keys(record).length > 0;

/**
 * Applies the current consent to an import, as it applies to recording: a file cannot bring in what smartTags would
 * not record now. Without `usage`, no days, no visits and no local edits (a correction says how much time was spent
 * on a day: it is usage data, brought in with the days it describes); without `account`, no account snapshots
 * (usernames and figures) and no `used` hashtags (which tags are on the person's own posts is account data, as in
 * usage.report).
 */
export function allowedByConsent(records: ImportedRecords, scopes: Pick<Scopes, 'usage' | 'account'>): ConsentedImport {
  const days = scopes.usage ? records.days : [];
  const withUsedTags = scopes.account ? 0 : days.filter((day) => hasKeys(day.hashtags.used)).length;
  return {
    records: {
      settings: records.settings,
      days:
        withUsedTags === 0
          ? days
          : days.map((day) => (hasKeys(day.hashtags.used) ? { ...day, hashtags: { ...day.hashtags, used: {} } } : day)),
      snapshots: scopes.account ? records.snapshots : [],
      visits: scopes.usage ? records.visits : [],
      localEdits: scopes.usage ? records.localEdits : [],
    },
    leftOut: {
      days: records.days.length - days.length,
      visits: scopes.usage ? 0 : records.visits.length,
      accountSnapshots: scopes.account ? 0 : records.snapshots.length,
      usedHashtagDays: withUsedTags,
    },
  };
}

export function planImport(stored: StoredKeys, { records, leftOut }: ConsentedImport, mode: ImportMode): ImportPlan {
  return {
    mode,
    days: counts(
      stored.days,
      records.days.map((day) => day.date),
    ),
    accountSnapshots: counts(stored.accountSnapshots, records.snapshots.map(snapshotKey)),
    visits: counts(stored.visits, records.visits.map(visitKey)),
    settingsChange:
      mode === 'replace' &&
      (Object.keys(records.settings) as Array<keyof ImportedRecords['settings']>).some(
        (key) => records.settings[key] !== stored.settings[key],
      ),
    leftOut,
  };
}
