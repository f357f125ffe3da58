import type { UploadEnvironment } from '../shared/contracts/upload';
import type { Scope } from '../shared/domain/consent';
import type { PolicyVersion } from '../shared/domain/policy';
import type { OwnExtension } from '../shared/domain/sender';
import type { SmartTagsDatabase } from '../shared/storage/db';
import type { RecordingGate } from '../shared/storage/records';

/** The browser effects background logic needs, behind an interface so the logic is tested without a browser. */
export interface Platform {
  /** Mirrors what may be recorded into storage.local, where content scripts read it (they cannot open IndexedDB). */
  publishRecordingGate(gate: RecordingGate): Promise<void>;
  /** Shows (or clears) the toolbar badge that asks for attention to a policy change. */
  showPolicyBadge(needsAttention: boolean): Promise<void>;
  /** Firefox: gives back the data-collection categories of withdrawn upload scopes. Elsewhere: nothing to do. */
  releaseDataCollection(scopes: readonly Scope[]): Promise<void>;
  /** Wakes the background at `at` to end a pause (an alarm); null cancels it. */
  scheduleResume(at: number | null): Promise<void>;
  /** Wakes the background at `at` for the weekly report (an alarm, ./weeklyReport.ts); null cancels it. */
  scheduleWeeklyReport(at: number | null): Promise<void>;
  /** The address the toolbar button opens (./popupAddress.ts: the popup with today's total in it). */
  setPopup(address: string): Promise<void>;
  /** The page the browser opens when the extension is removed; null for none. */
  setUninstallUrl(url: string | null): Promise<void>;
  /**
   * Shows a reminder as a system notification — only while the person allows notifications (they grant it when they
   * turn a reminder on); otherwise it does nothing. A notification with the id of one still shown replaces it.
   */
  notify(notification: ReminderNotification): Promise<void>;
}

/** A reminder as the notification shows it (texts: src/background/reminders.ts). */
export interface ReminderNotification {
  /** Stable for one reminder (e.g. one per date and limit), so showing it twice could only replace, not repeat it. */
  id: string;
  title: string;
  message: string;
}

export interface BackgroundContext {
  db: SmartTagsDatabase;
  own: OwnExtension;
  now: () => number;
  /** The IANA time zone days are counted in (the browser's current one). */
  timeZone: () => string;
  platform: Platform;
  /** The policy versions this build ships (src/shared/domain/policy.ts); injected so tests can stage a policy update. */
  policyHistory: readonly PolicyVersion[];
  network: Network;
}

/** What sync needs from outside: HTTP, the environment description, randomness — injected so sync is tested. */
export interface Network {
  fetch: (url: string, init: RequestInit) => Promise<Response>;
  environment: () => Promise<UploadEnvironment>;
  random: () => number;
  /** A fresh random id (batch ids, deletion request ids). */
  newId: () => string;
}
