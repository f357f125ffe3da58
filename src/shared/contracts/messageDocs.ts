/**
 * What docs/MESSAGES.md says about each message — its body, its answer and its effect — kept beside the catalogue
 * (./messages.ts) and written into that page's table by `npm run docs:messages` (scripts/messages-doc.ts). A unit test
 * fails when the committed table differs from what this generates.
 *
 * Only the generator and tests import this module, so no page or background bundle carries the prose.
 */
import {
  type AllowedSender,
  type MessageOf,
  type MessageType,
  messageCatalogue,
  messageTypes,
  type ReplyValues,
} from './messages';

/**
 * One message's row. Its shape follows the message, so the docs cannot drift from it silently: `body` is null (shown
 * as "—") exactly when the message has no field besides `type`, and `answer` exactly when it answers no value.
 * Markdown, on one line; a `|` is escaped when the table is written.
 */
interface MessageDoc<Type extends MessageType> {
  body: [Exclude<keyof MessageOf<Type>, 'type'>] extends [never] ? null : string;
  answer: [ReplyValues[Type]] extends [undefined] ? null : string;
  /** What the background does besides answering (null: nothing). */
  effect: string | null;
}

/** A mapped type over the catalogue's types: a message without its docs is a type error. */
const messageDocs: { [Type in MessageType]: MessageDoc<Type> } = {
  'page.seen': {
    body: '`{path, signedOut?}` — `location.pathname`: starts with `/`, no whitespace, ≤ 2048 chars; `signedOut: true` when the page says nobody is logged in (the popup explains why no account figures appear)',
    answer: null,
    effect:
      'under `usage` only and not paused: stores a visit `{surface, seenAt, signedOut?}`; otherwise `no-consent` / `paused`',
  },
  'usage.report': {
    body: '`{runs: [{startSecond, seconds, surface, tag?, passive?: true}], views: [{kind: post|reel|story, id, at}], hashtags: [{postId, tag, at, used}]}` — at most 500 runs, 1000 views, 5000 tags; times within 2 days before and 1 minute after now',
    answer: null,
    effect:
      'under `usage` (used tags also need `account`): applies the report to the days in one transaction (a `passive` run’s seconds also count in the day’s `passiveSurfaces`); idempotent — each epoch second, each view per item per day and each tag per post per day counts once, so a retried report changes nothing. In the same transaction, decides which reminders became due (docs/ARCHITECTURE.md, Reminders) and shows them after it commits. Times out of range: `bad-message`',
  },
  'account.report': {
    body: '`{username, followers, following, posts}` — each `{value, exact}` or null',
    answer: null,
    effect:
      "under `account`: today's data point for that account; a later observation updates it, but a rounded value never replaces an exact one of the same day, and an unread (null) count keeps the earlier one; in the same transaction marks the `profile-counts` reader working (recording health)",
  },
  'quality.report': {
    body: '`{reader: "viewer" | "profile-counts" | "feed-posts" | "post-page" | "reels" | "stories", state: "missing" | "ok"}` — whether that reader found what it reads on the page, at most once per state per page load',
    answer: null,
    effect:
      'under `usage` or `account`, not while paused: updates the `readerHealth` row of that reader — `ok` sets `lastOkAt` and ends the failure (`failingSince: null`); `missing` sets `lastFailedAt` and, if it was not failing yet, `failingSince`. The popup warns about a failing reader on a surface used in the last 7 days; the options page lists every reader (recording health)',
  },
  'consent.get': {
    body: null,
    answer: '`ConsentView`',
    effect: null,
  },
  'consent.set': {
    body: '`{scopes: {usage?, account?, uploadUsage?, uploadAccount?}, source}` — at least one scope; `source` ∈ `onboarding`, `popup`, `options`, `policy-update`',
    answer: '`ConsentView` (after the change)',
    effect:
      'applies the rules in `src/shared/domain/consent.ts` (prerequisites; withdrawal cascades), records agreement to the current policy version, writes one ledger entry per changed scope (and re-grants under a newer policy), republishes the recording gate, updates the badge, gives back Firefox data-collection categories of withdrawn upload scopes',
  },
  'data.export': {
    body: null,
    answer: 'the export document (docs/EXPORT.md)',
    effect: null,
  },
  'data.import': {
    body: '`{document, mode: "merge" | "replace", dryRun?}`',
    answer:
      '`{plan, applied}` — `plan`: per table `{add, overlap, onlyStored}`, `settingsChange`, and `leftOut: {days, visits, accountSnapshots, usedHashtagDays}` (docs/EXPORT.md)',
    effect:
      'checks the size limits first, then validates `document` (`bad-import`, nothing changed); brings in only what the current consent allows (no days or visits without `usage`; no account snapshots or `used` hashtags without `account`), reading consent in its transaction; with `dryRun` only plans; merge adds only what is not stored; replace swaps all recorded data for what the file brings in, and the retention setting; consent and ledger are never imported; a storage error: `internal`, nothing changed',
  },
  'instagram.import': {
    body: '`{files: [{name, text}], dryRun?}` — each file of Instagram’s data export the page read out of the zip (or its parts): its path inside the zip and its JSON text (empty for an HTML file); at most 5000 files',
    answer:
      '`{plan, applied, leftOutByConsent, pointsWithoutOwner, changes, followerList}` — `plan`: the export’s days, follower/following points (lower bounds), totals and what was left out and why (src/shared/contracts/instagramExport.ts), never other people’s usernames (`followerUsernames` is null); `changes`: `{daysAdded, daysRaised, pointsAdded, pointsRaised}`; `followerList`: what became of the export’s follower list — `{outcome: "off" | "no-list" | "no-owner" | "no-consent"}`, `{outcome: "unchanged", followers, since}` or `{outcome: "kept", followers}` (counts and a date, never usernames)',
    effect:
      'plans the import from the files itself (a plan from the page is never trusted); refuses the whole import with `bad-import` and a `reason` — `html-export`, `not-an-export`, `corrupt`, `empty`, `mixed-accounts`, or `other-account` (an export of another account than the one recorded, unless none is known yet); brings in only what the current consent allows (views need `usage`; own hashtags `usage` and `account`; own posts and follower/following points `account`), reading consent in its transaction; with `dryRun` only plans; otherwise merges into the imported history in one transaction — per count the larger figure, so nothing is lowered and a second import of the same export writes nothing. In the same transaction, only while “Keep my follower list” is on and under `account`, keeps the export’s followers as the newest follower list (deleting all but the one before it), unless they equal the newest list of that account. Never uploaded',
  },
  'followerLists.keep': {
    body: '`{keep: boolean}`',
    answer: '`{deleted}` (how many kept lists were deleted)',
    effect:
      "stores the setting “Keep my follower list” (`keepFollowerLists`); while it is on, `instagram.import` keeps the export's followers as the newest of at most two follower lists (docs/INSTAGRAM.md). `keep: false` deletes every kept list in the same transaction. Needs no consent: it stores a choice or deletes",
  },
  'followerLists.delete': {
    body: null,
    answer: '`{deleted}` (how many lists were deleted)',
    effect:
      'deletes every kept follower list in one transaction; the setting stays as it is. Needs no consent (it only deletes)',
  },
  'data.wipe': {
    body: '`{stopRecording?}`',
    answer: null,
    effect:
      "deletes all recorded data and the upload log; with `stopRecording`, first withdraws `usage` and `account` (ledger source: the page that asked). Stops uploads in flight, queues a deletion request for every backend that holds data (the current identity and any held at the person's choice) and drains at once; once confirmed, only the receipts' counts and dates remain (docs/SYNC.md)",
  },
  'day.edit': {
    body: '`{date, surface?}` — a local date `YYYY-MM-DD`; `surface` one of the surfaces, absent to delete the whole day',
    answer: '`{removedMs}` (the attention time removed)',
    effect:
      'needs no consent and is not paused (it only removes): in one transaction, deletes the day — its counted seconds and views stay marked, so a resent report cannot bring it back — or removes the surface from the total, the surface and its passive part, the hours (scaled to the new total) and, for `hashtag`, the time on tag pages; records `{at, date, surface: surface | null, removedMs}` in `localEdits` (exported); a day already enqueued for upload is sent again corrected, a deleted one as an empty day (docs/SYNC.md). No day on that date, or no time on that surface: `not-found`, nothing changed',
  },
  'settings.set': {
    body: 'any of `{retentionDays: null | 30 | 90 | 365, idleSeconds: 10–600, passiveSeconds: 30–1800, dailyLimitMinutes: null | 5–1440, breakAfterMinutes: null | 10–240, surfaceLimitsMinutes: {<surface>: null | 5–1440}, reelNudgeCount: null | 5–500, weeklyReport: {enabled, weekday: 1–7 (Monday–Sunday), hour: 0–23}, compareWithOthers: boolean}`',
    answer: null,
    effect:
      "stores the settings; a retention change prunes at once; new thresholds are republished to content scripts; a reminder's or goal's value turns it on, `null` off (the page asks for the notifications permission first, on the person's click); `surfaceLimitsMinutes` changes only the surfaces it names; a `weeklyReport` change reschedules its alarm at once (local time); `compareWithOthers` turns the dashboard's \"How you compare\" on or off (the page downloads the public report itself)",
  },
  'recording.pause': {
    body: '`{until: epoch ms | null}` — in the future, at most 25 h ahead; `null` resumes',
    answer: '`{pausedUntil}`',
    effect:
      "stores the end of the pause in the settings, closes the content scripts' gate (`usage`/`account` false while paused) and sets the `recording-resume` alarm for `until`; every write checks the stored end itself, so nothing is recorded during a pause even before the gate reaches a tab. Out of range: `refused`",
  },
  'sync.configure': {
    body: '`{backendUrl: string | null, keepOldData?: boolean}`',
    answer:
      '`{backendUrl, oldData: "deleted" | "kept" | "none"}` (the origin kept; what became of the old backend\'s data)',
    effect:
      "sets or clears where uploads go; refused (`refused`) unless HTTPS, or plain HTTP to 127.0.0.1/localhost, with no path, user or password. The page requests the origin's host permission first, on the person's click. A change stops uploads in flight, purges the outbox and queues a deletion request for the old backend with its own identity (sent at once), or with `keepOldData: true` — the person's explicit choice — holds it; the new backend gets a new identity",
  },
  'sync.now': {
    body: null,
    answer: '`{sent, dropped, failed, remaining, deletionsConfirmed}`',
    effect: 'drains now what the alarm drains every 5 minutes (docs/SYNC.md)',
  },
  'sync.preview': {
    body: null,
    answer: '`{batch}` or `{reason}`',
    effect:
      'the exact upload the next drain would send for the finished days not yet sent (with a placeholder batch id), built under the current consent; nothing is sent or enqueued',
  },
  'sync.deleteRemote': {
    body: null,
    answer: '`{queued}`',
    effect:
      '"Delete my data on the server": stops uploads in flight, purges the outbox, queues a deletion request for the current identity (and releases any held for an old backend), forgets the identity (new pseudonymous identity next time), and drains at once',
  },
};

