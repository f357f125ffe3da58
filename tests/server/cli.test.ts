import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app';
import { ConfigError, defaultDatabasePath, describeDatabase, parseCommandLine } from '../../server/config';

const root = new URL('../..', import.meta.url);
let directory: string | undefined;
afterEach(() => {
  if (directory) rmSync(directory, { recursive: true, force: true });
  directory = undefined;
});
function temporaryDirectory(): string {
  directory = mkdtempSync(join(tmpdir(), 'smarttags-server-cli-'));
  return directory;
}

describe('settings', () => {
  it('has safe defaults: loopback, port 8787, the database under server/data, no log', () => {
    expect(parseCommandLine([], {})).toEqual({
      kind: 'run',
      config: {
        host: '127.0.0.1',
        port: 8787,
        database: defaultDatabasePath,
        tls: null,
        bodyLimit: 1_048_576,
        decodedBodyLimit: 4_194_304,
        rateLimits: {
          perIp: 60_000,
          perInstallation: 600,
          windowSeconds: 60,
          registrationsPerIp: 20,
          registrationWindowSeconds: 3600,
        },
        expireUnusedHours: 24,
        retainDays: null,
        reports: { k: 20, epsilon: 1 },
        log: false,
      },
    });
  });

  it('reads the environment, and a flag wins over its variable', () => {
    const env = {
      SMARTTAGS_PORT: '9000',
      SMARTTAGS_DATABASE: '/srv/env.sqlite',
      SMARTTAGS_BODY_LIMIT: '2048',
      SMARTTAGS_DECODED_BODY_LIMIT: '8192',
      SMARTTAGS_RATE_LIMIT_IP: '10',
      SMARTTAGS_RATE_LIMIT_INSTALLATION: '5',
      SMARTTAGS_RATE_LIMIT_WINDOW: '2',
      SMARTTAGS_REGISTRATION_LIMIT_IP: '3',
      SMARTTAGS_REGISTRATION_WINDOW: '600',
      SMARTTAGS_EXPIRE_UNUSED_HOURS: '48',
      SMARTTAGS_RETAIN_DAYS: '365',
      SMARTTAGS_REPORT_K: '50',
      SMARTTAGS_REPORT_EPSILON: '0.5',
      SMARTTAGS_TLS_CERT: '/srv/cert.pem',
      SMARTTAGS_TLS_KEY: '/srv/key.pem',
      SMARTTAGS_LOG: '1',
    };
    const result = parseCommandLine(['--port', '9001', '--host=0.0.0.0', '--registration-limit-ip', '4'], env);
    expect(result).toEqual({
      kind: 'run',
      config: {
        host: '0.0.0.0',
        port: 9001,
        database: '/srv/env.sqlite',
        tls: { certPath: '/srv/cert.pem', keyPath: '/srv/key.pem' },
        bodyLimit: 2048,
        decodedBodyLimit: 8192,
        rateLimits: {
          perIp: 10,
          perInstallation: 5,
          windowSeconds: 2,
          registrationsPerIp: 4,
          registrationWindowSeconds: 600,
        },
        expireUnusedHours: 48,
        retainDays: 365,
        reports: { k: 50, epsilon: 0.5 },
        log: true,
      },
    });
    expect(parseCommandLine(['--log'], {})).toMatchObject({ config: { log: true } });
    expect(parseCommandLine(['--retain-days', '30'], {})).toMatchObject({ config: { retainDays: 30 } });
    expect(() => parseCommandLine(['--retain-days', '0'], {})).toThrow('--retain-days (SMARTTAGS_RETAIN_DAYS)');
    // k is never below 10, whatever is asked.
    expect(() => parseCommandLine(['--report-k', '9'], {})).toThrow('--report-k (SMARTTAGS_REPORT_K)');
    expect(() => parseCommandLine(['--report-epsilon', '0'], {})).toThrow('--report-epsilon');
    expect(parseCommandLine(['-h'], {})).toEqual({ kind: 'help' });
  });

  it('takes a SQLite path or a postgres:// URL as --database, and --db (the earlier name) too', () => {
    const url = 'postgres://smarttags:secret@db.example/smarttags';
    expect(parseCommandLine(['--database', url], {})).toMatchObject({ config: { database: url } });
    expect(parseCommandLine([], { SMARTTAGS_DATABASE: url })).toMatchObject({ config: { database: url } });
    expect(parseCommandLine(['--db', '/srv/old.sqlite'], {})).toMatchObject({
      config: { database: '/srv/old.sqlite' },
    });
    expect(parseCommandLine([], { SMARTTAGS_DB: '/srv/old.sqlite' })).toMatchObject({
      config: { database: '/srv/old.sqlite' },
    });
    // The current name wins over the earlier one.
    expect(parseCommandLine(['--db', '/srv/old.sqlite', '--database', url], {})).toMatchObject({
      config: { database: url },
    });
    expect(() => parseCommandLine(['--database', 'postgres://[broken'], {})).toThrow(
      '--database (SMARTTAGS_DATABASE) is not a valid postgres:// URL',
    );
    // Messages name the database without its password.
    expect(describeDatabase(url)).toBe('postgres://smarttags:***@db.example/smarttags');
    expect(describeDatabase('/srv/old.sqlite')).toBe('/srv/old.sqlite');
  });

  it('lets an unset decoded limit follow a raised body limit, and refuses a decoded limit under it', () => {
    expect(parseCommandLine(['--body-limit', '8388608'], {})).toMatchObject({
      config: { bodyLimit: 8_388_608, decodedBodyLimit: 8_388_608 },
    });
    expect(() => parseCommandLine(['--body-limit', '8192', '--decoded-body-limit', '4096'], {})).toThrow(
      '--decoded-body-limit must be at least --body-limit',
    );
  });

  it.each([
    [['--port', '70000']],
    [['--port', 'eighty']],
    [['--body-limit', '10']],
    [['--rate-limit-ip', '0']],
    [['--registration-limit-ip', '0']],
    [['--registration-window', '-1']],
    [['--expire-unused-hours', '0']],
    [['--decoded-body-limit', 'lots']],
    [['--tls-cert', 'cert.pem']],
    [['--unknown']],
    [['--port']],
  ])('refuses %j', (argv) => {
    expect(() => parseCommandLine(argv, {})).toThrow(ConfigError);
  });
});

