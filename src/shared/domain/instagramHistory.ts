/**
 * The rules for history imported from Instagram's own data export, pure (no browser globals, no Dexie): what consent
 * lets in, how an import merges with an earlier one, whose export may be imported, and how the dashboard combines
 * imported days with what smartTags recorded. The background applies them (src/background/instagramImport.ts); the
 * dashboard reads them (src/options/dashboard/common.tsx).
 *
 * ## Merge rules
 * - Imported history is kept apart from recorded data (its own tables), so an import can never change or lower what
 *   smartTags recorded.
 * - Per count, a stored imported day keeps the larger of the stored and the new figure (tags: per tag). Every count
 *   of an export only grows with time for a past day — a later export sees the same past — except the follower
 *   curve, where a later export lacks those who unfollowed since: the larger of two lower bounds is still a lower
 *   bound. So an import never lowers a figure, and importing the same export twice changes nothing (nothing is
 *   written, not even the import time).
 * - The dashboard shows, per count, max(recorded, imported): the export knows every device (the app too), smartTags
 *   only this browser, so the larger is the better count of the day, and never less than what was recorded. A date
 *   with only imported figures shows them, with no time spent (the export has no time). Days where the import raised
 *   or filled a figure are marked as imported.
 * - Follower and following points: a date with a snapshot smartTags recorded shows the recorded snapshot (observed,
 *   possibly exact); imported points fill the other dates, marked as lower bounds (`exact: false`).
 */
import type { InstagramImportPlan } from '../contracts/instagramExport';
import type {
  AccountSnapshotRecord,
  DayRecord,
  DayTotalsRecord,
  ImportedAccountPointRecord,
  ImportedDayRecord,
} from '../storage/records';
import type { Scopes } from './consent';

const source = 'instagram-export';

/** What an import would write, before it meets what is stored: figures only, no time. */
export type IncomingDay = Omit<ImportedDayRecord, 'importedAt' | 'source'>;
export type IncomingPoint = Omit<ImportedAccountPointRecord, 'importedAt' | 'source'>;

/** The parts of an export consent can keep out. */
export type ImportedPart = 'views' | 'tagsUsed' | 'ownPosts' | 'followerPoints' | 'followingPoints';
type RecordingScope = keyof Pick<Scopes, 'usage' | 'account'>;

/**
 * What the current consent keeps out: per choice that is off, how many days (or points) of each part. A part that
 * needs both choices (own hashtags) is counted under the first one off, so the person turns that on first.
 */
export type LeftOutByConsent = Partial<Record<RecordingScope, Partial<Record<ImportedPart, number>>>>;

/** What an import brings in once consent has been applied, and what it left out. */
export interface ConsentedHistory {
  days: IncomingDay[];
  points: IncomingPoint[];
  leftOutByConsent: LeftOutByConsent;
  /** Account points need to know whose account they are: none without an owner in the export. */
  pointsWithoutOwner: number;
}

const hasKeys = (record: Record<string, number>) => Object.keys(record).length > 0;

/**
 * The plan's days and points that `scopes` allow: views need `usage`; own hashtags need `usage` and `account` (like
 * recorded used hashtags); own posts and follower/following points need `account`. A day left with nothing is dropped.
 */
export function consentedHistory(
  plan: InstagramImportPlan,
  scopes: Pick<Scopes, 'usage' | 'account'>,
): ConsentedHistory {
  const leftOutByConsent: LeftOutByConsent = {};
  const leaveOut = (scope: RecordingScope, part: ImportedPart, count = 1) => {
    if (count === 0) return;
    const parts = leftOutByConsent[scope] ?? {};
    parts[part] = (parts[part] ?? 0) + count;
    leftOutByConsent[scope] = parts;
  };
  const keepViews = scopes.usage;
  const keepTags = scopes.usage && scopes.account;
  const keepPosts = scopes.account;
  const days: IncomingDay[] = [];
  for (const day of plan.days) {
    if (day.views.posts + day.views.reels > 0 && !keepViews) leaveOut('usage', 'views');
    if (hasKeys(day.tagsUsed) && !keepTags) leaveOut(scopes.usage ? 'account' : 'usage', 'tagsUsed');
    if (day.ownPosts > 0 && !keepPosts) leaveOut('account', 'ownPosts');
    const kept: IncomingDay = {
      date: day.date,
      views: keepViews ? day.views : { posts: 0, reels: 0 },
      tagsUsed: keepTags ? day.tagsUsed : {},
      ownPosts: keepPosts ? day.ownPosts : 0,
    };
    if (kept.views.posts + kept.views.reels + kept.ownPosts > 0 || hasKeys(kept.tagsUsed)) days.push(kept);
  }
  const { followers, following } = plan.account;
  let points: IncomingPoint[] = [];
  let pointsWithoutOwner = 0;
  if (!scopes.account) {
    leaveOut('account', 'followerPoints', followers.length);
    leaveOut('account', 'followingPoints', following.length);
  } else if (plan.owner === null) {
    pointsWithoutOwner = followers.length + following.length;
  } else {
    points = pointsOf(plan.owner, plan.account);
  }
  return { days, points, leftOutByConsent, pointsWithoutOwner };
}

