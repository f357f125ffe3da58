/**
 * What the content script reads from Instagram's page, and nothing else. Every reader anchors on hrefs, roles,
 * <header>/<article>/<main>, meta tags and the page's own JSON — never on generated class names — and none reads
 * message text, form fields, contenteditable regions or passwords (docs/INSTAGRAM.md holds the markup facts).
 * These functions take a Document or Element, so they are tested against the fixture pages under happy-dom.
 */
import { type ParsedCount, parseCount, parseMetaDescription } from '../shared/domain/counts';
import { normaliseTag, usernamePattern, usernameSource } from '../shared/domain/routes';

/**
 * The logged-in username, from the `PolarisViewer` tuple in the page's JSON blobs. Returns null when the page says
 * nobody is logged in, undefined when it does not say (then nothing account-related is recorded).
 */
export function readViewer(doc: Document): string | null | undefined {
  for (const script of doc.querySelectorAll('script[type="application/json"][data-sjs]')) {
    const text = script.textContent;
    // Blobs are tens to hundreds of KB: only the one naming the viewer is parsed.
    if (!text?.includes('"PolarisViewer"')) continue;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      continue;
    }
    const viewer = findViewerTuple(json);
    if (viewer !== undefined) return viewer;
  }
  return undefined;
}

function findViewerTuple(root: unknown): string | null | undefined {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (Array.isArray(node)) {
      if (node[0] === 'PolarisViewer') {
        const data = (node[2] as { data?: { username?: unknown } | null } | undefined)?.data;
        if (data === null) return null;
        const username = data?.username;
        if (typeof username === 'string' && usernamePattern.test(username)) return username;
      }
      stack.push(...node);
    } else if (typeof node === 'object' && node !== null) {
      stack.push(...Object.values(node));
    }
  }
  return undefined;
}

export interface ProfileCounts {
  followers: ParsedCount | null;
  following: ParsedCount | null;
  posts: ParsedCount | null;
  /**
   * Which reader answered: the profile `<header>` (or its counts row on narrow screens) or the meta description
   * fallback. Instagram serves header variants (A/B tests); a variant the header reader does not know shows up as
   * `meta`.
   */
  source: 'header' | 'meta';
}

/** The number an element shows: its `title` (the exact value, when Instagram gives it) or its shortest numeric text. */
function countIn(element: Element, lang: string): ParsedCount | null {
  const titled = element.querySelector('span[title]')?.getAttribute('title');
  const fromTitle = titled ? parseCount(titled, lang) : undefined;
  if (fromTitle) return fromTitle;
  for (const span of element.querySelectorAll('span')) {
    const parsed = parseCount(span.textContent ?? '', lang);
    if (parsed) return parsed;
  }
  return null;
}

/**
 * Where the profile shows its counts: the `<header>`'s list on wide screens; on narrow ones (the mobile layout) the
 * list has left the header for a row of its own below the bio, found by the link to the profile's followers or
 * following it holds (docs/INSTAGRAM.md, profile counts).
 */
function countsList(doc: Document, username: string): { list: Element | null; items: Element[] } {
  const header = doc.querySelector('main header, header');
  const inHeader = header ? [...header.querySelectorAll('ul > li')] : [];
  if (inHeader.length >= 3) return { list: header, items: inHeader };
  const link = doc.querySelector(
    `main ul > li a[href="/${username}/followers/"], main ul > li a[href="/${username}/following/"]`,
  );
  const row = link?.closest('ul') ?? null;
  return { list: row, items: row ? [...row.children].filter((child) => child.tagName === 'LI') : [] };
}

/**
 * The own profile's counts, from the profile header's list (or the row below it on narrow screens); the meta
 * description is the fallback (it is cached and rounded, and stale after SPA navigation, so it is trusted only when
 * the canonical URL names this profile).
 */
