import { useId, useRef, useState } from 'preact/hooks';
import { useAsk } from './background';
import { ConfirmDialog } from './ConfirmDialog';
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
        {text.open}
      </button>
      <ConfirmDialog
        open={open}
        id={id}
        title={text.title}
        describedBy={`${id}-deleted ${id}-kept`}
        confirmLabel={text.confirm}
        cancelLabel={text.cancel}
        testId="wipe"
        onConfirm={() => void wipe()}
        onClose={close}
        busy={deleting}
        busyLabel={text.deleting}
        error={outcome?.kind === 'failed' ? outcome.message : null}
        outcome={
          outcome?.kind === 'done' && (
            <span data-testid="wipe-done">{outcome.stopped ? text.doneAndStopped : text.done}</span>
          )
        }
      >
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
      </ConfirmDialog>
    </div>
  );
}
