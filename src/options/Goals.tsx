import type { TargetedEvent } from 'preact';
import { useCallback, useEffect, useId, useRef, useState } from 'preact/hooks';
import browser, { type Permissions } from 'webextension-polyfill';
import type { SettingsSetMessage } from '../shared/contracts/messages';
import { localToday } from '../shared/domain/dates';
import { goalStreak, goalsOf, hasGoals } from '../shared/domain/goals';
import { type Surface, surfaces } from '../shared/domain/routes';
import type { SmartTagsDatabase } from '../shared/storage/db';
import {
  breakAfterMinutes,
  dailyLimitMinutes,
  defaultWeeklyReport,
  reelNudgeCount,
  type SettingsRecord,
  surfaceLimitMinutes,
  type WeeklyReportSchedule,
} from '../shared/storage/records';
import { useAsk } from '../shared/ui/background';
import { errorMessage } from '../shared/ui/errors';
import { formatHour, formatWeekday } from '../shared/ui/format';
import { type MessageKey, t, tPlural } from '../shared/ui/i18n';
import { surfaceLabels } from '../shared/ui/surfaces';
import { useLiveQuery } from '../shared/ui/useLiveQuery';

// The bounds come from the schemas the background validates with, so the page and the background never disagree.
const bounds = (schema: typeof dailyLimitMinutes) => ({ min: schema.minValue ?? 0, max: schema.maxValue ?? 0 });

/** A goal or nudge set by one number: on with that number, or off. */
interface NumberSetting {
  /** Unique among the settings: keys the drafts, errors and the pending toggle. */
  id: string;
  read: (settings: SettingsRecord | undefined) => number | null;
  change: (value: number | null) => SettingsSetMessage;
  toggleName: string;
  valueName: string;
  /** The checkbox's label; the number field's (it also names the field in errors); the hint under them, if any. */
  toggleLabel: () => string;
  valueLabel: () => string;
  hint?: MessageKey;
  /** The unit after the number field, and the error for a number out of range. */
  unit: MessageKey;
  invalid: MessageKey;
  /** Said when the browser's permission is declined while turning this on. */
  declined: () => string;
  /** What the number field offers before the person has chosen. */
  suggested: number;
  min: number;
  max: number;
}

const overallLimit: NumberSetting = {
  id: 'dailyLimitMinutes',
  read: (settings) => settings?.dailyLimitMinutes ?? null,
  change: (value) => ({ type: 'settings.set', dailyLimitMinutes: value }),
  toggleName: 'reminder-daily-limit',
  valueName: 'daily-limit-minutes',
  toggleLabel: () => t('remindersDailyLimitToggle'),
  valueLabel: () => t('remindersDailyLimitLabel'),
  hint: 'remindersDailyLimitHint',
  unit: 'remindersMinutes',
  invalid: 'remindersInvalid',
  declined: () => t('remindersDeclinedDailyLimit'),
  suggested: 60,
  ...bounds(dailyLimitMinutes),
};

/** Reels is where a limit is most often wanted, and shortest: it is offered with 20 minutes, the others with 30. */
const surfaceLimit = (surface: Surface): NumberSetting => ({
  id: `surface-${surface}`,
  read: (settings) => settings?.surfaceLimitsMinutes?.[surface] ?? null,
  change: (value) => ({ type: 'settings.set', surfaceLimitsMinutes: { [surface]: value } }),
  toggleName: `goal-${surface}`,
  valueName: `goal-${surface}-minutes`,
  toggleLabel: () => surfaceLabels[surface],
  valueLabel: () => t('goalsSurfaceLimitLabel', surfaceLabels[surface]),
  unit: 'remindersMinutes',
  invalid: 'remindersInvalid',
  declined: () => t('goalsDeclinedSurface', surfaceLabels[surface]),
  suggested: surface === 'reels' ? 20 : 30,
  ...bounds(surfaceLimitMinutes),
});

const reelNudge: NumberSetting = {
  id: 'reelNudgeCount',
  read: (settings) => settings?.reelNudgeCount ?? null,
  change: (value) => ({ type: 'settings.set', reelNudgeCount: value }),
  toggleName: 'goal-reel-nudge',
  valueName: 'reel-nudge-count',
  toggleLabel: () => t('goalsReelNudgeToggle'),
  valueLabel: () => t('goalsReelNudgeLabel'),
  hint: 'goalsReelNudgeHint',
  unit: 'goalsReelsUnit',
  invalid: 'goalsInvalidCount',
  declined: () => t('goalsDeclinedReelNudge'),
  suggested: 20,
  ...bounds(reelNudgeCount),
};

