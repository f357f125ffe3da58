/**
 * The popup's first script, built into a classic script (scripts/classicScript.ts) that the HTML loads ahead of its
 * stylesheets: a module script would wait for them before running, a classic one runs as soon as it is fetched, so the
 * IndexedDB read starts while the stylesheets load. It paints today's total (one read, ./firstRead.ts; the total,
 * ./firstPaint.ts) and hands it to ./loadFull.ts, the HTML's module script, which loads the full popup once the frame
 * showing the total has been presented. Everything it runs is in this one built file: ./firstRead.ts and
 * ./firstPaint.ts import nothing, and the build fails if it would import anything. docs/BENCHMARKS.md ("How fast the
 * pages show a year of data") has the figures.
 */
import { firstContentPresented, paintTodaysTotal, todayHere } from './firstPaint';
import { openStoredDatabase, readTodaysTotal } from './firstRead';

/**
 * What this script leaves on the page's global object for ./loadFull.ts (separate scripts share no module): today's
 * total once its frame has been presented, or null as soon as it is known that none will be painted — the full popup
 * then starts at once and says why.
 */
export interface FirstPaintHandoff {
  smartTagsFirstPaint?: Promise<number | null>;
}

/** The element to paint into: this script runs in the head, and the read may, rarely, end before the body is parsed. */
function firstPaintElement(): Promise<HTMLElement | null> {
  const find = () => document.getElementById('first-paint');
  if (document.readyState !== 'loading') return Promise.resolve(find());
  return new Promise((resolve) => document.addEventListener('DOMContentLoaded', () => resolve(find()), { once: true }));
}

async function paintFirst(): Promise<number | null> {
  const total = await readTodaysTotal(openStoredDatabase(), todayHere());
  if (total === null) return null;
  const into = await firstPaintElement();
  if (!into) return null;
  paintTodaysTotal(into, total);
  await firstContentPresented();
  return total;
}

(globalThis as FirstPaintHandoff).smartTagsFirstPaint = paintFirst().catch(() => null);
