import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sessionGapSeconds } from '../../src/background/aggregate';
import { changeConsent } from '../../src/background/consent';
import { wipeData } from '../../src/background/data';
import { notificationFor } from '../../src/background/reminders';
import { routeMessage } from '../../src/background/router';
import { recordUsage } from '../../src/background/usage';
import type { UsageReportMessage } from '../../src/shared/contracts/messages';
import {
  breakSeconds,
  currentStreak,
  dueReminders,
  type ReminderInput,
  type ReminderSettings,
  type Streak,
  streakLookbackSeconds,
} from '../../src/shared/domain/reminders';
import type { SenderFacts } from '../../src/shared/domain/sender';
import { emptyReminderState, type ReminderStateRecord } from '../../src/shared/storage/records';
import { FakePlatform, makeContext, own, type TestContext } from './helpers/context';
import { setTestLanguage } from './helpers/i18n';

const minute = 60_000;
const off: ReminderSettings = {
  dailyLimitMinutes: null,
  breakAfterMinutes: null,
  surfaceLimitsMinutes: {},
  reelNudgeCount: null,
};

/** The attended seconds of some runs, as the shared bitmap would hold them (duplicates and order do not matter). */
function attendedOf(runs: ReadonlyArray<readonly [startSecond: number, seconds: number]>): (second: number) => boolean {
  const seconds = new Set<number>();
  for (const [start, length] of runs)
    for (let second = start; second < start + length; second += 1) seconds.add(second);
  return (second) => seconds.has(second);
}

/** The decision for some input; today's time per surface, and the reels, default to none. */
function decide({
  today,
  ...partial
}: Partial<Omit<ReminderInput, 'today'>> & {
  today?: Omit<ReminderInput['today'], 'surfaces'> & Partial<ReminderInput['today']>;
}) {
  return dueReminders({
    settings: off,
    state: emptyReminderState,
    streak: null,
    reelViews: [],
    ...partial,
    today: { date: '2026-11-25', activeMs: 0, surfaces: {}, ...today },
  });
}

describe('what counts as a break', () => {
  it('is the gap that also starts a new session, so both agree', () => {
    expect(breakSeconds).toBe(sessionGapSeconds);
  });
});

describe('daily limit', () => {
  const limit30: ReminderSettings = { ...off, dailyLimitMinutes: 30 };

  it('says nothing below the limit, and once when today’s time reaches it', () => {
    expect(decide({ settings: limit30, today: { date: '2026-11-25', activeMs: 30 * minute - 1000 } })).toEqual({
      reminders: [],
      state: emptyReminderState,
    });
    const passed = decide({ settings: limit30, today: { date: '2026-11-25', activeMs: 30 * minute } });
    expect(passed.reminders).toEqual([{ kind: 'daily-limit', date: '2026-11-25', limitMinutes: 30 }]);
    expect(passed.state).toEqual({ ...emptyReminderState, dailyLimit: { date: '2026-11-25', limitMinutes: 30 } });
  });

  it('says it at most once per date: later in the day, with more time, nothing', () => {
    const state: ReminderStateRecord = { ...emptyReminderState, dailyLimit: { date: '2026-11-25', limitMinutes: 30 } };
    for (const activeMs of [30 * minute, 31 * minute, 5 * 60 * minute]) {
      expect(decide({ settings: limit30, state, today: { date: '2026-11-25', activeMs } }).reminders).toEqual([]);
    }
  });

  it('says it again on the next date, once that day’s time reaches the limit', () => {
    const state: ReminderStateRecord = { ...emptyReminderState, dailyLimit: { date: '2026-11-25', limitMinutes: 30 } };
    expect(
      decide({ settings: limit30, state, today: { date: '2026-11-26', activeMs: 10 * minute } }).reminders,
    ).toEqual([]);
    expect(
      decide({ settings: limit30, state, today: { date: '2026-11-26', activeMs: 30 * minute } }).reminders,
    ).toEqual([{ kind: 'daily-limit', date: '2026-11-26', limitMinutes: 30 }]);
  });

  it('is re-armed by raising the limit that day (once the new limit passes), not by lowering it', () => {
    const state: ReminderStateRecord = { ...emptyReminderState, dailyLimit: { date: '2026-11-25', limitMinutes: 30 } };
    const raised: ReminderSettings = { ...off, dailyLimitMinutes: 45 };
    expect(decide({ settings: raised, state, today: { date: '2026-11-25', activeMs: 40 * minute } }).reminders).toEqual(
      [],
    );
    const passed = decide({ settings: raised, state, today: { date: '2026-11-25', activeMs: 45 * minute } });
    expect(passed.reminders).toEqual([{ kind: 'daily-limit', date: '2026-11-25', limitMinutes: 45 }]);
    const lowered: ReminderSettings = { ...off, dailyLimitMinutes: 20 };
    expect(
      decide({ settings: lowered, state: passed.state, today: { date: '2026-11-25', activeMs: 50 * minute } })
        .reminders,
    ).toEqual([]);
  });

  it('says nothing while off', () => {
    expect(decide({ today: { date: '2026-11-25', activeMs: 20 * 60 * minute } }).reminders).toEqual([]);
  });
});