const takeABreak: NumberSetting = {
  id: 'breakAfterMinutes',
  read: (settings) => settings?.breakAfterMinutes ?? null,
  change: (value) => ({ type: 'settings.set', breakAfterMinutes: value }),
  toggleName: 'reminder-break',
  valueName: 'break-after-minutes',
  toggleLabel: () => t('remindersBreakToggle'),
  valueLabel: () => t('remindersBreakLabel'),
  hint: 'remindersBreakHint',
  unit: 'remindersMinutes',
  invalid: 'remindersInvalid',
  declined: () => t('remindersDeclinedBreak'),
  suggested: 30,
  ...bounds(breakAfterMinutes),
};

const surfaceLimits = surfaces.map(surfaceLimit);
const numberSettings: readonly NumberSetting[] = [overallLimit, ...surfaceLimits, reelNudge, takeABreak];
/** The weekly report's id among the toggles. */
const weeklyId = 'weeklyReport';
const weekdays = [1, 2, 3, 4, 5, 6, 7] as const;
const hours = Array.from({ length: 24 }, (_, hour) => hour);

const notificationsPermission = (): Permissions.Permissions => ({ permissions: ['notifications'] });

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
 * What the person typed, with the stored value it was typed over: it is shown only while that is still what is stored,
 * so once the background stores the change the stored value shows, with no effect to clear it.
 */
type Draft = { raw: string; over: number | null };
/** A toggle clicked and not yet stored: on or off, over the stored value (a number, or the report's on/off). */
type Pending = { id: string; on: boolean; over: number | boolean | null };
/** What went wrong turning something on or off (its id), or with the permission itself (null). */
type Problem = { id: string | null; message: string };

/**
 * Goals and nudges (src/shared/domain/goals.ts, src/shared/domain/reminders.ts): daily limits overall and per part of
 * Instagram, with the streak of days kept within them; the reels-in-a-row and take-a-break nudges; the weekly report
 * (src/shared/domain/weeklyReport.ts). Each notifies, never blocks. Turning one on asks the browser for the
 * notifications permission in the same click, and only then saves it; a value out of range is shown as an error and
 * not sent. Turning the last one off gives the permission back.
 */
