// @vitest-environment happy-dom
/**
 * The recorder's lifecycle with a fake clock and a fake background: what it reports, that undelivered reports are
 * sent again (and nothing is lost), that it stops when consent is withdrawn or the extension is reloaded.
 */
import { readFileSync } from 'node:fs';
import { URL as NodeUrl } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type ContentApi, flushIntervalMs, Recorder } from '../../src/content/recorder';
import type { UsageReportMessage } from '../../src/shared/contracts/messages';
import type { RecordingGate } from '../../src/shared/storage/records';

const gate: RecordingGate = { usage: true, account: false, idleMs: 60_000, passiveMs: 180_000 };

const seconds = (reports: UsageReportMessage[]) =>
  reports.flatMap((report) => report.runs).reduce((sum, run) => sum + run.seconds, 0);

class FakeBackground implements ContentApi {
  sent: Array<{ type: string }> = [];
  /** The usage reports the background answered `{ok: true}`: what it stored. */
  stored: UsageReportMessage[] = [];
  reachable = true;
  extensionAlive = true;
  /** How the background answers a usage report (by default as the router does once it is stored). */
  answerUsage: (report: UsageReportMessage) => unknown = () => ({ ok: true });
  async send(message: { type: string }) {
    if (!this.reachable) throw new Error('Could not establish connection. Receiving end does not exist.');
    this.sent.push(message);
    if (message.type !== 'usage.report') return { ok: true };
    const report = message as UsageReportMessage;
    const answer = this.answerUsage(report);
    if (typeof answer === 'object' && answer !== null && 'ok' in answer && answer.ok === true) this.stored.push(report);
    return answer;
  }
  alive() {
    return this.extensionAlive;
  }
  usageReports() {
    return this.sent.filter((message): message is UsageReportMessage => message.type === 'usage.report');
  }
  usageSeconds() {
    return seconds(this.usageReports());
  }
}

const refusal = (code: string) => ({ ok: false, error: { code, message: `refused: ${code}` } });

let background: FakeBackground;
let recorder: Recorder;

/** A person moving the mouse once a second for `seconds`. */
function activeFor(seconds: number) {
  for (let second = 0; second < seconds; second += 1) {
    window.dispatchEvent(new Event('pointermove'));
    vi.advanceTimersByTime(1000);
  }
}

