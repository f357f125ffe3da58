import { useEffect, useId, useRef, useState } from 'preact/hooks';
import { type Surface, surfaces } from '../../shared/domain/routes';
import type { DayTotalsRecord, LocalEditRecord } from '../../shared/storage/records';
import { useAsk } from '../../shared/ui/background';
import { ConfirmDialog } from '../../shared/ui/ConfirmDialog';
import { errorMessage } from '../../shared/ui/errors';
import { formatDayShort, formatDuration } from '../../shared/ui/format';
import { formatDateTime, t } from '../../shared/ui/i18n';
import { surfaceLabels } from '../../shared/ui/surfaces';

/** What the person asked to remove: one surface's time, or the whole day. */
type Correction = { kind: 'surface'; surface: Surface } | { kind: 'day' };
type Outcome = { kind: 'done'; text: string } | { kind: 'failed'; message: string };

interface DayCorrectionProps {
  date: string;
  /** The stored day; undefined once it was deleted (the panel then says so). */
  day: DayTotalsRecord | undefined;
  /** The corrections already made to this day, oldest first. */
  edits: readonly LocalEditRecord[];
  /** Closes the panel; the caller returns focus to the button that opened it. */
  onClose: () => void;
}

/**
 * Correcting one day of the per-day table: the day's surfaces with their active and passive time, each with "Remove
 * this surface's time", and "Delete this day" — each behind a confirmation that says what goes and that it cannot be
 * undone (`day.edit`). Keyboard: focus moves to the panel's heading when it opens and back to it after a correction;
 * Escape closes the confirmation first, then the panel.
 */
