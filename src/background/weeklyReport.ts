/**
 * The weekly report's notification in the background. When it is due and which week it is about are pure
 * (src/shared/domain/weeklyReport.ts); this module keeps the due time in storage, wakes for it with a browser alarm and
 * shows the notification, whose click opens the report page (`src/options/index.html#report/<ISO week>`). The report
 * itself is computed by that page from the stored data: nothing is sent anywhere.
 *
 * The worker can be stopped at any moment, so nothing lives only in memory: the due time is stored in `reminderState`,
 * and `runWeeklyReport` — run at every start, on the alarm and when the setting changes — reads it, decides, stores
 * what it decided, and only after that commits shows the notification and sets the alarm again. Alarms can be lost
 * (Chrome may drop them when the browser restarts); the next start sets it again, and a due time missed meanwhile is
 * delivered then. As with the reminders, at most once: a worker stopped between the commit and the notification loses
 * that one notification, rather than risking two.
 */
import { instantOfLocalHour, isoWeekDates, weeklyReportTick } from '../shared/domain/weeklyReport';
import { defaultWeeklyReport, emptyReminderState, reminderStateRecord } from '../shared/storage/records';
import { t, uiLanguage } from '../shared/text/i18n';
import type { BackgroundContext } from './context';
import { reminderNotificationPrefix } from './reminders';
import { readSettings } from './settings';
import { guardedWrite } from './writeGuard';

export const weeklyReportAlarm = 'weekly-report';

/** The weekly report's notification ids: a reminder's prefix (so a click is ours), then this, then the ISO week. */
const weeklyReportNotificationPrefix = `${reminderNotificationPrefix}weekly-report:`;

/** The ISO week a weekly report notification is about ("2026-W47"), or null for any other notification. */
export function reportWeekOfNotification(notificationId: string): string | null {
  if (!notificationId.startsWith(weeklyReportNotificationPrefix)) return null;
  const week = notificationId.slice(weeklyReportNotificationPrefix.length);
  return /^\d{4}-W\d{2}$/.test(week) ? week : null;
}

/** Checks whether the weekly report is due, stores the next due time, notifies, and sets the alarm for the next. */
export async function runWeeklyReport(context: BackgroundContext): Promise<void> {
  const { db } = context;
  const rule = {
    tables: ['reminderState', 'days'],
    consent: { notNeeded: 'it stores when to notify, not anything observed; the days are only read' },
    pause: { notApplied: 'a pause stops recording, not the report of what was recorded' },
  } as const;
  const zone = context.timeZone();
  const result = await guardedWrite(context, rule, async () => {
    const now = context.now();
    const schedule = (await readSettings(context)).weeklyReport ?? defaultWeeklyReport;
    const state = reminderStateRecord.parse((await db.reminderState.get('current')) ?? emptyReminderState);
    const tick = weeklyReportTick(schedule, state.weeklyReportDue, now, zone);
    const stored = state.weeklyReportDue;
    if (tick.due?.date !== stored?.date || tick.due?.hour !== stored?.hour) {
      await db.reminderState.put({ ...state, weeklyReportDue: tick.due });
    }
    // A week without any recorded day has nothing to report.
    const week = tick.deliver === null ? null : isoWeekDates(tick.deliver);
    const hasDays =
      week !== null && (await db.days.where('date').between(week.first, week.last, true, true).count()) > 0;
    return { due: tick.due, deliver: hasDays ? week : null };
  });
  const { due, deliver } = result.value;
  if (deliver !== null) {
    try {
      await context.platform.notify({
        id: `${weeklyReportNotificationPrefix}${deliver.isoWeek}`,
        title: t('weeklyReportNotificationTitle'),
        message: t('weeklyReportNotificationMessage', dateRange(deliver.first, deliver.last)),
      });
    } catch {
      // A notification that cannot be shown is dropped (as reminders are); the next week's is scheduled all the same.
    }
  }
  await context.platform.scheduleWeeklyReport(due === null ? null : instantOfLocalHour(due, zone));
}

/** "Nov 23 – 29" in the browser's language: the dates are calendar dates, formatted in UTC so no zone shifts them. */
function dateRange(first: string, last: string): string {
  const format = new Intl.DateTimeFormat(uiLanguage(), { month: 'short', day: 'numeric', timeZone: 'UTC' });
  return format.formatRange(new Date(`${first}T00:00:00Z`), new Date(`${last}T00:00:00Z`));
}
