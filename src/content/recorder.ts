/**
 * The content script's recorder: glue between the page and the pure pieces (attention.ts, page.ts, routes). It keeps
 * only small counters and reports them to the background at most every 15 s while attention lasts, and when the tab
 * hides or the page unloads; `stop()` tears everything down.
 *
 * Event-driven, so it costs next to nothing while nothing changes (docs/BENCHMARKS.md): no periodic timer. Input
 * listeners only store a timestamp (the attention meter needs one comparison); visibility, focus and route changes
 * (the Navigation API's `navigate` event where the browser has it) and IntersectionObservers drive the rest. The page
 * is read in short "scans" — after a route change (a few, spaced out while the new page renders), when the last
 * watched post or video enters or leaves the screen, when the tab shows again — each checking live element
 * collections, never a body-wide MutationObserver.
 * Nothing is read on direct-message pages but the route.
 */
import type {
  AccountReportMessage,
  ErrorCode,
  PageSeenMessage,
  QualityReportMessage,
  UsageReportMessage,
} from '../shared/contracts/messages';
import { classifyPath, type Route, type Surface } from '../shared/domain/routes';
import type { Reader, RecordingGate } from '../shared/storage/records';
import { AttentionMeter, type AttentionSettings, type PageState } from './attention';
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
/** An article counts as seen after this long at least half on screen while the person is attentive. */
const seenAfterMs = 1000;
/** How long the own profile's counts may take to render before the markup is reported as no longer matching. */
const profileCountsWithinMs = 15_000;
const feedPostsWithinMs = 10_000;
/** How long a post page that shows its content may take to show its post, and the viewer blob to be found. */
const postPageWithinMs = 5000;
const viewerWithinMs = 10_000;
/** A stories URL names its item within a moment of opening (/stories/<user>/ redirects to /stories/<user>/<id>/). */
const storyWithinMs = 3000;
/**
 * When the page is read again after a route change (ms after it; it is read at once too): a new page renders over a
 * few seconds, and the last scans come after the feed's and the profile's deadlines above, so a reader that finds
 * nothing is reported.
 */
const routeScansAtMs = [1000, 3000, 16_000] as const;
/**
 * Route changes are handled this long after the first `navigate` event: Instagram can navigate many times a second,
 * and handling each one (a message, a page read) would cost more than everything else here (docs/BENCHMARKS.md). The
 * time since that first event is attributed to the route the page settled on.
 */
const routeSettleMs = 1000;
/**
 * Where the browser has no Navigation API (Firefox before 147, test DOMs), route changes are noticed by comparing
 * `location.href` this often: the one periodic timer left there.
 */
const routePollMs = 1000;
/** Input: each only moves the idle deadline (a comparison). Scrolling is always one of these (wheel, key, pointer). */
const inputEvents = ['pointermove', 'pointerdown', 'keydown', 'wheel', 'touchstart'] as const;
/** Surfaces whose posts are `<article>`s. A post page is read as a page (readPostPage): since 2025 it has none. */
const articleSurfaces = new Set(['feed', 'profile', 'hashtag', 'explore']);
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
  return { idleMs: gate.idleMs, passiveMs: gate.passiveMs };
}

/** One pending `setTimeout`: armed at most once at a time, re-armed only for an earlier instant. */
class Timer {
  private handle: ReturnType<typeof setTimeout> | undefined;
  private dueAt = Number.POSITIVE_INFINITY;

  constructor(private readonly run: () => void) {}

  /** Runs `run` at `at` (epoch ms), unless it is already due by then. */
  armAt(at: number, now: number): void {
    if (this.handle !== undefined && this.dueAt <= at) return;
    this.cancel();
    this.dueAt = at;
    this.handle = setTimeout(
      () => {
        this.handle = undefined;
        this.dueAt = Number.POSITIVE_INFINITY;
        this.run();
      },
      Math.max(0, at - now),
    );
  }

  cancel(): void {
    if (this.handle !== undefined) clearTimeout(this.handle);
    this.handle = undefined;
    this.dueAt = Number.POSITIVE_INFINITY;
  }
}

/** The Navigation API (Chrome 102+, Firefox 147+), where the browser has it. */
function navigationApi(): EventTarget | undefined {
  return (globalThis as { navigation?: EventTarget }).navigation;
}

