// @ts-check
/**
 * Chromium for the benchmarks (scripts/bench-content.mjs, scripts/bench-ui.mjs): found the way the end-to-end tests
 * find it, launched the same way for both, with extensions enabled and background work that would add noise turned
 * off.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer from 'puppeteer';
import { runnerImport } from 'vite';

const repository = fileURLToPath(new URL('../..', import.meta.url));

/**
 * A TypeScript module of the repository, loaded through Vite since Node 20 runs no TS.
 * @param {string} path relative to the repository
 * @returns {Promise<unknown>}
 */
export async function importTs(path) {
  const { module } = await runnerImport(join(repository, path), { configFile: false, logLevel: 'silent' });
  return module;
}

/** The end-to-end tests' own browser lookup (tests/e2e/browsers.ts): $CHROMIUM_PATH, Debian's, puppeteer's cache. */
export async function chromiumExecutable() {
  const module = /** @type {{ browserExecutable(kind: 'chromium'): string }} */ (
    await importTs('tests/e2e/browsers.ts')
  );
  return module.browserExecutable('chromium');
}

/**
 * @param {string} executablePath
 * @param {{ protocolTimeout?: number }} [options]
 */
export function launchChromium(executablePath, options = {}) {
  return puppeteer.launch({
    browser: 'chrome',
    executablePath,
    headless: true,
    pipe: true,
    enableExtensions: true,
    ...options,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}
