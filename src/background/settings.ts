/** The person's settings: one stored row, read with defaults for fields added after it was written. */
import { defaultSettings, type SettingsRecord, settingsRecord } from '../shared/storage/records';
import { applyConsentEffects } from './consent';
import type { BackgroundContext } from './context';
import { pruneExpired } from './retention';

export async function readSettings({ db }: Pick<BackgroundContext, 'db'>): Promise<SettingsRecord> {
  return settingsRecord.parse({ ...defaultSettings, ...(await db.settings.get('current')) });
}

export type SettingsChange = Partial<Omit<SettingsRecord, 'id'>>;

/** Stores a change, then applies it: a shorter retention prunes at once; new thresholds reach the content scripts. */
export async function updateSettings(context: BackgroundContext, change: SettingsChange): Promise<void> {
  const { db } = context;
  await db.transaction('rw', db.settings, async () => {
    const current = await readSettings(context);
    await db.settings.put(settingsRecord.parse({ ...current, ...change }));
  });
  if (change.retentionDays !== undefined) await pruneExpired(context);
  if (change.idleSeconds !== undefined || change.passiveSeconds !== undefined) await applyConsentEffects(context);
}
