// @ts-check
/**
 * How fast do smartTags' pages show a year of data? (`npm run bench:ui`; not a test.)
 *
 * Installs the built extension (dist/chrome) in headless Chromium, grants recording consent and imports a year of
 * fixture data (tests/support/yearOfData.ts: 365 days ending today, 5,000 distinct hashtags, 2 accounts) through the
 * extension's own `data.import`, then measures in the pages themselves (performance.now(), so no protocol round trip
 * is counted):
 *
 * - when the popup's today's total is painted — the first figure the popup paints (`[data-testid="glance-total"]`,
 *   painted before the full popup loads) or the full popup's (`[data-testid="today-total"]`) — and its ratio to a
 *   static extension page's paint time, measured in the same runs (interleaved): issue 14's goal. "Painted" is the
 *   browser's own paint timing, the page's first contentful paint (FCP: when its first content was presented), taken
 *   only from loads whose figure was already in the document when that frame was presented — the popup's first
 *   content is its figure, and a load where anything was presented before it is counted as not measured. Also printed,
 *   by the method used before FCP was: from navigation start until the figure is in the document and then until the
 *   frame showing it has been produced (the first task after the next animation frame; work the page queues right
 *   behind the frame, such as the full popup's loading, delays that task but not the frame). Then the time until the
 *   full popup shows today's total; whether the first figure was the one the full popup then showed; and the popup's
 *   content height at 360 px wide (Chrome cuts a toolbar popup at 600 px). The popup is opened at the address the
 *   toolbar button opens (`action.getPopup`: the background keeps today's total in it), as a tab at the popup's size:
 *   a real toolbar popup adds the browser's own window work, which no extension controls.
 * - each dashboard tab's render time: from the click on the tab until its reports are complete — tables and every chart
 *   (uPlot draws into `.uplot`) — and the frame showing them has been produced. For the 30-day period the dashboard
 *   opens with, and for "Last 365 days", the heaviest period.
 * - the gzip size of everything the popup's and the options page's HTML loads (scripts, their static imports, styles).
 *
 * Options: --runs N (page loads per measurement, default 7); --extension DIR (another build of smartTags);
 * --compare DIR (a second build whose popup is measured in the same runs, e.g. the build before a change: its ratio to
 * the same static page is printed next to this build's); --only popup|dashboard (skip the other measurements);
 * --profile (one extra run per tab under the CPU profiler: where its time goes, by function). CHROMIUM_PATH picks the
 * browser. It prints a table, then one JSON line with the same figures. docs/BENCHMARKS.md explains the figures.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, posix, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { chromiumExecutable, importTs, launchChromium } from './bench/chromium.mjs';

/** @typedef {import('puppeteer').Browser} Browser */
/** @typedef {import('puppeteer').Page} Page */
/** @typedef {'overview' | 'hashtags' | 'account'} Tab */
/** @typedef {30 | 365} Range */
/** @typedef {{ ready: number, painted: number }} Timing milliseconds from the start to "in the DOM" and to "painted" */

const repository = fileURLToPath(new URL('..', import.meta.url));
/**
 * popupMs: issue 7's absolute goal (out of reach on machines where a static extension page alone takes longer);
 * popupRatio: issue 14's, relative to a static extension page measured in the same run; popupHeightPx: Chrome's
 * toolbar popups are at most 600 px tall.
 */
const goals = { popupMs: 50, popupRatio: 1.3, popupHeightPx: 600, tabMs: 150, yearSwitchMs: 500 };

