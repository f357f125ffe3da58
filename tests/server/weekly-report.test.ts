/**
 * The weekly aggregate report's privacy rules (server/weekly-report.ts; promise: a published report protects every
 * individual): nothing is published for fewer than k installations, one installation's contribution is bounded, and
 * the noise follows the two-sided geometric distribution it is said to (a statistical test with a fixed seed).
 */
import { describe, expect, it } from 'vitest';
import {
  boundedTags,
  type Contribution,
  computeWeeklyReport,
  cryptoRandom,
  geometricNoise,
  quantileOf,
  reportBounds,
} from '../../server/weekly-report';
import { weeklyAggregateReport } from '../../src/shared/contracts/aggregateReport';
import { prng } from '../support/yearOfData';
import { makeDay } from './helpers';

const week = { isoWeek: '2026-W48', from: '2026-11-23', to: '2026-11-29' };
const settings = { k: 20, epsilon: 1, random: prng(7), publishedAt: '2026-12-01T00:00:00.000Z' };

function member(
  environment: Partial<Contribution['environment']> = {},
  { minutes = 30, tags = ['sourdough'] }: { minutes?: number; tags?: string[] } = {},
): Contribution {
  const day = makeDay('2026-11-24', minutes * 60_000, {
    hashtags: { seen: Object.fromEntries(tags.map((tag) => [tag, 1])), used: {} },
  });
  return { environment: { browser: 'firefox', deviceType: 'desktop', country: 'DE', ...environment }, days: [day] };
}

describe('k: nothing is published for fewer than k installations', () => {
  it('19 installations: no cohort and no tag; 20: the cohort and the tag appear', () => {
    const nineteen = computeWeeklyReport(
      week,
      Array.from({ length: 19 }, () => member()),
      null,
      settings,
    );
    expect(weeklyAggregateReport.parse(nineteen).cohorts).toEqual([]);
    expect(nineteen.tags.top).toEqual([]);
    const twenty = computeWeeklyReport(
      week,
      Array.from({ length: 20 }, () => member()),
      null,
      settings,
    );
    expect(twenty.cohorts.map((cohort) => `${cohort.dimension}:${cohort.value}`).sort()).toEqual([
      'all:null',
      'browser:firefox',
      'country:DE',
      'deviceType:desktop',
    ]);
    expect(twenty.tags.top.map((entry) => entry.tag)).toEqual(['sourdough']);
  });

  it('a cohort under k is left out while the others are published', () => {
    const contributions = [
      ...Array.from({ length: 25 }, () => member({ country: 'DE' })),
      ...Array.from({ length: 19 }, () => member({ country: 'FR' })),
    ];
    const report = computeWeeklyReport(week, contributions, null, settings);
    const countries = report.cohorts.filter((cohort) => cohort.dimension === 'country').map((cohort) => cohort.value);
    expect(countries).toEqual(['DE']);
    // A time zone that names no single country puts an installation in no country's cohort.
    const stateless = computeWeeklyReport(
      week,
      Array.from({ length: 20 }, () => member({ country: null })),
      null,
      settings,
    );
    expect(stateless.cohorts.some((cohort) => cohort.dimension === 'country')).toBe(false);
  });
});

describe('one installation’s contribution is bounded', () => {
  it('counts at most 50 tags per installation: the ones it saw most', () => {
    const day = makeDay('2026-11-24', 60_000, {
      hashtags: { seen: Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`tag${i}`, i])), used: {} },
    });
    const counted = boundedTags([day]);
    expect(counted).toHaveLength(reportBounds.tagsPerInstallation);
    expect(counted[0]).toBe('tag499');
    expect(counted).not.toContain('tag0');
  });

  it('clips minutes a day at the bound, so one heavy user cannot move the quartiles past it', () => {
    const contributions = [
      ...Array.from({ length: 30 }, () => member({}, { minutes: 20 })),
      ...Array.from({ length: 30 }, () => member({}, { minutes: 100_000 })),
    ];
    const report = computeWeeklyReport(week, contributions, null, { ...settings, epsilon: 1_000 });
    const feed = report.cohorts.find((cohort) => cohort.dimension === 'all')?.minutesPerDay.feed;
    expect(feed?.p75).toBeLessThanOrEqual(reportBounds.minutesPerDay);
    expect(feed?.p25).toBeLessThan(30);
  });

  it('with almost no noise (a huge ε) the quartiles and counts are the exact ones', () => {
    const contributions = Array.from({ length: 40 }, (_, i) => member({}, { minutes: i < 20 ? 12 : 50 }));
    const report = computeWeeklyReport(week, contributions, null, { ...settings, epsilon: 100_000 });
    const all = report.cohorts.find((cohort) => cohort.dimension === 'all');
    expect(all?.installations).toBe(40);
    expect(all?.minutesPerDay.feed?.p25).toBeGreaterThanOrEqual(10);
    expect(all?.minutesPerDay.feed?.p25).toBeLessThan(15);
    expect(all?.minutesPerDay.feed?.p75).toBeGreaterThanOrEqual(45);
    expect(all?.minutesPerDay.feed?.p75).toBeLessThan(60);
    expect(report.tags.top).toEqual([{ tag: 'sourdough', installations: 40 }]);
  });
});

