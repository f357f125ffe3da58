/**
 * The popup's only script in its HTML. The full popup (preact, Dexie, the polyfill and zod: most of its bundle) takes
 * longer to load than a static extension page takes to show, so today's total is painted first, by code that is all
 * in this one file (./firstRead.ts and ./firstPaint.ts import nothing): the total from the popup's own address, where
 * the background keeps it, or else from one IndexedDB read; then the full popup (./main.tsx) once that frame is
 * produced; it shows the same total until its own reads are done. docs/BENCHMARKS.md ("How fast the pages show a year
 * of data") has the figures.
 */
// The styles are the first paint's too: imported here, they are linked from the HTML rather than loaded with main.tsx.
import '../shared/ui/base.css';
import './popup.css';
import { paintTodaysTotal, todayHere } from './firstPaint';
import { openStoredDatabase, readTodaysTotal, totalInAddress } from './firstRead';

function loadFullPopup(firstTotal: number | null): void {
  void import('./main').then(({ mountPopup }) => mountPopup(firstTotal));
}

function paintFirst(total: number | null): void {
  const firstPaint = document.getElementById('first-paint');
  if (total === null || !firstPaint) {
    loadFullPopup(null);
    return;
  }
  paintTodaysTotal(firstPaint, total);
  // Loading the full popup takes the main thread for a while: the frame showing the total is produced first.
  requestAnimationFrame(() => setTimeout(() => loadFullPopup(total)));
}

const today = todayHere();
const carried = totalInAddress(location.search, today);
if (carried !== null) paintFirst(carried);
else readTodaysTotal(openStoredDatabase(), today).then(paintFirst, () => loadFullPopup(null));
