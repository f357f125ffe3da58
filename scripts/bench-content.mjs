// @ts-check
/**
 * What does smartTags' content script cost inside a heavy Instagram page? (`npm run bench:content`; not a test.)
 *
 * Runs the same scripted session in Chromium with the built extension (dist/chrome) and without it, interleaved
 * (ABBA order, so slow drift of the machine hits both alike), on the heavy synthetic feed of scripts/bench/heavy-feed.mjs
 * served under https://www.instagram.com/ by request interception (nothing reaches the network). Before the session
 * the extension is given consent (usage + account), so its content script does all of its work.
 *
 * A session: load the feed; 12 s of input (a mouse move every second, wheel scrolls that make the feed append posts,
 * SPA navigations); then 50 SPA navigations through 10 routes, sampling heap, listeners and nodes after a forced GC
 * every 10 navigations, and 5 s for the last one to settle — the busy part; then 20 s of reading: the feed stays on
 * screen, focused, with no input and no navigation, as when a person reads a post or watches a video (within the idle
 * threshold, so it is still attention).
 * The whole session is traced, and the attributed time is also given for each part.
 *
 * Figures (docs/BENCHMARKS.md explains them): whole-page script and task time with/without; main-thread time
 * attributed to the extension from the trace (ms per second of session, and as a share of the page's task time);
 * long tasks of ours; callback durations; heap/listener/node series over the 50 navigations; content-script size.
 *
 * Options: --runs N (sessions per configuration, default 4); --extension DIR (an unpacked Chrome extension to measure
 * instead of dist/chrome, e.g. a deliberately busy control to check the attribution); --baseline DIR (another build,
 * e.g. a previous commit's dist/chrome: measured in the same interleaved run against the same extension-free sessions,
 * and the ratio of the attributed costs is printed — the figure to compare builds by on a noisy machine).
 * CHROMIUM_PATH picks the browser.
 */
import { existsSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { chromiumExecutable, launchChromium } from './bench/chromium.mjs';
import { heavyFeedHtml, navigationCycle } from './bench/heavy-feed.mjs';

/** @typedef {import('puppeteer').Browser} Browser */
/** @typedef {import('puppeteer').Page} Page */
/** @typedef {import('puppeteer').Metrics} Metrics */
/**
 * One Chrome trace event (the fields used here).
 * @typedef {{ name: string, ph: string, pid: number, tid: number, ts: number, dur?: number, id?: string,
 *   args?: { name?: string, data?: any } }} TraceEvent
 */
/** @typedef {[number, number]} Interval [start, end) in trace microseconds */
/** @typedef {{ heap: number, listeners: number, nodes: number }} HeapSample */
/**
 * A CPU profile of one thread, which the trace delivers in chunks: nodes (a call frame and its caller's node), the node id of each
 * sample, and the time from one sample to the next (µs).
 * @typedef {{ thread: number, start: number, nodes: Map<number, { callFrame?: { url?: string, functionName?: string, lineNumber?: number }, parent?: number }>, samples: number[],
 *   deltas: number[] }} CpuProfile
 */

const repository = fileURLToPath(new URL('..', import.meta.url));
const feedOrigin = 'https://www.instagram.com';
const navigations = 50;
const sampleEvery = 10;
const longTaskMs = 50;
/** The reading part of a session: no input, no navigation, the page visible and focused. */
const readingMs = 20_000;
/**
 * How long after the last navigation the reading part starts. What an extension does in answer to that navigation
 * (smartTags handles a route a second after it and reads the page again over the next seconds) belongs to the busy part.
 */
const settleMs = 5000;
/** Marks the start of the reading part in the trace (console.timeStamp → a TimeStamp event). */
const readingMark = 'smartTags-bench:reading';
const goals = { addedScriptShare: 0.01, contentScriptGzipBytes: 15 * 1024 };

/**
 * Trace categories. `disabled-by-default-devtools.timeline.stack` is not optional: without it TimerInstall,
 * RequestAnimationFrame and RequestIdleCallback carry no stack, and timers set by the extension cannot be told apart.
 */
const traceCategories = [
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'disabled-by-default-devtools.timeline.stack',
  'v8.execute',
  'disabled-by-default-v8.cpu_profiler',
];

const { values: options } = parseArgs({
  options: {
    // Four runs: an even number keeps the ABBA order balanced, and its eight sessions take about eight minutes here.
    runs: { type: 'string', default: '4' },
    extension: { type: 'string', default: join(repository, 'dist/chrome') },
    baseline: { type: 'string' },
  },
});
const runs = Number(options.runs);
if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a positive integer (got ${options.runs}).`);
const extensionDirectory = resolve(options.extension);
if (!existsSync(join(extensionDirectory, 'manifest.json'))) {
  throw new Error(`${extensionDirectory} has no manifest.json: run "npm run build" first.`);
}
const baselineDirectory = options.baseline === undefined ? undefined : resolve(options.baseline);
if (baselineDirectory && !existsSync(join(baselineDirectory, 'manifest.json'))) {
  throw new Error(`--baseline ${baselineDirectory} has no manifest.json: give an unpacked Chrome build.`);
}

// ---------------------------------------------------------------------------------------------------------------
// The browser

/**
 * Installs the extension and, through its options page, grants recording consent (smartTags' content script records
 * nothing without it). An extension without an options page (a control) is only installed. Then every extension tab
 * (onboarding, options) is closed, so that only Instagram renders during the session.
 * @param {Browser} browser
 * @param {string} directory the unpacked extension
 * @returns {Promise<string>} the extension's origin with a trailing slash
 */
async function installWithConsent(browser, directory) {
  const id = await browser.installExtension(directory);
  const origin = `chrome-extension://${id}/`;
  const optionsPage = JSON.parse(readFileSync(join(directory, 'manifest.json'), 'utf8')).options_ui?.page;
  if (optionsPage) {
    // smartTags opens its onboarding tab on install; wait for it, so that it is closed rather than opening mid-session.
    await browser
      .waitForTarget((target) => target.url().startsWith(`${origin}src/onboarding`), { timeout: 5000 })
      .catch(() => undefined);
    const page = await browser.newPage();
    await page.goto(`${origin}${optionsPage}`);
    const reply = await page.evaluate(() =>
      chrome.runtime.sendMessage({ type: 'consent.set', scopes: { usage: true, account: true }, source: 'options' }),
    );
    if (!reply?.ok) throw new Error(`consent.set was refused: ${JSON.stringify(reply)}`);
    // The background mirrors consent into storage.local, where the content script reads it before observing anything.
    await page.waitForFunction(
      async () => {
        const { recordingGate } = await chrome.storage.local.get('recordingGate');
        return /** @type {{ usage?: boolean } | undefined} */ (recordingGate)?.usage === true;
      },
      { timeout: 5000, polling: 100 },
    );
  }
  for (const open of await browser.pages()) if (open.url().startsWith(origin)) await open.close();
  return origin;
}

