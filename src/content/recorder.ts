/**
 * The content script's recorder: glue between the page and the pure pieces (attention.ts, page.ts, routes). It keeps
 * only small counters, reports them to the background at most every 15 s and when the tab hides, the page unloads or
 * the route changes, and tears everything down in `stop()`.
 *
 * Cost on a heavy page: one 1-second timer doing a handful of comparisons, passive input listeners that only store a
 * timestamp, and one IntersectionObserver on <article>s — found through the live `getElementsByTagName` collection
 * checked once a second, not a body-wide MutationObserver. Nothing is read on direct-message pages but the route.
 */
import type {
  AccountReportMessage,
  ErrorCode,
  PageSeenMessage,
  QualityReportMessage,
  UsageReportMessage,
} from '../shared/contracts/messages';
import { classifyPath, type Route, type Surface } from '../shared/domain/routes';
import type { RecordingGate } from '../shared/storage/records';
import { AttentionMeter, type AttentionSettings, maxTickGapMs } from './attention';
import {
  postCodeOf,
  readPageShows,
  readPost,
  readPostPage,
  readProfileCounts,
  readReelAround,
  readViewer,
} from './page';

type Report = PageSeenMessage | UsageReportMessage | AccountReportMessage | QualityReportMessage;
type UsageItems = Pick<UsageReportMessage, 'views' | 'hashtags'>;

export interface ContentApi {
  /** Resolves with the background's answer; rejects when the message could not be delivered. */
  send(message: Report): Promise<unknown>;
  /** False once the extension was reloaded or updated under this page ("context invalidated"). */
  alive(): boolean;
}

export const flushIntervalMs = 15_000;
const tickMs = 1000;
/** An article counts as seen after this long at least half on screen while the person is attentive. */
const seenAfterMs = 1000;
/** How long the own profile's counts may take to render before the markup is reported as no longer matching. */
const profileCountsWithinMs = 15_000;
const feedPostsWithinMs = 10_000;
/** Surfaces whose posts are `<article>`s. A post page is read as a page (readPostPage): since 2025 it has none. */
const articleSurfaces = new Set(['feed', 'profile', 'hashtag', 'explore']);
const inputEvents = ['pointerdown', 'pointermove', 'keydown', 'wheel', 'touchstart', 'scroll'] as const;
/**
 * What one usage report may carry (the `usage.report` schema in src/shared/contracts/messages.ts; a bigger one is refused whole as
 * `bad-message`): a backlog kept through a storage fault is sent in reports of this size.
 */
const reportLimits = { runs: 500, views: 1000, hashtags: 5000 } as const;
/**
 * How much backlog is kept, in reports' worth (at most some 2 MB): hours of failures must not grow without bound in
 * someone else's page. Beyond it the oldest observations are dropped.
 */
const keptReports = 4;
/**
 * Answers that can never turn into a stored report: the scope is off, recording is paused, or the report itself is
 * refused. What was observed then must not be stored later (say, after consent comes back), so it is dropped.
 * Anything else that is not `{ok: true}` — `internal` (a storage error such as a full quota), no answer at all — is
 * kept for the next flush; the background counts each second, view and tag once, so a resend never counts twice.
 */
const finalRefusals: ReadonlySet<unknown> = new Set<ErrorCode>([
  'no-consent',
  'paused',
  'bad-message',
  'forbidden',
  'unknown-type',
]);

type Delivery = 'stored' | 'refused' | 'retry';

function deliveryOf(answer: unknown): Delivery {
  if (typeof answer !== 'object' || answer === null) return 'retry';
  const { ok, error } = answer as { ok?: unknown; error?: { code?: unknown } };
  if (ok === true) return 'stored';
  const code = typeof error === 'object' && error !== null ? error.code : undefined;
  return finalRefusals.has(code) ? 'refused' : 'retry';
}

/** The newest `limit` items, oldest first. */
function newest<T>(items: T[], limit: number): T[] {
  return items.length > limit ? items.slice(items.length - limit) : items;
}

/**
 * Live collections are updated by the browser, so noticing new elements needs no MutationObserver: the length and the
 * first and last element change when posts are appended, removed or the list is re-rendered.
 */
const ids = new WeakMap<Element, number>();
let nextId = 1;
function signature(elements: HTMLCollectionOf<Element>): string {
  const idOf = (element: Element | undefined) => {
    if (!element) return 0;
    let id = ids.get(element);
    if (id === undefined) {
      id = nextId++;
      ids.set(element, id);
    }
    return id;
  };
  return `${elements.length}:${idOf(elements[0])}:${idOf(elements[elements.length - 1])}`;
}