describe('streaks of attention', () => {
  const now = 1_000_000;

  it('is null while the person is on a break: nothing attended in the last five minutes', () => {
    expect(currentStreak(attendedOf([]), now)).toBeNull();
    // Last attended second now − 300: the 300 seconds from now − 299 to now were all without attention.
    expect(currentStreak(attendedOf([[now - 2000, 1701]]), now)).toBeNull();
    expect(currentStreak(attendedOf([[now - 2000, 1702]]), now)).toEqual({
      firstSecond: now - 2000,
      lastSecond: now - 299,
    });
  });

  it('runs through gaps shorter than a break and ends at the first gap of five minutes', () => {
    // 10 min, a 299 s gap (same streak), 5 min; before all that a 300 s gap (a break) after an earlier stretch.
    const first = now - 3000;
    const runs = [
      [first - 300 - 600, 600],
      [first, 600],
      [first + 600 + 299, 300],
    ] as const;
    expect(currentStreak(attendedOf(runs), first + 600 + 299 + 299)).toEqual({
      firstSecond: first,
      lastSecond: first + 600 + 299 + 299,
    });
  });

  it('does not depend on the order, or repetition, of the runs', () => {
    const runs = [
      [now - 900, 300],
      [now - 600, 300],
      [now - 300, 300],
    ] as const;
    const expected: Streak = { firstSecond: now - 900, lastSecond: now - 1 };
    expect(currentStreak(attendedOf(runs), now)).toEqual(expected);
    expect(currentStreak(attendedOf([runs[2], runs[0], runs[1], runs[0], runs[2]]), now)).toEqual(expected);
  });

  it('is traced back at most a day', () => {
    expect(currentStreak(attendedOf([[now - 2 * streakLookbackSeconds, 2 * streakLookbackSeconds]]), now)).toEqual({
      firstSecond: now - 1 - streakLookbackSeconds,
      lastSecond: now - 1,
    });
  });
});

