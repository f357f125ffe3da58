import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  chromeFeatures,
  geckoId,
  isSharedManifest,
  manifestFor,
  minimumChromeVersion,
  type SharedManifest,
} from '../../scripts/manifest';

const shared: unknown = JSON.parse(readFileSync(new URL('../../manifest.json', import.meta.url), 'utf8'));

function sharedManifest(): SharedManifest {
  if (!isSharedManifest(shared)) throw new Error('manifest.json is not a shared manifest');
  return shared;
}

describe('the shared manifest', () => {
  it('is a Manifest V3 file naming its background entry once', () => {
    expect(isSharedManifest(shared)).toBe(true);
  });

  it('never records private windows', () => {
    expect(sharedManifest().incognito).toBe('not_allowed');
  });

  it('asks for no blanket host access and only the permissions it uses', () => {
    const text = JSON.stringify(shared);
    expect(text).not.toContain('<all_urls>');
    expect(sharedManifest().host_permissions).toBeUndefined();
    // storage: the recording gate content scripts read; alarms: the daily retention prune.
    expect(sharedManifest().permissions).toEqual(['storage', 'alarms']);
    // The backend's host is asked for at run time, on the person's click; only HTTPS and this machine qualify.
    expect(sharedManifest().optional_host_permissions).toEqual([
      'https://*/*',
      'http://127.0.0.1/*',
      'http://localhost/*',
    ]);
  });

  it('runs its content script only in the top frame of https://www.instagram.com', () => {
    expect(sharedManifest().content_scripts).toEqual([
      {
        matches: ['https://www.instagram.com/*'],
        js: ['src/content/index.ts'],
        run_at: 'document_idle',
        all_frames: false,
      },
    ]);
  });

  it('takes its name and description from the messages, in the browser’s language with English as the default', () => {
    const manifest = sharedManifest();
    expect(manifest.default_locale).toBe('en');
    expect(manifest.name).toBe('__MSG_extensionName__');
    expect(manifest.description).toBe('__MSG_extensionDescription__');
    expect((manifest.action as { default_title?: string }).default_title).toBe('__MSG_extensionName__');
    // A __MSG_ name missing from the default locale's messages stops the browser from loading the extension.
    const english: Record<string, unknown> = JSON.parse(
      readFileSync(new URL('../../public/_locales/en/messages.json', import.meta.url), 'utf8'),
    );
    for (const [, key] of JSON.stringify(shared).matchAll(/__MSG_(\w+)__/g)) expect(english).toHaveProperty(key ?? '');
  });

  it('has every icon it names, made from the source images', () => {
    const icons = sharedManifest().icons as Record<string, string>;
    expect(Object.keys(icons)).toEqual(['16', '32', '48', '128']);
    for (const path of Object.values(icons))
      expect(existsSync(new URL(`../../public/${path}`, import.meta.url))).toBe(true);
    expect(existsSync(new URL('../../assets/icon.svg', import.meta.url))).toBe(true);
    expect(existsSync(new URL('../../assets/icon-small.svg', import.meta.url))).toBe(true);
  });
});

/** The pixels of a PNG as puppeteer's screenshots write them: 8-bit RGBA, not interlaced. */
function readPng(path: string): { width: number; height: number; alphaAt(x: number, y: number): number } {
  const file = readFileSync(new URL(path, import.meta.url));
  const width = file.readUInt32BE(16);
  const height = file.readUInt32BE(20);
  if (file[24] !== 8 || file[25] !== 6 || file[28] !== 0) throw new Error(`${path} is not 8-bit RGBA, non-interlaced`);
  const chunks: Buffer[] = [];
  for (let offset = 8; offset < file.length; ) {
    const length = file.readUInt32BE(offset);
    if (file.toString('latin1', offset + 4, offset + 8) === 'IDAT')
      chunks.push(file.subarray(offset + 8, offset + 8 + length));
    offset += length + 12;
  }
  const raw = inflateSync(Buffer.concat(chunks));
  const stride = width * 4;
  const pixels = Buffer.alloc(height * stride);
  // Undo each row's filter (PNG spec, section 9): None, Sub, Up, Average, Paeth.
  for (let y = 0; y < height; y += 1) {
    const filter = raw[y * (stride + 1)];
    for (let x = 0; x < stride; x += 1) {
      const value = raw[y * (stride + 1) + 1 + x] ?? 0;
      const left = x >= 4 ? (pixels[y * stride + x - 4] ?? 0) : 0;
      const up = y > 0 ? (pixels[(y - 1) * stride + x] ?? 0) : 0;
      const upLeft = x >= 4 && y > 0 ? (pixels[(y - 1) * stride + x - 4] ?? 0) : 0;
      const estimate = left + up - upLeft;
      const [dl, du, dul] = [Math.abs(estimate - left), Math.abs(estimate - up), Math.abs(estimate - upLeft)];
      const paeth = dl <= du && dl <= dul ? left : du <= dul ? up : upLeft;
      const predictor = [0, left, up, Math.floor((left + up) / 2), paeth][filter ?? 0] ?? 0;
      pixels[y * stride + x] = (value + predictor) & 0xff;
    }
  }
  return { width, height, alphaAt: (x, y) => pixels[y * stride + x * 4 + 3] ?? 0 };
}

