/**
 * The weekly report: when its notification is due (local weekday and hour the person chose), and what it says — last
 * ISO week (Monday to Sunday, local dates) against the week before. Pure: the background (src/background/weeklyReport.ts)
 * feeds the schedule from storage and the alarms API; the report page (src/options/report/WeeklyReport.tsx) computes
 * the report from the stored days, snapshots and goals. Nothing of it leaves the browser.
 *
 * Schedule. The next notification is kept as a local date and hour, not as an instant: the instant is worked out in the
 * current time zone each time the background wakes (start, alarm, settings change), with that zone's offsets on that
 * date — so a daylight-saving change between now and then is accounted for, and a change of time zone is followed at
 * the next wake. A local hour that does not exist that day (the hour skipped when clocks go forward) is the first
 * instant after the skip; one that happens twice (clocks go back), the first of the two.
 *
 * Which week. When the notification is due, it is about the last complete ISO week before the current local date: on
 * the Monday of the default, the week that ended the night before. A notification that could not come at its time
 * (the browser was closed) comes at the next wake, still about the last complete week; it is never sent twice for one
 * due time, and never for a week without any recorded day.
 */
import type { AccountSnapshotRecord, DayRecord } from '../storage/records';
import { addDays, localDateOf, utcMsOfDate } from './dates';
import { type GoalDay, type Goals, hasGoals, withinGoals } from './goals';
import { isoWeekOf, periodOfIsoWeek } from './periods';
import { accountSeries, accountUsernames, type TagRow, topTags, totals, weekdayIndex } from './reports';
import { type Surface, surfaces } from './routes';

export interface WeeklySchedule {
  enabled: boolean;
  /** 1 = Monday … 7 = Sunday. */
  weekday: number;
  /** 0–23, local time. */
  hour: number;
}

/** A local wall-clock hour on a local date. */
export interface LocalHour {
  date: string;
  hour: number;
}

const hourMs = 3_600_000;
const wallClocks = new Map<string, Intl.DateTimeFormat>();

/** The wall-clock time of an instant in a zone, written as the UTC instant with the same fields (to the second). */
function wallClockOf(epochMs: number, timeZone: string): number {
  let format = wallClocks.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    wallClocks.set(timeZone, format);
  }
  const field = (parts: Intl.DateTimeFormatPart[], type: Intl.DateTimeFormatPartTypes) =>
    Number(parts.find((part) => part.type === type)?.value ?? 0);
  const parts = format.formatToParts(epochMs);
  return Date.UTC(
    field(parts, 'year'),
    field(parts, 'month') - 1,
    field(parts, 'day'),
    field(parts, 'hour'),
    field(parts, 'minute'),
    field(parts, 'second'),
  );
}

/**
 * The instant (epoch ms) a local date and hour begins in a time zone. Offsets are sampled on both sides (no zone is
 * more than 14 hours from UTC, and no zone changes offset twice within a day), so every instant with that wall-clock
 * time is among the candidates: the first of them when there is one, the end of the skipped hour when there is none.
 */
export function instantOfLocalHour({ date, hour }: LocalHour, timeZone: string): number {
  const wall = utcMsOfDate(date) + hour * hourMs;
  const candidates = [
    ...new Set([wall - 14 * hourMs, wall, wall + 14 * hourMs].map((at) => wall - (wallClockOf(at, timeZone) - at))),
  ];
  const exact = candidates.filter((instant) => wallClockOf(instant, timeZone) === wall);
  return exact.length > 0 ? Math.min(...exact) : Math.max(...candidates);
}

/** The ISO weekday of a local date: 1 = Monday … 7 = Sunday. */
export function isoWeekdayOf(date: string): number {
  return weekdayIndex(date) + 1;
}

/** The next time the schedule names, strictly after `now`. */
export function nextReportDue(schedule: WeeklySchedule, now: number, timeZone: string): LocalHour {
  const today = localDateOf(now, timeZone);
  const ahead = (schedule.weekday - isoWeekdayOf(today) + 7) % 7;
  const thisWeek = { date: addDays(today, ahead), hour: schedule.hour };
  // Today's weekday with the hour already past: a week on.
  return instantOfLocalHour(thisWeek, timeZone) > now
    ? thisWeek
    : { date: addDays(thisWeek.date, 7), hour: schedule.hour };
}