/**
 * Answers every navigation to www.instagram.com with the heavy feed (its script renders the route); other Instagram
 * requests get a 404 and anything else on the network is aborted.
 * @param {Page} page
 * @param {string} html
 */
async function serveFeed(page, html) {
  await page.setRequestInterception(true);
  page.on('request', (request) => {
    const url = request.url();
    if (!/^https?:/.test(url)) return void request.continue();
    const answer = !url.startsWith(`${feedOrigin}/`)
      ? request.abort('blockedbyclient')
      : request.isNavigationRequest()
        ? request.respond({ status: 200, contentType: 'text/html; charset=utf-8', body: html })
        : request.respond({ status: 404, contentType: 'text/plain', body: 'not in the benchmark page' });
    // A request still in flight when its page navigates or closes has nobody waiting for it.
    answer.catch(() => undefined);
  });
}

// ---------------------------------------------------------------------------------------------------------------
// One session

/** @param {number} ms */
const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

/** @param {Page} page @param {string} path */
const navigate = (page, path) =>
  page.evaluate((target) => /** @type {any} */ (window).heavyFeed.navigate(target), path);

/**
 * A person scrolling, one input a second: flinging through the feed until it appends posts (twice), then a tag page
 * and reels, scrolling each. The mouse moves before every step, so input listeners see pointer events too.
 * @type {({ wheel: number } | { to: string })[]}
 */
const browseSteps = [
  ...Array.from({ length: 8 }, () => ({ wheel: 4500 })),
  { to: '/explore/tags/sourdough/' },
  { wheel: 1500 },
  { to: '/reels/' },
  { wheel: 1500 },
];

/** @param {Page} page */
async function browse(page) {
  for (const [second, step] of browseSteps.entries()) {
    const tick = Date.now();
    await page.mouse.move(300 + ((second * 37) % 200), 200 + ((second * 53) % 200), { steps: 4 });
    if ('to' in step) await navigate(page, step.to);
    else await page.mouse.wheel({ deltaY: step.wheel });
    await sleep(1000 - (Date.now() - tick));
  }
}

/**
 * 50 SPA navigations through the 10-route cycle. Every 10th lands on a fresh feed; there, after a forced GC, the heap,
 * listener and node counts are sampled, so the samples compare like with like.
 * @param {Page} page
 * @returns {Promise<HeapSample[]>}
 */
async function navigateRepeatedly(page) {
  const cdp = await page.createCDPSession();
  // The page's own timer allocates about half a megabyte every 500 ms, and it can run between the GC and the reading:
  // the smallest of three readings is the live heap.
  const sample = async () => {
    /** @type {HeapSample[]} */
    const readings = [];
    for (let attempt = 0; attempt < 3; attempt++) {
      await cdp.send('HeapProfiler.collectGarbage');
      const metrics = await page.metrics();
      readings.push({
        heap: metrics.JSHeapUsedSize ?? 0,
        listeners: metrics.JSEventListeners ?? 0,
        nodes: metrics.Nodes ?? 0,
      });
    }
    return {
      heap: Math.min(...readings.map((reading) => reading.heap)),
      listeners: Math.min(...readings.map((reading) => reading.listeners)),
      nodes: Math.min(...readings.map((reading) => reading.nodes)),
    };
  };
  await navigate(page, navigationCycle[0] ?? '/');
  const samples = [await sample()];
  for (let index = 1; index <= navigations; index++) {
    await navigate(page, navigationCycle[index % navigationCycle.length] ?? '/');
    await page.mouse.move(300 + (index % 7) * 20, 300);
    await sleep(100);
    if (index % sampleEvery === 0) samples.push(await sample());
  }
  await cdp.detach();
  return samples;
}

