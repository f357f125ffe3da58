/**
 * The reference ingest server's HTTP surface (fastify). `buildApp` returns the instance without listening, so tests
 * drive it with `app.inject()`; server/main.ts listens. The request and response shapes are the zod schemas of
 * src/shared/upload.ts, the same ones the extension builds its uploads with.
 *
 * Order of checks on an authenticated route: per-IP rate limit, token, per-installation rate limit (all before the body
 * is read), then body size and content type (fastify's parser), then shape.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import rateLimit, { normalizeIP } from '@fastify/rate-limit';
import Fastify, { type FastifyError, type FastifyReply, type FastifyRequest, LogController } from 'fastify';
import {
  type ApiError,
  batchId,
  type DeletionReceipt,
  type InstallationCreated,
  type UploadAccepted,
  uploadBatch,
} from '../src/shared/upload';
import type { z } from '../src/shared/zod';
import { defaultBodyLimit, defaultRateLimits, type RateLimits } from './config';
import { type Installation, openStore } from './store';

export interface AppOptions {
  databasePath: string;
  bodyLimit?: number;
  rateLimits?: Partial<RateLimits>;
  tls?: { cert: Buffer; key: Buffer };
  /** Where to write one line per request (method, route, status, duration); no logging when absent. */
  log?: NodeJS.WritableStream;
}

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
function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  const described = issues.slice(0, 3).map((issue) => {
    const message = issue.message.length > 120 ? `${issue.message.slice(0, 120)}…` : issue.message;
    return `body${issue.path.map(pathPart).join('')}: ${message}`;
  });
  const more = issues.length > 3 ? ` (and ${issues.length - 3} more)` : '';
  return `${described.join('; ')}${more}`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Paths of fields in `input` that parsing left out of `output`. The contract's objects strip unknown keys; the server
 * refuses them instead, so a client that drifts from the contract (or tries to slip in, say, a username) hears about it
 * rather than having data silently dropped.
 */
function unknownFields(input: unknown, output: unknown, path = 'body', found: string[] = []): string[] {
  if (Array.isArray(input) && Array.isArray(output)) {
    input.forEach((item, index) => {
      unknownFields(item, output[index], `${path}${pathPart(index)}`, found);
    });
  } else if (isPlainObject(input) && isPlainObject(output)) {
    for (const key of Object.keys(input)) {
      if (Object.hasOwn(output, key)) unknownFields(input[key], output[key], `${path}${pathPart(key)}`, found);
      else found.push(`${path}${pathPart(key)}`);
    }
  }
  return found;
}