export function Goals({ db }: { db: SmartTagsDatabase }) {
  const ask = useAsk();
  const id = useId();
  const settings = useLiveQuery(() => db.settings.get('current'), [db]);
  const current = settings.state === 'ready' ? settings.value : undefined;
  const weekly: WeeklyReportSchedule = current?.weeklyReport ?? defaultWeeklyReport;
  const { allowed, check } = useNotificationsAllowed();
  const [drafts, setDrafts] = useState<Record<string, Draft | undefined>>({});
  // The weekday and hour chosen while the report is off, to turn it on with.
  const [weeklyDraft, setWeeklyDraft] = useState<Pick<WeeklyReportSchedule, 'weekday' | 'hour'> | null>(null);
  const [pending, setPending] = useState<Pending | null>(null);
  // Numbers out of range or not saved, per setting; and the last problem turning something on or off.
  const [errors, setErrors] = useState<Record<string, string | undefined>>({});
  const [problem, setProblem] = useState<Problem | null>(null);
  const [status, setStatus] = useState<'saving' | 'saved' | null>(null);
  // A ref, not state: a second click can arrive before the re-render that would show the first one pending.
  const busy = useRef(false);

  const storedOf = (settingId: string): number | boolean | null => {
    if (settingId === weeklyId) return weekly.enabled;
    return numberSettings.find((setting) => setting.id === settingId)?.read(current) ?? null;
  };
  const storedOn = (settingId: string) => {
    const stored = storedOf(settingId);
    return stored !== null && stored !== false;
  };
  const isOn = (settingId: string) =>
    pending?.id === settingId && pending.over === storedOf(settingId) ? pending.on : storedOn(settingId);
  const shownWeekly = weekly.enabled || weeklyDraft === null ? weekly : { ...weekly, ...weeklyDraft };

  function shown(setting: NumberSetting): string {
    const value = setting.read(current);
    const draft = drafts[setting.id];
    // While off, the number typed (or the one it had when turned off) stays, as the value to turn it on with.
    if (draft && (draft.over === value || value === null)) return draft.raw;
    return String(value ?? setting.suggested);
  }
  const setDraft = (setting: NumberSetting, raw: string | undefined) =>
    setDrafts((previous) => ({
      ...previous,
      [setting.id]: raw === undefined ? undefined : { raw, over: setting.read(current) },
    }));
  const setError = (settingId: string, message: string | undefined) =>
    setErrors((previous) => ({ ...previous, [settingId]: message }));

  /** The number typed for a setting, or undefined (with the error shown) when out of range. */
  function numberTyped(setting: NumberSetting, raw: string): number | undefined {
    const typed = raw.trim() === '' ? Number.NaN : Number(raw);
    if (!Number.isInteger(typed) || typed < setting.min || typed > setting.max) {
      // The bounds are written as they are typed into the number field: digits without grouping ("1440").
      setError(setting.id, t(setting.invalid, setting.valueLabel(), String(setting.min), String(setting.max)));
      setStatus(null);
      return undefined;
    }
    setError(setting.id, undefined);
    return typed;
  }

  /** Starts a toggle's save, unless one is running (then the click is undone). */
  function begin(input: HTMLInputElement): boolean {
    if (busy.current) {
      input.checked = !input.checked;
      return false;
    }
    setProblem(null);
    return true;
  }

  function toggleNumber(setting: NumberSetting, event: TargetedEvent<HTMLInputElement>) {
    const input = event.currentTarget;
    if (!begin(input)) return;
    if (!input.checked) {
      busy.current = true;
      setDraft(setting, shown(setting));
      void save(setting.id, setting.change(null), false, Promise.resolve(true), setting.declined);
      return;
    }
    const value = numberTyped(setting, shown(setting));
    if (value === undefined) {
      input.checked = false;
      return;
    }
    busy.current = true;
    // The browser shows its prompt only while handling the click: ask before anything is awaited.
    void save(setting.id, setting.change(value), true, requestNotifications(), setting.declined);
  }

  function toggleWeekly(event: TargetedEvent<HTMLInputElement>) {
    const input = event.currentTarget;
    if (!begin(input)) return;
    busy.current = true;
    const on = input.checked;
    if (!on) setWeeklyDraft({ weekday: weekly.weekday, hour: weekly.hour });
    const message: SettingsSetMessage = { type: 'settings.set', weeklyReport: { ...shownWeekly, enabled: on } };
    const permission = on ? requestNotifications() : Promise.resolve(true);
    void save(weeklyId, message, on, permission, () => t('goalsDeclinedWeeklyReport'));
  }

  /** Saves a toggle once `permission` is granted, then releases a permission nothing uses any more. */
  async function save(
    settingId: string,
    message: SettingsSetMessage,
    on: boolean,
    permission: Promise<boolean>,
    declined: () => string,
  ) {
    setPending({ id: settingId, on, over: storedOf(settingId) });
    setStatus('saving');
    let saved = false;
    try {
      let granted: boolean;
      try {
        granted = await permission;
      } catch (error) {
        setProblem({ id: settingId, message: t('remindersPermissionFailed', errorMessage(error)) });
        return;
      }
      if (!granted) {
        setProblem({ id: settingId, message: declined() });
        return;
      }
      await ask(message);
      saved = true;
      setStatus('saved');
      const othersOn = [...numberSettings.map((setting) => setting.id), weeklyId].some(
        (other) => other !== settingId && isOn(other),
      );
      if (!on && !othersOn) await release();
    } catch (error) {
      setProblem({ id: settingId, message: errorMessage(error) });
    } finally {
      busy.current = false;
      if (!saved) {
        setPending(null);
        setStatus(null);
      }
      check();
    }
  }

  /** Nothing notifies any more: smartTags has no use for notifications, so it gives the permission back. */
  async function release() {
    try {
      await browser.permissions.remove(notificationsPermission());
    } catch (error) {
      setProblem({ id: null, message: t('remindersNotReleased', errorMessage(error)) });
    }
  }

  /** Sends a change made while its setting is on; `undo` forgets what was shown for it if the change fails. */
  async function saveChange(settingId: string, message: SettingsSetMessage, undo: () => void) {
    setStatus('saving');
    try {
      await ask(message);
      setStatus('saved');
    } catch (error) {
      undo();
      setError(settingId, errorMessage(error));
      setStatus(null);
    }
  }

  /** A changed number: saved at once while the setting is on, kept for turning it on otherwise. */
  function changeNumber(setting: NumberSetting, raw: string) {
    setDraft(setting, raw);
    const value = numberTyped(setting, raw);
    if (value === undefined || !isOn(setting.id)) return;
    void saveChange(setting.id, setting.change(value), () => setDraft(setting, undefined));
  }

  /** A changed weekday or hour: saved at once while the report is on, kept for turning it on otherwise. */
  function changeWeekly(choice: Partial<Pick<WeeklyReportSchedule, 'weekday' | 'hour'>>) {
    const next = { ...shownWeekly, ...choice };
    if (!isOn(weeklyId)) {
      setWeeklyDraft({ weekday: next.weekday, hour: next.hour });
      return;
    }
    void saveChange(weeklyId, { type: 'settings.set', weeklyReport: { ...next, enabled: true } }, () => undefined);
  }

  function allow() {
    setProblem(null);
    // As in toggleNumber: the request must be made while handling the click.
    requestNotifications()
      .then((granted) => {
        if (!granted) setProblem({ id: null, message: t('remindersDeclinedAllow') });
      })
      .catch((error: unknown) => setProblem({ id: null, message: t('remindersPermissionFailed', errorMessage(error)) }))
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
  const anyOn = [...numberSettings.map((setting) => setting.id), weeklyId].some(storedOn);
  const problemId = `${id}-problem`;
  const describedBy = (settingId: string, hintId: string | undefined) =>
    [hintId, problem?.id === settingId ? problemId : undefined].filter(Boolean).join(' ') || undefined;
  const errorIdOf = (setting: NumberSetting) => `${id}-${setting.valueName}-error`;

  /** A setting's checkbox, then its number field (with the unit), then its hint. */
  const numberRow = (setting: NumberSetting, compact: boolean) => {
    const toggleId = `${id}-${setting.toggleName}`;
    const valueId = `${id}-${setting.valueName}`;
    const hintId = setting.hint ? `${id}-${setting.toggleName}-hint` : undefined;
    const hasError = errors[setting.id] !== undefined;
    const valueDescribedBy = [hintId, hasError ? errorIdOf(setting) : undefined].filter(Boolean).join(' ');
    const toggle = (
      <>
        <input
          type="checkbox"
          id={toggleId}
          name={setting.toggleName}
          checked={isOn(setting.id)}
          aria-describedby={describedBy(setting.id, hintId)}
          onChange={(event) => toggleNumber(setting, event)}
        />{' '}
        <label for={toggleId}>{setting.toggleLabel()}</label>
      </>
    );
    const value = (
      <>
        {!compact && (
          <>
            <label for={valueId}>{setting.valueLabel()}</label>{' '}
          </>
        )}
        <input
          id={valueId}
          name={setting.valueName}
          type="number"
          inputMode="numeric"
          min={setting.min}
          max={setting.max}
          step={1}
          required
          value={shown(setting)}
          aria-label={compact ? setting.valueLabel() : undefined}
          aria-invalid={hasError}
          aria-describedby={valueDescribedBy || undefined}
          onInput={(event) => setDraft(setting, event.currentTarget.value)}
          onChange={(event) => changeNumber(setting, event.currentTarget.value)}
        />{' '}
        {t(setting.unit)}
      </>
    );
    if (compact) {
      return (
        <tr key={setting.id}>
          <th scope="row">{toggle}</th>
          <td>{value}</td>
        </tr>
      );
    }
    return (
      <div key={setting.id} class="reminder">
        <p class="reminder-toggle">{toggle}</p>
        <p class="reminder-minutes">{value}</p>
        {setting.hint && (
          <p id={hintId} class="hint">
            {t(setting.hint)}
          </p>
        )}
      </div>
    );
  };

  const weeklyToggleId = `${id}-weekly-report`;
  const weeklyHintId = `${id}-weekly-report-hint`;
  const invalid = numberSettings.filter((setting) => errors[setting.id] !== undefined);
  const weeklyError = errors[weeklyId];
  return (
    <div class="reminders goals">
      <p>{t('goalsExplain')}</p>
      <Streak db={db} settings={current} />

      <h3>{t('goalsLimitsHeading')}</h3>
      {numberRow(overallLimit, false)}
      <fieldset class="goal-surfaces" aria-describedby={`${id}-surfaces-hint`}>
        <legend>{t('goalsSurfacesLegend')}</legend>
        <p class="hint" id={`${id}-surfaces-hint`}>
          {t('goalsSurfacesHint')}
        </p>
        <table class="numbers">
          <tbody>{surfaceLimits.map((setting) => numberRow(setting, true))}</tbody>
        </table>
      </fieldset>

      <h3>{t('goalsNudgesHeading')}</h3>
      {numberRow(reelNudge, false)}
      {numberRow(takeABreak, false)}

      <h3>{t('weeklyReportHeading')}</h3>
      <div class="reminder">
        <p class="reminder-toggle">
          <input
            type="checkbox"
            id={weeklyToggleId}
            name="weekly-report"
            checked={isOn(weeklyId)}
            aria-describedby={describedBy(weeklyId, weeklyHintId)}
            onChange={toggleWeekly}
          />{' '}
          <label for={weeklyToggleId}>{t('weeklyReportToggle')}</label>
        </p>
        <p class="reminder-minutes">
          <label for={`${id}-weekly-weekday`}>{t('weeklyReportWeekday')}</label>{' '}
          <select
            id={`${id}-weekly-weekday`}
            name="weekly-report-weekday"
            value={String(shownWeekly.weekday)}
            onChange={(event) => changeWeekly({ weekday: Number(event.currentTarget.value) })}
          >
            {weekdays.map((weekday) => (
              <option key={weekday} value={String(weekday)}>
                {formatWeekday(weekday - 1)}
              </option>
            ))}
          </select>{' '}
          <label for={`${id}-weekly-hour`}>{t('weeklyReportHour')}</label>{' '}
          <select
            id={`${id}-weekly-hour`}
            name="weekly-report-hour"
            value={String(shownWeekly.hour)}
            onChange={(event) => changeWeekly({ hour: Number(event.currentTarget.value) })}
          >
            {hours.map((hour) => (
              <option key={hour} value={String(hour)}>
                {formatHour(hour)}
              </option>
            ))}
          </select>
        </p>
        <p id={weeklyHintId} class="hint">
          {t('weeklyReportHint')}
        </p>
      </div>

      <p class="hint">{t('goalsPermission')}</p>
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
      {(invalid.length > 0 || weeklyError !== undefined || problem !== null) && (
        <div role="alert" class="alert" data-testid="reminders-error">
          {invalid.map((setting) => (
            <p key={setting.id} id={errorIdOf(setting)}>
              {errors[setting.id]}
            </p>
          ))}
          {weeklyError !== undefined && <p>{weeklyError}</p>}
          {problem !== null && <p id={problemId}>{problem.message}</p>}
        </div>
      )}
    </div>
  );
}

/** The streak of days within the goals (src/shared/domain/goals.ts), today's state, and the best so far. */
function Streak({ db, settings }: { db: SmartTagsDatabase; settings: SettingsRecord | undefined }) {
  const days = useLiveQuery(() => db.dayTotals.toArray(), [db]);
  const goals = goalsOf(settings ?? {});
  if (!hasGoals(goals)) {
    return (
      <p class="hint" data-testid="goals-streak">
        {t('goalsStreakNone')}
      </p>
    );
  }
  if (days.state === 'loading') return <p aria-busy="true">{t('commonLoading')}</p>;
  if (days.state === 'failed') {
    return (
      <p role="alert" class="alert">
        {t('goalsStreakFailed', days.message)}
      </p>
    );
  }
  const streak = goalStreak(days.value, goals, localToday());
  const daysText = (count: number) => tPlural(count, 'goalsStreakDaysOne', 'goalsStreakDaysOther');
  return (
    <div data-testid="goals-streak">
      <dl class="summary">
        <div>
          <dt>{t('goalsStreakCurrent')}</dt>
          <dd data-testid="goals-streak-current">{daysText(streak.current)}</dd>
        </div>
        <div>
          <dt>{t('goalsStreakBest')}</dt>
          <dd data-testid="goals-streak-best">{daysText(streak.best)}</dd>
        </div>
      </dl>
      <p class="hint" data-testid="goals-streak-today">
        {t(
          streak.todayWithin === null
            ? 'goalsStreakNoDays'
            : streak.todayWithin
              ? 'goalsStreakTodayWithin'
              : 'goalsStreakTodayOver',
        )}
      </p>
    </div>
  );
}
