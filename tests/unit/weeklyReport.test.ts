import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { wipeData } from '../../src/background/data';
import { routeMessage } from '../../src/background/router';
import { reportWeekOfNotification, runWeeklyReport } from '../../src/background/weeklyReport';
import type { Goals } from '../../src/shared/domain/goals';
import { isoWeekOf } from '../../src/shared/domain/periods';
import type { SenderFacts } from '../../src/shared/domain/sender';
import {
  type IsoWeek,
  instantOfLocalHour,
  isoWeekAfter,
  isoWeekContaining,
  isoWeekDates,
  isoWeekdayOf,
  nextReportDue,
  type WeeklySchedule,
  weeklyReport,
  weeklyReportTick,
} from '../../src/shared/domain/weeklyReport';
import type { DayRecord } from '../../src/shared/storage/records';
import { makeContext, own, type TestContext } from './helpers/context';
import { setTestLanguage } from './helpers/i18n';
import { makeDay, makeSnapshot } from './helpers/records';

const berlin = 'Europe/Berlin';
const mondayMorning: WeeklySchedule = { enabled: true, weekday: 1, hour: 9 };

describe('the local hour a report is due', () => {
  it('is the instant that hour begins in the zone, with that date’s offset', () => {
    expect(instantOfLocalHour({ date: '2026-11-30', hour: 9 }, berlin)).toBe(Date.parse('2026-11-30T08:00:00Z'));
    expect(instantOfLocalHour({ date: '2026-07-06', hour: 9 }, berlin)).toBe(Date.parse('2026-07-06T07:00:00Z'));
    expect(instantOfLocalHour({ date: '2026-11-30', hour: 0 }, 'America/New_York')).toBe(
      Date.parse('2026-11-30T05:00:00Z'),
    );
    expect(instantOfLocalHour({ date: '2026-11-30', hour: 23 }, 'Asia/Kolkata')).toBe(
      Date.parse('2026-11-30T17:30:00Z'),
    );
    expect(instantOfLocalHour({ date: '2026-11-30', hour: 9 }, 'UTC')).toBe(Date.parse('2026-11-30T09:00:00Z'));
  });

  it('is the end of the skipped hour when clocks go forward, the first of the two when they go back', () => {
    // Berlin, 29 March 2026: 02:00 becomes 03:00. 25 October 2026: 03:00 becomes 02:00 again.
    expect(instantOfLocalHour({ date: '2026-03-29', hour: 2 }, berlin)).toBe(Date.parse('2026-03-29T01:00:00Z'));
    expect(instantOfLocalHour({ date: '2026-03-29', hour: 3 }, berlin)).toBe(Date.parse('2026-03-29T01:00:00Z'));
    expect(instantOfLocalHour({ date: '2026-10-25', hour: 2 }, berlin)).toBe(Date.parse('2026-10-25T00:00:00Z'));
    expect(instantOfLocalHour({ date: '2026-10-25', hour: 3 }, berlin)).toBe(Date.parse('2026-10-25T02:00:00Z'));
  });

  it('names ISO weekdays, Monday first', () => {
    expect(['2026-11-23', '2026-11-28', '2026-11-29'].map(isoWeekdayOf)).toEqual([1, 6, 7]);
  });
});

describe('the next report', () => {
  it('comes on the chosen weekday and hour, strictly after now', () => {
    // Wednesday 25 November 2026, 13:00 in Berlin.
    const wednesday = Date.parse('2026-11-25T12:00:00Z');
    expect(nextReportDue(mondayMorning, wednesday, berlin)).toEqual({ date: '2026-11-30', hour: 9 });
    expect(nextReportDue({ enabled: true, weekday: 3, hour: 14 }, wednesday, berlin)).toEqual({
      date: '2026-11-25',
      hour: 14,
    });
    // The hour already begun today: a week on.
    expect(nextReportDue({ enabled: true, weekday: 3, hour: 13 }, wednesday, berlin)).toEqual({
      date: '2026-12-02',
      hour: 13,
    });
    expect(nextReportDue({ enabled: true, weekday: 7, hour: 20 }, wednesday, berlin)).toEqual({
      date: '2026-11-29',
      hour: 20,
    });
  });

  it('counts the weekday in local time: late Sunday in New York is already Monday in UTC', () => {
    const sundayEvening = Date.parse('2026-11-30T03:00:00Z'); // 22:00 on Sunday 29th in New York
    expect(nextReportDue(mondayMorning, sundayEvening, 'America/New_York')).toEqual({ date: '2026-11-30', hour: 9 });
    expect(nextReportDue(mondayMorning, sundayEvening, berlin)).toEqual({ date: '2026-11-30', hour: 9 });
  });

  it('keeps the local hour across a change of daylight saving time', () => {
    // Monday 30 March 2026, the day after Berlin moved to summer time: 09:00 is 07:00 UTC, not 08:00.
    const due = nextReportDue(mondayMorning, Date.parse('2026-03-25T12:00:00Z'), berlin);
    expect(due).toEqual({ date: '2026-03-30', hour: 9 });
    expect(instantOfLocalHour(due, berlin)).toBe(Date.parse('2026-03-30T07:00:00Z'));
  });
});