/**
 * @param {string} executablePath
 * @param {string} html
 * @param {string | undefined} extension the unpacked extension to install, or none
 */
async function session(executablePath, html, extension) {
  const withExtension = extension !== undefined;
  const browser = await launchChromium(executablePath);
  try {
    const origin = extension === undefined ? undefined : await installWithConsent(browser, extension);
    const page = await browser.newPage();
    for (const other of await browser.pages()) if (other !== page) await other.close();
    await serveFeed(page, html);
    await page.bringToFront();

    await page.tracing.start({ categories: traceCategories });
    const started = Date.now();
    await page.goto(`${feedOrigin}/`, { waitUntil: 'load' });
    const loaded = await page.metrics();
    const loadedAt = Date.now();
    await browse(page);
    const heapSeries = await navigateRepeatedly(page);
    await sleep(settleMs);
    const readingAt = Date.now();
    await page.evaluate((mark) => console.timeStamp(mark), readingMark);
    await sleep(readingMs);
    const finished = await page.metrics();
    const seconds = (Date.now() - started) / 1000;
    const readingSeconds = (Date.now() - readingAt) / 1000;
    const afterLoadSeconds = (Date.now() - loadedAt) / 1000;
    const trace = JSON.parse(Buffer.from((await page.tracing.stop()) ?? []).toString('utf8'));
    return {
      chromium: await browser.version(),
      withExtension,
      seconds,
      busySeconds: seconds - readingSeconds,
      readingSeconds,
      // page.metrics() durations are cumulative seconds of the renderer's main thread; this is their rate after load.
      pageScriptMsPerSecond: (delta(finished, loaded, 'ScriptDuration') * 1000) / afterLoadSeconds,
      pageTaskMsPerSecond: (delta(finished, loaded, 'TaskDuration') * 1000) / afterLoadSeconds,
      heapSeries,
      ...analyseTrace(trace.traceEvents, origin),
    };
  } finally {
    await browser.close();
  }
}

/** @param {Metrics} after @param {Metrics} before @param {keyof Metrics} key */
const delta = (after, before, key) => (after[key] ?? 0) - (before[key] ?? 0);

// ---------------------------------------------------------------------------------------------------------------
// Attribution from the trace

/**
 * The Instagram page's renderer main thread: the process the browser committed the instagram.com frame to.
 * @param {TraceEvent[]} events
 */
function pageMainThread(events) {
  const commit = events.findLast(
    (event) =>
      event.name === 'FrameCommittedInBrowser' &&
      event.args?.data?.isOutermostMainFrame &&
      String(event.args.data.url).startsWith(feedOrigin),
  );
  const pid = commit?.args?.data?.processId;
  const thread = events.find((event) => event.pid === pid && event.ph === 'M' && event.args?.name === 'CrRendererMain');
  if (!thread) throw new Error('The trace has no renderer main thread for the Instagram page.');
  return { pid, tid: thread.tid };
}

/**
 * Merges intervals into a sorted list of disjoint ones, so that time found by several means counts once.
 * @param {Interval[]} intervals
 * @returns {Interval[]}
 */
function union(intervals) {
  /** @type {Interval[]} */
  const merged = [];
  for (const [start, end] of [...intervals].sort((a, b) => a[0] - b[0])) {
    const last = merged.at(-1);
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  return merged;
}

/** @param {Interval[]} intervals */
const total = (intervals) => intervals.reduce((sum, [start, end]) => sum + end - start, 0);

/**
 * Microseconds of the disjoint sorted `intervals` that fall inside [start, end).
 * @param {Interval[]} intervals @param {number} start @param {number} end
 */
function overlap(intervals, start, end) {
  let low = 0;
  let high = intervals.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((intervals[middle]?.[1] ?? 0) <= start) low = middle + 1;
    else high = middle;
  }
  let sum = 0;
  for (let index = low; index < intervals.length; index++) {
    const [from, to] = /** @type {Interval} */ (intervals[index]);
    if (from >= end) break;
    sum += Math.min(to, end) - Math.max(from, start);
  }
  return sum;
}

/** Events that run one script of a known URL on the main thread. */
const scriptEvents = new Set(['FunctionCall', 'EvaluateScript', 'v8.compile', 'v8.compileModule', 'v8.evaluateModule']);
/** Callbacks the browser fires later, and the events that scheduled them (whose stack says who asked). */
const scheduled = new Map([
  ['TimerFire', 'TimerInstall'],
  ['FireAnimationFrame', 'RequestAnimationFrame'],
  ['FireIdleCallback', 'RequestIdleCallback'],
]);
/** What a callback's innermost enclosing event says about what called it. */
const callbackKinds = new Map([
  ['EventDispatch', 'event listeners'],
  ['RunMicrotasks', 'MutationObserver (microtasks)'],
  ['TimerFire', 'timers'],
  ['FireAnimationFrame', 'animation frames'],
  ['FireIdleCallback', 'idle callbacks'],
  ['RunTask', 'IntersectionObserver / extension API (own task)'],
]);
const observerKinds = [
  'event listeners',
  'MutationObserver (microtasks)',
  'IntersectionObserver / extension API (own task)',
];

