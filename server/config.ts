/**
 * The server's settings: one table describes every setting once (flag, environment variable, default, help line), so
 * the parser and `--help` cannot drift apart. A flag wins over its environment variable, which wins over the default.
 */
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

export type StoreKind = 'sqlite' | 'postgres';

/** A `postgres://` or `postgresql://` URL selects PostgreSQL; anything else is a SQLite file path. */
export function storeKindOf(database: string): StoreKind {
  return /^postgres(?:ql)?:\/\//i.test(database) ? 'postgres' : 'sqlite';
}

/** The database as messages and logs name it: a file's path, a URL without its password. */
export function describeDatabase(database: string): string {
  if (storeKindOf(database) === 'sqlite') return database;
  try {
    const url = new URL(database);
    if (url.password !== '') url.password = '***';
    return url.toString();
  } catch {
    return 'the PostgreSQL database';
  }
}

export const defaultDatabasePath = fileURLToPath(new URL('./data/smarttags.sqlite', import.meta.url));

export interface RateLimits {
  /** Requests per window from one IP address (IPv6: one /64), on every route. */
  perIp: number;
  /** Requests per window with one installation's token, on the authenticated routes. */
  perInstallation: number;
  windowSeconds: number;
  /** Registrations (`POST /v1/installations`) per registration window from one IP address. */
  registrationsPerIp: number;
  registrationWindowSeconds: number;
}

/**
 * Generous enough for the benchmark (hundreds of uploads a second from loopback, spread over many installations) while
 * still stopping a runaway client: a real extension uploads a few times an hour. Registering is separate and far
 * tighter: an extension registers once, so twenty an hour from one address is already a whole household reinstalling,
 * and anything beyond it is someone filling the database with empty installations.
 */
export const defaultRateLimits: RateLimits = {
  perIp: 60_000,
  perInstallation: 600,
  windowSeconds: 60,
  registrationsPerIp: 20,
  registrationWindowSeconds: 3600,
};
/** Bytes of a request body on the wire (compressed, when it is sent with `Content-Encoding: gzip`). */
export const defaultBodyLimit = 1_048_576;
/** Bytes of an upload's JSON after decompression: day records compress about fivefold, so 1 MiB of gzip is ~4 MiB. */
export const defaultDecodedBodyLimit = 4_194_304;
/** An installation that has uploaded nothing this long after registering is deleted (an abandoned or abusive one). */
export const defaultExpireUnusedHours = 24;
/**
 * How long the tombstone of an expired installation is kept: a client that registered and then went offline can
 * still send its deletion and get a receipt; after that its token is refused like one never known.
 */
export const expiredTombstoneDays = 30;
/** The weekly aggregate reports (docs/AGGREGATES.md): installations behind every published figure, never fewer than
 * the minimum, and the privacy budget each installation spends on one week's report. */
export const defaultReportK = 20;
export const minimumReportK = 10;
export const defaultReportEpsilon = 1;
/** The whole request (headers and body) must arrive within this; a slower client is disconnected. */
export const defaultRequestTimeoutMs = 30_000;