describe('the icon', () => {
  it('is 96 px of art with a 16 px transparent margin at 128 px, as the Chrome Web Store asks', () => {
    const icon = readPng('../../public/icons/icon-128.png');
    expect([icon.width, icon.height]).toEqual([128, 128]);
    let [left, top, right, bottom] = [128, 128, -1, -1];
    for (let y = 0; y < 128; y += 1) {
      for (let x = 0; x < 128; x += 1) {
        if (icon.alphaAt(x, y) === 0) continue;
        [left, top, right, bottom] = [Math.min(left, x), Math.min(top, y), Math.max(right, x), Math.max(bottom, y)];
      }
    }
    // Nothing in the margin, and the art uses the width it is given.
    expect(left).toBeGreaterThanOrEqual(16);
    expect(top).toBeGreaterThanOrEqual(16);
    expect(right).toBeLessThanOrEqual(111);
    expect(bottom).toBeLessThanOrEqual(111);
    expect(right - left + 1).toBeGreaterThanOrEqual(90);
  });

  it('is drawn for 16 and 32 px without a margin, so it stays legible in the toolbar', () => {
    for (const size of [16, 32]) {
      const icon = readPng(`../../public/icons/icon-${size}.png`);
      expect([icon.width, icon.height]).toEqual([size, size]);
      // The tag reaches both sides at mid-height.
      expect(icon.alphaAt(0, size / 2)).toBeGreaterThan(0);
      expect(icon.alphaAt(size - 1, size / 2)).toBe(255);
    }
  });

  it('borrows nothing of Instagram’s mark: none of its gradient colours, no gradient at all', () => {
    const instagramColours = ['#feda75', '#fa7e1e', '#d62976', '#962fbf', '#4f5bd5', '#f58529', '#dd2a7b', '#8134af'];
    for (const name of readdirSync(new URL('../../assets/', import.meta.url))) {
      if (!name.endsWith('.svg')) continue;
      const svg = readFileSync(new URL(`../../assets/${name}`, import.meta.url), 'utf8').toLowerCase();
      for (const colour of instagramColours) expect(svg, name).not.toContain(colour);
      expect(svg, name).not.toMatch(/gradient/);
    }
  });
});

/** Every file under src/ whose text the browser runs or styles with. */
function sourceFiles(directory = new URL('../../src/', import.meta.url)): URL[] {
  return readdirSync(directory).flatMap((name) => {
    const entry = new URL(name, directory);
    if (statSync(entry).isDirectory()) return sourceFiles(new URL(`${name}/`, directory));
    return /\.(ts|tsx|css|html)$/.test(name) ? [entry] : [];
  });
}

/**
 * Later web platform features, each with the first Chrome release that shipped it: one found in src/ must be in
 * chromeFeatures, so minimum_chrome_version follows it.
 */
