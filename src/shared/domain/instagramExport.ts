/**
 * Reading Instagram's own data export ("Download your information", JSON flavour) into a plan of days: pure, given the
 * export's files as text, it says what an import would bring in and what it leaves out and why. Nothing here stores
 * anything; the background applies the plan.
 *
 * ## The files read, and what they hold
 * Files are recognised by base name anywhere in the zip (files.ts): the folders moved over the years, the names stayed.
 * - `posts_viewed.json` (`{impressions_history_posts_seen: [...]}`) and `videos_watched.json`
 *   (`{impressions_history_videos_watched: [...]}`), in `ads_information/ads_and_topics/` (formerly `ads_and_topics/`):
 *   one entry per post or video seen, `{string_map_data: {Author: {value}, Time: {timestamp}}}`, the time in epoch
 *   seconds. → posts and reels seen per local day. Authors are other people: they only tell identical entries apart
 *   while merging, and never leave this module.
 * - `posts_1.json`, `posts_2.json`, … in `your_instagram_activity/media/` (formerly `content/`): a bare list of posts,
 *   `{media: [{uri, creation_timestamp, title}], title?, creation_timestamp?}`. A single-photo post has its caption
 *   (`title`) and time on its one media item; a carousel has them on the post and empty titles on its items.
 *   `reels.json`: `{ig_reels_media: [{media: [...]}]}`, the same per reel. `stories.json`:
 *   `{ig_stories: [{uri, creation_timestamp, title}]}`. → hashtags used per day (captions' `#tags`, each once per
 *   post) and own posts per day (posts and reels: both are on the profile grid; stories are not posts).
 * - `followers_1.json`, … (`followers.json` before 2022) in `connections/followers_and_following/` (formerly
 *   `followers_and_following/`): a bare list (older: `{relationships_followers: [...]}`) of
 *   `{title, string_list_data: [{href, value, timestamp}]}`; `following.json`: `{relationships_following: [...]}` of the
 *   same. The username is in `value`, or since 2025 only in `title` or in an `https://www.instagram.com/_u/<name>` href;
 *   `timestamp` is when that account followed. → cumulative follower and following counts by follow date. Accounts
 *   that stopped following are not in the export, so every point is a lower bound (`exact: false`).
 * - `following_hashtags.json`: `{relationships_following_hashtags: [...]}` of the same list entries, the tag in `value`
 *   (or `title`, or the `/explore/tags/<tag>/` href), `timestamp` when it was followed.
 * - `tag_searches.json` (in `logged_information/recent_searches/`, formerly `recent_searches/`):
 *   `{searches_hashtag: [{string_map_data: {Search: {value}, Time: {timestamp}}}]}`. The search is kept as a tag when
 *   it is one tag, written `#tag` or `tag` (the file holds only tag searches, and Instagram has written both); a search
 *   with spaces or other characters is left out.
 * - `personal_information.json` (`personal_information/personal_information/`, formerly `account_information/`):
 *   `{profile_user: [{string_map_data: {Username: {value}, …}}]}` → whose export this is.
 *
 * ## Traps
 * - Mojibake: every string is its UTF-8 bytes as Latin-1 code points ("cafÃ©" for "café", emoji and every script
 *   alike). Each text is repaired (repairMojibake) before a tag or a name is read from it; a text that is not a valid
 *   UTF-8 byte sequence read that way is genuine and left alone.
 * - `string_map_data` labels follow the account's language (`Time`, Dutch `Tijd`, French `Heure`, German `Zeit`,
 *   Spanish `Hora`, …; `Author`, `Auteur`, `Autor`, `Autore`, …), themselves in mojibake. Known labels are matched
 *   first; otherwise the time is the cell with a usable timestamp and the text the cell with a value (shapes.ts). The
 *   username of personal_information.json is read under known labels only: its other cells (name, e-mail) are text too.
 * - A large download comes as several zips, whose parts can hold the same file names. Parts are merged: identical
 *   entries in different files count once (an entry appearing n times in one file counts n times), an account or a
 *   followed tag once (the latest follow date: the one the current follow started at, which keeps the curve a lower
 *   bound).
 * - The HTML flavour (`posts_viewed.html`, … where the JSON files should be) cannot be read: refused when no JSON file
 *   is there (`html-export`: the person must download again and choose JSON), left out beside JSON files.
 * - Corrupt or truncated JSON, or a file of another shape: that file is left out with its reason; the import fails
 *   (`corrupt`) only when nothing readable remains.
 * - Times: epoch seconds; one before 2010 or after 2099 (or not a whole number) is not a usable time and its entry is
 *   left out. Days are local dates in the time zone given (dates.ts localDateOf).
 *
 * ## Other people
 * The plan holds no other person's username except `followerUsernames`, which exists only for the optional local
 * "who unfollowed me since the last import" (src/shared/domain/followerLists.ts) and is to be dropped by the caller
 * otherwise. It is null unless the export holds a whole follower list: at least one followers file, and every one of
 * them readable — a list missing a damaged file's accounts would show them all as gone.
 */