describe('a wake of the weekly report', () => {
  const wednesday = Date.parse('2026-11-25T12:00:00Z');

  it('schedules the next report when turned on, and delivers nothing yet', () => {
    expect(weeklyReportTick(mondayMorning, null, wednesday, berlin)).toEqual({
      due: { date: '2026-11-30', hour: 9 },
      deliver: null,
    });
  });

  it('keeps a due time still ahead, and drops it when turned off', () => {
    const due = { date: '2026-11-30', hour: 9 };
    expect(weeklyReportTick(mondayMorning, due, wednesday, berlin)).toEqual({ due, deliver: null });
    expect(weeklyReportTick({ ...mondayMorning, enabled: false }, due, wednesday, berlin)).toEqual({
      due: null,
      deliver: null,
    });
  });

  it('delivers the last complete week once the due time has come, and schedules the next', () => {
    const due = { date: '2026-11-30', hour: 9 };
    const at = Date.parse('2026-11-30T08:00:00Z');
    expect(weeklyReportTick(mondayMorning, due, at - 1, berlin)).toEqual({ due, deliver: null });
    expect(weeklyReportTick(mondayMorning, due, at, berlin)).toEqual({
      due: { date: '2026-12-07', hour: 9 },
      deliver: '2026-W48',
    });
    // Delivered: the same wake again (a second alarm, a restart) has nothing to deliver.
    expect(weeklyReportTick(mondayMorning, { date: '2026-12-07', hour: 9 }, at, berlin).deliver).toBeNull();
  });

  it('delivers a report missed while the browser was closed at the next wake, about the last complete week', () => {
    const due = { date: '2026-11-30', hour: 9 };
    const thursday = Date.parse('2026-12-03T10:00:00Z');
    expect(weeklyReportTick(mondayMorning, due, thursday, berlin)).toEqual({
      due: { date: '2026-12-07', hour: 9 },
      deliver: '2026-W48',
    });
    const weeksLater = Date.parse('2026-12-22T10:00:00Z');
    expect(weeklyReportTick(mondayMorning, due, weeksLater, berlin)).toEqual({
      due: { date: '2026-12-28', hour: 9 },
      deliver: '2026-W51',
    });
  });

  it('follows a changed schedule at once, without delivering', () => {
    const due = { date: '2026-11-30', hour: 9 };
    expect(weeklyReportTick({ enabled: true, weekday: 5, hour: 18 }, due, wednesday, berlin)).toEqual({
      due: { date: '2026-11-27', hour: 18 },
      deliver: null,
    });
    expect(weeklyReportTick({ ...mondayMorning, hour: 8 }, due, wednesday, berlin).due).toEqual({
      date: '2026-11-30',
      hour: 8,
    });
  });

  it('replaces a due time more than a week ahead (the clock or the zone moved back)', () => {
    expect(weeklyReportTick(mondayMorning, { date: '2027-01-04', hour: 9 }, wednesday, berlin)).toEqual({
      due: { date: '2026-11-30', hour: 9 },
      deliver: null,
    });
  });

  it('works the instant out in the current zone: a move west delays it to that zone’s morning', () => {
    const due = { date: '2026-11-30', hour: 9 };
    const berlinNine = Date.parse('2026-11-30T08:00:00Z');
    expect(weeklyReportTick(mondayMorning, due, berlinNine, 'America/New_York').deliver).toBeNull();
    expect(weeklyReportTick(mondayMorning, due, Date.parse('2026-11-30T14:00:00Z'), 'America/New_York').deliver).toBe(
      '2026-W48',
    );
  });
});

