import { useState } from 'preact/hooks';
import { exportCsvFiles } from '../shared/csv';
import type { ExportDocument } from '../shared/exportFormat';
import { useAsk } from '../shared/ui/background';
import { downloadFile, todayForFileName } from '../shared/ui/download';
import { errorMessage } from '../shared/ui/errors';

const text = {
  explain:
    'The JSON file holds everything smartTags stores — recorded data, your choices and their history, and your settings — and can be imported again. The CSV tables (days, hashtags, account snapshots) open in a spreadsheet.',
  json: 'Download my data (JSON)',
  csv: 'Download CSV tables',
  preparing: 'Preparing your data…',
  done: (names: readonly string[]) => `Downloaded ${names.join(', ')}.`,
};

type Status = { kind: 'busy' } | { kind: 'done'; names: string[] } | { kind: 'failed'; message: string };

/** Downloads what smartTags stores, as the background exports it. */
export function ExportData() {
  const ask = useAsk();
  const [status, setStatus] = useState<Status | null>(null);

  async function download(save: (document: ExportDocument) => string[]) {
    if (status?.kind === 'busy') return;
    setStatus({ kind: 'busy' });
    try {
      setStatus({ kind: 'done', names: save(await ask({ type: 'data.export' })) });
    } catch (error) {
      setStatus({ kind: 'failed', message: errorMessage(error) });
    }
  }

  const saveJson = (document: ExportDocument) => {
    const name = `smarttags-export-${todayForFileName()}.json`;
    downloadFile(name, `${JSON.stringify(document, null, 2)}\n`, 'application/json');
    return [name];
  };

  const saveCsv = (document: ExportDocument) =>
    exportCsvFiles(document).map((file) => {
      downloadFile(file.name, file.text, 'text/csv');
      return file.name;
    });

  return (
    <div class="export">
      <p>{text.explain}</p>
      <div class="button-row">
        <button type="button" data-testid="export-json" onClick={() => void download(saveJson)}>
          {text.json}
        </button>
        <button type="button" data-testid="export-csv" onClick={() => void download(saveCsv)}>
          {text.csv}
        </button>
      </div>
      <div role="status" class="status">
        {status?.kind === 'busy' && text.preparing}
        {status?.kind === 'done' && <span data-testid="export-done">{text.done(status.names)}</span>}
      </div>
      {status?.kind === 'failed' && (
        <p role="alert" class="alert" data-testid="export-error">
          {status.message}
        </p>
      )}
    </div>
  );
}
