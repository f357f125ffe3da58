/**
 * Turns what content scripts report into daily records. Pure: the caller loads the affected records, this applies
 * the report to them, the caller writes them back in the same transaction (src/background/usage.ts).
 *
 * Every part of a report is idempotent, so a report delivered twice (a worker killed before it answered, and the
 * content script retrying) counts once:
 * - attention: each epoch second is counted at most once, across all tabs, by a per-UTC-day bitmap of counted seconds;
 * - views: once per (kind, id) per local day; hashtags: once per (post, tag) per local day, by keys kept per day.
 *
 * Day boundaries: a second belongs to the local calendar day and hour of the time zone the background runs in, as
 * Intl computes them — so midnight splits a run between two days, and a DST change gives a day 23 or 25 hours.
 * Sessions: a second starts a session when none of the 300 seconds before it was counted.
 */

import { localDateOf } from '../shared/domain/dates';
import { emptyDay } from '../shared/domain/reports';
import type { Surface } from '../shared/domain/routes';
import type { DayRecord } from '../shared/storage/records';

export const sessionGapSeconds = 300;
/** Pairs grow with the square of a post's tags; the first ten (45 pairs) say what a post is about. */
const pairTagsPerPost = 10;
const secondsPerDay = 86_400;

export interface ReportedRun {
  startSecond: number;
  seconds: number;
  surface: Surface;
  tag?: string | undefined;
  /** Counted only by the passive rule (video on screen, no recent input). */
  passive?: true | undefined;
}
interface ReportedView {
  kind: 'post' | 'reel' | 'story';
  id: string;
  at: number;
}
interface ReportedHashtag {
  postId: string;
  tag: string;
  at: number;
  used: boolean;
}
export interface UsageFacts {
  runs: ReportedRun[];
  views: ReportedView[];
  hashtags: ReportedHashtag[];
}

/** Counted seconds, one bitmap of 86,400 bits per UTC day (day number = epoch second ÷ 86,400). */
export class AttendedSeconds {
  constructor(readonly days: Map<number, Uint8Array<ArrayBuffer>> = new Map()) {}

  static utcDay(second: number): number {
    return Math.floor(second / secondsPerDay);
  }

  has(second: number): boolean {
    const bits = this.days.get(AttendedSeconds.utcDay(second));
    if (!bits) return false;
    const offset = second - AttendedSeconds.utcDay(second) * secondsPerDay;
    return ((bits[offset >> 3] ?? 0) & (1 << (offset & 7))) !== 0;
  }

  add(second: number): void {
    const day = AttendedSeconds.utcDay(second);
    let bits = this.days.get(day);
    if (!bits) {
      bits = new Uint8Array(secondsPerDay / 8);
      this.days.set(day, bits);
    }
    const offset = second - day * secondsPerDay;
    bits[offset >> 3] = (bits[offset >> 3] ?? 0) | (1 << (offset & 7));
  }

  anyBetween(fromSecond: number, toSecond: number): boolean {
    for (let second = fromSecond; second <= toSecond; second += 1) if (this.has(second)) return true;
    return false;
  }
}

/** The UTC days whose bitmaps applying these runs reads or writes (including the session look-back). */
export function utcDaysTouched(runs: readonly ReportedRun[]): number[] {
  const days = new Set<number>();
  for (const run of runs) {
    const first = AttendedSeconds.utcDay(run.startSecond - sessionGapSeconds);
    const last = AttendedSeconds.utcDay(run.startSecond + run.seconds - 1);
    for (let day = first; day <= last; day += 1) days.add(day);
  }
  return [...days];
}

const hourFormats = new Map<string, Intl.DateTimeFormat>();
function localHourOf(epochMs: number, timeZone: string): number {
  let format = hourFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', hourCycle: 'h23' });
    hourFormats.set(timeZone, format);
  }
  return Number(format.format(epochMs)) % 24;
}

/** The local dates a report touches, so the caller can load those days and their keys. */
export function datesTouched(facts: UsageFacts, timeZone: string): string[] {
  const dates = new Set<string>();
  for (const run of facts.runs) {
    dates.add(localDateOf(run.startSecond * 1000, timeZone));
    dates.add(localDateOf((run.startSecond + run.seconds - 1) * 1000, timeZone));
  }
  for (const view of facts.views) dates.add(localDateOf(view.at, timeZone));
  for (const hashtag of facts.hashtags) dates.add(localDateOf(hashtag.at, timeZone));
  return [...dates];
}