describe('ISO weeks', () => {
  it('name a date’s week, which belongs to the year of its Thursday', () => {
    expect(isoWeekOf('2026-11-23')).toBe('2026-W48');
    expect(isoWeekOf('2026-11-29')).toBe('2026-W48');
    expect(isoWeekOf('2026-11-30')).toBe('2026-W49');
    expect(isoWeekOf('2026-01-01')).toBe('2026-W01');
    expect(isoWeekOf('2025-12-29')).toBe('2026-W01');
    expect(isoWeekOf('2027-01-03')).toBe('2026-W53');
    expect(isoWeekOf('2024-12-30')).toBe('2025-W01');
    expect(isoWeekOf('2021-01-03')).toBe('2020-W53');
  });

  it('give a week’s dates back, Monday to Sunday, and nothing for a text that names no week', () => {
    expect(isoWeekDates('2026-W48')).toEqual({ isoWeek: '2026-W48', first: '2026-11-23', last: '2026-11-29' });
    expect(isoWeekDates('2026-W01')).toEqual({ isoWeek: '2026-W01', first: '2025-12-29', last: '2026-01-04' });
    expect(isoWeekDates('2026-W53')).toEqual({ isoWeek: '2026-W53', first: '2026-12-28', last: '2027-01-03' });
    for (const text of ['2025-W53', '2026-W00', '2026-W5', 'W48', '2026-48', '']) expect(isoWeekDates(text)).toBeNull();
  });

  it('step from week to week, across the years', () => {
    const week = isoWeekContaining('2026-11-25');
    expect(week).toEqual({ isoWeek: '2026-W48', first: '2026-11-23', last: '2026-11-29' });
    expect(isoWeekAfter(week, -1).isoWeek).toBe('2026-W47');
    expect(isoWeekAfter(week, 5).isoWeek).toBe('2026-W53');
    expect(isoWeekAfter(week, 6)).toEqual({ isoWeek: '2027-W01', first: '2027-01-04', last: '2027-01-10' });
  });
});