const { values: options } = parseArgs({
  options: {
    runs: { type: 'string', default: '7' },
    extension: { type: 'string', default: join(repository, 'dist/chrome') },
    compare: { type: 'string' },
    only: { type: 'string' },
    profile: { type: 'boolean', default: false },
  },
});
if (options.only !== undefined && options.only !== 'popup' && options.only !== 'dashboard') {
  throw new Error(`--only takes popup or dashboard (got ${options.only}).`);
}
const measureThePopup = options.only !== 'dashboard';
const measureTheDashboard = options.only !== 'popup';
const runs = Number(options.runs);
if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a positive integer (got ${options.runs}).`);
const extensionDirectory = resolve(options.extension);
const compareDirectory = options.compare === undefined ? null : resolve(options.compare);
for (const directory of [extensionDirectory, compareDirectory]) {
  if (directory !== null && !existsSync(join(directory, 'manifest.json'))) {
    throw new Error(`${directory} has no manifest.json: run "npm run build" first.`);
  }
}

/**
 * What has to be in a panel before it counts as rendered: a selector, how many matches at least, and optionally a text
 * the first match must contain.
 * @typedef {[string, number] | [string, number, string]} Content
 */
/** @type {Record<Tab, Content[]>} */
const tabContent = {
  overview: [
    ['[data-testid="overview-summary"]', 1],
    ['[data-testid="surface-totals"] tbody tr', 1],
    ['.heatmap', 1],
    ['.chart .uplot', 1],
  ],
  hashtags: [
    ['[data-testid="hashtag-table"] tbody tr', 1],
    ['[data-testid="seen-vs-used-table"] tbody tr', 1],
    ['#tag-movers-heading', 1],
  ],
  account: [
    ['[data-testid="account-latest"]', 1],
    ['.account-chart .uplot', 3],
  ],
};
/**
 * The popup's meaningful content: today's total, whichever shows it first — the figure painted before the full popup
 * loads, or the full popup's own — and what stands in for it in a popup without today's figures.
 */
const firstTotalSelector = '[data-testid="glance-total"]';
const fullTotalSelector = '[data-testid="today-total"]';
const popupSelector = `${firstTotalSelector}, ${fullTotalSelector}`;
const popupFallback = 'main h1';

async function fixture() {
  const module = /** @type {{ yearOfData(options?: object): unknown }} */ (
    await importTs('tests/support/yearOfData.ts')
  );
  // Ends today in this machine's zone, which is the browser's: the pages compute "today" from the real clock.
  return module.yearOfData();
}

// ---------------------------------------------------------------------------------------------------------------
// The browser

/**
 * A copy of the extension with one more page: static HTML holding the element the popup's figure is timed on, the
 * popup's stylesheets, and no script. Its time to paint is what any extension page costs on this machine and browser
 * before a line of smartTags runs — the floor under the popup's figure.
 */
const baselinePage = 'bench-baseline.html';
function withBaselinePage() {
  const copy = mkdtempSync(join(tmpdir(), 'smarttags-bench-ui-'));
  cpSync(extensionDirectory, copy, { recursive: true });
  const popupHtml = readFileSync(join(extensionDirectory, 'src/popup/index.html'), 'utf8');
  // Only stylesheets: the static page runs no script.
  const styles = [...popupHtml.matchAll(/<link rel="stylesheet"[^>]*>/g)].map(([tag]) => tag).join('\n');
  writeFileSync(
    join(copy, baselinePage),
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>baseline</title>${styles}</head>` +
      '<body><div id="app"><main class="popup"><h1>smartTags</h1>' +
      '<p class="today-total"><strong data-testid="today-total">40 min</strong> on Instagram today</p>' +
      '</main></div></body></html>',
  );
  return copy;
}

/**
 * Installs the extension, closes the onboarding tab it opens, grants consent and imports the year.
 * @param {Browser} browser
 * @param {string} directory the extension to install
 * @param {unknown} document
 * @returns {Promise<string>} the extension's origin with a trailing slash
 */
async function installWithData(browser, directory, document) {
  const id = await browser.installExtension(directory);
  const origin = `chrome-extension://${id}/`;
  await browser
    .waitForTarget((target) => target.url().startsWith(`${origin}src/onboarding`), { timeout: 5000 })
    .catch(() => undefined);
  const page = await browser.newPage();
  await page.goto(`${origin}src/options/index.html`);
  /** @param {unknown} message */
  const send = (message) =>
    page.evaluate((body) => /** @type {Promise<{ ok: boolean }>} */ (chrome.runtime.sendMessage(body)), message);
  const consent = await send({ type: 'consent.set', scopes: { usage: true, account: true }, source: 'options' });
  if (!consent?.ok) throw new Error(`consent.set was refused: ${JSON.stringify(consent)}`);
  const started = Date.now();
  const imported = await send({ type: 'data.import', document, mode: 'replace' });
  if (!imported?.ok) throw new Error(`data.import was refused: ${JSON.stringify(imported).slice(0, 500)}`);
  process.stderr.write(`imported the year in ${Date.now() - started} ms\n`);
  // The address the toolbar button opens: the background sets it after the import, with today's total in it
  // (src/background/popupAddress.ts). A build that does not waits 5 s here and opens the manifest's page.
  const manifestPopup = 'src/popup/index.html';
  let popupPath = manifestPopup;
  for (const deadline = Date.now() + 5000; popupPath === manifestPopup && Date.now() < deadline; ) {
    await new Promise((done) => setTimeout(done, 100));
    const address = await page.evaluate(() => chrome.action.getPopup({}));
    popupPath = address.startsWith(origin) ? address.slice(origin.length) : address;
  }
  process.stderr.write(`the toolbar opens ${popupPath}\n`);
  for (const open of await browser.pages()) if (open.url().startsWith(origin)) await open.close();
  return { origin, popupPath };
}

// ---------------------------------------------------------------------------------------------------------------
// In-page measurement. These functions run in the page; they are serialised by puppeteer, so they may use only their
// arguments.

/**
 * Installed before the popup's own scripts (evaluateOnNewDocument): notes, from navigation start, when each selector
 * is first in the document (a MutationObserver sees it in the same task that inserted it), its text then, and when the
 * frame showing it has been produced (the first task after the next animation frame). (The Element Timing API would
 * say when the element itself was rendered, but headless Chromium without a GPU reports no entries.)
 * @param {string[]} selectors
 */
