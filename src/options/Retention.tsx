import { useEffect, useId, useState } from 'preact/hooks';
import type { SmartTagsDatabase } from '../shared/db';
import type { SettingsRecord } from '../shared/records';
import { useAsk } from '../shared/ui/background';
import { errorMessage } from '../shared/ui/errors';
import { useLiveQuery } from '../shared/ui/useLiveQuery';

type RetentionDays = SettingsRecord['retentionDays'];

const choices: ReadonlyArray<{ value: string; days: RetentionDays; label: string }> = [
  { value: 'forever', days: null, label: 'Keep until I delete it' },
  { value: '30', days: 30, label: '30 days' },
  { value: '90', days: 90, label: '90 days' },
  { value: '365', days: 365, label: '365 days' },
];

const text = {
  label: 'Keep recorded data',
  explain:
    'Recorded days, account snapshots and visits older than this are deleted automatically: once a day, and right away when you shorten it.',
  loading: 'Loading…',
  failed: (message: string) => `Could not read your settings: ${message}`,
  saving: 'Saving…',
  saved: 'Saved.',
};

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

  if (settings.state === 'loading') return <p aria-busy="true">{text.loading}</p>;
  if (settings.state === 'failed') {
    return (
      <p role="alert" class="alert">
        {text.failed(settings.message)}
      </p>
    );
  }
  return (
    <div class="retention">
      <label for={`${id}-retention`}>{text.label}</label>{' '}
      <select
        id={`${id}-retention`}
        name="retention"
        value={optionValue(chosen === undefined ? stored : chosen)}
        aria-describedby={`${id}-explain`}
        onChange={(event) => void change(event.currentTarget.value)}
      >
        {choices.map((choice) => (
          <option key={choice.value} value={choice.value}>
            {choice.label}
          </option>
        ))}
      </select>
      <p id={`${id}-explain`} class="hint">
        {text.explain}
      </p>
      <div role="status" class="status">
        {status?.kind === 'saving' && text.saving}
        {status?.kind === 'saved' && <span data-testid="retention-saved">{text.saved}</span>}
      </div>
      {status?.kind === 'failed' && (
        <p role="alert" class="alert" data-testid="retention-error">
          {status.message}
        </p>
      )}
    </div>
  );
}