function thresholds(gate: RecordingGate): AttentionSettings {
  return { idleMs: gate.idleMs, passiveMs: gate.passiveMs, maxGapMs: maxTickGapMs };
}

export class Recorder {
  private readonly meter: AttentionMeter;
  private readonly listeners = new AbortController();
  private readonly timers: ReturnType<typeof setInterval>[] = [];
  private readonly observer: IntersectionObserver;
  private readonly observed = new WeakSet<Element>();
  private readonly visibleSince = new Map<Element, number>();
  /** Videos at least 100 px tall on screen: a video surface, for the passive attention rule. */
  private readonly videoObserver: IntersectionObserver;
  private readonly videosOnScreen = new Set<Element>();
  /** The video crossing the middle of the viewport: on reels, the active reel. */
  private readonly middleObserver: IntersectionObserver;
  private middleVideo: Element | undefined;
  private videosSeen = '';
  /** Items already reported from this page load (the background dedupes per day; this just saves messages). */
  private readonly reported = new Set<string>();
  private pending: UsageItems = { views: [], hashtags: [] };
  private href = '';
  private route: Route = { surface: 'other' };
  private routeSince = 0;
  private articlesSeen = '';
  private viewer: string | null | undefined;
  private signedOut = false;
  private lastReel: string | undefined;
  private lastStory: string | undefined;
  private profileDone = false;
  /** The post page's post was counted (once per route). */
  private postPageDone = false;
  /** The post or reel URL shows its content: from then on only a login wall is looked for. */
  private contentShown = false;
  /** A login wall or error page at a post or reel URL: `other` time, no video surface, no view. */
  private blocked = false;
  private feedChecked = false;
  private stopped = false;

  constructor(
    private gate: RecordingGate,
    private readonly api: ContentApi,
  ) {
    this.meter = new AttentionMeter(thresholds(gate));
    // Observers report geometry asynchronously; reading it ourselves (getBoundingClientRect) on a page that changes
    // its DOM all the time would force a synchronous layout on every tick.
    this.observer = new IntersectionObserver((entries) => this.onIntersection(entries), {
      threshold: [0, 0.25, 0.5, 0.75, 1],
    });
    this.videoObserver = new IntersectionObserver((entries) => {
      for (const entry of entries) {
        if (entry.isIntersecting && entry.boundingClientRect.height >= 100) this.videosOnScreen.add(entry.target);
        else this.videosOnScreen.delete(entry.target);
      }
    });
    this.middleObserver = new IntersectionObserver(
      (entries) => {
        for (const entry of entries) {
          if (entry.isIntersecting) this.middleVideo = entry.target;
          else if (this.middleVideo === entry.target) this.middleVideo = undefined;
        }
      },
      { rootMargin: '-50% 0px -50% 0px' },
    );
  }

  start(): void {
    const { signal } = this.listeners;
    const onInput = () => this.meter.input(Date.now());
    for (const type of inputEvents) window.addEventListener(type, onInput, { capture: true, passive: true, signal });
    document.addEventListener('visibilitychange', () => document.hidden && this.flush(), { signal });
    window.addEventListener('pagehide', () => this.flush(), { signal });
    // SPA navigations (pushState, back, forward, modal posts) are noticed by the 1-second tick comparing location.href,
    // not by navigation events: Instagram can navigate many times a second, and handling each one (a flush, a message)
    // cost more main-thread time than everything else here (docs/BENCHMARKS.md). A second that straddles a navigation is
    // attributed to the new route.
    // Whether anyone is logged in is read once per page load (logging in or out reloads the page) and whatever else the
    // page says about the viewer is dropped unless `account` is granted. The popup tells a logged-out person why
    // nothing about their account appears.
    const viewer = readViewer(document);
    this.signedOut = viewer === null;
    this.viewer = this.gate.account ? viewer : undefined;
    this.checkRoute(Date.now());
    this.meter.tick(Date.now(), this.pageState());
    this.timers.push(setInterval(() => this.tick(), tickMs));
    this.timers.push(setInterval(() => this.flush(), flushIntervalMs));
  }

  /** Stops at once. Unsent observations are dropped: after a withdrawal nothing more may be reported. */
  stop(): void {
    this.stopped = true;
    this.listeners.abort();
    for (const timer of this.timers) clearInterval(timer);
    this.observer.disconnect();
    this.videoObserver.disconnect();
    this.middleObserver.disconnect();
    this.visibleSince.clear();
    this.videosOnScreen.clear();
    this.pending = { views: [], hashtags: [] };
    this.meter.drain();
  }