export class Recorder {
  private readonly meter: AttentionMeter;
  private readonly listeners = new AbortController();
  /** Closes the attention span at its idle deadline and reports what attention counted, at most every 15 s. */
  private readonly pulse = new Timer(() => this.onPulse());
  private readonly routeScans = new Timer(() => this.onRouteScan());
  private readonly routeSettle = new Timer(() => {
    this.listenForNavigation();
    if (this.checkRoute(this.navigatedAt)) this.scan();
    // The same page after all (a replaced history entry): its remaining scans go on.
    else this.armRouteScan();
  });
  private navigationListening: AbortController | undefined;
  private readonly viewsDue = new Timer(() => this.checkViews(Date.now()));
  private routePoll: ReturnType<typeof setInterval> | undefined;
  private routeScanIndex = 0;
  /** When the first `navigate` event since the route was last handled arrived. */
  private navigatedAt = 0;
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
  /** The last post and the last video watched: when one enters or leaves the screen, more may have been appended. */
  private lastArticle: Element | undefined;
  private lastVideo: Element | undefined;
  /** Items already reported from this page load (the background dedupes per day; this just saves messages). */
  private readonly reported = new Set<string>();
  /** Each reader's last reported health in this page load: a state is reported once, a change again. */
  private readonly health = new Map<Reader, 'ok' | 'missing'>();
  private pending: UsageItems = { views: [], hashtags: [] };
  private href = '';
  private route: Route = { surface: 'other' };
  private routeSince = 0;
  private startedAt = 0;
  private articlesSeen = '';
  private focused: boolean;
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
  /** Views were due while attention had lapsed: they are checked when it resumes. */
  private viewsDeferred = false;
  private stopped = false;

  constructor(
    private gate: RecordingGate,
    private readonly api: ContentApi,
  ) {
    this.focused = document.hasFocus();
    this.meter = new AttentionMeter(thresholds(gate), this.pageState(), Date.now());
    // Observers report geometry asynchronously; reading it ourselves (getBoundingClientRect) on a page that changes
    // its DOM all the time would force a synchronous layout.
    this.observer = new IntersectionObserver((entries) => this.onIntersection(entries), {
      threshold: [0, 0.25, 0.5, 0.75, 1],
    });
    this.videoObserver = new IntersectionObserver((entries) => {
      let edge = false;
      for (const entry of entries) {
        if (entry.isIntersecting && entry.boundingClientRect.height >= 100) this.videosOnScreen.add(entry.target);
        else this.videosOnScreen.delete(entry.target);
        if (entry.target === this.lastVideo) edge = true;
      }
      // The scan updates the page's state itself.
      if (edge) this.scan();
      else this.stateChanged(Date.now());
    });
    this.middleObserver = new IntersectionObserver(
      (entries) => {
        for (const entry of entries) {
          if (entry.isIntersecting) this.middleVideo = entry.target;
          else if (this.middleVideo === entry.target) this.middleVideo = undefined;
        }
        // The reel's overlay (its link and caption) renders after its video: it is read a moment later.
        if (this.middleVideo) this.viewsDue.armAt(Date.now() + seenAfterMs, Date.now());
      },
      { rootMargin: '-50% 0px -50% 0px' },
    );
  }

  start(): void {
    const { signal } = this.listeners;
    // Each input costs a comparison (AttentionMeter.input). Removing the listeners for a while after each input was
    // tried: the removal and the timer to add them back cost more than the calls they saved (docs/BENCHMARKS.md).
    const onInput = () => {
      const now = Date.now();
      if (this.meter.input(now)) this.resumed(now);
    };
    for (const type of inputEvents) window.addEventListener(type, onInput, { capture: true, passive: true, signal });
    document.addEventListener('visibilitychange', () => this.onVisibility(), { signal });
    window.addEventListener('focus', () => this.onFocus(true), { signal });
    window.addEventListener('blur', () => this.onFocus(false), { signal });
    window.addEventListener('pagehide', () => this.flush(), { signal });
    const navigation = navigationApi();
    if (navigation) {
      this.listenForNavigation();
    } else {
      // The poll rate-limits by itself, so what it notices is handled at once.
      this.routePoll = setInterval(() => {
        if (!document.hidden && this.checkRoute(Date.now())) this.scan();
      }, routePollMs);
    }
    // Whether anyone is logged in is read once per page load (logging in or out reloads the page) and whatever else the
    // page says about the viewer is dropped unless `account` is granted. The popup tells a logged-out person why
    // nothing about their account appears.
    const now = Date.now();
    this.startedAt = now;
    this.takeViewer(readViewer(document), now);
    this.checkRoute(now);
    this.scan();
  }

