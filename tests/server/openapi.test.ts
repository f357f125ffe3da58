import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openApiDocument } from '../../server/openapi-document';

interface JsonObject {
  additionalProperties?: unknown;
  items?: JsonObject;
}

describe('docs/openapi.json', () => {
  it('is what the zod schemas generate (run `npm run openapi` after changing src/shared/contracts/upload.ts)', () => {
    const committed = JSON.parse(readFileSync(new URL('../../docs/openapi.json', import.meta.url), 'utf8'));
    expect(committed).toEqual(JSON.parse(JSON.stringify(openApiDocument())));
  });

  it('leaves the objects whose unknown fields the server keeps open, and closes the others in responses', () => {
    const schemas = (openApiDocument().components as { schemas: Record<string, Record<string, unknown>> }).schemas;
    const batch = schemas.UploadBatch as { additionalProperties: unknown; properties: Record<string, JsonObject> };
    expect(batch.additionalProperties).toEqual({});
    expect(batch.properties.days?.items?.additionalProperties).toEqual({});
    // The environment is open too: a newer extension's extra facts are kept.
    expect(batch.properties.environment?.additionalProperties).toEqual({});
    expect(schemas.DeletionReceipt?.additionalProperties).toEqual({});
    expect(schemas.UploadAccepted?.additionalProperties).toBe(false);
  });

  it('describes every route the server answers, with its error statuses', () => {
    const paths = openApiDocument().paths as Record<string, Record<string, { responses: Record<string, unknown> }>>;
    const statuses = Object.fromEntries(
      Object.entries(paths).flatMap(([path, operations]) =>
        Object.entries(operations).map(([method, operation]) => [
          `${method.toUpperCase()} ${path}`,
          Object.keys(operation.responses).sort(),
        ]),
      ),
    );
    expect(statuses).toEqual({
      'GET /healthz': ['200'],
      'GET /v1/limits': ['200'],
      'POST /v1/installations': ['201', '400', '429'],
      'POST /v1/uploads': ['200', '400', '401', '409', '413', '415', '429'],
      'GET /v1/installations/me/data': ['200', '401', '429'],
      'DELETE /v1/installations/me': ['200', '401', '429'],
      'GET /v1/uninstalled/{code}': ['200', '404'],
      'GET /v1/reports/weekly/{week}': ['200', '400', '404'],
    });
  });
});
