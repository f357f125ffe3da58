/**
 * The dashboard's reports: pure aggregation over day records and account snapshots (docs/DATA_MODEL.md). No browser
 * globals and no Dexie, so the options page, the popup and the tests share one definition of every number shown.
 *
 * Dates are local calendar dates (YYYY-MM-DD) as the days were recorded; weekdays and date arithmetic are computed in UTC
 * from the date string itself, so the viewer's time zone can never shift a day to another weekday.
 *
 * Sized for a year of data with thousands of distinct hashtags: every function is a single pass over the days with Maps,
 * followed by at most one sort.
 */

import type { AccountSnapshotRecord, DayRecord, DayTotalsRecord } from '../storage/records';
import { csvTable } from './csv';
import { utcMsOfDate } from './dates';
import { type Surface, surfaces } from './routes';

function zeroSurfaces(): Record<Surface, number> {
  const result = {} as Record<Surface, number>;
  for (const surface of surfaces) result[surface] = 0;
  return result;
}

/** A date without recorded use: every measure zero. */
export function emptyDay(date: string, timeZone = 'UTC'): DayRecord {
  return {
    date,
    timeZone,
    activeMs: 0,
    surfaces: zeroSurfaces(),
    sessions: 0,
    hours: Array.from({ length: 24 }, () => 0),
    views: { posts: 0, reels: 0, stories: 0 },
    hashtags: { seen: {}, used: {} },
    hashtagPageMs: {},
    hashtagPairs: {},
    passiveSurfaces: {},
  };
}

export interface Totals {
  activeMs: number;
  sessions: number;
  surfaces: Record<Surface, number>;
  views: { posts: number; reels: number; stories: number };
  /** Days with any attention time. */
  daysWithUse: number;
}

/** Sums over the days: attention time, time per surface, sessions, views. */
export function totals(days: readonly DayTotalsRecord[]): Totals {
  const result: Totals = {
    activeMs: 0,
    sessions: 0,
    surfaces: zeroSurfaces(),
    views: { posts: 0, reels: 0, stories: 0 },
    daysWithUse: 0,
  };
  for (const day of days) {
    result.activeMs += day.activeMs;
    result.sessions += day.sessions;
    if (day.activeMs > 0) result.daysWithUse++;
    for (const surface of surfaces) result.surfaces[surface] += day.surfaces[surface] ?? 0;
    result.views.posts += day.views.posts;
    result.views.reels += day.views.reels;
    result.views.stories += day.views.stories;
  }
  return result;
}

/** The first date with a day record (any activity), or null. Also exported by ./insights.ts. */
export function firstRecordedDate(days: readonly DayTotalsRecord[]): string | null {
  let first: string | null = null;
  for (const day of days) if (first === null || day.date < first) first = day.date;
  return first;
}

/** 0 = Monday … 6 = Sunday, from the calendar date alone (computed in UTC, so no time zone can shift it). */
export function weekdayIndex(date: string): number {
  return (new Date(utcMsOfDate(date)).getUTCDay() + 6) % 7;
}

/** Attention time by weekday (rows, Monday first) and local hour of day (columns): a 7 × 24 matrix of ms. */
export function heatmap(days: readonly DayTotalsRecord[]): number[][] {
  const matrix = Array.from({ length: 7 }, () => Array.from({ length: 24 }, () => 0));
  for (const day of days) {
    const row = matrix[weekdayIndex(day.date)];
    if (!row) continue;
    const hours = Math.min(24, day.hours.length);
    for (let hour = 0; hour < hours; hour++) row[hour] = (row[hour] ?? 0) + (day.hours[hour] ?? 0);
  }
  return matrix;
}

// ——— hashtags ———

/** One hashtag over a range of days: posts seen carrying it, own posts using it, attention time on its tag page. */
export interface TagRow {
  tag: string;
  seen: number;
  used: number;
  pageMs: number;
}
export type TagMeasure = 'seen' | 'used' | 'pageTime';
export type TagSortKey = 'tag' | TagMeasure;
type SortDirection = 'asc' | 'desc';
export interface TagSort {
  key: TagSortKey;
  direction: SortDirection;
}