describe('take a break', () => {
  const after20: ReminderSettings = { ...off, breakAfterMinutes: 20 };
  const start = 1_764_072_000; // 2026-11-25 12:00 UTC

  it('says nothing before the streak reaches the length, then once', () => {
    const short: Streak = { firstSecond: start, lastSecond: start + 20 * 60 - 2 };
    expect(decide({ settings: after20, streak: short }).reminders).toEqual([]);
    const reached = decide({ settings: after20, streak: { firstSecond: start, lastSecond: start + 20 * 60 - 1 } });
    expect(reached.reminders).toEqual([{ kind: 'break', streakStart: start, minutes: 20 }]);
    expect(reached.state.breakRemindedThrough).toBe(start + 20 * 60 - 1);
    // The same streak going on: nothing more.
    const longer = decide({
      settings: after20,
      state: reached.state,
      streak: { firstSecond: start, lastSecond: start + 90 * 60 },
    });
    expect(longer.reminders).toEqual([]);
  });

  it('starts afresh after a break: a new streak reaching the length gets its own reminder', () => {
    const state: ReminderStateRecord = { ...emptyReminderState, breakRemindedThrough: start + 20 * 60 };
    const next = start + 20 * 60 + breakSeconds + 1;
    expect(
      decide({ settings: after20, state, streak: { firstSecond: next, lastSecond: next + 60 } }).reminders,
    ).toEqual([]);
    expect(
      decide({ settings: after20, state, streak: { firstSecond: next, lastSecond: next + 20 * 60 } }).reminders,
    ).toEqual([{ kind: 'break', streakStart: next, minutes: 20 }]);
  });

  it('takes a late report that fills the break, joining two streaks, as the streak already reminded of', () => {
    const state: ReminderStateRecord = { ...emptyReminderState, breakRemindedThrough: start + 20 * 60 };
    // Tab B's seconds arrive late and close the gap: the streak now starts where the reminded one did.
    const joined: Streak = { firstSecond: start, lastSecond: start + 60 * 60 };
    expect(decide({ settings: after20, state, streak: joined }).reminders).toEqual([]);
    // A late report that lengthens the reminded streak backwards is the same streak too.
    expect(
      decide({ settings: after20, state, streak: { firstSecond: start - 600, lastSecond: start + 30 * 60 } }).reminders,
    ).toEqual([]);
  });

  it('says nothing while off, or while the person is on a break', () => {
    expect(decide({ streak: { firstSecond: start, lastSecond: start + 3 * 3600 } }).reminders).toEqual([]);
    expect(decide({ settings: after20, streak: null }).reminders).toEqual([]);
  });

  it('and the daily limit can both be due at once', () => {
    const both = decide({
      settings: { ...off, dailyLimitMinutes: 60, breakAfterMinutes: 20 },
      today: { date: '2026-11-25', activeMs: 60 * minute },
      streak: { firstSecond: start, lastSecond: start + 30 * 60 },
    });
    expect(both.reminders.map((reminder) => reminder.kind)).toEqual(['daily-limit', 'break']);
    expect(both.state).toEqual({
      ...emptyReminderState,
      dailyLimit: { date: '2026-11-25', limitMinutes: 60 },
      breakRemindedThrough: start + 30 * 60,
    });
  });
});

describe('limits per surface', () => {
  const reels20: ReminderSettings = { ...off, surfaceLimitsMinutes: { reels: 20 } };
  const today = (reelsMinutes: number, date = '2026-11-25') => ({
    date,
    activeMs: 3 * 60 * minute,
    surfaces: { feed: 2 * 60 * minute, reels: reelsMinutes * minute },
  });

  it('says nothing below the limit, then once when that surface’s time reaches it, whatever the others’', () => {
    expect(decide({ settings: reels20, today: today(19.9) })).toEqual({ reminders: [], state: emptyReminderState });
    const passed = decide({ settings: reels20, today: today(20) });
    expect(passed.reminders).toEqual([
      { kind: 'surface-limit', surface: 'reels', date: '2026-11-25', limitMinutes: 20 },
    ]);
    expect(passed.state).toEqual({
      ...emptyReminderState,
      surfaceLimits: { reels: { date: '2026-11-25', limitMinutes: 20 } },
    });
    expect(decide({ settings: reels20, state: passed.state, today: today(90) }).reminders).toEqual([]);
  });

  it('keeps each surface apart, and starts afresh on the next date', () => {
    const two: ReminderSettings = { ...off, surfaceLimitsMinutes: { reels: 20, feed: 60 } };
    const first = decide({ settings: two, today: today(25) });
    expect(first.reminders.map((reminder) => reminder.kind === 'surface-limit' && reminder.surface)).toEqual([
      'feed',
      'reels',
    ]);
    const stories: ReminderSettings = { ...off, surfaceLimitsMinutes: { ...two.surfaceLimitsMinutes, stories: 5 } };
    expect(decide({ settings: stories, state: first.state, today: today(25) }).reminders).toEqual([]);
    expect(
      decide({ settings: two, state: first.state, today: today(20, '2026-11-26') }).reminders.map(
        (reminder) => reminder.kind === 'surface-limit' && `${reminder.surface} ${reminder.date}`,
      ),
    ).toEqual(['feed 2026-11-26', 'reels 2026-11-26']);
  });

  it('is re-armed by raising the limit that day, not by lowering it', () => {
    const told = decide({ settings: reels20, today: today(20) }).state;
    const raised: ReminderSettings = { ...off, surfaceLimitsMinutes: { reels: 30 } };
    expect(decide({ settings: raised, state: told, today: today(29) }).reminders).toEqual([]);
    expect(decide({ settings: raised, state: told, today: today(30) }).reminders).toHaveLength(1);
    const lowered: ReminderSettings = { ...off, surfaceLimitsMinutes: { reels: 10 } };
    expect(decide({ settings: lowered, state: told, today: today(30) }).reminders).toEqual([]);
  });
});

