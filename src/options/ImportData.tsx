import { useEffect, useId, useRef, useState } from 'preact/hooks';
import {
  type ExportDocument,
  type ImportCounts,
  type ImportMode,
  type ImportPlan,
  importModes,
  type LeftOut,
  parseExportText,
} from '../shared/contracts/exportDocument';
import { useAsk } from '../shared/ui/background';
import { errorMessage } from '../shared/ui/errors';
import { formatCount, formatList, type MessageKey, t, tPlural } from '../shared/ui/i18n';
import { scopeText } from '../shared/ui/scopeText';
import { TableScroll } from '../shared/ui/TableScroll';

/** The kinds of data an import counts: a row of the preview, and a counted phrase in the result. */
const kinds = [
  { key: 'days', label: 'importKindDays', one: 'importCountDaysOne', other: 'importCountDaysOther' },
  {
    key: 'accountSnapshots',
    label: 'importKindAccountSnapshots',
    one: 'importCountSnapshotsOne',
    other: 'importCountSnapshotsOther',
  },
  { key: 'visits', label: 'importKindVisits', one: 'importCountVisitsOne', other: 'importCountVisitsOther' },
] as const satisfies ReadonlyArray<{ key: string; label: MessageKey; one: MessageKey; other: MessageKey }>;

const modeKeys = {
  merge: { label: 'importMergeLabel', explain: 'importMergeExplain' },
  replace: { label: 'importReplaceLabel', explain: 'importReplaceExplain' },
} as const satisfies Record<ImportMode, { label: MessageKey; explain: MessageKey }>;

/** What a preview cell says about the records in both, or only in smartTags, depending on the mode. */
const cellKeys = {
  overlap: { merge: 'importCellKeptAsStored', replace: 'importCellReplaced' },
  onlyStored: { merge: 'importCellKept', replace: 'importCellDeleted' },
} as const satisfies Record<'overlap' | 'onlyStored', Record<ImportMode, MessageKey>>;

function doneText(plan: ImportPlan): string {
  const counted = (pick: (counts: ImportCounts) => number) =>
    kinds.map((kind) => tPlural(pick(plan[kind.key]), kind.one, kind.other)).join(', ');
  const added = counted((counts) => counts.add);
  const restored = counted((counts) => counts.add + counts.overlap);
  return plan.mode === 'merge' ? t('importDoneMerge', added) : t('importDoneReplace', restored);
}

/**
 * What the current consent keeps out of the import, in words: one sentence per choice that is off, naming it as the
 * choices do, so the person knows what to turn on; nothing when the import brings in everything.
 */
function leftOutText(leftOut: LeftOut): string[] {
  const lines: string[] = [];
  const usage = [
    leftOut.days > 0 ? tPlural(leftOut.days, 'importCountDaysOne', 'importCountDaysOther') : '',
    leftOut.visits > 0 ? tPlural(leftOut.visits, 'importCountVisitsOne', 'importCountVisitsOther') : '',
  ].filter((phrase) => phrase !== '');
  if (usage.length > 0) lines.push(t('importLeftOutScope', scopeText.usage.label, formatList(usage)));
  if (leftOut.accountSnapshots > 0) {
    const snapshots = tPlural(leftOut.accountSnapshots, 'importCountSnapshotsOne', 'importCountSnapshotsOther');
    lines.push(t('importLeftOutScope', scopeText.account.label, snapshots));
  }
  if (leftOut.usedHashtagDays > 0) {
    const days = tPlural(leftOut.usedHashtagDays, 'importCountDaysOne', 'importCountDaysOther');
    lines.push(t('importLeftOutUsedHashtags', scopeText.account.label, days));
  }
  if (lines.length > 0) lines.push(t('importLeftOutTurnOn'));
  return lines;
}

type Preview = { state: 'loading' } | { state: 'ready'; plan: ImportPlan } | { state: 'failed' };
type Chosen = { document: ExportDocument; name: string };

/**
 * Import from an export file: validated here first (so a wrong file is explained before anything is sent), then
 * previewed by the background as a dry run, then applied only when the person confirms.
 */
