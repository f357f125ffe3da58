/**
 * The reference ingest server's HTTP surface (fastify). `buildApp` returns the instance without listening, so tests
 * drive it with `app.inject()` or listen on a free port; server/main.ts listens. The request and response shapes are
 * the zod schemas of src/shared/contracts/upload.ts, the same ones the extension builds its uploads with.
 *
 * Order of checks on an authenticated route: per-IP rate limit, token, per-installation rate limit (all before the body
 * is read), then content type, content encoding and size (the body parser, which reads a refused body to its end so
 * the client hears the answer), then shape and plausibility. Registering has its own, tighter per-IP limit.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import rateLimit, { normalizeIP } from '@fastify/rate-limit';
import Fastify, { type FastifyError, type FastifyReply, type FastifyRequest, LogController } from 'fastify';
import {
  type ApiError,
  batchId,
  bodyLimitHeader,
  type DeletionReceipt,
  type InstallationCreated,
  oldestAcceptedUploadVersion,
  type UploadAccepted,
  type UploadBatch,
  type UploadLimits,
  uploadBatch,
  uploadSchemaVersion,
} from '../src/shared/contracts/upload';
import { aggregateReportPublishedFrom } from '../src/shared/domain/periods';
import type { z } from '../src/shared/zod';
import { type BodyLimits, type BodyRefusal, contentEncoding, readBody } from './body';
import {
  defaultBodyLimit,
  defaultDecodedBodyLimit,
  defaultExpireUnusedHours,
  defaultRateLimits,
  defaultReportEpsilon,
  defaultReportK,
  defaultRequestTimeoutMs,
  expiredTombstoneDays,
  minimumReportK,
  type RateLimits,
} from './config';
import { computeReportOf, datesOfReportWeek } from './reports';
import { type Installation, openStore, type RateCounter, type StoreOutcome } from './store';
import { cryptoRandom } from './weekly-report';

export interface AppOptions {
  /** A SQLite file (created if missing) or a `postgres://` URL; either is migrated to the current schema. */
  database: string;
  /** Largest request body on the wire, in bytes (compressed, for a gzip body). */
  bodyLimit?: number;
  /** Largest upload's JSON once decompressed, in bytes (for a plain body, its size on the wire). */
  decodedBodyLimit?: number;
  rateLimits?: Partial<RateLimits>;
  /** Headers and body must arrive within this many milliseconds; a slower client is disconnected. */
  requestTimeoutMs?: number;
  /** Installations that uploaded nothing this many hours after registering are deleted. */
  expireUnusedHours?: number;
  /**
   * Server-side retention: stored days and account snapshots dated more than this many days before today (UTC) are
   * deleted at start and at every hourly sweep. Absent or null: kept until the installation deletes them, as the
   * privacy policy says by default.
   */
  retainDays?: number | null;
  /**
   * The weekly aggregate reports' privacy settings (docs/AGGREGATES.md): `k` (at least 10; default 20) installations
   * at least behind every published figure, `epsilon` (default 1) per installation per week, and the randomness
   * (cryptographic unless a test seeds it).
   */
  reports?: { k?: number; epsilon?: number; random?: () => number };
  /** The server's clock (receipt and upload times, expiry, the latest plausible date); tests move it. */
  now?: () => Date;
  tls?: { cert: Buffer; key: Buffer };
  /** Where to write one line per request (method, route, status, duration); no logging when absent. */
  log?: NodeJS.WritableStream;
}

/**
 * How much of a body already refused the server reads and throws away, as a multiple of the wire limit, before it
 * stops and closes the connection: enough for any honest client that misjudged the limit to finish sending and hear
 * 413, and a bound on what a hostile one can make the server read.
 */
const discardFactor = 16;
/** How often the expiry of unused installations runs after the one at start. */
const expiryIntervalMs = 3_600_000;

type ErrorCode = ApiError['error']['code'];

/** A failure with the status and code the client sees; anything else thrown becomes 500 "internal". */
class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

const bearer = /^Bearer ([A-Za-z0-9_-]{32,256})$/i;

