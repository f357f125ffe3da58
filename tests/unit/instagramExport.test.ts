/**
 * Reading Instagram's own data export (src/shared/domain/instagramExport.ts) from the synthetic trees in
 * tests/fixtures/instagram-export/ (see its README): every file read, every trap, and the benchmark's generator.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { instagramExportEntries, writeInstagramExport } from '../../scripts/bench/instagram-export.mjs';
import { type InstagramImportPlan, instagramImportPlanSchema } from '../../src/shared/contracts/instagramExport';
import {
  type ExportFile,
  ExportImportError,
  isHtmlExportFile,
  isWantedExportFile,
  planInstagramImport,
} from '../../src/shared/domain/instagramExport';
import { repairMojibake } from '../../src/shared/domain/instagramExport/mojibake';
import { exportFiles } from '../support/instagramExportFixtures';

const mojibake = (text: string) => String.fromCharCode(...new TextEncoder().encode(text));

/** A value with every string in it, keys included, written as Instagram writes them. */
function inMojibake(value: unknown): unknown {
  if (typeof value === 'string') return mojibake(value);
  if (Array.isArray(value)) return value.map(inMojibake);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [mojibake(key), inMojibake(item)]));
  }
  return value;
}

/** A JSON export file made in the test, its strings (labels included) in Instagram's mojibake. */
function jsonFile(name: string, value: unknown): ExportFile {
  return { name, text: JSON.stringify(inMojibake(value)) };
}

const seconds = (iso: string) => Date.parse(iso) / 1000;
const view = (author: string, iso: string, labels: [string, string] = ['Author', 'Time']) => ({
  string_map_data: { [labels[0]]: { value: author }, [labels[1]]: { timestamp: seconds(iso) } },
});
const postsViewed = (entries: unknown[], name = 'ads_information/ads_and_topics/posts_viewed.json') =>
  jsonFile(name, { impressions_history_posts_seen: entries });

function plan(files: readonly ExportFile[], timeZone = 'Europe/Amsterdam'): InstagramImportPlan {
  const result = planInstagramImport(files, timeZone);
  // Whatever the planner makes is a valid plan, as the background will answer it.
  expect(instagramImportPlanSchema.safeParse(result).success).toBe(true);
  return result;
}

function refusal(run: () => unknown): ExportImportError {
  try {
    run();
  } catch (error) {
    if (error instanceof ExportImportError) return error;
    throw error;
  }
  throw new Error('expected the import to be refused');
}

describe('repairMojibake', () => {
  it('undoes UTF-8 read as Latin-1: accents, emoji, Korean and Japanese', () => {
    expect(repairMojibake('caf\u00c3\u00a9')).toBe('café');
    expect(repairMojibake(mojibake('Sunday ☕ 😊'))).toBe('Sunday ☕ 😊');
    expect(repairMojibake(mojibake('#여행 #서울'))).toBe('#여행 #서울');
    expect(repairMojibake(mojibake('#東京カフェ'))).toBe('#東京カフェ');
    expect(repairMojibake(mojibake('’'))).toBe('’');
  });

  it('leaves genuine text alone', () => {
    expect(repairMojibake('plain ascii #tag')).toBe('plain ascii #tag');
    // Latin-1 text that is not a UTF-8 byte sequence read that way.
    expect(repairMojibake('café')).toBe('café');
    expect(repairMojibake('Ã')).toBe('Ã');
    // Beyond Latin-1: cannot be bytes.
    expect(repairMojibake('東京 café')).toBe('東京 café');
    expect(repairMojibake('')).toBe('');
  });
});

