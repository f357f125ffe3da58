import { useEffect, useId, useState } from 'preact/hooks';
import type { SmartTagsDatabase } from '../shared/storage/db';
import type { SettingsRecord } from '../shared/storage/records';
import { useAsk } from '../shared/ui/background';
import { errorMessage } from '../shared/ui/errors';
import { formatCount, t } from '../shared/ui/i18n';
import { useLiveQuery } from '../shared/ui/useLiveQuery';

type RetentionDays = SettingsRecord['retentionDays'];

const choices: ReadonlyArray<{ value: string; days: RetentionDays }> = [
  { value: 'forever', days: null },
  { value: '30', days: 30 },
  { value: '90', days: 90 },
  { value: '365', days: 365 },
];

const choiceLabel = (days: RetentionDays) =>
  days === null ? t('retentionForever') : t('retentionDays', formatCount(days));

const optionValue = (days: RetentionDays) => choices.find((choice) => choice.days === days)?.value ?? 'forever';

/** How long recorded data is kept. The stored setting is read live; changes go through the background. */
export function Retention({ db }: { db: SmartTagsDatabase }) {
  const ask = useAsk();
  const id = useId();
  const settings = useLiveQuery(() => db.settings.get('current'), [db]);
  const stored: RetentionDays = settings.state === 'ready' ? (settings.value?.retentionDays ?? null) : null;
  // The choice just made, shown until the stored setting catches up (or reverted if saving failed).
  const [chosen, setChosen] = useState<RetentionDays | undefined>(undefined);
  const [status, setStatus] = useState<{ kind: 'saving' | 'saved' } | { kind: 'failed'; message: string } | null>(null);

  useEffect(() => setChosen(undefined), [stored]);

  async function change(value: string) {
    const choice = choices.find((candidate) => candidate.value === value);
    if (!choice) return;
    setChosen(choice.days);
    setStatus({ kind: 'saving' });
    try {
      await ask({ type: 'settings.set', retentionDays: choice.days });
      setStatus({ kind: 'saved' });
    } catch (error) {
      setChosen(undefined);
      setStatus({ kind: 'failed', message: errorMessage(error) });
    }
  }

  if (settings.state === 'loading') return <p aria-busy="true">{t('commonLoading')}</p>;
  if (settings.state === 'failed') {
    return (
      <p role="alert" class="alert">
        {t('commonSettingsFailed', settings.message)}
      </p>
    );
  }
  return (
    <div class="retention">
      <label for={`${id}-retention`}>{t('retentionLabel')}</label>{' '}
      <select
        id={`${id}-retention`}
        name="retention"
        value={optionValue(chosen === undefined ? stored : chosen)}
        aria-describedby={`${id}-explain`}
        onChange={(event) => void change(event.currentTarget.value)}
      >
        {choices.map((choice) => (
          <option key={choice.value} value={choice.value}>
            {choiceLabel(choice.days)}
          </option>
        ))}
      </select>
      <p id={`${id}-explain`} class="hint">
        {t('retentionExplain')}
      </p>
      <div role="status" class="status">
        {status?.kind === 'saving' && t('commonSaving')}
        {status?.kind === 'saved' && <span data-testid="retention-saved">{t('commonSaved')}</span>}
      </div>
      {status?.kind === 'failed' && (
        <p role="alert" class="alert" data-testid="retention-error">
          {status.message}
        </p>
      )}
    </div>
  );
}
