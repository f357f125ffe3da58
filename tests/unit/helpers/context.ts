import type { BackgroundContext, Network, Platform, ReminderNotification } from '../../../src/background/context';
import type { UploadEnvironment } from '../../../src/shared/contracts/upload';
import type { Scope } from '../../../src/shared/domain/consent';
import { type PolicyVersion, policyHistory } from '../../../src/shared/domain/policy';
import { SmartTagsDatabase } from '../../../src/shared/storage/db';
import type { RecordingGate } from '../../../src/shared/storage/records';

export const own = { id: 'ownid', origin: 'chrome-extension://ownid' };

/** A platform that records what the background asked the browser to do. */
export class FakePlatform implements Platform {
  gates: RecordingGate[] = [];
  badges: boolean[] = [];
  released: Scope[][] = [];
  async publishRecordingGate(gate: RecordingGate) {
    this.gates.push(gate);
  }
  async showPolicyBadge(needsAttention: boolean) {
    this.badges.push(needsAttention);
  }
  resumes: Array<number | null> = [];
  async scheduleResume(at: number | null) {
    this.resumes.push(at);
  }
  /** Every weekly report alarm asked for (null: cleared), in order. */
  weeklyReportAlarms: Array<number | null> = [];
  async scheduleWeeklyReport(at: number | null) {
    this.weeklyReportAlarms.push(at);
  }
  /** Every address the toolbar popup was given, in order. */
  popups: string[] = [];
  async setPopup(address: string) {
    this.popups.push(address);
  }
  uninstallUrls: Array<string | null> = [];
  async setUninstallUrl(url: string | null) {
    this.uninstallUrls.push(url);
  }
  async releaseDataCollection(scopes: readonly Scope[]) {
    this.released.push([...scopes]);
  }
  /** Every notification asked for, whether or not the browser would show it (the real platform checks permission). */
  notifications: ReminderNotification[] = [];
  async notify(notification: ReminderNotification) {
    this.notifications.push(notification);
  }
}

/** HTTP through whatever the test sets as `fetch` (by default: no network), a fixed environment, counted ids. */
class FakeNetwork implements Network {
  private counter = 0;
  fetch: Network['fetch'] = () => Promise.reject(new TypeError('Failed to fetch (no network in this test)'));
  environment = async (): Promise<UploadEnvironment> => ({
    browser: 'chrome',
    browserVersion: '156.0.8078.73',
    os: 'linux',
    deviceType: 'desktop',
    timeZone: 'Europe/Berlin',
    country: 'DE',
  });
  random = () => 0.5;
  newId = () => {
    this.counter += 1;
    return `test-id-${String(this.counter).padStart(6, '0')}`;
  };
}

export interface TestContext extends BackgroundContext {
  platform: FakePlatform;
  network: FakeNetwork;
  clock: { now: number };
}

/** A background context on a fresh fake-indexeddb database, with a settable clock. Delete `db` after the test. */
export function makeContext(
  timeZone = 'Europe/Berlin',
  history: readonly PolicyVersion[] = policyHistory,
): TestContext {
  const clock = { now: Date.UTC(2026, 10, 25, 12, 0, 0) };
  return {
    db: new SmartTagsDatabase(`test-${crypto.randomUUID()}`, { fixtureWrites: true }),
    own,
    now: () => clock.now,
    timeZone: () => timeZone,
    platform: new FakePlatform(),
    clock,
    policyHistory: history,
    network: new FakeNetwork(),
  };
}
