// Renders assets/icon.svg into the PNG sizes the manifest names (public/icons/icon-<size>.png).
// Run with `npm run icons` after changing the SVG; the PNGs are committed so a build needs no browser.
// Uses the same Chromium the end-to-end tests use (CHROMIUM_PATH overrides the Debian path).
import { readFile } from 'node:fs/promises';
import puppeteer from 'puppeteer';

const sizes = [16, 32, 48, 128];
const svg = await readFile(new URL('../assets/icon.svg', import.meta.url), 'utf8');
const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu'],
});
try {
  const page = await browser.newPage();
  for (const size of sizes) {
    await page.setViewport({ width: size, height: size, deviceScaleFactor: 1 });
    await page.setContent(
      `<style>html,body{margin:0;background:transparent}svg{width:${size}px;height:${size}px;display:block}</style>${svg}`,
    );
    const path = new URL(`../public/icons/icon-${size}.png`, import.meta.url).pathname;
    await page.screenshot({ path, omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } });
    console.log(`wrote ${path}`);
  }
} finally {
  await browser.close();
}