/** The same, letting the background answer between ticks, as it does in a browser. */
async function activeForAnswered(seconds: number) {
  for (let second = 0; second < seconds; second += 1) {
    window.dispatchEvent(new Event('pointermove'));
    await vi.advanceTimersByTimeAsync(1000);
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

  it('keeps a usage report the background could not store (internal: a storage error) and sends it again until it is', async () => {
    // Promise: only an {ok: true} answer clears a usage report; a quota error loses nothing.
    background.answerUsage = () => refusal('internal');
    activeFor(10);
    recorder.flush();
    await vi.advanceTimersByTimeAsync(0);
    activeFor(5);
    recorder.flush();
    await vi.advanceTimersByTimeAsync(0);
    expect(background.usageReports().length).toBe(2);
    expect(seconds(background.stored)).toBe(0);
    background.answerUsage = () => ({ ok: true });
    activeFor(5);
    recorder.flush();
    await vi.advanceTimersByTimeAsync(0);
    expect(seconds(background.stored)).toBe(20);
    // Cleared once stored: the next report carries only what was counted since.
    activeFor(3);
    recorder.flush();
    await vi.advanceTimersByTimeAsync(0);
    expect(seconds(background.stored)).toBe(23);
  });

  it('keeps a usage report when the answer is not an answer (no listener replied)', async () => {
    // Promise: only an {ok: true} answer clears a usage report.
    background.answerUsage = () => undefined;
    activeFor(10);
    recorder.flush();
    await vi.advanceTimersByTimeAsync(0);
    background.answerUsage = () => ({ ok: true });
    recorder.flush();
    await vi.advanceTimersByTimeAsync(0);
    expect(seconds(background.stored)).toBe(10);
  });

  it.each(['no-consent', 'paused', 'bad-message', 'forbidden', 'unknown-type'])(
    'drops a usage report refused with %s: what was observed then is never stored later',
    async (code) => {
      // Promise: a report observed while consent was off or recording paused is never stored after it comes back on.
      background.answerUsage = () => refusal(code);
      activeFor(10);
      recorder.flush();
      await vi.advanceTimersByTimeAsync(0);
      expect(background.usageSeconds()).toBe(10);
      background.answerUsage = () => ({ ok: true });
      activeFor(4);
      recorder.flush();
      await vi.advanceTimersByTimeAsync(0);
      expect(seconds(background.stored)).toBe(4);
    },
  );

  it('keeps a run within what a report may carry (3600 s) while reports keep failing for over an hour', async () => {
    // Promise: a backlog kept through a long storage fault is still a valid report once storage works again.
    background.answerUsage = () => refusal('internal');
    await activeForAnswered(3700);
    background.answerUsage = () => ({ ok: true });
    recorder.flush();
    await vi.advanceTimersByTimeAsync(0);
    expect(seconds(background.stored)).toBe(3700);
    expect(Math.max(...background.stored.flatMap((report) => report.runs.map((run) => run.seconds)))).toBe(3600);
  });

  /** Opens `count` stories, one every two seconds, while every usage report is answered `internal`. */
  async function storiesWhileStorageFails(count: number) {
    background.answerUsage = () => refusal('internal');
    for (let story = 0; story < count; story += 1) {
      history.pushState({}, '', `/stories/maya.rivers/${3_000_000 + story}/`);
      window.dispatchEvent(new Event('pointermove'));
      await vi.advanceTimersByTimeAsync(2000);
    }
    // One more failed report, so the backlog holds everything observed.
    recorder.flush();
    await vi.advanceTimersByTimeAsync(0);
    background.answerUsage = () => ({ ok: true });
    for (let flush = 0; flush < 5; flush += 1) {
      recorder.flush();
      await vi.advanceTimersByTimeAsync(0);
    }
    return background.stored.flatMap((report) => report.views.map((view) => Number(view.id)));
  }

  it('never sends more views than a report may carry, and sends the rest with the next one', async () => {
    // Promise: a long backlog is sent in valid reports rather than refused whole (bad-message drops a report).
    const stored = await storiesWhileStorageFails(1100);
    expect(stored.length).toBe(1100);
    expect(background.usageReports().every((report) => report.views.length <= 1000)).toBe(true);
  });

  it('keeps at most four reports’ worth of backlog through a long storage fault, dropping the oldest', async () => {
    // Promise: the content script stays small in the page, however long storage fails.
    const stored = await storiesWhileStorageFails(4100);
    expect(stored.length).toBe(4000);
    expect(Math.min(...stored)).toBe(3_000_100);
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
    document.dispatchEvent(new Event('visibilitychange'));
    activeFor(10);
    recorder.flush();
    await vi.advanceTimersByTimeAsync(0);
    expect(background.usageSeconds()).toBe(0);
  });
});

// Node's URL: under happy-dom the global `URL` is the page's, which node:fs does not take.
const fixtures = new NodeUrl('../fixtures/instagram/', import.meta.url);

/** Puts a fixture page's body (and its JSON blobs, which name the viewer) into the test document, at its URL. */
function showFixture(file: string, path: string) {
  const html = readFileSync(new NodeUrl(file, fixtures), 'utf8').replace(
    /<script(?![^>]*data-sjs)[^>]*>[\s\S]*?<\/script>/g,
    '',
  );
  const blobs = [...html.matchAll(/<script[^>]*data-sjs[^>]*>[\s\S]*?<\/script>/g)].map((match) => match[0]);
  document.body.innerHTML = (/<body[^>]*>([\s\S]*)<\/body>/.exec(html)?.[1] ?? '') + blobs.join('');
  history.replaceState({}, '', path);
}

