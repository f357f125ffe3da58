import { useId, useRef, useState } from 'preact/hooks';
import { useAsk } from './background';
import { ConfirmDialog } from './ConfirmDialog';
import { errorMessage } from './errors';
import { t } from './i18n';
import { scopeText } from './scopeText';

type Outcome = { kind: 'done'; stopped: boolean } | { kind: 'failed'; message: string };

/**
 * "Delete all my data", behind an in-page ConfirmDialog that explains what stays. Keyboard: focus moves into the
 * confirmation, Escape cancels, and focus returns to the button that opened it.
 */
export function WipeControl() {
  const ask = useAsk();
  const id = useId();
  const [open, setOpen] = useState(false);
  const [stopRecording, setStopRecording] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const opener = useRef<HTMLButtonElement>(null);

  function close() {
    setOpen(false);
    opener.current?.focus();
  }

  async function wipe() {
    setDeleting(true);
    setOutcome(null);
    try {
      await ask({ type: 'data.wipe', stopRecording });
      setOutcome({ kind: 'done', stopped: stopRecording });
      close();
    } catch (error) {
      setOutcome({ kind: 'failed', message: errorMessage(error) });
    } finally {
      setDeleting(false);
    }
  }

  return (
    <div class="wipe">
      <button
        type="button"
        class="danger"
        ref={opener}
        data-testid="wipe"
        aria-expanded={open}
        onClick={() => {
          setOutcome(null);
          setStopRecording(false);
          setOpen(true);
        }}
      >
        {t('wipeOpen')}
      </button>
      <ConfirmDialog
        open={open}
        id={id}
        title={t('wipeTitle')}
        describedBy={`${id}-deleted ${id}-kept`}
        confirmLabel={t('wipeConfirm')}
        cancelLabel={t('commonCancel')}
        testId="wipe"
        onConfirm={() => void wipe()}
        onClose={close}
        busy={deleting}
        busyLabel={t('wipeDeleting')}
        error={outcome?.kind === 'failed' ? outcome.message : null}
        outcome={
          outcome?.kind === 'done' && (
            <span data-testid="wipe-done">{t(outcome.stopped ? 'wipeDoneAndStopped' : 'wipeDone')}</span>
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