/** Every hashtag seen, used or visited on the days, with its three measures (in first-met order; sort with sortTags). */
export function tagTable(days: readonly DayRecord[]): TagRow[] {
  const rows = new Map<string, TagRow>();
  for (const day of days) {
    const { seen, used } = day.hashtags;
    for (const tag in seen) {
      const row = rows.get(tag);
      if (row) row.seen += seen[tag] ?? 0;
      else rows.set(tag, { tag, seen: seen[tag] ?? 0, used: 0, pageMs: 0 });
    }
    for (const tag in used) {
      const row = rows.get(tag);
      if (row) row.used += used[tag] ?? 0;
      else rows.set(tag, { tag, seen: 0, used: used[tag] ?? 0, pageMs: 0 });
    }
    const pageMs = day.hashtagPageMs ?? {};
    for (const tag in pageMs) {
      const row = rows.get(tag);
      if (row) row.pageMs += pageMs[tag] ?? 0;
      else rows.set(tag, { tag, seen: 0, used: 0, pageMs: pageMs[tag] ?? 0 });
    }
  }
  return [...rows.values()];
}

/** A search query as tags are compared: NFC, lower-case, trimmed. */
function normaliseSearch(query: string): string {
  return query.normalize('NFC').toLowerCase().trim();
}

/**
 * The rows whose tag contains the query: case-insensitive and NFC-normalised (a decomposed "café" typed or pasted finds
 * the stored composed one), but accents count ("cafe" does not find "café"). An empty query keeps every row.
 */
export function searchTags<Row extends { tag: string }>(rows: readonly Row[], query: string): Row[] {
  const needle = normaliseSearch(query);
  if (needle === '') return [...rows];
  return rows.filter((row) => row.tag.normalize('NFC').toLowerCase().includes(needle));
}

const tagCollator = new Intl.Collator('en', { numeric: true });
const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function measureOf(row: TagRow, measure: TagMeasure): number {
  return measure === 'seen' ? row.seen : measure === 'used' ? row.used : row.pageMs;
}

/** The rows sorted by a measure (ties by tag, A→Z) or by tag; a new array. */
export function sortTags(rows: readonly TagRow[], sort: TagSort): TagRow[] {
  const sign = sort.direction === 'asc' ? 1 : -1;
  const { key } = sort;
  if (key === 'tag') {
    return [...rows].sort((a, b) => sign * (tagCollator.compare(a.tag, b.tag) || byCodePoint(a.tag, b.tag)));
  }
  return [...rows].sort((a, b) => sign * (measureOf(a, key) - measureOf(b, key)) || byCodePoint(a.tag, b.tag));
}

/** A count from a tag record, own keys only (a tag named "constructor" must not find Object.prototype's). */
function countOf(record: Record<string, number> | undefined, tag: string): number {
  return record && Object.hasOwn(record, tag) ? (record[tag] ?? 0) : 0;
}

function measureRecord(day: DayRecord, measure: TagMeasure): Record<string, number> {
  return measure === 'seen' ? day.hashtags.seen : measure === 'used' ? day.hashtags.used : (day.hashtagPageMs ?? {});
}

/**
 * The hashtags with the most posts seen (`seen`), uses in own posts (`used`) or time on their tag page (`pageTime`),
 * highest first, ties A→Z by code point; tags with none of that measure are left out. `search` filters first (see
 * searchTags). Only the chosen measure is summed over every tag; the other two only for the tags kept.
 */
export function topTags(
  days: readonly DayRecord[],
  options: { by: TagMeasure; limit?: number; search?: string },
): TagRow[] {
  const { by, limit = Number.POSITIVE_INFINITY, search = '' } = options;
  const totals = new Map<string, number>();
  for (const day of days) {
    const record = measureRecord(day, by);
    for (const tag in record) totals.set(tag, (totals.get(tag) ?? 0) + (record[tag] ?? 0));
  }
  const needle = normaliseSearch(search);
  if (needle !== '') {
    for (const tag of totals.keys()) if (!tag.normalize('NFC').toLowerCase().includes(needle)) totals.delete(tag);
  }
  const rows = largest(totals, limit).map(([tag]): TagRow => ({ tag, seen: 0, used: 0, pageMs: 0 }));
  if (rows.length <= 200) {
    // A few tags: look each up in each day.
    for (const day of days) {
      for (const row of rows) {
        row.seen += countOf(day.hashtags.seen, row.tag);
        row.used += countOf(day.hashtags.used, row.tag);
        row.pageMs += countOf(day.hashtagPageMs, row.tag);
      }
    }
    return rows;
  }
  // Many tags: one pass over the days' records, like tagTable.
  const byTag = new Map(rows.map((row) => [row.tag, row]));
  for (const day of days) {
    for (const measure of ['seen', 'used', 'pageTime'] as const) {
      const record = measureRecord(day, measure);
      for (const tag in record) {
        const row = byTag.get(tag);
        if (!row) continue;
        const value = record[tag] ?? 0;
        if (measure === 'seen') row.seen += value;
        else if (measure === 'used') row.used += value;
        else row.pageMs += value;
      }
    }
  }
  return rows;
}

