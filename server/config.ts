/**
 * The server's settings: one table describes every setting once (flag, environment variable, default, help line), so
 * the parser and `--help` cannot drift apart. A flag wins over its environment variable, which wins over the default.
 */
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

export const defaultDatabasePath = fileURLToPath(new URL('./data/smarttags.sqlite', import.meta.url));

export interface RateLimits {
  /** Requests per window from one IP address (IPv6: one /64), on every route. */
  perIp: number;
  /** Requests per window with one installation's token, on the authenticated routes. */
  perInstallation: number;
  windowSeconds: number;
}

/**
 * Generous enough for the benchmark (hundreds of uploads a second from loopback, spread over many installations) while
 * still stopping a runaway client: a real extension uploads a few times an hour.
 */
export const defaultRateLimits: RateLimits = { perIp: 60_000, perInstallation: 600, windowSeconds: 60 };
export const defaultBodyLimit = 1_048_576;

export interface ServerConfig {
  host: string;
  port: number;
  databasePath: string;
  tls: { certPath: string; keyPath: string } | null;
  bodyLimit: number;
  rateLimits: RateLimits;
  log: boolean;
}

export type CommandLine = { kind: 'help' } | { kind: 'run'; config: ServerConfig };

export class ConfigError extends Error {}

interface Setting {
  flag: string;
  env: string;
  value: string | null;
  help: string;
}

const settings = {
  host: { flag: 'host', env: 'SMARTTAGS_HOST', value: 'address', help: 'address to listen on (default 127.0.0.1)' },
  port: { flag: 'port', env: 'SMARTTAGS_PORT', value: 'n', help: 'TCP port; 0 picks a free one (default 8787)' },
  db: {
    flag: 'db',
    env: 'SMARTTAGS_DB',
    value: 'path',
    help: 'SQLite database file, created if missing (default server/data/smarttags.sqlite)',
  },
  tlsCert: { flag: 'tls-cert', env: 'SMARTTAGS_TLS_CERT', value: 'path', help: 'PEM certificate; serve HTTPS' },
  tlsKey: { flag: 'tls-key', env: 'SMARTTAGS_TLS_KEY', value: 'path', help: 'PEM private key for --tls-cert' },
  bodyLimit: {
    flag: 'body-limit',
    env: 'SMARTTAGS_BODY_LIMIT',
    value: 'bytes',
    help: `largest request body; larger ones get 413 (default ${defaultBodyLimit})`,
  },
  rateLimitIp: {
    flag: 'rate-limit-ip',
    env: 'SMARTTAGS_RATE_LIMIT_IP',
    value: 'n',
    help: `requests per window from one IP address (default ${defaultRateLimits.perIp})`,
  },
  rateLimitInstallation: {
    flag: 'rate-limit-installation',
    env: 'SMARTTAGS_RATE_LIMIT_INSTALLATION',
    value: 'n',
    help: `requests per window with one installation's token (default ${defaultRateLimits.perInstallation})`,
  },
  rateLimitWindow: {
    flag: 'rate-limit-window',
    env: 'SMARTTAGS_RATE_LIMIT_WINDOW',
    value: 'seconds',
    help: `length of the rate-limit window (default ${defaultRateLimits.windowSeconds})`,
  },
  log: {
    flag: 'log',
    env: 'SMARTTAGS_LOG',
    value: null,
    help: 'log one line per request to stdout: method, route, status, duration (never headers or bodies)',
  },
} satisfies Record<string, Setting>;

export function helpText(): string {
  const rows = Object.values(settings).map((setting: Setting) => {
    const left = `  --${setting.flag}${setting.value ? ` <${setting.value}>` : ''}`;
    return `${left.padEnd(38)}${setting.help}\n${' '.repeat(38)}env ${setting.env}${setting.value ? '' : '=1'}`;
  });
  return [
    'smartTags reference ingest server',
    '',
    'Usage: npm run server -- [options]',
    '',
    'Options (a flag wins over its environment variable):',
    ...rows,
    `  ${'-h, --help'.padEnd(36)}show this help`,
    '',
    'API and examples: docs/SERVER.md; schema: docs/openapi.json.',
    '',
  ].join('\n');
}

export function parseCommandLine(argv: string[], env: NodeJS.ProcessEnv): CommandLine {
  const options = Object.fromEntries(
    Object.values(settings).map((setting: Setting) => [
      setting.flag,
      { type: setting.value ? ('string' as const) : ('boolean' as const) },
    ]),
  );
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({ args: argv, options: { ...options, help: { type: 'boolean', short: 'h' } } }));
  } catch (error) {
    throw new ConfigError(error instanceof Error ? error.message : String(error));
  }
  if (values.help) return { kind: 'help' };

  const text = (setting: Setting): string | undefined => {
    const value = values[setting.flag] ?? env[setting.env];
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  const integer = (setting: Setting, fallback: number, min: number, max: number): number => {
    const raw = text(setting);
    if (raw === undefined) return fallback;
    const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
    if (!Number.isSafeInteger(value) || value < min || value > max) {
      throw new ConfigError(`--${setting.flag} (${setting.env}) must be a whole number from ${min} to ${max}`);
    }
    return value;
  };
  const flagOn = values[settings.log.flag] === true;
  const envOn = ['1', 'true', 'yes'].includes((env[settings.log.env] ?? '').toLowerCase());

  const certPath = text(settings.tlsCert);
  const keyPath = text(settings.tlsKey);
  if ((certPath === undefined) !== (keyPath === undefined)) {
    throw new ConfigError('--tls-cert and --tls-key go together: give both or neither');
  }
  return {
    kind: 'run',
    config: {
      host: text(settings.host) ?? '127.0.0.1',
      port: integer(settings.port, 8787, 0, 65_535),
      databasePath: text(settings.db) ?? defaultDatabasePath,
      tls: certPath !== undefined && keyPath !== undefined ? { certPath, keyPath } : null,
      bodyLimit: integer(settings.bodyLimit, defaultBodyLimit, 1024, 1024 * 1024 * 1024),
      rateLimits: {
        perIp: integer(settings.rateLimitIp, defaultRateLimits.perIp, 1, 1_000_000_000),
        perInstallation: integer(settings.rateLimitInstallation, defaultRateLimits.perInstallation, 1, 1_000_000_000),
        windowSeconds: integer(settings.rateLimitWindow, defaultRateLimits.windowSeconds, 1, 86_400),
      },
      log: flagOn || envOn,
    },
  };
}
