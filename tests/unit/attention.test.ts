/**
 * The attention rule (src/content/attention.ts), measured from events instead of a once-a-second tick: what counts,
 * what counts as passive, and — on random sequences of input and page changes — the same seconds as the tick model it
 * replaced (tests/unit/helpers/tickModel.ts), within one second per span.
 */
import { describe, expect, it } from 'vitest';
import { AttentionMeter, type AttentionRun, type AttentionSettings, type PageState } from '../../src/content/attention';
import { defaultIdleSeconds, defaultPassiveSeconds } from '../../src/shared/domain/attention';
import type { Surface } from '../../src/shared/domain/routes';
import { TickModel } from './helpers/tickModel';

/** The thresholds a person who changed nothing has. */
const defaults: AttentionSettings = { idleMs: defaultIdleSeconds * 1000, passiveMs: defaultPassiveSeconds * 1000 };

const watching: PageState = { visible: true, focused: true, videoOnScreen: false, surface: 'feed' };
const reels: PageState = { ...watching, surface: 'reels', videoOnScreen: true };
const start = Date.UTC(2026, 10, 25, 12, 0, 0);
const first = start / 1000;

const total = (runs: AttentionRun[]) => runs.reduce((sum, run) => sum + run.seconds, 0);

describe('AttentionMeter', () => {
  it('counts each second after input while the tab is visible and focused', () => {
    const meter = new AttentionMeter(defaults, watching, start);
    meter.input(start);
    expect(meter.drain(start + 30_000)).toEqual([{ startSecond: first, seconds: 30, surface: 'feed' }]);
  });

  it('stops counting at the idle threshold without input, and says when', () => {
    const meter = new AttentionMeter(defaults, watching, start);
    meter.input(start);
    expect(meter.deadline()).toBe(start + 60_000);
    expect(meter.isAttentive(start + 59_999)).toBe(true);
    expect(meter.isAttentive(start + 60_000)).toBe(false);
    expect(total(meter.drain(start + 120_000))).toBe(60);
  });

  it('keeps counting a video surface on screen up to the passive limit, the time past the idle threshold as passive', () => {
    const meter = new AttentionMeter(defaults, reels, start);
    meter.input(start);
    expect(meter.drain(start + 300_000)).toEqual([
      { startSecond: first, seconds: 60, surface: 'reels' },
      { startSecond: first + 60, seconds: 120, surface: 'reels', passive: true },
    ]);
    expect(meter.isPassive(start + 90_000)).toBe(true);
  });

  it('input restarts the idle clock, and only input after attention lapsed is a resumption', () => {
    const meter = new AttentionMeter(defaults, watching, start);
    expect(meter.input(start)).toBe(true);
    expect(meter.input(start + 50_000)).toBe(false);
    expect(total(meter.drain(start + 150_000))).toBe(110);
    expect(meter.input(start + 200_000)).toBe(true);
    expect(total(meter.drain(start + 210_000))).toBe(10);
  });

  it('input on a video surface after the idle threshold turns passive time back into active time', () => {
    const meter = new AttentionMeter(defaults, reels, start);
    meter.input(start);
    expect(meter.input(start + 100_000)).toBe(true);
    expect(meter.drain(start + 110_000)).toEqual([
      { startSecond: first, seconds: 60, surface: 'reels' },
      { startSecond: first + 60, seconds: 40, surface: 'reels', passive: true },
      { startSecond: first + 100, seconds: 10, surface: 'reels' },
    ]);
  });

  it.each([
    ['hidden', { ...watching, visible: false }],
    ['in an unfocused window', { ...watching, focused: false }],
  ])('does not count a tab that is %s', (_label, state) => {
    const meter = new AttentionMeter(defaults, state, start);
    meter.input(start);
    expect(meter.deadline()).toBeUndefined();
    expect(total(meter.drain(start + 10_000))).toBe(0);
  });

  it('counts nothing before the first input', () => {
    const meter = new AttentionMeter(defaults, reels, start);
    expect(meter.deadline()).toBeUndefined();
    expect(meter.drain(start + 10_000)).toEqual([]);
  });

  it('attributes seconds to the surface and tag current at each instant, in runs', () => {
    const meter = new AttentionMeter(defaults, watching, start);
    meter.input(start);
    meter.change(start + 3000, { ...watching, surface: 'hashtag', tag: 'sourdough' });
    meter.change(start + 5000, { ...watching, surface: 'hashtag', tag: 'café' });
    expect(meter.drain(start + 7000)).toEqual([
      { startSecond: first, seconds: 3, surface: 'feed' },
      { startSecond: first + 3, seconds: 2, surface: 'hashtag', tag: 'sourdough' },
      { startSecond: first + 5, seconds: 2, surface: 'hashtag', tag: 'café' },
    ]);
  });

  it('a drain in the middle of a span splits nothing: the next drain goes on from there', () => {
    const meter = new AttentionMeter(defaults, watching, start);
    meter.input(start);
    const before = meter.drain(start + 2500);
    const after = meter.drain(start + 6000);
    expect(before).toEqual([{ startSecond: first, seconds: 3, surface: 'feed' }]);
    expect(after).toEqual([{ startSecond: first + 3, seconds: 3, surface: 'feed' }]);
  });

  it('keeps a run within what a report may carry (3600 s)', () => {
    const meter = new AttentionMeter(defaults, watching, start);
    for (let at = start; at <= start + 7_200_000; at += 30_000) meter.input(at);
    const runs = meter.drain(start + 7_200_000);
    expect(runs.every((run) => run.seconds <= 3600)).toBe(true);
    expect(total(runs)).toBe(7200);
  });

  it('gives back undelivered runs ahead of newer ones', () => {
    const meter = new AttentionMeter(defaults, watching, start);
    meter.input(start);
    const undelivered = meter.drain(start + 2000);
    meter.change(start + 2000, { ...watching, surface: 'explore' });
    const newer = meter.drain(start + 4000);
    meter.restore(undelivered);
    meter.restore(newer);
    expect(meter.drain(start + 4000).map((run) => [run.surface, run.seconds])).toEqual([
      ['explore', 2],
      ['feed', 2],
    ]);
  });

  it('honours other thresholds from settings, from the instant they change', () => {
    const meter = new AttentionMeter({ idleMs: 10_000, passiveMs: 20_000 }, watching, start);
    meter.input(start);
    expect(total(meter.drain(start + 30_000))).toBe(10);
    meter.input(start + 40_000);
    meter.reconfigure(start + 45_000, { idleMs: 30_000, passiveMs: 60_000 });
    expect(total(meter.drain(start + 100_000))).toBe(30);
  });
});

