/**
 * The content script's page readers against every fixture page, desktop and mobile (tests/fixtures/instagram/ and
 * tests/fixtures/instagram-mobile/; each fixtures.json holds the truth each page contains).
 */
import { readFileSync } from 'node:fs';
import { Window } from 'happy-dom';
import { describe, expect, it } from 'vitest';
import {
  postCodeOf,
  readPageShows,
  readPost,
  readPostPage,
  readProfileCounts,
  readReelAround,
  readViewer,
  tagsIn,
} from '../../src/content/page';
import type { ParsedCount } from '../../src/shared/domain/counts';
import { classifyPath } from '../../src/shared/domain/routes';

interface FixtureTruth {
  file: string;
  path: string;
  lang: string;
  surface: string;
  viewer: string | null;
  profile: { username: string; followers: ParsedCount; following: ParsedCount; posts: ParsedCount } | null;
  /** Which reader answers for `profile`: the header, or the meta description (a header variant it does not read). */
  profileSource?: 'header' | 'meta';
  posts?: Array<{ id: string; author: string; tags: string[] }>;
  /** A post page's post, whatever wraps it: its caption's tags only. */
  postPage?: { id: string; author: string; tags: string[] };
  /** What a post or reel URL shows. */
  shows?: 'content' | 'wall' | 'error';
  reels?: Array<{ id?: string; author: string; tags: string[] }>;
  searchTags?: string[];
  canary: string | null;
}

/** The desktop pages and the mobile web layout's (tests/fixtures/instagram-mobile/), each set with its own truths. */
const fixtures = ['instagram', 'instagram-mobile'].flatMap((set) => {
  const directory = new URL(`../fixtures/${set}/`, import.meta.url);
  const truths: FixtureTruth[] = JSON.parse(readFileSync(new URL('fixtures.json', directory), 'utf8'));
  return truths.map((truth) => ({ ...truth, directory, name: `${set}/${truth.file}` }));
});

function load(truth: FixtureTruth & { directory: URL }): Document {
  const window = new Window({ url: `https://www.instagram.com${truth.path}` });
  // Parse only: the fixtures' own scripts (infinite scroll, the story viewer) are not what is tested here.
  const html = readFileSync(new URL(truth.file, truth.directory), 'utf8').replace(
    /<script(?![^>]*data-sjs)[^>]*>[\s\S]*?<\/script>/g,
    '',
  );
  window.document.write(html);
  return window.document as unknown as Document;
}

describe.each(fixtures)('$name', (truth) => {
  const document = load(truth);

  it('is classified as its surface', () => {
    expect(classifyPath(truth.path).surface).toBe(truth.surface);
  });

  it('names the logged-in viewer, or nobody', () => {
    const viewer = readViewer(document);
    expect(viewer ?? null).toBe(truth.viewer);
  });

  it('reads the own profile counts only where the page shows them', () => {
    const username = truth.profile?.username ?? truth.viewer ?? 'nobody';
    const counts = readProfileCounts(document, username, truth.lang) ?? null;
    if (truth.profile) {
      expect(counts).toEqual({
        followers: truth.profile.followers,
        following: truth.profile.following,
        posts: truth.profile.posts,
        source: truth.profileSource,
      });
    } else if (truth.surface !== 'profile' || truth.path.slice(1, -1) !== truth.viewer) {
      expect(counts).toBeNull();
    }
  });

  it('finds each post, its author and its normalised tags', () => {
    const posts = [...document.querySelectorAll('article')].map((article) => readPost(article));
    expect(posts.map((post) => post && { id: post.id, author: post.author, tags: post.tags })).toEqual(
      (truth.posts ?? []).map(({ id, author, tags }) => ({ id, author, tags })),
    );
  });

  // Only where they apply: a fixture of another surface has nothing to say about these.
  if (truth.surface === 'post') {
    it("reads a post page's post, author and caption tags (not the comments'), or none", () => {
      const code = postCodeOf(truth.path);
      expect(code).toBeDefined();
      expect(readPostPage(document, code ?? '') ?? null).toEqual(truth.postPage ?? null);
    });
  }

  if (truth.surface === 'post' || truth.surface === 'reels') {
    it('tells content from a login wall or an error page at a post or reel URL', () => {
      expect(readPageShows(document, truth.viewer === null)).toBe(truth.shows);
    });
  }

  if (truth.reels?.some((reel) => reel.id)) {
    it('identifies each reel by its shortcode, whatever its video', () => {
      const videos = [...document.querySelectorAll('video')];
      expect(videos.map((video) => readReelAround(video, truth.path))).toEqual(
        (truth.reels ?? []).map(({ id, tags }) => ({ id, tags })),
      );
    });
  }

  it('counts no tag outside content (search panels are not content)', () => {
    const inArticles = [...document.querySelectorAll('article')].flatMap((article) => tagsIn(article));
    for (const tag of truth.searchTags ?? []) expect(inArticles).not.toContain(tag);
  });
});