// Each spawn starts tsx, which takes seconds on this 2-core machine.
describe('the command', { timeout: 30_000 }, () => {
  it('--help lists every flag with its environment variable', () => {
    const result = spawnSync('npx', ['tsx', 'server/main.ts', '--help'], { cwd: root, encoding: 'utf8' });
    expect(result.status).toBe(0);
    for (const flag of [
      'host',
      'port',
      'database',
      'db',
      'tls-cert',
      'tls-key',
      'body-limit',
      'decoded-body-limit',
      'rate-limit-ip',
      'rate-limit-installation',
      'rate-limit-window',
      'registration-limit-ip',
      'registration-window',
      'expire-unused-hours',
      'log',
      'help',
    ]) {
      expect(result.stdout).toContain(`--${flag}`);
    }
    for (const variable of [
      'SMARTTAGS_PORT',
      'SMARTTAGS_DATABASE',
      'SMARTTAGS_DB',
      'SMARTTAGS_TLS_CERT',
      'SMARTTAGS_RATE_LIMIT_IP',
      'SMARTTAGS_DECODED_BODY_LIMIT',
      'SMARTTAGS_REGISTRATION_LIMIT_IP',
      'SMARTTAGS_REGISTRATION_WINDOW',
      'SMARTTAGS_EXPIRE_UNUSED_HOURS',
    ]) {
      expect(result.stdout).toContain(variable);
    }
  });

  it('exits with 2 and a hint on a bad flag', () => {
    const result = spawnSync('npx', ['tsx', 'server/main.ts', '--port', 'eighty'], { cwd: root, encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--port');
    expect(result.stderr).toContain('--help');
  });

  it('serves on a free loopback port, writes nothing per request without --log, and stops on SIGTERM', async () => {
    const databasePath = join(temporaryDirectory(), 'cli.sqlite');
    // Node itself rather than npx, so the signal reaches the server and not a wrapper process.
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'server/main.ts', '--port', '0', '--database', databasePath],
      {
        cwd: root,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += String(chunk);
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    try {
      const address = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no listening line in: ${output}`)), 20_000);
        child.stdout.on('data', () => {
          const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
          if (match?.[1]) {
            clearTimeout(timer);
            resolve(match[1]);
          }
        });
      });
      const health = await fetch(`${address}/healthz`);
      expect(await health.json()).toEqual({ ok: true });
      const created = await fetch(`${address}/v1/installations`, { method: 'POST' });
      expect(created.status).toBe(201);
      expect(output.trim().split('\n')).toHaveLength(1);
    } finally {
      child.kill('SIGTERM');
    }
    // The server closes fastify and the database, then exits 0.
    expect(await exited).toBe(0);
  });
});

const hasOpenssl = spawnSync('openssl', ['version']).status === 0;

describe('TLS', () => {
  it.skipIf(!hasOpenssl)('serves HTTPS with the given certificate and key', async () => {
    const dir = temporaryDirectory();
    const [certPath, keyPath] = [join(dir, 'cert.pem'), join(dir, 'key.pem')];
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        keyPath,
        '-out',
        certPath,
      ],
      { stdio: 'ignore' },
    );
    const cert = readFileSync(certPath);
    const app = await buildApp({ database: join(dir, 'tls.sqlite'), tls: { cert, key: readFileSync(keyPath) } });
    try {
      const address = await app.listen({ host: '127.0.0.1', port: 0 });
      expect(address).toMatch(/^https:\/\//);
      const body = await new Promise<string>((resolve, reject) => {
        request(`${address}/healthz`, { ca: cert }, (response) => {
          let text = '';
          response.on('data', (chunk) => {
            text += String(chunk);
          });
          response.on('end', () => resolve(text));
        })
          .on('error', reject)
          .end();
      });
      expect(JSON.parse(body)).toEqual({ ok: true });
    } finally {
      await app.close();
    }
  });
});
