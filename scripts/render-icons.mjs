// Renders the SVGs in assets/ into the PNGs the manifest and the store listings use. Run with `npm run icons` after
// changing an SVG; the PNGs are committed so a build needs no browser.
// - assets/icon.svg (96 px of art with a 16 px transparent margin, as the Chrome Web Store asks) -> 128 and 48 px;
// - assets/icon-small.svg (drawn for small sizes: no margin, fewer shapes) -> 16 and 32 px;
// - assets/wordmark.svg and assets/promo-tile.svg (the store's 440 x 280 small tile) -> docs/store/.
// Uses the same Chromium the end-to-end tests use (CHROMIUM_PATH overrides the Debian path).
import { mkdirSync, readFileSync } from 'node:fs';
import puppeteer from 'puppeteer';

const renders = [
  { source: 'assets/icon.svg', width: 128, height: 128, target: 'public/icons/icon-128.png' },
  { source: 'assets/icon.svg', width: 48, height: 48, target: 'public/icons/icon-48.png' },
  { source: 'assets/icon-small.svg', width: 32, height: 32, target: 'public/icons/icon-32.png' },
  { source: 'assets/icon-small.svg', width: 16, height: 16, target: 'public/icons/icon-16.png' },
  { source: 'assets/wordmark.svg', width: 480, height: 112, target: 'docs/store/wordmark.png' },
  { source: 'assets/promo-tile.svg', width: 440, height: 280, target: 'docs/store/promo-tile-440x280.png' },
];

const root = new URL('../', import.meta.url);
mkdirSync(new URL('docs/store/', root), { recursive: true });
const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu'],
});
try {
  const page = await browser.newPage();
  for (const { source, width, height, target } of renders) {
    const svg = readFileSync(new URL(source, root), 'utf8');
    await page.setViewport({ width, height, deviceScaleFactor: 1 });
    await page.setContent(
      `<style>html,body{margin:0;background:transparent}svg{width:${width}px;height:${height}px;display:block}</style>${svg}`,
    );
    const path = new URL(target, root).pathname;
    await page.screenshot({ path, omitBackground: true, clip: { x: 0, y: 0, width, height } });
    console.log(`wrote ${target}`);
  }
} finally {
  await browser.close();
}
