/**
 * Writes what the content script observed through the write guard (./writeGuard.ts: consent and pause checked inside
 * the same transaction, so a withdrawal or a pause that committed first always wins), applying each report in one
 * Dexie transaction so a worker stopped half-way leaves nothing half-counted — and, because every part of a report is
 * idempotent, the content script's retry of a report whose answer was lost counts nothing twice.
 */

import type { AccountReportMessage, UsageReportMessage } from '../shared/contracts/messages';
import { localDateOf } from '../shared/domain/dates';
import { readerHealthAfter } from '../shared/domain/readerHealth';
import type { Reminder } from '../shared/domain/reminders';
import { type AccountSnapshotRecord, accountSnapshotRecord, dayRecord, type Reader } from '../shared/storage/records';
import { AttendedSeconds, applyUsage, datesTouched, type UsageFacts, utcDaysTouched } from './aggregate';
import type { BackgroundContext } from './context';
import { decideReminders, reelViewsCounted, showReminders } from './reminders';
import { guardedWrite } from './writeGuard';

/** Reports about the past beyond this are refused: a content script flushes at least every 15 s and on hide. */
const oldestReportMs = 2 * 86_400_000;
/** Clocks of tabs and worker are the same clock; a small allowance covers rounding to whole seconds. */
const futureAllowanceMs = 60_000;

export type WriteOutcome = 'recorded' | 'no-consent' | 'paused' | 'implausible';

function plausible(facts: UsageFacts, now: number): boolean {
  const inRange = (at: number) => at >= now - oldestReportMs && at <= now + futureAllowanceMs;
  return (
    facts.runs.every((run) => inRange(run.startSecond * 1000) && inRange((run.startSecond + run.seconds) * 1000)) &&
    facts.views.every((view) => inRange(view.at)) &&
    facts.hashtags.every((hashtag) => inRange(hashtag.at))
  );
}

/**
 * Applies a usage report, then shows the reminders it made due (src/background/reminders.ts): decided inside the same
 * transaction, so two reports racing cannot both decide on the same reminder, and shown only after it commits.
 */
export async function recordUsage(context: BackgroundContext, report: UsageReportMessage): Promise<WriteOutcome> {
  const { db, now, timeZone } = context;
  const zone = timeZone();
  if (!plausible(report, now())) return 'implausible';
  const tables = ['days', 'attendedSeconds', 'dayKeys', 'reminderState'] as const;
  const result = await guardedWrite(context, { tables, consent: ['usage'] }, async (consent): Promise<Reminder[]> => {
    // Which of the person's own posts carry a tag is account data: without `account` it is not kept.
    const facts: UsageFacts = {
      runs: report.runs,
      views: report.views,
      hashtags: consent.scopes.account ? report.hashtags : report.hashtags.filter((hashtag) => !hashtag.used),
    };
    const dates = datesTouched(facts, zone);
    const utcDays = utcDaysTouched(facts.runs);
    const days = new Map((await db.days.bulkGet(dates)).flatMap((day) => (day ? [[day.date, day] as const] : [])));
    const bitmaps = new Map(
      (await db.attendedSeconds.bulkGet(utcDays)).flatMap((record) =>
        record ? [[record.utcDay, record.bits] as const] : [],
      ),
    );
    const keys = new Map<string, Set<string>>();
    for (const record of await db.dayKeys.where('date').anyOf(dates).toArray()) {
      const set = keys.get(record.date) ?? new Set<string>();
      set.add(record.key);
      keys.set(record.date, set);
    }
    const attended = new AttendedSeconds(bitmaps);
    const changes = applyUsage(facts, { days, attended, keys }, zone);
    await db.days.bulkPut(
      [...changes.days].flatMap((date) => {
        const day = days.get(date);
        return day ? [dayRecord.parse(day)] : [];
      }),
    );
    if (changes.secondsCounted > 0) {
      await db.attendedSeconds.bulkPut(
        utcDays.flatMap((utcDay) => {
          const bits = attended.days.get(utcDay);
          return bits ? [{ utcDay, bits }] : [];
        }),
      );
    }
    if (changes.newKeys.length > 0) await db.dayKeys.bulkPut(changes.newKeys);
    return decideReminders(context, attended, reelViewsCounted(facts, changes));
  });
  if (result.outcome !== 'recorded') return result.outcome;
  await showReminders(context, result.value);
  return 'recorded';
}

type CountField = 'followers' | 'following' | 'posts';
const countFields: readonly CountField[] = ['followers', 'following', 'posts'];

/**
 * One data point per account per day. A later observation updates the day's point, except that a rounded value never
 * replaces an exact one of the same day (the exact one is the better fact), and an unread count keeps the earlier one.
 */
export function mergeSnapshot(
  earlier: AccountSnapshotRecord | undefined,
  later: AccountSnapshotRecord,
): AccountSnapshotRecord {
  if (!earlier) return later;
  const merged: AccountSnapshotRecord = { ...later };
  for (const field of countFields) {
    const before = earlier[field];
    const after = later[field];
    if (after === null || (before?.exact && !after.exact)) merged[field] = before;
  }
  return merged;
}

export async function recordAccount(context: BackgroundContext, report: AccountReportMessage): Promise<WriteOutcome> {
  const { db, now, timeZone } = context;
  const observedAt = now();
  const snapshot = accountSnapshotRecord.parse({
    username: report.username,
    date: localDateOf(observedAt, timeZone()),
    observedAt,
    followers: report.followers,
    following: report.following,
    posts: report.posts,
  });
  const rule = { tables: ['accountSnapshots', 'readerHealth'], consent: ['account'] } as const;
  const result = await guardedWrite(context, rule, async () => {
    const earlier = await db.accountSnapshots.get([snapshot.username, snapshot.date]);
    await db.accountSnapshots.put(mergeSnapshot(earlier, snapshot));
    // The counts were read: that is the profile-counts reader's success (the content script reports only its failures).
    await noteReaderHealth(context, 'profile-counts', 'ok', observedAt);
  });
  return result.outcome;
}

/** Inside a guarded transaction over `readerHealth`: applies one report to the reader's record. */
async function noteReaderHealth(
  context: BackgroundContext,
  reader: Reader,
  state: 'missing' | 'ok',
  at: number,
): Promise<void> {
  const earlier = await context.db.readerHealth.get(reader);
  await context.db.readerHealth.put(readerHealthAfter(earlier, reader, state, at));
}

/**
 * Keeps each reader's health: when it last found what it reads, and since when it fails
 * (src/shared/domain/readerHealth.ts). Under either recording scope (the content script reports on whatever it may
 * observe), and, like every write of recording, not while paused.
 */
export async function recordQuality(
  context: BackgroundContext,
  reader: Reader,
  state: 'missing' | 'ok',
): Promise<WriteOutcome> {
  const rule = { tables: ['readerHealth'], consent: ['usage', 'account'] } as const;
  const result = await guardedWrite(context, rule, () => noteReaderHealth(context, reader, state, context.now()));
  return result.outcome;
}
