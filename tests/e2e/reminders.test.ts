/**
 * Reminders, goals and the weekly report end to end.
 *
 * Daily limit: with the limit at its minimum (5 minutes) and today's time seeded a few seconds under it (today's day
 * imported in merge mode, as if recorded earlier), real attention on a fixture Instagram page passes the limit and
 * exactly one notification appears. That one is then closed, and more attention later — in Chromium after the service
 * worker was stopped, so nothing held in memory can help — brings no second one.
 *
 * Reels in a row: with the nudge at 5 reels, five reels watched one after another on the fixture reels pages bring one
 * notification.
 *
 * Reels goal: the same with a 5-minute limit on reels, today's reels time seeded a few seconds under it, and real
 * attention on the fixture reels page: one notification for reels.
 *
 * Weekly report — the test hook, documented here and used nowhere else: the report is due once a week, and the test
 * cannot wait for Monday morning. So it plays the week passing: it turns the report on (the background stores the next
 * due time and sets its alarm), then, from an extension page, rewrites that stored due time to an hour already past
 * (through IndexedDB, as a week gone by would leave it) and fires the background's real `weekly-report` alarm at once
 * through the real alarms API (`alarms.create` with a `when` of now, replacing the background's own). Everything after
 * that is the product's own path: the alarm wakes the background, which finds the due time past, notifies about the
 * last complete week and schedules the next. No message or code exists for tests.
 *
 * Permission: Firefox runs the real request, from a click in an extension page; the harness's preference grants it
 * without the doorhanger. Headless Chromium cannot answer the prompt, so its build is loaded with notifications
 * already granted (harness option grantedPermissions).
 */
import type { Page } from 'puppeteer';
import { expect, it } from 'vitest';
import type { ExportDocument } from '../../src/shared/contracts/exportDocument';
import type { DayRecord, ReminderStateRecord, SettingsRecord } from '../../src/shared/storage/records';
import { makeDay } from '../unit/helpers/records';
import { bothBrowsers, describeInBrowsers, type ExtensionSession, eventually } from './harness';

const routes = { '/': { file: 'feed-en.html' } };
const limitMinutes = 5;
/** Seeded today: the limit minus this much attention still to go. */
const secondsShort = 3;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A person reading the feed for `seconds`, then switching to another tab: hiding the tab sends the report at once. */
async function attend(instagram: Page, elsewhere: Page, seconds: number): Promise<void> {
  await instagram.bringToFront();
  for (let step = 0; step < seconds * 2; step += 1) {
    await instagram.mouse.move(200 + (step % 2) * 40, 300);
    await sleep(500);
  }
  await elsewhere.bringToFront();
}

/**
 * Starts recording, in an extension page, smartTags' notifications as they close. Headless Firefox has nowhere to show
 * a notification and closes each at once, so there a notification is seen only as it closes.
 */
async function watchNotifications(page: Page): Promise<void> {
  await page.evaluate(() => {
    const api = (globalThis as unknown as { browser?: typeof chrome }).browser ?? chrome;
    const closed: string[] = [];
    (globalThis as { closedNotifications?: string[] }).closedNotifications = closed;
    api.notifications.onClosed.addListener((id) => closed.push(id));
  });
}

/** Every notification smartTags showed since the watch began, by id: those closed since, then those still open. */
function notificationsSeen(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    const api = (globalThis as unknown as { browser?: typeof chrome }).browser ?? chrome;
    const closed = (globalThis as { closedNotifications?: string[] }).closedNotifications ?? [];
    return [...closed, ...Object.keys(await api.notifications.getAll())];
  });
}

/** Firefox: asks for the notifications permission from a real click, as the options page does. */
async function grantFromClick(page: Page): Promise<boolean> {
  await page.evaluate(() => {
    const button = document.createElement('button');
    button.id = 'grant-notifications';
    button.textContent = 'Allow notifications';
    button.addEventListener('click', () => {
      const api = (globalThis as unknown as { browser: typeof chrome }).browser;
      (globalThis as { granted?: Promise<boolean> }).granted = api.permissions.request({
        permissions: ['notifications'],
      });
    });
    document.body.append(button);
  });
  await page.click('#grant-notifications');
  return page.evaluate(() => (globalThis as { granted?: Promise<boolean> }).granted ?? false);
}

async function reminderState(session: ExtensionSession): Promise<ReminderStateRecord | undefined> {
  return (await session.readTable<ReminderStateRecord>('reminderState'))[0];
}

/** Today's local date and time zone, as the background counts days: the browser's. */
function localToday(page: Page): Promise<{ today: string; timeZone: string }> {
  return page.evaluate(() => ({
    today: new Intl.DateTimeFormat('en-CA').format(new Date()),
    timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
  }));
}

