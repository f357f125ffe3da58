import { useId, useState } from 'preact/hooks';
import { useAsk } from './background';
import { ConfirmDialog, useConfirmedAction } from './ConfirmDialog';
import { t } from './i18n';
import { scopeText } from './scopeText';

/**
 * "Delete all my data", behind an in-page ConfirmDialog that explains what stays. Keyboard: focus moves into the
 * confirmation, Escape cancels, and focus returns to the button that opened it.
 */
export function WipeControl() {
  const ask = useAsk();
  const id = useId();
  const [stopRecording, setStopRecording] = useState(false);
  const wipe = useConfirmedAction(async () => {
    await ask({ type: 'data.wipe', stopRecording });
    return { stopped: stopRecording };
  });

  return (
    <div class="wipe">
      <button
        type="button"
        class="danger"
        ref={wipe.opener}
        data-testid="wipe"
        aria-expanded={wipe.open}
        onClick={() => {
          setStopRecording(false);
          wipe.show();
        }}
      >
        {t('wipeOpen')}
      </button>
      <ConfirmDialog
        open={wipe.open}
        id={id}
        title={t('wipeTitle')}
        describedBy={`${id}-deleted ${id}-kept`}
        confirmLabel={t('wipeConfirm')}
        cancelLabel={t('commonCancel')}
        testId="wipe"
        onConfirm={() => void wipe.confirm()}
        onClose={wipe.close}
        busy={wipe.busy}
        busyLabel={t('wipeDeleting')}
        error={wipe.error}
        outcome={
          wipe.outcome?.kind === 'done' && (
            <span data-testid="wipe-done">{t(wipe.outcome.value.stopped ? 'wipeDoneAndStopped' : 'wipeDone')}</span>
          )
        }
      >
        <p id={`${id}-deleted`}>{t('wipeDeleted')}</p>
        <p id={`${id}-kept`}>{t('wipeKept')}</p>
        <div class="check">
          <input
            type="checkbox"
            id={`${id}-stop`}
            name="stop-recording"
            checked={stopRecording}
            aria-describedby={`${id}-stop-hint`}
            onChange={(event) => setStopRecording(event.currentTarget.checked)}
          />
          <label for={`${id}-stop`}>{t('wipeStopRecording')}</label>
        </div>
        <p id={`${id}-stop-hint`} class="hint">
          {t('wipeStopRecordingHint', scopeText.usage.label, scopeText.account.label)}
        </p>
      </ConfirmDialog>
    </div>
  );
}