describe('which files are read', () => {
  it('recognises the wanted files by base name wherever they sit, in every layout', () => {
    for (const path of [
      'ads_information/ads_and_topics/posts_viewed.json',
      'ads_and_topics/videos_watched.json',
      'your_instagram_activity/media/posts_1.json',
      'content/posts_12.json',
      'your_instagram_activity/media/reels.json',
      'your_instagram_activity/content/stories.json',
      'connections/followers_and_following/followers_1.json',
      'followers_and_following/followers.json',
      'connections/followers_and_following/following.json',
      'connections/followers_and_following/following_hashtags.json',
      'logged_information/recent_searches/tag_searches.json',
      'recent_searches/tag_searches.json',
      'personal_information/personal_information/personal_information.json',
      'instagram-lena.example-2025-03-03-Ab12Cd/account_information/personal_information.json',
      'posts_viewed.json',
      'windows\\style\\posts_viewed.json',
    ]) {
      expect(isWantedExportFile(path), path).toBe(true);
    }
  });

  it('reads nothing else: media, other JSON files, look-alike names, the HTML flavour', () => {
    for (const path of [
      'media/posts/202503/seoul_1.jpg',
      'your_instagram_activity/likes/liked_posts.json',
      'your_instagram_activity/media/archived_posts.json',
      'your_instagram_activity/messages/inbox/sample_123/message_1.json',
      'your_instagram_activity/media/posts_1.html',
      'posts_.json',
      'my_posts_1.json',
      'followers_1.json.bak',
      'connections/followers_and_following/pending_follow_requests.json',
    ]) {
      expect(isWantedExportFile(path), path).toBe(false);
    }
  });

  it('recognises the HTML flavour of a wanted file, and only that', () => {
    expect(isHtmlExportFile('ads_information/ads_and_topics/posts_viewed.html')).toBe(true);
    expect(isHtmlExportFile('your_instagram_activity/media/posts_1.html')).toBe(true);
    expect(isHtmlExportFile('connections/followers_and_following/followers_1.html')).toBe(true);
    expect(isHtmlExportFile('start_here.html')).toBe(false);
    expect(isHtmlExportFile('your_instagram_activity/likes/liked_posts.html')).toBe(false);
    expect(isHtmlExportFile('ads_information/ads_and_topics/posts_viewed.json')).toBe(false);
  });
});