describe('reels in a row', () => {
  const five: ReminderSettings = { ...off, reelNudgeCount: 5 };
  const start = 1_764_072_000_000; // 2026-11-25 12:00 UTC
  /** Reels watched `gapSeconds` apart, from `from`. */
  const reels = (count: number, from = start, gapSeconds = 40) =>
    Array.from({ length: count }, (_, index) => from + index * gapSeconds * 1000);

  it('nudges once when the run reaches the count, in one report or across several', () => {
    expect(decide({ settings: five, reelViews: reels(4) }).reminders).toEqual([]);
    const all = decide({ settings: five, reelViews: reels(5) });
    expect(all.reminders).toEqual([{ kind: 'reels', runStart: start, count: 5 }]);
    let state = emptyReminderState;
    const nudges = [];
    for (const at of reels(12)) {
      const decision = decide({ settings: five, state, reelViews: [at] });
      nudges.push(...decision.reminders);
      state = decision.state;
    }
    expect(nudges).toEqual([{ kind: 'reels', runStart: start, count: 5 }]);
    expect(state.reelRun).toEqual({ firstAt: start, lastAt: reels(12).at(-1), count: 12, reminded: true });
  });

  it('starts a new run after a break between two reels, which gets its own nudge', () => {
    const first = decide({ settings: five, reelViews: reels(5) });
    const later = reels(5).at(-1) ?? 0;
    // Just under five minutes later: the same run, no second nudge.
    const same = decide({ settings: five, state: first.state, reelViews: [later + breakSeconds * 1000 - 1] });
    expect(same.reminders).toEqual([]);
    expect(same.state.reelRun?.count).toBe(6);
    const afterBreak = later + 2 * breakSeconds * 1000;
    const next = decide({ settings: five, state: same.state, reelViews: reels(5, afterBreak) });
    expect(next.reminders).toEqual([{ kind: 'reels', runStart: afterBreak, count: 5 }]);
  });

  it('takes views in the order they were watched, whatever the order of the reports', () => {
    const views = reels(5);
    expect(decide({ settings: five, reelViews: [...views].reverse() }).reminders).toEqual([
      { kind: 'reels', runStart: start, count: 5 },
    ]);
    // A late report reaching back into the run belongs to it; one from long before is left out.
    const run = decide({ settings: five, reelViews: views.slice(2) }).state;
    const late = decide({ settings: five, state: run, reelViews: [start - 60_000, start - 3_600_000] });
    expect(late.state.reelRun).toEqual({ firstAt: start - 60_000, lastAt: views[4], count: 4, reminded: false });
  });

  it('counts nothing while off: the state stays as it was', () => {
    const decision = decide({ reelViews: reels(30) });
    expect(decision).toEqual({ reminders: [], state: emptyReminderState });
    expect(decision.state).toBe(emptyReminderState);
  });
});

