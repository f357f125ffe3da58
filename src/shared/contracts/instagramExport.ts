/**
 * The plan of an import of Instagram's own data export ("Download your information", JSON): what
 * `planInstagramImport` (src/shared/domain/instagramExport.ts) makes of the export's files, and what the background
 * answers the page with (`instagram.import`). The shapes of the export's files themselves are read in
 * src/shared/domain/instagramExport/shapes.ts, where the planner checks them.
 */
import type { FollowerListDecision } from '../domain/followerLists';
import { leftOutReasons } from '../domain/instagramExport';
import type { LeftOutByConsent } from '../domain/instagramHistory';
import { count, hashtag, localDate, milliseconds, username } from '../storage/records';
import { z } from '../zod';

const importedViews = z.object({ posts: count, reels: count });

/** One local day the export fills. */
const importedDay = z.object({
  date: localDate,
  /** Posts (posts_viewed.json) and reels (videos_watched.json) seen that day. */
  views: importedViews,
  /** The person's own hashtags that day: posts, reels and stories using each tag. */
  tagsUsed: z.record(hashtag, count),
  /** The person's own posts and reels published that day (stories are not posts). */
  ownPosts: count,
});

/**
 * A point of the follower or following curve: how many of the accounts in the export had followed by the end of that
 * local day. Never exact — accounts that stopped following are absent from the export — so a lower bound.
 */
const lowerBoundPoint = z.object({ date: localDate, value: count, exact: z.literal(false) });

export const instagramImportPlanSchema = z.object({
  /** Whose export this is (personal_information.json), lower case; null when the export does not say. */
  owner: username.nullable(),
  /** The first and last date of `days`; null without days. */
  range: z.object({ start: localDate, end: localDate }).nullable(),
  /** Sorted by date, each date once. */
  days: z.array(importedDay),
  account: z.object({ followers: z.array(lowerBoundPoint), following: z.array(lowerBoundPoint) }),
  /** Hashtags the person follows, with when they followed each (epoch ms) when the export says. Sorted by tag. */
  followedHashtags: z.array(z.object({ tag: hashtag, at: milliseconds.nullable() })),
  /** Hashtag searches (epoch ms), oldest first; searches that are not one tag are left out. */
  tagSearches: z.array(z.object({ tag: hashtag, at: milliseconds })),
  totals: z.object({
    views: importedViews,
    ownPosts: count,
    /** Uses of tags in own media, over all days. */
    tagsUsed: count,
    distinctTags: count,
    followerPoints: count,
    followingPoints: count,
  }),
  /** What was not imported and why: whole files, or `count` entries of a file. */
  leftOut: z.array(
    z.object({
      file: z.string(),
      reason: z.enum(leftOutReasons),
      count: z.number().int().positive(),
      /** For a file of an unexpected shape: what was expected (English, for the record). */
      detail: z.string().optional(),
    }),
  ),
  /**
   * Other people's usernames: the accounts following the person, lower case, sorted, each once. ONLY for the
   * optional, local "who unfollowed me since the last import" (src/shared/domain/followerLists.ts); kept only while
   * the person has that on, never stored elsewhere, never answered to the page and never uploaded. Null when the
   * export holds no whole follower list (no followers file, or one that could not be read).
   */
  followerUsernames: z.array(username).nullable(),
});
export type InstagramImportPlan = z.infer<typeof instagramImportPlanSchema>;

/** What `instagram.import` answers: what the import did (or, as a dry run, would do). */
export interface InstagramImportResult {
  /** The plan of the files, without other people's usernames (`followerUsernames` is always null here). */
  plan: InstagramImportPlan;
  applied: boolean;
  /** What the current consent kept out, per part (days, or points). */
  leftOutByConsent: LeftOutByConsent;
  /** Follower and following points left out because the export does not say whose account it is. */
  pointsWithoutOwner: number;
  /** Imported days and points new to smartTags, and those an earlier import held lower (raised now). */
  changes: { daysAdded: number; daysRaised: number; pointsAdded: number; pointsRaised: number };
  /** What became (on a dry run: would become) of the export's follower list, and why; counts, never usernames. */
  followerList: FollowerListDecision;
}
