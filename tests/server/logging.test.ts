import { Writable } from 'node:stream';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { bearer, createInstallation, makeBatch, makeDay, readData, startServer, upload } from './helpers';

/** Collects what the server logs, line by line. */
function captureLog() {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, callback) {
      chunks.push(String(chunk));
      callback();
    },
  });
  return { stream, text: () => chunks.join('') };
}

describe('request logging', () => {
  it('logs method, route, status and duration, and never a token, a header or a payload', async () => {
    const log = captureLog();
    const server = await startServer({ log: log.stream, rateLimits: { perInstallation: 5 } });
    const { app } = server;
    const marker = 'zqxjmarkertag';
    try {
      const { installationId, token } = await createInstallation(app);
      const day = makeDay('2026-11-24', 600_000, { hashtags: { seen: { [marker]: 1 }, used: {} } });
      const batch = makeBatch([day]);
      expect((await upload(app, token, batch)).statusCode).toBe(200);
      expect((await upload(app, token, { ...batch, days: 'not days' })).statusCode).toBe(400);
      expect((await upload(app, token, `{"${marker}": `)).statusCode).toBe(400);
      expect((await readData(app, token)).statusCode).toBe(200);
      expect((await app.inject({ method: 'GET', url: `/${marker}`, headers: bearer(token) })).statusCode).toBe(404);
      const deletion = await app.inject({ method: 'DELETE', url: '/v1/installations/me', headers: bearer(token) });
      expect(deletion.statusCode).toBe(200);
      expect((await readData(app, token)).statusCode).toBe(401);
      const other = await createInstallation(app);
      for (let index = 0; index < 5; index += 1) await readData(app, other.token);
      expect((await readData(app, other.token)).statusCode).toBe(429);

      const text = log.text();
      for (const secret of [token, token.slice(0, 16), other.token, marker, installationId, batch.batchId]) {
        expect(text).not.toContain(secret);
      }
      expect(text.toLowerCase()).not.toMatch(/authorization|bearer|idempotency|cookie|user-agent|remoteaddress/);

      const lines = text
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line));
      expect(lines.map((line) => [line.method, line.route, line.status])).toEqual([
        ['POST', '/v1/installations', 201],
        ['POST', '/v1/uploads', 200],
        ['POST', '/v1/uploads', 400],
        ['POST', '/v1/uploads', 400],
        ['GET', '/v1/installations/me/data', 200],
        ['GET', '(no route)', 404],
        ['DELETE', '/v1/installations/me', 200],
        ['GET', '/v1/installations/me/data', 401],
        ['POST', '/v1/installations', 201],
        ...Array.from({ length: 5 }, () => ['GET', '/v1/installations/me/data', 200]),
        ['GET', '/v1/installations/me/data', 429],
      ]);
      for (const line of lines) {
        expect(Object.keys(line).sort()).toEqual(
          ['hostname', 'level', 'method', 'ms', 'msg', 'pid', 'reqId', 'route', 'status', 'time'].sort(),
        );
        expect(typeof line.ms).toBe('number');
      }
    } finally {
      await server.close();
    }
  });
});

describe('internal errors', () => {
  it('answers 500 "internal", logs the error without the request, and rolls the upload back', async () => {
    const log = captureLog();
    const server = await startServer({ log: log.stream });
    try {
      const { token } = await createInstallation(server.app);
      // Break the database under the running server: the batch row is written, then the day insert fails.
      const db = new Database(server.databasePath);
      db.exec('DROP TABLE days');
      db.close();
      const marker = 'zqxjinternaltag';
      const day = makeDay('2026-11-24', 600_000, { hashtags: { seen: { [marker]: 1 }, used: {} } });
      const response = await upload(server.app, token, makeBatch([day]));
      expect(response.statusCode).toBe(500);
      expect(response.json()).toEqual({ error: { code: 'internal', message: 'internal error' } });

      const check = new Database(server.databasePath, { readonly: true });
      expect(check.prepare('SELECT count(*) AS n FROM batches').get()).toEqual({ n: 0 });
      check.close();
      const text = log.text();
      expect(text).toContain('no such table: days');
      expect(text).not.toContain(token);
      expect(text).not.toContain(marker);
      expect(text.toLowerCase()).not.toContain('authorization');
    } finally {
      await server.close();
    }
  });
});
