/**
 * Today's total, carried in the address of the toolbar popup (`?today=<date>.<ms>`), so the popup can paint it from its
 * own address before anything else: its first script runs when its stylesheets arrive, about when a static extension
 * page is first painted, and an IndexedDB read from there (10–30 ms) put the figure one frame or more behind
 * (docs/BENCHMARKS.md). src/popup/firstRead.ts reads the address; the popup paints the figure only when the date is
 * today's, and the full popup shows what the database holds a moment later, so an address that fell behind is
 * corrected at once.
 *
 * The figure follows the database: the background sets the address again after every committed write of days or of
 * the consent record (Dexie's `storagemutated` event, whoever wrote), and at every start, since the browser forgets a
 * popup set by the API when it restarts. It is the same figure the popup's IndexedDB read gives, by the same rule, and
 * none at all when that read would paint nothing (choices not made, nothing recorded yet, after a wipe). It stays in
 * the browser: the popup's address is neither stored nor sent anywhere.
 */
import Dexie, { type ObservabilitySet } from 'dexie';
import { localDateOf } from '../shared/domain/dates';
import type { BackgroundContext } from './context';

/** The manifest's `action.default_popup`. */
export const popupPage = 'src/popup/index.html';

/** The tables whose writes can change the popup's first figure (src/popup/firstRead.ts reads them). */
const figureTables = ['consent', 'days', 'dayTotals'];

export interface TodaysTotal {
  date: string;
  activeMs: number;
}

/** The address the toolbar opens: the popup with today's total in it, or the bare page when it would paint none. */
export function popupAddress(total: TodaysTotal | null): string {
  return total === null ? popupPage : `${popupPage}?today=${total.date}.${Math.round(total.activeMs)}`;
}

/**
 * Today's total as the popup's first paint shows it (src/popup/firstRead.ts's `readTodaysTotal`): none before the
 * person made their choices or before anything was recorded; zero when earlier days were recorded but not today.
 */
export async function todaysTotal(context: BackgroundContext): Promise<TodaysTotal | null> {
  const { db } = context;
  const date = localDateOf(context.now(), context.timeZone());
  return db.transaction('r', [db.consent, db.dayTotals], async () => {
    const [consent, today, anyDay] = await Promise.all([
      db.consent.get('current'),
      db.dayTotals.get(date),
      db.dayTotals.toCollection().first(),
    ]);
    if (typeof consent?.decidedAt !== 'number') return null;
    if (today) return { date, activeMs: today.activeMs };
    return anyDay ? { date, activeMs: 0 } : null;
  });
}

/** Whether a committed write (Dexie's `storagemutated` parts, keyed `idb://<database>/<table>/…`) can change the figure. */
function changesTodaysTotal(parts: ObservabilitySet, databaseName: string): boolean {
  const prefixes = figureTables.map((table) => `idb://${databaseName}/${table}/`);
  return Object.keys(parts).some((part) => prefixes.some((prefix) => part.startsWith(prefix)));
}

/**
 * Keeps the popup's address following every committed write that can change today's total, whichever code wrote it.
 * Returns what stops it (tests). Dexie signals a write from the completed transaction's own callback:
 * `ignoreTransaction` makes sure the refresh is never taken for a part of that transaction.
 */
export function followWrites(context: BackgroundContext): () => void {
  const listener = (parts: ObservabilitySet) => {
    if (changesTodaysTotal(parts, context.db.name)) void Dexie.ignoreTransaction(() => refreshPopupAddress(context));
  };
  Dexie.on('storagemutated', listener);
  return () => Dexie.on('storagemutated').unsubscribe(listener);
}

/**
 * Sets the popup's address from what is stored now. Calls run one after another, so an older figure can never be set
 * after a newer one; when the read fails, the bare page is set (the popup then reads the database itself).
 */
export function refreshPopupAddress(context: BackgroundContext): Promise<void> {
  refreshing = refreshing.then(async () => {
    const total = await todaysTotal(context).catch(() => null);
    await context.platform.setPopup(popupAddress(total)).catch(() => {
      // The popup then keeps its previous address: the full popup corrects its figure as soon as it has read.
    });
  });
  return refreshing;
}

/** Only orders the refreshes of this worker's life: what they set is derived from the database each time. */
let refreshing: Promise<void> = Promise.resolve();