describe('the notifications', () => {
  it('say what happened, in hours and minutes, and that nothing is blocked', () => {
    expect(notificationFor({ kind: 'daily-limit', date: '2026-11-25', limitMinutes: 90 })).toEqual({
      id: 'smarttags-reminder:daily-limit:2026-11-25:90',
      title: 'Your daily Instagram time',
      message:
        'You have spent 1 hour 30 minutes on Instagram today, the daily limit you set. Nothing is blocked: this is only a reminder.',
    });
    expect(notificationFor({ kind: 'daily-limit', date: '2026-11-25', limitMinutes: 120 }).message).toContain(
      'spent 2 hours on',
    );
    expect(notificationFor({ kind: 'break', streakStart: 1_764_072_000, minutes: 20 })).toEqual({
      id: 'smarttags-reminder:break:1764072000',
      title: 'Time for a break?',
      message: 'You have been on Instagram for 20 minutes without a break. A few minutes away might do you good.',
    });
    const limit = (limitMinutes: number) =>
      notificationFor({ kind: 'daily-limit', date: '2026-11-25', limitMinutes }).message;
    expect(limit(60)).toContain('spent 1 hour on');
    expect(limit(61)).toContain('spent 1 hour 1 minute on');
    expect(limit(1440)).toContain('spent 24 hours on');
    expect(notificationFor({ kind: 'surface-limit', surface: 'reels', date: '2026-11-25', limitMinutes: 20 })).toEqual({
      id: 'smarttags-reminder:surface-limit:reels:2026-11-25:20',
      title: 'Reels: your daily limit',
      message:
        'Your time there today has reached the limit of 20 minutes you set. Nothing is blocked: this is only a reminder.',
    });
    expect(notificationFor({ kind: 'reels', runStart: 1_764_072_000_000, count: 20 })).toEqual({
      id: 'smarttags-reminder:reels:1764072000000',
      title: '20 reels in a row',
      message: 'Maybe a good moment to look up from the screen? Nothing is blocked: this is only a nudge.',
    });
  });

  it('are in the browser’s language, with its plural forms and typography', () => {
    setTestLanguage('fr');
    expect(notificationFor({ kind: 'daily-limit', date: '2026-11-25', limitMinutes: 90 })).toEqual({
      id: 'smarttags-reminder:daily-limit:2026-11-25:90',
      title: 'Votre temps quotidien sur Instagram',
      message:
        'Vous avez passé 1 heure et 30 minutes sur Instagram aujourd’hui, la limite quotidienne que vous avez fixée. ' +
        'Rien n’est bloqué\u00a0: ce n’est qu’un rappel.',
    });
    expect(notificationFor({ kind: 'daily-limit', date: '2026-11-25', limitMinutes: 121 }).message).toContain(
      'passé 2 heures et 1 minute sur',
    );
    expect(notificationFor({ kind: 'break', streakStart: 1_764_072_000, minutes: 45 })).toEqual({
      id: 'smarttags-reminder:break:1764072000',
      title: 'Et si vous faisiez une pause\u202f?',
      message:
        'Vous êtes sur Instagram depuis 45 minutes sans pause. Quelques minutes ailleurs vous feraient peut-être du bien.',
    });
    const feed = notificationFor({ kind: 'surface-limit', surface: 'feed', date: '2026-11-25', limitMinutes: 75 });
    expect([feed.title, feed.message]).toEqual([
      'Fil\u00a0: votre limite quotidienne',
      'Votre temps ici aujourd’hui a atteint la limite de 1 heure et 15 minutes que vous avez fixée. ' +
        'Rien n’est bloqué\u00a0: ce n’est qu’un rappel.',
    ]);
    expect(notificationFor({ kind: 'reels', runStart: 1, count: 1000 }).title).toBe('1\u202f000 reels d’affilée');
  });
});

