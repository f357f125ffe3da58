import { useId, useState } from 'preact/hooks';
import type { ReplyValues } from '../../shared/messages';
import { useAsk } from '../../shared/ui/background';
import { errorMessage } from '../../shared/ui/errors';

const text = {
  explain: 'See the upload smartTags would send next, built from your finished days under your current choices.',
  preview: 'Preview what would be sent',
  preparing: 'Preparing the preview…',
  ready: 'The preview is below.',
  exact: (batchId: string) =>
    `This is exactly what would be sent, except the batch id: “${batchId}” stands in for the id a real upload gets. ` +
    'Nothing was sent or queued.',
  none: (reason: string) => `Nothing would be sent. ${reason}`,
  label: 'The upload, as JSON',
};

type Shown = { kind: 'answer'; value: ReplyValues['sync.preview'] } | { kind: 'failed'; message: string };

/** "Preview what would be sent": the exact JSON of the next upload, or why nothing would be sent. */
export function SyncPreview() {
  const ask = useAsk();
  const id = useId();
  const [busy, setBusy] = useState(false);
  const [shown, setShown] = useState<Shown | null>(null);

  async function preview() {
    if (busy) return;
    setBusy(true);
    setShown(null);
    try {
      setShown({ kind: 'answer', value: await ask({ type: 'sync.preview' }) });
    } catch (error) {
      setShown({ kind: 'failed', message: errorMessage(error) });
    } finally {
      setBusy(false);
    }
  }

  const answer = shown?.kind === 'answer' ? shown.value : null;
  return (
    <div class="sync-preview">
      <p>{text.explain}</p>
      <div class="button-row">
        <button type="button" data-testid="sync-preview" onClick={() => void preview()}>
          {text.preview}
        </button>
      </div>
      <div role="status" class="status">
        {busy && text.preparing}
        {answer !== null && 'batch' in answer && text.ready}
        {answer !== null && 'reason' in answer && (
          <span data-testid="sync-preview-none">{text.none(answer.reason)}</span>
        )}
      </div>
      {shown?.kind === 'failed' && (
        <p role="alert" class="alert" data-testid="sync-preview-error">
          {shown.message}
        </p>
      )}
      {answer !== null && 'batch' in answer && (
        // A labelled region; browsers make a scrolling element like this <pre> reachable by keyboard themselves.
        <section class="preview-batch" aria-label={text.label} aria-describedby={`${id}-exact`}>
          <p id={`${id}-exact`} class="hint" data-testid="sync-preview-note">
            {text.exact(answer.batch.batchId)}
          </p>
          <pre class="json" data-testid="sync-preview-json">
            {JSON.stringify(answer.batch, null, 2)}
          </pre>
        </section>
      )}
    </div>
  );
}