function watchForContent(selectors) {
  /** @type {Record<string, { ready: number, text: string, painted?: number }>} */
  const seen = {};
  const bench = { seen, fcp: /** @type {number | null} */ (null) };
  Object.assign(window, { __bench: bench });
  const check = () => {
    for (const selector of selectors) {
      const element = seen[selector] ? null : document.querySelector(selector);
      if (!element) continue;
      const entry = { ready: performance.now(), text: element.textContent ?? '' };
      seen[selector] = entry;
      requestAnimationFrame(() => setTimeout(() => Object.assign(entry, { painted: performance.now() })));
    }
    if (selectors.every((selector) => seen[selector])) observer.disconnect();
  };
  const observer = new MutationObserver(check);
  observer.observe(document, { childList: true, subtree: true, characterData: true });
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) if (entry.name === 'first-contentful-paint') bench.fcp = entry.startTime;
  }).observe({ type: 'paint', buffered: true });
}

/**
 * Clicks a dashboard tab (or a period) and resolves with the time until its panel holds all of `content`.
 * @param {string} clickSelector
 * @param {string} panelSelector
 * @param {Content[]} content
 * @returns {Promise<Timing>}
 */
function clickAndTime(clickSelector, panelSelector, content) {
  return new Promise((done, fail) => {
    const button = /** @type {HTMLElement | null} */ (document.querySelector(clickSelector));
    if (!button) return fail(new Error(`nothing matches ${clickSelector}`));
    const complete = () => {
      const panel = /** @type {HTMLElement | null} */ (document.querySelector(panelSelector));
      return (
        panel !== null &&
        !panel.hidden &&
        content.every(([selector, count, text]) => {
          const found = panel.querySelectorAll(selector);
          return found.length >= count && (text === undefined || (found[0]?.textContent ?? '').includes(text));
        })
      );
    };
    /** @type {number | null} */
    let ready = null;
    const finish = () => {
      if (ready !== null) return;
      ready = performance.now() - start;
      observer.disconnect();
      const at = ready;
      requestAnimationFrame(() => setTimeout(() => done({ ready: at, painted: performance.now() - start })));
    };
    const observer = new MutationObserver(() => complete() && finish());
    observer.observe(document.body, {
      childList: true,
      subtree: true,
      characterData: true,
      attributes: true,
      attributeFilter: ['hidden'],
    });
    setTimeout(() => {
      observer.disconnect();
      if (ready === null) fail(new Error(`${panelSelector} was not complete after 20 s`));
    }, 20_000);
    const start = performance.now();
    button.click();
    if (complete()) finish();
  });
}

// ---------------------------------------------------------------------------------------------------------------
// The measurements

/**
 * One load of the popup page (or of the baseline page, which shows the same element without any script): when today's
 * total was first painted, when the full popup showed it, whether both said the same, and the content's height.
 * @param {Browser} browser
 * @param {string} origin
 * @param {string} path
 */
async function measurePopup(browser, origin, path) {
  const page = await browser.newPage();
  await page.setViewport({ width: 360, height: 600 });
  await page.evaluateOnNewDocument(watchForContent, [popupSelector, fullTotalSelector, popupFallback]);
  await page.goto(`${origin}${path}`);
  /** @param {string} selector */
  const paintedWithin = (selector, timeout = 5000) =>
    page
      .waitForFunction(
        (wanted) => {
          const entry = /** @type {{ __bench?: { seen: Record<string, { painted?: number }> } }} */ (window).__bench
            ?.seen[wanted];
          return entry?.painted !== undefined;
        },
        { timeout },
        selector,
      )
      .then(() => true)
      .catch(() => false);
  const found = await paintedWithin(popupSelector, 3000);
  if (!found) await page.waitForFunction(() => document.querySelector('main h1') !== null);
  // The static page has no full popup; the popup's may follow its first figure.
  const full = path === baselinePage ? false : await paintedWithin(fullTotalSelector);
  // What the full popup loads after today's figures (recording status, uploads) settles before the height is read.
  await new Promise((done) => setTimeout(done, full ? 400 : 100));
  const result = await page.evaluate(() => {
    const bench =
      /** @type {{ __bench: { seen: Record<string, { ready: number, text: string, painted?: number }>, fcp: number | null } }} */ (
        /** @type {unknown} */ (window)
      ).__bench;
    const navigation = /** @type {PerformanceNavigationTiming | undefined} */ (
      performance.getEntriesByType('navigation')[0]
    );
    return {
      seen: bench.seen,
      fcp: bench.fcp,
      domContentLoaded: navigation?.domContentLoadedEventEnd ?? null,
      // The document's own height (the viewport's is fixed at 600): what a toolbar popup would be sized to.
      heightPx: Math.ceil(document.documentElement.getBoundingClientRect().height),
      finalTotal: document.querySelector('[data-testid="today-total"]')?.textContent ?? null,
    };
  });
  await page.close();
  const entry = result.seen[found ? popupSelector : popupFallback];
  if (!entry || entry.painted === undefined) throw new Error('The popup never showed its content.');
  const fullEntry = full ? result.seen[fullTotalSelector] : undefined;
  return {
    selector: found ? popupSelector : popupFallback,
    ready: entry.ready,
    painted: entry.painted,
    full: fullEntry?.painted ?? null,
    // The first figure painted must be the one the full popup shows once it has loaded (same data, same formatting).
    sameFigure: !full || entry.text === result.finalTotal,
    firstText: entry.text,
    finalTotal: result.finalTotal,
    heightPx: result.heightPx,
    fcp: result.fcp,
    // The frame FCP reports shows the figure only if the figure was in the document before it was presented.
    presented: result.fcp !== null && result.fcp >= entry.ready ? result.fcp : null,
    domContentLoaded: result.domContentLoaded,
  };
}

