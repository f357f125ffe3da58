/**
 * The weekly aggregate report, computed from what installations uploaded (docs/AGGREGATES.md): pure, so its privacy
 * rules are tested directly. What protects each installation:
 *
 * - **k**: a cohort, and a hashtag, is published only when at least `k` distinct installations contribute to it.
 * - **Bounded contribution**: an installation counts once per cohort (its week's average minutes a day per surface,
 *   clipped to `minutesPerDay`, and views a day, clipped to `viewsPerDay`) and once for each of at most
 *   `tagsPerInstallation` hashtags (the ones it saw most that week).
 * - **Noise**: every published count gets two-sided geometric (discrete Laplace) noise scaled to what one
 *   installation can change, so that the whole report spends at most `epsilon` of one installation's privacy budget:
 *   half on the hashtags, half on the cohorts, split evenly between the four cohort dimensions (an installation is in
 *   one cohort per dimension). Quartiles are read from noisy histograms, never from the exact values.
 */
import type { cohortDimensions, WeeklyAggregateReport } from '../src/shared/contracts/aggregateReport';
import type { UploadDay, UploadEnvironment } from '../src/shared/contracts/upload';
import { type Surface, surfaces } from '../src/shared/domain/routes';

/** What one installation uploaded for the week: its days of the week, and the environment of its latest batch. */
export interface Contribution {
  environment: Pick<UploadEnvironment, 'browser' | 'deviceType' | 'country'>;
  days: readonly Pick<UploadDay, 'surfaces' | 'views' | 'hashtags'>[];
}

export interface ReportSettings {
  k: number;
  epsilon: number;
  /** Uniform in [0, 1): cryptographic in the server (`cryptoRandom`), seeded in tests. */
  random: () => number;
  publishedAt: string;
}

type CohortDimension = (typeof cohortDimensions)[number];
interface Cohort {
  dimension: CohortDimension;
  value: string | null;
  members: Contribution[];
}

export const reportBounds = { tagsPerInstallation: 50, minutesPerDay: 240, viewsPerDay: 1000 } as const;
const budgetShare = { tags: 0.5, cohorts: 0.5 } as const;
const cohortDimensionCount = 4;
/** Published tags, most first, and rising ones. */
const topTags = 100;
const risingTags = 20;
/** Histogram bucket edges: minutes a day, and views a day. */
const minuteEdges = [0, 1, 2, 5, 10, 15, 20, 30, 45, 60, 90, 120, 180, 240];
const viewEdges = [0, 5, 10, 20, 30, 50, 75, 100, 150, 200, 300, 500, 750, 1000];

/** Uniform in [0, 1) from the operating system's cryptographic generator. */
export function cryptoRandom(): number {
  const [high = 0, low = 0] = crypto.getRandomValues(new Uint32Array(2));
  return (high * 2 ** 21 + (low >>> 11)) / 2 ** 53;
}

/**
 * Two-sided geometric noise: P(x) ∝ exp(−ε·|x| / sensitivity). The difference of two geometric variables, each drawn
 * by inverting its distribution function.
 */
export function geometricNoise(epsilon: number, sensitivity: number, random: () => number): number {
  const logAlpha = -epsilon / sensitivity;
  const draw = () => Math.floor(Math.log(1 - random()) / logAlpha);
  return draw() - draw();
}

/** Counts per bucket: bucket i holds values from edges[i] up to edges[i + 1] (the last one includes its end). */
function histogram(values: readonly number[], edges: readonly number[]): number[] {
  const counts = new Array<number>(edges.length - 1).fill(0);
  for (const value of values) {
    let bucket = edges.length - 2;
    for (let index = 0; index < edges.length - 1; index += 1) {
      if (value < (edges[index + 1] ?? Number.POSITIVE_INFINITY)) {
        bucket = index;
        break;
      }
    }
    counts[bucket] = (counts[bucket] ?? 0) + 1;
  }
  return counts;
}

/** The q-quantile of a histogram, interpolated inside its bucket; 0 for an empty one. */
export function quantileOf(counts: readonly number[], edges: readonly number[], q: number): number {
  const total = counts.reduce((sum, count) => sum + count, 0);
  if (total === 0) return 0;
  const target = q * total;
  let before = 0;
  for (const [index, count] of counts.entries()) {
    if (count > 0 && before + count >= target) {
      const low = edges[index] ?? 0;
      const high = edges[index + 1] ?? low;
      return Math.round((low + ((target - before) / count) * (high - low)) * 10) / 10;
    }
    before += count;
  }
  return edges.at(-1) ?? 0;
}

function average(days: Contribution['days'], value: (day: Contribution['days'][number]) => number): number {
  return days.length === 0 ? 0 : days.reduce((sum, day) => sum + value(day), 0) / days.length;
}