  /** New consent or thresholds: account features follow `account` at once. */
  update(gate: RecordingGate): void {
    const accountChanged = gate.account !== this.gate.account;
    this.gate = gate;
    this.meter.reconfigure(thresholds(gate));
    if (accountChanged) {
      this.viewer = gate.account ? readViewer(document) : undefined;
      if (!gate.account) this.pending.hashtags = this.pending.hashtags.filter((hashtag) => !hashtag.used);
    }
  }

  /** The route's surface, but `other` for a login wall or an error page at a post or reel URL. */
  private surface(): Surface {
    return this.blocked ? 'other' : this.route.surface;
  }

  private pageState() {
    const surface = this.surface();
    const video =
      surface === 'reels' ||
      surface === 'stories' ||
      (surface !== 'direct' && !this.blocked && this.videosOnScreen.size > 0);
    return {
      visible: !document.hidden,
      focused: document.hasFocus(),
      videoOnScreen: video,
      surface,
      tag: this.blocked ? undefined : this.route.tag,
    };
  }

  /**
   * On a post or reel URL: whether it is a login wall or an error page. The error check stops once the content showed
   * (cheap: a few lookups a second until then); the wall check runs only for a page that says nobody is logged in.
   */
  private checkBlocked(): void {
    const { surface } = this.route;
    if (surface !== 'post' && surface !== 'reels') return;
    if (this.contentShown && !this.signedOut) return;
    const shows = readPageShows(document, this.signedOut);
    if (shows === 'content') this.contentShown = true;
    this.blocked = shows === 'wall' || (shows === 'error' && !this.contentShown);
  }

  private tick(): void {
    if (!this.api.alive()) {
      this.stop();
      return;
    }
    const now = Date.now();
    this.checkRoute(now);
    this.checkBlocked();
    const state = this.pageState();
    this.meter.tick(now, state);
    if (!state.visible) return;
    const attentive = this.meter.isAttentive(now, state);
    if (this.route.surface !== 'direct' && !this.blocked) {
      this.watchVideos();
      this.observe(now, attentive);
    }
    this.checkAccount(now);
  }

  private checkRoute(now: number): void {
    if (location.href === this.href) return;
    const first = this.href === '';
    this.href = location.href;
    if (!first) this.flush();
    this.route = classifyPath(location.pathname, location.search);
    this.routeSince = now;
    this.postPageDone = false;
    this.contentShown = false;
    this.blocked = false;
    this.checkBlocked();
    void this.deliver({ type: 'page.seen', path: location.pathname, ...(this.signedOut && { signedOut: true }) });
    this.profileDone = false;
    this.feedChecked = false;
    this.articlesSeen = '';
  }

  private onIntersection(entries: IntersectionObserverEntry[]): void {
    const now = Date.now();
    for (const entry of entries) {
      // Half of the article, or half the screen for an article taller than the screen.
      const needed = Math.min(entry.boundingClientRect.height, entry.rootBounds?.height ?? innerHeight) / 2;
      if (entry.isIntersecting && entry.intersectionRect.height >= needed) {
        if (!this.visibleSince.has(entry.target)) this.visibleSince.set(entry.target, now);
      } else {
        this.visibleSince.delete(entry.target);
      }
    }
  }

  private observe(now: number, attentive: boolean): void {
    const { surface } = this.route;
    if (articleSurfaces.has(surface)) {
      const articles = document.getElementsByTagName('article');
      const current = signature(articles);
      if (current !== this.articlesSeen) {
        this.articlesSeen = current;
        for (const article of articles) {
          if (!this.observed.has(article)) {
            this.observed.add(article);
            this.observer.observe(article);
          }
        }
      }
      if (attentive) {
        for (const [article, since] of this.visibleSince) {
          if (now - since < seenAfterMs) continue;
          this.visibleSince.delete(article);
          this.countPost(article, now);
        }
      }
      this.checkFeed(now, articles.length);
    }
    if (!attentive) return;
    if (surface === 'post' && !this.postPageDone && now - this.routeSince >= seenAfterMs) {
      // The page is the post: it counts after a second on it while attentive, as a feed post does on screen.
      const code = postCodeOf(location.pathname);
      const post = code ? readPostPage(document, code) : undefined;
      if (post) {
        this.postPageDone = true;
        this.addView('post', post.id, post.tags, post.author, now);
      }
    }
    if (surface === 'reels') {
      const reel = this.middleVideo?.isConnected ? readReelAround(this.middleVideo, location.pathname) : undefined;
      if (reel && reel.id !== this.lastReel) {
        this.lastReel = reel.id;
        this.addView('reel', reel.id, reel.tags, undefined, now);
      }
    }
    if (surface === 'stories') {
      // /stories/<user>/<item id>/ and /stories/highlights/<highlight id>/: the third segment names what is shown.
      const story = location.pathname.split('/').filter(Boolean)[2];
      if (story && /^[A-Za-z0-9_-]{1,64}$/.test(story) && story !== this.lastStory) {
        this.lastStory = story;
        this.addView('story', story, [], undefined, now);
      }
    }
  }