import type { InstagramImportPlan } from '../contracts/instagramExport';
import { isTimeZone, localDateOf } from './dates';
import { type ExportFileKind, isHtmlExportFile, kindOfExportFile } from './instagramExport/files';
import { repairMojibake } from './instagramExport/mojibake';
import {
  entriesOf,
  listEntry,
  mapEntry,
  mediaItem,
  mediaPost,
  profileEntry,
  readMapCells,
  usableSeconds,
} from './instagramExport/shapes';
import { tagOfHref, tagOfText, tagsInCaption } from './instagramExport/tags';
import { usernamePattern } from './routes';

export { isHtmlExportFile, isWantedExportFile } from './instagramExport/files';

/** One file of the export: `name` its path inside the zip, `text` its content (ignored for an HTML file). */
export interface ExportFile {
  name: string;
  text: string;
}

/** Why a whole import cannot be planned. */
export type ExportImportFailure = 'html-export' | 'not-an-export' | 'corrupt' | 'empty' | 'mixed-accounts';

/** The whole import is refused; `reason` says why (the page words it), `message` is for the record. */
export class ExportImportError extends Error {
  constructor(
    readonly reason: ExportImportFailure,
    message: string,
  ) {
    super(message);
    this.name = 'ExportImportError';
  }
}

/**
 * Why a file, or some entries of a file, were not imported:
 * - `html-file`: the HTML flavour of a wanted file, beside JSON ones;
 * - `not-read`: not one of the files read;
 * - `unreadable`: not JSON (truncated, corrupt);
 * - `unexpected-shape`: JSON, but not the shape this file has (see `detail`);
 * - `entry-unexpected-shape`: entries of a readable file that are not the shape of its entries;
 * - `entry-without-time`: entries without a usable time (views, own media, searches);
 * - `search-not-a-tag`: tag searches that are not one hashtag;
 * - `hashtag-unreadable`: followed hashtags whose tag cannot be read;
 * - `account-without-username`: followers or followed accounts whose username cannot be read;
 * - `account-without-date`: followers or followed accounts without a follow date, so on no point of the curve (a
 *   follower among them is still in `followerUsernames`);
 * - `owner-not-found`: a personal_information.json without a username under a known label.
 */
export const leftOutReasons = [
  'html-file',
  'not-read',
  'unreadable',
  'unexpected-shape',
  'entry-unexpected-shape',
  'entry-without-time',
  'search-not-a-tag',
  'hashtag-unreadable',
  'account-without-username',
  'account-without-date',
  'owner-not-found',
] as const;
type LeftOutReason = (typeof leftOutReasons)[number];
type LeftOut = InstagramImportPlan['leftOut'][number];

/**
 * Entries merged over the files of a split export: an entry (by key) counts as many times as the one file holding it
 * most often, so a part repeated in two zips counts once, while repeats inside one file (two posts seen in the same
 * second by the same author) all count.
 */
class MergedEntries<T> {
  readonly #merged = new Map<string, { value: T; copies: number }>();
  readonly #inThisFile = new Map<string, number>();