describe('the current layout (2025, English account)', () => {
  const result = plan(exportFiles('current'));

  it('says whose export it is', () => {
    expect(result.owner).toBe('lena.example');
  });

  it('counts posts and reels seen per local day, across midnight in the given zone', () => {
    // 23:30 UTC on 1 March is 00:30 on 2 March in Amsterdam.
    expect(result.days.map(({ date, views }) => [date, views])).toEqual([
      ['2025-02-28', { posts: 0, reels: 0 }],
      ['2025-03-01', { posts: 2, reels: 1 }],
      ['2025-03-02', { posts: 2, reels: 2 }],
    ]);
    expect(result.range).toEqual({ start: '2025-02-28', end: '2025-03-02' });
  });

  it('reads hashtags from captions after repairing them: accents, Korean, Japanese; carousels; reels and stories', () => {
    const tags = Object.fromEntries(result.days.map(({ date, tagsUsed }) => [date, tagsUsed]));
    expect(tags['2025-02-28']).toEqual({ boulangerie: 1, café: 1, sourdough: 1 });
    expect(tags['2025-03-01']).toEqual({ sourdough: 1, 旅行: 1, 東京カフェ: 1, 서울: 1, 여행: 1 });
    // posts_2.json (#sourdough #Boulangerie, and #2025 which is no tag), a reel (#reels #sourdough), a story.
    expect(tags['2025-03-02']).toEqual({ boulangerie: 1, latergram: 1, reels: 1, sourdough: 2 });
  });

  it('counts own posts and reels per day, not stories', () => {
    expect(result.days.map(({ date, ownPosts }) => [date, ownPosts])).toEqual([
      ['2025-02-28', 1],
      ['2025-03-01', 1],
      ['2025-03-02', 2],
    ]);
  });

  it('draws the follower and following curves by follow date, as lower bounds', () => {
    expect(result.account.followers).toEqual([
      { date: '2024-01-10', value: 2, exact: false },
      { date: '2024-06-01', value: 3, exact: false },
      { date: '2025-02-01', value: 4, exact: false },
      { date: '2025-03-02', value: 5, exact: false },
    ]);
    expect(result.account.following).toEqual([
      { date: '2023-05-05', value: 1, exact: false },
      { date: '2024-01-10', value: 2, exact: false },
      { date: '2025-03-01', value: 3, exact: false },
    ]);
  });

  it('reads follower usernames from value, title or the /_u/ href, lower case, apart from the rest', () => {
    expect(result.followerUsernames).toEqual([
      'friend.five',
      'friend.four',
      'friend.one',
      'friend.six',
      'friend.three',
      'friend.two',
    ]);
  });

  it('keeps no other person’s username anywhere but followerUsernames', () => {
    const { followerUsernames: _followers, ...rest } = result;
    const text = JSON.stringify(rest);
    for (const other of ['sample.cook', 'trail.example', 'reel.maker', 'other.reels', 'friend.', 'café.example']) {
      expect(text).not.toContain(other);
    }
  });

  it('reads followed hashtags and tag searches with their times', () => {
    expect(result.followedHashtags).toEqual([
      { tag: 'café', at: Date.parse('2025-01-05T08:00:00Z') },
      { tag: 'sourdough', at: Date.parse('2024-11-11T11:00:00Z') },
    ]);
    expect(result.tagSearches).toEqual([
      { tag: 'sourdough', at: Date.parse('2025-03-01T10:00:00Z') },
      { tag: 'boulangerie', at: Date.parse('2025-03-01T10:05:00Z') },
      { tag: '東京カフェ', at: Date.parse('2025-03-02T09:00:00Z') },
    ]);
  });

  it('adds it all up', () => {
    expect(result.totals).toEqual({
      views: { posts: 4, reels: 3 },
      ownPosts: 4,
      tagsUsed: 13,
      distinctTags: 9,
      followerPoints: 4,
      followingPoints: 3,
    });
  });

  it('says what it left out and why', () => {
    expect(result.leftOut).toEqual([
      { file: 'ads_information/ads_and_topics/posts_viewed.json', reason: 'entry-without-time', count: 1 },
      { file: 'connections/followers_and_following/followers_2.json', reason: 'account-without-date', count: 1 },
      { file: 'logged_information/recent_searches/tag_searches.json', reason: 'search-not-a-tag', count: 1 },
    ]);
  });

  it('names files handed over that it does not read', () => {
    const everything = plan(exportFiles('current', { all: true }));
    expect(everything.leftOut).toContainEqual({
      file: 'your_instagram_activity/likes/liked_posts.json',
      reason: 'not-read',
      count: 1,
    });
    expect(everything.days).toEqual(result.days);
  });

  it('puts days in the zone it is given', () => {
    const utc = plan(exportFiles('current'), 'UTC');
    expect(utc.days.find((day) => day.date === '2025-03-01')?.views).toEqual({ posts: 3, reels: 1 });
    expect(utc.account.followers.at(-1)).toEqual({ date: '2025-03-01', value: 5, exact: false });
    const tokyo = plan([postsViewed([view('someone', '2025-03-01T16:30:00Z')])], 'Asia/Tokyo');
    const newYork = plan([postsViewed([view('someone', '2025-03-01T16:30:00Z')])], 'America/New_York');
    expect(tokyo.days.map((day) => day.date)).toEqual(['2025-03-02']);
    expect(newYork.days.map((day) => day.date)).toEqual(['2025-03-01']);
  });
});

describe('the older layout (2022, Dutch account)', () => {
  const result = plan(exportFiles('older'));

  it('reads Dutch labels and the old paths', () => {
    expect(result.owner).toBe('oud.voorbeeld');
    expect(result.days).toEqual([
      { date: '2022-05-20', views: { posts: 2, reels: 0 }, tagsUsed: {}, ownPosts: 0 },
      {
        date: '2022-05-21',
        views: { posts: 1, reels: 1 },
        tagsUsed: { tulpen: 1, voorjaar: 1, étéindien: 1 },
        ownPosts: 1,
      },
    ]);
    expect(result.account.followers).toEqual([
      { date: '2021-03-03', value: 1, exact: false },
      { date: '2022-05-20', value: 2, exact: false },
    ]);
    expect(result.account.following).toEqual([{ date: '2021-01-01', value: 1, exact: false }]);
    expect(result.tagSearches).toEqual([{ tag: 'tulpen', at: Date.parse('2022-05-19T19:00:00Z') }]);
    expect(result.leftOut).toEqual([]);
  });
});

