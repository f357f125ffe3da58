/**
 * CSV tables from an export document, for spreadsheets: days, hashtags, account snapshots, the corrections made by
 * hand (so a spreadsheet can tell which days' figures were changed), and the follower lists kept for "who unfollowed
 * me". RFC 4180 quoting;
 * a cell that a spreadsheet would run as a formula (=, +, -, @) is prefixed with an apostrophe, since hashtags come
 * from other people's captions.
 */

import { csvTable as table } from '../domain/csv';
import { surfaces } from '../domain/routes';
import type { ExportDocument } from './exportDocument';

export interface CsvFile {
  name: string;
  text: string;
}

export function exportCsvFiles(document: ExportDocument): CsvFile[] {
  const days = table(
    [
      'date',
      'time_zone',
      'active_ms',
      ...surfaces.map((name) => `${name}_ms`),
      ...surfaces.map((name) => `${name}_passive_ms`),
      'sessions',
      'post_views',
      'reel_views',
      'story_views',
      ...Array.from({ length: 24 }, (_, hour) => `hour_${String(hour).padStart(2, '0')}_ms`),
    ],
    document.days.map((day) => [
      day.date,
      day.timeZone,
      day.activeMs,
      ...surfaces.map((name) => day.surfaces[name] ?? 0),
      ...surfaces.map((name) => day.passiveSurfaces[name] ?? 0),
      day.sessions,
      day.views.posts,
      day.views.reels,
      day.views.stories,
      ...day.hours,
    ]),
  );
  const hashtags = table(
    ['date', 'hashtag', 'seen', 'used', 'page_ms'],
    document.days.flatMap((day) => {
      const { seen, used } = day.hashtags;
      const tags = [...new Set([...Object.keys(seen), ...Object.keys(used), ...Object.keys(day.hashtagPageMs)])].sort();
      return tags.map((tag) => [day.date, tag, seen[tag] ?? 0, used[tag] ?? 0, day.hashtagPageMs[tag] ?? 0]);
    }),
  );
  const snapshots = table(
    [
      'username',
      'date',
      'observed_at',
      'followers',
      'followers_exact',
      'following',
      'following_exact',
      'posts',
      'posts_exact',
    ],
    document.accounts.flatMap((account) =>
      account.snapshots.map((snapshot) => [
        account.username,
        snapshot.date,
        snapshot.observedAt,
        snapshot.followers?.value ?? null,
        snapshot.followers?.exact ?? null,
        snapshot.following?.value ?? null,
        snapshot.following?.exact ?? null,
        snapshot.posts?.value ?? null,
        snapshot.posts?.exact ?? null,
      ]),
    ),
  );
  const localEdits = table(
    ['at', 'date', 'surface', 'removed_ms'],
    // An empty surface: the whole day was deleted.
    document.localEdits.map((edit) => [edit.at, edit.date, edit.surface, edit.removedMs]),
  );
  // Other people's usernames, kept only at the person's request: a row per kept list and follower.
  const followerLists = table(
    ['imported_at', 'export_owner', 'username'],
    document.importedFromInstagram.followerLists.flatMap((list) =>
      list.usernames.map((name) => [list.importedAt, list.exportOwner, name]),
    ),
  );
  return [
    { name: 'smarttags-days.csv', text: days },
    { name: 'smarttags-hashtags.csv', text: hashtags },
    { name: 'smarttags-account-snapshots.csv', text: snapshots },
    { name: 'smarttags-local-edits.csv', text: localEdits },
    { name: 'smarttags-follower-lists.csv', text: followerLists },
  ];
}
