/**
 * Fixture data for the benchmarks, the screenshots and the accessibility checks: an import document in smartTags' own
 * export format (src/shared/contracts/exportDocument.ts, docs/EXPORT.md) describing a plausible person's Instagram use, imported
 * into the real extension with `{type: 'data.import', document, mode: 'replace'}`.
 *
 * Deterministic: the same options give the same document, byte for byte. Everything random comes from one seeded PRNG
 * (mulberry32), consumed in a fixed order. The only inputs from the environment are the defaults of `now` (the clock)
 * and `timeZone` (the machine's zone), because the extension's pages compute "today" from the real clock: data that
 * should show up as today's has to end on the real today. Pass both to get a fixed document.
 *
 * What it models, and why:
 * - a record for every day (a daily user; the background only writes a day that had use): attention time around 45
 *   minutes, more at weekends, rising slowly over the period, with log-normal noise, so some days have only a minute
 *   or two — averages, trends and the weekday × hour heatmap have something to show;
 * - per-surface time, hours of the day and sessions that add up exactly (surfaces and hours each sum to `activeMs`, as
 *   the background's aggregation guarantees), hours drawn from a morning / lunch / evening profile;
 * - posts, reels and stories viewed in proportion to the time on their surfaces;
 * - hashtags seen on those posts, drawn from a pool of distinct tags with a Zipf-like law (the top tags dominate, the
 *   long tail is seen once or twice), with topical clustering so that co-occurrence has real partners; every tag of
 *   the pool is seen at least once in the period, so a year holds exactly `tags` distinct tags;
 * - co-occurrence pairs counted as the recorder does: once per post, from its first ten tags, "a b" with a < b;
 * - time on tag pages (`hashtagPageMs`) for tags seen that day, summing to the `hashtag` surface's time;
 * - own posts now and then, whose tags are `used` and which raise that account's post count;
 * - one or two own accounts with followers, following and posts on the days their profile was visited: exact numbers,
 *   rounded ones (Instagram shows "12.4K" above 10,000) and, rarely, a count that could not be read (null).
 */

import type { exportDocumentSchema } from '../../src/shared/contracts/exportDocument';
import { addDays, localDateOf, utcMsOfDate } from '../../src/shared/domain/dates';
import { latestPolicy } from '../../src/shared/domain/policy';
import { type Surface, surfaces } from '../../src/shared/domain/routes';
import type { DayRecord } from '../../src/shared/storage/records';
import type { z } from '../../src/shared/zod';

/** What `data.import` accepts: the export document as input to its schema (fields with defaults may be left out). */
export type ImportDocument = z.input<typeof exportDocumentSchema>;
type AccountEntry = ImportDocument['accounts'][number];
type Snapshot = AccountEntry['snapshots'][number];
type Count = Snapshot['followers'];

export interface DatasetOptions {
  /** How many calendar days, ending with `end` (included). */
  days?: number;
  /** The last day (YYYY-MM-DD); default: the local date of `now` in `timeZone`. */
  end?: string;
  /** The moment of the export: recent visits lie before it. Default: the real clock. */
  now?: number;
  /** Distinct hashtags in the pool; every one is seen at least once over the period. */
  tags?: number;
  /** Own accounts (1 or 2). */
  accounts?: 1 | 2;
  /** IANA zone the days were recorded in; default: the machine's zone (the one a browser on it uses). */
  timeZone?: string;
  seed?: number;
}

const dayMs = 86_400_000;
const second = 1000;

/** mulberry32: a small, fast, well-distributed 32-bit PRNG; a fixed seed gives a fixed sequence. */
export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** A standard normal deviate (Box–Muller), for log-normal noise. */
function normal(random: () => number): number {
  const u = Math.max(random(), Number.EPSILON);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/** Splits `total` into parts proportional to `weights`, each a whole number, summing exactly to `total`. */
function apportion(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum <= 0 || total <= 0) return weights.map(() => 0);
  const exact = weights.map((weight) => (total * weight) / sum);
  const parts = exact.map(Math.floor);
  let left = total - parts.reduce((a, b) => a + b, 0);
  // Largest remainders first; ties by index keep it deterministic.
  const order = exact
    .map((value, index) => ({ index, rest: value - Math.floor(value) }))
    .sort((a, b) => b.rest - a.rest);
  for (const { index } of order) {
    if (left <= 0) break;
    parts[index] = (parts[index] ?? 0) + 1;
    left--;
  }
  return parts;
}