describe('labels in the account’s language', () => {
  it('reads other known languages, labels in mojibake included', () => {
    const result = plan([
      postsViewed([
        view('a', '2025-03-01T10:00:00Z', ['Autore', 'Ora']),
        view('b', '2025-03-01T11:00:00Z', ['Autor', 'Zeit']),
      ]),
      jsonFile('recent_searches/tag_searches.json', {
        searches_hashtag: [
          { string_map_data: { Búsqueda: { value: '#playa' }, Hora: { timestamp: seconds('2025-03-01T12:00:00Z') } } },
        ],
      }),
      jsonFile('personal_information.json', {
        profile_user: [
          { string_map_data: { 'Nom d’utilisateur': { value: 'Julie.Exemple' }, Nom: { value: 'Julie' } } },
        ],
      }),
    ]);
    expect(result.days[0]?.views.posts).toBe(2);
    expect(result.tagSearches).toEqual([{ tag: 'playa', at: Date.parse('2025-03-01T12:00:00Z') }]);
    expect(result.owner).toBe('julie.exemple');
  });

  it('finds the time and the text of unknown labels by what they hold', () => {
    const result = plan([
      postsViewed([view('a', '2025-03-01T10:00:00Z', ['Mwandishi', 'Wakati'])]),
      jsonFile('tag_searches.json', {
        searches_hashtag: [
          {
            string_map_data: { Utafutaji: { value: 'pwani' }, Wakati: { timestamp: seconds('2025-03-01T12:00:00Z') } },
          },
        ],
      }),
    ]);
    expect(result.totals.views.posts).toBe(1);
    expect(result.tagSearches.map((search) => search.tag)).toEqual(['pwani']);
  });

  it('reads the owner under known labels only, never another text of the profile', () => {
    const result = plan([
      postsViewed([view('a', '2025-03-01T10:00:00Z')]),
      jsonFile('personal_information.json', {
        profile_user: [{ string_map_data: { Barua: { value: 'someone@example.com' }, Jina: { value: 'someone' } } }],
      }),
    ]);
    expect(result.owner).toBeNull();
    expect(result.leftOut).toEqual([{ file: 'personal_information.json', reason: 'owner-not-found', count: 1 }]);
  });
});

describe('a split export', () => {
  const result = plan(exportFiles('split'), 'UTC');

  it('merges the parts, counting an entry repeated in two parts once and repeats inside one file each', () => {
    expect(result.owner).toBe('split.example');
    expect(result.days).toEqual([
      { date: '2025-04-01', views: { posts: 3, reels: 0 }, tagsUsed: {}, ownPosts: 0 },
      { date: '2025-04-02', views: { posts: 1, reels: 0 }, tagsUsed: { spring: 1 }, ownPosts: 1 },
      { date: '2025-04-03', views: { posts: 1, reels: 1 }, tagsUsed: {}, ownPosts: 0 },
    ]);
  });

  it('counts a follower in both parts once, at the later follow date', () => {
    expect(result.account.followers).toEqual([
      { date: '2025-01-01', value: 1, exact: false },
      { date: '2025-03-01', value: 3, exact: false },
    ]);
    expect(result.followerUsernames).toEqual(['fan.one', 'fan.three', 'fan.two']);
  });

  it('gives the same plan whatever the order of the parts', () => {
    expect(plan([...exportFiles('split')].reverse(), 'UTC')).toEqual(result);
  });

  it('refuses parts of two accounts’ exports', () => {
    const error = refusal(() =>
      planInstagramImport([...exportFiles('current'), ...exportFiles('other-account')], 'UTC'),
    );
    expect(error.reason).toBe('mixed-accounts');
  });
});

describe('another account’s export', () => {
  it('says whose it is, for the caller to compare with the recorded account', () => {
    const result = plan(exportFiles('other-account'));
    expect(result.owner).toBe('other.example');
    expect(result.totals.views.reels).toBe(1);
  });
});

