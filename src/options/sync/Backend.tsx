import { useEffect, useId, useRef, useState } from 'preact/hooks';
import { checkBackendUrl } from '../../shared/domain/uploadPolicy';
import type { SmartTagsDatabase } from '../../shared/storage/db';
import { useAsk } from '../../shared/ui/background';
import { errorMessage } from '../../shared/ui/errors';
import { hostPattern, removeHostPermission, requestHostPermission } from '../../shared/ui/hostPermission';
import { t } from '../../shared/ui/i18n';
import { scopeText } from '../../shared/ui/scopeText';
import { useLiveQuery } from '../../shared/ui/useLiveQuery';

/** An example address, not a translatable text: it shows the expected form. */
const examplePlaceholder = 'https://smarttags.example.org';

type OldData = 'deleted' | 'kept' | 'none';
type Outcome =
  | { kind: 'saved'; origin: string; note: string | null; previous: string | null; oldData: OldData }
  | { kind: 'cleared'; note: string | null; previous: string; oldData: OldData }
  | { kind: 'failed'; message: string };

function patternOf(url: string): string | undefined {
  try {
    return hostPattern(url);
  } catch {
    return undefined;
  }
}

/**
 * Gives back the permission for a backend no longer used, unless the one now used shares it (same scheme and host) or
 * a deletion request to it still waits for the server's answer or is held at the person's choice (the background needs
 * the permission to send it).
 * Answers a note to show, or null when there is nothing to say.
 */
async function release(db: SmartTagsDatabase, origin: string, keep: string | null): Promise<string | null> {
  const pattern = patternOf(origin);
  if (pattern === undefined || (keep !== null && patternOf(keep) === pattern)) return null;
  const pending = await db.deletionRequests.where('status').anyOf('held', 'queued', 'sent').toArray();
  if (pending.some((request) => patternOf(request.backendUrl) === pattern)) return t('backendPermissionKept', origin);
  try {
    await removeHostPermission(origin);
    return null;
  } catch (error) {
    return t('backendPermissionNotRemoved', origin, errorMessage(error));
  }
}