  /** Stops at once. Unsent observations are dropped: after a withdrawal nothing more may be reported. */
  stop(): void {
    this.stopped = true;
    this.listeners.abort();
    this.navigationListening?.abort();
    const timers = [this.pulse, this.routeScans, this.routeSettle, this.viewsDue];
    for (const timer of timers) timer.cancel();
    clearInterval(this.routePoll);
    this.observer.disconnect();
    this.videoObserver.disconnect();
    this.middleObserver.disconnect();
    this.visibleSince.clear();
    this.videosOnScreen.clear();
    this.pending = { views: [], hashtags: [] };
    this.meter.drain(Date.now());
  }

  /** New consent or thresholds: account features follow `account` at once. */
  update(gate: RecordingGate): void {
    const accountChanged = gate.account !== this.gate.account;
    this.gate = gate;
    const now = Date.now();
    this.meter.reconfigure(now, thresholds(gate));
    this.armPulse(now);
    if (accountChanged) {
      this.viewer = gate.account ? readViewer(document) : undefined;
      if (!gate.account) this.pending.hashtags = this.pending.hashtags.filter((hashtag) => !hashtag.used);
    }
  }

  /** Active attention started again: the span needs its pulse, and views that waited for attention are checked. */
  private resumed(now: number): void {
    this.armPulse(now);
    if (this.viewsDeferred) this.checkViews(now);
  }

  private onVisibility(): void {
    const now = Date.now();
    this.stateChanged(now);
    if (document.hidden) {
      this.flush();
      return;
    }
    this.scan();
  }

  private onFocus(focused: boolean): void {
    this.focused = focused;
    this.stateChanged(Date.now());
  }

  /**
   * The first `navigate` event of a burst is all that is needed: the listener is removed until the route is handled,
   * which reads wherever the page went meanwhile.
   */
  private listenForNavigation(): void {
    const navigation = navigationApi();
    if (!navigation || this.stopped) return;
    const listening = new AbortController();
    this.navigationListening = listening;
    navigation.addEventListener(
      'navigate',
      () => {
        listening.abort();
        const now = Date.now();
        // The page is about to change: reading the old one again would be wasted, the new one is read once it settles.
        this.routeScans.cancel();
        this.navigatedAt = now;
        this.routeSettle.armAt(now + routeSettleMs, now);
      },
      { signal: listening.signal },
    );
  }

  /** The meter follows the page's state from `at` on; attention may have resumed (focus back, a video showing). */
  private stateChanged(at: number): void {
    this.meter.change(at, this.pageState());
    this.armPulse(at);
  }

  private armPulse(now: number): void {
    const deadline = this.meter.deadline();
    if (deadline === undefined || deadline <= now || this.stopped) return;
    // Just after the deadline, so the span is closed when the pulse reports it.
    this.pulse.armAt(Math.min(now + flushIntervalMs, deadline + 1), now);
  }

  private onPulse(): void {
    if (!this.api.alive()) {
      this.stop();
      return;
    }
    this.flush();
    this.armPulse(Date.now());
  }

  /** The route's surface, but `other` for a login wall or an error page at a post or reel URL. */
  private surface(): Surface {
    return this.blocked ? 'other' : this.route.surface;
  }

  private pageState(): PageState {
    const surface = this.surface();
    const video =
      surface === 'reels' ||
      surface === 'stories' ||
      (surface !== 'direct' && !this.blocked && this.videosOnScreen.size > 0);
    return {
      visible: !document.hidden,
      focused: this.focused,
      videoOnScreen: video,
      surface,
      tag: this.blocked ? undefined : this.route.tag,
    };
  }

  /**
   * On a post or reel URL: whether it is a login wall or an error page. The error check stops once the content showed;
   * the wall check runs only for a page that says nobody is logged in.
   */
  private checkBlocked(): void {
    const { surface } = this.route;
    if (surface !== 'post' && surface !== 'reels') return;
    if (this.contentShown && !this.signedOut) return;
    const shows = readPageShows(document, this.signedOut);
    if (shows === 'content') this.contentShown = true;
    this.blocked = shows === 'wall' || (shows === 'error' && !this.contentShown);
  }

  private onRouteScan(): void {
    const route = this.routeSince;
    // The first scan reads what rendered late; later ones only look for a reader that has not answered yet.
    if (this.routeScanIndex === 0 || this.readerPending()) this.scan();
    // The scan found a new route, which started its own schedule.
    if (this.routeSince !== route) return;
    this.routeScanIndex += 1;
    this.armRouteScan();
  }