/**
 * One page load of the dashboard: its first view (Overview, 30 days), then every tab at 30 days, then the period set to
 * 365 days and every tab again. Tabs are measured in the order hashtags, account, overview, so each is switched to
 * from another.
 * @param {Browser} browser
 * @param {string} origin
 */
async function measureDashboard(browser, origin) {
  const page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 900 });
  await page.evaluateOnNewDocument(watchForContent, ['[data-testid="panel-overview"] .chart .uplot']);
  await page.goto(`${origin}src/options/index.html#dashboard`);
  await page.waitForFunction(
    () =>
      /** @type {{ __bench?: { seen: Record<string, { painted?: number }> } }} */ (window).__bench?.seen[
        '[data-testid="panel-overview"] .chart .uplot'
      ]?.painted !== undefined,
    { timeout: 20_000 },
  );
  const firstView = await page.evaluate(
    () =>
      /** @type {{ __bench: { seen: Record<string, { ready: number, painted: number }> } }} */ (
        /** @type {unknown} */ (window)
      ).__bench.seen['[data-testid="panel-overview"] .chart .uplot'],
  );
  // What the page reads once the first view is shown (the Hashtags tab's whole days, when the browser is idle) finishes
  // before the tabs are timed, as after the switch to a year below: a tab switch is measured, not the page's start.
  await settle(page, 1000);
  /** @type {Record<Range, Record<Tab, Timing>>} */
  const tabs = /** @type {Record<Range, Record<Tab, Timing>>} */ ({ 30: {}, 365: {} });
  /** @type {Timing | null} */
  let rangeChange = null;
  for (const range of /** @type {Range[]} */ ([30, 365])) {
    if (range === 365) {
      rangeChange = await chooseYear(page);
      // The year's chart is redrawn after the figures (in an effect): let that finish before the next measurement.
      await settle(page, 1000);
    }
    for (const tab of /** @type {Tab[]} */ (['hashtags', 'account', 'overview'])) {
      tabs[range][tab] = await tabClick(page, tab);
      await settle(page);
    }
  }
  // A day's page, opened from the Overview's calendar (the year is shown): its own read of one whole day.
  const dayPage = await page.evaluate(
    clickAndTime,
    '[data-testid="calendar"] a[href^="#day/"]',
    '[data-testid="day-page"]',
    [
      ['[data-testid="day-figures"]', 1],
      ['[data-testid="day-surfaces"] tbody tr', 1],
    ],
  );
  await page.close();
  return { firstView, tabs, rangeChange, dayPage };
}

/**
 * Switches the dashboard (on Overview) to "Last 365 days" and times it until the year's report is shown. Until the
 * year's days are read, the Overview keeps the previous period's days and already labels them with the new period
 * ("30 of 365" days with use), so the end is the summary counting every day of the fixture: "365 of 365".
 * @param {Page} page
 */
async function chooseYear(page) {
  await tabClick(page, 'overview');
  await settle(page);
  return page.evaluate(clickAndTime, '[data-testid="period-last-365"]', '[data-testid="panel-overview"]', [
    ...tabContent.overview,
    ['[data-testid="days-with-use"]', 1, '365 of 365'],
  ]);
}

/** @param {Page} page @param {Tab} tab */
function tabClick(page, tab) {
  return page.evaluate(clickAndTime, `[data-testid="tab-${tab}"]`, `[data-testid="panel-${tab}"]`, tabContent[tab]);
}

/** Lets deferred work (effects, idle callbacks, GC) finish, so one measurement does not run into the next. */
const settle = (/** @type {Page} */ page, ms = 150) =>
  page.evaluate(
    (wait) => new Promise((done) => setTimeout(() => requestAnimationFrame(() => setTimeout(done, wait)), 0)),
    ms,
  );

/**
 * Where the time goes: one popup load and one switch to each tab at 365 days under the CPU profiler, as the functions
 * with the most self time and the file they are in (in the bundle, the chunk; minified names, hence line:column).
 * @param {Browser} browser
 * @param {string} origin
 */