/**
 * @param {TraceEvent[]} events
 * @param {string | undefined} origin the extension's origin, or undefined for the run without it
 */
function analyseTrace(events, origin) {
  const { pid, tid } = pageMainThread(events);
  const main = events.filter((event) => event.pid === pid && event.tid === tid);
  /** @param {unknown} url */
  const ours = (url) => origin !== undefined && typeof url === 'string' && url.startsWith(origin);
  const complete = main
    .filter((event) => event.ph === 'X' && typeof event.dur === 'number')
    .sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
  /** @param {TraceEvent} event @returns {Interval} */
  const span = (event) => [event.ts, event.ts + (event.dur ?? 0)];

  // (1) Our scripts compiling, evaluating, and our functions called by the browser.
  const scripts = complete.filter((event) => scriptEvents.has(event.name) && ours(event.args?.data?.url)).map(span);

  // (2) Timers, animation frames and idle callbacks we scheduled (their stack's top frame is our code), including
  // those whose callback is not our function, e.g. a promise's resolve in `new Promise((r) => setTimeout(r, 1000))`.
  const scheduledByUs = new Set(
    main
      .filter((event) => [...scheduled.values()].includes(event.name) && ours(event.args?.data?.stackTrace?.[0]?.url))
      .map((event) => `${event.name}:${event.args?.data?.frame}:${event.args?.data?.timerId ?? event.args?.data?.id}`),
  );
  const callbacks = complete
    .filter((event) => {
      const installer = scheduled.get(event.name);
      const key = `${installer}:${event.args?.data?.frame}:${event.args?.data?.timerId ?? event.args?.data?.id}`;
      return installer !== undefined && scheduledByUs.has(key);
    })
    .map(span);

  // (3) CPU samples with one of our frames on the stack: promise continuations and other microtasks that appear as
  // no event of their own. Counted only where (1) and (2) did not already count the time (the union does that).
  const { intervals: samples, byFunction } = ourSamples(
    events.filter((event) => event.pid === pid),
    tid,
    ours,
  );

  const readingStart =
    main.find((event) => event.name === 'TimeStamp' && event.args?.data?.message === readingMark)?.ts ??
    Number.POSITIVE_INFINITY;

  const scriptsOnly = total(union(scripts));
  const withScheduled = total(union([...scripts, ...callbacks]));
  const extension = union([...scripts, ...callbacks, ...samples]);
  const tasks = topLevel(complete.filter((event) => event.name === 'RunTask'));
  const longTasks = tasks
    .filter((task) => (task.dur ?? 0) >= longTaskMs * 1000)
    .map((task) => ({ ms: (task.dur ?? 0) / 1000, oursMs: overlap(extension, ...span(task)) / 1000 }));

  return {
    pageTaskMs: tasks.reduce((sum, task) => sum + (task.dur ?? 0), 0) / 1000,
    extensionMs: total(extension) / 1000,
    // The same time split at the start of the reading part.
    extensionBusyMs: overlap(extension, Number.NEGATIVE_INFINITY, readingStart) / 1000,
    extensionReadingMs: overlap(extension, readingStart, Number.POSITIVE_INFINITY) / 1000,
    // How much each means of attribution added, in the order above.
    extensionSourcesMs: {
      scripts: scriptsOnly / 1000,
      scheduled: (withScheduled - scriptsOnly) / 1000,
      samples: (total(extension) - withScheduled) / 1000,
    },
    longTasks: longTasks.length,
    longTasksWithOurWork: longTasks.filter((task) => task.oursMs > 0).length,
    // Long tasks of ours: our work alone makes a long task; or the task is long only because of our work.
    longTasksOursAlone: longTasks.filter((task) => task.oursMs >= longTaskMs).length,
    longTasksMadeLongByUs: longTasks.filter((task) => task.oursMs < longTaskMs && task.ms - task.oursMs < longTaskMs)
      .length,
    maxOursInLongTaskMs: Math.max(0, ...longTasks.map((task) => task.oursMs)),
    callbacks: classifyCallbacks(complete, ours),
    byFunction,
  };
}

/**
 * Events not nested in another of the same list (a nested message loop runs tasks inside a task).
 * @param {TraceEvent[]} sorted by start
 */
function topLevel(sorted) {
  let end = Number.NEGATIVE_INFINITY;
  return sorted.filter((event) => {
    if (event.ts < end) return false;
    end = event.ts + (event.dur ?? 0);
    return true;
  });
}

/**
 * Intervals of the main thread's CPU-profile samples whose stack holds one of our frames anywhere (the top frame is
 * often a browser function without a URL, such as querySelectorAll, called by our code). A sample stands for the time
 * until the next sample, capped at twice the usual sampling interval (a longer gap means the profiler paused).
 * @param {TraceEvent[]} processEvents the page process's events: the profiler's chunks come from a thread of its own
 * @param {number} mainThread
 * @param {(url: unknown) => boolean} ours
 * @returns {{ intervals: Interval[], byFunction: Record<string, number> }} the intervals, and their time (ms) by where
 *   in our code they were: the innermost function of ours on the stack (name and line) and the frame it was in.
 */