  /** Whether something on this route has not been read yet: a reader's answer, or what a post or reel URL shows. */
  private readerPending(): boolean {
    const { surface, username } = this.route;
    const ownProfile =
      this.viewer !== undefined && this.viewer !== null && username?.toLowerCase() === this.viewer.toLowerCase();
    return (
      !this.health.has('viewer') ||
      (surface === 'feed' && !this.feedChecked) ||
      (surface === 'profile' && ownProfile && this.gate.account && !this.profileDone) ||
      (surface === 'post' && !this.postPageDone) ||
      ((surface === 'post' || surface === 'reels') && !this.contentShown && !this.blocked) ||
      (surface === 'stories' && !this.health.has('stories'))
    );
  }

  private armRouteScan(): void {
    const next = routeScansAtMs[this.routeScanIndex];
    if (next !== undefined) this.routeScans.armAt(this.routeSince + next, Date.now());
  }

  /** Reads the page: new posts and videos to watch, views due, the readers' health. */
  private scan(): void {
    if (this.stopped) return;
    if (!this.api.alive()) {
      this.stop();
      return;
    }
    // A hidden page is read when it shows again (onVisibility).
    if (document.hidden) return;
    const now = Date.now();
    // A navigation the `navigate` event did not announce (there should be none) is still noticed here.
    this.checkRoute(now);
    // Focus can change without an event reaching this world (a devtools window, an embedded frame): it is re-read here.
    this.focused = document.hasFocus();
    this.checkBlocked();
    this.stateChanged(now);
    if (this.route.surface !== 'direct' && !this.blocked) {
      this.watchVideos();
      this.watchArticles(now);
      this.checkViews(now);
    }
    this.checkViewer(now);
    this.checkAccount(now);
  }

  /** Handles a new route (the caller reads the page then); false when the route did not change. */
  private checkRoute(at: number): boolean {
    if (location.href === this.href) return false;
    const now = Date.now();
    this.href = location.href;
    this.route = classifyPath(location.pathname, location.search);
    this.routeSince = now;
    this.postPageDone = false;
    this.contentShown = false;
    this.blocked = false;
    this.checkBlocked();
    this.stateChanged(at);
    void this.deliver({ type: 'page.seen', path: location.pathname, ...(this.signedOut && { signedOut: true }) });
    this.profileDone = false;
    this.feedChecked = false;
    this.articlesSeen = '';
    this.routeScanIndex = 0;
    this.routeScans.cancel();
    this.armRouteScan();
    return true;
  }

  private onIntersection(entries: IntersectionObserverEntry[]): void {
    const now = Date.now();
    let edge = false;
    for (const entry of entries) {
      // Half of the article, or half the screen for an article taller than the screen.
      const needed = Math.min(entry.boundingClientRect.height, entry.rootBounds?.height ?? innerHeight) / 2;
      if (entry.isIntersecting && entry.intersectionRect.height >= needed) {
        if (!this.visibleSince.has(entry.target)) this.visibleSince.set(entry.target, now);
      } else {
        // Leaving the screen is when a post's time on it is known: no timer per post is needed (see checkArticles).
        const since = this.visibleSince.get(entry.target);
        if (since !== undefined) this.checkArticle(entry.target, since, now);
        this.visibleSince.delete(entry.target);
      }
      if (entry.target === this.lastArticle) edge = true;
    }
    // More posts are appended as the last one nears: they are read when it enters or leaves the screen.
    if (edge) this.scan();
  }

