/**
 * Content script on https://www.instagram.com/* (top frame, document_idle). It runs inside a heavy page, so it stays
 * tiny: it imports only types, never zod or dexie, and talks to the background through the browser's own API.
 *
 * Today it reports which page loaded; the background decides whether and what to store.
 */
import type { PageSeenMessage } from '../shared/messages';

// Firefox exposes the promise-based `browser` namespace; Chrome's `chrome` namespace returns promises in MV3.
const extension: typeof chrome = (globalThis as { browser?: typeof chrome }).browser ?? chrome;

const report: PageSeenMessage = { type: 'page.seen', path: location.pathname };
extension.runtime.sendMessage(report).catch(() => {
  // The extension was reloaded or updated under this page ("context invalidated"): this copy has nothing left to do.
});
