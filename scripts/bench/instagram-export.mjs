// @ts-check
/**
 * A large synthetic Instagram data export ("Download your information", JSON) for the import benchmark: the file tree
 * of the current layout, as a zip would hold it. Most of its size is media the import never reads (random bytes, so a
 * zip cannot shrink them); the files it reads (src/shared/domain/instagramExport.ts) are a share of it, mostly
 * impressions in posts_viewed.json and videos_watched.json, written the way Instagram writes them (two-space JSON,
 * strings as UTF-8 bytes in `\u00XX` escapes). Everything comes from a fixed seed, and every name and caption is
 * invented.
 *
 * `instagramExportEntries(options)` gives what the tree will hold (`summary`, known before anything is generated) and
 * its files one at a time (`entries`, generated lazily so 200 MB never sit in memory at once);
 * `writeInstagramExport(directory, options)` writes them under a directory. Zipping and timing are the benchmark's.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/**
 * @typedef {object} ExportOptions
 * @property {number} totalBytes about how large the tree is, media included
 * @property {number} [wantedBytes] about how much of it the import reads (default: 15 % of totalBytes)
 * @property {number} [seed]
 * @property {number} [days] how many days the views spread over, ending on 30 June 2025 (default 365)
 *
 * @typedef {{ path: string, content: string | Uint8Array }} ExportEntry
 *
 * @typedef {object} ExportSummary what the import should find
 * @property {string} owner
 * @property {number} postViews entries of posts_viewed.json
 * @property {number} reelViews entries of videos_watched.json
 * @property {number} ownPosts posts in posts_1.json and reels in reels.json
 * @property {number} followers accounts in followers_1.json, each with a follow date
 * @property {number} following accounts in following.json, each with a follow date
 * @property {number} tagSearches entries of tag_searches.json, each one tag
 * @property {number} mediaFiles media files, which are not read
 * @property {number} mediaBytes
 */

const owner = 'bench.example';
const lastDay = Date.UTC(2025, 5, 30) / 1000;
const daySeconds = 86_400;
const mediaFileBytes = 4 * 1024 * 1024;

/** Bytes of one impression as written below (a 12-character author, a 10-digit time): to size the files up front. */
const impressionBytes = 175;

