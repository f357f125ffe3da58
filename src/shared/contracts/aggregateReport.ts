/**
 * The weekly aggregate report a reference server publishes (`GET /v1/reports/weekly/<ISO week>`): figures over the
 * installations that uploaded days of that week, each published only when at least `privacy.k` installations
 * contribute to it, counts with noise from the geometric mechanism (docs/AGGREGATES.md says how, and what it
 * protects). Public: it names no installation, and it is computed once and frozen.
 */
import { surface } from '../storage/records';
import { z } from '../zod';

export const isoWeek = z.string().regex(/^\d{4}-W(0[1-9]|[1-4]\d|5[0-3])$/, 'must be an ISO week like 2026-W48');

/** Of the installations' daily figures, the quartiles (read from a noisy histogram). */
const quartiles = z.object({
  p25: z.number().nonnegative(),
  median: z.number().nonnegative(),
  p75: z.number().nonnegative(),
});

export const cohortDimensions = ['all', 'country', 'deviceType', 'browser'] as const;

const cohort = z.object({
  dimension: z.enum(cohortDimensions),
  /** The country code, device type or browser; null for `all`. */
  value: z.string().nullable(),
  /** How many installations contributed, with noise. */
  installations: z.number().int().nonnegative(),
  /** Per surface: minutes a day, averaged over each installation's days of the week. */
  minutesPerDay: z.partialRecord(surface, quartiles),
  /** Posts, reels and stories viewed a day, averaged the same way. */
  viewsPerDay: quartiles,
});

const tagCount = z.object({
  tag: z.string(),
  /** Installations that saw the tag during the week, with noise. */
  installations: z.number().int().nonnegative(),
});

export const weeklyAggregateReport = z.object({
  week: isoWeek,
  /** The week's dates, Monday to Sunday. */
  from: z.string(),
  to: z.string(),
  publishedAt: z.string(),
  privacy: z.object({
    mechanism: z.literal('geometric'),
    /** The privacy budget one installation spends on this report, split as `budget` says. */
    epsilon: z.number().positive(),
    k: z.number().int().min(10),
    budget: z.object({ tags: z.number().positive(), cohorts: z.number().positive() }),
    bounds: z.object({
      tagsPerInstallation: z.number().int().positive(),
      minutesPerDay: z.number().int().positive(),
      viewsPerDay: z.number().int().positive(),
    }),
  }),
  cohorts: z.array(cohort),
  tags: z.object({
    top: z.array(tagCount),
    /** Tags seen by more installations than the week before (as that week's report published them). */
    rising: z.array(tagCount.extend({ previous: z.number().int().nonnegative() })),
  }),
});
export type WeeklyAggregateReport = z.infer<typeof weeklyAggregateReport>;