/** Starts a fresh recorder (the one from beforeEach is stopped) on the page as it is now. */
function restart(withGate: RecordingGate = gate) {
  recorder.stop();
  background.sent = [];
  background.stored = [];
  recorder = new Recorder(withGate, background);
  recorder.start();
}

async function flushed() {
  recorder.flush();
  await vi.advanceTimersByTimeAsync(0);
  return {
    runs: background.stored.flatMap((report) => report.runs),
    views: background.stored.flatMap((report) => report.views),
    hashtags: background.stored.flatMap((report) => report.hashtags),
  };
}

describe('Recorder on post pages without an <article> (2025 markup)', () => {
  afterEach(() => {
    document.body.innerHTML = '';
  });

  it('counts the viewer’s own post once, with its caption tags seen and used and no comment tag', async () => {
    showFixture('post-2025-own-en.html', '/p/DXq4mN2kLs8/');
    restart({ ...gate, account: true });
    activeFor(3);
    // Leaving and coming back (an SPA navigation) does not count the post again.
    history.pushState({}, '', '/');
    activeFor(1);
    history.pushState({}, '', '/p/DXq4mN2kLs8/');
    activeFor(3);
    const { runs, views, hashtags } = await flushed();
    expect(views.map(({ kind, id }) => ({ kind, id }))).toEqual([{ kind: 'post', id: 'DXq4mN2kLs8' }]);
    const caption = ['sourdough', 'focaccia', 'weekendbake'];
    expect(hashtags.filter((hashtag) => !hashtag.used).map((hashtag) => hashtag.tag)).toEqual(caption);
    expect(hashtags.filter((hashtag) => hashtag.used).map((hashtag) => hashtag.tag)).toEqual(caption);
    expect(hashtags.every((hashtag) => hashtag.postId === 'DXq4mN2kLs8')).toBe(true);
    expect(runs.some((run) => run.surface === 'post')).toBe(true);
  });

  it('counts someone else’s carousel post as seen, none of its tags as used', async () => {
    showFixture('post-2025-carousel-en.html', '/p/DYb7tR4pQw1/');
    restart({ ...gate, account: true });
    activeFor(3);
    const { views, hashtags } = await flushed();
    expect(views.map(({ kind, id }) => ({ kind, id }))).toEqual([{ kind: 'post', id: 'DYb7tR4pQw1' }]);
    expect(hashtags.map(({ tag, used }) => ({ tag, used }))).toEqual([
      { tag: 'farmersmarket', used: false },
      { tag: 'eatlocal', used: false },
      { tag: 'café', used: false },
    ]);
  });

  it('counts a post page only after a second of attention', async () => {
    showFixture('post-2025-carousel-en.html', '/p/DYb7tR4pQw1/');
    restart();
    // No input: not attentive (and the page is no video surface), so nothing is seen.
    vi.advanceTimersByTime(5000);
    expect((await flushed()).views).toEqual([]);
  });
});

describe('Recorder at a login wall or an error page', () => {
  afterEach(() => {
    document.body.innerHTML = '';
  });

  it.each([
    ['post-login-wall-en.html', '/p/DVsHfrU7lDT/'],
    ['reel-login-wall-en.html', '/reel/DRk3vQ1oT7x/'],
    ['post-unavailable-en.html', '/p/DKd9sTq2Lm0/'],
    ['reel-unavailable-en.html', '/reel/DLx3vB8nQe5/'],
  ])('%s at %s: other time under the idle rule, no view', async (file, path) => {
    showFixture(file, path);
    restart({ ...gate, account: true });
    activeFor(5);
    // Past the idle threshold (60 s) without input; a video surface would count on up to the passive limit (3 min).
    vi.advanceTimersByTime(120_000);
    const { runs, views, hashtags } = await flushed();
    expect(new Set(runs.map((run) => run.surface))).toEqual(new Set(['other']));
    const counted = runs.reduce((sum, run) => sum + run.seconds, 0);
    expect(counted).toBeGreaterThanOrEqual(60);
    expect(counted).toBeLessThanOrEqual(66);
    expect(views).toEqual([]);
    expect(hashtags).toEqual([]);
  });
});