describe('exports that cannot be imported, or only in part', () => {
  it('refuses the HTML flavour, saying to choose JSON', () => {
    const error = refusal(() => planInstagramImport(exportFiles('html'), 'UTC'));
    expect(error.reason).toBe('html-export');
    expect(error.message).toMatch(/JSON/);
  });

  it('leaves HTML files out beside JSON ones', () => {
    const result = plan([
      ...exportFiles('current'),
      { name: 'your_instagram_activity/media/posts_3.html', text: '<html></html>' },
    ]);
    expect(result.leftOut).toContainEqual({
      file: 'your_instagram_activity/media/posts_3.html',
      reason: 'html-file',
      count: 1,
    });
  });

  it('leaves a truncated file and a file of another shape out, and imports the rest', () => {
    const result = plan(exportFiles('corrupt'));
    expect(result.leftOut).toEqual([
      { file: 'ads_information/ads_and_topics/posts_viewed.json', reason: 'unreadable', count: 1 },
      {
        file: 'connections/followers_and_following/following.json',
        reason: 'unexpected-shape',
        count: 1,
        detail: 'expected a list, or an object with a "relationships_following" list',
      },
    ]);
    expect(result.totals.views).toEqual({ posts: 0, reels: 1 });
  });

  it('fails as corrupt when nothing readable remains', () => {
    const files = exportFiles('corrupt').filter((file) => !file.name.endsWith('videos_watched.json'));
    expect(refusal(() => planInstagramImport(files, 'UTC')).reason).toBe('corrupt');
  });

  it('fails as not an export when none of the files read is there', () => {
    expect(refusal(() => planInstagramImport([], 'UTC')).reason).toBe('not-an-export');
    const other = [{ name: 'notes/todo.json', text: '{}' }];
    expect(refusal(() => planInstagramImport(other, 'UTC')).reason).toBe('not-an-export');
  });

  it('fails as empty when the files read hold nothing to import', () => {
    const files = [
      ...exportFiles('current').filter((file) => file.name.endsWith('personal_information.json')),
      postsViewed([]),
    ];
    expect(refusal(() => planInstagramImport(files, 'UTC')).reason).toBe('empty');
  });

  it('leaves out single entries of an unexpected shape or without a usable time', () => {
    const result = plan([
      postsViewed([
        view('a', '2025-03-01T10:00:00Z'),
        { string_map_data: 'unavailable' },
        'not an entry',
        // Milliseconds where seconds belong, and a zero time: not usable.
        { string_map_data: { Author: { value: 'b' }, Time: { timestamp: Date.parse('2025-03-01T10:00:00Z') } } },
        { string_map_data: { Author: { value: 'c' }, Time: { timestamp: 0 } } },
      ]),
    ]);
    expect(result.totals.views.posts).toBe(1);
    expect(result.leftOut).toEqual([
      { file: 'ads_information/ads_and_topics/posts_viewed.json', reason: 'entry-unexpected-shape', count: 2 },
      { file: 'ads_information/ads_and_topics/posts_viewed.json', reason: 'entry-without-time', count: 2 },
    ]);
  });

  it('refuses a time zone that is not one', () => {
    expect(() => planInstagramImport(exportFiles('current'), 'Mars/Olympus')).toThrow(RangeError);
  });
});

