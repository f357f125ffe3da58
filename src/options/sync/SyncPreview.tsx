import { useId, useState } from 'preact/hooks';
import type { ReplyValues } from '../../shared/contracts/messages';
import { useAsk } from '../../shared/ui/background';
import { errorMessage } from '../../shared/ui/errors';
import { t } from '../../shared/ui/i18n';

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
      <p>{t('syncPreviewExplain')}</p>
      <div class="button-row">
        <button type="button" data-testid="sync-preview" onClick={() => void preview()}>
          {t('syncPreviewButton')}
        </button>
      </div>
      <div role="status" class="status">
        {busy && t('syncPreviewPreparing')}
        {answer !== null && 'batch' in answer && t('syncPreviewReady')}
        {answer !== null && 'reason' in answer && (
          <span data-testid="sync-preview-none">{t('syncPreviewNone', answer.reason)}</span>
        )}
      </div>
      {shown?.kind === 'failed' && (
        <p role="alert" class="alert" data-testid="sync-preview-error">
          {shown.message}
        </p>
      )}
      {answer !== null && 'batch' in answer && (
        // A labelled region; browsers make a scrolling element like this <pre> reachable by keyboard themselves.
        <section class="preview-batch" aria-label={t('syncPreviewLabel')} aria-describedby={`${id}-exact`}>
          <p id={`${id}-exact`} class="hint" data-testid="sync-preview-note">
            {t('syncPreviewExact', answer.batch.batchId)}
          </p>
          <pre class="json" data-testid="sync-preview-json">
            {JSON.stringify(answer.batch, null, 2)}
          </pre>
        </section>
      )}
    </div>
  );
}