/** Where uploads go: the backend's address, saved only with the browser's permission to connect to it. */
export function Backend({ db }: { db: SmartTagsDatabase }) {
  const ask = useAsk();
  const id = useId();
  const config = useLiveQuery(
    async () => ({
      backendUrl: (await db.syncConfig.get('current'))?.backendUrl ?? null,
      // Whether the backend holds anything of this extension: only then is there old data to delete or keep.
      uploaded: (await db.syncCredentials.count()) > 0,
    }),
    [db],
  );
  const stored = config.state === 'ready' ? config.value.backendUrl : null;
  const uploaded = config.state === 'ready' && config.value.uploaded;
  const [keepOldData, setKeepOldData] = useState(false);
  // What the person typed, shown until the stored setting changes.
  const [draft, setDraft] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState<'saving' | 'clearing' | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => setDraft(undefined), [stored]);

  function save(event: Event) {
    event.preventDefault();
    if (busy) return;
    const checked = checkBackendUrl((draft ?? stored ?? '').trim());
    if (!checked.ok) {
      setOutcome({ kind: 'failed', message: t('backendInvalid', checked.reason) });
      input.current?.focus();
      return;
    }
    // The browser shows its prompt only while handling the click: ask before anything is awaited.
    const permission = requestHostPermission(checked.origin);
    void finishSaving(checked.origin, permission);
  }

  async function finishSaving(origin: string, permission: Promise<boolean>) {
    const previous = stored;
    setBusy('saving');
    setOutcome(null);
    try {
      let granted: boolean;
      try {
        granted = await permission;
      } catch (error) {
        setOutcome({ kind: 'failed', message: t('backendPermissionFailed', errorMessage(error)) });
        return;
      }
      if (!granted) {
        setOutcome({ kind: 'failed', message: t('backendDeclined', origin) });
        return;
      }
      let saved: string;
      let oldData: OldData;
      try {
        const answer = await ask({ type: 'sync.configure', backendUrl: origin, ...(keepOldData && { keepOldData }) });
        saved = answer.backendUrl ?? origin;
        oldData = answer.oldData;
      } catch (error) {
        setOutcome({ kind: 'failed', message: errorMessage(error) });
        // Not saved: the permission just granted is not needed (unless it is the current backend's).
        await release(db, origin, previous);
        return;
      }
      const note = previous !== null && previous !== saved ? await release(db, previous, saved) : null;
      setDraft(undefined);
      setKeepOldData(false);
      setOutcome({ kind: 'saved', origin: saved, note, previous, oldData });
    } finally {
      setBusy(null);
    }
  }

  async function clear() {
    if (busy || stored === null) return;
    const previous = stored;
    setBusy('clearing');
    setOutcome(null);
    try {
      const { oldData } = await ask({ type: 'sync.configure', backendUrl: null, ...(keepOldData && { keepOldData }) });
      const note = await release(db, previous, null);
      setDraft(undefined);
      setKeepOldData(false);
      setOutcome({ kind: 'cleared', note, previous, oldData });
      // The button that had focus is gone; the address field is where to go next.
      input.current?.focus();
    } catch (error) {
      setOutcome({ kind: 'failed', message: errorMessage(error) });
    } finally {
      setBusy(null);
    }
  }

  /** What became of the old backend's data, said once the change is made. */
  function oldDataText(previous: string | null, oldData: OldData): string {
    if (previous === null || oldData === 'none') return '';
    return ` ${t(oldData === 'deleted' ? 'backendOldDeleted' : 'backendOldKept', previous)}`;
  }

  if (config.state === 'loading') return <p aria-busy="true">{t('commonLoading')}</p>;
  if (config.state === 'failed') {
    return (
      <p role="alert" class="alert">
        {t('backendFailed', config.message)}
      </p>
    );
  }
  const failed = outcome?.kind === 'failed';
  return (
    <div class="backend">
      <p data-testid="backend-current">{stored === null ? t('backendNone') : t('backendCurrent', stored)}</p>
      <form class="backend-form" noValidate onSubmit={save}>
        <label for={`${id}-url`}>{t('backendLabel')}</label>
        <div class="backend-row">
          <input
            ref={input}
            id={`${id}-url`}
            name="backend-url"
            type="url"
            inputMode="url"
            autoComplete="url"
            spellcheck={false}
            placeholder={examplePlaceholder}
            value={draft ?? stored ?? ''}
            aria-invalid={failed}
            aria-describedby={failed ? `${id}-where ${id}-error` : `${id}-where`}
            onInput={(event) => setDraft(event.currentTarget.value)}
          />
          <button type="submit" class="primary" data-testid="backend-save">
            {t('backendSave')}
          </button>
          {stored !== null && (
            <button type="button" data-testid="backend-clear" onClick={() => void clear()}>
              {t('backendClear')}
            </button>
          )}
        </div>
        {stored !== null && uploaded && (
          <label class="backend-keep">
            <input
              type="checkbox"
              name="keep-old-data"
              checked={keepOldData}
              onChange={(event) => setKeepOldData(event.currentTarget.checked)}
            />{' '}
            {t('backendKeepOld', stored, t('remoteDeletionOpen'))}
          </label>
        )}
      </form>
      <div id={`${id}-where`} class="hint">
        <p>{t('backendWhere', scopeText.uploadUsage.label)}</p>
        <p>{t('backendPermission')}</p>
        <p>{t('backendChange', t('remoteDeletionOpen'))}</p>
      </div>
      <div role="status" class="status">
        {busy === 'saving' && t('commonSaving')}
        {busy === 'clearing' && t('backendClearing')}
        {outcome?.kind === 'saved' && (
          <span data-testid="backend-saved">
            {t('backendSaved', outcome.origin)}
            {oldDataText(outcome.previous, outcome.oldData)}
            {outcome.note !== null && ` ${outcome.note}`}
          </span>
        )}
        {outcome?.kind === 'cleared' && (
          <span data-testid="backend-cleared">
            {t('backendCleared')}
            {oldDataText(outcome.previous, outcome.oldData)}
            {outcome.note !== null && ` ${outcome.note}`}
          </span>
        )}
      </div>
      {outcome?.kind === 'failed' && (
        <p id={`${id}-error`} role="alert" class="alert" data-testid="backend-error">
          {outcome.message}
        </p>
      )}
    </div>
  );
}