describe('the weekly report', () => {
  const week = isoWeekDates('2026-W48') as IsoWeek;
  const minute = 60_000;
  const noGoals: Goals = { dailyLimitMinutes: null, surfaceLimitsMinutes: {} };
  function day(date: string, feedMinutes: number, reelsMinutes: number, seen: Record<string, number> = {}): DayRecord {
    const record = makeDay(date, (feedMinutes + reelsMinutes) * minute, {
      hashtags: { seen, used: {} },
      views: { posts: feedMinutes, reels: reelsMinutes * 2, stories: 0 },
    });
    record.surfaces = { ...record.surfaces, feed: feedMinutes * minute, reels: reelsMinutes * minute };
    return record;
  }
  const days = [
    day('2026-11-15', 100, 100, { old: 9 }), // before both weeks: left out
    day('2026-11-16', 30, 10, { bread: 2, yoga: 5 }),
    day('2026-11-18', 30, 40, { yoga: 1 }),
    day('2026-11-23', 20, 5, { bread: 4, yoga: 3, ocean: 1 }),
    day('2026-11-24', 20, 30, { bread: 3, ocean: 1 }),
    day('2026-11-27', 10, 0, { tidepools: 2 }),
    day('2026-11-30', 100, 100, { later: 9 }), // after the week: left out
  ];
  const report = (goals = noGoals, snapshots = [makeSnapshot('maya.rivers', '2026-11-20', 1000)]) =>
    weeklyReport({ days, snapshots, goals, firstRecorded: '2026-11-15', week, today: '2026-11-30' });

  it('sets the week against the week before: time, days, sessions and views', () => {
    const result = report();
    expect(result.week).toEqual(week);
    expect(result.previous.isoWeek).toBe('2026-W47');
    expect(result.activeMs).toEqual({ week: 85 * minute, previous: 110 * minute });
    expect(result.recordedDays).toEqual({ week: 3, previous: 2 });
    expect(result.sessions).toEqual({ week: 3, previous: 2 });
    expect(result.views.reels).toEqual({ week: 70, previous: 100 });
    expect(result.views.posts).toEqual({ week: 50, previous: 60 });
  });

  it('lists each surface with time in either week, the week’s most first', () => {
    expect(report().surfaces).toEqual([
      { surface: 'feed', week: 50 * minute, previous: 60 * minute },
      { surface: 'reels', week: 35 * minute, previous: 50 * minute },
    ]);
  });

  it('names the most seen tags and those seen more than the week before', () => {
    const result = report();
    expect(result.topTags.map((row) => [row.tag, row.seen])).toEqual([
      ['bread', 7],
      ['yoga', 3],
      ['ocean', 2],
      ['tidepools', 2],
    ]);
    // bread +5, ocean +2, tidepools +2 (ties: more this week, then A→Z); yoga fell.
    expect(result.risingTags).toEqual([
      { tag: 'bread', week: 7, previous: 2 },
      { tag: 'ocean', week: 2, previous: 0 },
      { tag: 'tidepools', week: 2, previous: 0 },
    ]);
  });

  it('counts the days within the goals, dates without a record included, none before recording or after today', () => {
    expect(report().goalDays).toBeNull();
    const reels20 = report({ dailyLimitMinutes: null, surfaceLimitsMinutes: { reels: 20 } }).goalDays;
    // The week: the 24th went over (30 min of reels); the week before: the 18th (40).
    expect(reels20).toEqual({ week: { judged: 7, within: 6 }, previous: { judged: 7, within: 6 } });
    const midWeek = weeklyReport({
      days: days.filter((recorded) => recorded.date >= '2026-11-18'),
      snapshots: [],
      goals: { dailyLimitMinutes: 45, surfaceLimitsMinutes: {} },
      firstRecorded: '2026-11-18',
      week,
      today: '2026-11-25',
    }).goalDays;
    expect(midWeek).toEqual({ week: { judged: 3, within: 2 }, previous: { judged: 5, within: 4 } });
  });

  it('gives each account’s followers from the last count before the week to its last in it', () => {
    const snapshots = [
      makeSnapshot('maya.rivers', '2026-11-20', 1000),
      makeSnapshot('maya.rivers', '2026-11-24', 1010),
      makeSnapshot('maya.rivers', '2026-11-28', 1024),
      makeSnapshot('maya.rivers', '2026-12-01', 2000),
      { ...makeSnapshot('sam.bakes', '2026-11-25', 12_400), followers: { value: 12_400, exact: false } },
      { ...makeSnapshot('sam.bakes', '2026-11-29', 12_500), followers: { value: 12_500, exact: false } },
      makeSnapshot('old.account', '2026-11-01', 50),
    ];
    expect(report(noGoals, snapshots).followers).toEqual([
      {
        username: 'maya.rivers',
        from: { date: '2026-11-20', value: 1000 },
        to: { date: '2026-11-28', value: 1024 },
        exact: true,
      },
      {
        username: 'sam.bakes',
        from: { date: '2026-11-25', value: 12_400 },
        to: { date: '2026-11-29', value: 12_500 },
        exact: false,
      },
    ]);
  });

  it('is empty for weeks without any recorded day', () => {
    const empty = weeklyReport({
      days,
      snapshots: [],
      goals: noGoals,
      firstRecorded: '2026-11-15',
      week: isoWeekDates('2026-W40') as IsoWeek,
      today: '2026-11-30',
    });
    expect(empty.recordedDays).toEqual({ week: 0, previous: 0 });
    expect([empty.surfaces, empty.topTags, empty.risingTags, empty.followers]).toEqual([[], [], [], []]);
  });
});

