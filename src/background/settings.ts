/** The person's settings: one stored row, read with defaults for fields added after it was written. */
import { withSurfaceLimits } from '../shared/domain/goals';
import type { Surface } from '../shared/domain/routes';
import { defaultSettings, type SettingsRecord, settingsRecord } from '../shared/storage/records';
import { applyConsentEffects } from './consent';
import type { BackgroundContext } from './context';
import { pruneExpired } from './retention';

export async function readSettings({ db }: Pick<BackgroundContext, 'db'>): Promise<SettingsRecord> {
  return settingsRecord.parse({ ...defaultSettings, ...(await db.settings.get('current')) });
}

/** Fields to replace; except the surface goals, a change of the surfaces it names (null: no goal for that one). */
export type SettingsChange = Partial<Omit<SettingsRecord, 'id' | 'surfaceLimitsMinutes'>> & {
  surfaceLimitsMinutes?: Partial<Record<Surface, number | null>>;
};

/** Stores a change, then applies it: a shorter retention prunes at once; new thresholds reach the content scripts. */
export async function updateSettings(context: BackgroundContext, change: SettingsChange): Promise<void> {
  const { db } = context;
  await db.transaction('rw', db.settings, async () => {
    const current = await readSettings(context);
    const { surfaceLimitsMinutes, ...replaced } = change;
    // Merged inside the transaction, so two quick changes of different surfaces both stay.
    const surfaceGoals =
      surfaceLimitsMinutes === undefined
        ? {}
        : { surfaceLimitsMinutes: withSurfaceLimits(current.surfaceLimitsMinutes ?? {}, surfaceLimitsMinutes) };
    await db.settings.put(settingsRecord.parse({ ...current, ...replaced, ...surfaceGoals }));
  });
  if (change.retentionDays !== undefined) await pruneExpired(context);
  if (change.idleSeconds !== undefined || change.passiveSeconds !== undefined) await applyConsentEffects(context);
}
