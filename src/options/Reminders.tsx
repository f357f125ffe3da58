import type { TargetedEvent } from 'preact';
import { useCallback, useEffect, useId, useRef, useState } from 'preact/hooks';
import browser, { type Permissions } from 'webextension-polyfill';
import type { SmartTagsDatabase } from '../shared/db';
import type { SettingsSetMessage } from '../shared/messages';
import { breakAfterMinutes, dailyLimitMinutes } from '../shared/records';
import { useAsk } from '../shared/ui/background';
import { errorMessage } from '../shared/ui/errors';
import { useLiveQuery } from '../shared/ui/useLiveQuery';

type Field = 'dailyLimitMinutes' | 'breakAfterMinutes';

// The bounds come from the schemas the background validates with, so the page and the background never disagree.
const bounds = (schema: typeof dailyLimitMinutes) => ({ min: schema.minValue ?? 0, max: schema.maxValue ?? 0 });

const text = {
  explain:
    'Reminders are gentle notifications from your browser while you use Instagram. They never block anything or ' +
    'close a tab.',
  dailyLimit: {
    toggle: 'Remind me when my Instagram time today passes a daily limit',
    minutes: 'Daily limit',
    hint:
      'One reminder a day, the first time today’s time passes the limit. If you raise the limit later that day, ' +
      'you get one more when you pass the new one.',
  },
  breakAfter: {
    toggle: 'Remind me to take a break',
    minutes: 'After this much Instagram without a break',
    hint:
      'A break is five minutes or more away from Instagram; shorter pauses do not count. One reminder for each ' +
      'stretch of use.',
  },
  minutes: 'minutes',
  permission:
    'Turning a reminder on asks your browser to let smartTags show notifications. Turning both off gives that ' +
    'permission back.',
  allowed: 'Your browser lets smartTags show notifications.',
  notAllowed: 'Your browser does not let smartTags show notifications.',
  notShown:
    'A reminder is on, but your browser does not let smartTags show notifications, so you would not see it. Allow ' +
    'them, or turn the reminder off.',
  allow: 'Allow notifications',
  loading: 'Loading…',
  failed: (message: string) => `Could not read your settings: ${message}`,
  invalid: (short: string, min: number, max: number) =>
    `${short}: enter a whole number of minutes from ${min} to ${max}. Nothing was saved.`,
  declined: (short: string) => `Your browser did not allow notifications, so the ${short} reminder stays off.`,
  declinedAllow: 'Your browser did not allow notifications.',
  permissionFailed: (message: string) =>
    `The browser could not ask for permission to show notifications (${message}). Nothing was changed.`,
  notReleased: (message: string) =>
    `The permission to show notifications could not be given back (${message}); you can remove it in the browser’s ` +
    'extension settings.',
  saving: 'Saving…',
  saved: 'Saved.',
};

interface Reminder {
  field: Field;
  /** The reminder's name in messages ("the daily limit reminder"). */
  short: string;
  toggleName: string;
  minutesName: string;
  labels: { toggle: string; minutes: string; hint: string };
  /** What the minutes field offers before the person has chosen. */
  suggested: number;
  min: number;
  max: number;
}

const reminders: readonly Reminder[] = [
  {
    field: 'dailyLimitMinutes',
    short: 'daily limit',
    toggleName: 'reminder-daily-limit',
    minutesName: 'daily-limit-minutes',
    labels: text.dailyLimit,
    suggested: 60,
    ...bounds(dailyLimitMinutes),
  },
  {
    field: 'breakAfterMinutes',
    short: 'take a break',
    toggleName: 'reminder-break',
    minutesName: 'break-after-minutes',
    labels: text.breakAfter,
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
 * The two reminders (src/shared/reminders.ts): a daily limit and "take a break". Turning one on asks the browser for
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
        [reminder.field]: text.invalid(reminder.labels.minutes, reminder.min, reminder.max),
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
        setProblem({ field: reminder.field, message: text.permissionFailed(errorMessage(error)) });
        return;
      }
      if (!granted) {
        setProblem({ field: reminder.field, message: text.declined(reminder.short) });
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
      setProblem({ field: null, message: text.notReleased(errorMessage(error)) });
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
        if (!granted) setProblem({ field: null, message: text.declinedAllow });
      })
      .catch((error: unknown) => setProblem({ field: null, message: text.permissionFailed(errorMessage(error)) }))
      .finally(check);
  }

  if (settings.state === 'loading') return <p aria-busy="true">{text.loading}</p>;
  if (settings.state === 'failed') {
    return (
      <p role="alert" class="alert">
        {text.failed(settings.message)}
      </p>
    );
  }
  const anyOn = reminders.some((reminder) => stored[reminder.field] !== null);
  const invalid = reminders.filter((reminder) => errors[reminder.field] !== undefined);
  const problemId = `${id}-problem`;
  return (
    <div class="reminders">
      <p>{text.explain}</p>
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
              <label for={toggleId}>{reminder.labels.toggle}</label>
            </p>
            <p class="reminder-minutes">
              <label for={minutesId}>{reminder.labels.minutes}</label>{' '}
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
              {text.minutes}
            </p>
            <p id={hintId} class="hint">
              {reminder.labels.hint}
            </p>
          </div>
        );
      })}
      <p class="hint">{text.permission}</p>
      {allowed !== null && (
        <p data-testid="reminders-permission" class={!allowed && anyOn ? 'notice' : undefined}>
          {allowed ? text.allowed : anyOn ? text.notShown : text.notAllowed}{' '}
          {!allowed && anyOn && (
            <button type="button" data-testid="reminders-allow" onClick={allow}>
              {text.allow}
            </button>
          )}
        </p>
      )}
      <div role="status" class="status">
        {status === 'saving' && text.saving}
        {status === 'saved' && <span data-testid="reminders-saved">{text.saved}</span>}
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
