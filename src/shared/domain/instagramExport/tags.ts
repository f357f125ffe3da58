/**
 * Hashtags in the export's texts: captions of the person's own media, searched and followed tags. Each is normalised by
 * routes.ts's normaliseTag, so a tag read here is the same key as the one the content script reads from a tag link.
 */
import { normaliseTag } from '../routes';

/**
 * What a hashtag is made of, as Instagram links it in a caption: letters, marks and digits of any script, and `_`.
 * Anything else (space, punctuation, an emoji, another `#`) ends it.
 */
const tagCharacters = '[\\p{L}\\p{M}\\p{N}_]';
const captionTag = new RegExp(`(?<!${tagCharacters})#(${tagCharacters}+)`, 'gu');
const wholeTag = new RegExp(`^${tagCharacters}+$`, 'u');

/** The normalised tag, when `text` is one tag's characters and not only digits (Instagram links no `#2024`). */
function tagOfWord(word: string): string | undefined {
  if (!wholeTag.test(word) || /^\p{N}+$/u.test(word)) return undefined;
  // normaliseTag percent-decodes (it reads URLs): encoding first keeps a literal text literal.
  return normaliseTag(encodeURIComponent(word));
}

/** The caption's hashtags, normalised, each once, in order. `caption` is already repaired of mojibake. */
export function tagsInCaption(caption: string): string[] {
  const tags: string[] = [];
  for (const match of caption.matchAll(captionTag)) {
    const tag = tagOfWord(match[1] ?? '');
    if (tag !== undefined && !tags.includes(tag)) tags.push(tag);
  }
  return tags;
}

/**
 * The tag a hashtag search or a followed hashtag names: `#tag` or `tag`, trimmed. Undefined when it is not one tag
 * (words with spaces, punctuation, only digits), since tag_searches.json keeps what was typed.
 */
export function tagOfText(text: string): string | undefined {
  const trimmed = text.trim();
  return tagOfWord(trimmed.startsWith('#') ? trimmed.slice(1) : trimmed);
}

/** The tag of a tag page URL (`https://www.instagram.com/explore/tags/<tag>/`), as following_hashtags.json links. */
export function tagOfHref(href: string): string | undefined {
  const segment = /\/explore\/tags\/([^/?#]+)/.exec(href)?.[1];
  return segment === undefined ? undefined : normaliseTag(segment);
}