/** @param {number} seed */
function random(seed) {
  // mulberry32: small, fast and good enough to spread synthetic times.
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Instagram's mojibake: the UTF-8 bytes of `text` as code points. @param {string} text */
const mojibake = (text) => String.fromCharCode(...new TextEncoder().encode(text));

/** JSON as Instagram writes it: two-space indent, everything beyond ASCII escaped. @param {unknown} value */
const instagramJson = (value) =>
  `${JSON.stringify(value, null, 2).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}\n`;

const creators = Array.from({ length: 500 }, (_, index) => `creator.${String(index).padStart(4, '0')}`);
const tags = ['sourdough', 'café', 'boulangerie', '여행', '東京カフェ', 'latergram', 'reels', 'spring'];

/**
 * @param {ExportOptions} options
 * @returns {{ summary: ExportSummary, entries: Iterable<ExportEntry> }}
 */
export function instagramExportEntries(options) {
  const seed = options.seed ?? 2025;
  const days = options.days ?? 365;
  const wantedBytes = Math.min(options.wantedBytes ?? Math.round(options.totalBytes * 0.15), options.totalBytes);
  const impressions = Math.max(2, Math.floor((wantedBytes * 0.95) / impressionBytes));
  const postViews = Math.ceil(impressions * 0.6);
  const reelViews = impressions - postViews;
  const posts = Math.max(1, Math.min(2000, Math.floor(days / 2)));
  const reels = Math.max(1, Math.floor(posts / 4));
  const followers = Math.max(1, Math.min(50_000, Math.floor(wantedBytes / 4000)));
  const following = Math.max(1, Math.floor(followers / 3));
  const tagSearches = Math.max(1, Math.min(500, days));
  const mediaBytes = Math.max(0, options.totalBytes - wantedBytes);
  const mediaFiles = Math.ceil(mediaBytes / mediaFileBytes);
  const firstDay = lastDay - days * daySeconds;
  /** @param {() => number} next */
  const timeIn = (next) => firstDay + Math.floor(next() * days * daySeconds);

  /** @returns {Generator<ExportEntry>} */
  function* entries() {
    const next = random(seed);
    yield {
      path: 'personal_information/personal_information/personal_information.json',
      content: instagramJson({
        profile_user: [
          {
            string_map_data: {
              Email: { href: '', value: 'bench@example.com', timestamp: 0 },
              Username: { href: '', value: owner, timestamp: 0 },
              Name: { href: '', value: mojibake('Bénch Example'), timestamp: 0 },
            },
          },
        ],
      }),
    };
    /** @param {string} key @param {number} count */
    const impressionsFile = (key, count) =>
      instagramJson({
        [key]: Array.from({ length: count }, () => ({
          string_map_data: {
            Author: { value: creators[Math.floor(next() * creators.length)] },
            Time: { timestamp: timeIn(next) },
          },
        })),
      });
    yield {
      path: 'ads_information/ads_and_topics/posts_viewed.json',
      content: impressionsFile('impressions_history_posts_seen', postViews),
    };
    yield {
      path: 'ads_information/ads_and_topics/videos_watched.json',
      content: impressionsFile('impressions_history_videos_watched', reelViews),
    };
    /** @param {string} folder @param {number} index @param {string} extension */
    const mediaItem = (folder, index, extension) => {
      const time = timeIn(next);
      const used = tags.filter(() => next() < 0.3).map((tag) => `#${tag}`);
      return {
        uri: `media/${folder}/${new Date(time * 1000).toISOString().slice(0, 7).replace('-', '')}/${index}.${extension}`,
        creation_timestamp: time,
        title: mojibake(`Synthetic caption ${index} ☕ ${used.join(' ')}`),
      };
    };
    yield {
      path: 'your_instagram_activity/media/posts_1.json',
      content: instagramJson(
        Array.from({ length: posts }, (_, index) => ({ media: [mediaItem('posts', index, 'jpg')] })),
      ),
    };
    yield {
      path: 'your_instagram_activity/media/reels.json',
      content: instagramJson({
        ig_reels_media: Array.from({ length: reels }, (_, index) => ({ media: [mediaItem('reels', index, 'mp4')] })),
      }),
    };
    /** @param {string} prefix @param {number} count */
    const accounts = (prefix, count) =>
      Array.from({ length: count }, (_, index) => {
        const name = `${prefix}.${index}`;
        return {
          title: name,
          string_list_data: [{ href: `https://www.instagram.com/_u/${name}`, timestamp: timeIn(next) }],
        };
      });
    yield {
      path: 'connections/followers_and_following/followers_1.json',
      content: instagramJson(accounts('follower', followers)),
    };
    yield {
      path: 'connections/followers_and_following/following.json',
      content: instagramJson({ relationships_following: accounts('followed', following) }),
    };
    yield {
      path: 'logged_information/recent_searches/tag_searches.json',
      content: instagramJson({
        searches_hashtag: Array.from({ length: tagSearches }, (_, index) => ({
          string_map_data: {
            Search: { value: mojibake(`#${tags[index % tags.length]}`) },
            Time: { timestamp: timeIn(next) },
          },
        })),
      }),
    };
    // Media the import never reads: random bytes in 4 MiB files, the size of a phone photo or a short reel.
    for (let index = 0; index < mediaFiles; index++) {
      const size = Math.min(mediaFileBytes, mediaBytes - index * mediaFileBytes);
      const words = new Uint32Array(Math.ceil(size / 4));
      for (let word = 0; word < words.length; word++) words[word] = Math.floor(next() * 4_294_967_296);
      const video = index % 3 === 0;
      yield {
        path: `media/${video ? 'reels' : 'posts'}/2025${String((index % 6) + 1).padStart(2, '0')}/${index}.${video ? 'mp4' : 'jpg'}`,
        content: new Uint8Array(words.buffer, 0, size),
      };
    }
  }

  return {
    summary: {
      owner,
      postViews,
      reelViews,
      ownPosts: posts + reels,
      followers,
      following,
      tagSearches,
      mediaFiles,
      mediaBytes,
    },
    entries: { [Symbol.iterator]: entries },
  };
}

/**
 * Writes the tree under `directory` (created as needed) and returns what the import should find.
 * @param {string} directory
 * @param {ExportOptions} options
 * @returns {Promise<ExportSummary>}
 */
export async function writeInstagramExport(directory, options) {
  const { summary, entries } = instagramExportEntries(options);
  for (const { path, content } of entries) {
    const file = join(directory, path);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, content);
  }
  return summary;
}
