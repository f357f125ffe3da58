/**
 * Corrections the person makes to recorded days from the dashboard (`day.edit`): deleting a whole day, or one surface's
 * time on a day. Each is one transaction that changes the day, records the correction in the ledger of local edits
 * (`localEdits`, exported with the data) and marks what sync needs to send the day again — so it either happened
 * entirely or not at all.
 *
 * A correction needs no consent and is not stopped by a pause: it only removes what is stored and records nothing new,
 * and removing one's own data is the person's right whether or not recording is still allowed (as a wipe is). Writes of
 * `days` still go through the write guard (./writeGuard.ts), which the database demands of every write of recorded data;
 * the rule below says why neither check applies.
 */
import type { Surface } from '../shared/domain/routes';
import type { DayRecord } from '../shared/storage/records';
import type { BackgroundContext } from './context';
import { markDeletedDay } from './sync/sync';
import { guardedWrite } from './writeGuard';

type DayEditOutcome = { ok: true; removedMs: number } | { ok: false; reason: string };

const rule = {
  tables: ['days', 'localEdits', 'syncDays'],
  consent: {
    notNeeded:
      'a correction only removes time from a stored day, or the day itself: what remains is a part of what was ' +
      'stored under the consent of its time, and deleting one’s own data must work after a withdrawal too',
  },
  pause: { notApplied: 'a correction is the person’s own change to stored data, not recording' },
} as const;

/**
 * Deletes the day of `date` (no `surface`) or removes one surface's time from it, and records the correction. Answers
 * the attention time removed; a date with no stored day, or a surface without time on it, changes nothing.
 *
 * What a deleted day leaves behind, and why:
 * - the counted seconds (`attendedSeconds`) and the views and hashtags already counted that day (`dayKeys`) stay. They
 *   hold no figures, only "already counted" marks, and expire within three days by themselves; while they last, a
 *   report the content script resends (it keeps unanswered reports and retries them) finds every second, view and tag
 *   of it counted and adds nothing — without them the retry would bring the deleted day back, in part. Use after the
 *   correction still counts: a new second or a new view of today starts the day again;
 * - the account snapshot of that date stays: it is the account's growth on that date, not the day's use of Instagram,
 *   and the Account tab has its own data;
 * - sync: a day already enqueued for upload is marked so that the backend's copy is replaced by an empty day
 *   (`markDeletedDay`, docs/SYNC.md).
 */
export async function editDay(
  context: BackgroundContext,
  date: string,
  surface: Surface | undefined,
): Promise<DayEditOutcome> {
  const { db } = context;
  const result = await guardedWrite(context, rule, async (): Promise<DayEditOutcome> => {
    const day = await db.days.get(date);
    if (!day) return { ok: false, reason: `Nothing is recorded on ${date}; nothing was changed.` };
    let removedMs: number;
    if (surface === undefined) {
      removedMs = day.activeMs;
      await db.days.delete(date);
      await markDeletedDay(context, date);
    } else {
      removedMs = day.surfaces[surface] ?? 0;
      if (removedMs === 0)
        return { ok: false, reason: `No ${surface} time is recorded on ${date}; nothing was changed.` };
      // A finished day that changes gets a new fingerprint, so sync sends it again with a higher revision by itself.
      await db.days.put(withoutSurface(day, surface));
    }
    await db.localEdits.add({ at: context.now(), date, surface: surface ?? null, removedMs });
    return { ok: true, removedMs };
  });
  return result.value;
}

/**
 * The day with one surface's time removed: from the total, the surface (and its passive part), the time on tag pages
 * when the surface is `hashtag` (all of it was spent there), and the hours. Views, hashtags seen and pairs are counts of
 * what was seen, not time, and stay.
 *
 * The hours hold no surface (a second is counted in its hour, and nothing keeps which surface it was on), so the
 * surface's share of each hour cannot be known. They are scaled down together, each by the share of the day's time
 * that remains, so they keep their shape and still add up to the new total (rounded to whole milliseconds, the
 * remainders going to the hours that lost most to rounding). Sessions cannot be recounted without surfaces either: they
 * stay, unless no time remains — then there was no session.
 */
function withoutSurface(day: DayRecord, surface: Surface): DayRecord {
  const removedMs = day.surfaces[surface] ?? 0;
  const activeMs = Math.max(0, day.activeMs - removedMs);
  const { [surface]: _removedPassive, ...passiveSurfaces } = day.passiveSurfaces;
  return {
    ...day,
    activeMs,
    surfaces: { ...day.surfaces, [surface]: 0 },
    passiveSurfaces,
    hours: scaledHours(day.hours, day.activeMs > 0 ? activeMs / day.activeMs : 0),
    sessions: activeMs > 0 ? day.sessions : 0,
    hashtagPageMs: surface === 'hashtag' ? {} : day.hashtagPageMs,
  };
}

/** Each hour times `share`, in whole milliseconds that add up to the rounded scaled total (largest remainder). */
function scaledHours(hours: readonly number[], share: number): number[] {
  const exact = hours.map((ms) => ms * share);
  const scaled = exact.map(Math.floor);
  const target = Math.round(exact.reduce((sum, ms) => sum + ms, 0));
  let missing = target - scaled.reduce((sum, ms) => sum + ms, 0);
  const byRemainder = exact
    .map((ms, hour) => ({ hour, remainder: ms - Math.floor(ms) }))
    .sort((a, b) => b.remainder - a.remainder);
  for (const { hour } of byRemainder) {
    if (missing <= 0) break;
    scaled[hour] = (scaled[hour] ?? 0) + 1;
    missing -= 1;
  }
  return scaled;
}