/** A small seeded generator, so a failing sequence can be replayed from its seed. */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4_294_967_296;
  };
}

type Happening = { at: number; input: true } | { at: number; state: PageState };

const places: Array<Pick<PageState, 'surface' | 'tag'>> = [
  { surface: 'feed' },
  { surface: 'reels' },
  { surface: 'stories' },
  { surface: 'hashtag', tag: 'sourdough' },
  { surface: 'explore' },
];

/** Half an hour of someone using Instagram: bursts of input, pauses, tab and window switches, routes, videos. */
function session(random: () => number, from: number): Happening[] {
  const happenings: Happening[] = [];
  let state: PageState = { ...watching };
  let at = from;
  while (at < from + 1_800_000) {
    at += Math.floor(random() * (random() < 0.8 ? 4000 : 150_000));
    const roll = random();
    if (roll < 0.6) {
      happenings.push({ at, input: true });
      continue;
    }
    if (roll < 0.7) state = { ...state, visible: !state.visible };
    else if (roll < 0.8) state = { ...state, focused: !state.focused };
    else if (roll < 0.9) state = { ...state, videoOnScreen: !state.videoOnScreen };
    else {
      const place = places[Math.floor(random() * places.length)] ?? places[0];
      state = { ...state, surface: place?.surface ?? 'feed', tag: place?.tag };
    }
    happenings.push({ at, state });
  }
  return happenings;
}

