/**
 * The OpenAPI 3.1 description of the upload API, built from the zod schemas of src/shared/contracts/upload.ts, so the document
 * cannot say something the server does not check. `npm run openapi` writes it to docs/openapi.json; a test fails when
 * the committed file differs from what the schemas generate.
 *
 * Request bodies are described as the client sends them (zod's "input": defaults may be left out); responses as the
 * server sends them ("output"). zod states what happens to a field a schema does not name: the contract's open objects
 * (the batch, a day, a deletion receipt, the limits) allow any (`additionalProperties: {}`), because the server keeps
 * such fields; a closed object in a request allows them too, but they are dropped; a closed object in a response
 * never has one (`additionalProperties: false`). Refinements zod cannot express in JSON Schema (calendar dates, IANA
 * time zones, one day per date, scope prerequisites, revisions from version 2 on, dates at most a day ahead) are stated
 * in the descriptions.
 */

import { weeklyAggregateReport } from '../src/shared/contracts/aggregateReport';
import {
  apiError,
  batchId,
  bodyLimitHeader,
  deletionReceipt,
  installationCreated,
  installationData,
  oldestAcceptedUploadVersion,
  uploadAccepted,
  uploadBatch,
  uploadLimits,
  uploadSchemaVersion,
} from '../src/shared/contracts/upload';
import { z } from '../src/shared/zod';

type JsonSchema = Record<string, unknown>;

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io });
  return rest;
}

const health = z.object({ ok: z.literal(true) });

const reference = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: JsonSchema) => ({ content: { 'application/json': { schema } } });
const errorResponse = (description: string) => ({ description, ...json(reference('ApiError')) });
const bodyLimit = {
  description: 'The largest body the server reads, in bytes on the wire (`maxBodyBytes`). On every answer.',
  schema: { type: 'integer', minimum: 1 },
};
/** The error answers shared by several operations, with their status. */
const errors = {
  BadRequest: {
    status: 400,
    response: errorResponse(
      'The body or a header is malformed: invalid JSON, a forbidden `__proto__` key, a corrupt gzip stream, wrong ' +
        'types, or a rule broken (see the operation); the message names the first problems. Fields the contract does ' +
        'not know are not a reason: they are kept.',
    ),
  },
  Unauthorized: {
    status: 401,
    response: errorResponse(
      'The bearer token is missing, malformed or unknown — including after the installation was deleted.',
    ),
  },
  PayloadTooLarge: {
    status: 413,
    response: {
      ...errorResponse(
        'The body is over `maxBodyBytes` on the wire (1 MiB by default), or over `maxDecodedBytes` once ' +
          'decompressed (4 MiB by default); `GET /v1/limits` says both. Send fewer days per batch. The server reads ' +
          'an oversized body to its end before answering (up to 16 times the limit, then it closes the connection).',
      ),
      headers: { [bodyLimitHeader]: bodyLimit },
    },
  },
  UnsupportedMediaType: {
    status: 415,
    response: errorResponse(
      'The body is not `application/json`, or its `Content-Encoding` is neither `gzip` nor `identity`.',
    ),
  },
  RateLimited: {
    status: 429,
    response: {
      ...errorResponse('Too many requests from this IP address or with this token; wait `Retry-After` seconds.'),
      headers: { 'Retry-After': { description: 'Seconds to wait.', schema: { type: 'integer', minimum: 1 } } },
    },
  },
};
type ErrorName = keyof typeof errors;
const errorRefs = (...names: ErrorName[]) =>
  Object.fromEntries(names.map((name) => [errors[name].status, { $ref: `#/components/responses/${name}` }]));