function ourSamples(processEvents, mainThread, ours) {
  /** @type {Interval[]} */
  const intervals = [];
  /** @type {Record<string, number>} */
  const byFunction = {};
  /** @type {Map<string | undefined, CpuProfile>} */
  const profiles = new Map();
  for (const event of processEvents) {
    if (event.name !== 'Profile' && event.name !== 'ProfileChunk') continue;
    /** @type {CpuProfile} */
    const profile = profiles.get(event.id) ?? { thread: -1, start: 0, nodes: new Map(), samples: [], deltas: [] };
    profiles.set(event.id, profile);
    const data = event.args?.data;
    // The Profile event names the thread it samples; its chunks share its id.
    if (event.name === 'Profile') Object.assign(profile, { thread: event.tid, start: data?.startTime ?? event.ts });
    for (const node of data?.cpuProfile?.nodes ?? []) profile.nodes.set(node.id, node);
    profile.samples.push(...(data?.cpuProfile?.samples ?? []));
    profile.deltas.push(...(data?.timeDeltas ?? []));
  }
  for (const { thread, start, nodes, samples, deltas } of profiles.values()) {
    if (thread !== mainThread) continue;
    /** @type {Map<number, boolean>} */
    const inOurs = new Map();
    /** @param {number | undefined} id @returns {boolean} */
    const hasOurFrame = (id) => {
      if (id === undefined) return false;
      const known = inOurs.get(id);
      if (known !== undefined) return known;
      const node = nodes.get(id);
      const result = node !== undefined && (ours(node.callFrame?.url) || hasOurFrame(node.parent));
      inOurs.set(id, result);
      return result;
    };
    let time = start;
    const timed = samples.map((id, index) => {
      time += deltas[index] ?? 0;
      return { time, id };
    });
    // Deltas can be negative (samples arrive slightly out of order).
    timed.sort((a, b) => a.time - b.time);
    const gaps = timed.slice(1).map((sample, index) => sample.time - (timed[index]?.time ?? sample.time));
    const cap = 2 * (percentile(gaps, 0.5) || 1000);
    /** @param {number} id */
    const placeOf = (id) => {
      const top = nodes.get(id);
      let node = top;
      while (node && !ours(node.callFrame?.url)) node = node.parent === undefined ? undefined : nodes.get(node.parent);
      const frame = (/** @type {typeof top} */ value) =>
        `${value?.callFrame?.functionName || '(anonymous)'}:${(value?.callFrame?.lineNumber ?? -1) + 1}`;
      return node === top ? frame(node) : `${frame(node)} → ${top?.callFrame?.functionName || '(native)'}`;
    };
    timed.forEach((sample, index) => {
      if (!hasOurFrame(sample.id)) return;
      const next = timed[index + 1]?.time ?? sample.time;
      const duration = Math.min(next - sample.time, cap);
      intervals.push([sample.time, sample.time + duration]);
      const place = placeOf(sample.id);
      byFunction[place] = (byFunction[place] ?? 0) + duration / 1000;
    });
  }
  return { intervals, byFunction };
}

/**
 * Durations (ms) of our outermost function calls, grouped by what called them (the innermost enclosing event).
 * @param {TraceEvent[]} complete the main thread's complete events, sorted by start
 * @param {(url: unknown) => boolean} ours
 * @returns {Record<string, number[]>}
 */
function classifyCallbacks(complete, ours) {
  /** @type {Record<string, number[]>} */
  const byKind = {};
  /** @type {TraceEvent[]} */
  const open = [];
  for (const event of complete) {
    while (open.length > 0) {
      const last = /** @type {TraceEvent} */ (open.at(-1));
      if (last.ts + (last.dur ?? 0) > event.ts) break;
      open.pop();
    }
    const isOurCall = event.name === 'FunctionCall' && ours(event.args?.data?.url);
    const insideOurCall = open.some((outer) => outer.name === 'FunctionCall' && ours(outer.args?.data?.url));
    if (isOurCall && !insideOurCall) {
      const caller = open.findLast((outer) => callbackKinds.has(outer.name));
      const kind = caller ? callbackKinds.get(caller.name) : 'outside any task';
      const durations = byKind[kind ?? 'outside any task'] ?? [];
      durations.push((event.dur ?? 0) / 1000);
      byKind[kind ?? 'outside any task'] = durations;
    }
    open.push(event);
  }
  return byKind;
}

// ---------------------------------------------------------------------------------------------------------------
// Figures

/** @param {number[]} values @param {number} fraction */
function percentile(values, fraction) {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)] ?? 0;
}
/** @param {number[]} values */
const median = (values) => {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
};

/**
 * Least-squares slope of a series sampled every `sampleEvery` navigations, per 10 navigations.
 * @param {number[]} values
 */
function slopePer10(values) {
  const xs = values.map((_, index) => index * sampleEvery);
  const meanX = xs.reduce((a, b) => a + b, 0) / xs.length;
  const meanY = values.reduce((a, b) => a + b, 0) / values.length;
  let covariance = 0;
  let variance = 0;
  xs.forEach((x, index) => {
    covariance += (x - meanX) * ((values[index] ?? 0) - meanY);
    variance += (x - meanX) ** 2;
  });
  return variance === 0 ? 0 : (covariance / variance) * 10;
}

