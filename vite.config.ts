import { readFileSync } from 'node:fs';
import { crx } from '@crxjs/vite-plugin';
import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';
import { isSharedManifest, manifestFor, type TargetBrowser, targetBrowsers } from './scripts/manifest';

/** One config for both browsers: `vite build --mode chrome` or `--mode firefox` picks the target. */
export default defineConfig(({ mode }) => {
  const browser = targetBrowsers.find((candidate) => candidate === mode) as TargetBrowser | undefined;
  if (!browser) throw new Error(`Build with --mode chrome or --mode firefox (got "${mode}").`);
  const shared: unknown = JSON.parse(readFileSync(new URL('./manifest.json', import.meta.url), 'utf8'));
  if (!isSharedManifest(shared)) throw new Error('manifest.json is not a Manifest V3 file with background.entry.');
  return {
    plugins: [
      preact(),
      crx({
        manifest: manifestFor(browser, shared),
        browser,
        // The content script runs inside Instagram's heavy page: ship it as one self-contained file, with no loader
        // and no chunk exposed through web_accessible_resources (which any site could probe to fingerprint users).
        contentScripts: { standaloneFiles: ['src/content/index.ts'] },
      }),
    ],
    build: {
      outDir: `dist/${browser}`,
      emptyOutDir: true,
      target: 'es2022',
      sourcemap: false,
      // Chrome and Firefox load module preloads natively. Vite's polyfill for other browsers would be one more module
      // each page's first script imports before it runs, which the popup's first paint cannot afford (src/popup/start.ts).
      modulePreload: { polyfill: false },
      // Extension pages the manifest does not name (crxjs builds those it names).
      rollupOptions: { input: { onboarding: 'src/onboarding/index.html' } },
    },
  };
});