export function openApiDocument(): JsonSchema {
  return {
    openapi: '3.1.0',
    info: {
      title: 'smartTags upload API',
      version: String(uploadSchemaVersion),
      description:
        'What the smartTags extension uploads, with the person’s consent, to a backend they configure; implemented by ' +
        'the reference server in server/ (docs/SERVER.md). Generated from src/shared/contracts/upload.ts by `npm run openapi`. ' +
        `The server accepts upload contract versions ${oldestAcceptedUploadVersion} to ${uploadSchemaVersion} ` +
        '(at least the current one and the one before). Every answer carries `X-SmartTags-Body-Limit`.',
    },
    servers: [{ url: 'http://127.0.0.1:8787', description: 'the reference server with its defaults' }],
    paths: {
      '/healthz': {
        get: {
          summary: 'Liveness: the server answers and its database is readable',
          responses: { 200: { description: 'Healthy.', ...json(jsonSchema(health, 'output')) } },
        },
      },
      '/v1/limits': {
        get: {
          summary: 'How large an upload may be, and which contract versions the server accepts (no token)',
          responses: {
            200: {
              description: 'The limits.',
              headers: { [bodyLimitHeader]: bodyLimit },
              ...json(reference('UploadLimits')),
            },
          },
        },
      },
      '/v1/installations': {
        post: {
          summary: 'Register an installation (no body)',
          description:
            'Returns a random id and two secrets, a token and an uninstall code; the server keeps only their SHA-256. ' +
            'A body (`Content-Length` over 0, or chunked) is refused. Registrations have their own per-IP limit (20 an ' +
            'hour by default). An installation that uploads nothing within 24 hours (by default) is deleted, leaving a ' +
            'tombstone for 30 days: its token then gets 401, except that a deletion gets a receipt.',
          responses: {
            201: { description: 'Created.', ...json(reference('InstallationCreated')) },
            400: errorResponse('The request has a body.'),
            ...errorRefs('RateLimited'),
          },
        },
      },
      '/v1/uploads': {
        post: {
          summary: 'Upload a batch of days (and, with the uploadAccount scope, account snapshots)',
          description:
            'Idempotent by batch id: the same batch again changes nothing and answers `duplicate: true` with the counts ' +
            'of the first time; the same batch id with different content is refused (409). A day is kept per date at ' +
            'its highest `revision` (version-1 days count as revision 0): a day with a lower revision than the stored ' +
            'one is not stored and is counted in `stale` (version-2 answers only). A snapshot is kept per username and ' +
            'date, the one with the latest `observedAt`. The batch applies fully or not at all. Fields the contract ' +
            'does not name are kept in the batch and its days, and given back by GET /v1/installations/me/data. Rules ' +
            'beyond the schema: `scopes.uploadUsage` must be true and every granted scope needs its prerequisites ' +
            '(uploadUsage needs usage; uploadAccount needs account and uploadUsage); `accounts` only when ' +
            '`scopes.uploadAccount` is true; each date once; from version 2 on every day has a `revision`; dates are ' +
            'calendar dates (YYYY-MM-DD) at most one day after the server’s UTC date; time zones are IANA names. The ' +
            'body may be gzip-compressed (`Content-Encoding: gzip`).',
          security: [{ bearer: [] }],
          parameters: [
            {
              name: 'Idempotency-Key',
              in: 'header',
              required: true,
              description: 'The batch id; must equal the body’s `batchId`.',
              schema: jsonSchema(batchId, 'input'),
            },
            {
              name: 'Content-Encoding',
              in: 'header',
              required: false,
              description: '`gzip` for a compressed body; absent or `identity` for plain JSON.',
              schema: { type: 'string', enum: ['gzip', 'identity'] },
            },
          ],
          requestBody: { required: true, ...json(reference('UploadBatch')) },
          responses: {
            200: {
              description: 'Stored (each day at its highest revision), or recognised as a replay.',
              ...json(reference('UploadAccepted')),
            },
            409: errorResponse('This batch id was received before with different content; nothing changed.'),
            ...errorRefs('BadRequest', 'Unauthorized', 'PayloadTooLarge', 'UnsupportedMediaType', 'RateLimited'),
          },
        },
      },
      '/v1/installations/me/data': {
        get: {
          summary: 'Everything stored for this installation (right of access)',
          security: [{ bearer: [] }],
          responses: {
            200: { description: 'The stored data.', ...json(reference('InstallationData')) },
            ...errorRefs('Unauthorized', 'RateLimited'),
          },
        },
      },
      '/v1/uninstalled/{code}': {
        get: {
          summary: 'Delete an installation by its uninstall code (the extension’s uninstall URL)',
          description:
            'Opened by the browser after the extension is removed. Deletes everything stored for the installation ' +
            'whose uninstall code this is, and answers an HTML page: 200 when something was deleted, 404 when nothing ' +
            'is held for the code (already deleted). Leaves a tombstone, so a DELETE /v1/installations/me still sent ' +
            'with the token gets the receipt.',
          parameters: [{ name: 'code', in: 'path', required: true, schema: { type: 'string' } }],
          responses: {
            200: { description: 'Deleted (an HTML page).' },
            404: { description: 'Nothing held for this code (an HTML page).' },
          },
        },
      },
      '/v1/reports/weekly/{week}': {
        get: {
          summary: 'The weekly aggregate report of an ISO week (public, no token)',
          description:
            'Figures over the installations that uploaded days of that week: per cohort (all, country, device type, ' +
            'browser) the quartiles of minutes a day per surface and of views a day, and the hashtags seen by most ' +
            'installations and the rising ones. A cohort or a hashtag is published only when at least k (20 by ' +
            'default, never under 10) installations contribute; counts carry geometric noise for a privacy budget ' +
            'of ε per installation per week (1 by default), both stated in the report (docs/AGGREGATES.md). ' +
            'Published from the second day after the week’s Sunday (UTC), computed at the first request and frozen: ' +
            'every later request gets the same report, cacheable (`Cache-Control: public, immutable`).',
          parameters: [{ name: 'week', in: 'path', required: true, schema: { type: 'string', example: '2026-W48' } }],
          responses: {
            200: { description: 'The published report.', ...json(reference('WeeklyAggregateReport')) },
            400: errorResponse('Not an ISO week.'),
            404: errorResponse('Not published yet: the week is not over everywhere.'),
          },
        },
      },
      '/v1/installations/me': {
        delete: {
          summary: 'Delete this installation and everything stored for it',
          description:
            'Answers a receipt with how many days, account snapshots and batches were deleted. The server keeps a ' +
            'tombstone (the SHA-256 of the token and the receipt, nothing else), so a repeated deletion with the same ' +
            'token (the first answer was lost) gets 200 with the same receipt; uploads and reads with the token get ' +
            '401. A token the server never knew gets 401.',
          security: [{ bearer: [] }],
          responses: {
            200: { description: 'Deleted now, or earlier (the same receipt).', ...json(reference('DeletionReceipt')) },
            ...errorRefs('Unauthorized', 'RateLimited'),
          },
        },
      },
    },
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'The token from POST /v1/installations.' },
      },
      responses: Object.fromEntries(Object.entries(errors).map(([name, error]) => [name, error.response])),
      schemas: {
        UploadBatch: jsonSchema(uploadBatch, 'input'),
        InstallationCreated: jsonSchema(installationCreated, 'output'),
        UploadAccepted: jsonSchema(uploadAccepted, 'output'),
        UploadLimits: jsonSchema(uploadLimits, 'output'),
        DeletionReceipt: jsonSchema(deletionReceipt, 'output'),
        InstallationData: jsonSchema(installationData, 'output'),
        ApiError: jsonSchema(apiError, 'output'),
        WeeklyAggregateReport: jsonSchema(weeklyAggregateReport, 'output'),
      },
    },
  };
}