async function profile(browser, origin) {
  /** @type {Record<string, { timing: Timing, top: Array<{ fn: string, selfMs: number }>, total: number }>} */
  const profiles = {};

  const popup = await browser.newPage();
  await popup.setViewport({ width: 360, height: 600 });
  await popup.evaluateOnNewDocument(watchForContent, [popupSelector]);
  const popupCdp = await popup.createCDPSession();
  await popupCdp.send('Profiler.enable');
  await popupCdp.send('Profiler.setSamplingInterval', { interval: 100 });
  await popupCdp.send('Profiler.start');
  await popup.goto(`${origin}src/popup/index.html`);
  const popupTiming = await popup
    .waitForFunction(
      (selector) =>
        /** @type {{ __bench?: { seen: Record<string, { ready: number, painted?: number }> } }} */ (window).__bench
          ?.seen[selector]?.painted !== undefined &&
        /** @type {{ __bench: { seen: Record<string, Timing> } }} */ (/** @type {unknown} */ (window)).__bench.seen[
          selector
        ],
      { timeout: 10_000 },
      popupSelector,
    )
    .then((handle) => /** @type {Promise<Timing>} */ (handle.jsonValue()))
    .catch(() => ({ ready: Number.NaN, painted: Number.NaN }));
  const { profile: popupProfile } = await popupCdp.send('Profiler.stop');
  profiles.popup = { timing: popupTiming, top: selfTimes(popupProfile).slice(0, 15), total: totalSelf(popupProfile) };
  await popup.close();

  const page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 900 });
  await page.goto(`${origin}src/options/index.html#dashboard`);
  await page.waitForSelector('[data-testid="panel-overview"] .chart .uplot');
  await settle(page, 1000);
  const cdp = await page.createCDPSession();
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
  for (const range of /** @type {Range[]} */ ([30, 365])) {
    if (range === 365) {
      await chooseYear(page);
      // The year's first read and its chart are slow: let them finish before the profile starts.
      await settle(page, 1000);
    }
    for (const tab of /** @type {Tab[]} */ (['hashtags', 'account', 'overview'])) {
      await cdp.send('Profiler.start');
      const timing = await tabClick(page, tab);
      const { profile } = await cdp.send('Profiler.stop');
      profiles[`${tab} (${range} days)`] = { timing, top: selfTimes(profile).slice(0, 15), total: totalSelf(profile) };
      await settle(page);
    }
  }
  await page.close();
  return profiles;
}

/**
 * All JavaScript and browser work in a profile (not idle, not the profiler's own "program" time), in ms.
 * @param {import('puppeteer').Protocol.Profiler.Profile} profile
 */
function totalSelf(profile) {
  return selfTimes(profile).reduce((sum, entry) => sum + entry.selfMs, 0);
}

/**
 * Self time per function of a CPU profile, most first.
 * @param {import('puppeteer').Protocol.Profiler.Profile} profile
 */
function selfTimes(profile) {
  /** @type {Map<number, import('puppeteer').Protocol.Profiler.ProfileNode>} */
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  /** @type {Map<string, number>} */
  const self = new Map();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  samples.forEach((id, index) => {
    const frame = nodes.get(id)?.callFrame;
    if (!frame) return;
    const file = frame.url ? posix.basename(frame.url) : '';
    const name = `${frame.functionName || '(anonymous)'} ${file}${file ? `:${frame.lineNumber + 1}:${frame.columnNumber + 1}` : ''}`;
    // A sample's time is the delta to the next sample.
    self.set(name, (self.get(name) ?? 0) + (deltas[index + 1] ?? 0) / 1000);
  });
  return [...self.entries()]
    .filter(([name]) => !name.startsWith('(idle)') && !name.startsWith('(program)'))
    .map(([fn, selfMs]) => ({ fn, selfMs }))
    .sort((a, b) => b.selfMs - a.selfMs);
}

// ---------------------------------------------------------------------------------------------------------------
// Bundle sizes

/**
 * The files an extension page's HTML loads — its module script, modulepreloads and stylesheets — plus every module
 * they import statically, gzipped (level 9). Modules imported only with import() load later and are listed apart.
 * @param {string} htmlPath relative to the extension directory
 */
