/**
 * The popup's first paint (./start.ts): today's total, placed where the full popup shows it.
 *
 * Everything the first paint runs is in the one file the popup's HTML loads, because each further module the browser
 * must fetch before running it costs more than the paint itself (docs/BENCHMARKS.md). So this file imports nothing,
 * and the two small things it shares with the full popup are written here again: today's date
 * (src/shared/domain/dates.ts's `localToday`) and the duration format (src/shared/ui/format.ts's `formatDuration`).
 * tests/unit/ui/PopupFirstPaint.test.tsx checks, in English and French, that both give the same as the originals, so
 * the first paint and the full popup never say different things.
 */

interface BrowserI18n {
  getMessage(key: string): string;
  getUILanguage(): string;
}

function browserI18n(): BrowserI18n | undefined {
  return (globalThis as { chrome?: { i18n?: BrowserI18n } }).chrome?.i18n;
}

/** Today's local date (YYYY-MM-DD) in the browser's time zone: as `localToday`. */
export function todayHere(now = Date.now()): string {
  const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

/** "1 hr 5 min", "42 min", "30 sec", "0 min": as `formatDuration`, in the browser's UI language. */
export function durationText(ms: number): string {
  const language = browserI18n()?.getUILanguage() || 'en';
  const unit = (name: 'hour' | 'minute' | 'second') =>
    new Intl.NumberFormat(language, { style: 'unit', unit: name, unitDisplay: 'short' });
  if (ms <= 0) return unit('minute').format(0);
  if (ms < 59_500) return unit('second').format(Math.max(1, Math.round(ms / 1000)));
  const minutes = Math.round(ms / 60_000);
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  const parts: string[] = [];
  if (hours > 0) parts.push(unit('hour').format(hours));
  if (rest > 0 || hours === 0) parts.push(unit('minute').format(rest));
  return new Intl.ListFormat(language, { type: 'unit', style: 'narrow' }).format(parts);
}

/**
 * The top of the full popup (src/popup/Popup.tsx and Today.tsx: the same elements and classes, so nothing moves when
 * it takes over) with today's total. Its test id is not the full popup's: tests wait for the full popup by
 * `today-total`, and `bench:ui` times whichever total shows first.
 */
export function paintTodaysTotal(into: HTMLElement, totalMs: number): void {
  const message = (key: string) => browserI18n()?.getMessage(key) ?? '';
  const main = document.createElement('main');
  main.className = 'popup';
  const header = document.createElement('header');
  header.className = 'popup-header';
  const title = document.createElement('h1');
  title.textContent = message('extensionName');
  header.append(title);
  const line = document.createElement('p');
  line.className = 'today-total';
  const total = document.createElement('strong');
  total.dataset.testid = 'glance-total';
  total.textContent = durationText(totalMs);
  line.append(total, ` ${message('popupTodayTotal')}`);
  main.append(header, line);
  into.replaceChildren(main);
}
