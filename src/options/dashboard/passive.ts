/**
 * Passive time on the dashboard: of each surface's time, the part counted only because a video stayed on screen
 * without input (`passiveSurfaces`, docs/DATA_MODEL.md). Active time is the rest. Days from before it was kept apart
 * have none.
 */
import { surfaces } from '../../shared/domain/routes';
import type { DayTotalsRecord } from '../../shared/storage/records';

/** A day's passive time over all surfaces. */
export function passiveMsOf(day: DayTotalsRecord): number {
  let sum = 0;
  for (const surface of surfaces) sum += day.passiveSurfaces[surface] ?? 0;
  return sum;
}