/** The tags an installation counts for: the ones it saw most that week, at most `tagsPerInstallation`. */
export function boundedTags(days: Contribution['days']): string[] {
  const seen = new Map<string, number>();
  for (const day of days) {
    for (const [tag, count] of Object.entries(day.hashtags.seen)) seen.set(tag, (seen.get(tag) ?? 0) + count);
  }
  return [...seen]
    .sort(([tagA, a], [tagB, b]) => b - a || (tagA < tagB ? -1 : 1))
    .slice(0, reportBounds.tagsPerInstallation)
    .map(([tag]) => tag);
}

function cohortsOf(contributions: readonly Contribution[]): Map<string, Cohort> {
  const cohorts = new Map<string, Cohort>();
  const add = (dimension: CohortDimension, value: string | null, member: Contribution) => {
    const key = `${dimension}:${value ?? ''}`;
    const cohort = cohorts.get(key) ?? { dimension, value, members: [] };
    cohort.members.push(member);
    cohorts.set(key, cohort);
  };
  for (const member of contributions) {
    add('all', null, member);
    // An installation whose time zone names no single country is in no country's cohort.
    if (member.environment.country !== null) add('country', member.environment.country, member);
    add('deviceType', member.environment.deviceType, member);
    add('browser', member.environment.browser, member);
  }
  return cohorts;
}

/**
 * The report of one week from its contributions (one per installation that uploaded days of it); `previous` is the
 * week before's published report, for the rising tags.
 */
export function computeWeeklyReport(
  week: { isoWeek: string; from: string; to: string },
  contributions: readonly Contribution[],
  previous: WeeklyAggregateReport | null,
  settings: ReportSettings,
): WeeklyAggregateReport {
  const { k, epsilon, random } = settings;
  const noisy = (value: number, budget: number, sensitivity: number) =>
    Math.max(0, value + geometricNoise(budget, sensitivity, random));

  // One count, and one value in each surface's histogram and in the views histogram, per installation and cohort.
  const cohortBudget = (epsilon * budgetShare.cohorts) / cohortDimensionCount;
  const cohortSensitivity = 1 + surfaces.length + 1;
  const cohorts: WeeklyAggregateReport['cohorts'] = [];
  for (const { dimension, value, members } of cohortsOf(contributions).values()) {
    if (members.length < k) continue;
    const noisyHistogram = (values: number[], edges: readonly number[]) =>
      histogram(values, edges).map((count) => noisy(count, cohortBudget, cohortSensitivity));
    const quartilesOf = (values: number[], edges: readonly number[]) => {
      const counts = noisyHistogram(values, edges);
      return {
        p25: quantileOf(counts, edges, 0.25),
        median: quantileOf(counts, edges, 0.5),
        p75: quantileOf(counts, edges, 0.75),
      };
    };
    const minutesPerDay: Partial<Record<Surface, ReturnType<typeof quartilesOf>>> = {};
    for (const surface of surfaces) {
      const values = members.map((member) =>
        Math.min(
          reportBounds.minutesPerDay,
          average(member.days, (day) => (day.surfaces[surface] ?? 0) / 60_000),
        ),
      );
      minutesPerDay[surface] = quartilesOf(values, minuteEdges);
    }
    const views = members.map((member) =>
      Math.min(
        reportBounds.viewsPerDay,
        average(member.days, (day) => day.views.posts + day.views.reels + day.views.stories),
      ),
    );
    cohorts.push({
      dimension,
      value,
      installations: noisy(members.length, cohortBudget, cohortSensitivity),
      minutesPerDay,
      viewsPerDay: quartilesOf(views, viewEdges),
    });
  }

  // Each installation counts once for each of at most tagsPerInstallation tags.
  const tagInstallations = new Map<string, number>();
  for (const member of contributions) {
    for (const tag of boundedTags(member.days)) tagInstallations.set(tag, (tagInstallations.get(tag) ?? 0) + 1);
  }
  const tagBudget = epsilon * budgetShare.tags;
  const published = [...tagInstallations]
    .filter(([, installations]) => installations >= k)
    .map(([tag, installations]) => ({
      tag,
      installations: noisy(installations, tagBudget, reportBounds.tagsPerInstallation),
    }))
    .sort((a, b) => b.installations - a.installations || (a.tag < b.tag ? -1 : 1))
    .slice(0, topTags);
  const before = new Map((previous?.tags.top ?? []).map((entry) => [entry.tag, entry.installations]));
  const rising = published
    .map((entry) => ({ ...entry, previous: before.get(entry.tag) ?? 0 }))
    .filter((entry) => entry.installations > entry.previous)
    .sort((a, b) => b.installations - b.previous - (a.installations - a.previous) || (a.tag < b.tag ? -1 : 1))
    .slice(0, risingTags);

  return {
    week: week.isoWeek,
    from: week.from,
    to: week.to,
    publishedAt: settings.publishedAt,
    privacy: {
      mechanism: 'geometric',
      epsilon,
      k,
      budget: { tags: tagBudget, cohorts: epsilon * budgetShare.cohorts },
      bounds: { ...reportBounds },
    },
    cohorts,
    tags: { top: published, rising },
  };
}
