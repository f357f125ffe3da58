/** The browser side of the Platform interface (./context.ts): thin, untested glue over WebExtension APIs. */
import browser from 'webextension-polyfill';
import type { Scope } from '../shared/domain/consent';
import { dataCollectionFor } from '../shared/domain/dataCollection';
import { currentTimeZone } from '../shared/domain/dates';
import { recordingGateKey } from '../shared/storage/records';
import type { Network, Platform } from './context';
import { resumeAlarm } from './pause';
import { describeEnvironment } from './sync/environment';
import { weeklyReportAlarm } from './weeklyReport';

/** Firefox's permissions API knows `data_collection`; the polyfill's types do not yet. */
interface DataCollectionPermissions {
  data_collection?: string[];
}
interface DataCollectionApi {
  getAll(): Promise<DataCollectionPermissions>;
  remove(permissions: DataCollectionPermissions): Promise<boolean>;
}

/** Firefox's permission API where it supports built-in data-collection consent; undefined elsewhere. */
export async function dataCollectionApi(): Promise<DataCollectionApi | undefined> {
  const api = browser.permissions as unknown as DataCollectionApi;
  const granted = await api.getAll();
  return 'data_collection' in granted ? api : undefined;
}

export const browserPlatform: Platform = {
  async publishRecordingGate(gate) {
    await browser.storage.local.set({ [recordingGateKey]: gate });
  },
  async showPolicyBadge(needsAttention) {
    await browser.action.setBadgeText({ text: needsAttention ? '!' : '' });
    if (needsAttention) await browser.action.setBadgeBackgroundColor({ color: '#b4236b' });
    await browser.action.setTitle({
      title: needsAttention
        ? 'smartTags — the privacy policy changed: uploads are paused until you decide'
        : 'smartTags',
    });
  },
  async scheduleResume(at) {
    if (at === null) await browser.alarms.clear(resumeAlarm);
    else await browser.alarms.create(resumeAlarm, { when: at });
  },
  async scheduleWeeklyReport(at) {
    // Creating an alarm of the same name replaces it, so scheduling again at every wake never adds a second one.
    if (at === null) await browser.alarms.clear(weeklyReportAlarm);
    else await browser.alarms.create(weeklyReportAlarm, { when: at });
  },
  async setPopup(address) {
    await browser.action.setPopup({ popup: address });
  },
  async setUninstallUrl(url) {
    // An empty string clears it.
    await browser.runtime.setUninstallURL(url ?? '');
  },
  async notify({ id, title, message }) {
    // The permission is optional: granted when the person turns a reminder on, revocable in the browser's settings at
    // any time. Without it there is nothing to do (in Chrome the notifications API does not even exist then).
    if (!(await browser.permissions.contains({ permissions: ['notifications'] }))) return;
    await browser.notifications.create(id, {
      type: 'basic',
      iconUrl: browser.runtime.getURL('icons/icon-128.png'),
      title,
      message,
    });
  },
  async releaseDataCollection(scopes: readonly Scope[]) {
    const api = await dataCollectionApi();
    if (api) await api.remove({ data_collection: dataCollectionFor(scopes) });
  },
};

interface UserAgentData {
  brands?: Array<{ brand: string; version: string }>;
  mobile?: boolean;
}

export const browserNetwork: Network = {
  fetch: (url, init) => fetch(url, init),
  async environment() {
    const runtime = browser.runtime as typeof browser.runtime & { getBrowserInfo?: () => Promise<{ version: string }> };
    const platform = await browser.runtime.getPlatformInfo();
    const agent = (navigator as Navigator & { userAgentData?: UserAgentData }).userAgentData;
    return describeEnvironment({
      firefoxVersion: runtime.getBrowserInfo ? (await runtime.getBrowserInfo()).version : undefined,
      brands: agent?.brands,
      mobile: agent?.mobile,
      userAgent: navigator.userAgent,
      platformOs: platform.os,
      timeZone: currentTimeZone(),
    });
  },
  random: () => Math.random(),
  newId: () => crypto.randomUUID().replaceAll('-', ''),
};