function parseBody<Schema extends z.ZodType>(schema: Schema, body: unknown): z.output<Schema> {
  const result = schema.safeParse(body);
  if (!result.success) throw new ApiProblem(400, 'bad-request', describeIssues(result.error.issues));
  const unknown = unknownFields(body, result.data);
  if (unknown.length > 0) {
    const listed = unknown.slice(0, 3).join(', ') + (unknown.length > 3 ? ` (and ${unknown.length - 3} more)` : '');
    throw new ApiProblem(400, 'bad-request', `unknown field${unknown.length > 1 ? 's' : ''}: ${listed}`);
  }
  return result.data;
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

export async function buildApp(options: AppOptions) {
  const bodyLimit = options.bodyLimit ?? defaultBodyLimit;
  const limits = { ...defaultRateLimits, ...options.rateLimits };
  const store = openStore(options.databasePath);

  const app = Fastify({
    bodyLimit,
    // Slow clients (slowloris) cannot hold a connection open for the default five minutes.
    requestTimeout: 30_000,
    ...(options.log && { logger: { level: 'info', stream: options.log }, logController: new RequestLineLogger() }),
    // A URL the router cannot decode (`/%zz`) is answered here, before any route or error handler runs.
    frameworkErrors: (_error, _request, reply) => sendBadUrl(reply),
    // null serves plain HTTP; fastify's https typing covers both.
    https: options.tls ?? null,
  });
  app.addHook('onClose', async () => store.close());
  // JSON only: without this, fastify would hand a text/plain body to the schema as a string instead of answering 415.
  app.removeContentTypeParser('text/plain');

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

  // Answers hold personal data or secrets: no cache on the way may keep them.
  app.addHook('onSend', async (_request, reply) => {
    reply.header('cache-control', 'no-store');
  });

  // The plugin supplies the counters (a fixed window per key, in memory); the two limits are applied by hand because
  // the plugin's own hooks run at most once per request, and a request is counted both by IP and by installation.
  await app.register(rateLimit, { global: false, cache: 100_000 });
  const authenticated = new WeakMap<FastifyRequest, Installation>();
  const limiter = (max: number, key: (request: FastifyRequest) => string) => {
    const check = app.createRateLimit({ max, timeWindow: limits.windowSeconds * 1000, keyGenerator: key });
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
    limiter(limits.perIp, (request) => `ip:${normalizeIP(request.ip)}`),
  );
  const limitInstallation = limiter(limits.perInstallation, (request) => {
    const installation = authenticated.get(request);
    return `installation:${installation?.id ?? ''}`;
  });

  /** Runs before the body is read, so an unauthenticated client cannot make the server parse a megabyte. */
  const authenticate = async (request: FastifyRequest) => {
    const token = bearer.exec(request.headers.authorization ?? '')?.[1];
    const installation = token === undefined ? undefined : store.findByTokenHash(hashToken(token));
    if (!installation) throw new ApiProblem(401, 'unauthorized', 'a valid "Authorization: Bearer <token>" is required');
    authenticated.set(request, installation);
  };
  const installationOf = (request: FastifyRequest): Installation => {
    const installation = authenticated.get(request);
    // Only a route registered without `authenticate` gets here: a bug, answered 500 rather than passed off as a 401.
    if (!installation) throw new Error(`${request.routeOptions.url} runs without authentication`);
    return installation;
  };
  const gone = () => new ApiProblem(401, 'unauthorized', 'this installation has been deleted');
  const onAuthenticatedRequest = [authenticate, limitInstallation];

  app.get('/healthz', async () => {
    store.ping();
    return { ok: true };
  });

  // Any body is ignored: creating an installation takes no input.
  app.post('/v1/installations', async (_request, reply) => {
    const token = randomBytes(32).toString('base64url');
    const uninstallCode = randomBytes(32).toString('base64url');
    const created: InstallationCreated = { installationId: randomUUID(), token, uninstallCode };
    store.createInstallation(
      created.installationId,
      hashToken(token),
      hashToken(uninstallCode),
      new Date().toISOString(),
    );
    return reply.code(201).send(created);
  });

  // The browser opens the extension's uninstall URL in a tab after the extension is removed: the fallback that deletes
  // everything when the extension had no chance to send its deletion request. It answers a page a person reads.
  app.get<{ Params: { code: string } }>('/v1/uninstalled/:code', async (request, reply) => {
    const valid = /^[A-Za-z0-9_-]{32,128}$/.test(request.params.code);
    const deleted = valid && store.deleteByUninstallHash(hashToken(request.params.code));
    const message = deleted
      ? 'smartTags is uninstalled, and everything this server held for it has been deleted.'
      : 'smartTags is uninstalled. This server holds nothing for it (it was already deleted, or never sent).';
    return reply
      .code(deleted ? 200 : 404)
      .type('text/html; charset=utf-8')
      .send(`<!doctype html><html lang="en"><meta charset="utf-8"><title>smartTags</title><p>${message}</p></html>`);
  });

  app.post('/v1/uploads', { onRequest: onAuthenticatedRequest }, async (request): Promise<UploadAccepted> => {
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
    // Of the parsed batch rather than the raw bytes, so a retry that differs only in whitespace is still recognised.
    const fingerprint = createHash('sha256').update(JSON.stringify(batch)).digest();
    const outcome = store.storeBatch(installation, batch, fingerprint, new Date().toISOString());
    switch (outcome.kind) {
      case 'stored':
        return { accepted: outcome.accepted, duplicate: false };
      case 'duplicate':
        return { accepted: outcome.accepted, duplicate: true };
      case 'conflict':
        throw new ApiProblem(409, 'conflict', `the batch ${batch.batchId} was received before with different content`);
      case 'gone':
        throw gone();
    }
  });

  app.get('/v1/installations/me/data', { onRequest: onAuthenticatedRequest }, async (request) => {
    const data = store.read(installationOf(request));
    if (!data) throw gone();
    return data;
  });

  app.delete(
    '/v1/installations/me',
    { onRequest: onAuthenticatedRequest },
    async (request): Promise<DeletionReceipt> => {
      if (!store.delete(installationOf(request))) throw gone();
      return { deletedAt: new Date().toISOString(), receiptId: randomUUID() };
    },
  );

  return app;
}

export type App = Awaited<ReturnType<typeof buildApp>>;