  /** Starts observing posts that appeared since the last scan (a live collection: checking its length is free). */
  private watchArticles(now: number): void {
    if (!articleSurfaces.has(this.route.surface)) return;
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
      this.lastArticle = articles[articles.length - 1];
    }
    this.checkFeed(now, articles.length);
  }

  /** Counts what the person is looking at: only while attentive (else once attention resumes). */
  private checkViews(now: number): void {
    if (this.stopped || document.hidden || this.blocked || this.route.surface === 'direct') return;
    if (!this.meter.isAttentive(now)) {
      this.viewsDeferred = true;
      return;
    }
    this.viewsDeferred = false;
    const { surface } = this.route;
    if (articleSurfaces.has(surface)) {
      for (const [article, since] of this.visibleSince) {
        if (this.checkArticle(article, since, now)) this.visibleSince.delete(article);
      }
    }
    if (surface === 'post') this.checkPostPage(now);
    if (surface === 'reels') {
      const reel = this.middleVideo?.isConnected ? readReelAround(this.middleVideo, location.pathname) : undefined;
      if (this.middleVideo?.isConnected) this.report('reels', reel ? 'ok' : 'missing');
      if (reel && reel.id !== this.lastReel) {
        this.lastReel = reel.id;
        this.addView('reel', reel.id, reel.tags, undefined, now);
      }
    }
    if (surface === 'stories') {
      // /stories/<user>/<item id>/ and /stories/highlights/<highlight id>/: the third segment names what is shown.
      const story = location.pathname.split('/').filter(Boolean)[2];
      const named = story !== undefined && /^[A-Za-z0-9_-]{1,64}$/.test(story);
      if (named) this.report('stories', 'ok');
      else if (now - this.routeSince >= storyWithinMs) this.report('stories', 'missing');
      if (named && story !== this.lastStory) {
        this.lastStory = story;
        this.addView('story', story, [], undefined, now);
      }
    }
  }

  /**
   * Counts a post that has been on screen for a second, if the person is attentive now; true once it is counted. Posts
   * are checked when they leave the screen, at every scan and before every report (flush), rather than by a timer a
   * second after each one appears: a feed scrolled quickly shows dozens of posts a minute, and each timer is a call
   * into this script. A post still on screen is counted by the next report at the latest.
   */
  private checkArticle(article: Element, since: number, now: number): boolean {
    if (now - since < seenAfterMs || !articleSurfaces.has(this.route.surface)) return false;
    if (this.stopped || this.blocked || !this.meter.isAttentive(now)) return false;
    const post = readPost(article);
    if (post) this.addView('post', post.id, post.tags, post.author, since + seenAfterMs);
    return true;
  }

  /** The page is the post: it counts after a second on it while attentive, as a feed post does on screen. */
  private checkPostPage(now: number): void {
    if (this.postPageDone) return;
    if (now - this.routeSince < seenAfterMs) {
      this.viewsDue.armAt(this.routeSince + seenAfterMs, now);
      return;
    }
    const code = postCodeOf(location.pathname);
    const post = code ? readPostPage(document, code) : undefined;
    if (post) {
      this.postPageDone = true;
      this.report('post-page', 'ok');
      this.addView('post', post.id, post.tags, post.author, now);
    } else if (this.contentShown && now - this.routeSince >= postPageWithinMs) {
      this.report('post-page', 'missing');
    }
  }

  /** Starts observing videos that appeared since the last scan. */
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
    this.lastVideo = videos[videos.length - 1];
    for (const video of this.videosOnScreen) if (!video.isConnected) this.videosOnScreen.delete(video);
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
    this.armPulse(at);
  }

  /** What the page says about who is logged in: a name, nobody (null), or nothing found yet (undefined). */
  private takeViewer(viewer: string | null | undefined, now: number): void {
    this.signedOut = viewer === null;
    this.viewer = this.gate.account && viewer ? viewer : undefined;
    if (viewer !== undefined) this.report('viewer', 'ok');
    else if (now - this.startedAt >= viewerWithinMs && document.querySelector('a[href="/direct/inbox/"]')) {
      // The app's navigation says someone is logged in, yet the page no longer names them where it used to.
      this.report('viewer', 'missing');
    }
  }

  private checkViewer(now: number): void {
    if (this.health.get('viewer') === 'ok' || this.signedOut) return;
    this.takeViewer(readViewer(document), now);
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
      // The background marks the profile-counts reader healthy when it stores this.
      void this.deliver({ type: 'account.report', username: viewer, followers, following, posts });
    } else if (now - this.routeSince > profileCountsWithinMs) {
      this.profileDone = true;
      this.report('profile-counts', 'missing');
    }
  }

  /** A logged-in feed (the app's navigation is there) that shows no post for a while means the markup changed. */
  private checkFeed(now: number, articles: number): void {
    if (this.feedChecked || this.route.surface !== 'feed') return;
    if (articles > 0) {
      this.feedChecked = true;
      this.report('feed-posts', 'ok');
    } else if (now - this.routeSince > feedPostsWithinMs && document.querySelector('a[href="/direct/inbox/"]')) {
      this.feedChecked = true;
      this.report('feed-posts', 'missing');
    }
  }

  /** Reports a reader's health once per state per page load. */
  private report(reader: Reader, state: 'ok' | 'missing'): void {
    if (this.health.get(reader) === state) return;
    this.health.set(reader, state);
    void this.deliver({ type: 'quality.report', reader, state });
  }

  flush(): void {
    if (this.stopped) return;
    const now = Date.now();
    for (const [article, since] of this.visibleSince) {
      if (this.checkArticle(article, since, now)) this.visibleSince.delete(article);
    }
    const runs = this.meter.drain(now);
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
      // Sent again by the next pulse, even if attention has ended meanwhile.
      const now = Date.now();
      this.pulse.armAt(now + flushIntervalMs, now);
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