export interface TagTrendPoint {
  date: string;
  seen: number;
  used: number;
  pageMs: number;
}

/** One tag's measures on each of the days (one point per day given; pass `rangeDays` for one per date). */
export function tagTrend(days: readonly DayRecord[], tag: string): TagTrendPoint[] {
  return days.map((day) => ({
    date: day.date,
    seen: countOf(day.hashtags.seen, tag),
    used: countOf(day.hashtags.used, tag),
    pageMs: countOf(day.hashtagPageMs, tag),
  }));
}

/** Two tags and how many posts seen carried both. */
export interface TagPair {
  a: string;
  b: string;
  count: number;
}

/**
 * Tags seen together, from the days' `hashtagPairs`, most posts first (ties A→Z). Without `tag`: the pairs (a < b).
 * With `tag`: that tag's partners, as pairs whose `a` is `tag` and `b` the partner.
 */
export function coOccurrence(
  days: readonly DayRecord[],
  tag?: string,
  limit: number = Number.POSITIVE_INFINITY,
): TagPair[] {
  const counts = new Map<string, number>();
  if (tag === undefined) {
    for (const day of days) {
      const pairs = day.hashtagPairs ?? {};
      for (const key in pairs) counts.set(key, (counts.get(key) ?? 0) + (pairs[key] ?? 0));
    }
  } else {
    // Keys are "a b" with a < b: the tag's pairs start with "tag " or end with " tag" (tags hold no spaces).
    const prefix = `${tag} `;
    const suffix = ` ${tag}`;
    for (const day of days) {
      const pairs = day.hashtagPairs ?? {};
      for (const key in pairs) {
        let partner: string | null = null;
        if (key.startsWith(prefix)) partner = key.slice(prefix.length);
        else if (key.endsWith(suffix)) partner = key.slice(0, key.length - suffix.length);
        if (partner && partner !== tag && !partner.includes(' ')) {
          counts.set(partner, (counts.get(partner) ?? 0) + (pairs[key] ?? 0));
        }
      }
    }
  }
  const top = largest(counts, limit);
  const result: TagPair[] = [];
  for (const [key, count] of top) {
    if (tag !== undefined) {
      result.push({ a: tag, b: key, count });
      continue;
    }
    const space = key.indexOf(' ');
    if (space > 0) result.push({ a: key.slice(0, space), b: key.slice(space + 1), count });
  }
  return result;
}

/**
 * The `limit` entries with the highest positive counts, highest first, ties by key in code-point order. With a small
 * limit over many entries (a year of tag pairs), a bounded heap keeps this near-linear instead of sorting everything.
 */
function largest(counts: Map<string, number>, limit: number): Array<[string, number]> {
  // "Worse" = lower count, or equal count and later key; the heap's root is the worst entry kept.
  const worse = (x: [string, number], y: [string, number]) => x[1] < y[1] || (x[1] === y[1] && x[0] > y[0]);
  const better = (x: [string, number], y: [string, number]) => (worse(x, y) ? 1 : worse(y, x) ? -1 : 0);
  if (limit <= 0) return [];
  if (!(counts.size > limit * 4)) {
    const all: Array<[string, number]> = [];
    for (const entry of counts) if (entry[1] > 0) all.push(entry);
    return all.sort(better).slice(0, limit);
  }
  const heap: Array<[string, number]> = [];
  const swap = (i: number, j: number) => {
    const held = heap[i] as [string, number];
    heap[i] = heap[j] as [string, number];
    heap[j] = held;
  };
  for (const entry of counts) {
    if (entry[1] <= 0) continue;
    if (heap.length < limit) {
      heap.push(entry);
      let index = heap.length - 1;
      while (index > 0) {
        const parent = (index - 1) >> 1;
        if (!worse(heap[index] as [string, number], heap[parent] as [string, number])) break;
        swap(index, parent);
        index = parent;
      }
      continue;
    }
    if (!worse(heap[0] as [string, number], entry)) continue;
    heap[0] = entry;
    let index = 0;
    for (;;) {
      const left = index * 2 + 1;
      const right = left + 1;
      let smallest = index;
      if (left < heap.length && worse(heap[left] as [string, number], heap[smallest] as [string, number]))
        smallest = left;
      if (right < heap.length && worse(heap[right] as [string, number], heap[smallest] as [string, number])) {
        smallest = right;
      }
      if (smallest === index) break;
      swap(index, smallest);
      index = smallest;
    }
  }
  return heap.sort(better);
}