export interface WeeklyReportTick {
  /** The next notification to wait for; null: none (off). */
  due: LocalHour | null;
  /** The ISO week ("2026-W48") to notify about now, or null: nothing due. */
  deliver: string | null;
}

/**
 * What to do at a wake: whether the stored due time has come (then the report of the last complete week is due, and the
 * next time is the schedule's next), and which due time to keep. A due time that no longer matches the schedule (the
 * person changed it) or lies more than a week ahead (the clock or the zone moved back) is replaced by the schedule's
 * next; turning the report off drops it.
 */
export function weeklyReportTick(
  schedule: WeeklySchedule,
  stored: LocalHour | null,
  now: number,
  timeZone: string,
): WeeklyReportTick {
  if (!schedule.enabled) return { due: null, deliver: null };
  if (stored !== null && instantOfLocalHour(stored, timeZone) <= now) {
    const today = localDateOf(now, timeZone);
    return { due: nextReportDue(schedule, now, timeZone), deliver: isoWeekOf(addDays(today, -7)) };
  }
  const keep =
    stored !== null &&
    isoWeekdayOf(stored.date) === schedule.weekday &&
    stored.hour === schedule.hour &&
    instantOfLocalHour(stored, timeZone) <= now + 7 * 24 * hourMs;
  return { due: keep ? stored : nextReportDue(schedule, now, timeZone), deliver: null };
}

// ——— ISO weeks ———

/** An ISO week, Monday to Sunday, as local calendar dates. */
export interface IsoWeek {
  /** "2026-W48". */
  isoWeek: string;
  first: string;
  last: string;
}

/** The dates of an ISO week ("2026-W48"), or null for a text that names none (e.g. "2026-W54", or a typo in a link). */
export function isoWeekDates(isoWeek: string): IsoWeek | null {
  const period = periodOfIsoWeek(isoWeek);
  return period && { isoWeek, first: period.start, last: period.end };
}

/** The ISO week a calendar date is in. */
export function isoWeekContaining(date: string): IsoWeek {
  const first = addDays(date, -weekdayIndex(date));
  return { isoWeek: isoWeekOf(first), first, last: addDays(first, 6) };
}

/** The ISO week `weeks` weeks after the given one (negative: before). */
export function isoWeekAfter(week: IsoWeek, weeks: number): IsoWeek {
  return isoWeekContaining(addDays(week.first, 7 * weeks));
}

// ——— the report ———

/** One measure in the week and the week before. */
export interface WeekAgainstWeek {
  week: number;
  previous: number;
}

interface SurfaceRow extends WeekAgainstWeek {
  surface: Surface;
}

interface RisingTag extends WeekAgainstWeek {
  tag: string;
}

interface GoalDays {
  /** Dates of the week judged (recorded ones, and those after the first recorded day up to today). */
  judged: number;
  within: number;
}

interface FollowersChange {
  username: string;
  /** The last count before the week (or its first in it), and the last in it. */
  from: { date: string; value: number };
  to: { date: string; value: number };
  /** False when either count was rounded as Instagram showed it: the change is then approximate. */
  exact: boolean;
}

export interface WeeklyReport {
  week: IsoWeek;
  previous: IsoWeek;
  /** Dates with a day record, in each week: zero in both means there is nothing to report. */
  recordedDays: WeekAgainstWeek;
  activeMs: WeekAgainstWeek;
  sessions: WeekAgainstWeek;
  /** Surfaces with time in either week, by the week's time, most first. */
  surfaces: SurfaceRow[];
  views: { posts: WeekAgainstWeek; reels: WeekAgainstWeek; stories: WeekAgainstWeek };
  /** The week's most seen tags, most first (at most `tagLimit`). */
  topTags: TagRow[];
  /** Tags seen more than the week before, by how many more, most first (at most `tagLimit`). */
  risingTags: RisingTag[];
  /** Days within the goals, per week; null without goals or recorded days. Judged against the goals as they are now. */
  goalDays: { week: GoalDays; previous: GoalDays } | null;
  /** The own accounts' followers over the week; empty without snapshots in it. */
  followers: FollowersChange[];
}

/** How many tags the report lists in each of its two tag tables. */
const tagLimit = 10;

const inWeek = (week: IsoWeek) => (date: string) => date >= week.first && date <= week.last;

/**
 * Days within the goals among a week's dates: dates with a record, and dates without one between the first recorded
 * day and today (nothing recorded, so nothing went over — as the streak counts them, ./goals.ts). Dates after today,
 * or before anything was recorded, are not judged.
 */
