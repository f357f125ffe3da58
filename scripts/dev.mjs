// The development loop: `npm run dev` (Chromium or Chrome) and `npm run dev:firefox`.
// Rebuilds dist/<browser>/ on every change (vite build --watch) and runs the build in a browser that `web-ext run`
// starts with a development profile kept in .dev-profiles/<browser>/ (so an Instagram login survives restarts),
// reloading the extension after each rebuild. Arguments after `--` go to web-ext (e.g. `-- --args=-headless`).
//
// Vite empties dist/<browser>/ before writing each rebuild, so web-ext must not reload on the first file it sees
// change: it watches one stamp file this script writes when a rebuild has finished, and reloads then.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { build } from 'vite';

const browser = process.argv[2];
if (browser !== 'chrome' && browser !== 'firefox') throw new Error('Usage: node scripts/dev.mjs chrome|firefox');
const webExtArguments = process.argv.slice(3);

const sourceDir = resolve('dist', browser);
const profile = resolve('.dev-profiles', browser);
const stampDirectory = resolve('node_modules', '.cache', 'smarttags-dev');
const stamp = resolve(stampDirectory, `${browser}-built`);
mkdirSync(profile, { recursive: true });
mkdirSync(stampDirectory, { recursive: true });

/** The browser to start: the variable the end-to-end tests read, else the Debian path, else web-ext's own choice. */
function binaryArguments() {
  const [variable, debianPath, flag] =
    browser === 'chrome'
      ? ['CHROMIUM_PATH', '/usr/bin/chromium', '--chromium-binary']
      : ['FIREFOX_PATH', '/usr/bin/firefox-esr', '--firefox'];
  const path = process.env[variable] ?? (existsSync(debianPath) ? debianPath : undefined);
  return path ? [`${flag}=${path}`] : [];
}

function startBrowser() {
  // --keep-profile-changes for both: without it web-ext runs a throwaway copy of the profile, and the login is lost.
  const target =
    browser === 'chrome'
      ? ['--target=chromium', `--chromium-profile=${profile}`]
      : ['--target=firefox-desktop', `--firefox-profile=${profile}`];
  const runner = spawn(
    resolve('node_modules', '.bin', 'web-ext'),
    [
      'run',
      `--source-dir=${sourceDir}`,
      ...target,
      '--keep-profile-changes',
      '--profile-create-if-missing',
      `--watch-file=${stamp}`,
      '--start-url=https://www.instagram.com/',
      ...binaryArguments(),
      ...webExtArguments,
    ],
    { stdio: 'inherit' },
  );
  runner.on('exit', (code) => {
    // The browser was closed (or web-ext failed): the loop is over.
    process.exit(code ?? 0);
  });
  return runner;
}

let runner;
const watcher = await build({ mode: browser, build: { watch: {} } });
watcher.on('event', (event) => {
  if (event.code === 'ERROR') {
    // The previous build stays loaded; the next save tries again.
    console.error(event.error?.message ?? event.error);
    event.result?.close();
  } else if (event.code === 'BUNDLE_END') {
    event.result?.close();
  } else if (event.code === 'END') {
    writeFileSync(stamp, `${Date.now()}\n`);
    runner ??= startBrowser();
  }
});

// Ctrl-C reaches web-ext too (same process group); a signal sent to this process alone must still stop the browser.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    void watcher.close();
    if (runner) runner.kill('SIGINT');
    else process.exit(0);
  });
}
