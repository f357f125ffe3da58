import { useState } from 'preact/hooks';
import { exportCsvFiles } from '../shared/contracts/exportCsv';
import type { ExportDocument } from '../shared/contracts/exportDocument';
import { localToday } from '../shared/domain/dates';
import { useAsk } from '../shared/ui/background';
import { downloadFile } from '../shared/ui/download';
import { errorMessage } from '../shared/ui/errors';
import { t } from '../shared/ui/i18n';

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
    const name = `smarttags-export-${localToday()}.json`;
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
      <p>{t('exportExplain')}</p>
      <div class="button-row">
        <button type="button" data-testid="export-json" onClick={() => void download(saveJson)}>
          {t('exportJson')}
        </button>
        <button type="button" data-testid="export-csv" onClick={() => void download(saveCsv)}>
          {t('exportCsv')}
        </button>
      </div>
      <div role="status" class="status">
        {status?.kind === 'busy' && t('exportPreparing')}
        {status?.kind === 'done' && <span data-testid="export-done">{t('exportDone', status.names.join(', '))}</span>}
      </div>
      {status?.kind === 'failed' && (
        <p role="alert" class="alert" data-testid="export-error">
          {status.message}
        </p>
      )}
    </div>
  );
}
