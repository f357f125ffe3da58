/**
 * The export document (`format: "smarttags-export"`, `version: 1`): everything smartTags stores about the person, in
 * one JSON file they can keep, read, and import again. Described once here; docs/EXPORT.md documents it.
 *
 * Pure: converting records to a document and back, validating a file with a clear reason for every way it can be
 * wrong, and planning an import (what it would add, replace and keep) without touching storage.
 */
import type { Scopes } from './consent';
import { scopeNames } from './consent';
import {
  type AccountSnapshotRecord,
  accountCount,
  type ConsentLedgerRecord,
  consentSource,
  type DayRecord,
  dayRecord,
  idleSeconds,
  localDate,
  passiveSeconds,
  policyVersionNumber,
  retentionDays,
  type SettingsRecord,
  scopesSchema,
  surface,
  username,
  type VisitRecord,
} from './records';
import { z } from './zod';

export const exportFormatName = 'smarttags-export';
export const exportFormatVersion = 1;

const isoInstant = z.iso.datetime();

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
      idleSeconds: idleSeconds.default(60),
      passiveSeconds: passiveSeconds.default(180),
    }),
    days: z.array(dayRecord),
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
  })
  .superRefine((document, context) => {
    const duplicate = (values: string[]) => values.find((value, index) => values.indexOf(value) !== index);
    const day = duplicate(document.days.map((entry) => entry.date));
    if (day) context.addIssue({ code: 'custom', path: ['days'], message: `the day ${day} appears twice` });
    const account = duplicate(document.accounts.map((entry) => entry.username.toLowerCase()));
    if (account)
      context.addIssue({ code: 'custom', path: ['accounts'], message: `the account ${account} appears twice` });
    for (const entry of document.accounts) {
      const date = duplicate(entry.snapshots.map((snapshot) => snapshot.date));
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
}

const iso = (epochMs: number) => new Date(epochMs).toISOString();
const byString =
  <T>(key: (item: T) => string) =>
  (a: T, b: T) =>
    key(a).localeCompare(key(b));

export function buildExportDocument(data: StoredData, policyVersion: number, now: number): ExportDocument {
  const usernames = [...new Set(data.snapshots.map((snapshot) => snapshot.username))].sort();
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
    days: [...data.days].sort(byString((day) => day.date)),
    accounts: usernames.map((name) => ({
      username: name,
      snapshots: data.snapshots
        .filter((snapshot) => snapshot.username === name)
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
  };
}

/** The records an export document restores. Consent and its ledger are never imported: consent is given here. */
/** The settings a file carries: preferences, not transient state such as a running pause. */
export type PortableSettings = Pick<SettingsRecord, 'retentionDays' | 'idleSeconds' | 'passiveSeconds'>;

export interface ImportedRecords {
  settings: PortableSettings;
  days: DayRecord[];
  snapshots: AccountSnapshotRecord[];
  visits: VisitRecord[];
}

export function recordsFromExport(document: ExportDocument): ImportedRecords {
  return {
    settings: document.settings,
    days: document.days,
    snapshots: document.accounts.flatMap((account) =>
      account.snapshots.map((snapshot) => ({
        ...snapshot,
        username: account.username,
        observedAt: Date.parse(snapshot.observedAt),
      })),
    ),
    visits: document.visits.map((visit) => ({ surface: visit.surface, seenAt: Date.parse(visit.seenAt) })),
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

export interface ImportPlan {
  mode: ImportMode;
  days: ImportCounts;
  accountSnapshots: ImportCounts;
  visits: ImportCounts;
  /** Replace adopts the file's settings; merge keeps the current ones. */
  settingsChange: boolean;
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

function counts(stored: readonly string[], incoming: readonly string[]): ImportCounts {
  const storedSet = new Set(stored);
  const incomingSet = new Set(incoming);
  const overlap = [...incomingSet].filter((key) => storedSet.has(key)).length;
  return { add: incomingSet.size - overlap, overlap, onlyStored: storedSet.size - overlap };
}

export function planImport(stored: StoredKeys, records: ImportedRecords, mode: ImportMode): ImportPlan {
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
  };
}