  startFile(): void {
    this.#inThisFile.clear();
  }

  add(key: string, value: T): void {
    const copies = (this.#inThisFile.get(key) ?? 0) + 1;
    this.#inThisFile.set(key, copies);
    const merged = this.#merged.get(key);
    if (!merged) this.#merged.set(key, { value, copies });
    else if (copies > merged.copies) merged.copies = copies;
  }

  *values(): Generator<T> {
    for (const { value, copies } of this.#merged.values()) {
      for (let copy = 0; copy < copies; copy++) yield value;
    }
  }
}

interface OwnMedia {
  seconds: number;
  tags: string[];
  /** Posts and reels are on the profile grid; stories are not. */
  isPost: boolean;
}

/** Follow times (epoch seconds, undefined when the export has none) by lower-case username. */
type FollowTimes = Map<string, number | undefined>;

/** The later of two optional times: the follow that is current. */
function later(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  return b === undefined ? a : Math.max(a, b);
}

const hrefUsername = /instagram\.com\/(?:_u\/)?([A-Za-z0-9._]{1,30})\/?(?:[?#]|$)/;

/** A username as Instagram compares them: trimmed, without `@`, lower case; undefined when it is not one. */
function usernameOf(text: string | null | undefined): string | undefined {
  if (!text) return undefined;
  const name = repairMojibake(text).trim().replace(/^@/, '').toLowerCase();
  return usernamePattern.test(name) ? name : undefined;
}

/** Everything read so far, file by file. */
class ExportReader {
  readonly #timeZone: string;
  readonly #leftOut = new Map<string, LeftOut>();
  #unreadableFiles = 0;
  readonly #postViews = new MergedEntries<number>();
  readonly #reelViews = new MergedEntries<number>();
  readonly #ownMedia = new MergedEntries<OwnMedia>();
  readonly #tagSearches = new MergedEntries<{ tag: string; seconds: number }>();
  readonly #followers: FollowTimes = new Map();
  readonly #following: FollowTimes = new Map();
  readonly #followedHashtags = new Map<string, number | undefined>();
  readonly #owners = new Set<string>();
  /** Followers files read, and those that could not be: a list is whole only when every one was read. */
  #followerFiles = { read: 0, unreadable: 0 };

  constructor(timeZone: string) {
    this.#timeZone = timeZone;
  }

  leaveOut(file: string, reason: LeftOutReason, count = 1, detail?: string): void {
    if (count === 0) return;
    const key = `${file}\u0000${reason}`;
    const known = this.#leftOut.get(key);
    if (known) known.count += count;
    else this.#leftOut.set(key, detail === undefined ? { file, reason, count } : { file, reason, count, detail });
  }

  read(file: ExportFile, kind: ExportFileKind): void {
    let json: unknown;
    try {
      json = JSON.parse(file.text);
    } catch {
      this.#unreadableFiles++;
      if (kind === 'followers') this.#followerFiles.unreadable++;
      this.leaveOut(file.name, 'unreadable');
      return;
    }
    const list = entriesOf(kind, json);
    if ('problem' in list) {
      this.#unreadableFiles++;
      if (kind === 'followers') this.#followerFiles.unreadable++;
      this.leaveOut(file.name, 'unexpected-shape', 1, list.problem);
      return;
    }
    for (const merged of [this.#postViews, this.#reelViews, this.#ownMedia, this.#tagSearches]) merged.startFile();
    switch (kind) {
      case 'postsViewed':
        this.#readViews(file.name, list.entries, this.#postViews);
        break;
      case 'videosWatched':
        this.#readViews(file.name, list.entries, this.#reelViews);
        break;
      case 'posts':
      case 'reels':
        this.#readPosts(file.name, list.entries, kind);
        break;
      case 'stories':
        this.#readStories(file.name, list.entries);
        break;
      case 'followers':
        this.#followerFiles.read++;
        this.#readAccounts(file.name, list.entries, this.#followers);
        break;
      case 'following':
        this.#readAccounts(file.name, list.entries, this.#following);
        break;
      case 'followingHashtags':
        this.#readFollowedHashtags(file.name, list.entries);
        break;
      case 'tagSearches':
        this.#readTagSearches(file.name, list.entries);
        break;
      case 'personalInformation':
        this.#readOwner(file.name, list.entries);
        break;
    }
  }

  #readViews(file: string, entries: readonly unknown[], views: MergedEntries<number>): void {
    let badShape = 0;
    let withoutTime = 0;
    for (const raw of entries) {
      const entry = mapEntry.safeParse(raw);
      if (!entry.success) {
        badShape++;
        continue;
      }
      const cells = readMapCells(entry.data.string_map_data);
      if (cells.seconds === undefined) {
        withoutTime++;
        continue;
      }
      const author = cells.labelled('author') ?? cells.anyText() ?? '';
      views.add(`${cells.seconds}\u0000${author}`, cells.seconds);
    }
    this.leaveOut(file, 'entry-unexpected-shape', badShape);
    this.leaveOut(file, 'entry-without-time', withoutTime);
  }

  #readPosts(file: string, entries: readonly unknown[], kind: 'posts' | 'reels'): void {
    let badShape = 0;
    let withoutTime = 0;
    for (const raw of entries) {
      const post = mediaPost.safeParse(raw);
      if (!post.success) {
        badShape++;
        continue;
      }
      const media = post.data.media ?? [];
      const seconds =
        usableSeconds(post.data.creation_timestamp) ??
        media.map((item) => usableSeconds(item.creation_timestamp)).find((time) => time !== undefined);
      if (seconds === undefined) {
        withoutTime++;
        continue;
      }
      const captions = [post.data.title, ...media.map((item) => item.title)]
        .filter((title): title is string => !!title)
        .map(repairMojibake);
      const tags = [...new Set(captions.flatMap(tagsInCaption))];
      const key = [kind, seconds, ...media.map((item) => item.uri ?? ''), ...captions].join('\u0000');
      this.#ownMedia.add(key, { seconds, tags, isPost: true });
    }
    this.leaveOut(file, 'entry-unexpected-shape', badShape);
    this.leaveOut(file, 'entry-without-time', withoutTime);
  }

  #readStories(file: string, entries: readonly unknown[]): void {
    let badShape = 0;
    let withoutTime = 0;
    for (const raw of entries) {
      const story = mediaItem.safeParse(raw);
      if (!story.success) {
        badShape++;
        continue;
      }
      const seconds = usableSeconds(story.data.creation_timestamp);
      if (seconds === undefined) {
        withoutTime++;
        continue;
      }
      const caption = story.data.title ? repairMojibake(story.data.title) : '';
      const key = ['stories', seconds, story.data.uri ?? '', caption].join('\u0000');
      this.#ownMedia.add(key, { seconds, tags: tagsInCaption(caption), isPost: false });
    }
    this.leaveOut(file, 'entry-unexpected-shape', badShape);
    this.leaveOut(file, 'entry-without-time', withoutTime);
  }

  #readAccounts(file: string, entries: readonly unknown[], accounts: FollowTimes): void {
    let badShape = 0;
    let withoutUsername = 0;
    let withoutDate = 0;
    for (const raw of entries) {
      const entry = listEntry.safeParse(raw);
      if (!entry.success) {
        badShape++;
        continue;
      }
      const cell = entry.data.string_list_data?.[0];
      const name =
        usernameOf(cell?.value) ?? usernameOf(entry.data.title) ?? usernameOf(hrefUsername.exec(cell?.href ?? '')?.[1]);
      if (name === undefined) {
        withoutUsername++;
        continue;
      }
      const seconds = usableSeconds(cell?.timestamp);
      if (seconds === undefined) withoutDate++;
      accounts.set(name, later(accounts.get(name), seconds));
    }
    this.leaveOut(file, 'entry-unexpected-shape', badShape);
    this.leaveOut(file, 'account-without-username', withoutUsername);
    this.leaveOut(file, 'account-without-date', withoutDate);
  }

  #readFollowedHashtags(file: string, entries: readonly unknown[]): void {
    let badShape = 0;
    let unreadable = 0;
    for (const raw of entries) {
      const entry = listEntry.safeParse(raw);
      if (!entry.success) {
        badShape++;
        continue;
      }
      const cell = entry.data.string_list_data?.[0];
      const textTag = (text: string | null | undefined) => (text ? tagOfText(repairMojibake(text)) : undefined);
      const tag = textTag(cell?.value) ?? textTag(entry.data.title) ?? (cell?.href ? tagOfHref(cell.href) : undefined);
      if (tag === undefined) {
        unreadable++;
        continue;
      }
      this.#followedHashtags.set(tag, later(this.#followedHashtags.get(tag), usableSeconds(cell?.timestamp)));
    }
    this.leaveOut(file, 'entry-unexpected-shape', badShape);
    this.leaveOut(file, 'hashtag-unreadable', unreadable);
  }