/** Seconds counted per surface and kind (active or passive), and how many spans of each there were. */
function tally(runs: AttentionRun[]): Map<string, { seconds: number; spans: number }> {
  const bySecond = new Map<number, string>();
  for (const run of runs) {
    for (let second = run.startSecond; second < run.startSecond + run.seconds; second += 1) {
      bySecond.set(second, `${run.surface}${run.passive ? ' passive' : ''}`);
    }
  }
  const result = new Map<string, { seconds: number; spans: number }>();
  for (const [second, key] of bySecond) {
    const entry = result.get(key) ?? { seconds: 0, spans: 0 };
    entry.seconds += 1;
    if (bySecond.get(second - 1) !== key) entry.spans += 1;
    result.set(key, entry);
  }
  return result;
}

function spansOf(runs: AttentionRun[]): number {
  const seconds = new Set(runs.flatMap((run) => Array.from({ length: run.seconds }, (_, i) => run.startSecond + i)));
  return [...seconds].filter((second) => !seconds.has(second - 1)).length;
}

describe('AttentionMeter against the tick model it replaced', () => {
  const settings: AttentionSettings[] = [
    defaults,
    { idleMs: 10_000, passiveMs: 30_000 },
    { idleMs: 600_000, passiveMs: 30_000 },
  ];

  it.each(Array.from({ length: 60 }, (_, seed) => seed + 1))(
    'random session %i: the same seconds, per surface and kind, within one second per span',
    (seed) => {
      const random = generator(seed);
      const thresholds = settings[seed % settings.length] ?? defaults;
      // A tick model whose ticks fall anywhere within the second, as a timer's do.
      const phase = Math.floor(random() * 1000);
      const from = start + phase;
      const happenings = session(random, from);
      const end = (happenings.at(-1)?.at ?? from) + 300_000;

      const meter = new AttentionMeter(thresholds, watching, from);
      const ticks = new TickModel(thresholds);
      let state = watching;
      let next = 0;
      ticks.tick(from, state);
      for (let tick = from + 1000; tick <= end; tick += 1000) {
        for (let happening = happenings[next]; happening && happening.at <= tick; happening = happenings[++next]) {
          if ('input' in happening) {
            meter.input(happening.at);
            ticks.input(happening.at);
          } else {
            state = happening.state;
            meter.change(happening.at, state);
          }
        }
        ticks.tick(tick, state);
      }
      const measured = meter.drain(end);
      const reference = ticks.runs;

      const spans = Math.max(spansOf(measured), spansOf(reference));
      expect(Math.abs(total(measured) - total(reference))).toBeLessThanOrEqual(spans);
      const ours = tally(measured);
      const theirs = tally(reference);
      for (const key of new Set([...ours.keys(), ...theirs.keys()])) {
        const a = ours.get(key) ?? { seconds: 0, spans: 0 };
        const b = theirs.get(key) ?? { seconds: 0, spans: 0 };
        expect(Math.abs(a.seconds - b.seconds), key).toBeLessThanOrEqual(Math.max(a.spans, b.spans));
      }
      // The sessions are not trivial: attention was counted, on more than one surface.
      expect(total(reference)).toBeGreaterThan(0);
    },
  );

  it('the sessions cover every surface and both kinds of time', () => {
    const kinds = new Set<string>();
    for (let seed = 1; seed <= 60; seed += 1) {
      const random = generator(seed);
      random();
      const happenings = session(random, start);
      const meter = new AttentionMeter(defaults, watching, start);
      for (const happening of happenings) {
        if ('input' in happening) meter.input(happening.at);
        else meter.change(happening.at, happening.state);
      }
      for (const key of tally(meter.drain((happenings.at(-1)?.at ?? start) + 300_000)).keys()) kinds.add(key);
    }
    const surfaces: Surface[] = ['feed', 'reels', 'stories', 'hashtag', 'explore'];
    for (const surface of surfaces) expect(kinds.has(surface), surface).toBe(true);
    expect(kinds.has('reels passive')).toBe(true);
  });
});
