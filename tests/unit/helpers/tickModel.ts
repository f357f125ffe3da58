/**
 * The attention meter as it was before it became event-driven: a tick once a second, counting the seconds since the
 * previous tick when the page was attentive at the tick. Kept only as the reference the event-driven meter
 * (src/content/attention.ts) is checked against: the rule is the same, only the way of measuring changed.
 */
import type { AttentionRun, AttentionSettings, PageState } from '../../../src/content/attention';

export class TickModel {
  private lastInputAt = Number.NEGATIVE_INFINITY;
  private lastTickAt: number | undefined;
  readonly runs: AttentionRun[] = [];

  constructor(private readonly settings: AttentionSettings) {}

  input(at: number): void {
    if (at > this.lastInputAt) this.lastInputAt = at;
  }

  tick(at: number, state: PageState): void {
    const previous = this.lastTickAt;
    this.lastTickAt = at;
    if (previous === undefined || !state.visible || !state.focused) return;
    const sinceInput = at - this.lastInputAt;
    const active = sinceInput <= this.settings.idleMs;
    const passive = !active && state.videoOnScreen && sinceInput <= this.settings.passiveMs;
    if (!active && !passive) return;
    const first = Math.floor(previous / 1000) + 1;
    const last = Math.floor(at / 1000);
    for (let second = first; second <= last; second += 1) {
      const run: AttentionRun = { startSecond: second, seconds: 1, surface: state.surface };
      if (state.tag !== undefined) run.tag = state.tag;
      if (passive) run.passive = true;
      this.runs.push(run);
    }
  }
}