export function DayCorrection({ date, day, edits, onClose }: DayCorrectionProps) {
  const ask = useAsk();
  const id = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  const [pending, setPending] = useState<Correction | null>(null);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const shownDate = formatDayShort(date);

  useEffect(() => {
    heading.current?.focus();
  }, [date]);

  function closeConfirmation() {
    setPending(null);
    heading.current?.focus();
  }

  async function correct(correction: Correction) {
    setBusy(true);
    setOutcome(null);
    try {
      const { removedMs } = await ask({
        type: 'day.edit',
        date,
        ...(correction.kind === 'surface' && { surface: correction.surface }),
      });
      const text =
        correction.kind === 'surface'
          ? t('dashboardCorrectDoneSurface', formatDuration(removedMs), surfaceLabels[correction.surface], shownDate)
          : t('dashboardCorrectDoneDay', shownDate, formatDuration(removedMs));
      setOutcome({ kind: 'done', text });
      closeConfirmation();
    } catch (error) {
      setOutcome({ kind: 'failed', message: errorMessage(error) });
    } finally {
      setBusy(false);
    }
  }

  const shown = day ? surfaces.filter((surface) => (day.surfaces[surface] ?? 0) > 0) : [];

  return (
    <section
      class="notice day-correction"
      aria-labelledby={`${id}-heading`}
      data-testid="day-correction"
      onKeyDown={(event) => {
        // The confirmation handles its own Escape first (and marks it handled): one Escape closes one thing.
        if (event.key === 'Escape' && !event.defaultPrevented) {
          event.preventDefault();
          onClose();
        }
      }}
    >
      <h4 id={`${id}-heading`} tabIndex={-1} ref={heading}>
        {t('dashboardCorrectTitle', shownDate)}
      </h4>
      <p class="hint">{t('dashboardCorrectIntro')}</p>
      {day ? (
        <table class="numbers" data-testid="day-correction-surfaces">
          <caption>{t('dashboardCorrectSurfacesCaption', shownDate)}</caption>
          <thead>
            <tr>
              <th scope="col">{t('dashboardOverviewSurface')}</th>
              <th scope="col">{t('dashboardOverviewActive')}</th>
              <th scope="col">{t('dashboardOverviewPassive')}</th>
              <th scope="col">
                <span class="visually-hidden">{t('dashboardOverviewCorrectColumn')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {shown.map((surface) => {
              const passive = day.passiveSurfaces[surface] ?? 0;
              return (
                <tr key={surface}>
                  <th scope="row" id={`${id}-${surface}`}>
                    {surfaceLabels[surface]}
                  </th>
                  <td>{formatDuration((day.surfaces[surface] ?? 0) - passive)}</td>
                  <td>{formatDuration(passive)}</td>
                  <td>
                    <button
                      type="button"
                      class="link"
                      aria-describedby={`${id}-${surface}`}
                      data-testid={`remove-${surface}`}
                      onClick={() => {
                        setOutcome(null);
                        setPending({ kind: 'surface', surface });
                      }}
                    >
                      {t('dashboardCorrectRemoveSurface')}
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : (
        <p class="empty" data-testid="day-correction-gone">
          {t('dashboardCorrectNothingLeft')}
        </p>
      )}
      {edits.length > 0 && (
        <>
          <p>{t('dashboardCorrectedMarker')}</p>
          <ul data-testid="day-correction-edits">
            {edits.map((edit) => (
              <li key={edit.id}>
                {edit.surface === null
                  ? t('dashboardCorrectEarlierDay', formatDuration(edit.removedMs), formatDateTime(edit.at, 'minutes'))
                  : t(
                      'dashboardCorrectEarlierSurface',
                      surfaceLabels[edit.surface],
                      formatDuration(edit.removedMs),
                      formatDateTime(edit.at, 'minutes'),
                    )}
              </li>
            ))}
          </ul>
        </>
      )}
      <div class="button-row">
        {day && (
          <button
            type="button"
            class="danger"
            data-testid="delete-day"
            onClick={() => {
              setOutcome(null);
              setPending({ kind: 'day' });
            }}
          >
            {t('dashboardCorrectDeleteDay')}
          </button>
        )}
        <button type="button" data-testid="day-correction-close" onClick={onClose}>
          {t('dashboardCorrectClose')}
        </button>
      </div>
      <ConfirmDialog
        open={pending !== null}
        id={id}
        title={pending && day ? confirmationTitle(pending, shownDate) : ''}
        describedBy={`${id}-what ${id}-permanent ${id}-sync`}
        confirmLabel={t(pending?.kind === 'day' ? 'dashboardCorrectConfirmDay' : 'dashboardCorrectConfirmSurface')}
        cancelLabel={t('commonCancel')}
        testId="day-correction"
        onConfirm={() => {
          if (pending) void correct(pending);
        }}
        onClose={closeConfirmation}
        busy={busy}
        busyLabel={t('dashboardCorrectBusy')}
        error={outcome?.kind === 'failed' ? outcome.message : null}
        outcome={outcome?.kind === 'done' && <span data-testid="day-correction-done">{outcome.text}</span>}
      >
        {pending && day && (
          <>
            <p id={`${id}-what`}>{whatGoes(pending, day, shownDate)}</p>
            <p id={`${id}-permanent`}>{t('dashboardCorrectPermanent')}</p>
            <p id={`${id}-sync`}>
              {t(pending.kind === 'day' ? 'dashboardCorrectSyncDay' : 'dashboardCorrectSyncSurface')}
            </p>
          </>
        )}
      </ConfirmDialog>
    </section>
  );
}

function confirmationTitle(correction: Correction, shownDate: string): string {
  if (correction.kind === 'day') return t('dashboardCorrectDayTitle', shownDate);
  return t('dashboardCorrectSurfaceTitle', surfaceLabels[correction.surface], shownDate);
}

/** Exactly what the correction removes, in figures, and what it leaves. */
function whatGoes(correction: Correction, day: DayTotalsRecord, shownDate: string): string {
  if (correction.kind === 'day') return t('dashboardCorrectDayBody', shownDate, formatDuration(day.activeMs));
  const { surface } = correction;
  const surfaceMs = day.surfaces[surface] ?? 0;
  const passive = day.passiveSurfaces[surface] ?? 0;
  return t(
    'dashboardCorrectSurfaceBody',
    formatDuration(surfaceMs),
    surfaceLabels[surface],
    formatDuration(surfaceMs - passive),
    formatDuration(passive),
    shownDate,
    formatDuration(Math.max(0, day.activeMs - surfaceMs)),
  );
}
