/**
 * The popup's module script: loads the full popup (./main.tsx: preact, Dexie, the polyfill, zod) after the first
 * script (./start.ts) has painted today's total and the frame showing it has been presented — evaluating those
 * modules earlier takes the main thread and the cores the first paint needs (docs/BENCHMARKS.md) — or at once when
 * that script painted nothing (or did not run at all).
 */
// The styles are the first paint's too: imported here, Vite links them from the popup's HTML.
import '../shared/ui/base.css';
import './popup.css';
import type { FirstPaintHandoff } from './start';

const firstTotal = (globalThis as FirstPaintHandoff).smartTagsFirstPaint ?? Promise.resolve(null);
void firstTotal.then((total) => import('./main').then(({ mountPopup }) => mountPopup(total)));
