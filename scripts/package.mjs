// Writes the store-ready archives to artifacts/: one zip per browser from dist/, and a source zip (Firefox review
// asks for the source of bundled code) made by `git archive` from the committed tree, with the lock file, so a
// reviewer rebuilds byte-for-byte with the README's commands. Run through `npm run package`, which builds first.
//
// It also gathers the listing's images in artifacts/store/: the screenshots the end-to-end suite takes
// (tests/e2e/screenshots.test.ts writes them to docs/store/screenshots/, committed like the README's) and the promo
// tile `npm run icons` renders. Packaging needs no browser, so it copies them rather than taking them, and stops with
// the command to run when one is missing or not the size the stores take.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';

const { version } = JSON.parse(readFileSync('manifest.json', 'utf8'));
const webExt = 'node_modules/.bin/web-ext';
mkdirSync('artifacts', { recursive: true });

/** A PNG's width and height, from its header. */
function pngSize(path) {
  const header = readFileSync(path).subarray(0, 24);
  if (header.readUInt32BE(0) !== 0x89504e47) throw new Error(`${path} is not a PNG.`);
  return { width: header.readUInt32BE(16), height: header.readUInt32BE(20) };
}

// The listing images first: a missing screenshot stops packaging before any archive is written.
const storeImages = [
  { name: 'popup-1280x800.png', from: 'docs/store/screenshots', width: 1280, height: 800 },
  { name: 'dashboard-overview-1280x800.png', from: 'docs/store/screenshots', width: 1280, height: 800 },
  { name: 'dashboard-hashtags-1280x800.png', from: 'docs/store/screenshots', width: 1280, height: 800 },
  { name: 'onboarding-1280x800.png', from: 'docs/store/screenshots', width: 1280, height: 800 },
  { name: 'promo-tile-440x280.png', from: 'docs/store', width: 440, height: 280 },
];
mkdirSync('artifacts/store', { recursive: true });
for (const { name, from, width, height } of storeImages) {
  const path = `${from}/${name}`;
  const remedy = from.endsWith('screenshots')
    ? 'run "npm run build && npx vitest run --project e2e tests/e2e/screenshots.test.ts" (it takes the store screenshots)'
    : 'run "npm run icons"';
  if (!existsSync(path)) throw new Error(`${path} is missing: ${remedy}, then package again.`);
  const size = pngSize(path);
  if (size.width !== width || size.height !== height) {
    throw new Error(`${path} is ${size.width} x ${size.height}, not ${width} x ${height}: ${remedy}.`);
  }
  copyFileSync(path, `artifacts/store/${name}`);
}
const stale = readdirSync('docs/store/screenshots').filter((name) => !storeImages.some((image) => image.name === name));
if (stale.length > 0)
  console.warn(`warning: not copied (no longer taken?): docs/store/screenshots/${stale.join(', ')}`);
console.log(`artifacts/store/  ${storeImages.length} images for the listings (docs/STORE.md)`);

for (const browser of ['chrome', 'firefox']) {
  const sourceDir = `dist/${browser}`;
  if (!existsSync(`${sourceDir}/manifest.json`)) throw new Error(`${sourceDir} has no build: run "npm run build".`);
  const filename = `smarttags-${browser}-${version}.zip`;
  execFileSync(
    webExt,
    ['build', '--source-dir', sourceDir, '--artifacts-dir', 'artifacts', '--filename', filename, '--overwrite-dest'],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  console.log(`artifacts/${filename}  ${statSync(`artifacts/${filename}`).size} bytes`);
}

const source = `artifacts/smarttags-source-${version}.zip`;
try {
  execFileSync('git', ['archive', '--format=zip', '--prefix=smarttags/', '-o', source, 'HEAD'], { stdio: 'pipe' });
  const uncommitted = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { encoding: 'utf8' });
  if (uncommitted.trim()) console.warn('warning: uncommitted changes are not in the source archive (it is HEAD).');
  console.log(`${source}  ${statSync(source).size} bytes`);
} catch (error) {
  throw new Error(`The source archive needs a git checkout with a commit: ${error.message}`);
}