describe('the noise', () => {
  it('follows the two-sided geometric distribution: P(0), mean and variance within tolerance (fixed seed)', () => {
    const random = prng(20_261_204);
    const epsilon = 1;
    const alpha = Math.exp(-epsilon);
    const draws = Array.from({ length: 200_000 }, () => geometricNoise(epsilon, 1, random));
    expect(draws.every(Number.isInteger)).toBe(true);
    const mean = draws.reduce((sum, x) => sum + x, 0) / draws.length;
    const variance = draws.reduce((sum, x) => sum + (x - mean) ** 2, 0) / draws.length;
    const zeros = draws.filter((x) => x === 0).length / draws.length;
    expect(Math.abs(mean)).toBeLessThan(0.02);
    expect(zeros).toBeCloseTo((1 - alpha) / (1 + alpha), 2);
    expect(variance / ((2 * alpha) / (1 - alpha) ** 2)).toBeGreaterThan(0.97);
    expect(variance / ((2 * alpha) / (1 - alpha) ** 2)).toBeLessThan(1.03);
    // Symmetric: as many +1 as −1, each near its probability.
    const ones = draws.filter((x) => x === 1).length / draws.length;
    const minusOnes = draws.filter((x) => x === -1).length / draws.length;
    expect(ones).toBeCloseTo(((1 - alpha) / (1 + alpha)) * alpha, 2);
    expect(minusOnes).toBeCloseTo(ones, 2);
  });

  it('scales with the sensitivity over ε', () => {
    const random = prng(3);
    const spread = (sensitivity: number) => {
      const draws = Array.from({ length: 50_000 }, () => Math.abs(geometricNoise(0.5, sensitivity, random)));
      return draws.reduce((sum, x) => sum + x, 0) / draws.length;
    };
    expect(spread(50) / spread(5)).toBeGreaterThan(8);
  });

  it('comes from the cryptographic generator in the server: uniform in [0, 1)', () => {
    const draws = Array.from({ length: 10_000 }, cryptoRandom);
    expect(draws.every((x) => x >= 0 && x < 1)).toBe(true);
    const mean = draws.reduce((sum, x) => sum + x, 0) / draws.length;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.02);
  });

  it('reads quartiles from a histogram, inside the bucket that holds them', () => {
    expect(quantileOf([0, 10, 10, 0], [0, 10, 20, 30, 40], 0.5)).toBe(20);
    expect(quantileOf([0, 10, 10, 0], [0, 10, 20, 30, 40], 0.25)).toBe(15);
    expect(quantileOf([0, 0, 0], [0, 1, 2, 3], 0.5)).toBe(0);
  });
});

it('names the rising tags against the week before’s published counts', () => {
  const previous = computeWeeklyReport(
    week,
    Array.from({ length: 30 }, (_, i) => member({}, { tags: i < 25 ? ['bread', 'cake'] : ['bread'] })),
    null,
    { ...settings, epsilon: 100_000 },
  );
  const next = computeWeeklyReport(
    { isoWeek: '2026-W49', from: '2026-11-30', to: '2026-12-06' },
    Array.from({ length: 30 }, () => member({}, { tags: ['bread', 'cake'] })),
    previous,
    { ...settings, epsilon: 100_000 },
  );
  expect(next.tags.rising).toEqual([{ tag: 'cake', installations: 30, previous: 25 }]);
});