export interface ServerConfig {
  host: string;
  port: number;
  /** A SQLite file path or a `postgres://` URL. */
  database: string;
  tls: { certPath: string; keyPath: string } | null;
  bodyLimit: number;
  decodedBodyLimit: number;
  rateLimits: RateLimits;
  expireUnusedHours: number;
  /** Days kept on the server (older ones are deleted hourly); null: kept until the installation deletes them. */
  retainDays: number | null;
  reports: { k: number; epsilon: number };
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
  database: {
    flag: 'database',
    env: 'SMARTTAGS_DATABASE',
    value: 'path|url',
    help: 'a SQLite file, created if missing, or a postgres:// URL (default server/data/smarttags.sqlite)',
  },
  db: { flag: 'db', env: 'SMARTTAGS_DB', value: 'path|url', help: 'the earlier name of --database' },
  tlsCert: { flag: 'tls-cert', env: 'SMARTTAGS_TLS_CERT', value: 'path', help: 'PEM certificate; serve HTTPS' },
  tlsKey: { flag: 'tls-key', env: 'SMARTTAGS_TLS_KEY', value: 'path', help: 'PEM private key for --tls-cert' },
  bodyLimit: {
    flag: 'body-limit',
    env: 'SMARTTAGS_BODY_LIMIT',
    value: 'bytes',
    help: `largest request body on the wire (gzip-compressed or not); larger ones get 413 (default ${defaultBodyLimit})`,
  },
  decodedBodyLimit: {
    flag: 'decoded-body-limit',
    env: 'SMARTTAGS_DECODED_BODY_LIMIT',
    value: 'bytes',
    help: `largest upload once decompressed, at least --body-limit; larger ones get 413 (default ${defaultDecodedBodyLimit})`,
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
  registrationLimitIp: {
    flag: 'registration-limit-ip',
    env: 'SMARTTAGS_REGISTRATION_LIMIT_IP',
    value: 'n',
    help: `registrations per registration window from one IP address (default ${defaultRateLimits.registrationsPerIp})`,
  },
  registrationWindow: {
    flag: 'registration-window',
    env: 'SMARTTAGS_REGISTRATION_WINDOW',
    value: 'seconds',
    help: `length of the registration window (default ${defaultRateLimits.registrationWindowSeconds})`,
  },
  expireUnusedHours: {
    flag: 'expire-unused-hours',
    env: 'SMARTTAGS_EXPIRE_UNUSED_HOURS',
    value: 'hours',
    help: `delete installations that uploaded nothing this long after registering (default ${defaultExpireUnusedHours})`,
  },
  retainDays: {
    flag: 'retain-days',
    env: 'SMARTTAGS_RETAIN_DAYS',
    value: 'days',
    help: 'delete stored days and account snapshots older than this, hourly (default: kept until the person deletes them)',
  },
  reportK: {
    flag: 'report-k',
    env: 'SMARTTAGS_REPORT_K',
    value: 'n',
    help: `installations at least behind every figure of a weekly report, ${minimumReportK} or more (default ${defaultReportK})`,
  },
  reportEpsilon: {
    flag: 'report-epsilon',
    env: 'SMARTTAGS_REPORT_EPSILON',
    value: 'ε',
    help: `privacy budget per installation per weekly report, 0.01–10 (default ${defaultReportEpsilon})`,
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

/** The database setting, checked: a PostgreSQL URL must parse, so a typo fails at start with the flag's name. */
function databaseOf(value: string | undefined): string {
  if (value === undefined) return defaultDatabasePath;
  if (storeKindOf(value) === 'postgres' && !URL.canParse(value)) {
    throw new ConfigError('--database (SMARTTAGS_DATABASE) is not a valid postgres:// URL');
  }
  return value;
}

function epsilonOf(value: string | undefined): number {
  if (value === undefined) return defaultReportEpsilon;
  const epsilon = /^\d+(\.\d+)?$/.test(value) ? Number(value) : Number.NaN;
  if (!(epsilon >= 0.01 && epsilon <= 10)) {
    throw new ConfigError('--report-epsilon (SMARTTAGS_REPORT_EPSILON) must be a number from 0.01 to 10');
  }
  return epsilon;
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

  const bodyLimit = integer(settings.bodyLimit, defaultBodyLimit, 1024, 1024 * 1024 * 1024);
  // A gzip body inflates to more than its wire size, never less: a decoded limit under the wire limit would refuse
  // uncompressed bodies the wire limit lets through. Unset, it follows a raised --body-limit.
  const decodedBodyLimit = integer(
    settings.decodedBodyLimit,
    Math.max(defaultDecodedBodyLimit, bodyLimit),
    1024,
    4 * 1024 * 1024 * 1024,
  );
  if (decodedBodyLimit < bodyLimit) {
    throw new ConfigError('--decoded-body-limit must be at least --body-limit');
  }

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
      database: databaseOf(text(settings.database) ?? text(settings.db)),
      tls: certPath !== undefined && keyPath !== undefined ? { certPath, keyPath } : null,
      bodyLimit,
      decodedBodyLimit,
      rateLimits: {
        perIp: integer(settings.rateLimitIp, defaultRateLimits.perIp, 1, 1_000_000_000),
        perInstallation: integer(settings.rateLimitInstallation, defaultRateLimits.perInstallation, 1, 1_000_000_000),
        windowSeconds: integer(settings.rateLimitWindow, defaultRateLimits.windowSeconds, 1, 86_400),
        registrationsPerIp: integer(
          settings.registrationLimitIp,
          defaultRateLimits.registrationsPerIp,
          1,
          1_000_000_000,
        ),
        registrationWindowSeconds: integer(
          settings.registrationWindow,
          defaultRateLimits.registrationWindowSeconds,
          1,
          7 * 86_400,
        ),
      },
      expireUnusedHours: integer(settings.expireUnusedHours, defaultExpireUnusedHours, 1, 24 * 366),
      retainDays: text(settings.retainDays) === undefined ? null : integer(settings.retainDays, 0, 1, 36_500),
      reports: {
        k: integer(settings.reportK, defaultReportK, minimumReportK, 1_000_000),
        epsilon: epsilonOf(text(settings.reportEpsilon)),
      },
      log: flagOn || envOn,
    },
  };
}
