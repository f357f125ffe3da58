import { useEffect, useState } from 'preact/hooks';
import { localDateOf } from '../shared/dates';
import type { SmartTagsDatabase } from '../shared/db';
import { isPaused, type PauseChoice, pauseEnd, startOfNextDay } from '../shared/pause';
import { useAsk } from '../shared/ui/background';
import { errorMessage } from '../shared/ui/errors';
import { scopeText } from '../shared/ui/scopeText';
import { useLiveQuery } from '../shared/ui/useLiveQuery';

const text = {
  recording: 'Recording',
  recordingDetail: 'smartTags is counting your time on Instagram.',
  off: `Recording is off: smartTags is not recording your Instagram use. Turn on “${scopeText.usage.label}” below to start.`,
  pausedUntilTime: (time: string) => `Paused until ${time}`,
  pausedUntilTomorrow: 'Paused until tomorrow',
  pausedUntilTomorrowAt: (time: string) => `Paused until tomorrow, ${time}`,
  pausedDetail: 'Nothing is recorded until then.',
  pauseHour: 'Pause for 1 hour',
  pauseTomorrow: 'Pause until tomorrow',
  resume: 'Resume now',
  failed: (message: string) => `Could not change the pause: ${message}`,
};

const timeZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;
const timeOfDay = new Intl.DateTimeFormat(undefined, { timeStyle: 'short' });

function pausedText(pausedUntil: number, now: number): string {
  if (localDateOf(pausedUntil, timeZone()) === localDateOf(now, timeZone())) {
    return text.pausedUntilTime(timeOfDay.format(pausedUntil));
  }
  return pausedUntil === startOfNextDay(now, timeZone())
    ? text.pausedUntilTomorrow
    : text.pausedUntilTomorrowAt(timeOfDay.format(pausedUntil));
}

/** Recording on, off or paused — with "pause for 1 hour", "pause until tomorrow" and "resume now". */
export function RecordingStatus({ db, usageAllowed }: { db: SmartTagsDatabase; usageAllowed: boolean }) {
  const ask = useAsk();
  const settings = useLiveQuery(() => db.settings.get('current'), [db]);
  const [now, setNow] = useState(Date.now);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const pausedUntil = settings.state === 'ready' ? (settings.value?.pausedUntil ?? null) : null;
  const paused = isPaused(pausedUntil, now);

  // The popup may stay open past the end of a pause: show "Recording" again when it ends.
  useEffect(() => {
    if (pausedUntil === null || !paused) return;
    const timer = setTimeout(() => setNow(Date.now()), pausedUntil - Date.now() + 50);
    return () => clearTimeout(timer);
  }, [pausedUntil, paused]);

  async function change(until: number | null) {
    setBusy(true);
    setError(null);
    try {
      await ask({ type: 'recording.pause', until });
      setNow(Date.now());
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  }
  const pause = (choice: PauseChoice) => change(pauseEnd(choice, Date.now(), timeZone()));

  if (!usageAllowed) {
    return (
      <p class="notice" data-testid="recording-off">
        {text.off}
      </p>
    );
  }
  if (settings.state !== 'ready') return null;
  return (
    <div class={`recording-status ${paused ? 'is-paused' : 'is-on'}`} data-testid="recording-status">
      <p role="status">
        <span class="dot" aria-hidden="true" />
        <strong>{!paused || pausedUntil === null ? text.recording : pausedText(pausedUntil, now)}</strong>{' '}
        <span class="hint">{paused ? text.pausedDetail : text.recordingDetail}</span>
      </p>
      <div class="button-row">
        {paused ? (
          <button type="button" data-testid="resume" disabled={busy} onClick={() => change(null)}>
            {text.resume}
          </button>
        ) : (
          <>
            <button type="button" data-testid="pause-hour" disabled={busy} onClick={() => pause('hour')}>
              {text.pauseHour}
            </button>
            <button type="button" data-testid="pause-tomorrow" disabled={busy} onClick={() => pause('tomorrow')}>
              {text.pauseTomorrow}
            </button>
          </>
        )}
      </div>
      {error !== null && (
        <p role="alert" class="alert">
          {text.failed(error)}
        </p>
      )}
    </div>
  );
}
