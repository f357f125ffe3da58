/**
 * The stored consent state, read with its starting value (every scope off, nothing agreed) before the first choice.
 * Its own module because both the consent changes (./consent.ts) and sync (./sync/sync.ts) read it, and consent
 * changes start sync's deletions: kept apart, neither imports the other in a circle.
 */
import { noScopes } from '../shared/domain/consent';
import type { ConsentStateRecord } from '../shared/storage/records';
import type { BackgroundContext } from './context';

const initialConsent: ConsentStateRecord = {
  id: 'current',
  scopes: noScopes,
  agreedPolicyVersion: null,
  decidedAt: null,
};

export async function readConsent({ db }: Pick<BackgroundContext, 'db'>): Promise<ConsentStateRecord> {
  return (await db.consent.get('current')) ?? initialConsent;
}
