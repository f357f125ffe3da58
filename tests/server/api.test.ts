import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app';
import { apiError, deletionReceipt, installationData, uploadAccepted } from '../../src/shared/contracts/upload';
import { describeEachStore } from './databases';
import {
  bearer,
  createInstallation,
  makeBatch,
  makeDay,
  readData,
  startServer,
  type TestServer,
  upload,
} from './helpers';
import { rowsOf } from './inspect';

let server: TestServer;
afterEach(async () => {
  await server.close();
});

function account(username: string, date: string, followers: number) {
  return {
    username,
    snapshots: [
      {
        date,
        observedAt: `${date}T18:00:00.000Z`,
        followers: { value: followers, exact: true },
        following: { value: 450, exact: true },
        posts: null,
      },
    ],
  };
}
const withAccounts = { usage: true, account: true, uploadUsage: true, uploadAccount: true };

describeEachStore('the API', (kind) => {
  beforeEach(async () => {
    server = await startServer({}, kind);
  });

  describe('health and installations', () => {
    it('answers GET /healthz with {ok: true}', async () => {
      const response = await server.app.inject({ method: 'GET', url: '/healthz' });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ ok: true });
    });

    it('creates installations with distinct ids and random base64url tokens', async () => {
      const response = await server.app.inject({ method: 'POST', url: '/v1/installations' });
      expect(response.statusCode).toBe(201);
      expect(response.headers['cache-control']).toBe('no-store');
      const first = response.json();
      const second = await createInstallation(server.app);
      expect(first.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(second.token).not.toBe(first.token);
      expect(second.installationId).not.toBe(first.installationId);
    });

    it('stores the SHA-256 of the token, never the token', async () => {
      const { installationId, token, uninstallCode } = await createInstallation(server.app);
      const rows = await rowsOf(server, 'installations');
      const row = rows.find((candidate) => candidate.id === installationId);
      expect(Buffer.from(row?.token_hash as Uint8Array).equals(createHash('sha256').update(token).digest())).toBe(true);
      expect(JSON.stringify(rows)).not.toContain(token);
      expect(JSON.stringify(rows)).not.toContain(uninstallCode);
      if (kind === 'sqlite') {
        for (const suffix of ['', '-wal']) {
          expect(readFileSync(`${server.database}${suffix}`).includes(token)).toBe(false);
        }
      }
    });
  });

  describe('POST /v1/uploads', () => {
    it('stores a batch and gives it back through the right of access', async () => {
      const { installationId, token } = await createInstallation(server.app);
      const batch = makeBatch([makeDay('2026-11-23'), makeDay('2026-11-24', 900_000)]);
      const response = await upload(server.app, token, batch);
      expect(response.statusCode).toBe(200);
      expect(uploadAccepted.parse(response.json())).toEqual({ accepted: 2, duplicate: false });

      const data = installationData.parse((await readData(server.app, token)).json());
      expect(data.installationId).toBe(installationId);
      expect(data.days.map((day) => [day.date, day.activeMs])).toEqual([
        ['2026-11-23', 600_000],
        ['2026-11-24', 900_000],
      ]);
      const { receivedAt, policyVersion, environment, ...day } = data.days[1] ?? {};
      expect(day).toEqual(makeDay('2026-11-24', 900_000));
      expect(policyVersion).toBe(1);
      expect(environment).toEqual(batch.environment);
      expect(data.batches).toEqual([{ batchId: batch.batchId, receivedAt, days: 2 }]);
      expect(data.accounts).toEqual([]);
    });

    it('answers a replayed batch with duplicate: true and changes nothing', async () => {
      const { token } = await createInstallation(server.app);
      const batch = makeBatch([makeDay('2026-11-24')]);
      await upload(server.app, token, batch);
      const before = (await readData(server.app, token)).json();

      const replay = await upload(server.app, token, batch);
      expect(replay.statusCode).toBe(200);
      expect(replay.json()).toEqual({ accepted: 1, duplicate: true });
      expect((await readData(server.app, token)).json()).toEqual(before);
    });

    it('stores a batch sent several times at once exactly once', async () => {
      const { token } = await createInstallation(server.app);
      const batch = makeBatch([makeDay('2026-11-24')]);
      const answers = await Promise.all(Array.from({ length: 5 }, () => upload(server.app, token, batch)));
      expect(answers.map((answer) => answer.json().duplicate).sort()).toEqual([false, true, true, true, true]);
      expect((await readData(server.app, token)).json().batches).toHaveLength(1);
    });

    it('refuses a batch id reused for different content (409) and keeps the first', async () => {
      const { token } = await createInstallation(server.app);
      const batch = makeBatch([makeDay('2026-11-24')]);
      await upload(server.app, token, batch);
      const before = (await readData(server.app, token)).json();

      const reused = await upload(server.app, token, { ...batch, days: [makeDay('2026-11-24', 1)] });
      expect(reused.statusCode).toBe(409);
      expect(apiError.parse(reused.json()).error.code).toBe('conflict');
      expect((await readData(server.app, token)).json()).toEqual(before);
    });

    it('replaces a day sent again in a new batch', async () => {
      const { token } = await createInstallation(server.app);
      await upload(server.app, token, makeBatch([makeDay('2026-11-23'), makeDay('2026-11-24', 60_000)]));
      const second = makeBatch([makeDay('2026-11-24', 1_200_000)], { policyVersion: 2 });
      expect((await upload(server.app, token, second)).json()).toEqual({ accepted: 1, duplicate: false });

      const data = installationData.parse((await readData(server.app, token)).json());
      expect(data.days.map((day) => [day.date, day.activeMs, day.policyVersion])).toEqual([
        ['2026-11-23', 600_000, 1],
        ['2026-11-24', 1_200_000, 2],
      ]);
      expect(data.batches.map((batch) => batch.days)).toEqual([2, 1]);
    });

    it('stores account snapshots with the uploadAccount scope, one per username and date', async () => {
      const { token } = await createInstallation(server.app);
      const first = makeBatch([], { scopes: withAccounts, accounts: [account('maya.rivers', '2026-11-23', 100)] });
      expect((await upload(server.app, token, first)).json()).toEqual({ accepted: 0, duplicate: false });
      const second = makeBatch([makeDay('2026-11-24')], {
        scopes: withAccounts,
        accounts: [account('maya.rivers', '2026-11-23', 101), account('maya.rivers', '2026-11-24', 102)],
      });
      expect((await upload(server.app, token, second)).statusCode).toBe(200);

      const data = installationData.parse((await readData(server.app, token)).json());
      expect(data.accounts).toHaveLength(1);
      expect(data.accounts[0]?.username).toBe('maya.rivers');
      expect(data.accounts[0]?.snapshots.map((snapshot) => [snapshot.date, snapshot.followers?.value])).toEqual([
        ['2026-11-23', 101],
        ['2026-11-24', 102],
      ]);
      // Usernames live only in accounts: the stored days have no field that could hold one.
      expect(JSON.stringify(data.days)).not.toContain('maya.rivers');
    });

    it('refuses accounts without the uploadAccount scope and stores nothing', async () => {
      const { token } = await createInstallation(server.app);
      const response = await upload(server.app, token, makeBatch([makeDay('2026-11-24')], { accounts: [] }));
      expect(response.statusCode).toBe(400);
      expect(response.json().error.message).toContain('uploadAccount');
      const data = (await readData(server.app, token)).json();
      expect([data.days, data.batches]).toEqual([[], []]);
    });

    // Until upload contract version 2 the server refused a field it did not know (here a day's `username`). Version 2
    // keeps such fields instead, so an extension one version ahead of the server loses nothing; keeping usernames out of
    // days is now the extension's job (src/shared/contracts/upload.ts builds days without one).
    it('keeps a field it does not know in a day instead of refusing it (contract version 2)', async () => {
      const { token } = await createInstallation(server.app);
      const day = { ...makeDay('2026-11-24'), focusMs: 42_000 };
      const response = await upload(server.app, token, makeBatch([day]));
      expect(response.statusCode).toBe(200);
      const data = installationData.parse((await readData(server.app, token)).json());
      expect(data.days[0]?.focusMs).toBe(42_000);
    });

    it.each([
      ['missing', {}],
      ['not a batch id', { 'idempotency-key': 'no spaces allowed' }],
      ['a different batch id', { 'idempotency-key': 'another-batch-id' }],
    ])('refuses an Idempotency-Key that is %s (400)', async (_case, headers) => {
      const { token } = await createInstallation(server.app);
      const batch = makeBatch();
      const response = await server.app.inject({
        method: 'POST',
        url: '/v1/uploads',
        headers: { 'content-type': 'application/json', ...bearer(token), ...headers },
        payload: JSON.stringify(batch),
      });
      expect(response.statusCode).toBe(400);
      expect(apiError.parse(response.json()).error.message).toMatch(/Idempotency-Key/);
      expect((await readData(server.app, token)).json().batches).toEqual([]);
    });
  });

  describe('DELETE /v1/installations/me', () => {
    // Until now a repeated deletion answered 401 like an unknown token; it now answers the first receipt again (the
    // tombstone), because the client confirms a deletion only with a receipt.
    it('deletes everything, answers a receipt with the counts, then refuses the token except to repeat the receipt', async () => {
      const { token, installationId } = await createInstallation(server.app);
      await upload(
        server.app,
        token,
        makeBatch([makeDay('2026-11-23'), makeDay('2026-11-24')], {
          scopes: withAccounts,
          accounts: [account('maya.rivers', '2026-11-24', 100)],
        }),
      );
      await upload(server.app, token, makeBatch([makeDay('2026-11-24', 1)]));
      const response = await server.app.inject({
        method: 'DELETE',
        url: '/v1/installations/me',
        headers: bearer(token),
      });
      expect(response.statusCode).toBe(200);
      const receipt = deletionReceipt.parse(response.json());
      expect(Date.parse(receipt.deletedAt)).toBeLessThanOrEqual(Date.now());
      expect(receipt.deleted).toEqual({ days: 2, accountSnapshots: 1, batches: 2 });

      for (const request of [() => readData(server.app, token), () => upload(server.app, token, makeBatch())]) {
        const refused = await request();
        expect(refused.statusCode).toBe(401);
        expect(refused.headers['www-authenticate']).toBe('Bearer');
        expect(apiError.parse(refused.json()).error.code).toBe('unauthorized');
      }
      // A retry whose first answer was lost: the same receipt.
      const again = await server.app.inject({ method: 'DELETE', url: '/v1/installations/me', headers: bearer(token) });
      expect(again.statusCode).toBe(200);
      expect(again.json()).toEqual(receipt);

      for (const table of ['installations', 'batches', 'days', 'account_snapshots']) {
        expect(await rowsOf(server, table)).toEqual([]);
      }
      // The tombstone: the token's hash and the receipt, nothing that names the installation or holds its data.
      const tombstones = await rowsOf(server, 'tombstones');
      expect(tombstones).toHaveLength(1);
      expect(Object.keys(tombstones[0] ?? {}).sort()).toEqual(['kept_until', 'receipt', 'token_hash']);
      const stored = tombstones[0]?.receipt;
      expect(typeof stored === 'string' ? JSON.parse(stored) : stored).toEqual(receipt);
      expect(JSON.stringify(tombstones)).not.toContain(installationId);
      expect(JSON.stringify(tombstones)).not.toContain('maya.rivers');
    });

    it('still answers 401 to a token it never knew', async () => {
      const { token } = await createInstallation(server.app);
      await server.app.inject({ method: 'DELETE', url: '/v1/installations/me', headers: bearer(token) });
      const unknown = await server.app.inject({
        method: 'DELETE',
        url: '/v1/installations/me',
        headers: bearer(`${token.slice(0, -4)}AAAA`),
      });
      expect(unknown.statusCode).toBe(401);
    });

    it('answers a deletion after the uninstall link with the receipt the link left', async () => {
      const { token, uninstallCode } = await createInstallation(server.app);
      await upload(server.app, token, makeBatch([makeDay('2026-11-24')]));
      const page = await server.app.inject({ method: 'GET', url: `/v1/uninstalled/${uninstallCode}` });
      expect(page.statusCode).toBe(200);
      expect((await readData(server.app, token)).statusCode).toBe(401);

      const response = await server.app.inject({
        method: 'DELETE',
        url: '/v1/installations/me',
        headers: bearer(token),
      });
      expect(response.statusCode).toBe(200);
      expect(deletionReceipt.parse(response.json()).deleted).toEqual({ days: 1, accountSnapshots: 0, batches: 1 });
      // Opening the link again finds nothing left to delete.
      expect((await server.app.inject({ method: 'GET', url: `/v1/uninstalled/${uninstallCode}` })).statusCode).toBe(
        404,
      );
    });
  });

  describe('storage', () => {
    it('keeps installations apart: one can neither read, change nor delete another’s data', async () => {
      const a = await createInstallation(server.app);
      const b = await createInstallation(server.app);
      const batchOfA = makeBatch([makeDay('2026-11-24', 111_000)]);
      await upload(server.app, a.token, batchOfA);
      const dataOfA = (await readData(server.app, a.token)).json();

      // Read: B sees only its own (empty) data, and there is no route naming another installation.
      const dataOfB = installationData.parse((await readData(server.app, b.token)).json());
      expect([dataOfB.installationId, dataOfB.days, dataOfB.batches]).toEqual([b.installationId, [], []]);
      const byId = await server.app.inject({
        method: 'GET',
        url: `/v1/installations/${a.installationId}/data`,
        headers: bearer(b.token),
      });
      expect(byId.statusCode).toBe(404);

      // Change: B's batch with A's batch id and date lands in B's data only, as a new batch.
      const sameIds = { ...batchOfA, days: [makeDay('2026-11-24', 222_000)] };
      expect((await upload(server.app, b.token, sameIds)).json()).toEqual({ accepted: 1, duplicate: false });
      expect((await readData(server.app, a.token)).json()).toEqual(dataOfA);

      // Delete: B's deletion leaves A's data and token intact.
      const deletion = await server.app.inject({
        method: 'DELETE',
        url: '/v1/installations/me',
        headers: bearer(b.token),
      });
      expect(deletion.statusCode).toBe(200);
      const after = await readData(server.app, a.token);
      expect(after.statusCode).toBe(200);
      expect(after.json()).toEqual(dataOfA);
    });

    it('keeps the data across a restart on the same database', async () => {
      const { token } = await createInstallation(server.app);
      await upload(server.app, token, makeBatch([makeDay('2026-11-24')]));
      const before = (await readData(server.app, token)).json();
      await server.app.close();

      const reopened = await buildApp({ database: server.database });
      try {
        expect((await readData(reopened, token)).json()).toEqual(before);
      } finally {
        await reopened.close();
      }
      // The afterEach hook closes the first app again: fastify's close is idempotent.
    });
  });
});

