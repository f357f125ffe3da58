/**
 * Attention time — the one definition smartTags measures, implemented here and nowhere else.
 *
 * A second of wall-clock time counts as attention when, at the tick that closes it:
 * 1. the Instagram tab is visible (`document.visibilityState === 'visible'`),
 * 2. its window has focus (`document.hasFocus()`), and
 * 3. either the person gave input (pointer, key, wheel, touch, scroll) within the idle threshold (default 60 s), or a
 *    video surface (reels, stories, a post with a video) is on screen and the last input is within the longer passive
 *    limit (default 3 min) — people watch reels and stories without touching anything.
 * A tick that arrives more than `maxGapMs` (2.5 s) after the previous one closes a gap — the machine slept, or the
 * browser throttled timers — and none of that gap counts.
 *
 * Seconds are whole epoch seconds. Each counted second is attributed to the surface (and, on a tag page, the tag) of
 * the route current at the tick. Runs of consecutive seconds on the same surface are reported to the background, which
 * counts each epoch second at most once across all tabs (two Instagram tabs can never both count a second).
 *
 * Pure: the glue (./index.ts) reads the browser state and passes it in, so this is tested with a fake clock.
 */
import type { Surface } from '../shared/domain/routes';

export interface AttentionSettings {
  idleMs: number;
  passiveMs: number;
  maxGapMs: number;
}

/**
 * A gap between two ticks longer than this (a throttled timer, a suspended tab) is not counted: the seconds in between
 * were not observed.
 */
export const maxTickGapMs = 2500;

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
}

/**
 * The longest run a usage report may carry (the `usage.report` schema in src/shared/contracts/messages.ts). Runs are drained every 15 s, but one kept through a
 * long storage fault keeps growing; past this a new run starts.
 */
const maxRunSeconds = 3600;

export class AttentionMeter {
  private lastInputAt = Number.NEGATIVE_INFINITY;
  private lastTickAt: number | undefined;
  private runs: AttentionRun[] = [];

  constructor(private settings: AttentionSettings) {}

  /** New thresholds apply from the next tick; what was counted stays counted. */
  reconfigure(settings: AttentionSettings): void {
    this.settings = settings;
  }

  input(at: number): void {
    if (at > this.lastInputAt) this.lastInputAt = at;
  }

  isAttentive(at: number, state: PageState): boolean {
    if (!state.visible || !state.focused) return false;
    const sinceInput = at - this.lastInputAt;
    return sinceInput <= this.settings.idleMs || (state.videoOnScreen && sinceInput <= this.settings.passiveMs);
  }

  /** Closes the time since the previous tick; returns how many seconds it counted. */
  tick(at: number, state: PageState): number {
    const previous = this.lastTickAt;
    this.lastTickAt = at;
    if (previous === undefined || at <= previous || at - previous > this.settings.maxGapMs) return 0;
    if (!this.isAttentive(at, state)) return 0;
    const first = Math.floor(previous / 1000) + 1;
    const last = Math.floor(at / 1000);
    if (last < first) return 0;
    this.append(first, last - first + 1, state);
    return last - first + 1;
  }

  /** Hands over the runs counted so far and forgets them. */
  drain(): AttentionRun[] {
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

  private append(startSecond: number, seconds: number, state: PageState): void {
    const previous = this.runs.at(-1);
    if (
      previous &&
      previous.surface === state.surface &&
      previous.tag === state.tag &&
      previous.startSecond + previous.seconds === startSecond &&
      previous.seconds + seconds <= maxRunSeconds
    ) {
      previous.seconds += seconds;
      return;
    }
    const run: AttentionRun = { startSecond, seconds, surface: state.surface };
    if (state.tag !== undefined) run.tag = state.tag;
    this.runs.push(run);
  }
}
