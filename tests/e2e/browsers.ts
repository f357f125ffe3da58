/**
 * Finds the browsers the end-to-end tests drive. Order: an explicit environment variable, the standard Debian paths,
 * then a browser puppeteer downloaded itself (for machines where its postinstall could reach the network).
 * If none is found the suite fails with instructions — it never skips silently.
 */
import { existsSync } from 'node:fs';
import puppeteer from 'puppeteer';

export type BrowserKind = 'chromium' | 'firefox';

interface Candidates {
  envVariable: string;
  paths: string[];
  puppeteerBrowser: 'chrome' | 'firefox';
  installHint: string;
}

const candidates: Record<BrowserKind, Candidates> = {
  chromium: {
    envVariable: 'CHROMIUM_PATH',
    paths: ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'],
    puppeteerBrowser: 'chrome',
    installHint: 'apt-get install chromium   (or: npx puppeteer browsers install chrome)',
  },
  firefox: {
    envVariable: 'FIREFOX_PATH',
    paths: ['/usr/bin/firefox-esr', '/usr/bin/firefox'],
    puppeteerBrowser: 'firefox',
    installHint: 'apt-get install firefox-esr   (or: npx puppeteer browsers install firefox)',
  },
};

function puppeteerDownloaded(browser: 'chrome' | 'firefox'): string | undefined {
  try {
    const path = puppeteer.executablePath({ browser });
    return existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

export function browserExecutable(kind: BrowserKind): string {
  const { envVariable, paths, puppeteerBrowser, installHint } = candidates[kind];
  const fromEnv = process.env[envVariable];
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`${envVariable}=${fromEnv} does not exist.`);
    return fromEnv;
  }
  const found = paths.find((path) => existsSync(path)) ?? puppeteerDownloaded(puppeteerBrowser);
  if (!found) {
    throw new Error(
      `No ${kind} found for the end-to-end tests. Looked at $${envVariable}, ${paths.join(', ')} and puppeteer's cache.\n` +
        `Install one: ${installHint}\nor point $${envVariable} at a ${kind} executable.`,
    );
  }
  return found;
}