export function ImportData() {
  const ask = useAsk();
  const id = useId();
  const fileInput = useRef<HTMLInputElement>(null);
  const [chosen, setChosen] = useState<Chosen | null>(null);
  const [mode, setMode] = useState<ImportMode>('merge');
  const [preview, setPreview] = useState<Preview>({ state: 'loading' });
  const [error, setError] = useState<string | null>(null);
  const [reading, setReading] = useState(false);
  const [importing, setImporting] = useState(false);
  const [done, setDone] = useState<ImportPlan | null>(null);

  useEffect(() => {
    if (!chosen) return;
    let current = true;
    setPreview({ state: 'loading' });
    setError(null);
    ask({ type: 'data.import', document: chosen.document, mode, dryRun: true }).then(
      (result) => {
        if (current) setPreview({ state: 'ready', plan: result.plan });
      },
      (failure: unknown) => {
        if (!current) return;
        setPreview({ state: 'failed' });
        setError(errorMessage(failure));
      },
    );
    return () => {
      current = false;
    };
  }, [ask, chosen, mode]);

  async function choose(file: File | undefined) {
    setChosen(null);
    setError(null);
    setDone(null);
    setMode('merge');
    if (!file) return;
    setReading(true);
    try {
      const parsed = parseExportText(await file.text());
      if (parsed.ok) setChosen({ document: parsed.document, name: file.name });
      else setError(parsed.error);
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setReading(false);
    }
  }

  async function runImport() {
    if (!chosen || importing) return;
    setImporting(true);
    setError(null);
    try {
      const result = await ask({ type: 'data.import', document: chosen.document, mode });
      setDone(result.plan);
      setChosen(null);
      if (fileInput.current) fileInput.current.value = '';
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setImporting(false);
    }
  }

  return (
    <div class="import">
      <p>{t('importExplain')}</p>
      <p>{t('importNeverConsent')}</p>
      <label for={`${id}-file`}>{t('importFile')}</label>{' '}
      <input
        type="file"
        id={`${id}-file`}
        ref={fileInput}
        accept="application/json,.json"
        data-testid="import-file"
        onChange={(event) => void choose(event.currentTarget.files?.[0])}
      />
      {chosen && (
        <>
          <fieldset class="import-mode">
            <legend>{t('importModeLegend')}</legend>
            {importModes.map((candidate) => (
              <div key={candidate} class="check">
                <input
                  type="radio"
                  id={`${id}-${candidate}`}
                  name="import-mode"
                  value={candidate}
                  checked={mode === candidate}
                  aria-describedby={`${id}-${candidate}-explain`}
                  onChange={() => setMode(candidate)}
                />
                <div>
                  <label for={`${id}-${candidate}`}>{t(modeKeys[candidate].label)}</label>
                  <p id={`${id}-${candidate}-explain`} class="hint">
                    {t(modeKeys[candidate].explain)}
                  </p>
                </div>
              </div>
            ))}
          </fieldset>
          {preview.state === 'ready' && preview.plan.mode === mode && (
            <div data-testid="import-preview">
              <TableScroll label={t('importPreviewCaption', chosen.name)}>
                <table>
                  <caption>{t('importPreviewCaption', chosen.name)}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t('importColumnKind')}</th>
                      <th scope="col">{t('importColumnAdd')}</th>
                      <th scope="col">{t('importColumnOverlap')}</th>
                      <th scope="col">{t('importColumnOnlyStored')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {kinds.map((kind) => {
                      const counts = preview.plan[kind.key];
                      return (
                        <tr key={kind.key}>
                          <th scope="row">{t(kind.label)}</th>
                          <td>{t('importCellAdd', formatCount(counts.add))}</td>
                          <td>{t(cellKeys.overlap[mode], formatCount(counts.overlap))}</td>
                          <td>{t(cellKeys.onlyStored[mode], formatCount(counts.onlyStored))}</td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </TableScroll>
              <p>{t(preview.plan.settingsChange ? 'importSettingsChange' : 'importSettingsKept')}</p>
              <LeftOutNote plan={preview.plan} />
              <button type="button" class="primary" data-testid="import-confirm" onClick={() => void runImport()}>
                {t('importConfirm')}
              </button>
            </div>
          )}
        </>
      )}
      <div role="status" class="status">
        {reading && t('importReading')}
        {chosen && preview.state === 'loading' && t('importPreviewing')}
        {importing && t('importImporting')}
        {done && <span data-testid="import-done">{doneText(done)}</span>}
      </div>
      {error !== null && (
        <p role="alert" class="alert" data-testid="import-error">
          {error}
        </p>
      )}
    </div>
  );
}

function LeftOutNote({ plan }: { plan: ImportPlan }) {
  const lines = leftOutText(plan.leftOut);
  if (lines.length === 0) return null;
  return (
    <div data-testid="import-left-out">
      {lines.map((line) => (
        <p key={line}>{line}</p>
      ))}
      {/* Replace empties storage first: records of a kind consent keeps out are not kept either. */}
      {plan.mode === 'replace' && <p>{t('importLeftOutReplace')}</p>}
    </div>
  );
}