const senderNames: Record<AllowedSender, string> = {
  'instagram-content-script': 'content script',
  'extension-page': 'extension page',
};

function cell(text: string | null): string {
  if (text === null) return '—';
  // A line break would end the table row; the prose is written on one line.
  if (/[\r\n]/.test(text)) throw new Error(`A catalogue cell must be one line: ${text}`);
  return text.replaceAll('|', '\\|');
}

/** docs/MESSAGES.md's catalogue table, one row per message in catalogue order. */
export function catalogueTable(): string {
  const rows = messageTypes.map((type) => {
    const { body, answer, effect } = messageDocs[type];
    const from = senderNames[messageCatalogue[type].from];
    return `| \`${type}\` | ${from} | ${cell(body)} | ${cell(answer)} | ${cell(effect)} |`;
  });
  return ['| type | allowed from | body | answer (`value`) | effect |', '|---|---|---|---|---|', ...rows].join('\n');
}

const catalogueStart =
  '<!-- The table below is generated from src/shared/contracts/messages.ts and messageDocs.ts by `npm run docs:messages`; edit those, not this. -->';
const catalogueEnd = '<!-- End of the generated table. -->';

/** `markdown` with the text between the catalogue markers replaced by the generated table. */
export function withCatalogueTable(markdown: string): string {
  const start = markdown.indexOf(catalogueStart);
  const end = markdown.indexOf(catalogueEnd);
  if (start === -1 || end < start)
    throw new Error('docs/MESSAGES.md lacks the catalogue markers (catalogueStart, catalogueEnd).');
  return `${markdown.slice(0, start + catalogueStart.length)}\n\n${catalogueTable()}\n\n${markdown.slice(end)}`;
}
