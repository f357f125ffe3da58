import type { TargetedEvent } from 'preact';
import { useCallback, useEffect, useId, useRef, useState } from 'preact/hooks';
import browser, { type Permissions } from 'webextension-polyfill';
import type { SettingsSetMessage } from '../shared/contracts/messages';
import type { SmartTagsDatabase } from '../shared/storage/db';
import { breakAfterMinutes, dailyLimitMinutes } from '../shared/storage/records';
import { useAsk } from '../shared/ui/background';
import { errorMessage } from '../shared/ui/errors';
import { type MessageKey, t } from '../shared/ui/i18n';
import { useLiveQuery } from '../shared/ui/useLiveQuery';

type Field = 'dailyLimitMinutes' | 'breakAfterMinutes';

// The bounds come from the schemas the background validates with, so the page and the background never disagree.
const bounds = (schema: typeof dailyLimitMinutes) => ({ min: schema.minValue ?? 0, max: schema.maxValue ?? 0 });

interface Reminder {
  field: Field;
  toggleName: string;
  minutesName: string;
  /** The checkbox's and the minutes field's labels (the latter also names the field in errors), and the hint. */
  labels: { toggle: MessageKey; minutes: MessageKey; hint: MessageKey };
  /** Said when the browser's permission is declined while turning this reminder on. */
  declined: MessageKey;
  /** What the minutes field offers before the person has chosen. */
  suggested: number;
  min: number;
  max: number;
}

const reminders: readonly Reminder[] = [
  {
    field: 'dailyLimitMinutes',
    toggleName: 'reminder-daily-limit',
    minutesName: 'daily-limit-minutes',
    labels: {
      toggle: 'remindersDailyLimitToggle',
      minutes: 'remindersDailyLimitLabel',
      hint: 'remindersDailyLimitHint',
    },
    declined: 'remindersDeclinedDailyLimit',
    suggested: 60,
    ...bounds(dailyLimitMinutes),
  },
  {
    field: 'breakAfterMinutes',
    toggleName: 'reminder-break',
    minutesName: 'break-after-minutes',
    labels: { toggle: 'remindersBreakToggle', minutes: 'remindersBreakLabel', hint: 'remindersBreakHint' },
    declined: 'remindersDeclinedBreak',
    suggested: 30,
    ...bounds(breakAfterMinutes),
  },
];

const notificationsPermission = (): Permissions.Permissions => ({ permissions: ['notifications'] });

const change = (field: Field, minutes: number | null): SettingsSetMessage =>
  field === 'dailyLimitMinutes'
    ? { type: 'settings.set', dailyLimitMinutes: minutes }
    : { type: 'settings.set', breakAfterMinutes: minutes };

/**
 * Asks the browser to allow notifications. Browsers show the prompt only while handling the person's click, so call
 * this synchronously from the handler, before any `await`.
 */
function requestNotifications(): Promise<boolean> {
  try {
    return browser.permissions.request(notificationsPermission());
  } catch (error) {
    // Some browsers throw synchronously rather than reject; answer the same way either way.
    return Promise.reject(error);
  }
}

/** Whether the browser lets smartTags show notifications, kept current when it is granted or revoked anywhere. */
function useNotificationsAllowed(): { allowed: boolean | null; check: () => void } {
  const [allowed, setAllowed] = useState<boolean | null>(null);
  const check = useCallback(() => {
    browser.permissions.contains(notificationsPermission()).then(setAllowed, () => setAllowed(false));
  }, []);
  useEffect(() => {
    check();
    browser.permissions.onAdded.addListener(check);
    browser.permissions.onRemoved.addListener(check);
    return () => {
      browser.permissions.onAdded.removeListener(check);
      browser.permissions.onRemoved.removeListener(check);
    };
  }, [check]);
  return { allowed, check };
}

/**
 * What the person typed or chose, with the stored value it was typed or chosen over: it is shown only while that is
 * still what is stored, so once the background stores the change the stored value shows, with no effect to clear it.
 */
type Draft = { raw: string; over: number | null };
type Pending = { field: Field; on: boolean; over: number | null };
type Drafts = Partial<Record<Field, Draft>>;
type Errors = Partial<Record<Field, string>>;
/** What went wrong turning a reminder on or off (field), or with the permission itself (null). */
type Problem = { field: Field | null; message: string };

/**
 * The two reminders (src/shared/domain/reminders.ts): a daily limit and "take a break". Turning one on asks the browser for
 * the notifications permission in the same click, and only then saves it; a value out of range is shown as an error
 * and not sent. Turning the last one off gives the permission back.
 */
