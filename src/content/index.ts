/**
 * Content script on https://www.instagram.com/* (top frame, document_idle). It runs inside a heavy page, so it stays
 * small: it imports only types and pure modules — never zod or dexie — and talks to the background through the
 * browser's own API.
 *
 * It observes only while the person allows it: the background mirrors consent (and the attention thresholds) into
 * storage.local, and a change there starts, updates or stops the recorder in every open Instagram tab at once. The
 * background checks consent again before it writes anything.
 */
import type { RecordingGate, recordingGateKey } from '../shared/storage/records';
import { type ContentApi, Recorder } from './recorder';

// Firefox exposes the promise-based `browser` namespace; Chrome's `chrome` namespace returns promises in MV3.
const extension: typeof chrome = (globalThis as { browser?: typeof chrome }).browser ?? chrome;
const gateKey: typeof recordingGateKey = 'recordingGate';

const api: ContentApi = {
  send: (message) => extension.runtime.sendMessage(message),
  // After the extension is reloaded or updated, this old copy's runtime loses its id.
  alive: () => Boolean(extension.runtime?.id),
};

let recorder: Recorder | undefined;

function apply(gate: RecordingGate | undefined): void {
  if (!gate?.usage) {
    recorder?.stop();
    recorder = undefined;
    return;
  }
  if (recorder) {
    recorder.update(gate);
    return;
  }
  recorder = new Recorder(gate, api);
  recorder.start();
}

extension.storage.onChanged.addListener((changes, area) => {
  const change = changes[gateKey];
  if (area === 'local' && change) apply(change.newValue as RecordingGate | undefined);
});

extension.storage.local
  .get(gateKey)
  .then((stored) => apply(stored[gateKey] as RecordingGate | undefined))
  .catch(() => {
    // The extension was reloaded or updated under this page ("context invalidated"): this copy has nothing to do.
  });