  /** Starts observing videos that appeared since the last tick (a live collection: checking its length is free). */
  private watchVideos(): void {
    const videos = document.getElementsByTagName('video');
    const current = signature(videos);
    if (current === this.videosSeen) return;
    this.videosSeen = current;
    for (const video of videos) {
      if (this.observed.has(video)) continue;
      this.observed.add(video);
      this.videoObserver.observe(video);
      this.middleObserver.observe(video);
    }
    for (const video of this.videosOnScreen) if (!video.isConnected) this.videosOnScreen.delete(video);
  }

  private countPost(article: Element, now: number): void {
    const post = readPost(article);
    if (post) this.addView('post', post.id, post.tags, post.author, now);
  }

  private addView(
    kind: 'post' | 'reel' | 'story',
    id: string,
    tags: string[],
    author: string | undefined,
    at: number,
  ): void {
    const key = `${kind}:${id}`;
    if (this.reported.has(key)) return;
    this.reported.add(key);
    this.pending.views.push({ kind, id, at });
    const ownPost = this.viewer && author && author.toLowerCase() === this.viewer.toLowerCase();
    for (const tag of tags) {
      this.pending.hashtags.push({ postId: id, tag, at, used: false });
      if (ownPost) this.pending.hashtags.push({ postId: id, tag, at, used: true });
    }
  }

  /** On the person's own profile, its counts are reported once per visit; their absence is reported as drift. */
  private checkAccount(now: number): void {
    const viewer = this.viewer;
    const username = this.route.username;
    if (!this.gate.account || !viewer || this.profileDone || this.route.surface !== 'profile') return;
    if (username?.toLowerCase() !== viewer.toLowerCase()) return;
    const counts = readProfileCounts(document, viewer, document.documentElement.lang || 'en');
    if (counts) {
      this.profileDone = true;
      const { followers, following, posts } = counts;
      void this.deliver({ type: 'account.report', username: viewer, followers, following, posts });
    } else if (now - this.routeSince > profileCountsWithinMs) {
      this.profileDone = true;
      void this.deliver({ type: 'quality.report', signal: 'profile-counts-missing', state: 'missing' });
    }
  }

  /** A logged-in feed (the app's navigation is there) that shows no post for a while means the markup changed. */
  private checkFeed(now: number, articles: number): void {
    if (this.feedChecked || this.route.surface !== 'feed') return;
    if (articles > 0) {
      this.feedChecked = true;
      void this.deliver({ type: 'quality.report', signal: 'feed-posts-missing', state: 'ok' });
    } else if (now - this.routeSince > feedPostsWithinMs && document.querySelector('a[href="/direct/inbox/"]')) {
      this.feedChecked = true;
      void this.deliver({ type: 'quality.report', signal: 'feed-posts-missing', state: 'missing' });
    }
  }

  flush(): void {
    if (this.stopped) return;
    const runs = this.meter.drain();
    const { views, hashtags } = this.pending;
    if (runs.length === 0 && views.length === 0 && hashtags.length === 0) return;
    // Oldest first, at most what one report may carry; the rest waits for the next flush.
    const report: UsageReportMessage = {
      type: 'usage.report',
      runs: runs.slice(0, reportLimits.runs),
      views: views.slice(0, reportLimits.views),
      hashtags: hashtags.slice(0, reportLimits.hashtags),
    };
    this.meter.restore(runs.slice(reportLimits.runs));
    this.pending = { views: views.slice(reportLimits.views), hashtags: hashtags.slice(reportLimits.hashtags) };
    void this.deliver(report).then((delivery) => {
      if (delivery !== 'retry' || this.stopped) return;
      // Not stored (the worker was stopped mid-way, or storage failed): keep it, ahead of anything counted since.
      this.meter.restore(report.runs, reportLimits.runs * keptReports);
      this.pending.views = newest([...report.views, ...this.pending.views], reportLimits.views * keptReports);
      // `used` tags need `account`: if it was withdrawn meanwhile, they must not be sent again.
      const kept = this.gate.account ? report.hashtags : report.hashtags.filter((hashtag) => !hashtag.used);
      this.pending.hashtags = newest([...kept, ...this.pending.hashtags], reportLimits.hashtags * keptReports);
    });
  }

  /** Whether the background stored the message, refused it for good, or it should be sent again. */
  private async deliver(message: Report): Promise<Delivery> {
    try {
      return deliveryOf(await this.api.send(message));
    } catch {
      if (!this.api.alive()) this.stop();
      return 'retry';
    }
  }
}