// ——— the hashtag pool ———

const heads = (
  'photography travel food love nature art fashion sourdough coffee fitness sunset dog cat baking music ' +
  'style beach design vegan running hiking yoga books garden plants interior architecture ' +
  'streetphotography portrait wedding makeup skincare cooking recipe breakfast pizza sushi ramen tacos ' +
  'brunch wine beer cocktails tea cake bread pasta salad dessert chocolate mountains ocean lake forest ' +
  'winter summer autumn spring rain snow city london paris berlin tokyo newyork rome lisbon barcelona ' +
  'amsterdam cycling climbing surf skate football tennis swimming ski marathon gym film analog drawing ' +
  'painting illustration tattoo ceramics knitting woodwork diy café münchen zürich kaffee straße fika ' +
  'hygge mañana açaí crème'
).split(' ');
const tails = [
  '',
  ...(
    'lover gram life daily photo addict time vibes goals inspo community of love style diary ideas tips ' +
    'club world journal mood days stories hub nerd fam spot guide trip weekend morning night season ' +
    'challenge project studio lab art society feed moments scenes notes corner collective crew house ' +
    'market works'
  ).split(' '),
];

/**
 * `count` distinct tags, most popular first: the bare words first, then word + suffix. A few carry accents or "ß" (NFC,
 * lower-case, as the recorder normalises them), so search and sorting meet non-ASCII tags.
 */
export function hashtagPool(count: number): string[] {
  const pool: string[] = [];
  const seen = new Set<string>();
  for (const tail of tails) {
    for (const head of heads) {
      const tag = `${head}${tail}`.normalize('NFC');
      if (seen.has(tag)) continue;
      seen.add(tag);
      pool.push(tag);
      if (pool.length === count) return pool;
    }
  }
  // Beyond the word list (not needed up to 5,000): numbered tags stay distinct.
  for (let index = pool.length; index < count; index++) pool.push(`tag${index}`);
  return pool;
}

/** Draws pool indices with probability ∝ 1 / (rank + 2)^exponent: a Zipf-like law whose head is not one single tag. */
function zipfSampler(size: number, exponent: number, random: () => number): () => number {
  const cumulative = new Float64Array(size);
  let sum = 0;
  for (let rank = 0; rank < size; rank++) {
    sum += 1 / (rank + 2) ** exponent;
    cumulative[rank] = sum;
  }
  return () => {
    const target = random() * sum;
    let low = 0;
    let high = size - 1;
    while (low < high) {
      const middle = (low + high) >> 1;
      if ((cumulative[middle] ?? 0) < target) low = middle + 1;
      else high = middle;
    }
    return low;
  };
}

// ——— the shape of a day ———

const surfaceWeights: Record<Surface, number> = {
  feed: 34,
  reels: 26,
  stories: 12,
  explore: 9,
  direct: 7,
  profile: 4,
  post: 4,
  hashtag: 3,
  other: 1,
};

/** When in the day sessions start (local hour), weekdays and weekends: a morning, a lunch and an evening peak. */
const weekdayHours = [1, 0.5, 0.2, 0.1, 0.1, 0.3, 2, 5, 6, 3, 2, 2, 5, 4, 2, 2, 2, 3, 4, 6, 8, 9, 7, 3];
const weekendHours = [2, 1, 0.5, 0.2, 0.1, 0.1, 0.5, 1, 3, 5, 6, 6, 5, 4, 3, 3, 3, 4, 5, 6, 8, 9, 8, 5];

/** An instant at about `hour` o'clock local time on `date` in `timeZone` (searched, so any offset and DST work). */
function instantOn(date: string, hour: number, timeZone: string): number {
  let instant = utcMsOfDate(date) + hour * 3_600_000;
  // Offsets are within ±14 h: step towards the date until the zone calls it that date.
  for (let step = 0; step < 28 && localDateOf(instant, timeZone) !== date; step++) {
    instant += localDateOf(instant, timeZone) < date ? 3_600_000 : -3_600_000;
  }
  return instant;
}