  #readTagSearches(file: string, entries: readonly unknown[]): void {
    let badShape = 0;
    let withoutTime = 0;
    let notATag = 0;
    for (const raw of entries) {
      const entry = mapEntry.safeParse(raw);
      if (!entry.success) {
        badShape++;
        continue;
      }
      const cells = readMapCells(entry.data.string_map_data);
      if (cells.seconds === undefined) {
        withoutTime++;
        continue;
      }
      const search = cells.labelled('search') ?? cells.anyText();
      const tag = search === undefined ? undefined : tagOfText(search);
      if (tag === undefined) {
        notATag++;
        continue;
      }
      this.#tagSearches.add(`${cells.seconds}\u0000${tag}`, { tag, seconds: cells.seconds });
    }
    this.leaveOut(file, 'entry-unexpected-shape', badShape);
    this.leaveOut(file, 'entry-without-time', withoutTime);
    this.leaveOut(file, 'search-not-a-tag', notATag);
  }

  #readOwner(file: string, entries: readonly unknown[]): void {
    const profile = profileEntry.safeParse(entries[0]);
    const owner = profile.success
      ? usernameOf(readMapCells(profile.data.string_map_data).labelled('username'))
      : undefined;
    if (owner === undefined) this.leaveOut(file, 'owner-not-found');
    else this.#owners.add(owner);
  }

  /** Cumulative counts by local follow date: each date's point counts the accounts that had followed by its end. */
  #curveOf(accounts: FollowTimes): InstagramImportPlan['account']['followers'] {
    const times = [...accounts.values()].filter((seconds) => seconds !== undefined).sort((a, b) => a - b);
    const points: InstagramImportPlan['account']['followers'] = [];
    for (const seconds of times) {
      const date = localDateOf(seconds * 1000, this.#timeZone);
      const last = points.at(-1);
      if (last?.date === date) last.value++;
      else points.push({ date, value: (last?.value ?? 0) + 1, exact: false });
    }
    return points;
  }

  plan(): InstagramImportPlan {
    if (this.#owners.size > 1) {
      throw new ExportImportError(
        'mixed-accounts',
        `These files come from the exports of several accounts (${[...this.#owners].sort().join(', ')}); import one account's export at a time.`,
      );
    }
    const days = new Map<string, { posts: number; reels: number; tagsUsed: Map<string, number>; ownPosts: number }>();
    const dayOf = (seconds: number) => {
      const date = localDateOf(seconds * 1000, this.#timeZone);
      let day = days.get(date);
      if (!day) {
        day = { posts: 0, reels: 0, tagsUsed: new Map(), ownPosts: 0 };
        days.set(date, day);
      }
      return day;
    };
    for (const seconds of this.#postViews.values()) dayOf(seconds).posts++;
    for (const seconds of this.#reelViews.values()) dayOf(seconds).reels++;
    for (const media of this.#ownMedia.values()) {
      const day = dayOf(media.seconds);
      if (media.isPost) day.ownPosts++;
      for (const tag of media.tags) day.tagsUsed.set(tag, (day.tagsUsed.get(tag) ?? 0) + 1);
    }
    const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
    const sortedDays = [...days.entries()]
      .sort(([a], [b]) => byCodeUnits(a, b))
      .map(([date, day]) => ({
        date,
        views: { posts: day.posts, reels: day.reels },
        tagsUsed: Object.fromEntries([...day.tagsUsed.entries()].sort(([a], [b]) => byCodeUnits(a, b))),
        ownPosts: day.ownPosts,
      }));
    const followers = this.#curveOf(this.#followers);
    const following = this.#curveOf(this.#following);
    const followedHashtags = [...this.#followedHashtags.entries()]
      .sort(([a], [b]) => byCodeUnits(a, b))
      .map(([tag, seconds]) => ({ tag, at: seconds === undefined ? null : seconds * 1000 }));
    const tagSearches = [...this.#tagSearches.values()]
      .sort((a, b) => a.seconds - b.seconds || byCodeUnits(a.tag, b.tag))
      .map(({ tag, seconds }) => ({ tag, at: seconds * 1000 }));

    const holdsNothing =
      sortedDays.length === 0 &&
      this.#followers.size === 0 &&
      this.#following.size === 0 &&
      followedHashtags.length === 0 &&
      tagSearches.length === 0;
    if (holdsNothing && this.#unreadableFiles > 0) {
      throw new ExportImportError(
        'corrupt',
        'No file of this export could be read: they are damaged or cut short. Download the export again.',
      );
    }
    if (holdsNothing) throw new ExportImportError('empty', 'This export holds nothing smartTags can import.');

    const distinctTags = new Set(sortedDays.flatMap((day) => Object.keys(day.tagsUsed)));
    const sum = (values: readonly number[]) => values.reduce((total, value) => total + value, 0);
    const first = sortedDays.at(0);
    const last = sortedDays.at(-1);
    return {
      owner: [...this.#owners][0] ?? null,
      range: first && last ? { start: first.date, end: last.date } : null,
      days: sortedDays,
      account: { followers, following },
      followedHashtags,
      tagSearches,
      totals: {
        views: {
          posts: sum(sortedDays.map((day) => day.views.posts)),
          reels: sum(sortedDays.map((day) => day.views.reels)),
        },
        ownPosts: sum(sortedDays.map((day) => day.ownPosts)),
        tagsUsed: sum(sortedDays.flatMap((day) => Object.values(day.tagsUsed))),
        distinctTags: distinctTags.size,
        followerPoints: followers.length,
        followingPoints: following.length,
      },
      leftOut: [...this.#leftOut.values()],
      followerUsernames:
        this.#followerFiles.read > 0 && this.#followerFiles.unreadable === 0
          ? [...this.#followers.keys()].sort(byCodeUnits)
          : null,
    };
  }
}

/**
 * Aggregates the export's files into days (local dates in `timeZone`), the own account's series and what was left out
 * and why. `files` may hold every file of every part of a split export; only wanted ones are read (an HTML file is
 * recognised by its name alone). Throws ExportImportError when the files are not a JSON export of one account or
 * nothing in them can be imported, and RangeError for a `timeZone` that is not one.
 */
export function planInstagramImport(files: readonly ExportFile[], timeZone: string): InstagramImportPlan {
  if (!isTimeZone(timeZone)) throw new RangeError(`Not a time zone: ${timeZone}`);
  const kinds = files.map((file) => kindOfExportFile(file.name));
  if (kinds.every((kind) => kind === undefined)) {
    if (files.some((file) => isHtmlExportFile(file.name))) {
      throw new ExportImportError(
        'html-export',
        'This is the HTML version of the Instagram export, which cannot be read. Download your information again and choose the JSON format.',
      );
    }
    throw new ExportImportError(
      'not-an-export',
      'These files are not an Instagram data export: none of the files smartTags reads is there.',
    );
  }
  const reader = new ExportReader(timeZone);
  files.forEach((file, index) => {
    const kind = kinds[index];
    if (kind !== undefined) reader.read(file, kind);
    else reader.leaveOut(file.name, isHtmlExportFile(file.name) ? 'html-file' : 'not-read');
  });
  return reader.plan();
}