function pageBundle(htmlPath) {
  const html = readFileSync(join(extensionDirectory, htmlPath), 'utf8');
  /** @param {string} reference @param {string} from */
  const resolveFrom = (reference, from) =>
    reference.startsWith('/') ? reference.slice(1) : posix.join(posix.dirname(from), reference);
  const pending = [...html.matchAll(/(?:src|href)="([^"]+\.(?:js|css))"/g)].map(([, path]) =>
    resolveFrom(/** @type {string} */ (path), htmlPath),
  );
  const files = new Set();
  const lazy = new Set();
  while (pending.length > 0) {
    const file = /** @type {string} */ (pending.pop());
    if (files.has(file)) continue;
    files.add(file);
    if (!file.endsWith('.js')) continue;
    const source = readFileSync(join(extensionDirectory, file), 'utf8');
    for (const [, path] of source.matchAll(/(?:\bfrom|\bimport)\s*["']([^"']+\.(?:js|css))["']/g)) {
      pending.push(resolveFrom(/** @type {string} */ (path), file));
    }
    for (const [, path] of source.matchAll(/\bimport\(\s*["']([^"']+\.js)["']\s*\)/g)) {
      lazy.add(resolveFrom(/** @type {string} */ (path), file));
    }
  }
  const sizes = [...files].sort().map((file) => {
    const bytes = readFileSync(join(extensionDirectory, file));
    return { file, bytes: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
  });
  return {
    files: sizes,
    bytes: sizes.reduce((sum, file) => sum + file.bytes, 0),
    gzipBytes: sizes.reduce((sum, file) => sum + file.gzip, 0),
    lazy: [...lazy].filter((file) => !files.has(file)),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Statistics and output

/** @param {number[]} values */
const median = (values) => {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
};
/** @param {number[]} values */
const stats = (values) => ({ median: median(values), max: Math.max(...values), runs: values });
/** @param {number} value */
const ms = (value) => value.toFixed(1);

// ---------------------------------------------------------------------------------------------------------------

const executablePath = await chromiumExecutable();
process.stderr.write('building a year of fixture data…\n');
const document = await fixture();
// Other work on the machine shows in every figure: the load average before and after is printed with them.
const loadBefore = loadavg()[0] ?? 0;
const installed = withBaselinePage();
const browser = await launchChromium(executablePath, { protocolTimeout: 300_000 });
try {
  const chromium = await browser.version();
  const { origin, popupPath } = await installWithData(browser, installed, document);
  const comparedBuild = compareDirectory === null ? null : await installWithData(browser, compareDirectory, document);

  /** @typedef {Awaited<ReturnType<typeof measurePopup>>} PopupRun */
  /** @type {PopupRun[]} */
  const baselineRuns = [];
  /** @type {PopupRun[]} */
  const popupRuns = [];
  /** @type {PopupRun[]} */
  const compareRuns = [];
  // Interleaved, so a change in the machine's load between runs weighs on the static page and the popups alike.
  for (let run = 0; measureThePopup && run < runs; run++) {
    process.stderr.write(`static page, popup${comparedBuild ? ', compared popup' : ''} ${run + 1}/${runs}…\n`);
    baselineRuns.push(await measurePopup(browser, origin, baselinePage));
    popupRuns.push(await measurePopup(browser, origin, popupPath));
    if (comparedBuild) compareRuns.push(await measurePopup(browser, comparedBuild.origin, comparedBuild.popupPath));
  }
  /** @type {Awaited<ReturnType<typeof measureDashboard>>[]} */
  const dashboardRuns = [];
  for (let run = 0; measureTheDashboard && run < runs; run++) {
    process.stderr.write(`dashboard ${run + 1}/${runs}…\n`);
    dashboardRuns.push(await measureDashboard(browser, origin));
  }
  const profiles = options.profile ? await profile(browser, origin) : null;

  const lines = [
    `smartTags UI benchmark — ${chromium} (${executablePath}), headless, --disable-gpu`,
    `machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, load average ${loadBefore.toFixed(1)} before, ` +
      `${(loadavg()[0] ?? 0).toFixed(1)} after; extension: ${extensionDirectory}` +
      (compareDirectory ? `; compared with: ${compareDirectory}` : ''),
    `data: a year (365 days to today, 5,000 distinct hashtags, 2 accounts), imported with data.import; ${runs} runs each`,
    '',
    `${'measure'.padEnd(52)}${'median'.padStart(9)}${'max'.padStart(9)}  goal`,
  ];
  /** @param {string} label @param {{ median: number, max: number }} figure @param {string} [goal] */
  const row = (label, figure, goal = '') =>
    lines.push(`${label.padEnd(52)}${ms(figure.median).padStart(9)}${ms(figure.max).padStart(9)}  ${goal}`);
  /** @param {number} value @param {number} goal @param {string} unit */
  const verdict = (value, goal, unit) => `≤ ${goal}${unit} → ${value <= goal ? 'met' : 'NOT MET'}`;

  /** @param {PopupRun[]} popupRuns */
  const popupFigures = (popupRuns) => ({
    selector: popupRuns[0]?.selector ?? popupSelector,
    firstMeaningfulPaintMs: stats(popupRuns.map((run) => run.painted)),
    inDocumentMs: stats(popupRuns.map((run) => run.ready)),
    fullPopupMs: stats(popupRuns.map((run) => run.full ?? Number.NaN)),
    firstContentfulPaintMs: stats(popupRuns.map((run) => run.fcp ?? Number.NaN)),
    presentedMs: stats(popupRuns.flatMap((run) => (run.presented === null ? [] : [run.presented]))),
    // Loads whose first contentful paint did not show the figure (something else was presented first) or was missing.
    notMeasured: popupRuns.filter((run) => run.presented === null).length,
    domContentLoadedMs: stats(popupRuns.map((run) => run.domContentLoaded ?? Number.NaN)),
    heightPx: stats(popupRuns.map((run) => run.heightPx)),
    // Runs whose first figure differed from the one the full popup showed after loading.
    figureMismatches: popupRuns
      .filter((run) => !run.sameFigure)
      .map((run) => ({ first: run.firstText, full: run.finalTotal })),
  });
  const baselinePaint = stats(baselineRuns.map((run) => run.painted));
  /** @param {ReturnType<typeof popupFigures>} figures */
  const ratioToBaseline = (figures) => figures.firstMeaningfulPaintMs.median / baselinePaint.median;
  // Issue 14's goal: both pages' paint time by the browser's own paint timing (see the header).
  const baselinePresented = popupFigures(baselineRuns);
  /** @param {ReturnType<typeof popupFigures>} figures */
  const presentedRatioToBaseline = (figures) =>
    figures.presentedMs.runs.length === 0 || baselinePresented.presentedMs.runs.length === 0
      ? Number.NaN
      : figures.presentedMs.median / baselinePresented.presentedMs.median;
  const popup = measureThePopup
    ? {
        ...popupFigures(popupRuns),
        baselinePaintMs: baselinePaint,
        baselinePresentedMs: baselinePresented.presentedMs,
        baselineNotMeasured: baselinePresented.notMeasured,
      }
    : null;
  const compared = measureThePopup && compareDirectory ? popupFigures(compareRuns) : null;

  if (popup) {
    const ratio = presentedRatioToBaseline(popup);
    row('static extension page: painted (its FCP)', popup.baselinePresentedMs);
    row('popup: today’s total painted (its FCP)', popup.presentedMs);
    lines.push(
      `${'popup: … as a ratio to the static page'.padEnd(52)}${`${ratio.toFixed(2)} ×`.padStart(9)}${''.padStart(9)}  ` +
        verdict(Number(ratio.toFixed(2)), goals.popupRatio, ' ×'),
    );
    row('static page: frame produced (first task after it)', popup.baselinePaintMs);
    row('popup: today’s total, frame produced', popup.firstMeaningfulPaintMs);
    lines.push(
      `${'popup: … as a ratio to the static page'.padEnd(52)}${`${ratioToBaseline(popup).toFixed(2)} ×`.padStart(9)}`,
    );
    row('popup: … in the document', popup.inDocumentMs);
    row('popup: full popup showing today’s total, painted', popup.fullPopupMs);
    row('popup: DOMContentLoaded', popup.domContentLoadedMs);
    lines.push(
      `${'popup: content height at 360 px wide (px)'.padEnd(52)}${String(popup.heightPx.median).padStart(9)}` +
        `${String(popup.heightPx.max).padStart(9)}  ${verdict(popup.heightPx.max, goals.popupHeightPx, ' px')}`,
    );
    if (compared) {
      row('compared build: today’s total painted (its FCP)', compared.presentedMs);
      lines.push(
        `${'compared build: … as a ratio to the static page'.padEnd(52)}${`${presentedRatioToBaseline(compared).toFixed(2)} ×`.padStart(9)}`,
      );
      row('compared build: today’s total, frame produced', compared.firstMeaningfulPaintMs);
      lines.push(
        `${'compared build: … as a ratio to the static page'.padEnd(52)}${`${ratioToBaseline(compared).toFixed(2)} ×`.padStart(9)}`,
      );
      row('compared build: full popup painted', compared.fullPopupMs);
      lines.push(
        `${'compared build: content height (px)'.padEnd(52)}${String(compared.heightPx.median).padStart(9)}` +
          `${String(compared.heightPx.max).padStart(9)}`,
      );
    }
    if (popup.baselineNotMeasured) {
      lines.push(
        `NOTE: in ${popup.baselineNotMeasured} load(s) of the static page, the first contentful paint came before its element was in the document (or there was none): not counted.`,
      );
    }
    for (const [name, figures] of /** @type {const} */ ([
      ['the popup', popup],
      ['the compared build', compared],
    ])) {
      if (figures && figures.selector !== popupSelector) {
        lines.push(`NOTE: ${name} showed no total; its first paint was timed on "${figures.selector}" instead.`);
      }
      if (figures?.notMeasured) {
        lines.push(
          `NOTE: in ${figures.notMeasured} load(s) of ${name}, the first contentful paint did not show the total (or there was none): not counted in its paint time.`,
        );
      }
      for (const mismatch of figures?.figureMismatches ?? []) {
        lines.push(`WRONG: ${name} first painted "${mismatch.first}", then showed "${mismatch.full}".`);
      }
    }
  }

  /** @param {Range} range @param {Tab} tab */
  const tabStats = (range, tab) => ({
    renderMs: stats(dashboardRuns.map((run) => run.tabs[range][tab].painted)),
    inDocumentMs: stats(dashboardRuns.map((run) => run.tabs[range][tab].ready)),
  });
  const tabNames = /** @type {Tab[]} */ (['overview', 'hashtags', 'account']);
  const dashboard = measureTheDashboard
    ? {
        firstViewMs: stats(dashboardRuns.map((run) => run.firstView.painted)),
        range30: Object.fromEntries(tabNames.map((tab) => [tab, tabStats(30, tab)])),
        range365: Object.fromEntries(tabNames.map((tab) => [tab, tabStats(365, tab)])),
        rangeChangeTo365Ms: stats(dashboardRuns.map((run) => run.rangeChange?.painted ?? Number.NaN)),
        dayPageMs: stats(dashboardRuns.map((run) => run.dayPage.painted)),
      }
    : null;
  const worstTab = dashboard
    ? Math.max(
        ...tabNames.flatMap((tab) => [
          dashboard.range30[tab]?.renderMs.median ?? 0,
          dashboard.range365[tab]?.renderMs.median ?? 0,
        ]),
        dashboard.dayPageMs.median,
      )
    : null;
  if (dashboard) {
    /** @param {{ median: number }} figure */
    const tabGoal = (figure) => verdict(figure.median, goals.tabMs, ' ms');
    row('dashboard: first view (Overview, 30 days) from load', dashboard.firstViewMs);
    for (const tab of tabNames)
      row(`tab ${tab}, 30 days`, tabStats(30, tab).renderMs, tabGoal(tabStats(30, tab).renderMs));
    row(
      'period 30 → 365 days (on Overview)',
      dashboard.rangeChangeTo365Ms,
      verdict(dashboard.rangeChangeTo365Ms.median, goals.yearSwitchMs, ' ms'),
    );
    for (const tab of tabNames) {
      row(`tab ${tab}, 365 days`, tabStats(365, tab).renderMs, tabGoal(tabStats(365, tab).renderMs));
    }
    row('a day’s page, from the calendar', dashboard.dayPageMs, tabGoal(dashboard.dayPageMs));
  }
  const bundles = { popup: pageBundle('src/popup/index.html'), options: pageBundle('src/options/index.html') };
  lines.push('');
  for (const [name, bundle] of Object.entries(bundles)) {
    lines.push(
      `${name} bundle: ${bundle.files.length} files, ${bundle.bytes} B, gzip ${bundle.gzipBytes} B (${(bundle.gzipBytes / 1024).toFixed(1)} KB)`,
      ...bundle.files.map(
        (file) => `   ${file.file.padEnd(44)}${String(file.bytes).padStart(8)} B  gzip ${file.gzip} B`,
      ),
      ...(bundle.lazy.length > 0 ? [`   loaded later: ${bundle.lazy.join(', ')}`] : []),
    );
  }
  if (profiles) {
    lines.push('', 'CPU profiles (self time in ms; the profiler slows everything down):');
    for (const [tab, { timing, top, total }] of Object.entries(profiles)) {
      lines.push(`  ${tab}: ${ms(timing.painted)} ms under the profiler, of which ${ms(total)} ms of work (not idle)`);
      for (const entry of top) lines.push(`     ${ms(entry.selfMs).padStart(7)}  ${entry.fn}`);
    }
  }
  const verdicts = [];
  if (popup) {
    verdicts.push(
      `popup ≤ ${goals.popupRatio} × the static page ${presentedRatioToBaseline(popup) <= goals.popupRatio ? 'met' : 'NOT MET'}`,
      `popup ≤ ${goals.popupMs} ms ${popup.presentedMs.median <= goals.popupMs ? 'met' : 'NOT MET'}`,
      `popup ≤ ${goals.popupHeightPx} px tall ${popup.heightPx.max <= goals.popupHeightPx ? 'met' : 'NOT MET'}`,
    );
  }
  if (worstTab !== null) {
    verdicts.push(
      `every tab and the day page ≤ ${goals.tabMs} ms ${worstTab <= goals.tabMs ? 'met' : 'NOT MET'} (slowest median ${ms(worstTab)} ms)`,
    );
  }
  if (dashboard) {
    const yearSwitch = dashboard.rangeChangeTo365Ms.median;
    verdicts.push(
      `switching to 365 days ≤ ${goals.yearSwitchMs} ms ${yearSwitch <= goals.yearSwitchMs ? 'met' : 'NOT MET'}`,
    );
  }
  lines.push('', `goals: ${verdicts.join('; ')}`);
  console.log(lines.join('\n'));
  console.log(
    JSON.stringify({
      chromium,
      cores: cpus().length,
      loadAverage: { before: loadBefore, after: loadavg()[0] ?? 0 },
      runs,
      popup: popup && {
        ...popup,
        presentedRatioToBaseline: presentedRatioToBaseline(popup),
        ratioToBaseline: ratioToBaseline(popup),
      },
      compared: compared && {
        extension: compareDirectory,
        ...compared,
        presentedRatioToBaseline: presentedRatioToBaseline(compared),
        ratioToBaseline: ratioToBaseline(compared),
      },
      dashboard,
      bundles: Object.fromEntries(
        Object.entries(bundles).map(([name, bundle]) => [name, { bytes: bundle.bytes, gzipBytes: bundle.gzipBytes }]),
      ),
      ...(profiles ? { profiles } : {}),
    }),
  );
} finally {
  await browser.close();
  rmSync(installed, { recursive: true, force: true });
}