/** An IntersectionObserver the test drives: `show` reports an element on screen (and across the middle). */
class FakeIntersectionObserver {
  static all: FakeIntersectionObserver[] = [];
  readonly targets = new Set<Element>();
  constructor(private readonly callback: IntersectionObserverCallback) {
    FakeIntersectionObserver.all.push(this);
  }
  observe(target: Element) {
    this.targets.add(target);
  }
  unobserve(target: Element) {
    this.targets.delete(target);
  }
  disconnect() {
    this.targets.clear();
  }
  takeRecords() {
    return [];
  }
  static show(target: Element) {
    for (const observer of FakeIntersectionObserver.all) {
      if (!observer.targets.has(target)) continue;
      const entry = {
        target,
        isIntersecting: true,
        intersectionRect: { height: 800 },
        boundingClientRect: { height: 800 },
        rootBounds: { height: 900 },
      } as unknown as IntersectionObserverEntry;
      observer.callback([entry], observer as unknown as IntersectionObserver);
    }
  }
}

describe('Recorder on the 2026 reels player', () => {
  beforeEach(() => {
    FakeIntersectionObserver.all = [];
    vi.stubGlobal('IntersectionObserver', FakeIntersectionObserver);
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    document.body.innerHTML = '';
  });

  /** One reel's container; `captionOpen: false` is the re-rendered overlay with its caption collapsed (no tags yet). */
  function mountReel(permalink: boolean, captionOpen: boolean): HTMLVideoElement {
    const reel = document.createElement('div');
    reel.innerHTML = `<div><div role="group" aria-label="Video player"><video playsinline></video></div>
      <div><a href="/asha.moves/reels/"><span dir="auto">asha.moves</span></a>
      ${permalink ? '<a href="/asha.moves/reel/DRk3vQ1oT7x/" aria-label="Open reel">·</a>' : ''}
      <div dir="auto">Morning flow${captionOpen ? ' <a href="/explore/tags/yogaeveryday/">#YogaEveryDay</a>' : '… more'}</div>
      <a href="/reels/audio/1029384756120394/"><span dir="auto">Original audio</span></a></div></div>`;
    document.body.replaceChildren(reel);
    return reel.querySelector('video') as HTMLVideoElement;
  }

  it.each([
    ['its /reel/<code>/ link', '/reels/', true],
    ['the URL', '/reels/DRk3vQ1oT7x/', false],
  ])('counts a reel whose video elements are destroyed and re-created once, by %s', async (_, path, permalink) => {
    history.replaceState({}, '', path);
    const first = mountReel(permalink, true);
    restart();
    activeFor(1);
    FakeIntersectionObserver.show(first);
    activeFor(2);
    // The player re-mounts the same reel: new <video>, overlay re-rendered.
    const second = mountReel(permalink, false);
    activeFor(1);
    FakeIntersectionObserver.show(second);
    activeFor(2);
    const { views, hashtags } = await flushed();
    expect(views.map(({ kind, id }) => ({ kind, id }))).toEqual([{ kind: 'reel', id: 'DRk3vQ1oT7x' }]);
    expect(hashtags.map((hashtag) => hashtag.tag)).toEqual(['yogaeveryday']);
  });
});

/** The Navigation API as Chrome and Firefox 147+ have it: `navigate` fires before an SPA navigation commits. */
class FakeNavigation extends EventTarget {
  go(path: string) {
    this.dispatchEvent(new Event('navigate'));
    history.pushState({}, '', path);
  }
}

