/**
 * Content script on https://www.instagram.com/* (top frame, document_idle). It runs inside a heavy page, so it stays
 * tiny: it imports only types, never zod or dexie, and talks to the background through the browser's own API.
 *
 * Today it reports which page loaded, and only while the person allows recording (`usage`): the background mirrors
 * that choice into storage.local. The background checks consent again before it writes anything.
 */
import type { PageSeenMessage } from '../shared/messages';
import type { RecordingGate, recordingGateKey } from '../shared/records';

// Firefox exposes the promise-based `browser` namespace; Chrome's `chrome` namespace returns promises in MV3.
const extension: typeof chrome = (globalThis as { browser?: typeof chrome }).browser ?? chrome;
const gateKey: typeof recordingGateKey = 'recordingGate';

async function reportPage(): Promise<void> {
  const stored = await extension.storage.local.get(gateKey);
  const gate = stored[gateKey] as RecordingGate | undefined;
  if (!gate?.usage) return;
  const report: PageSeenMessage = { type: 'page.seen', path: location.pathname };
  await extension.runtime.sendMessage(report);
}

reportPage().catch(() => {
  // The extension was reloaded or updated under this page ("context invalidated"): this copy has nothing left to do.
});
