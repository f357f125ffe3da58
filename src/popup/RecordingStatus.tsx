import { useEffect, useState } from 'preact/hooks';
import { currentTimeZone, localDateOf, localToday } from '../shared/domain/dates';
import { isPaused, type PauseChoice, pauseEnd, startOfNextDay } from '../shared/domain/pause';
import type { SmartTagsDatabase } from '../shared/storage/db';
import { useAsk } from '../shared/ui/background';
import { errorMessage } from '../shared/ui/errors';
import { formatDateTime, t } from '../shared/ui/i18n';
import { scopeText } from '../shared/ui/scopeText';
import { useLiveQuery } from '../shared/ui/useLiveQuery';

function pausedText(pausedUntil: number, now: number): string {
  if (localDateOf(pausedUntil, currentTimeZone()) === localToday(now)) {
    return t('popupRecordingPausedUntilTime', formatDateTime(pausedUntil, 'time'));
  }
  return pausedUntil === startOfNextDay(now, currentTimeZone())
    ? t('popupRecordingPausedUntilTomorrow')
    : t('popupRecordingPausedUntilTomorrowAt', formatDateTime(pausedUntil, 'time'));
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
  const pause = (choice: PauseChoice) => change(pauseEnd(choice, Date.now(), currentTimeZone()));

  if (!usageAllowed) {
    return (
      <p class="notice" data-testid="recording-off">
        {t('popupRecordingOff', scopeText.usage.label)}
      </p>
    );
  }
  if (settings.state !== 'ready') return null;
  return (
    <div class={`recording-status ${paused ? 'is-paused' : 'is-on'}`} data-testid="recording-status">
      <p role="status">
        <span class="dot" aria-hidden="true" />
        <strong>{!paused || pausedUntil === null ? t('popupRecordingOn') : pausedText(pausedUntil, now)}</strong>{' '}
        {/* On one line with the buttons: the detail of "Recording" is for screen readers, the pause's is shown. */}
        <span class={paused ? 'hint' : 'visually-hidden'}>
          {paused ? t('popupRecordingPausedDetail') : t('popupRecordingOnDetail')}
        </span>
      </p>
      <div class="button-row">
        {paused ? (
          <button type="button" data-testid="resume" disabled={busy} onClick={() => change(null)}>
            {t('popupRecordingResume')}
          </button>
        ) : (
          <>
            <button type="button" data-testid="pause-hour" disabled={busy} onClick={() => pause('hour')}>
              {t('popupRecordingPauseHour')}
            </button>
            <button type="button" data-testid="pause-tomorrow" disabled={busy} onClick={() => pause('tomorrow')}>
              {t('popupRecordingPauseTomorrow')}
            </button>
          </>
        )}
      </div>
      {error !== null && (
        <p role="alert" class="alert">
          {t('popupRecordingFailed', error)}
        </p>
      )}
    </div>
  );
}