export function readProfileCounts(doc: Document, username: string, lang: string): ProfileCounts | undefined {
  const { list, items } = countsList(doc, username);
  if (list && items.length >= 3) {
    const followersLink = list.querySelector(`a[href="/${username}/followers/"]`);
    const followingLink = list.querySelector(`a[href="/${username}/following/"]`);
    // The list is posts, followers, following. The links name the last two where they are links; on a private
    // profile they are buttons, and the order alone tells them apart.
    const itemAt = (position: number, link: Element | null) =>
      (link && items.find((item) => item.contains(link))) ?? items[position];
    const [posts, followers, following] = [itemAt(0, null), itemAt(1, followersLink), itemAt(2, followingLink)];
    const counts: ProfileCounts = {
      posts: posts ? countIn(posts, lang) : null,
      followers: followers ? countIn(followers, lang) : null,
      following: following ? countIn(following, lang) : null,
      source: 'header',
    };
    if (counts.followers || counts.following || counts.posts) return counts;
  }
  const canonical = doc.querySelector('link[rel="canonical"]')?.getAttribute('href') ?? '';
  const description = doc.querySelector('meta[name="description"]')?.getAttribute('content');
  if (!description || !canonical.toLowerCase().endsWith(`/${username.toLowerCase()}/`)) return undefined;
  const meta = parseMetaDescription(description, lang);
  if (meta.handle && meta.handle.toLowerCase() !== username.toLowerCase()) return undefined;
  if (!meta.followers && !meta.following && !meta.posts) return undefined;
  // The meta is cached and rounded: only an abbreviated number says so, but none of it is the exact live figure.
  const rounded = (count: ParsedCount | undefined) => (count ? { value: count.value, exact: false } : null);
  return {
    followers: rounded(meta.followers),
    following: rounded(meta.following),
    posts: rounded(meta.posts),
    source: 'meta',
  };
}

/** Normalised hashtags linked inside an element (caption and visible comments), each once, in document order. */
export function tagsIn(root: Element): string[] {
  const tags: string[] = [];
  for (const link of root.querySelectorAll('a[href^="/explore/tags/"]')) {
    const segment = link.getAttribute('href')?.split('/')[3];
    const tag = segment ? normaliseTag(segment) : undefined;
    if (tag && !tags.includes(tag)) tags.push(tag);
  }
  return tags;
}

const postLink = new RegExp(`^/(?:${usernameSource}/)?(?:p|reel|tv)/([A-Za-z0-9_-]{5,64})/?`);
const profileLink = new RegExp(`^/(${usernameSource})/$`);
const notUsernames = new Set(['explore', 'reels', 'reel', 'p', 'direct', 'stories', 'accounts']);

export interface PostFacts {
  id: string;
  author: string | undefined;
  tags: string[];
}

/** A feed or post-page article: its shortcode (from its permalink), its author (its first profile link), its tags. */
export function readPost(article: Element): PostFacts | undefined {
  let id: string | undefined;
  let author: string | undefined;
  for (const link of article.querySelectorAll('a[href]')) {
    const href = link.getAttribute('href') ?? '';
    id ??= postLink.exec(href)?.[1];
    const name = profileLink.exec(href)?.[1];
    if (author === undefined && name && !notUsernames.has(name)) author = name;
    if (id && author) break;
  }
  if (!id) return undefined;
  return { id, author, tags: tagsIn(article) };
}

const commentPermalink = /^\/(?:[A-Za-z0-9._]{1,30}\/)?(?:p|reel|tv)\/[A-Za-z0-9_-]{5,64}\/c\/\d+\//;

/**
 * Whether a link in a post sits in a comment: the nearest block around it (below `root`) that holds a `<time>` is a
 * comment when that time links to a comment permalink (`/p/<code>/c/<id>/`). The caption's time is plain or links to
 * the post itself. A link with no such block is in neither.
 */
function inCaption(link: Element, root: Element): boolean {
  for (let block = link.parentElement; block && block !== root; block = block.parentElement) {
    const time = block.querySelector('time');
    if (!time) continue;
    const href = time.closest('a')?.getAttribute('href') ?? '';
    return !commentPermalink.test(href);
  }
  return false;
}

/**
 * The caption's hashtags, each once, in order — not the comments'. The caption is an `h1[dir=auto]` in older markup;
 * in 2025 markup it is a `span` like the comments, told apart by its time (see inCaption).
 */
function captionTags(root: Element): string[] {
  const heading = root.querySelector('h1[dir="auto"]');
  if (heading) return tagsIn(heading);
  const tags: string[] = [];
  for (const link of root.querySelectorAll('a[href^="/explore/tags/"]')) {
    if (!inCaption(link, root)) continue;
    const segment = link.getAttribute('href')?.split('/')[3];
    const tag = segment ? normaliseTag(segment) : undefined;
    if (tag && !tags.includes(tag)) tags.push(tag);
  }
  return tags;
}

