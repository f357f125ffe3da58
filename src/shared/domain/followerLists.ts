/**
 * "Who unfollowed me since the last import": the rules, pure (no browser globals, no Dexie). When the person turned
 * on "Keep my follower list", each import of Instagram's data export keeps the export's followers — other people's
 * usernames, so only on this device, never uploaded — and the options page compares the two newest lists of one
 * account. The background applies `decideFollowerList` inside the import's transaction (src/background/instagramImport.ts);
 * the page reads `compareNewestLists` (src/options/FollowerLists.tsx).
 *
 * - Only the two newest lists are kept: two are all a comparison needs, and every older one is someone else's data
 *   smartTags no longer has a use for.
 * - A list is kept only when the setting is on, `account` is granted (the list is about the person's own account,
 *   like the follower counts), and the export says whose account it is and holds a whole follower list — a list read
 *   from part of the files would show everyone missing from it as gone.
 * - A list equal to the newest kept one of the same account is not kept again: importing the same export twice changes
 *   nothing (the project's promise for every import), and the comparison the person saw stays.
 */

/** How many lists are kept at most: the newest and the one before it. */
const followerListsKept = 2;

/** One kept list: when it was imported, whose account it is, and its followers' usernames (sorted, each once). */
export interface FollowerList {
  importedAt: number;
  exportOwner: string;
  usernames: readonly string[];
}

const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Usernames as lists keep them: sorted by code units and each once, so equal lists are equal arrays. */
export function normalisedUsernames(names: Iterable<string>): string[] {
  return [...new Set(names)].sort(byCodeUnits);
}

/** Whether usernames are as `normalisedUsernames` leaves them (what the record's schema checks). */
export function isNormalised(names: readonly string[]): boolean {
  for (let index = 1; index < names.length; index++) {
    if (byCodeUnits(names[index - 1] as string, names[index] as string) >= 0) return false;
  }
  return true;
}

export interface FollowerChanges {
  /** In the earlier list, not in the later one: they stopped following (or left Instagram, or were removed). */
  unfollowed: string[];
  /** In the later list, not in the earlier one: they followed since. */
  followedSince: string[];
}

/** Who left and who joined between two lists, each sorted. */
export function followerChanges(earlier: readonly string[], later: readonly string[]): FollowerChanges {
  const before = new Set(earlier);
  const after = new Set(later);
  return {
    unfollowed: normalisedUsernames(earlier.filter((name) => !after.has(name))),
    followedSince: normalisedUsernames(later.filter((name) => !before.has(name))),
  };
}

/**
 * The newest lists first: a later import time first, and of two imported in the same millisecond the one later in
 * `lists` (stored lists are read in the order they were added).
 */
function newestFirst<List extends FollowerList>(lists: readonly List[]): List[] {
  return lists
    .map((list, index) => ({ list, index }))
    .sort((a, b) => b.list.importedAt - a.list.importedAt || b.index - a.index)
    .map(({ list }) => list);
}

/** What the page can say about the kept lists. */
export type FollowerComparison<List extends FollowerList = FollowerList> =
  | { kind: 'no-list' }
  | { kind: 'one-list'; latest: List }
  /** The two newest lists are of different accounts: nothing to compare until the next import. */
  | { kind: 'other-accounts'; earlier: List; latest: List }
  | { kind: 'compared'; earlier: List; latest: List; changes: FollowerChanges };

/** Compares the two newest lists, when they are of the same account. */
export function compareNewestLists<List extends FollowerList>(lists: readonly List[]): FollowerComparison<List> {
  const [latest, earlier] = newestFirst(lists);
  if (!latest) return { kind: 'no-list' };
  if (!earlier) return { kind: 'one-list', latest };
  if (earlier.exportOwner !== latest.exportOwner) return { kind: 'other-accounts', earlier, latest };
  return { kind: 'compared', earlier, latest, changes: followerChanges(earlier.usernames, latest.usernames) };
}

/** What an import does with the export's follower list, and why. */
export type FollowerListDecision =
  /** The person has not turned "Keep my follower list" on: nothing is kept. */
  | { outcome: 'off' }
  /** The export holds no whole follower list (no followers file, or one that could not be read). */
  | { outcome: 'no-list' }
  /** The export does not say whose account it is: a list of nobody's followers cannot be compared. */
  | { outcome: 'no-owner' }
  /** `account` ("Read my Instagram account") is off. */
  | { outcome: 'no-consent' }
  /** The same followers as the newest kept list of this account, imported at `since`: nothing changes. */
  | { outcome: 'unchanged'; followers: number; since: number }
  /** Kept as the newest list (on a dry run: would be). */
  | { outcome: 'kept'; followers: number };

export interface FollowerListInput {
  /** The setting "Keep my follower list". */
  keep: boolean;
  /** Whether `account` is granted. */
  account: boolean;
  /** Whose export it is; null when it does not say. */
  owner: string | null;
  /** The export's followers, normalised; null when it holds no whole list. */
  usernames: readonly string[] | null;
  /** The lists kept now. */
  stored: readonly FollowerList[];
}

export function decideFollowerList({
  keep,
  account,
  owner,
  usernames,
  stored,
}: FollowerListInput): FollowerListDecision {
  if (!keep) return { outcome: 'off' };
  if (usernames === null) return { outcome: 'no-list' };
  if (owner === null) return { outcome: 'no-owner' };
  if (!account) return { outcome: 'no-consent' };
  const newestOfOwner = newestFirst(stored).find((list) => list.exportOwner === owner);
  const same =
    newestOfOwner !== undefined &&
    newestOfOwner.usernames.length === usernames.length &&
    newestOfOwner.usernames.every((name, index) => name === usernames[index]);
  if (same) return { outcome: 'unchanged', followers: usernames.length, since: newestOfOwner.importedAt };
  return { outcome: 'kept', followers: usernames.length };
}

/** The stored lists to delete when a new one is kept, so that only `followerListsKept` remain. */
export function listsToDropForNew<List extends FollowerList>(stored: readonly List[]): List[] {
  return newestFirst(stored).slice(followerListsKept - 1);
}