describe('the weekly report in the background', () => {
  const optionsPage: SenderFacts = { id: own.id, url: `${own.origin}/src/options/index.html` };
  let context: TestContext;
  beforeEach(() => {
    context = makeContext('Europe/Berlin'); // Wednesday 25 November 2026, 13:00 in Berlin
  });
  afterEach(async () => {
    await context.db.delete();
  });
  const turnOn = (schedule: WeeklySchedule = mondayMorning) =>
    routeMessage({ type: 'settings.set', weeklyReport: schedule }, optionsPage, context);
  const due = async () => (await context.db.reminderState.get('current'))?.weeklyReportDue ?? null;
  const mondayNine = Date.parse('2026-11-30T08:00:00Z');

  it('is scheduled when turned on: the due time stored, the alarm set for its instant', async () => {
    expect(await turnOn()).toEqual({ ok: true });
    expect(await due()).toEqual({ date: '2026-11-30', hour: 9 });
    expect(context.platform.weeklyReportAlarms).toEqual([mondayNine]);
    expect(context.platform.notifications).toEqual([]);
  });

  it('notifies once when due, about last week, and schedules the next', async () => {
    await context.db.days.bulkPut([makeDay('2026-11-24'), makeDay('2026-11-18')]);
    await turnOn();
    context.clock.now = mondayNine;
    await runWeeklyReport(context);
    expect(context.platform.notifications).toEqual([
      {
        id: 'smarttags-reminder:weekly-report:2026-W48',
        title: 'Your weekly Instagram report',
        // Intl puts thin spaces around the dash of a range.
        message: expect.stringMatching(
          /^Last week \(Nov 23\s–\s29\) against the week before: click to open the report\. Worked out in your browser; nothing was sent anywhere\.$/,
        ),
      },
    ]);
    expect(await due()).toEqual({ date: '2026-12-07', hour: 9 });
    expect(context.platform.weeklyReportAlarms.at(-1)).toBe(Date.parse('2026-12-07T08:00:00Z'));
    // The same wake again (a second alarm, a restart): nothing more.
    await runWeeklyReport(context);
    expect(context.platform.notifications).toHaveLength(1);
  });

  it('delivers a report missed while the browser was closed at the next start', async () => {
    await context.db.days.put(makeDay('2026-11-24'));
    await turnOn();
    context.clock.now = Date.parse('2026-12-02T18:00:00Z'); // Wednesday after
    await runWeeklyReport(context);
    expect(context.platform.notifications.map((notification) => notification.id)).toEqual([
      'smarttags-reminder:weekly-report:2026-W48',
    ]);
  });

  it('says nothing about a week without any recorded day, and schedules the next all the same', async () => {
    await context.db.days.put(makeDay('2026-11-18'));
    await turnOn();
    context.clock.now = mondayNine;
    await runWeeklyReport(context);
    expect(context.platform.notifications).toEqual([]);
    expect(await due()).toEqual({ date: '2026-12-07', hour: 9 });
  });

  it('is not sent before its time, even when an alarm fires early', async () => {
    await context.db.days.put(makeDay('2026-11-24'));
    await turnOn();
    context.clock.now = mondayNine - 60_000;
    await runWeeklyReport(context);
    expect(context.platform.notifications).toEqual([]);
    expect(context.platform.weeklyReportAlarms.at(-1)).toBe(mondayNine);
  });

  it('clears the alarm when turned off, and follows a changed day and hour', async () => {
    await turnOn();
    await turnOn({ enabled: true, weekday: 5, hour: 18 });
    expect(await due()).toEqual({ date: '2026-11-27', hour: 18 });
    expect(context.platform.weeklyReportAlarms.at(-1)).toBe(Date.parse('2026-11-27T17:00:00Z'));
    await turnOn({ enabled: false, weekday: 5, hour: 18 });
    expect(await due()).toBeNull();
    expect(context.platform.weeklyReportAlarms.at(-1)).toBeNull();
    expect((await context.db.settings.get('current'))?.weeklyReport).toEqual({ enabled: false, weekday: 5, hour: 18 });
  });

  it('stays off, setting no alarm, for settings from before it existed', async () => {
    await runWeeklyReport(context);
    expect(context.platform.weeklyReportAlarms).toEqual([null]);
    expect(await due()).toBeNull();
  });

  it('is scheduled afresh after a wipe: the wiped week is not reported', async () => {
    await context.db.days.put(makeDay('2026-11-24'));
    await turnOn();
    await wipeData(context, false, 'options');
    context.clock.now = mondayNine;
    await runWeeklyReport(context);
    expect(context.platform.notifications).toEqual([]);
    expect(await due()).toEqual({ date: '2026-12-07', hour: 9 });
  });

  it('is written in the browser’s language', async () => {
    setTestLanguage('fr');
    await context.db.days.put(makeDay('2026-11-24'));
    await turnOn();
    context.clock.now = mondayNine;
    await runWeeklyReport(context);
    expect(context.platform.notifications[0]?.title).toBe('Votre bilan Instagram de la semaine');
    expect(context.platform.notifications[0]?.message).toContain('La semaine dernière (23–29 nov.)');
  });

  it('opens the week its notification names, and no other notification’s', () => {
    expect(reportWeekOfNotification('smarttags-reminder:weekly-report:2026-W48')).toBe('2026-W48');
    expect(reportWeekOfNotification('smarttags-reminder:daily-limit:2026-11-25:5')).toBeNull();
    expect(reportWeekOfNotification('smarttags-reminder:weekly-report:../../x')).toBeNull();
    expect(reportWeekOfNotification('other:weekly-report:2026-W48')).toBeNull();
  });
});