function goalDaysOf(
  byDate: ReadonlyMap<string, GoalDay>,
  firstRecorded: string,
  week: IsoWeek,
  goals: Goals,
  today: string,
): GoalDays {
  const result: GoalDays = { judged: 0, within: 0 };
  for (let date = week.first; date <= week.last && date <= today; date = addDays(date, 1)) {
    const day = byDate.get(date);
    if (!day && date < firstRecorded) continue;
    result.judged += 1;
    if (withinGoals(day, goals)) result.within += 1;
  }
  return result;
}

/** Each account's followers from the last count before the week (else its first in it) to its last in the week. */
function followersOver(snapshots: readonly AccountSnapshotRecord[], week: IsoWeek): FollowersChange[] {
  return accountUsernames(snapshots).flatMap((username) => {
    const counted = accountSeries(snapshots, username).filter((point) => point.date <= week.last && point.followers);
    const during = counted.filter((point) => point.date >= week.first);
    const end = during.at(-1);
    const start = counted.filter((point) => point.date < week.first).at(-1) ?? during[0];
    if (!end?.followers || !start?.followers) return [];
    return [
      {
        username,
        from: { date: start.date, value: start.followers.value },
        to: { date: end.date, value: end.followers.value },
        exact: start.followers.exact && end.followers.exact,
      },
    ];
  });
}

/** What the report is computed from. */
export interface WeeklyReportInput {
  /** Day records covering at least the week and the week before (others are left out). */
  days: readonly DayRecord[];
  /** Account snapshots up to the week's end at least. */
  snapshots: readonly AccountSnapshotRecord[];
  /** The goals as they are now. */
  goals: Goals;
  /** The first date with a day record at all (null: none): dates before it are not judged against the goals. */
  firstRecorded: string | null;
  week: IsoWeek;
  /** Today's local date: later dates of a week not over yet are not judged against the goals. */
  today: string;
}

/** The report of one ISO week against the week before. */
export function weeklyReport(input: WeeklyReportInput): WeeklyReport {
  const { days, snapshots, goals, firstRecorded, week, today } = input;
  const previous = isoWeekAfter(week, -1);
  const thisWeek = days.filter((day) => inWeek(week)(day.date));
  const weekBefore = days.filter((day) => inWeek(previous)(day.date));
  const now = totals(thisWeek);
  const before = totals(weekBefore);
  const pair = (current: number, earlier: number): WeekAgainstWeek => ({ week: current, previous: earlier });

  const surfaceRows = surfaces
    .map((surface) => ({ surface, ...pair(now.surfaces[surface], before.surfaces[surface]) }))
    .filter((row) => row.week > 0 || row.previous > 0)
    .sort((a, b) => b.week - a.week || b.previous - a.previous);

  const seenBefore = new Map(topTags(weekBefore, { by: 'seen' }).map((row) => [row.tag, row.seen]));
  const seenNow = topTags(thisWeek, { by: 'seen' });
  const risingTags = seenNow
    .map((row) => ({ tag: row.tag, ...pair(row.seen, seenBefore.get(row.tag) ?? 0) }))
    .filter((row) => row.week > row.previous)
    .sort((a, b) => b.week - b.previous - (a.week - a.previous) || b.week - a.week || (a.tag < b.tag ? -1 : 1))
    .slice(0, tagLimit);

  let goalDays: WeeklyReport['goalDays'] = null;
  if (hasGoals(goals) && firstRecorded !== null) {
    const byDate = new Map<string, GoalDay>(days.map((day) => [day.date, day]));
    goalDays = {
      week: goalDaysOf(byDate, firstRecorded, week, goals, today),
      previous: goalDaysOf(byDate, firstRecorded, previous, goals, today),
    };
  }

  return {
    week,
    previous,
    recordedDays: pair(thisWeek.length, weekBefore.length),
    activeMs: pair(now.activeMs, before.activeMs),
    sessions: pair(now.sessions, before.sessions),
    surfaces: surfaceRows,
    views: {
      posts: pair(now.views.posts, before.views.posts),
      reels: pair(now.views.reels, before.views.reels),
      stories: pair(now.views.stories, before.views.stories),
    },
    topTags: seenNow.slice(0, tagLimit),
    risingTags,
    goalDays,
    followers: followersOver(snapshots, week),
  };
}
