import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { errorMessage } from './errors';

interface ConfirmDialogProps {
  /** Whether the confirmation is shown; the status region below it is always rendered. */
  open: boolean;
  /** The caller's useId(): the title gets `${id}-title`, and the body's ids should share this prefix. */
  id: string;
  title: string;
  /** Space-separated ids, inside the body, that describe the dialog. */
  describedBy: string;
  /** The body, between the title and the buttons. */
  children: ComponentChildren;
  confirmLabel: string;
  cancelLabel: string;
  /** Prefix of the data-testids: `${testId}-dialog`, `-confirm`, `-cancel` and `-error`. */
  testId: string;
  /** Not called while busy. */
  onConfirm: () => void;
  /** Escape or Cancel; the caller closes the dialog and returns focus to the button that opened it. */
  onClose: () => void;
  busy: boolean;
  /** Shown in the status region while busy. */
  busyLabel: string;
  /** Shown as an alert inside the dialog. */
  error: string | null;
  /** Shown in the status region, e.g. once the action succeeded. */
  outcome?: ComponentChildren;
}

/**
 * An in-page confirmation (not window.confirm, which a popup cannot show reliably and which cannot explain what
 * stays), with a status region after it. Keyboard: focus moves to Cancel when it opens, and Escape cancels.
 */
export function ConfirmDialog(props: ConfirmDialogProps) {
  const { open, id, testId, onClose } = props;
  const cancelButton = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (open) cancelButton.current?.focus();
  }, [open]);

  return (
    <>
      {open && (
        <div
          role="dialog"
          class="confirm"
          data-testid={`${testId}-dialog`}
          aria-labelledby={`${id}-title`}
          aria-describedby={props.describedBy}
          onKeyDown={(event) => {
            if (event.key === 'Escape') {
              event.preventDefault();
              onClose();
            }
          }}
        >
          <p id={`${id}-title`} class="confirm-title">
            {props.title}
          </p>
          {props.children}
          <div class="button-row">
            <button
              type="button"
              class="danger"
              data-testid={`${testId}-confirm`}
              onClick={() => {
                if (!props.busy) props.onConfirm();
              }}
            >
              {props.confirmLabel}
            </button>
            <button type="button" ref={cancelButton} data-testid={`${testId}-cancel`} onClick={onClose}>
              {props.cancelLabel}
            </button>
          </div>
          {props.error !== null && (
            <p role="alert" class="alert" data-testid={`${testId}-error`}>
              {props.error}
            </p>
          )}
        </div>
      )}
      <div role="status" class="status">
        {props.busy && props.busyLabel}
        {props.outcome}
      </div>
    </>
  );
}

/** What became of a confirmed action: what it answered, or why it failed. */
export type ConfirmedOutcome<Done> = { kind: 'done'; value: Done } | { kind: 'failed'; message: string };

/**
 * The state of an action behind a ConfirmDialog: open or not, running, its outcome, and the button that opens it
 * (focus goes back there when the dialog closes). `confirm` runs `run` once: on success the dialog closes and the
 * outcome holds its answer; on failure the dialog stays open with the error.
 */
export function useConfirmedAction<Done>(run: () => Promise<Done>) {
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<ConfirmedOutcome<Done> | null>(null);
  const opener = useRef<HTMLButtonElement>(null);

  function close() {
    setOpen(false);
    opener.current?.focus();
  }

  async function confirm() {
    setBusy(true);
    setOutcome(null);
    try {
      const value = await run();
      setOutcome({ kind: 'done', value });
      close();
    } catch (error) {
      setOutcome({ kind: 'failed', message: errorMessage(error) });
    } finally {
      setBusy(false);
    }
  }

  function show() {
    setOutcome(null);
    setOpen(true);
  }

  const error = outcome?.kind === 'failed' ? outcome.message : null;
  return { open, busy, outcome, error, opener, show, close, confirm };
}
