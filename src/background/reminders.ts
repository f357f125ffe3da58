/**
 * Reminders in the background. The rules are pure (src/shared/domain/reminders.ts); this module feeds them from storage inside
 * a usage report's transaction (src/background/usage.ts) and shows what they decide after it commits. Reports are
 * written only under `usage` consent and not while recording is paused, so neither a withdrawal nor a pause can be
 * followed by a reminder.
 *
 * At most once, never twice: the decision and the state that remembers it commit together, and the notification is
 * shown only after that. A worker stopped between the commit and the notification loses that one reminder; a
 * reminder shown twice would be the worse failure for a nudge.
 *
 * The notifications are in the browser's language (src/shared/text/i18n.ts: the background reads the same messages files as
 * the pages, through the `chrome.i18n` both browsers give it).
 */
import { localDateOf } from '../shared/domain/dates';
import {
  breakSeconds,
  currentStreak,
  dueReminders,
  type Reminder,
  streakLookbackSeconds,
} from '../shared/domain/reminders';
import type { Surface } from '../shared/domain/routes';
import { emptyReminderState, reminderStateRecord } from '../shared/storage/records';
// The preact-free core, not src/shared/ui/i18n.ts: this is the background's bundle.
import { formatCount, type MessageKey, t, tPlural } from '../shared/text/i18n';
import { AttendedSeconds, type UsageChanges, type UsageFacts } from './aggregate';
import type { BackgroundContext, ReminderNotification } from './context';
import { readSettings } from './settings';

/** Every reminder's notification id starts with this, so a click is recognised as one of ours. */
export const reminderNotificationPrefix = 'smarttags-reminder:';

/**
 * A number of minutes as hours and minutes, in the browser's language: "45 minutes", "2 hours", "1 hour 30 minutes".
 * The counts are formatted and pluralised by tPlural, the way pages count things.
 */
function duration(totalMinutes: number): string {
  const hours = Math.floor(totalMinutes / 60);
  const minutes = totalMinutes % 60;
  const hoursText = () => tPlural(hours, 'notificationHoursOne', 'notificationHoursOther');
  const minutesText = () => tPlural(minutes, 'notificationMinutesOne', 'notificationMinutesOther');
  if (hours === 0) return minutesText();
  if (minutes === 0) return hoursText();
  return t('notificationHoursAndMinutes', hoursText(), minutesText());
}

/** Each surface's name, as the dashboard and the popup call it. */
const surfaceNames: Record<Surface, MessageKey> = {
  feed: 'dashboardSurfaceFeed',
  explore: 'dashboardSurfaceExplore',
  hashtag: 'dashboardSurfaceHashtag',
  reels: 'dashboardSurfaceReels',
  stories: 'dashboardSurfaceStories',
  direct: 'dashboardSurfaceDirect',
  post: 'dashboardSurfacePost',
  profile: 'dashboardSurfaceProfile',
  other: 'dashboardSurfaceOther',
};

/** The notification for a reminder: its id names the reminder, so the same one can only replace itself. */
export function notificationFor(reminder: Reminder): ReminderNotification {
  switch (reminder.kind) {
    case 'daily-limit':
      return {
        id: `${reminderNotificationPrefix}daily-limit:${reminder.date}:${reminder.limitMinutes}`,
        title: t('notificationDailyLimitTitle'),
        message: t('notificationDailyLimitMessage', duration(reminder.limitMinutes)),
      };
    case 'surface-limit':
      return {
        id: `${reminderNotificationPrefix}surface-limit:${reminder.surface}:${reminder.date}:${reminder.limitMinutes}`,
        title: t('goalsNotificationSurfaceTitle', t(surfaceNames[reminder.surface])),
        message: t('goalsNotificationSurfaceMessage', duration(reminder.limitMinutes)),
      };
    case 'break':
      return {
        id: `${reminderNotificationPrefix}break:${reminder.streakStart}`,
        title: t('notificationBreakTitle'),
        message: t('notificationBreakMessage', duration(reminder.minutes)),
      };
    case 'reels':
      return {
        id: `${reminderNotificationPrefix}reels:${reminder.runStart}`,
        title: t('goalsNotificationReelsTitle', formatCount(reminder.count)),
        message: t('goalsNotificationReelsMessage'),
      };
  }
}

