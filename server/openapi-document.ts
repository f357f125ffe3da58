/**
 * The OpenAPI 3.1 description of the upload API, built from the zod schemas of src/shared/upload.ts, so the document
 * cannot say something the server does not check. `npm run openapi` writes it to docs/openapi.json; a test fails when
 * the committed file differs from what the schemas generate.
 *
 * Request bodies are described as the client sends them (zod's "input": defaults may be left out); responses as the
 * server sends them ("output"). Objects get `additionalProperties: false` because the server refuses unknown fields.
 * Refinements zod cannot express in JSON Schema (calendar dates, IANA time zones, one day per date, `accounts` only with
 * the `uploadAccount` scope) are stated in the descriptions.
 */
import {
  apiError,
  batchId,
  deletionReceipt,
  installationCreated,
  installationData,
  uploadAccepted,
  uploadBatch,
  uploadSchemaVersion,
} from '../src/shared/upload';
import { z } from '../src/shared/zod';

type JsonSchema = Record<string, unknown>;

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
    io,
    override: (context) => {
      if (context.zodSchema._zod.def.type === 'object') context.jsonSchema.additionalProperties = false;
    },
  });
  return rest;
}

const health = z.object({ ok: z.literal(true) });

const reference = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: JsonSchema) => ({ content: { 'application/json': { schema } } });
const errorResponse = (description: string) => ({ description, ...json(reference('ApiError')) });
/** The error answers shared by several operations, with their status. */
const errors = {
  BadRequest: {
    status: 400,
    response: errorResponse(
      'The body or a header is malformed: invalid JSON, a forbidden `__proto__` key, wrong types, unknown fields, or ' +
        'a schema rule broken; the message names the first problems.',
    ),
  },
  Unauthorized: {
    status: 401,
    response: errorResponse(
      'The bearer token is missing, malformed or unknown — including after the installation was deleted. A client ' +
        'retrying a deletion treats 401 as "already deleted".',
    ),
  },
  PayloadTooLarge: {
    status: 413,
    response: errorResponse('The body is over the server’s limit (1 MB by default): send fewer days per batch.'),
  },
  UnsupportedMediaType: { status: 415, response: errorResponse('The body is not `application/json`.') },
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
        'the reference server in server/ (docs/SERVER.md). Generated from src/shared/upload.ts by `npm run openapi`.',
    },
    servers: [{ url: 'http://127.0.0.1:8787', description: 'the reference server with its defaults' }],
    paths: {
      '/healthz': {
        get: {
          summary: 'Liveness: the server answers and its database is readable',
          responses: { 200: { description: 'Healthy.', ...json(jsonSchema(health, 'output')) } },
        },
      },
      '/v1/installations': {
        post: {
          summary: 'Register an installation (no body)',
          description: 'Returns a random id and a secret token; the server keeps only the token’s SHA-256.',
          responses: {
            201: { description: 'Created.', ...json(reference('InstallationCreated')) },
            ...errorRefs('RateLimited'),
          },
        },
      },
      '/v1/uploads': {
        post: {
          summary: 'Upload a batch of days (and, with the uploadAccount scope, account snapshots)',
          description:
            'Idempotent by batch id: the same batch again changes nothing and answers `duplicate: true`; the same batch ' +
            'id with different content is refused (409). A day (by date) or snapshot (by username and date) sent ' +
            'again in a new batch replaces the stored one. The batch applies fully or not at all. Rules beyond the ' +
            'schema: `scopes.uploadUsage` must be true; `accounts` only when `scopes.uploadAccount` is true; each date ' +
            'once; dates are calendar dates (YYYY-MM-DD) and time zones IANA names.',
          security: [{ bearer: [] }],
          parameters: [
            {
              name: 'Idempotency-Key',
              in: 'header',
              required: true,
              description: 'The batch id; must equal the body’s `batchId`.',
              schema: jsonSchema(batchId, 'input'),
            },
          ],
          requestBody: { required: true, ...json(reference('UploadBatch')) },
          responses: {
            200: { description: 'Stored, or recognised as a replay.', ...json(reference('UploadAccepted')) },
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
            'is held for the code (already deleted).',
          parameters: [{ name: 'code', in: 'path', required: true, schema: { type: 'string' } }],
          responses: {
            200: { description: 'Deleted (an HTML page).' },
            404: { description: 'Nothing held for this code (an HTML page).' },
          },
        },
      },
      '/v1/installations/me': {
        delete: {
          summary: 'Delete this installation and everything stored for it',
          description:
            'Afterwards the token is refused (401). The server keeps no record of the installation, so a retry after ' +
            'a lost answer also gets 401, which the client treats as "already deleted".',
          security: [{ bearer: [] }],
          responses: {
            200: { description: 'Deleted.', ...json(reference('DeletionReceipt')) },
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
        DeletionReceipt: jsonSchema(deletionReceipt, 'output'),
        InstallationData: jsonSchema(installationData, 'output'),
        ApiError: jsonSchema(apiError, 'output'),
      },
    },
  };
}
