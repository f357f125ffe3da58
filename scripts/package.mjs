// Writes the store-ready archives to artifacts/: one zip per browser from dist/, and a source zip (Firefox review
// asks for the source of bundled code) made by `git archive` from the committed tree, with the lock file, so a
// reviewer rebuilds byte-for-byte with the README's commands. Run through `npm run package`, which builds first.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';

const { version } = JSON.parse(readFileSync('manifest.json', 'utf8'));
const webExt = 'node_modules/.bin/web-ext';
mkdirSync('artifacts', { recursive: true });

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