/** The post a post URL names: `/p/<code>/`, `/<user>/p/<code>/`, `/tv/<code>/`. */
export function postCodeOf(path: string): string | undefined {
  return /^\/(?:[A-Za-z0-9._]{1,30}\/)?(?:p|tv)\/([A-Za-z0-9_-]{5,64})(?:\/|$)/.exec(path)?.[1];
}

/**
 * The post of a post page, whatever wraps it (an `<article>` in older markup, none since 2025): the dialog holding
 * it when it opened over another page, else `main`. Undefined until the post shows (its `<time>`), so a page still
 * loading, an error page or a login wall has none. Its author is the first profile link; its tags are the caption's.
 */
export function readPostPage(doc: Document, code: string): PostFacts | undefined {
  let root: Element | null = null;
  for (const dialog of doc.querySelectorAll('[role="dialog"]')) {
    if (dialog.querySelector('time')) {
      root = dialog;
      break;
    }
  }
  root ??= doc.querySelector('main');
  if (!root?.querySelector('time')) return undefined;
  let author: string | undefined;
  for (const link of root.querySelectorAll('a[href]')) {
    const name = profileLink.exec(link.getAttribute('href') ?? '')?.[1];
    if (name && !notUsernames.has(name)) {
      author = name;
      break;
    }
  }
  return { id: code, author, tags: captionTags(root) };
}

/**
 * What a post or reel URL shows: its content (a `<video>`, or a `<time>` in `main` or a dialog), a login wall (only
 * asked when the page says nobody is logged in: a login form or a dialog linking to the login page — no field is
 * read), an error page ("Sorry, this page isn't available": `main` with a link home and no content), or nothing yet.
 */
export function readPageShows(doc: Document, signedOut: boolean): 'content' | 'wall' | 'error' | 'loading' {
  if (signedOut) {
    for (const form of doc.forms) if (form.querySelector('input[type="password"]')) return 'wall';
    if (doc.querySelector('[role="dialog"] a[href^="/accounts/login/"]')) return 'wall';
  }
  const main = doc.querySelector('main');
  if (
    doc.getElementsByTagName('video').length > 0 ||
    main?.querySelector('time') ||
    doc.querySelector('[role="dialog"] time')
  ) {
    return 'content';
  }
  return main?.querySelector('a[href="/"]') ? 'error' : 'loading';
}

/** FNV-1a, base 36: a short stable id for a reel whose URL does not name it. */
function hash(text: string): string {
  let value = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    value ^= text.charCodeAt(index);
    value = Math.imul(value, 0x01000193) >>> 0;
  }
  return value.toString(36);
}

export interface ReelFacts {
  id: string;
  tags: string[];
}

const reelLink = new RegExp(`^/(?:${usernameSource}/)?reels?/([A-Za-z0-9_-]{5,64})/?$`);

/**
 * The reel around a video: several reels are mounted at once (and recycled), and the recorder finds the one whose
 * video crosses the middle of the viewport with an IntersectionObserver, then asks here which reel it is. The 2026
 * player destroys and re-creates its `<video>` elements, so a reel is never identified by its element: by its
 * shortcode — its own `/reel/<code>/` link in its container, else the URL (`/reels/<code>/`, which follows the active
 * reel) — and only where neither names it, by its author, audio and tags (never its caption text).
 */
export function readReelAround(video: Element, path: string): ReelFacts | undefined {
  let container: Element | null = video.parentElement;
  for (let depth = 0; container && depth < 12; depth += 1) {
    const author = container.querySelector('a[href$="/reels/"]')?.getAttribute('href');
    if (author && author !== '/reels/') {
      const tags = tagsIn(container);
      let code: string | undefined;
      for (const link of container.querySelectorAll('a[href*="/reel/"]')) {
        code = reelLink.exec(link.getAttribute('href') ?? '')?.[1];
        if (code) break;
      }
      code ??= reelLink.exec(path)?.[1];
      if (code) return { id: code, tags };
      const audio = container.querySelector('a[href^="/reels/audio/"]')?.getAttribute('href') ?? '';
      return { id: `reel-${hash(`${author}|${audio}|${tags.join(' ')}`)}`, tags };
    }
    container = container.parentElement;
  }
  return undefined;
}