export interface UsageState {
  /** Loaded days by date; days created by the report are added. */
  days: Map<string, DayRecord>;
  attended: AttendedSeconds;
  /** Keys already counted per date ("view:post:<id>", "seen:<post>:<tag>", "used:<post>:<tag>"). */
  keys: Map<string, Set<string>>;
}

export interface UsageChanges {
  days: Set<string>;
  newKeys: Array<{ date: string; key: string }>;
  secondsCounted: number;
}

const viewField = { post: 'posts', reel: 'reels', story: 'stories' } as const;

export function applyUsage(facts: UsageFacts, state: UsageState, timeZone: string): UsageChanges {
  const changes: UsageChanges = { days: new Set(), newKeys: [], secondsCounted: 0 };
  const dayFor = (date: string): DayRecord => {
    let day = state.days.get(date);
    if (!day) {
      day = emptyDay(date, timeZone);
      state.days.set(date, day);
    }
    changes.days.add(date);
    return day;
  };
  const firstTime = (date: string, key: string): boolean => {
    let keys = state.keys.get(date);
    if (!keys) {
      keys = new Set();
      state.keys.set(date, keys);
    }
    if (keys.has(key)) return false;
    keys.add(key);
    changes.newKeys.push({ date, key });
    return true;
  };

  const orderedRuns = [...facts.runs].sort((a, b) => a.startSecond - b.startSecond);
  for (const run of orderedRuns) {
    for (let second = run.startSecond; second < run.startSecond + run.seconds; second += 1) {
      if (state.attended.has(second)) continue;
      const startsSession = !state.attended.anyBetween(second - sessionGapSeconds, second - 1);
      state.attended.add(second);
      changes.secondsCounted += 1;
      const at = second * 1000;
      const day = dayFor(localDateOf(at, timeZone));
      day.activeMs += 1000;
      day.surfaces[run.surface] = (day.surfaces[run.surface] ?? 0) + 1000;
      if (run.passive) day.passiveSurfaces[run.surface] = (day.passiveSurfaces[run.surface] ?? 0) + 1000;
      const hour = localHourOf(at, timeZone);
      day.hours[hour] = (day.hours[hour] ?? 0) + 1000;
      if (run.tag !== undefined) day.hashtagPageMs[run.tag] = (day.hashtagPageMs[run.tag] ?? 0) + 1000;
      if (startsSession) day.sessions += 1;
    }
  }

  for (const view of facts.views) {
    const date = localDateOf(view.at, timeZone);
    if (!firstTime(date, `view:${view.kind}:${view.id}`)) continue;
    dayFor(date).views[viewField[view.kind]] += 1;
  }

  const seenByPost = new Map<string, { at: number; tags: string[] }>();
  for (const hashtag of facts.hashtags) {
    if (hashtag.used) continue;
    const post = seenByPost.get(hashtag.postId) ?? { at: hashtag.at, tags: [] };
    if (!post.tags.includes(hashtag.tag)) post.tags.push(hashtag.tag);
    seenByPost.set(hashtag.postId, post);
  }
  for (const [postId, post] of seenByPost) {
    const tags = post.tags.slice(0, pairTagsPerPost).sort();
    if (tags.length < 2) continue;
    const date = localDateOf(post.at, timeZone);
    if (!firstTime(date, `pairs:${postId}`)) continue;
    const pairs = dayFor(date).hashtagPairs;
    for (let first = 0; first < tags.length; first += 1) {
      for (let second = first + 1; second < tags.length; second += 1) {
        const key = `${tags[first]} ${tags[second]}`;
        pairs[key] = (pairs[key] ?? 0) + 1;
      }
    }
  }

  for (const hashtag of facts.hashtags) {
    const date = localDateOf(hashtag.at, timeZone);
    const kind = hashtag.used ? 'used' : 'seen';
    if (!firstTime(date, `${kind}:${hashtag.postId}:${hashtag.tag}`)) continue;
    const counts = dayFor(date).hashtags[kind];
    counts[hashtag.tag] = (counts[hashtag.tag] ?? 0) + 1;
  }
  return changes;
}
