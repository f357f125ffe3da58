/**
 * Background entry: a Chrome service worker or a Firefox event page. Either can be stopped at any moment, so this
 * file only registers listeners, synchronously at top level (a listener added later would miss the event that woke
 * the worker), and keeps no state in memory: everything lives in IndexedDB.
 */
import browser, { type Runtime } from 'webextension-polyfill';
import type { Scope, Scopes } from '../shared/domain/consent';
import { scopesLackingDataCollection, scopesUsing } from '../shared/domain/dataCollection';
import { currentTimeZone } from '../shared/domain/dates';
import { needsReconsent, policyHistory } from '../shared/domain/policy';
import { SmartTagsDatabase } from '../shared/storage/db';
import { applyConsentEffects, changeConsent } from './consent';
import { readConsent } from './consentState';
import type { BackgroundContext } from './context';
import { resumeAlarm } from './pause';
import { browserNetwork, browserPlatform, dataCollectionApi } from './platform';
import { followWrites, refreshPopupAddress } from './popupAddress';
import { reminderNotificationPrefix } from './reminders';
import { pruneBookkeeping, pruneExpired, retentionAlarm } from './retention';
import { routeMessage } from './router';
import { drain, publishUninstallUrl } from './sync/sync';
import { reportWeekOfNotification, runWeeklyReport, weeklyReportAlarm } from './weeklyReport';

const syncAlarm = 'sync-drain';

const context: BackgroundContext = {
  db: new SmartTagsDatabase(),
  own: { id: browser.runtime.id, origin: browser.runtime.getURL('').replace(/\/$/, '') },
  now: Date.now,
  timeZone: currentTimeZone,
  platform: browserPlatform,
  policyHistory,
  network: browserNetwork,
};

const onboardingUrl = browser.runtime.getURL('src/onboarding/index.html');

browser.runtime.onMessage.addListener((message: unknown, sender: Runtime.MessageSender) =>
  routeMessage(message, sender, context),
);

browser.runtime.onInstalled.addListener(async ({ reason }) => {
  await start();
  const consent = await readConsent(context);
  // The consent page opens in a tab of its own on install (a popup alone is easy to miss), and again after an
  // update whose policy changes what is collected, for people who had agreed to an earlier version.
  if (reason === 'install' && consent.decidedAt === null) await browser.tabs.create({ url: onboardingUrl });
  if (reason === 'update' && needsReconsent(consent.agreedPolicyVersion, policyHistory)) {
    await browser.tabs.create({ url: `${onboardingUrl}?reason=policy-update` });
  }
});

browser.runtime.onStartup.addListener(() => start());

// After every committed write that can change today's total, whichever code wrote it, the popup's address follows.
followWrites(context);

browser.alarms.onAlarm.addListener(async (alarm) => {
  if (alarm.name === syncAlarm) await drain(context);
  // A pause ended: reopen the content scripts' gate (applyConsentEffects derives it from the stored end of the pause).
  if (alarm.name === resumeAlarm) await applyConsentEffects(context);
  if (alarm.name === weeklyReportAlarm) await runWeeklyReport(context);
  if (alarm.name !== retentionAlarm) return;
  await pruneExpired(context);
  await pruneBookkeeping(context);
});

// Firefox: when the person revokes smartTags' data collection in the browser's own settings, the upload scopes that
// relied on it are withdrawn here too.
browser.permissions.onRemoved.addListener(async (removed) => {
  const categories = (removed as { data_collection?: string[] }).data_collection ?? [];
  const scopes = scopesUsing(categories);
  if (scopes.length > 0) await changeConsent(context, withdrawing(scopes), 'browser');
});

// A click on a reminder opens the dashboard; on the weekly report, that week's report. The notifications API exists
// only while its optional permission is granted, so the listener is added at start when it is, and as soon as the
// person grants it.
listenToReminderClicks();
browser.permissions.onAdded.addListener(listenToReminderClicks);

function listenToReminderClicks(): void {
  // Typed as always present, but absent (undefined) without the permission.
  const notifications = browser.notifications as typeof browser.notifications | undefined;
  if (!notifications || notifications.onClicked.hasListener(openNotifiedPage)) return;
  notifications.onClicked.addListener(openNotifiedPage);
}

async function openNotifiedPage(notificationId: string): Promise<void> {
  if (!notificationId.startsWith(reminderNotificationPrefix)) return;
  await browser.notifications.clear(notificationId);
  const week = reportWeekOfNotification(notificationId);
  const page = week === null ? 'dashboard' : `report/${week}`;
  await browser.tabs.create({ url: browser.runtime.getURL(`src/options/index.html#${page}`) });
}

/** Repairs everything derived from stored state; safe to run at every start. */
async function start(): Promise<void> {
  await applyConsentEffects(context);
  await publishUninstallUrl(context);
  await followBrowserDataCollection();
  if (!(await browser.alarms.get(retentionAlarm))) {
    await browser.alarms.create(retentionAlarm, { delayInMinutes: 1, periodInMinutes: 24 * 60 });
  }
  // The outbox drains on this alarm; due times live in the outbox itself, so a restart loses no schedule.
  if (!(await browser.alarms.get(syncAlarm))) {
    await browser.alarms.create(syncAlarm, { delayInMinutes: 1, periodInMinutes: 5 });
  }
  await pruneExpired(context);
  await pruneBookkeeping(context);
  // Sets the weekly report's alarm again (the browser may have dropped it), and delivers one missed while closed.
  await runWeeklyReport(context);
  // The browser forgets a popup address set by the API when it restarts, or when the extension is updated.
  await refreshPopupAddress(context);
}

/** Withdraws upload scopes whose Firefox data-collection grant is gone (revoked while smartTags was not running). */
async function followBrowserDataCollection(): Promise<void> {
  const api = await dataCollectionApi();
  if (!api) return;
  const granted = (await api.getAll()).data_collection ?? [];
  const lost = scopesLackingDataCollection((await readConsent(context)).scopes, granted);
  if (lost.length > 0) await changeConsent(context, withdrawing(lost), 'browser');
}

function withdrawing(scopes: readonly Scope[]): Partial<Scopes> {
  return Object.fromEntries(scopes.map((scope) => [scope, false]));
}