export interface SeenVsUsedRow {
  tag: string;
  seen: number;
  used: number;
}

/**
 * Each tag seen or used, with both counts side by side, from a gathered tag table (`tagTable`, so a page that shows
 * several tag reports gathers once). Default order: most used first, then most seen, then A→Z, so the tags of one's own
 * posts lead and are compared with how often others' posts showed them.
 */
export function seenVsUsedOf(
  table: readonly TagRow[],
  options: { search?: string; sort?: TagSort; limit?: number } = {},
): SeenVsUsedRow[] {
  const { search = '', sort, limit = Number.POSITIVE_INFINITY } = options;
  const rows = searchTags(table, search).filter((row) => row.seen > 0 || row.used > 0);
  const sorted = sort
    ? sortTags(rows, sort)
    : rows.sort((a, b) => b.used - a.used || b.seen - a.seen || byCodePoint(a.tag, b.tag));
  return sorted.slice(0, limit).map(({ tag, seen, used }) => ({ tag, seen, used }));
}

/** A hashtag table as CSV (columns as in the export's hashtags file: hashtag, seen, used, page_ms). */
export function hashtagCsv(rows: readonly TagRow[]): string {
  return csvTable(
    ['hashtag', 'seen', 'used', 'page_ms'],
    rows.map((row) => [row.tag, row.seen, row.used, row.pageMs]),
  );
}

// ——— the own account ———

export type AccountCount = AccountSnapshotRecord['followers'];

export interface AccountPoint {
  date: string;
  observedAt: number;
  followers: AccountCount;
  following: AccountCount;
  posts: AccountCount;
}

/** One account's counts per date, oldest first, each with its `exact` flag (false: rounded as Instagram showed it). */
export function accountSeries(snapshots: readonly AccountSnapshotRecord[], username: string): AccountPoint[] {
  const byDate = new Map<string, AccountSnapshotRecord>();
  for (const snapshot of snapshots) {
    if (snapshot.username !== username) continue;
    const kept = byDate.get(snapshot.date);
    if (!kept || snapshot.observedAt > kept.observedAt) byDate.set(snapshot.date, snapshot);
  }
  return [...byDate.values()]
    .sort((a, b) => byCodePoint(a.date, b.date))
    .map(({ date, observedAt, followers, following, posts }) => ({ date, observedAt, followers, following, posts }));
}

/** The accounts with snapshots, A→Z. */
export function accountUsernames(snapshots: readonly AccountSnapshotRecord[]): string[] {
  const names = new Set<string>();
  for (const snapshot of snapshots) names.add(snapshot.username);
  return [...names].sort(byCodePoint);
}

// ——— the popup's "today at a glance" ———

export interface SurfaceTime {
  surface: Surface;
  ms: number;
}

/** A day's attention time per surface, most first (ties in the surfaces' own order); surfaces without time left out. */
export function surfaceBreakdown(day: DayTotalsRecord | undefined): SurfaceTime[] {
  if (!day) return [];
  return surfaces
    .map((surface) => ({ surface, ms: day.surfaces[surface] ?? 0 }))
    .filter((entry) => entry.ms > 0)
    .sort((a, b) => b.ms - a.ms);
}

export interface FollowersNow {
  username: string;
  /** The date of the newest snapshot with a followers count. */
  date: string;
  followers: NonNullable<AccountCount>;
  /** The change since the snapshot before it; null when there is none to compare with. */
  change: {
    since: string;
    by: number;
    /** False when either count was rounded as Instagram showed it (e.g. "12.4K"): the change is then approximate. */
    exact: boolean;
  } | null;
}

/**
 * Each account's newest followers count and its change since the previous day with a count (usually yesterday),
 * accounts A→Z. Days whose followers could not be read are skipped.
 */
export function latestFollowers(snapshots: readonly AccountSnapshotRecord[]): FollowersNow[] {
  return accountUsernames(snapshots).flatMap((username): FollowersNow[] => {
    const counted = accountSeries(snapshots, username).filter((point) => point.followers !== null);
    const latest = counted.at(-1);
    if (!latest?.followers) return [];
    const previous = counted.at(-2);
    return [
      {
        username,
        date: latest.date,
        followers: latest.followers,
        change: previous?.followers
          ? {
              since: previous.date,
              by: latest.followers.value - previous.followers.value,
              exact: latest.followers.exact && previous.followers.exact,
            }
          : null,
      },
    ];
  });
}