/** A calendar date moved by whole days. */
function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * The test hook of the weekly report (see the header): rewrites the stored due time to `due`, as if the week had
 * passed, then fires the background's real alarm now through the alarms API.
 */
async function playWeekPassing(page: Page, due: { date: string; hour: number }): Promise<void> {
  await page.evaluate(
    (dueTime) =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('smarttags');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const store = open.result.transaction('reminderState', 'readwrite').objectStore('reminderState');
          const read = store.get('current');
          read.onsuccess = () => {
            const write = store.put({ ...read.result, weeklyReportDue: dueTime });
            write.onerror = () => reject(write.error);
            write.onsuccess = () => {
              open.result.close();
              resolve();
            };
          };
        };
      }),
    due,
  );
  await page.evaluate(async () => {
    const api = (globalThis as unknown as { browser?: typeof chrome }).browser ?? chrome;
    await api.alarms.create('weekly-report', { when: Date.now() });
  });
}

describeInBrowsers(
  bothBrowsers,
  'reminders',
  (session) => {
    it('shows one notification when today’s time passes the daily limit, and no second one later', async () => {
      const { kind, browser, sendFromExtensionPage } = session();
      expect(
        await sendFromExtensionPage({ type: 'consent.set', scopes: { usage: true }, source: 'options' }),
      ).toMatchObject({ ok: true });
      const page = await session().openExtensionPage('src/options/index.html#goals');
      if (kind === 'firefox') expect(await grantFromClick(page)).toBe(true);
      expect(await sendFromExtensionPage({ type: 'settings.set', dailyLimitMinutes: limitMinutes })).toEqual({
        ok: true,
      });

      // Today, as the background counts it: the local date in the browser's time zone.
      const { today, timeZone } = await localToday(page);
      const exported = (await sendFromExtensionPage({ type: 'data.export' })) as { value: ExportDocument };
      const seeded = makeDay(today, (limitMinutes * 60 - secondsShort) * 1000, { timeZone });
      const file = { ...exported.value, days: [seeded] };
      expect(await sendFromExtensionPage({ type: 'data.import', document: file, mode: 'merge' })).toMatchObject({
        ok: true,
        value: { applied: true },
      });
      await watchNotifications(page);
      expect(await notificationsSeen(page)).toEqual([]);

      const instagram = await session().openInstagram('/', routes);
      const elsewhere = await browser.newPage();
      await attend(instagram, elsewhere, secondsShort + 3);
      const id = `smarttags-reminder:daily-limit:${today}:${limitMinutes}`;
      await eventually('the reminder', async () => ((await notificationsSeen(page)).length > 0 ? true : undefined));
      expect(await notificationsSeen(page)).toEqual([id]);
      expect(await reminderState(session())).toMatchObject({
        id: 'current',
        dailyLimit: { date: today, limitMinutes },
        breakRemindedThrough: null,
        surfaceLimits: {},
      });

      // The person closes it (in Firefox it is closed already), the worker may be stopped, and more attention brings no
      // second reminder: the one notification stays the only one seen.
      await page.evaluate(async (shown) => {
        const api = (globalThis as unknown as { browser?: typeof chrome }).browser ?? chrome;
        await api.notifications.clear(shown);
      }, id);
      if (kind === 'chromium') await session().stopServiceWorker();
      const before = (await session().readTable<DayRecord>('days')).find((day) => day.date === today)?.activeMs ?? 0;
      await attend(instagram, elsewhere, 3);
      await eventually('the later attention to be recorded', async () => {
        const day = (await session().readTable<DayRecord>('days')).find((candidate) => candidate.date === today);
        return (day?.activeMs ?? 0) > before ? true : undefined;
      });
      expect(await notificationsSeen(page)).toEqual([id]);
      expect((await reminderState(session()))?.dailyLimit).toEqual({ date: today, limitMinutes });

      await Promise.all([instagram.close(), elsewhere.close(), page.close()]);
    }, 40_000);

    // Before any other test watches reels: a reel counts once a day, so the five here must not have been seen yet.
    it('nudges once after the chosen number of reels in a row', async () => {
      const { kind, browser, sendFromExtensionPage } = session();
      expect(
        await sendFromExtensionPage({ type: 'consent.set', scopes: { usage: true }, source: 'options' }),
      ).toMatchObject({ ok: true });
      const page = await session().openExtensionPage('src/options/index.html#goals');
      if (kind === 'firefox') expect(await grantFromClick(page)).toBe(true);
      expect(await sendFromExtensionPage({ type: 'settings.set', reelNudgeCount: 5 })).toEqual({ ok: true });
      await watchNotifications(page);
      const nudges = async () =>
        (await notificationsSeen(page)).filter((id) => id.startsWith('smarttags-reminder:reels:'));

      // Four reels on the reels page (each the active one for two seconds), then a fifth opened by its own address.
      const reels = await session().openInstagram('/reels/', {
        '/reels/': { file: 'reels-en.html' },
        '/reels/DRk3vQ1oT7x/': { file: 'reels-2026-en.html' },
      });
      const elsewhere = await browser.newPage();
      await reels.bringToFront();
      for (let reel = 1; reel <= 4; reel += 1) {
        for (let step = 0; step < 4; step += 1) {
          await reels.mouse.move(200 + (step % 2) * 40, 300);
          await sleep(500);
        }
        expect(await nudges()).toEqual([]);
        // Reels scroll inside a nested container; the document itself never scrolls.
        await reels.evaluate(() =>
          document.querySelector('[data-fixture-reel="1"]')?.parentElement?.scrollBy(0, innerHeight),
        );
      }
      await reels.goto('https://www.instagram.com/reels/DRk3vQ1oT7x/');
      await attend(reels, elsewhere, 3);
      await eventually('the reels nudge', async () => ((await nudges()).length > 0 ? true : undefined));
      expect(await nudges()).toHaveLength(1);
      expect((await reminderState(session()))?.reelRun).toMatchObject({ count: 5, reminded: true });
      // The same run going on brings no second nudge.
      await attend(reels, elsewhere, 2);
      expect(await nudges()).toHaveLength(1);
      expect(await sendFromExtensionPage({ type: 'settings.set', reelNudgeCount: null })).toEqual({ ok: true });

      await Promise.all([reels.close(), elsewhere.close(), page.close()]);
    }, 60_000);

    it('sets a reels goal, and shows one notification once today’s reels time passes it', async () => {
      const { kind, browser, sendFromExtensionPage } = session();
      expect(
        await sendFromExtensionPage({ type: 'consent.set', scopes: { usage: true }, source: 'options' }),
      ).toMatchObject({ ok: true });
      const page = await session().openExtensionPage('src/options/index.html#goals');
      if (kind === 'firefox') expect(await grantFromClick(page)).toBe(true);
      expect(
        await sendFromExtensionPage({ type: 'settings.set', surfaceLimitsMinutes: { reels: limitMinutes } }),
      ).toEqual({ ok: true });
      expect((await session().readTable<SettingsRecord>('settings'))[0]?.surfaceLimitsMinutes).toEqual({
        reels: limitMinutes,
      });

      // Today's day (perhaps recorded by the test before) with its reels time a few seconds under the goal. Replace
      // mode, because merge keeps a stored day of the same date.
      const { today, timeZone } = await localToday(page);
      const exported = (await sendFromExtensionPage({ type: 'data.export' })) as { value: ExportDocument };
      const reelsMs = (limitMinutes * 60 - secondsShort) * 1000;
      const stored = exported.value.days.find((day) => day.date === today);
      const seeded = makeDay(today, reelsMs, { timeZone });
      seeded.surfaces = { ...seeded.surfaces, feed: 0, reels: reelsMs };
      const seededDay = stored
        ? { ...stored, activeMs: stored.activeMs + reelsMs, surfaces: { ...stored.surfaces, reels: reelsMs } }
        : seeded;
      const file = { ...exported.value, days: [...exported.value.days.filter((day) => day.date !== today), seededDay] };
      expect(await sendFromExtensionPage({ type: 'data.import', document: file, mode: 'replace' })).toMatchObject({
        ok: true,
        value: { applied: true },
      });
      await watchNotifications(page);
      const reelsNotifications = async () =>
        (await notificationsSeen(page)).filter((id) => id.startsWith('smarttags-reminder:surface-limit:'));
      expect(await reelsNotifications()).toEqual([]);

      const reels = await session().openInstagram('/reels/', { '/reels/': { file: 'reels-en.html' } });
      const elsewhere = await browser.newPage();
      await attend(reels, elsewhere, secondsShort + 3);
      const id = `smarttags-reminder:surface-limit:reels:${today}:${limitMinutes}`;
      await eventually('the reels reminder', async () => ((await reelsNotifications()).length > 0 ? true : undefined));
      expect(await reelsNotifications()).toEqual([id]);
      expect((await reminderState(session()))?.surfaceLimits).toEqual({ reels: { date: today, limitMinutes } });

      // More reels later (after a stopped worker in Chromium) bring no second one.
      await page.evaluate(async (shown) => {
        const api = (globalThis as unknown as { browser?: typeof chrome }).browser ?? chrome;
        await api.notifications.clear(shown);
      }, id);
      if (kind === 'chromium') await session().stopServiceWorker();
      const reelsBefore = (await session().readTable<DayRecord>('days')).find((day) => day.date === today)?.surfaces
        .reels;
      await attend(reels, elsewhere, 3);
      await eventually('the later reels time to be recorded', async () => {
        const day = (await session().readTable<DayRecord>('days')).find((candidate) => candidate.date === today);
        return (day?.surfaces.reels ?? 0) > (reelsBefore ?? 0) ? true : undefined;
      });
      expect(await reelsNotifications()).toEqual([id]);

      await Promise.all([reels.close(), elsewhere.close(), page.close()]);
    }, 40_000);

    it('notifies the weekly report when its time has come, about last week, once', async () => {
      const { sendFromExtensionPage } = session();
      expect(
        await sendFromExtensionPage({ type: 'consent.set', scopes: { usage: true }, source: 'options' }),
      ).toMatchObject({ ok: true });
      const page = await session().openExtensionPage('src/options/index.html#goals');
      if (session().kind === 'firefox') expect(await grantFromClick(page)).toBe(true);

      // Two recorded days of last week (Monday to Sunday, local dates), so the report has something to say.
      const { today, timeZone } = await localToday(page);
      const weekday = (new Date(`${today}T00:00:00Z`).getUTCDay() + 6) % 7; // 0 = Monday
      const lastMonday = addDays(today, -weekday - 7);
      const exported = (await sendFromExtensionPage({ type: 'data.export' })) as { value: ExportDocument };
      const lastWeek = [makeDay(lastMonday, 20 * 60_000, { timeZone }), makeDay(addDays(lastMonday, 3), 600_000)];
      const file = { ...exported.value, days: lastWeek };
      expect(await sendFromExtensionPage({ type: 'data.import', document: file, mode: 'merge' })).toMatchObject({
        ok: true,
      });

      // Turned on for Monday 9:00: the background stores when, and sets its alarm for then.
      expect(
        await sendFromExtensionPage({ type: 'settings.set', weeklyReport: { enabled: true, weekday: 1, hour: 9 } }),
      ).toEqual({ ok: true });
      const scheduled = (await reminderState(session()))?.weeklyReportDue;
      expect(scheduled?.hour).toBe(9);
      expect(new Date(`${scheduled?.date}T00:00:00Z`).getUTCDay()).toBe(1);
      expect(
        await page.evaluate(async () => {
          const api = (globalThis as unknown as { browser?: typeof chrome }).browser ?? chrome;
          return (await api.alarms.get('weekly-report'))?.scheduledTime ?? null;
        }),
      ).toBeGreaterThan(Date.now());

      await watchNotifications(page);
      const reportNotifications = async () =>
        (await notificationsSeen(page)).filter((id) => id.startsWith('smarttags-reminder:weekly-report:'));
      await playWeekPassing(page, { date: addDays(today, -1), hour: 0 });
      await eventually('the weekly report', async () => ((await reportNotifications()).length > 0 ? true : undefined));
      // The ISO week of last Monday: its Thursday's year, and the Thursday's week number.
      const thursday = new Date(`${addDays(lastMonday, 3)}T00:00:00Z`);
      const firstThursday = new Date(Date.UTC(thursday.getUTCFullYear(), 0, 4));
      const firstMonday = firstThursday.getTime() - ((firstThursday.getUTCDay() + 6) % 7) * 86_400_000;
      const weekNumber = Math.floor((Date.parse(`${lastMonday}T00:00:00Z`) - firstMonday) / (7 * 86_400_000)) + 1;
      const isoWeek = `${thursday.getUTCFullYear()}-W${String(weekNumber).padStart(2, '0')}`;
      expect(await reportNotifications()).toEqual([`smarttags-reminder:weekly-report:${isoWeek}`]);

      // The next one is scheduled a week on, and the same alarm again (a restart, a second wake) says nothing more.
      const next = await eventually('the next due time', async () => {
        const due = (await reminderState(session()))?.weeklyReportDue;
        // Not the past time the test wrote: today's (if it is Monday before 9) or a later Monday.
        return due && due.date >= today ? due : undefined;
      });
      expect(new Date(`${next.date}T00:00:00Z`).getUTCDay()).toBe(1);
      await page.evaluate(async () => {
        const api = (globalThis as unknown as { browser?: typeof chrome }).browser ?? chrome;
        await api.alarms.create('weekly-report', { when: Date.now() });
      });
      await eventually('the alarm set again for the next report', () =>
        page.evaluate(async () => {
          const api = (globalThis as unknown as { browser?: typeof chrome }).browser ?? chrome;
          const alarm = await api.alarms.get('weekly-report');
          return alarm && alarm.scheduledTime > Date.now() + 60_000 ? true : undefined;
        }),
      );
      expect(await reportNotifications()).toHaveLength(1);

      await page.close();
    }, 40_000);
  },
  { grantedPermissions: ['notifications'] },
);
