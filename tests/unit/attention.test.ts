import { describe, expect, it } from 'vitest';
import { AttentionMeter, type AttentionSettings, maxTickGapMs, type PageState } from '../../src/content/attention';
import { defaultIdleSeconds, defaultPassiveSeconds } from '../../src/shared/domain/attention';

/** The thresholds a person who changed nothing has. */
const defaults: AttentionSettings = {
  idleMs: defaultIdleSeconds * 1000,
  passiveMs: defaultPassiveSeconds * 1000,
  maxGapMs: maxTickGapMs,
};

const watching: PageState = { visible: true, focused: true, videoOnScreen: false, surface: 'feed' };
const start = Date.UTC(2026, 10, 25, 12, 0, 0);

/** Ticks once a second from `from` for `seconds`, with the given state; returns the time after the last tick. */
function tickFor(meter: AttentionMeter, from: number, seconds: number, state: PageState = watching): number {
  let at = from;
  for (let index = 0; index < seconds; index += 1) {
    at += 1000;
    meter.tick(at, state);
  }
  return at;
}

const total = (meter: AttentionMeter) => meter.drain().reduce((sum, run) => sum + run.seconds, 0);

describe('AttentionMeter', () => {
  it('counts each second after input while the tab is visible and focused', () => {
    const meter = new AttentionMeter(defaults);
    meter.input(start);
    meter.tick(start, watching);
    tickFor(meter, start, 30);
    expect(meter.drain()).toEqual([{ startSecond: start / 1000 + 1, seconds: 30, surface: 'feed' }]);
  });

  it('stops counting after the idle threshold without input', () => {
    const meter = new AttentionMeter(defaults);
    meter.input(start);
    meter.tick(start, watching);
    tickFor(meter, start, 120);
    expect(total(meter)).toBe(60);
  });

  it('keeps counting a video surface on screen up to the passive limit', () => {
    const meter = new AttentionMeter(defaults);
    const reels: PageState = { ...watching, surface: 'reels', videoOnScreen: true };
    meter.input(start);
    meter.tick(start, reels);
    tickFor(meter, start, 300, reels);
    expect(total(meter)).toBe(180);
  });

  it('new input restarts the idle clock', () => {
    const meter = new AttentionMeter(defaults);
    meter.input(start);
    meter.tick(start, watching);
    let at = tickFor(meter, start, 50);
    meter.input(at);
    at = tickFor(meter, at, 100);
    expect(total(meter)).toBe(110);
  });

  it.each([
    ['hidden', { ...watching, visible: false }],
    ['in an unfocused window', { ...watching, focused: false }],
  ])('does not count a tab that is %s', (_label, state) => {
    const meter = new AttentionMeter(defaults);
    meter.input(start);
    meter.tick(start, state);
    tickFor(meter, start, 10, state);
    expect(total(meter)).toBe(0);
  });

  it('does not count a gap longer than a couple of seconds (sleep, throttled timers)', () => {
    const meter = new AttentionMeter(defaults);
    meter.input(start);
    meter.tick(start, watching);
    let at = tickFor(meter, start, 5);
    at += 40_000; // the laptop slept
    meter.input(at);
    meter.tick(at, watching);
    tickFor(meter, at, 5);
    expect(total(meter)).toBe(10);
  });

  it('counts a second once even if two ticks land in it, and both seconds of a slightly late tick', () => {
    const meter = new AttentionMeter(defaults);
    meter.input(start);
    meter.tick(start + 100, watching);
    meter.tick(start + 900, watching);
    meter.tick(start + 1100, watching);
    meter.tick(start + 3000, watching);
    expect(meter.drain()).toEqual([{ startSecond: start / 1000 + 1, seconds: 3, surface: 'feed' }]);
  });

  it('attributes seconds to the surface and tag current at each tick, in runs', () => {
    const meter = new AttentionMeter(defaults);
    meter.input(start);
    meter.tick(start, watching);
    let at = tickFor(meter, start, 3);
    at = tickFor(meter, at, 2, { ...watching, surface: 'hashtag', tag: 'sourdough' });
    tickFor(meter, at, 2, { ...watching, surface: 'hashtag', tag: 'café' });
    const first = start / 1000 + 1;
    expect(meter.drain()).toEqual([
      { startSecond: first, seconds: 3, surface: 'feed' },
      { startSecond: first + 3, seconds: 2, surface: 'hashtag', tag: 'sourdough' },
      { startSecond: first + 5, seconds: 2, surface: 'hashtag', tag: 'café' },
    ]);
  });

  it('gives back undelivered runs ahead of newer ones', () => {
    const meter = new AttentionMeter(defaults);
    meter.input(start);
    meter.tick(start, watching);
    const at = tickFor(meter, start, 2);
    const undelivered = meter.drain();
    tickFor(meter, at, 2, { ...watching, surface: 'explore' });
    meter.restore(undelivered);
    expect(meter.drain().map((run) => [run.surface, run.seconds])).toEqual([
      ['feed', 2],
      ['explore', 2],
    ]);
  });

  it('honours other thresholds from settings', () => {
    const meter = new AttentionMeter({ idleMs: 10_000, passiveMs: 20_000, maxGapMs: 2500 });
    meter.input(start);
    meter.tick(start, watching);
    tickFor(meter, start, 30);
    expect(total(meter)).toBe(10);
  });
});