describe('reminders in the background', () => {
  const contentScript: SenderFacts = { id: own.id, url: 'https://www.instagram.com/', tab: { id: 1 }, frameId: 0 };
  const optionsPage: SenderFacts = { id: own.id, url: `${own.origin}/src/options/index.html` };
  let context: TestContext;

  beforeEach(async () => {
    context = makeContext('Europe/Berlin'); // the clock starts at 2026-11-25 13:00 in Berlin
    await changeConsent(context, { usage: true }, 'onboarding');
  });
  afterEach(async () => {
    await context.db.delete();
  });

  const nowSecond = () => Math.floor(context.clock.now / 1000);
  /** A report of attention from `secondsAgo` seconds ago for `seconds` seconds, as the content script sends it. */
  function report(secondsAgo: number, seconds: number): UsageReportMessage {
    return {
      type: 'usage.report',
      runs: [{ startSecond: nowSecond() - secondsAgo, seconds, surface: 'feed' }],
      views: [],
      hashtags: [],
    };
  }
  const send = (message: unknown) => routeMessage(message, contentScript, context);
  const setSettings = (settings: object) => routeMessage({ type: 'settings.set', ...settings }, optionsPage, context);
  const shown = () => context.platform.notifications.map((notification) => notification.id);

  it('reminds once when today’s time passes the limit: not again for more time, a retried or duplicated report', async () => {
    expect(await setSettings({ dailyLimitMinutes: 5 })).toEqual({ ok: true });
    expect(await send(report(600, 290))).toEqual({ ok: true });
    expect(shown()).toEqual([]);
    const passing = report(300, 20);
    expect(await send(passing)).toEqual({ ok: true });
    expect(shown()).toEqual(['smarttags-reminder:daily-limit:2026-11-25:5']);
    expect(await context.db.reminderState.get('current')).toEqual({
      ...emptyReminderState,
      dailyLimit: { date: '2026-11-25', limitMinutes: 5 },
    });
    await send(passing); // retried
    context.clock.now += 60_000;
    await send(report(30, 30)); // more attention
    expect(shown()).toHaveLength(1);
  });

  it('decides once even when two reports race (two tabs), and after a restart', async () => {
    await setSettings({ dailyLimitMinutes: 5 });
    await send(report(900, 299));
    await Promise.all([send(report(300, 10)), send(report(200, 10)), send(report(300, 10))]);
    expect(shown()).toHaveLength(1);
    // A restarted worker: the same database, nothing kept in memory.
    const restarted: TestContext = { ...context, platform: new FakePlatform() };
    expect(await routeMessage(report(100, 10), contentScript, restarted)).toEqual({ ok: true });
    expect(restarted.platform.notifications).toEqual([]);
  });

  it('reminds again on the next local day, counting only that day’s time (midnight splits a run)', async () => {
    await setSettings({ dailyLimitMinutes: 5 });
    await send(report(1000, 400));
    expect(shown()).toHaveLength(1);
    // 00:03 on the 26th in Berlin: a 6-minute run from 23:57 crosses midnight, so only 3 minutes land on the 26th.
    context.clock.now = Date.parse('2026-11-25T23:03:00Z');
    await send(report(360, 360));
    expect(shown()).toHaveLength(1);
    context.clock.now += 3 * minute;
    await send(report(180, 180));
    expect(shown()).toEqual([
      'smarttags-reminder:daily-limit:2026-11-25:5',
      'smarttags-reminder:daily-limit:2026-11-26:5',
    ]);
  });

  it('suggests a break once per streak, from any tab’s reports, and again after a real break', async () => {
    expect(await setSettings({ breakAfterMinutes: 10 })).toEqual({ ok: true });
    const first = nowSecond() - 900;
    // Out of order: the last 5 minutes arrive first, then the 10 before them (another tab), then that one again.
    await send(report(300, 300));
    expect(shown()).toEqual([]);
    await send(report(900, 600));
    expect(shown()).toEqual([`smarttags-reminder:break:${first}`]);
    await send(report(900, 600));
    context.clock.now += 4 * minute; // 3½ minutes without attention is not a break: the same streak
    await send(report(30, 30));
    expect(shown()).toHaveLength(1);
    context.clock.now += 16 * minute; // 6 minutes of break, then 10 more of attention: a new streak
    await send(report(600, 600));
    expect(shown()).toEqual([`smarttags-reminder:break:${first}`, `smarttags-reminder:break:${nowSecond() - 600}`]);
  });

  it('follows a streak across midnight, from bitmaps this report did not touch', async () => {
    await setSettings({ breakAfterMinutes: 20 });
    context.clock.now = Date.parse('2026-11-26T00:06:00Z');
    await send(report(960, 960)); // 23:50 to 00:06 UTC: 16 minutes
    context.clock.now = Date.parse('2026-11-26T00:12:00Z');
    await send(report(360, 360)); // 00:06 to 00:12, all on the new UTC day
    expect(shown()).toEqual([`smarttags-reminder:break:${Date.parse('2026-11-25T23:50:00Z') / 1000}`]);
  });

  /** Reels watched from `secondsAgo` seconds ago, 30 s apart, with the attention on the reels surface. */
  function reelsReport(ids: readonly string[], secondsAgo: number): UsageReportMessage {
    const from = nowSecond() - secondsAgo;
    return {
      type: 'usage.report',
      runs: [{ startSecond: from, seconds: ids.length * 30, surface: 'reels' }],
      views: ids.map((id, index) => ({ kind: 'reel', id, at: (from + index * 30) * 1000 })),
      hashtags: [],
    };
  }

  it('reminds once when today’s reels time reaches its limit, not for time elsewhere', async () => {
    expect(await setSettings({ surfaceLimitsMinutes: { reels: 5 } })).toEqual({ ok: true });
    await send(report(1200, 900)); // 15 minutes of feed
    expect(shown()).toEqual([]);
    await send(reelsReport(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'], 300)); // 4½ minutes of reels
    expect(shown()).toEqual([]);
    await send(reelsReport(['j', 'k'], 30));
    expect(shown()).toEqual(['smarttags-reminder:surface-limit:reels:2026-11-25:5']);
    context.clock.now += 5 * minute;
    await send(reelsReport(['l', 'm', 'n', 'o'], 120));
    expect(shown()).toHaveLength(1);
  });

  it('nudges once after the chosen number of reels in a row; a reel seen again is not a new one', async () => {
    expect(await setSettings({ reelNudgeCount: 5 })).toEqual({ ok: true });
    const firstAt = (nowSecond() - 600) * 1000;
    await send(reelsReport(['a', 'b', 'c'], 600));
    // A retried report, and the same reels watched again: still three.
    await send(reelsReport(['a', 'b', 'c'], 600));
    await send(reelsReport(['a', 'b'], 500));
    expect(shown()).toEqual([]);
    expect((await context.db.reminderState.get('current'))?.reelRun).toMatchObject({ count: 3, reminded: false });
    await send(reelsReport(['d', 'e', 'f'], 480));
    expect(shown()).toEqual([`smarttags-reminder:reels:${firstAt}`]);
    await send(reelsReport(['g', 'h', 'i', 'j', 'k'], 300));
    expect(shown()).toHaveLength(1);
    // Ten minutes without a reel: the next five are a new run.
    context.clock.now += 10 * minute;
    await send(reelsReport(['l', 'm', 'n', 'o', 'p'], 150));
    expect(shown()).toEqual([
      `smarttags-reminder:reels:${firstAt}`,
      `smarttags-reminder:reels:${(nowSecond() - 150) * 1000}`,
    ]);
  });

  it('reads a state stored before goals existed', async () => {
    await context.db.reminderState.put({
      id: 'current',
      dailyLimit: { date: '2026-11-25', limitMinutes: 5 },
      breakRemindedThrough: null,
    } as ReminderStateRecord);
    await setSettings({ dailyLimitMinutes: 5, surfaceLimitsMinutes: { feed: 5 } });
    await send(report(600, 600));
    expect(shown()).toEqual(['smarttags-reminder:surface-limit:feed:2026-11-25:5']);
  });

  it('changes only the surfaces a settings message names', async () => {
    expect(await setSettings({ surfaceLimitsMinutes: { reels: 20 } })).toEqual({ ok: true });
    expect(await setSettings({ surfaceLimitsMinutes: { stories: 10, feed: 45 } })).toEqual({ ok: true });
    expect((await context.db.settings.get('current'))?.surfaceLimitsMinutes).toEqual({
      reels: 20,
      stories: 10,
      feed: 45,
    });
    expect(await setSettings({ surfaceLimitsMinutes: { reels: null, feed: 30 } })).toEqual({ ok: true });
    expect((await context.db.settings.get('current'))?.surfaceLimitsMinutes).toEqual({ stories: 10, feed: 30 });
    for (const bad of [
      { surfaceLimitsMinutes: { reels: 4 } },
      { surfaceLimitsMinutes: { reels: 1441 } },
      { surfaceLimitsMinutes: { tiktok: 20 } },
      { reelNudgeCount: 4 },
      { reelNudgeCount: 501 },
      { weeklyReport: { enabled: true, weekday: 0, hour: 9 } },
      { weeklyReport: { enabled: true, weekday: 1, hour: 24 } },
    ]) {
      expect(await setSettings(bad)).toMatchObject({ ok: false, error: { code: 'bad-message' } });
    }
  });

  it('says nothing without usage consent, or while recording is paused', async () => {
    await setSettings({ dailyLimitMinutes: 5, breakAfterMinutes: 10 });
    await routeMessage({ type: 'recording.pause', until: context.clock.now + 3_600_000 }, optionsPage, context);
    expect(await send(report(900, 900))).toMatchObject({ ok: false, error: { code: 'paused' } });
    await routeMessage({ type: 'recording.pause', until: null }, optionsPage, context);
    await changeConsent(context, { usage: false }, 'options');
    expect(await send(report(900, 900))).toMatchObject({ ok: false, error: { code: 'no-consent' } });
    expect(shown()).toEqual([]);
    expect(await context.db.reminderState.count()).toBe(0);
  });

  it('says nothing while every reminder is off', async () => {
    await send(report(3000, 3000));
    await setSettings({ dailyLimitMinutes: 5 });
    await setSettings({ dailyLimitMinutes: null });
    await send(report(60, 60));
    expect(shown()).toEqual([]);
  });

  it('forgets what it said when the data is wiped', async () => {
    await setSettings({ dailyLimitMinutes: 5 });
    await send(report(600, 600));
    await wipeData(context, false, 'options');
    expect(await context.db.reminderState.count()).toBe(0);
    await send(report(300, 300));
    expect(shown()).toHaveLength(2);
  });

  it('still records the report when a notification cannot be shown', async () => {
    context.platform.notify = () => Promise.reject(new Error('no notification centre'));
    await setSettings({ dailyLimitMinutes: 5 });
    expect(await recordUsage(context, report(600, 600))).toBe('recorded');
    expect((await context.db.days.get('2026-11-25'))?.activeMs).toBe(600_000);
    expect(await context.db.reminderState.get('current')).toMatchObject({ dailyLimit: { limitMinutes: 5 } });
  });

  it('accepts the settings in range only, and null to turn a reminder off', async () => {
    for (const bad of [
      { dailyLimitMinutes: 4 },
      { dailyLimitMinutes: 1441 },
      { breakAfterMinutes: 9 },
      { breakAfterMinutes: 241 },
      { breakAfterMinutes: 12.5 },
    ]) {
      expect(await setSettings(bad)).toMatchObject({ ok: false, error: { code: 'bad-message' } });
    }
    expect(await setSettings({ dailyLimitMinutes: 1440, breakAfterMinutes: 240 })).toEqual({ ok: true });
    expect(await context.db.settings.get('current')).toMatchObject({ dailyLimitMinutes: 1440, breakAfterMinutes: 240 });
    expect(await setSettings({ breakAfterMinutes: null })).toEqual({ ok: true });
    expect(await context.db.settings.get('current')).toMatchObject({
      dailyLimitMinutes: 1440,
      breakAfterMinutes: null,
    });
    expect(await setSettings({})).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('dailyLimitMinutes, breakAfterMinutes') },
    });
  });
});