function hashToken(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

/** Keys come from the client and can be megabytes long; a message quotes at most the start of one. */
function pathPart(part: PropertyKey): string {
  if (typeof part === 'number') return `[${part}]`;
  const key = String(part);
  return `.${key.length > 40 ? `${key.slice(0, 40)}…` : key}`;
}

/** Up to three problems, each with where it is, so a client developer sees what to fix without a debugger. */
function describeProblems(problems: readonly { path: readonly PropertyKey[]; message: string }[]): string {
  const described = problems.slice(0, 3).map((problem) => {
    const message = problem.message.length > 120 ? `${problem.message.slice(0, 120)}…` : problem.message;
    return `body${problem.path.map(pathPart).join('')}: ${message}`;
  });
  const more = problems.length > 3 ? ` (and ${problems.length - 3} more)` : '';
  return `${described.join('; ')}${more}`;
}

/**
 * The body checked against the contract. Fields the contract does not know are not refused: where the contract's
 * objects are open (the batch, its days) they are kept and stored, so an extension one version ahead of this server
 * loses nothing; inside its closed objects (environment, accounts, snapshots) zod leaves them out.
 */
function parseBody<Schema extends z.ZodType>(schema: Schema, body: unknown): z.output<Schema> {
  const result = schema.safeParse(body);
  if (!result.success) throw new ApiProblem(400, 'bad-request', describeProblems(result.error.issues));
  return result.data;
}

/** `YYYY-MM-DD` of the UTC day `days` after `instant`'s. */
function utcDate(instant: Date, days = 0): string {
  return new Date(Date.UTC(instant.getUTCFullYear(), instant.getUTCMonth(), instant.getUTCDate() + days))
    .toISOString()
    .slice(0, 10);
}

/**
 * Dates no extension can have recorded yet. The earliest time zone (UTC+14) is at most a day ahead of UTC, so a local
 * date after tomorrow's UTC date is a wrong clock or a forgery; storing it would put a day in the future.
 */
function refuseImplausibleDates(batch: UploadBatch, now: Date): void {
  const today = utcDate(now);
  const latest = utcDate(now, 1);
  const problems: { path: PropertyKey[]; message: string }[] = [];
  const check = (date: string, path: PropertyKey[]) => {
    if (date > latest) {
      problems.push({ path, message: `${date} is more than a day after the server's date (${today}, UTC)` });
    }
  };
  batch.days.forEach((day, index) => {
    check(day.date, ['days', index, 'date']);
  });
  batch.accounts?.forEach((account, index) => {
    account.snapshots.forEach((snapshot, snapshotIndex) => {
      check(snapshot.date, ['accounts', index, 'snapshots', snapshotIndex, 'date']);
    });
  });
  if (problems.length > 0) throw new ApiProblem(400, 'bad-request', describeProblems(problems));
}

/** The client's answer for an error fastify or a plugin raised, by its status. */
function problemFrom(error: FastifyError, bodyLimit: number): ApiProblem {
  switch (error.statusCode) {
    case 413:
      return new ApiProblem(413, 'payload-too-large', `the body is larger than ${bodyLimit} bytes`);
    case 415:
      return new ApiProblem(415, 'unsupported-media-type', 'send the body as application/json');
  }
  if (error.code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
    // Fastify's parser also refuses __proto__ and constructor.prototype keys (prototype pollution) this way.
    return new ApiProblem(400, 'bad-request', 'the body is not valid JSON, or it has a forbidden __proto__ key');
  }
  if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
    return new ApiProblem(error.statusCode, 'bad-request', error.message);
  }
  return new ApiProblem(500, 'internal', 'internal error');
}

function sendBadUrl(reply: Pick<FastifyReply, 'code'>): void {
  const body: ApiError = { error: { code: 'bad-request', message: 'the URL is not valid' } };
  reply.code(400).send(body);
}

/**
 * Fastify's own request lines carry the URL, headers and error details; this writes one line per request from fields
 * chosen one by one, and (through `disableRequestLogging`) keeps fastify's other per-request lines off.
 */
class RequestLineLogger extends LogController {
  constructor() {
    super({ disableRequestLogging: true });
  }

  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    request.log[error ? 'error' : 'info'](
      {
        method: request.method,
        route: request.routeOptions.url ?? '(no route)',
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime * 10) / 10,
      },
      error ? 'response failed' : 'request',
    );
  }
}

/**
 * @fastify/rate-limit's store interface over the database's shared counters: the plugin constructs the class itself,
 * so it closes over the counter. `child` (a store per route) is the same store: keys already name their limit.
 */
