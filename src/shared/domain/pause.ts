/**
 * Pausing recording for a while ("pause for 1 hour", "pause until tomorrow"). Pure: the popup computes when a pause
 * ends, the background stores it and checks it at every write and when it publishes the content scripts' gate.
 */
import { localDateOf } from './dates';

const pauseChoices = ['hour', 'tomorrow'] as const;
export type PauseChoice = (typeof pauseChoices)[number];

/** The longest pause the background accepts: "until tomorrow" is at most a day away, plus a DST hour. */
export const longestPauseMs = 25 * 3_600_000;

export function isPaused(pausedUntil: number | null, now: number): boolean {
  return pausedUntil !== null && pausedUntil > now;
}

/**
 * The first instant of the next local calendar day in `timeZone`. Found by bisection over whole minutes on the
 * calendar date itself, so a DST change (a 23- or 25-hour day, or a zone whose midnight is skipped) needs no rule of
 * its own.
 */
export function startOfNextDay(now: number, timeZone: string): number {
  const today = localDateOf(now, timeZone);
  const minute = 60_000;
  let before = Math.floor(now / minute) * minute; // still today
  let after = before + 26 * 3_600_000; // surely tomorrow or later
  while (after - before > minute) {
    const middle = before + Math.floor((after - before) / 2 / minute) * minute;
    if (localDateOf(middle, timeZone) === today) before = middle;
    else after = middle;
  }
  return after;
}

/** When a pause chosen now ends. */
export function pauseEnd(choice: PauseChoice, now: number, timeZone: string): number {
  return choice === 'hour' ? now + 3_600_000 : startOfNextDay(now, timeZone);
}
