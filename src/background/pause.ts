/**
 * Pausing recording. The end of a pause lives in the settings row and an alarm wakes the background at that instant to
 * open the content scripts' gate again; the writers check the stored end themselves, so a lost alarm (or a worker
 * stopped before it fired) can delay only the gate's reopening, never let anything be recorded during a pause.
 */
import { isPaused, longestPauseMs } from '../shared/domain/pause';
import { applyConsentEffects } from './consent';
import type { BackgroundContext } from './context';
import { readSettings, updateSettings } from './settings';

export const resumeAlarm = 'recording-resume';

export type PauseOutcome = { ok: true; pausedUntil: number | null } | { ok: false; reason: string };

/** Pauses recording until `until`, or with null resumes it now. */
export async function pauseRecording(context: BackgroundContext, until: number | null): Promise<PauseOutcome> {
  const now = context.now();
  if (until !== null && (until <= now || until > now + longestPauseMs)) {
    return { ok: false, reason: 'A pause must end in the future and within 25 hours.' };
  }
  await updateSettings(context, { pausedUntil: until });
  await context.platform.scheduleResume(until);
  await applyConsentEffects(context);
  return { ok: true, pausedUntil: until };
}

/** Whether recording is paused now, read inside the caller's transaction (which must include `settings`). */
export async function pausedNow(context: BackgroundContext): Promise<boolean> {
  return isPaused((await readSettings(context)).pausedUntil, context.now());
}
