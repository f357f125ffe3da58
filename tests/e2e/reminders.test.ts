/**
 * Reminders end to end: with the daily limit at its minimum (5 minutes) and today's time seeded a few seconds under it
 * (today's day imported in merge mode, as if recorded earlier), real attention on a fixture Instagram page passes the
 * limit and exactly one notification appears. That one is then closed, and more attention later — in Chromium after
 * the service worker was stopped, so nothing held in memory can help — brings no second one.
 *
 * Permission: Firefox runs the real request, from a click in an extension page; the harness's preference grants it
 * without the doorhanger. Headless Chromium cannot answer the prompt, so its build is loaded with notifications
 * already granted (harness option grantedPermissions).
 */
import type { Page } from 'puppeteer';
import { expect, it } from 'vitest';
import type { ExportDocument } from '../../src/shared/contracts/exportDocument';
import type { DayRecord, ReminderStateRecord } from '../../src/shared/storage/records';
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

describeInBrowsers(
  bothBrowsers,
  'reminders',
  (session) => {
    it('shows one notification when today’s time passes the daily limit, and no second one later', async () => {
      const { kind, browser, sendFromExtensionPage } = session();
      expect(
        await sendFromExtensionPage({ type: 'consent.set', scopes: { usage: true }, source: 'options' }),
      ).toMatchObject({ ok: true });
      const page = await session().openExtensionPage('src/options/index.html');
      if (kind === 'firefox') expect(await grantFromClick(page)).toBe(true);
      expect(await sendFromExtensionPage({ type: 'settings.set', dailyLimitMinutes: limitMinutes })).toEqual({
        ok: true,
      });

      // Today, as the background counts it: the local date in the browser's time zone.
      const { today, timeZone } = await page.evaluate(() => ({
        today: new Intl.DateTimeFormat('en-CA').format(new Date()),
        timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
      }));
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
      expect(await reminderState(session())).toEqual({
        id: 'current',
        dailyLimit: { date: today, limitMinutes },
        breakRemindedThrough: null,
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
  },
  { grantedPermissions: ['notifications'] },
);
