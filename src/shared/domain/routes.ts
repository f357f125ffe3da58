/**
 * Route classification: which Instagram surface a URL path belongs to. Pure (no browser globals), shared by the
 * content script (to attribute time) and the background (to validate what it stores). Table-tested in
 * tests/unit/routes.test.ts against the routes in docs/INSTAGRAM.md.
 *
 * Surfaces:
 * - `feed` — the home feed (`/`, with or without `?variant=`).
 * - `explore` — explore and search (`/explore/…`, `/explore/search/keyword/?q=…`) except tag pages, and `/popular/…`
 *   landing pages of places.
 * - `hashtag` — a tag page, `/explore/tags/<tag>/`; a tag search, `/explore/search/keyword/?q=%23<tag>` (a query
 *   starting with `#`: Instagram sends tag links there since 2025); and a 2026 landing page `/popular/<slug>/` whose slug
 *   can be a tag (see popularTag). The tag is returned normalised (see normaliseTag).
 * - `reels` — `/reels/`, `/reels/<code>/`, `/reel/<code>/`, `/<user>/reel/<code>/`, and audio pages of reels.
 * - `stories` — `/stories/<user>/<id>/` and highlights.
 * - `direct` — `/direct/…` (time only; message text is never read).
 * - `post` — `/p/<code>/`, `/<user>/p/<code>/`, `/tv/<code>/`.
 * - `profile` — `/<user>/` and its tabs (tagged, reels, reposts, saved, followers, following).
 * - `other` — account settings, notifications, login walls and anything not content.
 */

export const surfaces = [
  'feed',
  'explore',
  'hashtag',
  'reels',
  'stories',
  'direct',
  'post',
  'profile',
  'other',
] as const;
export type Surface = (typeof surfaces)[number];

export interface Route {
  surface: Surface;
  /** For `hashtag`: the normalised tag. */
  tag?: string;
  /** For `profile`, `post` and `reels` paths that name one: the username in the path (as written, case kept). */
  username?: string;
}

/** An Instagram username, as a pattern to build others from: the one place it is written. */
export const usernameSource = '[A-Za-z0-9._]{1,30}';
export const usernamePattern = new RegExp(`^${usernameSource}$`);
const shortcodePattern = /^[A-Za-z0-9_-]{5,64}$/;

/** First path segments that are Instagram's own, never a username. */
const reservedSegments = new Set([
  'explore',
  'reels',
  'reel',
  'p',
  'tv',
  'direct',
  'stories',
  'accounts',
  'create',
  'challenge',
  'notifications',
  'emails',
  'settings',
  'your_activity',
  'consent',
  'legal',
  'about',
  'web',
  'api',
  'graphql',
  'ajax',
  'session',
  'privacy',
  'terms',
  'developer',
  'oauth',
  'lite',
  'popular',
]);

const profileTabs = new Set([
  'tagged',
  'reels',
  'reposts',
  'saved',
  'followers',
  'following',
  'guides',
  'channel',
  'feed',
]);

/**
 * Normalises a hashtag the way Instagram's tag URLs do: percent-decoded, Unicode NFC, lower-case, without a leading
 * `#`. Returns undefined for something that is not a usable tag (empty, whitespace, undecodable).
 */
export function normaliseTag(raw: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    return undefined;
  }
  const tag = decoded.replace(/^#/, '').normalize('NFC').toLocaleLowerCase('und');
  // "__proto__" is a valid Instagram tag but not a safe object key (JSON parsers refuse it); it is left out.
  if (tag.length === 0 || tag.length > 100 || /[\s#/?]/u.test(tag) || tag === '__proto__') return undefined;
  return tag;
}

/**
 * The tag of a `/popular/<slug>/` landing page (2026), which Instagram has for tags and for places alike; the path alone
 * cannot tell them apart. The rule: a slug that could be a hashtag — letters, marks, digits and `_` only — is taken as
 * that tag; a slug with anything else (place slugs join words with `-`: `new-york-city`) is a place, explore time. A
 * one-word place (`/popular/paris/`) therefore counts as the tag `paris`.
 */
function popularTag(slug: string): string | undefined {
  const tag = normaliseTag(slug);
  return tag && /^[\p{L}\p{M}\p{N}_]+$/u.test(tag) ? tag : undefined;
}

/** The tag a keyword search is for, when its query is one `#tag` (`?q=%23sourdough`); undefined for any other search. */
function searchedTag(search: string): string | undefined {
  const trimmed = new URLSearchParams(search).get('q')?.trim();
  return trimmed?.startsWith('#') ? normaliseTag(encodeURIComponent(trimmed.slice(1))) : undefined;
}

/**
 * The surface of a path. `search` (`location.search`, with or without its `?`) matters only on the keyword search
 * page, where a `#tag` query is a tag page; without it, that page is explore.
 */
export function classifyPath(path: string, search = ''): Route {
  const segments = path.split('/').filter((segment) => segment.length > 0);
  const [first, second, third] = segments;
  if (first === undefined) return { surface: 'feed' };
  switch (first) {
    case 'explore': {
      if (second === 'tags' && third !== undefined) {
        const tag = normaliseTag(third);
        return tag ? { surface: 'hashtag', tag } : { surface: 'explore' };
      }
      if (second === 'search' && third === 'keyword' && segments.length === 3) {
        const tag = searchedTag(search);
        return tag ? { surface: 'hashtag', tag } : { surface: 'explore' };
      }
      return { surface: 'explore' };
    }
    case 'popular': {
      const tag = second !== undefined && segments.length === 2 ? popularTag(second) : undefined;
      return tag ? { surface: 'hashtag', tag } : { surface: 'explore' };
    }
    case 'reels':
    case 'reel':
      return { surface: 'reels' };
    case 'stories':
      return { surface: 'stories' };
    case 'direct':
      return { surface: 'direct' };
    case 'p':
    case 'tv':
      return second !== undefined && shortcodePattern.test(second) ? { surface: 'post' } : { surface: 'other' };
  }
  if (reservedSegments.has(first) || !usernamePattern.test(first)) return { surface: 'other' };
  const username = first;
  if (second === undefined) return { surface: 'profile', username };
  if ((second === 'p' || second === 'reel' || second === 'tv') && third !== undefined && shortcodePattern.test(third)) {
    return { surface: second === 'reel' ? 'reels' : 'post', username };
  }
  if (profileTabs.has(second)) return { surface: 'profile', username };
  return { surface: 'other' };
}