const laterFeatures: ReadonlyArray<{ feature: string; chrome: number; pattern: RegExp }> = [
  { feature: 'CSS :has()', chrome: 105, pattern: /:has\(/ },
  { feature: 'CSS container queries', chrome: 105, pattern: /@container\b/ },
  { feature: 'dynamic viewport units', chrome: 108, pattern: /\d(dvh|svh|lvh|dvw|svw|lvw)\b/ },
  { feature: 'Array change-by-copy', chrome: 110, pattern: /\.(toSorted|toReversed|toSpliced)\(/ },
  { feature: 'CSS color-mix()', chrome: 111, pattern: /color-mix\(/ },
  { feature: 'CSS oklch()/oklab()', chrome: 111, pattern: /\bokl(ch|ab)\(/ },
  { feature: 'CSS nesting', chrome: 112, pattern: /^\s*&[\s.:[>+~]/m },
  { feature: 'popover', chrome: 114, pattern: /\bpopover\b|showPopover/ },
  { feature: 'CSS text-wrap: balance', chrome: 114, pattern: /text-wrap:/ },
  { feature: 'AbortSignal.any()', chrome: 116, pattern: /AbortSignal\.any\(/ },
  { feature: 'Object.groupBy / Map.groupBy', chrome: 117, pattern: /\b(Object|Map)\.groupBy\(/ },
  { feature: 'CSS @scope', chrome: 118, pattern: /@scope\b/ },
  { feature: 'Promise.withResolvers', chrome: 119, pattern: /Promise\.withResolvers\(/ },
  { feature: 'Array.fromAsync', chrome: 121, pattern: /Array\.fromAsync\(/ },
  { feature: 'Set methods', chrome: 122, pattern: /\.(union|intersection|symmetricDifference|isSubsetOf)\(new Set/ },
  { feature: 'CSS light-dark()', chrome: 123, pattern: /light-dark\(/ },
  { feature: 'Intl.DurationFormat', chrome: 129, pattern: /Intl\.DurationFormat/ },
  { feature: 'dialog closedby', chrome: 134, pattern: /closedby/ },
];

describe('minimum_chrome_version', () => {
  const sources = sourceFiles().map((file) => ({
    path: file.pathname.slice(file.pathname.indexOf('/src/') + 1),
    text: readFileSync(file, 'utf8'),
  }));

  it('is the newest release among the features the code uses', () => {
    expect(minimumChromeVersion()).toBe(String(Math.max(...chromeFeatures.map(({ chrome }) => chrome))));
    expect(manifestFor('chrome', sharedManifest()).minimum_chrome_version).toBe(minimumChromeVersion());
    // The pages' color-mix() (111) and the sync's AbortSignal.any() (116).
    expect(Number(minimumChromeVersion())).toBeGreaterThanOrEqual(116);
  });

  it('lists only features the code really uses, where it says', () => {
    for (const { feature, usedIn, pattern } of chromeFeatures) {
      expect(
        sources.some(({ text }) => pattern.test(text)),
        feature,
      ).toBe(true);
      expect(readFileSync(new URL(`../../${usedIn}`, import.meta.url), 'utf8'), `${feature} in ${usedIn}`).toMatch(
        pattern,
      );
    }
  });

  it('leaves out no later feature the code uses', () => {
    const listed = new Set(chromeFeatures.map(({ feature }) => feature));
    for (const { feature, chrome, pattern } of laterFeatures) {
      const users = sources.filter(({ text }) => pattern.test(text)).map(({ path }) => path);
      if (users.length === 0 || chrome <= Number(minimumChromeVersion())) continue;
      expect({ feature, users, listed: listed.has(feature) }).toEqual({ feature, users, listed: true });
    }
  });

  it('is given to Chrome only: Firefox has its own minimum, newer than every listed feature', () => {
    expect(manifestFor('firefox', sharedManifest()).minimum_chrome_version).toBeUndefined();
  });
});

describe('manifestFor', () => {
  it('gives Chrome a module service worker and no Firefox settings', () => {
    const chrome = manifestFor('chrome', sharedManifest());
    expect(chrome.background).toEqual({ service_worker: 'src/background/index.ts', type: 'module' });
    expect(chrome.browser_specific_settings).toBeUndefined();
    expect(JSON.stringify(chrome)).not.toContain('"entry"');
  });

  it('gives Firefox an event page, a stable id and a data-collection declaration it can read', () => {
    const firefox = manifestFor('firefox', sharedManifest());
    expect(firefox.background).toEqual({ scripts: ['src/background/index.ts'], type: 'module' });
    const gecko = firefox.browser_specific_settings?.gecko;
    expect(gecko?.id).toBe(geckoId);
    // data_collection_permissions is read from Firefox 140 on; older versions would ignore the declaration.
    expect(Number.parseFloat(gecko?.strict_min_version ?? '0')).toBeGreaterThanOrEqual(140);
    const android = firefox.browser_specific_settings?.gecko_android;
    expect(Number.parseFloat(android?.strict_min_version ?? '0')).toBeGreaterThanOrEqual(142);
    // Nothing leaves the device without opt-in: nothing is required; the upload scopes' categories are optional.
    expect(gecko?.data_collection_permissions).toEqual({
      required: ['none'],
      optional: ['technicalAndInteraction', 'websiteActivity', 'websiteContent', 'personallyIdentifyingInfo'],
    });
  });

  it('keeps everything else the same for both browsers', () => {
    const {
      background: _chromeBackground,
      minimum_chrome_version: _chromeMinimum,
      ...chrome
    } = manifestFor('chrome', sharedManifest());
    const {
      background: _firefoxBackground,
      browser_specific_settings: _gecko,
      ...firefox
    } = manifestFor('firefox', sharedManifest());
    expect(firefox).toEqual(chrome);
  });
});