/**
 * When each reel a report counted for the first time was watched: a view whose key the report added to the day's
 * counted keys (./aggregate.ts), once per reel even when the report names it twice.
 */
export function reelViewsCounted(facts: UsageFacts, changes: UsageChanges): number[] {
  const added = new Set(changes.newKeys.map(({ key }) => key));
  const counted: number[] = [];
  for (const view of facts.views) {
    if (view.kind === 'reel' && added.delete(`view:reel:${view.id}`)) counted.push(view.at);
  }
  return counted;
}

/**
 * Decides which reminders a usage report just applied makes due, and stores the state that remembers them. Runs inside
 * that report's transaction — the write guard's (./writeGuard.ts), the only one in which `reminderState` may be
 * written — which must include `settings`, `days`, `attendedSeconds` and `reminderState`; `attended` holds the bitmaps
 * the report read and changed (others are read here); `reelViews`, when each reel it counted for the first time was
 * watched (`reelViewsCounted`).
 */
export async function decideReminders(
  context: BackgroundContext,
  attended: AttendedSeconds,
  reelViews: readonly number[],
): Promise<Reminder[]> {
  const { db } = context;
  const settings = await readSettings(context);
  // Rows written before reminders (or goals) existed lack the fields: off.
  const dailyLimitMinutes = settings.dailyLimitMinutes ?? null;
  const breakAfterMinutes = settings.breakAfterMinutes ?? null;
  const surfaceLimitsMinutes = settings.surfaceLimitsMinutes ?? {};
  const reelNudgeCount = settings.reelNudgeCount ?? null;
  const anySurfaceLimit = Object.keys(surfaceLimitsMinutes).length > 0;
  if (dailyLimitMinutes === null && breakAfterMinutes === null && !anySurfaceLimit && reelNudgeCount === null) {
    return [];
  }
  const now = context.now();
  const date = localDateOf(now, context.timeZone());
  const nowSecond = Math.floor(now / 1000);
  const day = await db.days.get(date);
  const state = reminderStateRecord.parse((await db.reminderState.get('current')) ?? emptyReminderState);
  const decision = dueReminders({
    settings: { dailyLimitMinutes, breakAfterMinutes, surfaceLimitsMinutes, reelNudgeCount },
    state,
    today: { date, activeMs: day?.activeMs ?? 0, surfaces: day?.surfaces ?? {} },
    streak:
      breakAfterMinutes === null ? null : currentStreak(await attendedUpTo(context, attended, nowSecond), nowSecond),
    reelViews,
  });
  if (decision.state !== state) await db.reminderState.put(decision.state);
  return decision.reminders;
}

/** Every attended second a streak going on at `nowSecond` can reach back to: the report's bitmaps, then stored ones. */
async function attendedUpTo(
  { db }: BackgroundContext,
  attended: AttendedSeconds,
  nowSecond: number,
): Promise<(second: number) => boolean> {
  const days = new Map(attended.days);
  const missing: number[] = [];
  const first = AttendedSeconds.utcDay(nowSecond - breakSeconds - streakLookbackSeconds);
  for (let day = first; day <= AttendedSeconds.utcDay(nowSecond); day += 1) if (!days.has(day)) missing.push(day);
  for (const record of await db.attendedSeconds.bulkGet(missing)) if (record) days.set(record.utcDay, record.bits);
  const reachable = new AttendedSeconds(days);
  return (second) => reachable.has(second);
}

/**
 * Shows reminders whose decision has committed. One that cannot be shown is dropped rather than failing the report it
 * followed (which is recorded, and whose retry must not be asked for): the reminder is a nudge, and a late one would be
 * out of place.
 */
export async function showReminders(context: BackgroundContext, reminders: readonly Reminder[]): Promise<void> {
  for (const reminder of reminders) {
    try {
      await context.platform.notify(notificationFor(reminder));
    } catch {
      // Dropped, as said above.
    }
  }
}
