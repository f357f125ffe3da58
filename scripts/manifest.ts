/**
 * Derives each browser's manifest from the one both share (manifest.json at the project root).
 *
 * The shared file names its background entry once as `background.entry`; this is the only key that is not a
 * real manifest key, and it is replaced here by what each browser runs:
 * - Chrome runs a module service worker (`background.service_worker` + `type: "module"`) and gets
 *   `minimum_chrome_version`, derived from the newest web platform feature the code uses (`chromeFeatures`).
 * - Firefox runs an event page (`background.scripts`) and needs `browser_specific_settings.gecko`: a stable id (so
 *   storage survives updates), a minimum version that understands `data_collection_permissions`, and that key itself,
 *   which declares what the extension sends off the device.
 *
 * Kept free of Vite and Node APIs so that it is unit-tested directly.
 */

import {
  type GeckoDataCategory,
  type GeckoOptionalDataCategory,
  optionalDataCollection,
} from '../src/shared/domain/dataCollection';

export type TargetBrowser = 'chrome' | 'firefox';

export const targetBrowsers: readonly TargetBrowser[] = ['chrome', 'firefox'];

/** The add-on id Firefox stores the extension's data under; changing it orphans every user's data. */
export const geckoId = 'smarttags@smarttags.app';

/**
 * Firefox 140 is the first desktop release that reads `data_collection_permissions` (and it is an ESR), so nothing
 * older may install a build whose consent declaration it would ignore.
 */
export const geckoMinVersion = '140.0';
/** Firefox for Android reads `data_collection_permissions` from 142 on. */
export const geckoAndroidMinVersion = '142.0';

/**
 * What this build may transmit off the device: nothing without opt-in (`required: none`); each upload scope's
 * categories are optional and granted at run time through Firefox's prompt (src/shared/domain/dataCollection.ts).
 */
export const geckoDataCollection: GeckoDataCollection = {
  required: ['none'],
  optional: optionalDataCollection,
};

/**
 * Web platform features newer than Manifest V3 itself (Chrome 88) that smartTags uses, each with the Chrome release
 * that shipped it; `minimum_chrome_version` is the newest of them, so Chrome refuses to install a build on a release
 * where a page would render wrongly or the background would throw. tests/unit/manifest.test.ts finds each one in
 * src/ and fails when src/ uses a later feature from its catalogue that is not listed here. Firefox needs no such
 * entry: its minimum (140, above) is newer than all of them.
 */
export const chromeFeatures: readonly ChromeFeature[] = [
  { feature: 'CSS color-mix()', usedIn: 'src/options/options.css', chrome: 111, pattern: /color-mix\(/ },
  { feature: 'AbortSignal.any()', usedIn: 'src/background/sync/sync.ts', chrome: 116, pattern: /AbortSignal\.any\(/ },
];

interface ChromeFeature {
  feature: string;
  /** A file that uses it, for the reader; the test searches all of src/. */
  usedIn: string;
  /** The first stable Chrome release with it. */
  chrome: number;
  /** How the test recognises it in the source. */
  pattern: RegExp;
}

/** The newest Chrome release among `chromeFeatures`, as the manifest writes it. */
export function minimumChromeVersion(features: readonly ChromeFeature[] = chromeFeatures): string {
  return String(Math.max(88, ...features.map(({ chrome }) => chrome)));
}

export interface GeckoDataCollection {
  required: GeckoDataCategory[];
  optional?: GeckoOptionalDataCategory[];
}

export interface SharedManifest {
  manifest_version: 3;
  name: string;
  version: string;
  background: { entry: string };
  [key: string]: unknown;
}

export interface BrowserManifest {
  manifest_version: 3;
  name: string;
  version: string;
  background: { service_worker: string; type: 'module' } | { scripts: string[]; type: 'module' };
  minimum_chrome_version?: string;
  browser_specific_settings?: {
    gecko: {
      id: string;
      strict_min_version: string;
      data_collection_permissions: GeckoDataCollection;
    };
    gecko_android: { strict_min_version: string };
  };
  [key: string]: unknown;
}

export function isSharedManifest(value: unknown): value is SharedManifest {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  const background = candidate.background as Record<string, unknown> | undefined;
  return (
    candidate.manifest_version === 3 &&
    typeof candidate.name === 'string' &&
    typeof candidate.version === 'string' &&
    typeof background === 'object' &&
    background !== null &&
    typeof background.entry === 'string'
  );
}

export function manifestFor(browser: TargetBrowser, shared: SharedManifest): BrowserManifest {
  const { background, ...rest } = shared;
  if (browser === 'chrome') {
    return {
      ...rest,
      minimum_chrome_version: minimumChromeVersion(),
      background: { service_worker: background.entry, type: 'module' },
    };
  }
  return {
    ...rest,
    background: { scripts: [background.entry], type: 'module' },
    browser_specific_settings: {
      gecko: {
        id: geckoId,
        strict_min_version: geckoMinVersion,
        data_collection_permissions: geckoDataCollection,
      },
      gecko_android: { strict_min_version: geckoAndroidMinVersion },
    },
  };
}