interface OwnAccount {
  username: string;
  followers: number;
  following: number;
  posts: number;
  /** Mean change of followers per day. */
  growth: number;
  /** Chance that the profile is visited (and so a snapshot taken) on a day with use. */
  visits: number;
  /** Share of the person's own posts made on this account. */
  share: number;
}

const ownAccounts: readonly OwnAccount[] = [
  // Above 10,000 followers Instagram shows "12.4K": the exact figure is read only when the page carries it.
  { username: 'maya.rivers', followers: 10_850, following: 431, posts: 312, growth: 6, visits: 0.55, share: 0.7 },
  { username: 'maya.bakes', followers: 640, following: 180, posts: 45, growth: 2, visits: 0.25, share: 0.3 },
];

/** Tags the person uses in their own posts most of the time (pool ranks): a baker who travels. */
const signatureRanks = [7, 13, 45, 46, 8, 1, 0, 49, 90, 100 + 7, 200 + 13, 300 + 45, 400 + 7, 500 + 8];

/**
 * Builds the document. Defaults: 365 days ending today, 5,000 distinct tags, 2 accounts (see `yearOfData` and
 * `smallDataset` for the two presets the tests use).
 */
export function buildDataset(options: DatasetOptions = {}): ImportDocument {
  const timeZone = options.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  const now = options.now ?? Date.now();
  const end = options.end ?? localDateOf(now, timeZone);
  const dayCount = options.days ?? 365;
  const tagCount = options.tags ?? 5000;
  const accounts = ownAccounts.slice(0, options.accounts ?? 2);
  const random = prng(options.seed ?? 20261125);
  const pool = hashtagPool(tagCount);
  const zipf = zipfSampler(tagCount, 1.05, random);
  // Posts are about one of `topics` subjects: a post's further tags often come from its first tag's topic, so tags
  // seen together cluster as they do on Instagram. A topic is the pool rank modulo `topics`.
  const topics = Math.max(1, Math.min(40, Math.floor(tagCount / 5)));

  const dates = Array.from({ length: dayCount }, (_, index) => addDays(end, -(dayCount - 1 - index)));

  // Every tag of the pool is seen at least once: tag i is guaranteed a post on day i mod n.
  const guaranteed = new Map<number, number[]>();
  for (let rank = 0; rank < tagCount; rank++) {
    const day = rank % dayCount;
    guaranteed.set(day, [...(guaranteed.get(day) ?? []), rank]);
  }

  const state = accounts.map((account) => ({ ...account }));
  const snapshots: Snapshot[][] = accounts.map(() => []);
  const days: DayRecord[] = [];

  dates.forEach((date, index) => {
    const weekday = new Date(utcMsOfDate(date)).getUTCDay(); // 0 = Sunday
    const weekend = weekday === 0 || weekday === 6;
    // Account growth happens whether or not the person looks.
    for (const account of state) {
      account.followers = Math.max(0, account.followers + Math.round(account.growth + normal(random) * 4));
      if (random() < 0.08) account.following += random() < 0.7 ? 1 : -1;
    }
    const trend = 0.8 + (0.4 * index) / Math.max(1, dayCount - 1);
    const dayFactor = weekend ? 1.35 : weekday === 5 ? 1.1 : 1;
    const partial = index === dayCount - 1 ? 0.6 : 1; // today is not over yet
    const minutes = Math.min(600, 45 * trend * dayFactor * partial * Math.exp(0.45 * normal(random)));
    const activeSeconds = Math.max(60, Math.round(minutes * 60));

    const surfaceSeconds = apportion(
      activeSeconds,
      surfaces.map((surface) => surfaceWeights[surface] * (0.5 + random())),
    );
    const surfaceMs = Object.fromEntries(
      surfaces.map((surface, position) => [surface, (surfaceSeconds[position] ?? 0) * second]),
    ) as Record<Surface, number>;
    const minutesOn = (surface: Surface) => surfaceMs[surface] / 60_000;

    // Sessions: about one per 12 minutes of use; each starts at an hour drawn from the profile and may spill over.
    const sessions = Math.max(1, Math.min(14, Math.round(minutes / 12 + normal(random) * 0.8)));
    const profile = weekend ? weekendHours : weekdayHours;
    const profileSum = profile.reduce((a, b) => a + b, 0);
    const hourSeconds = Array.from({ length: 24 }, () => 0);
    const sessionSeconds = apportion(
      activeSeconds,
      Array.from({ length: sessions }, () => 0.3 + random()),
    );
    for (const length of sessionSeconds) {
      let target = random() * profileSum;
      let hour = 0;
      while (hour < 23 && target >= (profile[hour] ?? 0)) target -= profile[hour++] ?? 0;
      let left = length;
      // A full hour moves on to the next; a day never holds more than 24 hours of use, so this ends.
      for (let guard = 0; left > 0 && guard < 48; guard++, hour = (hour + 1) % 24) {
        const room = 3600 - (hourSeconds[hour] ?? 0);
        const put = Math.min(room, left);
        hourSeconds[hour] = (hourSeconds[hour] ?? 0) + put;
        left -= put;
      }
    }

    const views = {
      posts: Math.round(
        minutesOn('feed') * 3.5 + minutesOn('explore') * 2 + minutesOn('hashtag') * 3 + minutesOn('post') * 2,
      ),
      reels: Math.round(minutesOn('reels') * 5),
      stories: Math.round(minutesOn('stories') * 7),
    };

    const seen: Record<string, number> = {};
    const pairs: Record<string, number> = {};
    const countPost = (ranks: number[]) => {
      const tags = ranks.map((rank) => pool[rank] ?? `tag${rank}`);
      for (const tag of tags) seen[tag] = (seen[tag] ?? 0) + 1;
      // As the recorder counts them: once per post, from its first ten tags, the two in code-point order.
      const first = tags.slice(0, 10);
      for (let a = 0; a < first.length; a++) {
        for (let b = a + 1; b < first.length; b++) {
          const x = first[a] as string;
          const y = first[b] as string;
          const key = x < y ? `${x} ${y}` : `${y} ${x}`;
          pairs[key] = (pairs[key] ?? 0) + 1;
        }
      }
    };
    const postTags = (firstRank: number, count: number) => {
      const ranks = [firstRank];
      const topic = firstRank % topics;
      for (let attempt = 0; ranks.length < count && attempt < count * 4; attempt++) {
        let rank = zipf();
        // Half of the further tags come from the first tag's topic, at a similar popularity.
        if (random() < 0.5) rank = Math.min(tagCount - 1, rank - (rank % topics) + topic);
        if (!ranks.includes(rank)) ranks.push(rank);
      }
      return ranks;
    };
    for (let post = 0; post < views.posts; post++) {
      if (random() >= 0.65) continue; // a third of posts carry no hashtag
      // 1 to 15 tags, most posts few: some carry more than the ten the recorder pairs.
      countPost(postTags(zipf(), 1 + Math.floor(random() ** 1.8 * 15)));
    }
    // The day's share of the long tail: tags not met yet today get a post of their own, with two popular companions.
    const pending = (guaranteed.get(index) ?? []).filter((rank) => seen[pool[rank] ?? ''] === undefined);
    for (const rank of pending) {
      countPost(postTags(rank, 3));
      views.posts++;
    }

    // Time on tag pages: the hashtag surface's time, split over one to four tags seen today (mostly popular ones).
    const hashtagPageMs: Record<string, number> = {};
    if (surfaceMs.hashtag > 0) {
      const candidates = Object.keys(seen)
        .sort((a, b) => (seen[b] ?? 0) - (seen[a] ?? 0) || (a < b ? -1 : 1))
        .slice(0, 20);
      const visited = [
        ...new Set(
          Array.from({ length: 1 + Math.floor(random() * 4) }, () => {
            return candidates[Math.floor(random() ** 2 * candidates.length)] as string;
          }),
        ),
      ];
      const split = apportion(
        surfaceMs.hashtag / second,
        visited.map(() => 0.2 + random()),
      );
      visited.forEach((tag, position) => {
        const ms = (split[position] ?? 0) * second;
        if (ms > 0) hashtagPageMs[tag] = ms;
      });
    }

    // Own posts: about one every four days, on one of the accounts, with 4–12 tags mostly from a signature set.
    const used: Record<string, number> = {};
    if (random() < 0.27) {
      const count = 4 + Math.floor(random() * 9);
      const ranks = new Set<number>();
      for (let attempt = 0; ranks.size < count && attempt < 50; attempt++) {
        const rank = random() < 0.7 ? (signatureRanks[Math.floor(random() * signatureRanks.length)] ?? 0) : zipf();
        if (rank < tagCount) ranks.add(rank);
      }
      for (const rank of ranks) {
        const tag = pool[rank] ?? `tag${rank}`;
        used[tag] = (used[tag] ?? 0) + 1;
      }
      const on = random() < (state[0]?.share ?? 1) || state.length === 1 ? 0 : 1;
      const account = state[on];
      if (account) account.posts++;
    }

    days.push({
      date,
      timeZone,
      activeMs: activeSeconds * second,
      surfaces: surfaceMs,
      sessions,
      hours: hourSeconds.map((seconds) => seconds * second),
      views,
      hashtags: { seen, used },
      hashtagPageMs,
      hashtagPairs: pairs,
      // About two fifths of reels time is watched without touching anything (the passive rule).
      passiveSurfaces: { reels: Math.round((surfaceMs.reels * 0.4) / second) * second },
    });

    // Snapshots: taken when the person opened their own profile that day (and always on the last day).
    state.forEach((account, position) => {
      if (index !== dayCount - 1 && random() >= account.visits) return;
      snapshots[position]?.push({
        date,
        observedAt: new Date(instantOn(date, 12 + Math.floor(random() * 8), timeZone)).toISOString(),
        followers: readCount(account.followers, random),
        following: readCount(account.following, random),
        posts: random() < 0.03 ? null : { value: account.posts, exact: true },
      });
    });
  });

  // The newest 100 page loads (all the extension keeps), over the 48 hours before `now`, newest last.
  const surfaceTotal = surfaces.reduce((sum, surface) => sum + surfaceWeights[surface], 0);
  const visits = Array.from({ length: 100 }, () => {
    let target = random() * surfaceTotal;
    let surface: Surface = 'other';
    for (const candidate of surfaces) {
      target -= surfaceWeights[candidate];
      if (target < 0) {
        surface = candidate;
        break;
      }
    }
    return { surface, seenAt: now - Math.floor(random() * 2 * dayMs) };
  })
    .sort((a, b) => a.seenAt - b.seenAt)
    .map((visit) => ({ surface: visit.surface, seenAt: new Date(visit.seenAt).toISOString() }));

  const firstDay = dates[0] ?? end;
  const grantedAt = new Date(instantOn(firstDay, 9, timeZone)).toISOString();
  const policyVersion = latestPolicy().version;
  return {
    format: 'smarttags-export',
    version: 1,
    exportedAt: new Date(now).toISOString(),
    policyVersion,
    // Never imported (consent is given in smartTags, not by a file), but part of the format.
    consent: { usage: true, account: true, uploadUsage: false, uploadAccount: false },
    consentLedger: (['usage', 'account'] as const).map((scope) => ({
      at: grantedAt,
      scope,
      granted: true,
      policyVersion,
      source: 'onboarding' as const,
    })),
    settings: { retentionDays: null, idleSeconds: 60, passiveSeconds: 180 },
    days,
    accounts: accounts
      .map((account, position) => ({ username: account.username, snapshots: snapshots[position] ?? [] }))
      .sort((a, b) => (a.username < b.username ? -1 : 1)),
    visits,
  };
}

/** A count as the content script reads it: exact below 10,000; above, exact when the page had it, else "12.4K". */
function readCount(value: number, random: () => number): Count {
  if (random() < 0.01) return null;
  if (value < 10_000 || random() < 0.7) return { value, exact: true };
  return { value: Math.round(value / 100) * 100, exact: false };
}

/** The year the performance goals are stated for: 365 days, 5,000 distinct hashtags, 2 accounts. */
export function yearOfData(options: Omit<DatasetOptions, 'days' | 'tags' | 'accounts'> = {}): ImportDocument {
  return buildDataset({ ...options, days: 365, tags: 5000, accounts: 2 });
}

/** A month with a few tags and one account: readable screenshots. */
export function smallDataset(options: Omit<DatasetOptions, 'days' | 'tags' | 'accounts'> = {}): ImportDocument {
  return buildDataset({ ...options, days: 30, tags: 60, accounts: 1 });
}
