/**
 * Passive time on the dashboard: of each surface's time, the part counted only because a video stayed on screen
 * without input (`passiveSurfaces`, docs/DATA_MODEL.md). Active time is the rest. Days from before it was kept apart
 * have none.
 */
import { type Surface, surfaces } from '../../shared/domain/routes';
import type { DayRecord } from '../../shared/storage/records';

/** A day's passive time over all surfaces. */
export function passiveMsOf(day: DayRecord): number {
  let sum = 0;
  for (const surface of surfaces) sum += day.passiveSurfaces[surface] ?? 0;
  return sum;
}

/** Passive time per surface, summed over the days. */
export function passiveTotals(days: readonly DayRecord[]): Record<Surface, number> {
  const result = Object.fromEntries(surfaces.map((surface) => [surface, 0])) as Record<Surface, number>;
  for (const day of days) for (const surface of surfaces) result[surface] += day.passiveSurfaces[surface] ?? 0;
  return result;
}
