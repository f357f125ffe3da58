// @vitest-environment happy-dom
/**
 * The popup's two scripts: the first (src/popup/start.ts, a classic script) paints today's total and hands it over once
 * its frame has been presented; the module script (src/popup/loadFull.ts) then loads the full popup with that total.
 * Both run when imported, so each test imports a fresh copy.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { firstContentPresented } from '../../../src/popup/firstPaint';
import type { FirstPaintHandoff } from '../../../src/popup/start';
import { localToday } from '../../../src/shared/domain/dates';
import { databaseName, pageDatabaseOptions, SmartTagsDatabase } from '../../../src/shared/storage/db';
import { makeDay } from '../helpers/records';
import { consentView } from './support';

// ./support's helpers import the polyfill, which refuses to load outside an extension; no test here messages.
vi.mock('webextension-polyfill', () => ({ default: {} }));
const mountPopup = vi.hoisted(() => vi.fn());
vi.mock('../../../src/popup/main', () => ({ mountPopup }));

/** The browser's paint timing, reporting what a test tells it to. */
class FakePaintObserver {
  static supportedEntryTypes: readonly string[] = ['paint'];
  static current: FakePaintObserver | null = null;
  observing = false;
  constructor(private readonly callback: (entries: { getEntriesByName(name: string): unknown[] }) => void) {
    FakePaintObserver.current = this;
  }
  observe() {
    this.observing = true;
  }
  disconnect() {
    this.observing = false;
  }
  report(name: string) {
    if (this.observing) this.callback({ getEntriesByName: (wanted) => (wanted === name ? [{ name }] : []) });
  }
}

const handoff = () => (globalThis as FirstPaintHandoff).smartTagsFirstPaint;

beforeEach(() => {
  FakePaintObserver.supportedEntryTypes = ['paint'];
  FakePaintObserver.current = null;
  vi.stubGlobal('PerformanceObserver', FakePaintObserver);
  vi.resetModules();
  mountPopup.mockClear();
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
  delete (globalThis as FirstPaintHandoff).smartTagsFirstPaint;
  document.body.replaceChildren();
});

describe('firstContentPresented: the full popup waits for the first paint’s frame to be on screen', () => {
  it('resolves at the first contentful paint, not at an earlier paint entry', async () => {
    let presented = false;
    const waiting = firstContentPresented().then(() => {
      presented = true;
    });
    FakePaintObserver.current?.report('first-paint');
    await Promise.resolve();
    expect(presented).toBe(false);
    FakePaintObserver.current?.report('first-contentful-paint');
    await waiting;
    expect(FakePaintObserver.current?.observing).toBe(false);
  });

  it('resolves after the frame where the browser reports no paint timing', async () => {
    FakePaintObserver.supportedEntryTypes = ['navigation'];
    const frame = vi.fn((callback: FrameRequestCallback) => {
      callback(0);
      return 1;
    });
    vi.stubGlobal('requestAnimationFrame', frame);
    await firstContentPresented();
    expect(frame).toHaveBeenCalledOnce();
    expect(FakePaintObserver.current).toBeNull();
  });

  it('resolves after its time limit when no paint comes (a page loaded out of sight)', async () => {
    vi.useFakeTimers();
    let presented = false;
    void firstContentPresented(250).then(() => {
      presented = true;
    });
    await vi.advanceTimersByTimeAsync(249);
    expect(presented).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(presented).toBe(true);
    expect(FakePaintObserver.current?.observing).toBe(false);
  });
});

describe('the first script (start.ts)', () => {
  let stored: SmartTagsDatabase;
  beforeEach(() => {
    stored = new SmartTagsDatabase(databaseName, { ...pageDatabaseOptions, fixtureWrites: true });
  });
  afterEach(() => stored.delete());

  async function storeToday(totalMs: number) {
    const { scopes, agreedPolicyVersion, decidedAt } = consentView({ usage: true });
    await stored.consent.put({ id: 'current', scopes, agreedPolicyVersion, decidedAt });
    await stored.days.add(makeDay(localToday(), totalMs));
    stored.close();
  }

  /** Waits until the first script has painted, then reports its first contentful paint. */
  async function presentWhenPainted() {
    await vi.waitFor(() => expect(document.querySelector('[data-testid="glance-total"]')).not.toBeNull());
    FakePaintObserver.current?.report('first-contentful-paint');
  }

  it('paints today’s total and hands it over once the frame showing it is presented', async () => {
    await storeToday(12 * 60_000);
    document.body.append(Object.assign(document.createElement('div'), { id: 'first-paint' }));
    await import('../../../src/popup/start');
    let handedOver: number | null | undefined;
    void handoff()?.then((total) => {
      handedOver = total;
    });
    await vi.waitFor(() => expect(document.querySelector('[data-testid="glance-total"]')).not.toBeNull());
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(handedOver).toBeUndefined();
    FakePaintObserver.current?.report('first-contentful-paint');
    await vi.waitFor(() => expect(handedOver).toBe(12 * 60_000));
    expect(document.querySelector('[data-testid="glance-total"]')?.textContent).toBe('12 min');
  });

  it('paints once the body is parsed when the read ends first (it runs in the head)', async () => {
    await storeToday(3 * 60_000);
    vi.spyOn(document, 'readyState', 'get').mockReturnValue('loading');
    await import('../../../src/popup/start');
    const handedOver = handoff();
    // The read has ended, and no element to paint into yet.
    await new Promise((resolve) => setTimeout(resolve, 50));
    document.body.append(Object.assign(document.createElement('div'), { id: 'first-paint' }));
    document.dispatchEvent(new Event('DOMContentLoaded'));
    await presentWhenPainted();
    expect(await handedOver).toBe(3 * 60_000);
  });

  it('paints nothing and hands over null at once before the choices are made', async () => {
    await stored.days.add(makeDay(localToday(), 12 * 60_000));
    stored.close();
    document.body.append(Object.assign(document.createElement('div'), { id: 'first-paint' }));
    await import('../../../src/popup/start');
    expect(await handoff()).toBeNull();
    expect(document.getElementById('first-paint')?.childElementCount).toBe(0);
  });
});

describe('the module script (loadFull.ts)', () => {
  it('loads the full popup with the total the first script painted, once it hands it over', async () => {
    let handOver: (total: number | null) => void = () => {};
    (globalThis as FirstPaintHandoff).smartTagsFirstPaint = new Promise((resolve) => {
      handOver = resolve;
    });
    await import('../../../src/popup/loadFull');
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(mountPopup).not.toHaveBeenCalled();
    handOver(7 * 60_000);
    await vi.waitFor(() => expect(mountPopup).toHaveBeenCalledWith(7 * 60_000));
  });

  it('loads the full popup at once without a total when the first script did not run', async () => {
    await import('../../../src/popup/loadFull');
    await vi.waitFor(() => expect(mountPopup).toHaveBeenCalledWith(null));
  });
});
