import { useEffect, useId, useState } from 'preact/hooks';
import type { SmartTagsDatabase } from '../shared/storage/db';
import { defaultSettings, idleSeconds, passiveSeconds } from '../shared/storage/records';
import { useAsk } from '../shared/ui/background';
import { errorMessage } from '../shared/ui/errors';
import { type MessageKey, t } from '../shared/ui/i18n';
import { useLiveQuery } from '../shared/ui/useLiveQuery';

type Field = 'idleSeconds' | 'passiveSeconds';

// The bounds come from the schemas the background validates with, so the page and the background never disagree.
const bounds = (schema: typeof idleSeconds) => ({ min: schema.minValue ?? 0, max: schema.maxValue ?? 0 });

const fields: ReadonlyArray<{
  field: Field;
  name: string;
  label: MessageKey;
  short: MessageKey;
  min: number;
  max: number;
}> = [
  {
    field: 'idleSeconds',
    name: 'idle-seconds',
    label: 'attentionIdleLabel',
    short: 'attentionIdleShort',
    ...bounds(idleSeconds),
  },
  {
    field: 'passiveSeconds',
    name: 'passive-seconds',
    label: 'attentionPassiveLabel',
    short: 'attentionPassiveShort',
    ...bounds(passiveSeconds),
  },
];

type Drafts = Partial<Record<Field, string>>;
type Errors = Partial<Record<Field, string>>;

/**
 * The two attention thresholds (their meaning: src/content/attention.ts). The stored settings are read live; a value
 * is checked here and sent to the background when the field changes (on leaving it or pressing Enter), not on every
 * keystroke. A value out of range is shown as an error and not sent.
 */
export function AttentionSettings({ db }: { db: SmartTagsDatabase }) {
  const ask = useAsk();
  const id = useId();
  const settings = useLiveQuery(() => db.settings.get('current'), [db]);
  const current = settings.state === 'ready' ? settings.value : undefined;
  const stored: Record<Field, number> = {
    // Settings written before these fields existed lack them: they mean the defaults.
    idleSeconds: current?.idleSeconds ?? defaultSettings.idleSeconds,
    passiveSeconds: current?.passiveSeconds ?? defaultSettings.passiveSeconds,
  };
  // What the person typed, shown until the stored setting catches up (or dropped if saving failed).
  const [drafts, setDrafts] = useState<Drafts>({});
  const [errors, setErrors] = useState<Errors>({});
  const [status, setStatus] = useState<'saving' | 'saved' | null>(null);

  useEffect(() => forget('idleSeconds'), [stored.idleSeconds]);
  useEffect(() => forget('passiveSeconds'), [stored.passiveSeconds]);

  function forget(field: Field) {
    setDrafts((previous) => ({ ...previous, [field]: undefined }));
    setErrors((previous) => ({ ...previous, [field]: undefined }));
  }

  async function commit(field: (typeof fields)[number], raw: string) {
    setDrafts((previous) => ({ ...previous, [field.field]: raw }));
    const value = raw.trim() === '' ? Number.NaN : Number(raw);
    if (!Number.isInteger(value) || value < field.min || value > field.max) {
      // The bounds are written as they are typed into the number field: digits without grouping ("1800").
      const invalid = t('attentionInvalid', t(field.short), String(field.min), String(field.max));
      setErrors((previous) => ({ ...previous, [field.field]: invalid }));
      setStatus(null);
      return;
    }
    setErrors((previous) => ({ ...previous, [field.field]: undefined }));
    setStatus('saving');
    try {
      await ask(
        field.field === 'idleSeconds'
          ? { type: 'settings.set', idleSeconds: value }
          : { type: 'settings.set', passiveSeconds: value },
      );
      setStatus('saved');
    } catch (error) {
      setDrafts((previous) => ({ ...previous, [field.field]: undefined }));
      setErrors((previous) => ({ ...previous, [field.field]: errorMessage(error) }));
      setStatus(null);
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
  const messages = fields.filter((field) => errors[field.field] !== undefined);
  return (
    <div class="attention">
      <p id={`${id}-explain`}>{t('attentionExplain')}</p>
      {fields.map((field) => (
        <p key={field.field} class="attention-field">
          <label for={`${id}-${field.name}`}>{t(field.label)}</label>{' '}
          <input
            id={`${id}-${field.name}`}
            name={field.name}
            type="number"
            inputMode="numeric"
            min={field.min}
            max={field.max}
            step={1}
            required
            value={drafts[field.field] ?? String(stored[field.field])}
            aria-invalid={errors[field.field] !== undefined}
            aria-describedby={
              errors[field.field] === undefined ? `${id}-applies` : `${id}-applies ${id}-${field.name}-error`
            }
            onInput={(event) => {
              const raw = event.currentTarget.value;
              setDrafts((previous) => ({ ...previous, [field.field]: raw }));
            }}
            onChange={(event) => void commit(field, event.currentTarget.value)}
          />{' '}
          {t('attentionSeconds')}
        </p>
      ))}
      <p id={`${id}-applies`} class="hint">
        {t('attentionApplies')}
      </p>
      <div role="status" class="status">
        {status === 'saving' && t('commonSaving')}
        {status === 'saved' && <span data-testid="attention-saved">{t('commonSaved')}</span>}
      </div>
      {messages.length > 0 && (
        <div role="alert" class="alert" data-testid="attention-error">
          {messages.map((field) => (
            <p key={field.field} id={`${id}-${field.name}-error`}>
              {errors[field.field]}
            </p>
          ))}
        </div>
      )}
    </div>
  );
}