describe('own media and accounts in other shapes', () => {
  it('accepts a bare list where a keyed object is usual, and reads each media item’s caption', () => {
    const result = plan([
      jsonFile('reels.json', [
        {
          media: [{ uri: 'a.mp4', creation_timestamp: seconds('2025-03-01T10:00:00Z'), title: 'One #Reel, one #reel' }],
        },
      ]),
      jsonFile('stories.json', [
        { uri: 's.jpg', creation_timestamp: seconds('2025-03-01T11:00:00Z'), title: '#Story' },
      ]),
    ]);
    expect(result.days).toEqual([
      { date: '2025-03-01', views: { posts: 0, reels: 0 }, tagsUsed: { reel: 1, story: 1 }, ownPosts: 1 },
    ]);
  });

  it('reads caption tags as Instagram links them', () => {
    const result = plan([
      jsonFile('posts_1.json', [
        {
          media: [
            {
              uri: 'p.jpg',
              creation_timestamp: seconds('2025-03-01T10:00:00Z'),
              title: 'a#notatag #ok_tag! #2025 #under_score #emoji😊tail #Ünïcode #',
            },
          ],
        },
      ]),
    ]);
    expect(Object.keys(result.days[0]?.tagsUsed ?? {})).toEqual(['emoji', 'ok_tag', 'under_score', 'ünïcode']);
  });

  it('reads followed hashtags from the title or the tag link, and leaves out unreadable ones', () => {
    const result = plan([
      jsonFile('following_hashtags.json', {
        relationships_following_hashtags: [
          { title: 'Brood', string_list_data: [{ timestamp: seconds('2025-01-01T10:00:00Z') }] },
          { title: '', string_list_data: [{ href: 'https://www.instagram.com/explore/tags/caf%C3%A9/' }] },
          { title: '', string_list_data: [{ href: 'https://www.instagram.com/sample.cook' }] },
        ],
      }),
    ]);
    expect(result.followedHashtags).toEqual([
      { tag: 'brood', at: Date.parse('2025-01-01T10:00:00Z') },
      { tag: 'café', at: null },
    ]);
    expect(result.leftOut).toEqual([{ file: 'following_hashtags.json', reason: 'hashtag-unreadable', count: 1 }]);
  });

  it('leaves out accounts without a readable username', () => {
    const result = plan([
      jsonFile('followers_1.json', [
        {
          title: '',
          string_list_data: [
            { href: 'https://www.instagram.com/_u/ok.name', timestamp: seconds('2025-01-01T10:00:00Z') },
          ],
        },
        { title: 'not a username!', string_list_data: [{ timestamp: seconds('2025-01-01T10:00:00Z') }] },
      ]),
    ]);
    expect(result.followerUsernames).toEqual(['ok.name']);
    expect(result.leftOut).toEqual([{ file: 'followers_1.json', reason: 'account-without-username', count: 1 }]);
  });
});

describe('the benchmark’s generator', () => {
  it('makes an export the planner reads as it says, media aside', () => {
    const { summary, entries } = instagramExportEntries({ totalBytes: 600_000, wantedBytes: 200_000, days: 30 });
    const all = [...entries];
    const files = all
      .filter((entry): entry is { path: string; content: string } => isWantedExportFile(entry.path))
      .map(({ path, content }) => ({ name: path, text: content }));
    expect(all.length - files.length).toBe(summary.mediaFiles);
    const result = plan(files, 'UTC');
    expect(result.owner).toBe(summary.owner);
    expect(result.totals.views).toEqual({ posts: summary.postViews, reels: summary.reelViews });
    expect(result.totals.ownPosts).toBe(summary.ownPosts);
    expect(result.followerUsernames).toHaveLength(summary.followers);
    expect(result.account.followers.at(-1)?.value).toBe(summary.followers);
    expect(result.account.following.at(-1)?.value).toBe(summary.following);
    expect(result.tagSearches).toHaveLength(summary.tagSearches);
    expect(result.leftOut).toEqual([]);
    const wantedBytes = files.reduce((total, file) => total + file.text.length, 0);
    expect(wantedBytes).toBeGreaterThan(150_000);
    expect(wantedBytes).toBeLessThan(250_000);
  });

  it('writes the tree to a directory', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'instagram-export-'));
    try {
      const summary = await writeInstagramExport(directory, { totalBytes: 100_000, days: 5 });
      const written = readdirSync(directory, { recursive: true, withFileTypes: true })
        .filter((entry) => entry.isFile())
        .map((entry) => relative(directory, join(entry.parentPath, entry.name)));
      expect(written).toContain(join('ads_information', 'ads_and_topics', 'posts_viewed.json'));
      expect(written.filter((path) => !isWantedExportFile(path))).toHaveLength(summary.mediaFiles);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
