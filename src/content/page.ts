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
 * The own profile's counts, from the profile header; the meta description is the fallback (it is cached and rounded,
 * and stale after SPA navigation, so it is trusted only when the canonical URL names this profile).
 */
export function readProfileCounts(doc: Document, username: string, lang: string): ProfileCounts | undefined {
  const header = doc.querySelector('main header, header');
  const items = header ? [...header.querySelectorAll('ul > li')] : [];
  if (header && items.length >= 3) {
    const followersLink = header.querySelector(`a[href="/${username}/followers/"]`);
    const followingLink = header.querySelector(`a[href="/${username}/following/"]`);
    // The list is posts, followers, following. The links name the last two where they are links; on a private
    // profile they are buttons, and the order alone tells them apart.
    const itemAt = (position: number, link: Element | null) =>
      (link && items.find((item) => item.contains(link))) ?? items[position];
    const [posts, followers, following] = [itemAt(0, null), itemAt(1, followersLink), itemAt(2, followingLink)];
    const counts: ProfileCounts = {
      posts: posts ? countIn(posts, lang) : null,
      followers: followers ? countIn(followers, lang) : null,
      following: following ? countIn(following, lang) : null,
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
  return { followers: rounded(meta.followers), following: rounded(meta.following), posts: rounded(meta.posts) };
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

/**
 * The reel around a video: several reels are mounted at once (and recycled), and the recorder finds the one whose
 * video crosses the middle of the viewport with an IntersectionObserver, then asks here which reel it is. The URL does
 * not change while scrolling reels, so the reel is identified by its author, audio and tags — never its caption text.
 */
export function readReelAround(video: Element): ReelFacts | undefined {
  let container: Element | null = video.parentElement;
  for (let depth = 0; container && depth < 12; depth += 1) {
    const author = container.querySelector('a[href$="/reels/"]')?.getAttribute('href');
    const audio = container.querySelector('a[href^="/reels/audio/"]')?.getAttribute('href') ?? '';
    if (author && author !== '/reels/') {
      const tags = tagsIn(container);
      return { id: `reel-${hash(`${author}|${audio}|${tags.join(' ')}`)}`, tags };
    }
    container = container.parentElement;
  }
  return undefined;
}