describe('Recorder where the browser has the Navigation API (event-driven)', () => {
  let navigation: FakeNavigation;
  beforeEach(() => {
    recorder.stop();
    navigation = new FakeNavigation();
    vi.stubGlobal('navigation', navigation);
    history.replaceState({}, '', '/');
    background.sent = [];
    background.stored = [];
    recorder = new Recorder(gate, background);
    recorder.start();
  });
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('runs no timer while nothing changes: after the idle deadline the span is closed, reported, and all is quiet', async () => {
    // Promise: the content script costs nothing in a page the person is not using.
    await activeForAnswered(5);
    await vi.advanceTimersByTimeAsync(120_000);
    expect(vi.getTimerCount()).toBe(0);
    // The last input came at second 4: attention lasted until the idle threshold (60 s) after it.
    expect(seconds(background.stored)).toBe(64);
    expect(background.stored.flatMap((report) => report.runs).every((run) => run.surface === 'feed')).toBe(true);
  });

  it('notices route changes by the navigate event, once for a burst, and attributes the time from the first one', async () => {
    await activeForAnswered(3);
    // Ten navigations within half a second (Instagram redirecting, a modal opening): one route change is handled.
    for (let step = 0; step < 10; step += 1) {
      navigation.go(step % 2 === 0 ? '/explore/' : '/reels/');
      vi.advanceTimersByTime(40);
    }
    await activeForAnswered(4);
    recorder.flush();
    await vi.advanceTimersByTimeAsync(0);
    const pages = background.sent.filter((message) => message.type === 'page.seen');
    expect(pages).toEqual([
      { type: 'page.seen', path: '/' },
      { type: 'page.seen', path: '/reels/' },
    ]);
    const runs = background.stored.flatMap((report) => report.runs);
    // 0.4 s of navigating plus 4 s on the reels the page settled on: the seconds starting in those 4.4 s.
    expect(runs.map((run) => [run.surface, run.seconds])).toEqual([
      ['feed', 3],
      ['reels', 5],
    ]);
  });

  it('keeps passive time apart: a reel watched past the idle threshold without input', async () => {
    // Promise: the figure people see as "passive" is exactly the time counted only because a video was on screen.
    navigation.go('/reels/');
    await vi.advanceTimersByTimeAsync(1000);
    window.dispatchEvent(new Event('pointermove'));
    await vi.advanceTimersByTimeAsync(300_000);
    const runs = background.stored.flatMap((report) => report.runs);
    const active = runs.filter((run) => !run.passive).reduce((sum, run) => sum + run.seconds, 0);
    const passive = runs.filter((run) => run.passive).reduce((sum, run) => sum + run.seconds, 0);
    expect(active).toBe(60);
    expect(passive).toBe(120);
    expect(runs.every((run) => run.surface === 'reels')).toBe(true);
  });

  it('reports a reader that finds nothing (stories without an item id, a feed without posts, no viewer on a logged-in page) once, and one that works as working', async () => {
    // Promise: no failure of a reader is silent, and a healthy one says so.
    document.body.innerHTML = '<nav><a href="/direct/inbox/">Messages</a></nav><main></main>';
    navigation.go('/stories/maya.rivers/');
    await activeForAnswered(5);
    navigation.go('/stories/maya.rivers/3561234567/');
    await activeForAnswered(2);
    navigation.go('/');
    await activeForAnswered(20);
    document.body.innerHTML = '';
    const health = background.sent.filter((message) => message.type === 'quality.report');
    expect(health).toEqual([
      { type: 'quality.report', reader: 'stories', state: 'missing' },
      { type: 'quality.report', reader: 'stories', state: 'ok' },
      { type: 'quality.report', reader: 'viewer', state: 'missing' },
      { type: 'quality.report', reader: 'feed-posts', state: 'missing' },
    ]);
  });
});
