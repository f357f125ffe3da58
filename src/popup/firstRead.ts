/**
 * Today's total for the popup's first paint (./start.ts), read straight from IndexedDB — the figure the full popup
 * shows, from the day's record without its hashtags, so it is the real one. It imports nothing, for the reason ./firstPaint.ts gives.
 */

/**
 * Today's total from the popup's own address (`?today=<date>.<ms>`, set by the background after every write that can
 * change it: src/background/popupAddress.ts), or null when the address carries none, or another day's (the address was
 * set before midnight). It spares the first paint the database read, which cannot start before the popup's script has
 * arrived; the full popup shows what the database holds a moment later either way.
 */
export function totalInAddress(search: string, today: string): number | null {
  const carried = /^(\d{4}-\d{2}-\d{2})\.(\d{1,12})$/.exec(new URLSearchParams(search).get('today') ?? '');
  return carried && carried[1] === today ? Number(carried[2]) : null;
}

/** src/shared/storage/db.ts's `databaseName`, which cannot be imported here without Dexie (a unit test compares them). */
export const storedDatabaseName = 'smarttags';

/**
 * Opens the database only if it exists: opening a missing one would create it empty, at a version Dexie would then
 * try to upgrade from. Null when it is missing or cannot be opened.
 */
export function openStoredDatabase(name = storedDatabaseName): Promise<IDBDatabase | null> {
  return new Promise((resolve) => {
    const request = indexedDB.open(name);
    // Only a database that does not exist yet needs an upgrade when no version is asked for: abort creating it.
    request.onupgradeneeded = () => request.transaction?.abort();
    request.onsuccess = () => resolve(request.result);
    request.onerror = (event) => {
      event.preventDefault();
      resolve(null);
    };
  });
}

function hasNumber<Key extends string>(value: unknown, key: Key): value is Record<Key, number> {
  return typeof value === 'object' && value !== null && typeof (value as Record<string, unknown>)[key] === 'number';
}

/**
 * Today's attention time as the full popup shows it: null when it would show none — before the person made their
 * choices (it asks for them), before anything was recorded (it says how to start), or when the database cannot be
 * read (it says why). Zero when earlier days were recorded but not today. One read-only transaction; the connection
 * is closed after it, so it never holds up the background's upgrade of the database.
 */
export async function readTodaysTotal(opening: Promise<IDBDatabase | null>, today: string): Promise<number | null> {
  const db = await opening;
  if (!db) return null;
  try {
    // The day without its hashtag counts (a tenth of the record or less) where the database has it: version 8 on.
    const days = db.objectStoreNames.contains('dayTotals') ? 'dayTotals' : 'days';
    const transaction = db.transaction(['consent', days], 'readonly');
    const consent = transaction.objectStore('consent').get('current');
    const day = transaction.objectStore(days).get(today);
    const firstDate = transaction.objectStore(days).getAllKeys(null, 1);
    await new Promise<void>((resolve, reject) => {
      transaction.oncomplete = () => resolve();
      transaction.onerror = () => reject(transaction.error);
      transaction.onabort = () => reject(transaction.error);
    });
    if (!hasNumber(consent.result, 'decidedAt')) return null;
    if (hasNumber(day.result, 'activeMs')) return day.result.activeMs;
    return firstDate.result.length > 0 ? 0 : null;
  } catch {
    return null;
  } finally {
    db.close();
  }
}
