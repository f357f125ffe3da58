/**
 * Who sent a runtime message. The background trusts no message: before it looks at a message's shape it decides
 * which class of sender it came from, and each message type is allowed from one class only (src/background/router.ts).
 *
 * - `extension-page`: a page of this extension (popup, options, onboarding), identified by its URL on the
 *   extension's own origin.
 * - `instagram-content-script`: this extension's content script running in the top frame of a tab on
 *   https://www.instagram.com. Subframes are excluded: Instagram embeds third-party frames we never inject into.
 * - `untrusted`: everything else — other extensions, web pages, frames, unknown origins.
 *
 * Pure: it reads only the facts the browser gives in `runtime.MessageSender`, so it is unit-tested directly.
 */

export type SenderClass = 'extension-page' | 'instagram-content-script' | 'untrusted';

/** The subset of `runtime.MessageSender` this decision uses; both Chrome and Firefox fill these fields. */
export interface SenderFacts {
  id?: string | undefined;
  url?: string | undefined;
  frameId?: number | undefined;
  tab?: { id?: number | undefined } | undefined;
}

export interface OwnExtension {
  id: string;
  /** The extension's origin, e.g. `chrome-extension://abc…` or `moz-extension://uuid`, without a trailing slash. */
  origin: string;
}

const instagramOrigin = 'https://www.instagram.com';

function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

export function classifySender(sender: SenderFacts, own: OwnExtension): SenderClass {
  if (sender.id !== own.id || typeof sender.url !== 'string') return 'untrusted';
  // Extension-scheme URLs have an opaque origin ("null") in the URL parser on some engines, so compare prefixes.
  if (sender.url.startsWith(`${own.origin}/`)) return 'extension-page';
  const isTopFrameOfTab = sender.tab !== undefined && sender.frameId === 0;
  if (isTopFrameOfTab && originOf(sender.url) === instagramOrigin) return 'instagram-content-script';
  return 'untrusted';
}
