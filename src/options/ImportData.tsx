import { useEffect, useId, useRef, useState } from 'preact/hooks';
import {
  type ExportDocument,
  type ImportCounts,
  type ImportMode,
  type ImportPlan,
  importModes,
  parseExportText,
} from '../shared/exportFormat';
import { useAsk } from '../shared/ui/background';
import { errorMessage } from '../shared/ui/errors';

const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;

const kinds = [
  { key: 'days', label: 'Recorded days', one: 'day', many: 'days' },
  { key: 'accountSnapshots', label: 'Account snapshots', one: 'account snapshot', many: 'account snapshots' },
  { key: 'visits', label: 'Instagram visits', one: 'visit', many: 'visits' },
] as const;

const text = {
  explain: 'Load a file you exported from smartTags, on this or another device.',
  neverConsent: 'Your choices about what smartTags may do are never imported: a file cannot turn anything on.',
  file: 'Export file (.json)',
  reading: 'Reading the file…',
  modeLegend: 'How to import',
  modes: {
    merge: {
      label: 'Merge',
      explain: 'Adds what you do not have yet and never changes anything already stored.',
    },
    replace: {
      label: 'Replace',
      explain: 'Deletes your recorded data and restores the file’s in its place, with the file’s retention setting.',
    },
  } satisfies Record<ImportMode, { label: string; explain: string }>,
  previewing: 'Checking what the import would change…',
  previewCaption: (name: string) => `What importing ${name} would change`,
  columns: { kind: 'Data', add: 'Only in the file', overlap: 'In both', onlyStored: 'Only in smartTags now' },
  cell: {
    add: (count: number) => `${count} added`,
    overlap: (count: number, mode: ImportMode) =>
      mode === 'merge' ? `${count} kept as stored` : `${count} replaced by the file’s`,
    onlyStored: (count: number, mode: ImportMode) => (mode === 'merge' ? `${count} kept` : `${count} deleted`),
  },
  settingsChange: 'Your retention setting will be replaced by the file’s.',
  settingsKept: 'Your settings will not change.',
  confirm: 'Import',
  importing: 'Importing…',
  done: (plan: ImportPlan) => {
    const counted = (pick: (counts: ImportCounts) => number) =>
      kinds.map((kind) => plural(pick(plan[kind.key]), kind.one, kind.many)).join(', ');
    return plan.mode === 'merge'
      ? `Imported: ${counted((counts) => counts.add)} added. Nothing that was stored changed.`
      : `Imported: your recorded data was replaced by the file’s ${counted((counts) => counts.add + counts.overlap)}.`;
  },
};

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
      <p>{text.explain}</p>
      <p>{text.neverConsent}</p>
      <label for={`${id}-file`}>{text.file}</label>{' '}
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
            <legend>{text.modeLegend}</legend>
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
                  <label for={`${id}-${candidate}`}>{text.modes[candidate].label}</label>
                  <p id={`${id}-${candidate}-explain`} class="hint">
                    {text.modes[candidate].explain}
                  </p>
                </div>
              </div>
            ))}
          </fieldset>
          {preview.state === 'ready' && preview.plan.mode === mode && (
            <div data-testid="import-preview">
              <div class="table-scroll">
                <table>
                  <caption>{text.previewCaption(chosen.name)}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{text.columns.kind}</th>
                      <th scope="col">{text.columns.add}</th>
                      <th scope="col">{text.columns.overlap}</th>
                      <th scope="col">{text.columns.onlyStored}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {kinds.map((kind) => {
                      const counts = preview.plan[kind.key];
                      return (
                        <tr key={kind.key}>
                          <th scope="row">{kind.label}</th>
                          <td>{text.cell.add(counts.add)}</td>
                          <td>{text.cell.overlap(counts.overlap, mode)}</td>
                          <td>{text.cell.onlyStored(counts.onlyStored, mode)}</td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </div>
              <p>{preview.plan.settingsChange ? text.settingsChange : text.settingsKept}</p>
              <button type="button" class="primary" data-testid="import-confirm" onClick={() => void runImport()}>
                {text.confirm}
              </button>
            </div>
          )}
        </>
      )}
      <div role="status" class="status">
        {reading && text.reading}
        {chosen && preview.state === 'loading' && text.previewing}
        {importing && text.importing}
        {done && <span data-testid="import-done">{text.done(done)}</span>}
      </div>
      {error !== null && (
        <p role="alert" class="alert" data-testid="import-error">
          {error}
        </p>
      )}
    </div>
  );
}