export function Reminders({ db }: { db: SmartTagsDatabase }) {
  const ask = useAsk();
  const id = useId();
  const settings = useLiveQuery(() => db.settings.get('current'), [db]);
  const current = settings.state === 'ready' ? settings.value : undefined;
  // Settings written before reminders existed lack the fields: off.
  const stored: Record<Field, number | null> = {
    dailyLimitMinutes: current?.dailyLimitMinutes ?? null,
    breakAfterMinutes: current?.breakAfterMinutes ?? null,
  };
  const { allowed, check } = useNotificationsAllowed();
  const [drafts, setDrafts] = useState<Drafts>({});
  const [pending, setPending] = useState<Pending | null>(null);
  // Minutes out of range or not saved, per field; and the last problem turning a reminder on or off.
  const [errors, setErrors] = useState<Errors>({});
  const [problem, setProblem] = useState<Problem | null>(null);
  const [status, setStatus] = useState<'saving' | 'saved' | null>(null);
  // A ref, not state: a second click can arrive before the re-render that would show the first one pending.
  const busy = useRef(false);

  const isOn = (field: Field) =>
    pending?.field === field && pending.over === stored[field] ? pending.on : stored[field] !== null;
  function shown(reminder: Reminder): string {
    const value = stored[reminder.field];
    const draft = drafts[reminder.field];
    // While off, the minutes typed (or those it had when turned off) stay, as the value to turn it on with.
    if (draft && (draft.over === value || value === null)) return draft.raw;
    return String(value ?? reminder.suggested);
  }
  const setDraft = (field: Field, raw: string | undefined) =>
    setDrafts((previous) => ({ ...previous, [field]: raw === undefined ? undefined : { raw, over: stored[field] } }));

  /** The minutes typed for a reminder, or undefined (with the error shown) when out of range. */
  function minutesOf(reminder: Reminder, raw: string): number | undefined {
    const value = raw.trim() === '' ? Number.NaN : Number(raw);
    if (!Number.isInteger(value) || value < reminder.min || value > reminder.max) {
      setErrors((previous) => ({
        ...previous,
        // The bounds are written as they are typed into the number field: digits without grouping ("1440").
        [reminder.field]: t('remindersInvalid', t(reminder.labels.minutes), String(reminder.min), String(reminder.max)),
      }));
      setStatus(null);
      return undefined;
    }
    setErrors((previous) => ({ ...previous, [reminder.field]: undefined }));
    return value;
  }

  function toggle(reminder: Reminder, event: TargetedEvent<HTMLInputElement>) {
    const input = event.currentTarget;
    const on = input.checked;
    if (busy.current) {
      input.checked = !on;
      return;
    }
    setProblem(null);
    if (!on) {
      busy.current = true;
      setDraft(reminder.field, shown(reminder));
      void save(reminder, null, Promise.resolve(true));
      return;
    }
    const minutes = minutesOf(reminder, shown(reminder));
    if (minutes === undefined) {
      input.checked = false;
      return;
    }
    busy.current = true;
    // The browser shows its prompt only while handling the click: ask before anything is awaited.
    void save(reminder, minutes, requestNotifications());
  }

  /** Saves a reminder on (`minutes`, once `permission` is granted) or off (null), then releases an unused permission. */
  async function save(reminder: Reminder, minutes: number | null, permission: Promise<boolean>) {
    setPending({ field: reminder.field, on: minutes !== null, over: stored[reminder.field] });
    setStatus('saving');
    let saved = false;
    try {
      let granted: boolean;
      try {
        granted = await permission;
      } catch (error) {
        setProblem({ field: reminder.field, message: t('remindersPermissionFailed', errorMessage(error)) });
        return;
      }
      if (!granted) {
        setProblem({ field: reminder.field, message: t(reminder.declined) });
        return;
      }
      await ask(change(reminder.field, minutes));
      saved = true;
      setStatus('saved');
      const other = reminders.find((candidate) => candidate.field !== reminder.field);
      if (minutes === null && other && !isOn(other.field)) await release();
    } catch (error) {
      setProblem({ field: reminder.field, message: errorMessage(error) });
    } finally {
      busy.current = false;
      if (!saved) {
        setPending(null);
        setStatus(null);
      }
      check();
    }
  }

  /** Both reminders are off: smartTags has no use for notifications, so it gives the permission back. */
  async function release() {
    try {
      await browser.permissions.remove(notificationsPermission());
    } catch (error) {
      setProblem({ field: null, message: t('remindersNotReleased', errorMessage(error)) });
    }
  }

  /** A changed number of minutes: saved at once while the reminder is on, kept for turning it on otherwise. */
  async function changeMinutes(reminder: Reminder, raw: string) {
    setDraft(reminder.field, raw);
    const minutes = minutesOf(reminder, raw);
    if (minutes === undefined || !isOn(reminder.field)) return;
    setStatus('saving');
    try {
      await ask(change(reminder.field, minutes));
      setStatus('saved');
    } catch (error) {
      setDraft(reminder.field, undefined);
      setErrors((previous) => ({ ...previous, [reminder.field]: errorMessage(error) }));
      setStatus(null);
    }
  }

  function allow() {
    setProblem(null);
    // As in toggle: the request must be made while handling the click.
    requestNotifications()
      .then((granted) => {
        if (!granted) setProblem({ field: null, message: t('remindersDeclinedAllow') });
      })
      .catch((error: unknown) =>
        setProblem({ field: null, message: t('remindersPermissionFailed', errorMessage(error)) }),
      )
      .finally(check);
  }

  if (settings.state === 'loading') return <p aria-busy="true">{t('commonLoading')}</p>;
  if (settings.state === 'failed') {
    return (
      <p role="alert" class="alert">
        {t('commonSettingsFailed', settings.message)}
      </p>
    );
  }
  const anyOn = reminders.some((reminder) => stored[reminder.field] !== null);
  const invalid = reminders.filter((reminder) => errors[reminder.field] !== undefined);
  const problemId = `${id}-problem`;
  return (
    <div class="reminders">
      <p>{t('remindersExplain')}</p>
      {reminders.map((reminder) => {
        const toggleId = `${id}-${reminder.toggleName}`;
        const minutesId = `${id}-${reminder.minutesName}`;
        const hintId = `${id}-${reminder.toggleName}-hint`;
        const errorId = `${minutesId}-error`;
        const hasError = errors[reminder.field] !== undefined;
        return (
          <div key={reminder.field} class="reminder">
            <p class="reminder-toggle">
              <input
                type="checkbox"
                id={toggleId}
                name={reminder.toggleName}
                checked={isOn(reminder.field)}
                aria-describedby={problem?.field === reminder.field ? `${hintId} ${problemId}` : hintId}
                onChange={(event) => toggle(reminder, event)}
              />{' '}
              <label for={toggleId}>{t(reminder.labels.toggle)}</label>
            </p>
            <p class="reminder-minutes">
              <label for={minutesId}>{t(reminder.labels.minutes)}</label>{' '}
              <input
                id={minutesId}
                name={reminder.minutesName}
                type="number"
                inputMode="numeric"
                min={reminder.min}
                max={reminder.max}
                step={1}
                required
                value={shown(reminder)}
                aria-invalid={hasError}
                aria-describedby={hasError ? `${hintId} ${errorId}` : hintId}
                onInput={(event) => setDraft(reminder.field, event.currentTarget.value)}
                onChange={(event) => void changeMinutes(reminder, event.currentTarget.value)}
              />{' '}
              {t('remindersMinutes')}
            </p>
            <p id={hintId} class="hint">
              {t(reminder.labels.hint)}
            </p>
          </div>
        );
      })}
      <p class="hint">{t('remindersPermission')}</p>
      {allowed !== null && (
        <p data-testid="reminders-permission" class={!allowed && anyOn ? 'notice' : undefined}>
          {t(allowed ? 'remindersAllowed' : anyOn ? 'remindersNotShown' : 'remindersNotAllowed')}{' '}
          {!allowed && anyOn && (
            <button type="button" data-testid="reminders-allow" onClick={allow}>
              {t('remindersAllow')}
            </button>
          )}
        </p>
      )}
      <div role="status" class="status">
        {status === 'saving' && t('commonSaving')}
        {status === 'saved' && <span data-testid="reminders-saved">{t('commonSaved')}</span>}
      </div>
      {(invalid.length > 0 || problem !== null) && (
        <div role="alert" class="alert" data-testid="reminders-error">
          {invalid.map((reminder) => (
            <p key={reminder.field} id={`${id}-${reminder.minutesName}-error`}>
              {errors[reminder.field]}
            </p>
          ))}
          {problem !== null && <p id={problemId}>{problem.message}</p>}
        </div>
      )}
    </div>
  );
}
