import { useEffect, useId, useRef, useState } from 'preact/hooks';
import { useAsk } from './background';
import { errorMessage } from './errors';
import { scopeText } from './scopeText';

const text = {
  open: 'Delete all my data',
  title: 'Delete all recorded data?',
  deleted:
    'This deletes every recorded day, account snapshot and Instagram visit from this browser, at once. It cannot be undone; if you want a copy, export your data first.',
  kept: 'Your choices, the history of those choices and your settings stay, so smartTags keeps honouring them.',
  stopRecording: 'Also stop recording',
  stopRecordingHint: `Turns off “${scopeText.usage.label}” and “${scopeText.account.label}”, and the sending that depends on them.`,
  confirm: 'Delete',
  cancel: 'Cancel',
  deleting: 'Deleting…',
  done: 'All recorded data was deleted.',
  doneAndStopped: 'All recorded data was deleted, and recording is off.',
};

type Outcome = { kind: 'done'; stopped: boolean } | { kind: 'failed'; message: string };

/**
 * "Delete all my data", behind an in-page confirmation (not window.confirm, which a popup cannot show reliably and
 * which cannot explain what stays). Keyboard: focus moves into the confirmation, Escape cancels, and focus returns
 * to the button that opened it.
 */
export function WipeControl() {
  const ask = useAsk();
  const id = useId();
  const [open, setOpen] = useState(false);
  const [stopRecording, setStopRecording] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const opener = useRef<HTMLButtonElement>(null);
  const cancelButton = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (open) cancelButton.current?.focus();
  }, [open]);

  function close() {
    setOpen(false);
    opener.current?.focus();
  }

  async function wipe() {
    if (deleting) return;
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
        {text.open}
      </button>
      {open && (
        <div
          role="dialog"
          class="confirm"
          data-testid="wipe-dialog"
          aria-labelledby={`${id}-title`}
          aria-describedby={`${id}-deleted ${id}-kept`}
          onKeyDown={(event) => {
            if (event.key === 'Escape') {
              event.preventDefault();
              close();
            }
          }}
        >
          <p id={`${id}-title`} class="confirm-title">
            {text.title}
          </p>
          <p id={`${id}-deleted`}>{text.deleted}</p>
          <p id={`${id}-kept`}>{text.kept}</p>
          <div class="check">
            <input
              type="checkbox"
              id={`${id}-stop`}
              name="stop-recording"
              checked={stopRecording}
              aria-describedby={`${id}-stop-hint`}
              onChange={(event) => setStopRecording(event.currentTarget.checked)}
            />
            <label for={`${id}-stop`}>{text.stopRecording}</label>
          </div>
          <p id={`${id}-stop-hint`} class="hint">
            {text.stopRecordingHint}
          </p>
          <div class="button-row">
            <button type="button" class="danger" data-testid="wipe-confirm" onClick={() => void wipe()}>
              {text.confirm}
            </button>
            <button type="button" ref={cancelButton} data-testid="wipe-cancel" onClick={close}>
              {text.cancel}
            </button>
          </div>
          {outcome?.kind === 'failed' && (
            <p role="alert" class="alert" data-testid="wipe-error">
              {outcome.message}
            </p>
          )}
        </div>
      )}
      <div role="status" class="status">
        {deleting && text.deleting}
        {outcome?.kind === 'done' && (
          <span data-testid="wipe-done">{outcome.stopped ? text.doneAndStopped : text.done}</span>
        )}
      </div>
    </div>
  );
}