/** The two curves as one point per date, oldest first; a curve without a point that date gives null. */
function pointsOf(username: string, account: InstagramImportPlan['account']): IncomingPoint[] {
  const byDate = new Map<string, IncomingPoint>();
  const pointAt = (date: string) => {
    let point = byDate.get(date);
    if (!point) {
      point = { username, date, followers: null, following: null };
      byDate.set(date, point);
    }
    return point;
  };
  for (const { date, value } of account.followers) pointAt(date).followers = { value, exact: false };
  for (const { date, value } of account.following) pointAt(date).following = { value, exact: false };
  return [...byDate.values()].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

function maxTags(stored: Record<string, number>, incoming: Record<string, number>): Record<string, number> {
  const merged = { ...stored };
  for (const [tag, uses] of Object.entries(incoming)) merged[tag] = Math.max(merged[tag] ?? 0, uses);
  return merged;
}

function sameTags(a: Record<string, number>, b: Record<string, number>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((tag) => a[tag] === b[tag]);
}

/**
 * The imported day to store: the stored one raised by the incoming figures (per count, the larger). Null when the
 * stored day already holds every incoming figure: nothing to write, so a second import of the same export is a no-op.
 */
export function mergeImportedDay(
  stored: ImportedDayRecord | undefined,
  incoming: IncomingDay,
  now: number,
): ImportedDayRecord | null {
  if (!stored) return { ...incoming, source, importedAt: now };
  const merged: ImportedDayRecord = {
    date: stored.date,
    source,
    views: {
      posts: Math.max(stored.views.posts, incoming.views.posts),
      reels: Math.max(stored.views.reels, incoming.views.reels),
    },
    tagsUsed: maxTags(stored.tagsUsed, incoming.tagsUsed),
    ownPosts: Math.max(stored.ownPosts, incoming.ownPosts),
    importedAt: now,
  };
  const unchanged =
    merged.views.posts === stored.views.posts &&
    merged.views.reels === stored.views.reels &&
    merged.ownPosts === stored.ownPosts &&
    sameTags(merged.tagsUsed, stored.tagsUsed);
  return unchanged ? null : merged;
}

type LowerBound = ImportedAccountPointRecord['followers'];

function maxBound(stored: LowerBound, incoming: LowerBound): LowerBound {
  if (stored === null) return incoming;
  if (incoming === null) return stored;
  return { value: Math.max(stored.value, incoming.value), exact: false };
}

/** The imported point to store: per count the larger lower bound; null when nothing would change. */
export function mergeImportedPoint(
  stored: ImportedAccountPointRecord | undefined,
  incoming: IncomingPoint,
  now: number,
): ImportedAccountPointRecord | null {
  if (!stored) return { ...incoming, source, importedAt: now };
  const followers = maxBound(stored.followers, incoming.followers);
  const following = maxBound(stored.following, incoming.following);
  if (followers?.value === stored.followers?.value && following?.value === stored.following?.value) return null;
  return { ...stored, followers, following, importedAt: now };
}

/**
 * Whether an export of `owner` may be imported, given the usernames smartTags knows as the person's own (recorded
 * snapshots, earlier imports): refused when it knows some and `owner` is not among them. An export that does not
 * say whose it is, or an installation that knows no username yet, is accepted.
 */
export function isOtherAccount(owner: string | null, knownUsernames: ReadonlySet<string>): boolean {
  return owner !== null && knownUsernames.size > 0 && !knownUsernames.has(owner);
}

/** A day with its hashtag fields (a whole `days` record), as against one without (`dayTotals`). */
function hasHashtags(day: DayTotalsRecord): day is DayTotalsRecord & Pick<DayRecord, 'hashtags'> {
  return 'hashtags' in day;
}

/**
 * The dashboard's days: recorded days with imported figures merged in (per count, the larger), and imported-only
 * dates as days without time (`blank`). Works on whole days and on days without their hashtag fields (the Overview
 * reads `dayTotals`), where only the views can be raised. `importedDates` are the dates where the import raised or
 * filled a figure.
 */
export function withImportedDays<Day extends DayTotalsRecord>(
  recorded: readonly Day[],
  imported: readonly ImportedDayRecord[],
  blank: (date: string) => Day,
): { days: Day[]; importedDates: Set<string> } {
  const byDate = new Map(recorded.map((day) => [day.date, day]));
  const importedDates = new Set<string>();
  for (const extra of imported) {
    const recordedDay = byDate.get(extra.date);
    const day = recordedDay ?? blank(extra.date);
    const posts = Math.max(day.views.posts, extra.views.posts);
    const reels = Math.max(day.views.reels, extra.views.reels);
    const views = { ...day.views, posts, reels };
    let merged: Day = { ...day, views };
    let raises = posts !== day.views.posts || reels !== day.views.reels;
    if (hasHashtags(day)) {
      const used = maxTags(day.hashtags.used, extra.tagsUsed);
      raises ||= !sameTags(used, day.hashtags.used);
      merged = { ...day, views, hashtags: { ...day.hashtags, used } };
    }
    // A recorded day that already holds every imported figure stays as recorded, unmarked.
    if (recordedDay && !raises) continue;
    importedDates.add(extra.date);
    byDate.set(extra.date, merged);
  }
  const days = [...byDate.values()].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  return { days, importedDates };
}

/**
 * The Account tab's snapshots: the recorded ones, and an imported point on each date of that account without a
 * recorded snapshot, as a snapshot of lower bounds (no post count: the export's posts are counted per day, not as a
 * total). The imported snapshots are returned apart too, so the tab can mark them.
 */
export function withImportedPoints(
  snapshots: readonly AccountSnapshotRecord[],
  points: readonly ImportedAccountPointRecord[],
): { snapshots: AccountSnapshotRecord[]; importedDates: Set<string> } {
  const recorded = new Set(snapshots.map((snapshot) => `${snapshot.username}\u0000${snapshot.date}`));
  const merged = [...snapshots];
  const importedDates = new Set<string>();
  for (const point of points) {
    if (recorded.has(`${point.username}\u0000${point.date}`)) continue;
    importedDates.add(point.date);
    merged.push({
      username: point.username,
      date: point.date,
      observedAt: point.importedAt,
      followers: point.followers,
      following: point.following,
      posts: null,
    });
  }
  return { snapshots: merged, importedDates };
}