function sharedCounterStore(counter: RateCounter) {
  return class SharedCounterStore {
    incr(
      key: string,
      callback: (error: Error | null, result?: { current: number; ttl: number }) => void,
      timeWindow: number,
    ): void {
      counter.hit(key, timeWindow).then(
        ({ count, ttlMs }) => callback(null, { current: count, ttl: ttlMs }),
        (error: Error) => callback(error),
      );
    }

    child(): SharedCounterStore {
      return this;
    }
  };
}

export async function buildApp(options: AppOptions) {
  const bodyLimit = options.bodyLimit ?? defaultBodyLimit;
  // Either may be the smaller (the command line insists on decoded ≥ wire; a test may not): a plain body is bounded by
  // both, since its wire bytes are its JSON.
  const decodedBodyLimit = options.decodedBodyLimit ?? Math.max(defaultDecodedBodyLimit, bodyLimit);
  const bodyLimits: BodyLimits = {
    maxBodyBytes: bodyLimit,
    maxDecodedBytes: decodedBodyLimit,
    maxDiscardBytes: discardFactor * bodyLimit,
  };
  const limits = { ...defaultRateLimits, ...options.rateLimits };
  const requestTimeoutMs = options.requestTimeoutMs ?? defaultRequestTimeoutMs;
  const expireUnusedHours = options.expireUnusedHours ?? defaultExpireUnusedHours;
  const retainDays = options.retainDays ?? null;
  const now = options.now ?? (() => new Date());
  const store = await openStore(options.database);

  const app = Fastify({
    // The whole request, headers and body, within the timeout (fastify's default is none). The body limits are the
    // body parser's below, not fastify's `bodyLimit`, which only its own parsers apply.
    requestTimeout: requestTimeoutMs,
    ...(options.log && { logger: { level: 'info', stream: options.log }, logController: new RequestLineLogger() }),
    // A URL the router cannot decode (`/%zz`) is answered here, before any route or error handler runs.
    frameworkErrors: (_error, _request, reply) => sendBadUrl(reply),
    // null serves plain HTTP; fastify's https typing covers both.
    https: options.tls ?? null,
  });
  // Node checks the two timeouts only every `connectionsCheckingInterval` (30 s by default), and gives headers 60 s of
  // their own: a client sending its headers a byte at a time was held 60–90 s whatever requestTimeout said. Headers get
  // the same limit as the whole request, and the check runs often enough that a connection ends within a second of it.
  const server: Server & { connectionsCheckingInterval?: number } = app.server;
  server.headersTimeout = requestTimeoutMs;
  server.connectionsCheckingInterval = Math.min(1000, Math.max(50, Math.floor(requestTimeoutMs / 10)));

  // Installations that never uploaded are an abandoned registration or abuse: swept now, then every hour, with
  // retention (when set) and the store's own upkeep. Never throws: a busy or broken database is tried again at the next sweep, and the requests
  // report the fault themselves.
  const sweep = async () => {
    const at = now();
    try {
      const expired = await store.expireUnused(
        new Date(at.getTime() - expireUnusedHours * 3_600_000).toISOString(),
        at.toISOString(),
        new Date(at.getTime() + expiredTombstoneDays * 86_400_000).toISOString(),
      );
      if (expired > 0) app.log.info({ expired }, 'expired unused installations');
    } catch (error) {
      app.log.error({ err: error }, 'expiring unused installations failed');
    }
    if (retainDays !== null) {
      try {
        const cutOff = new Date(at.getTime() - retainDays * 86_400_000).toISOString().slice(0, 10);
        const removed = await store.deleteBefore(cutOff);
        if (removed.days + removed.accountSnapshots > 0) app.log.info({ ...removed, before: cutOff }, 'retention');
      } catch (error) {
        app.log.error({ err: error }, 'retention failed');
      }
    }
    try {
      await store.housekeeping();
    } catch (error) {
      app.log.error({ err: error }, 'database upkeep failed');
    }
  };
  await sweep();
  let sweeping: Promise<void> | undefined;
  const expiry = setInterval(() => {
    sweeping ??= sweep().finally(() => {
      sweeping = undefined;
    });
  }, expiryIntervalMs);
  expiry.unref();
  app.addHook('onClose', async () => {
    clearInterval(expiry);
    // A sweep still running would find the database closed under it.
    await sweeping;
    await store.close();
  });

  // JSON only, read by hand (./body.ts): gzip or not, bounded before and after inflating, and a refused body read to
  // its end so the client hears the refusal. Without a text/plain parser fastify answers such a body 415 itself.
  app.removeAllContentTypeParsers();
  // Fastify's own JSON parsing: it refuses __proto__ and constructor.prototype keys (prototype pollution).
  const parseJson = app.getDefaultJsonParser('error', 'error') as (
    request: FastifyRequest,
    body: string,
    done: (error: Error | null, body?: unknown) => void,
  ) => void;
  const refusals: Record<BodyRefusal, () => ApiProblem> = {
    'too-large': () => new ApiProblem(413, 'payload-too-large', `the body is larger than ${bodyLimit} bytes`),
    'decoded-too-large': () =>
      new ApiProblem(413, 'payload-too-large', `the JSON is larger than ${decodedBodyLimit} bytes once decompressed`),
    'corrupt-gzip': () => new ApiProblem(400, 'bad-request', 'the body is not a valid gzip stream'),
    'unsupported-encoding': () =>
      new ApiProblem(415, 'unsupported-media-type', 'send the body with Content-Encoding gzip, or none'),
    aborted: () => new ApiProblem(400, 'bad-request', 'the body ended before it was complete'),
  };
  app.addContentTypeParser('application/json', async (request: FastifyRequest, payload: IncomingMessage) => {
    const length = request.headers['content-length'];
    const outcome = await readBody(
      payload,
      contentEncoding(request.headers['content-encoding']),
      length === undefined ? undefined : Number(length),
      bodyLimits,
    );
    // Fastify closes the connection after any parser error, which is what a body not read to its end needs.
    if (outcome.kind === 'refused') throw refusals[outcome.refusal]();
    // An empty body is no body: the route decides whether it needs one.
    if (outcome.body.length === 0) return undefined;
    return new Promise<unknown>((resolve, reject) => {
      parseJson(request, outcome.body.toString('utf8'), (error, body) => (error ? reject(error) : resolve(body)));
    });
  });

  app.setErrorHandler((error: FastifyError | ApiProblem, request, reply) => {
    const problem = error instanceof ApiProblem ? error : problemFrom(error, bodyLimit);
    if (problem.status >= 500) {
      // The error, never the request: its headers hold the token and its body the person's data.
      request.log.error({ err: error }, 'internal error');
    }
    if (problem.status === 401) reply.header('www-authenticate', 'Bearer');
    const body: ApiError = { error: { code: problem.code, message: problem.message } };
    return reply.code(problem.status).send(body);
  });
  app.setNotFoundHandler((request, reply) => {
    const body: ApiError = { error: { code: 'not-found', message: `no route ${request.method} ${request.url}` } };
    return reply.code(404).send(body);
  });

  app.addHook('onSend', async (_request, reply) => {
    // Answers hold personal data or secrets: no cache on the way may keep them. A published weekly report is the one
    // public answer, and says so itself.
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    // Every answer, errors included, tells a client how large an upload may be, so a 413 says how to split.
    reply.header(bodyLimitHeader, String(bodyLimit));
  });

  // The plugin supplies the counters (a fixed window per key: in this process's memory, or in the database when the
  // store shares them between instances); the limits are applied by hand because the plugin's own hooks run at most
  // once per request, and a request is counted both by IP and by installation.
  await app.register(rateLimit, {
    global: false,
    cache: 100_000,
    ...(store.rateCounter && { store: sharedCounterStore(store.rateCounter) }),
  });
  const authenticated = new WeakMap<FastifyRequest, Installation>();
  /** A deletion asked again with the token of an installation already deleted: the receipt it got the first time. */
  const deletedBefore = new WeakMap<FastifyRequest, { receipt: DeletionReceipt; key: string }>();
  const limiter = (max: number, windowSeconds: number, key: (request: FastifyRequest) => string) => {
    const check = app.createRateLimit({ max, timeWindow: windowSeconds * 1000, keyGenerator: key });
    return async (request: FastifyRequest, reply: FastifyReply) => {
      const result = await check(request);
      if (!result.isAllowed && result.isExceeded) {
        const seconds = Math.max(1, result.ttlInSeconds);
        reply.header('retry-after', String(seconds));
        throw new ApiProblem(429, 'rate-limited', `too many requests; retry after ${seconds} s`);
      }
    };
  };
  app.addHook(
    'onRequest',
    limiter(limits.perIp, limits.windowSeconds, (request) => `ip:${normalizeIP(request.ip)}`),
  );
  const limitInstallation = limiter(limits.perInstallation, limits.windowSeconds, (request) => {
    const installation = authenticated.get(request);
    return installation ? `installation:${installation.id}` : `deleted:${deletedBefore.get(request)?.key ?? ''}`;
  });
  const limitRegistrations = limiter(
    limits.registrationsPerIp,
    limits.registrationWindowSeconds,
    (request) => `registration:${normalizeIP(request.ip)}`,
  );

  const tokenHashOf = (request: FastifyRequest): Buffer | undefined => {
    const token = bearer.exec(request.headers.authorization ?? '')?.[1];
    return token === undefined ? undefined : hashToken(token);
  };
  const unauthorized = () => new ApiProblem(401, 'unauthorized', 'a valid "Authorization: Bearer <token>" is required');
  /** Runs before the body is read, so an unauthenticated client cannot make the server parse a megabyte. */
  const authenticate = async (request: FastifyRequest) => {
    const tokenHash = tokenHashOf(request);
    const installation = tokenHash && (await store.findByTokenHash(tokenHash));
    if (!installation) throw unauthorized();
    authenticated.set(request, installation);
  };
  /** As `authenticate`, and also lets through the token of a deleted installation, to answer its receipt again. */
  const authenticateDeletion = async (request: FastifyRequest) => {
    const tokenHash = tokenHashOf(request);
    const installation = tokenHash && (await store.findByTokenHash(tokenHash));
    if (installation) {
      authenticated.set(request, installation);
      return;
    }
    const receipt = tokenHash && (await store.findReceipt(tokenHash));
    if (!tokenHash || !receipt) throw unauthorized();
    deletedBefore.set(request, { receipt, key: tokenHash.toString('hex') });
  };
  const installationOf = (request: FastifyRequest): Installation => {
    const installation = authenticated.get(request);
    // Only a route registered without `authenticate` gets here: a bug, answered 500 rather than passed off as a 401.
    if (!installation) throw new Error(`${request.routeOptions.url} runs without authentication`);
    return installation;
  };
  const gone = () => new ApiProblem(401, 'unauthorized', 'this installation has been deleted');
  /** Creating an installation takes no input; a body is a client bug, or someone probing. */
  const refuseBody = async (request: FastifyRequest) => {
    const length = request.headers['content-length'];
    if (request.headers['transfer-encoding'] !== undefined || (length !== undefined && Number(length) > 0)) {
      throw new ApiProblem(400, 'bad-request', 'POST /v1/installations takes no body');
    }
  };

  app.get('/healthz', async () => {
    await store.ping();
    return { ok: true };
  });

  const announcedLimits: UploadLimits = {
    maxBodyBytes: bodyLimit,
    maxDecodedBytes: decodedBodyLimit,
    uploadVersions: { oldest: oldestAcceptedUploadVersion, newest: uploadSchemaVersion },
  };
  app.get('/v1/limits', async (): Promise<UploadLimits> => announcedLimits);

  app.post('/v1/installations', { onRequest: [limitRegistrations, refuseBody] }, async (_request, reply) => {
    const token = randomBytes(32).toString('base64url');
    const uninstallCode = randomBytes(32).toString('base64url');
    const created: InstallationCreated = { installationId: randomUUID(), token, uninstallCode };
    await store.createInstallation(
      created.installationId,
      hashToken(token),
      hashToken(uninstallCode),
      now().toISOString(),
    );
    return reply.code(201).send(created);
  });

  // The weekly aggregate report: public and cacheable. Computed at the first request after the week ended everywhere
  // (a day after its Sunday, for the time zones ahead of UTC) and frozen: every later request gets the same report,
  // so asking again reveals nothing more, and an installation deleted before publication is not in it.
  const reportSettings = {
    k: Math.max(minimumReportK, options.reports?.k ?? defaultReportK),
    epsilon: options.reports?.epsilon ?? defaultReportEpsilon,
    random: options.reports?.random ?? cryptoRandom,
  };
  app.get<{ Params: { week: string } }>('/v1/reports/weekly/:week', async (request, reply) => {
    const week = request.params.week;
    const dates = datesOfReportWeek(week);
    if (!dates) throw new ApiProblem(400, 'bad-request', 'the week must be an ISO week such as 2026-W48');
    const publishedFrom = aggregateReportPublishedFrom(dates);
    if (now().toISOString() < publishedFrom) {
      throw new ApiProblem(404, 'not-found', `the report of ${week} is published from ${publishedFrom}`);
    }
    let report = await store.findReport(week);
    if (report === undefined) {
      const computed = await computeReportOf(store, week, dates, {
        ...reportSettings,
        publishedAt: now().toISOString(),
      });
      report = await store.publishReport(week, JSON.stringify(computed), computed.publishedAt);
    }
    return reply
      .header('cache-control', 'public, max-age=86400, immutable')
      .type('application/json; charset=utf-8')
      .send(report);
  });

  // The browser opens the extension's uninstall URL in a tab after the extension is removed: the fallback that deletes
  // everything when the extension had no chance to send its deletion request. It answers a page a person reads. The
  // tombstone it leaves answers a deletion the extension still manages to send with the receipt.
  app.get<{ Params: { code: string } }>('/v1/uninstalled/:code', async (request, reply) => {
    const valid = /^[A-Za-z0-9_-]{32,128}$/.test(request.params.code);
    const deleted = valid && (await store.deleteByUninstallHash(hashToken(request.params.code), now().toISOString()));
    const message = deleted
      ? 'smartTags is uninstalled, and everything this server held for it has been deleted.'
      : 'smartTags is uninstalled. This server holds nothing for it (it was already deleted, or never sent).';
    return reply
      .code(deleted ? 200 : 404)
      .type('text/html; charset=utf-8')
      .send(`<!doctype html><html lang="en"><meta charset="utf-8"><title>smartTags</title><p>${message}</p></html>`);
  });

  const accepted = (
    batch: UploadBatch,
    outcome: Extract<StoreOutcome, { kind: 'stored' | 'duplicate' }>,
  ): UploadAccepted => ({
    accepted: outcome.accepted,
    duplicate: outcome.kind === 'duplicate',
    // Version 1 clients know nothing of revisions; from version 2 on the answer says how many days were stale.
    ...(batch.schemaVersion >= 2 && { stale: outcome.stale }),
  });

  app.post(
    '/v1/uploads',
    { onRequest: [authenticate, limitInstallation] },
    async (request): Promise<UploadAccepted> => {
      const installation = installationOf(request);
      const key = batchId.safeParse(request.headers['idempotency-key']);
      if (!key.success) {
        throw new ApiProblem(
          400,
          'bad-request',
          'the Idempotency-Key header must be the batch id (8–64 of A-Z a-z 0-9 _ -)',
        );
      }
      const batch = parseBody(uploadBatch, request.body);
      if (batch.batchId !== key.data) {
        throw new ApiProblem(400, 'bad-request', "the Idempotency-Key header must equal the body's batchId");
      }
      const receivedAt = now();
      refuseImplausibleDates(batch, receivedAt);
      // Of the parsed batch rather than the raw bytes, so a retry that differs only in whitespace is still recognised.
      const fingerprint = createHash('sha256').update(JSON.stringify(batch)).digest();
      const outcome = await store.storeBatch(installation, batch, fingerprint, receivedAt.toISOString());
      switch (outcome.kind) {
        case 'stored':
        case 'duplicate':
          return accepted(batch, outcome);
        case 'conflict':
          throw new ApiProblem(
            409,
            'conflict',
            `the batch ${batch.batchId} was received before with different content`,
          );
        case 'gone':
          throw gone();
      }
    },
  );

  app.get('/v1/installations/me/data', { onRequest: [authenticate, limitInstallation] }, async (request) => {
    const data = await store.read(installationOf(request));
    if (!data) throw gone();
    return data;
  });

  app.delete(
    '/v1/installations/me',
    { onRequest: [authenticateDeletion, limitInstallation] },
    async (request): Promise<DeletionReceipt> => {
      // Asked again after the first answer was lost: the same receipt, so the client can confirm the deletion.
      const earlier = deletedBefore.get(request);
      if (earlier) return earlier.receipt;
      const receipt = await store.delete(installationOf(request), now().toISOString());
      if (!receipt) throw gone();
      return receipt;
    },
  );

  return app;
}

export type App = Awaited<ReturnType<typeof buildApp>>;
