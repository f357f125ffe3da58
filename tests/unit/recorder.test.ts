// @vitest-environment happy-dom
/**
 * The recorder's lifecycle with a fake clock and a fake background: what it reports, that undelivered reports are
 * sent again (and nothing is lost), that it stops when consent is withdrawn or the extension is reloaded.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type ContentApi, flushIntervalMs, Recorder } from '../../src/content/recorder';
import type { UsageReportMessage } from '../../src/shared/messages';
import type { RecordingGate } from '../../src/shared/records';

const gate: RecordingGate = { usage: true, account: false, idleMs: 60_000, passiveMs: 180_000 };

class FakeBackground implements ContentApi {
  sent: Array<{ type: string }> = [];
  reachable = true;
  extensionAlive = true;
  async send(message: { type: string }) {
    if (!this.reachable) throw new Error('Could not establish connection. Receiving end does not exist.');
    this.sent.push(message);
    return { ok: true };
  }
  alive() {
    return this.extensionAlive;
  }
  usageSeconds() {
    return this.sent
      .filter((message): message is UsageReportMessage => message.type === 'usage.report')
      .flatMap((report) => report.runs)
      .reduce((sum, run) => sum + run.seconds, 0);
  }
}

let background: FakeBackground;
let recorder: Recorder;

/** A person moving the mouse once a second for `seconds`. */
function activeFor(seconds: number) {
  for (let second = 0; second < seconds; second += 1) {
    window.dispatchEvent(new Event('pointermove'));
    vi.advanceTimersByTime(1000);
  }
}

beforeEach(() => {
  vi.useFakeTimers({ now: Date.UTC(2026, 10, 25, 12, 0, 0) });
  vi.spyOn(document, 'hasFocus').mockReturnValue(true);
  history.replaceState({}, '', '/explore/');
  background = new FakeBackground();
  recorder = new Recorder(gate, background);
  recorder.start();
});
afterEach(() => {
  recorder.stop();
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('Recorder', () => {
  it('reports the page it starts on, then attention every 15 seconds', async () => {
    activeFor(flushIntervalMs / 1000);
    await vi.runOnlyPendingTimersAsync();
    expect(background.sent[0]).toEqual({ type: 'page.seen', path: '/explore/' });
    expect(background.usageSeconds()).toBeGreaterThanOrEqual(14);
  });

  it('says so on every page seen when the page says nobody is logged in, and never sends a username', async () => {
    recorder.stop();
    const blob = document.createElement('script');
    blob.type = 'application/json';
    blob.dataset.sjs = '';
    blob.textContent = JSON.stringify({ require: [['PolarisViewer', [], { data: null }, 7]] });
    document.body.append(blob);
    background.sent = [];
    recorder = new Recorder(gate, background);
    recorder.start();
    history.pushState({}, '', '/reels/');
    activeFor(2);
    await vi.advanceTimersByTimeAsync(0);
    blob.remove();
    expect(background.sent.filter((message) => message.type === 'page.seen')).toEqual([
      { type: 'page.seen', path: '/explore/', signedOut: true },
      { type: 'page.seen', path: '/reels/', signedOut: true },
    ]);
  });

  it('flushes on a route change and attributes the time after it to the new surface', async () => {
    activeFor(5);
    history.pushState({}, '', '/reels/');
    activeFor(3);
    recorder.flush();
    await vi.advanceTimersByTimeAsync(0);
    const runs = background.sent
      .filter((message): message is UsageReportMessage => message.type === 'usage.report')
      .flatMap((report) => report.runs);
    expect(runs.map((run) => run.surface)).toEqual(['explore', 'reels']);
    expect(background.sent.some((message) => message.type === 'page.seen' && 'path' in message)).toBe(true);
  });

  it('keeps a report the background did not receive and sends it with the next one', async () => {
    background.reachable = false;
    activeFor(10);
    recorder.flush();
    await vi.advanceTimersByTimeAsync(0);
    expect(background.usageSeconds()).toBe(0);
    background.reachable = true;
    activeFor(5);
    recorder.flush();
    await vi.advanceTimersByTimeAsync(0);
    expect(background.usageSeconds()).toBe(15);
  });

  it('stops at once when stopped (consent withdrawn): nothing pending is sent, no timer keeps running', async () => {
    activeFor(10);
    recorder.stop();
    const sentBefore = background.sent.length;
    activeFor(30);
    await vi.runOnlyPendingTimersAsync();
    expect(background.sent.length).toBe(sentBefore);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('stops by itself when the extension was reloaded under the page', async () => {
    activeFor(3);
    background.extensionAlive = false;
    activeFor(20);
    expect(vi.getTimerCount()).toBe(0);
    const sentBefore = background.sent.length;
    activeFor(20);
    expect(background.sent.length).toBe(sentBefore);
  });

  it('counts nothing while the tab is hidden', async () => {
    vi.spyOn(document, 'hidden', 'get').mockReturnValue(true);
    activeFor(10);
    recorder.flush();
    await vi.advanceTimersByTimeAsync(0);
    expect(background.usageSeconds()).toBe(0);
  });
});