describe('the API, whatever the store', () => {
  beforeEach(async () => {
    server = await startServer();
  });

  describe('authentication', () => {
    const routes = [
      { method: 'POST', url: '/v1/uploads' },
      { method: 'GET', url: '/v1/installations/me/data' },
      { method: 'DELETE', url: '/v1/installations/me' },
    ] as const;
    const badHeaders: { name: string; headers: Record<string, string> }[] = [
      { name: 'no Authorization header', headers: {} },
      { name: 'another scheme', headers: { authorization: 'Basic dXNlcjpwYXNz' } },
      { name: 'a malformed token', headers: { authorization: 'Bearer short' } },
      { name: 'an unknown token', headers: { authorization: `Bearer ${'A'.repeat(43)}` } },
    ];

    it.each(routes.flatMap((route) => badHeaders.map((bad) => ({ ...route, ...bad }))))(
      '$method $url with $name answers 401',
      async ({ method, url, headers }) => {
        const response = await server.app.inject({ method, url, headers });
        expect(response.statusCode).toBe(401);
        expect(apiError.parse(response.json()).error.code).toBe('unauthorized');
      },
    );
  });

  describe('routes and storage', () => {
    it.each([
      ['GET', '/nowhere'],
      ['GET', '/v1/uploads'],
      ['PUT', '/v1/installations/me'],
    ] as const)('answers %s %s with 404 not-found', async (method, url) => {
      const response = await server.app.inject({ method, url });
      expect(response.statusCode).toBe(404);
      expect(apiError.parse(response.json()).error.code).toBe('not-found');
    });
  });
});
