/**
 * Attention time — the one definition smartTags measures, implemented here and nowhere else.
 *
 * An instant counts as attention when:
 * 1. the Instagram tab is visible (`document.visibilityState === 'visible'`),
 * 2. its window has focus (`document.hasFocus()`), and
 * 3. either the person gave input (pointer, key, wheel, touch) within the idle threshold (default 60 s) — *active*
 *    time — or a video surface (reels, stories, a post with a video) is on screen and the last input is within the
 *    longer passive limit (default 3 min) — *passive* time, kept apart: people watch reels and stories without
 *    touching anything.
 *
 * Event-driven: nothing runs while nothing changes. The meter keeps one open segment — the page state since the last
 * change, and the time of the last input — and works out what it counted only when something happens (a change of
 * state, an input after attention had lapsed) or when asked (`drain`). Most inputs cost one comparison: an input while
 * attention is active only moves the idle deadline.
 *
 * Seconds are whole epoch seconds: second s counts when its start (s × 1000 ms) falls in an attended interval. Each
 * counted second is attributed to the surface (and, on a tag page, the tag) of the state it fell in. Runs of
 * consecutive seconds on the same surface are reported to the background, which counts each epoch second at most once
 * across all tabs (two Instagram tabs can never both count a second).
 *
 * A machine that sleeps with the page visible and focused can add at most the idle threshold (or the passive limit on
 * a video surface) after the last input: no input happens while it sleeps, so the deadline caps it.
 *
 * Pure: the glue (./recorder.ts) reads the browser state and passes it in, so this is tested with a fake clock.
 */
import type { Surface } from '../shared/domain/routes';

export interface AttentionSettings {
  idleMs: number;
  passiveMs: number;
}

export interface PageState {
  visible: boolean;
  focused: boolean;
  videoOnScreen: boolean;
  surface: Surface;
  tag?: string | undefined;
}

/** Consecutive attended epoch seconds on one surface: seconds [startSecond, startSecond + seconds). */
export interface AttentionRun {
  startSecond: number;
  seconds: number;
  surface: Surface;
  tag?: string;
  /** Counted only by the passive rule (a video surface on screen, no input within the idle threshold). */
  passive?: true;
}

/**
 * The longest run a usage report may carry (the `usage.report` schema in src/shared/contracts/messages.ts). A run
 * kept through a long storage fault keeps growing; past this a new run starts.
 */
const maxRunSeconds = 3600;

function sameState(a: PageState, b: PageState): boolean {
  return (
    a.visible === b.visible &&
    a.focused === b.focused &&
    a.videoOnScreen === b.videoOnScreen &&
    a.surface === b.surface &&
    a.tag === b.tag
  );
}

export class AttentionMeter {
  private lastInputAt = Number.NEGATIVE_INFINITY;
  /** The open segment: `state` has held since `since`. */
  private since: number;
  private runs: AttentionRun[] = [];

  constructor(
    private settings: AttentionSettings,
    private state: PageState,
    at: number,
  ) {
    this.since = at;
  }

  /** New thresholds apply from `at`; what was counted before stays counted. */
  reconfigure(at: number, settings: AttentionSettings): void {
    this.close(at);
    this.settings = settings;
  }

  /**
   * The person gave input at `at`. Returns true when this input starts active attention again (it had lapsed, or
   * only the passive rule held it): the caller then has timers to arm and deferred views to check.
   */
  input(at: number): boolean {
    if (at <= this.lastInputAt) return false;
    // Still active: every instant of the open segment up to now is active under either input time, so moving the
    // deadline is all there is to do — the common case, one comparison per pointer move.
    if (at <= this.lastInputAt + this.settings.idleMs) {
      this.lastInputAt = at;
      return false;
    }
    this.close(at);
    this.lastInputAt = at;
    return true;
  }

  /** The page's state from `at` on (a route, visibility, focus or video change). */
  change(at: number, state: PageState): void {
    if (sameState(state, this.state)) return;
    this.close(at);
    this.state = state;
  }

  isAttentive(at: number): boolean {
    const until = this.deadline();
    return until !== undefined && at < until;
  }

  /** Whether attention at `at` holds only by the passive rule. */
  isPassive(at: number): boolean {
    return this.isAttentive(at) && at >= this.lastInputAt + this.settings.idleMs;
  }

  /** When attention ends if nothing happens; undefined while the tab is hidden or unfocused, or before any input. */
  deadline(): number | undefined {
    const { visible, focused, videoOnScreen } = this.state;
    if (!visible || !focused || this.lastInputAt === Number.NEGATIVE_INFINITY) return undefined;
    const { idleMs, passiveMs } = this.settings;
    return this.lastInputAt + (videoOnScreen ? Math.max(idleMs, passiveMs) : idleMs);
  }

  /** Counts up to `at` and hands over the runs counted so far, forgetting them. */
  drain(at: number): AttentionRun[] {
    this.close(at);
    const runs = this.runs;
    this.runs = [];
    return runs;
  }

  /**
   * Puts runs back (a report that could not be delivered), ahead of anything counted since; beyond `limit` runs the
   * oldest are dropped, so a long run of failed reports cannot grow without bound.
   */
  restore(runs: AttentionRun[], limit = Number.POSITIVE_INFINITY): void {
    if (runs.length === 0) return;
    this.runs = [...runs, ...this.runs];
    if (this.runs.length > limit) this.runs.splice(0, this.runs.length - limit);
  }

  /** Counts the open segment up to `at` and opens the next one there. */
  private close(at: number): void {
    if (at <= this.since) return;
    const from = this.since;
    this.since = at;
    const { visible, focused, videoOnScreen } = this.state;
    if (!visible || !focused) return;
    const activeUntil = this.lastInputAt + this.settings.idleMs;
    const passiveUntil = this.lastInputAt + this.settings.passiveMs;
    this.count(from, Math.min(at, activeUntil), false);
    if (videoOnScreen) this.count(Math.max(from, activeUntil), Math.min(at, passiveUntil), true);
  }

  /** Appends the epoch seconds that start in [from, to). */
  private count(from: number, to: number, passive: boolean): void {
    const first = Math.ceil(from / 1000);
    const end = Math.ceil(to / 1000);
    if (end <= first) return;
    this.append(first, end - first, passive);
  }

  private append(startSecond: number, seconds: number, passive: boolean): void {
    const { surface, tag } = this.state;
    const previous = this.runs.at(-1);
    if (
      previous &&
      previous.surface === surface &&
      previous.tag === tag &&
      (previous.passive ?? false) === passive &&
      previous.startSecond + previous.seconds === startSecond &&
      previous.seconds + seconds <= maxRunSeconds
    ) {
      previous.seconds += seconds;
      return;
    }
    const run: AttentionRun = { startSecond, seconds: Math.min(seconds, maxRunSeconds), surface };
    if (tag !== undefined) run.tag = tag;
    if (passive) run.passive = true;
    this.runs.push(run);
    if (seconds > maxRunSeconds) this.append(startSecond + maxRunSeconds, seconds - maxRunSeconds, passive);
  }
}
