/**
 * The server as it is deployed (promise: it runs from its JavaScript build with production dependencies only): built
 * by `npm run build:server`, its modules import nothing but Node's own modules and the packages package.json lists
 * as dependencies — so `npm ci --omit=dev` installs all it needs — and `node dist/server/main.mjs`, without tsx,
 * registers an installation, stores an upload, gives it back and stops cleanly on SIGTERM.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { installationCreated, installationData } from '../../src/shared/contracts/upload';
import { makeBatch, makeDay, spawnServer } from './helpers';

const root = new URL('../..', import.meta.url);
const built = new URL('dist/server/', root);
let directory: string;

beforeAll(() => {
  const build = spawnSync('npx', ['vite', 'build', '--config', 'vite.server.config.ts'], {
    cwd: root,
    encoding: 'utf8',
  });
  if (build.status !== 0) throw new Error(`npm run build:server failed:\n${build.stdout}\n${build.stderr}`);
  directory = mkdtempSync(join(tmpdir(), 'smarttags-built-'));
}, 120_000);
afterAll(() => {
  rmSync(directory, { recursive: true, force: true });
});

/** Every module specifier the built files import, statically or dynamically. */
function importsOfBuild(): Set<string> {
  const files = readdirSync(built, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.mjs'));
  expect(files).toEqual(expect.arrayContaining(['main.mjs', 'migrate.mjs', 'admin.mjs']));
  const specifiers = new Set<string>();
  for (const file of files) {
    const code = readFileSync(new URL(file, built), 'utf8');
    for (const match of code.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)["']([^"']+)["']/g)) {
      if (match[1]) specifiers.add(match[1]);
    }
  }
  return specifiers;
}

it('imports only Node’s modules, its own chunks and the production dependencies', () => {
  const manifest = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as {
    dependencies: Record<string, string>;
  };
  const production = new Set(Object.keys(manifest.dependencies));
  const builtins = new Set(builtinModules);
  const packageOf = (specifier: string) =>
    specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : (specifier.split('/')[0] ?? specifier);
  const outside = [...importsOfBuild()].filter(
    (specifier) =>
      !specifier.startsWith('./') &&
      !specifier.startsWith('../') &&
      !specifier.startsWith('node:') &&
      !builtins.has(specifier) &&
      !production.has(packageOf(specifier)),
  );
  expect(outside).toEqual([]);
});

it('runs with Node alone: registers, stores an upload, gives it back, and stops on SIGTERM', async () => {
  const server = await spawnServer(['--database', join(directory, 'built.sqlite')], { built: true });
  try {
    const created = installationCreated.parse(
      await (await fetch(`${server.url}/v1/installations`, { method: 'POST' })).json(),
    );
    const batch = makeBatch([makeDay('2026-11-24')]);
    const uploaded = await fetch(`${server.url}/v1/uploads`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${created.token}`,
        'idempotency-key': batch.batchId,
      },
      body: JSON.stringify(batch),
    });
    expect(uploaded.status).toBe(200);
    const data = await fetch(`${server.url}/v1/installations/me/data`, {
      headers: { authorization: `Bearer ${created.token}` },
    });
    expect(installationData.parse(await data.json()).days.map((day) => day.date)).toEqual(['2026-11-24']);
  } finally {
    server.child.kill('SIGTERM');
  }
  expect(await server.exited).toBe(0);
  expect(server.output()).not.toContain('tsx');
}, 60_000);

/**
 * Docker is not on the CI machine, so the image itself is not built here; what can drift is checked: the image and the
 * systemd unit start the file the build makes, the image copies every source directory the server imports from, and
 * compose builds that image with a PostgreSQL URL.
 */
it('the Dockerfile, compose file and systemd unit start what the build makes', () => {
  const text = (path: string) => readFileSync(new URL(path, root), 'utf8');
  const dockerfile = text('Dockerfile');
  expect(dockerfile).toContain('RUN npm run build:server');
  expect(dockerfile).toContain('npm ci --omit=dev');
  expect(dockerfile).toContain('CMD ["node", "dist/server/main.mjs"]');
  expect(text('deploy/smarttags-server.service')).toContain('ExecStart=/usr/bin/node dist/server/main.mjs');
  expect(readdirSync(built)).toContain('main.mjs');
  const sourceDirectories = new Set<string>();
  for (const file of readdirSync(new URL('server/', root)).filter((name) => name.endsWith('.ts'))) {
    for (const match of text(`server/${file}`).matchAll(/from '\.\.\/(src\/[a-z]+)\//g)) {
      if (match[1]) sourceDirectories.add(match[1]);
    }
  }
  for (const source of sourceDirectories) expect(dockerfile).toContain(`COPY ${source} ./${source}`);
  const compose = text('compose.yaml');
  expect(compose).toContain('build: .');
  expect(compose).toContain('SMARTTAGS_DATABASE: postgres://');
});