/**
 * The content script's files (from the manifest) and any chunk they import, gzipped (level 9) — what the browser
 * loads into every Instagram tab.
 */
function contentScriptSize() {
  const manifest = JSON.parse(readFileSync(join(extensionDirectory, 'manifest.json'), 'utf8'));
  const pending = (manifest.content_scripts ?? []).flatMap(
    (/** @type {{ js?: string[] }} */ script) => script.js ?? [],
  );
  const files = new Set();
  while (pending.length > 0) {
    const file = /** @type {string} */ (pending.pop());
    if (files.has(file)) continue;
    files.add(file);
    const source = readFileSync(join(extensionDirectory, file), 'utf8');
    // Static and dynamic imports ("./x.js", "/assets/x.js") and crxjs loaders' chrome.runtime.getURL("assets/x.js").
    for (const [, path] of source.matchAll(/["'`]((?:\.{0,2}\/)?[\w./-]+\.js)["'`]/g)) {
      const resolved = path?.startsWith('.') ? join(dirname(file), path) : path?.replace(/^\//, '');
      if (resolved && existsSync(join(extensionDirectory, resolved))) pending.push(resolved);
    }
  }
  const sizes = [...files].map((file) => {
    const bytes = readFileSync(join(extensionDirectory, file));
    return { file, bytes: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
  });
  return { files: sizes, gzipBytes: sizes.reduce((sum, file) => sum + file.gzip, 0) };
}

/** @typedef {Awaited<ReturnType<typeof session>>} Session */

/**
 * The figures over all runs: medians for rates, all runs pooled for distributions and counts.
 * @param {Session[]} results in with/without pairs, one pair per run
 */
function summarise(results) {
  const withExtension = results.filter((result) => result.withExtension);
  const without = results.filter((result) => !result.withExtension);
  /** @param {(result: Session) => number} rate */
  const ratios = (rate) =>
    withExtension.map((result, index) => rate(result) / rate(/** @type {Session} */ (without[index])));
  /** @param {(result: Session) => number} value */
  const medianOf = (value) => median(withExtension.map(value));
  /** @param {'longTasks' | 'longTasksWithOurWork' | 'longTasksOursAlone' | 'longTasksMadeLongByUs'} key */
  const count = (key) => withExtension.reduce((sum, result) => sum + result[key], 0);

  /** @type {Record<string, number[]>} */
  const callbacks = {};
  for (const result of withExtension) {
    for (const [kind, durations] of Object.entries(result.callbacks)) {
      callbacks[kind] = [...(callbacks[kind] ?? []), ...durations];
    }
  }

  /** @param {Session[]} group @param {keyof HeapSample} key */
  const series = (group, key) => group.map((result) => result.heapSeries.map((sample) => sample[key]));
  /** @param {keyof HeapSample} key */
  const addedSlope = (key) =>
    median(series(withExtension, key).map(slopePer10)) - median(series(without, key).map(slopePer10));
  /** @param {Session[]} group */
  const medianSeries = (group) =>
    /** @type {const} */ (['heap', 'listeners', 'nodes']).map((key) => {
      const runsSeries = series(group, key);
      return (runsSeries[0] ?? []).map((_, index) => median(runsSeries.map((values) => values[index] ?? 0)));
    });
  const added = { heapBytes: addedSlope('heap'), listeners: addedSlope('listeners'), nodes: addedSlope('nodes') };

  return {
    chromium: results[0]?.chromium ?? 'unknown',
    cores: cpus().length,
    runs,
    sessionSeconds: median(results.map((result) => result.seconds)),
    scriptRatios: ratios((result) => result.pageScriptMsPerSecond),
    taskRatios: ratios((result) => result.pageTaskMsPerSecond),
    extensionMsPerSecond: medianOf((result) => result.extensionMs / result.seconds),
    busyMsPerSecond: medianOf((result) => result.extensionBusyMs / result.busySeconds),
    readingMsPerSecond: medianOf((result) => result.extensionReadingMs / result.readingSeconds),
    extensionSourcesMsPerSecond: {
      scripts: medianOf((result) => result.extensionSourcesMs.scripts / result.seconds),
      scheduled: medianOf((result) => result.extensionSourcesMs.scheduled / result.seconds),
      samples: medianOf((result) => result.extensionSourcesMs.samples / result.seconds),
    },
    extensionShareOfPageTasks: medianOf((result) => result.extensionMs / result.pageTaskMs),
    longTasks: count('longTasks'),
    longTasksWithOurWork: count('longTasksWithOurWork'),
    longTasksOursAlone: count('longTasksOursAlone'),
    longTasksMadeLongByUs: count('longTasksMadeLongByUs'),
    maxOursInLongTaskMs: Math.max(0, ...withExtension.map((result) => result.maxOursInLongTaskMs)),
    callbacks,
    observerCallbacks: observerKinds.flatMap((kind) => callbacks[kind] ?? []),
    heapSeries: { with: medianSeries(withExtension), without: medianSeries(without) },
    addedPer10Navigations: added,
    // A leak of 20 KB, half a listener or five nodes per 10 navigations stands clearly above the noise seen here.
    heapFlat: added.heapBytes < 20_000 && added.listeners <= 0.5 && added.nodes <= 5,
    contentScript: contentScriptSize(),
    byFunction: sumByKey(withExtension.map((result) => result.byFunction)),
  };
}

/**
 * @param {Array<Record<string, number>>} records
 * @returns {Record<string, number>}
 */
function sumByKey(records) {
  /** @type {Record<string, number>} */
  const sums = {};
  for (const record of records) for (const [key, value] of Object.entries(record)) sums[key] = (sums[key] ?? 0) + value;
  return sums;
}

/** @param {number} value @param {number} [digits] */
const fixed = (value, digits = 1) => value.toFixed(digits);

/** @param {number[]} durations */
const distribution = (durations) =>
  `n ${String(durations.length).padStart(5)}  p50 ${fixed(percentile(durations, 0.5), 3)}  ` +
  `p95 ${fixed(percentile(durations, 0.95), 3)}  max ${fixed(Math.max(0, ...durations), 3)}  ` +
  `total ${fixed(durations.reduce((sum, duration) => sum + duration, 0)).padStart(6)} ms`;

/**
 * Prints the table for people, then one JSON line for machines.
 * @param {Session[]} results
 * @param {ReturnType<typeof summarise>} summary
 * @param {string} executablePath
 */
function print(results, summary, executablePath) {
  const columns = [3, 9, 16, 14, 13, 7, 9, 9, 17];
  /** @param {(string | number)[]} cells */
  const row = (cells) => cells.map((cell, index) => String(cell).padStart(columns[index] ?? 0)).join('  ');
  const lines = [
    `smartTags content-script benchmark — ${summary.chromium} (${executablePath})`,
    `machine: ${summary.cores} × ${cpus()[0]?.model ?? 'unknown CPU'}; extension: ${extensionDirectory}`,
    `${runs} runs per configuration, interleaved; session ≈ ${fixed(summary.sessionSeconds)} s`,
    '',
    row([
      'run',
      'extension',
      'page script ms/s',
      'page task ms/s',
      'trace task ms',
      'ours ms',
      'ours ms/s',
      'ours/task',
      'long tasks (ours)',
    ]),
  ];
  results.forEach((result, index) => {
    const ours = result.withExtension
      ? [
          fixed(result.extensionMs),
          fixed(result.extensionMs / result.seconds, 2),
          `${fixed((100 * result.extensionMs) / result.pageTaskMs, 2)} %`,
        ]
      : ['—', '—', '—'];
    const ofOurs = result.longTasksOursAlone + result.longTasksMadeLongByUs;
    const longTasks = `${result.longTasks} (${result.withExtension ? ofOurs : '—'})`;
    lines.push(
      row([
        Math.floor(index / 2) + 1,
        result.withExtension ? 'with' : 'without',
        fixed(result.pageScriptMsPerSecond),
        fixed(result.pageTaskMsPerSecond),
        fixed(result.pageTaskMs, 0),
        ...ours,
        longTasks,
      ]),
    );
  });

  const share = summary.extensionShareOfPageTasks;
  const sources = summary.extensionSourcesMsPerSecond;
  const [heapWith = [], listenersWith = [], nodesWith = []] = summary.heapSeries.with;
  const [heapWithout = [], listenersWithout = [], nodesWithout = []] = summary.heapSeries.without;
  const megabytes = (/** @type {number[]} */ values) => values.map((bytes) => fixed(bytes / 1e6, 2)).join(' ');
  const added = summary.addedPer10Navigations;
  const { files, gzipBytes } = summary.contentScript;
  lines.push(
    '',
    '1. Whole-page ratio with/without, per run pair (noisy at the 1 % level: judge by 2., see docs/BENCHMARKS.md)',
    `   ScriptDuration ${summary.scriptRatios.map((ratio) => fixed(ratio, 3)).join(' ')}  median ${fixed(median(summary.scriptRatios), 3)}`,
    `   TaskDuration   ${summary.taskRatios.map((ratio) => fixed(ratio, 3)).join(' ')}  median ${fixed(median(summary.taskRatios), 3)}`,
    '2. Main-thread time attributed to the extension (median of the runs)',
    `   ${fixed(summary.extensionMsPerSecond, 2)} ms per second of session = ${fixed(100 * share, 2)} % of the page's task time`,
    `   found as: our scripts ${fixed(sources.scripts, 2)}, + timers/frames we scheduled ${fixed(sources.scheduled, 2)}, + CPU samples only ${fixed(sources.samples, 2)} ms/s`,
    `   by part: busy (load, input, navigations) ${fixed(summary.busyMsPerSecond, 2)} ms/s, reading (${readingMs / 1000} s without input) ${fixed(summary.readingMsPerSecond, 3)} ms/s`,
    `   goal ≤ ${fixed(100 * goals.addedScriptShare, 0)} %: ${share <= goals.addedScriptShare ? 'met' : 'NOT MET'}`,
    `3. Long tasks (≥ ${longTaskMs} ms) of ours in ${runs} runs: ${summary.longTasksOursAlone} with ≥ ${longTaskMs} ms of our work, ${summary.longTasksMadeLongByUs} long only because of our work → goal 0 ${summary.longTasksOursAlone + summary.longTasksMadeLongByUs === 0 ? 'met' : 'NOT MET'}`,
    `   page long tasks ${summary.longTasks}, ${summary.longTasksWithOurWork} of them with some of our work, at most ${fixed(summary.maxOursInLongTaskMs, 2)} ms of ours in one`,
    '4. Our callbacks: outermost calls into our script, wall ms, all runs, by what called them',
    ...Object.entries(summary.callbacks).map(([kind, durations]) => `   ${distribution(durations)}  ${kind}`),
    `   ${distribution(summary.observerCallbacks)}  observers and listeners together (the p95 figure)`,
    `   ${distribution(Object.values(summary.callbacks).flat())}  all`,
    `5. After a forced GC, every ${sampleEvery} of ${navigations} navigations (median of the runs)`,
    `   with     heap MB ${megabytes(heapWith)} | listeners ${listenersWith.join(' ')} | nodes ${nodesWith.join(' ')}`,
    `   without  heap MB ${megabytes(heapWithout)} | listeners ${listenersWithout.join(' ')} | nodes ${nodesWithout.join(' ')}`,
    `   added by the extension per ${sampleEvery} navigations: heap ${fixed(added.heapBytes / 1000)} KB, listeners ${fixed(added.listeners, 2)}, nodes ${fixed(added.nodes)} → ${summary.heapFlat ? 'flat' : 'GROWING'}`,
    `6. Content script ${files.map((file) => `${file.file} ${file.bytes} B`).join(', ')}: gzip ${gzipBytes} B of ${goals.contentScriptGzipBytes} B (15 KB) → ${gzipBytes <= goals.contentScriptGzipBytes ? 'within budget' : 'OVER BUDGET'}`,
    `7. Where our CPU samples were (all runs, ms): the innermost function of ours (minified name:line) → the frame it was in`,
    ...Object.entries(summary.byFunction)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 15)
      .map(([place, ms]) => `   ${fixed(ms).padStart(7)}  ${place}`),
  );
  console.log(lines.join('\n'));
  const { callbacks, observerCallbacks, byFunction, ...figures } = summary;
  console.log(
    JSON.stringify({
      ...figures,
      observerCallbackP95Ms: percentile(observerCallbacks, 0.95),
      allCallbacksP95Ms: percentile(Object.values(callbacks).flat(), 0.95),
    }),
  );
}

// ---------------------------------------------------------------------------------------------------------------

const executablePath = await chromiumExecutable();
const html = heavyFeedHtml();
/** @type {Session[]} */
const results = [];
/** @type {Session[]} the baseline's sessions, paired with the same extension-free sessions as `results` */
const baselineResults = [];
const configurations = /** @type {Array<{ name: string, extension: string | undefined }>} */ ([
  { name: 'with', extension: extensionDirectory },
  { name: 'without', extension: undefined },
  ...(baselineDirectory ? [{ name: 'baseline', extension: baselineDirectory }] : []),
]);
for (let run = 0; run < runs; run++) {
  // Interleaved: the order rotates and reverses from run to run (ABBA for two configurations), so slow drift of the
  // machine hits every configuration alike.
  const rotated = configurations.map((_, index) => configurations[(index + run) % configurations.length]);
  const order = run % 2 === 0 ? rotated : [...rotated].reverse();
  /** @type {Record<string, Session>} */
  const byName = {};
  for (const configuration of order) {
    if (!configuration) continue;
    process.stderr.write(`run ${run + 1}/${runs} ${configuration.name}…\n`);
    byName[configuration.name] = await session(executablePath, html, configuration.extension);
  }
  const without = /** @type {Session} */ (byName.without);
  results.push(/** @type {Session} */ (byName.with), without);
  if (byName.baseline) baselineResults.push(byName.baseline, without);
}
const summary = summarise(results);
print(results, summary, executablePath);
if (baselineDirectory) {
  const baseline = summarise(baselineResults);
  const ratio = summary.extensionMsPerSecond / baseline.extensionMsPerSecond;
  const busyRatio = summary.busyMsPerSecond / baseline.busyMsPerSecond;
  const readingRatio = summary.readingMsPerSecond / baseline.readingMsPerSecond;
  console.log(
    [
      '',
      `8. Against the baseline ${baselineDirectory}, same interleaved run (median of the runs)`,
      `   attributed main-thread time: this build ${fixed(summary.extensionMsPerSecond, 3)} ms/s, baseline ${fixed(baseline.extensionMsPerSecond, 3)} ms/s → ratio ${fixed(ratio, 3)}`,
      `   busy part: this build ${fixed(summary.busyMsPerSecond, 3)} ms/s, baseline ${fixed(baseline.busyMsPerSecond, 3)} ms/s → ratio ${fixed(busyRatio, 3)}`,
      `   reading part: this build ${fixed(summary.readingMsPerSecond, 3)} ms/s, baseline ${fixed(baseline.readingMsPerSecond, 3)} ms/s → ratio ${fixed(readingRatio, 3)}`,
      `   share of the page's task time: this build ${fixed(100 * summary.extensionShareOfPageTasks, 2)} %, baseline ${fixed(100 * baseline.extensionShareOfPageTasks, 2)} %`,
    ].join('\n'),
  );
  console.log(
    JSON.stringify({
      baseline: baselineDirectory,
      ratio,
      busyRatio,
      readingRatio,
      baselineMsPerSecond: baseline.extensionMsPerSecond,
    }),
  );
}
