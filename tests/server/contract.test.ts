/**
 * The upload contract as the server applies it from version 2 on: a range of versions, fields it does not know kept,
 * day revisions (the highest wins), snapshots by observation time, and input no extension can produce refused.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { apiError, installationData, uploadAccepted } from '../../src/shared/contracts/upload';
import { describeEachStore } from './databases';
import {
  createInstallation,
  makeBatch,
  makeBatchV2,
  makeDay,
  readData,
  startServer,
  type TestServer,
  upload,
} from './helpers';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const withAccounts = { usage: true, account: true, uploadUsage: true, uploadAccount: true };

function snapshot(date: string, observedAt: string, followers: number) {
  return { date, observedAt, followers: { value: followers, exact: true }, following: null, posts: null };
}

describeEachStore('the upload contract', (kind) => {
  async function start(options: Parameters<typeof startServer>[0] = {}) {
    server = await startServer(options, kind);
    const { token } = await createInstallation(server.app);
    return { app: server.app, token };
  }

  describe('contract versions', () => {
    it('accepts version 1 and version 2 batches side by side', async () => {
      const { app, token } = await start();
      const v1 = await upload(app, token, makeBatch([makeDay('2026-11-23')]));
      expect(v1.statusCode).toBe(200);
      // A version-1 client knows nothing of `stale`: its answer has the version-1 shape.
      expect(v1.json()).toEqual({ accepted: 1, duplicate: false });
      const v2 = await upload(app, token, makeBatchV2([[makeDay('2026-11-24'), 1]]));
      expect(v2.statusCode).toBe(200);
      expect(uploadAccepted.parse(v2.json())).toEqual({ accepted: 1, duplicate: false, stale: 0 });
      const data = installationData.parse((await readData(app, token)).json());
      expect(data.days.map((day) => [day.date, day.revision])).toEqual([
        ['2026-11-23', undefined],
        ['2026-11-24', 1],
      ]);
    });

    it.each([0, 3])('refuses version %i, outside the range it accepts', async (schemaVersion) => {
      const { app, token } = await start();
      const response = await upload(app, token, makeBatch([makeDay('2026-11-24')], { schemaVersion }));
      expect(response.statusCode).toBe(400);
      expect(apiError.parse(response.json()).error.message).toContain('body.schemaVersion');
    });

    it('refuses a version-2 day without a revision', async () => {
      const { app, token } = await start();
      const response = await upload(app, token, makeBatch([makeDay('2026-11-24')], { schemaVersion: 2 }));
      expect(response.statusCode).toBe(400);
      expect(response.json().error.message).toBe('body.days: from version 2 on, every day has a revision');
    });
  });

  describe('fields the server does not know', () => {
    // Before version 2 these were refused (400 "unknown field"); now a newer extension's additions are stored and given
    // back through the right of access.
    it('keeps unknown fields of the batch and of its days, and gives them back (no longer refused)', async () => {
      const { app, token } = await start();
      const batch = {
        ...makeBatchV2([[{ ...makeDay('2026-11-24'), focusMs: 12_000, scroll: { screens: 40 } }, 1]]),
        clientBuild: '2.1.0-beta',
      };
      const response = await upload(app, token, batch);
      expect(response.statusCode).toBe(200);
      const data = installationData.parse((await readData(app, token)).json());
      expect(data.days[0]).toMatchObject({ focusMs: 12_000, scroll: { screens: 40 }, revision: 1 });
      expect(data.batches).toEqual([
        { batchId: batch.batchId, receivedAt: data.days[0]?.receivedAt, days: 1, clientBuild: '2.1.0-beta' },
      ]);
    });

    it('recognises a replay of a batch with unknown fields as a duplicate', async () => {
      const { app, token } = await start();
      const batch = { ...makeBatchV2([[{ ...makeDay('2026-11-24'), focusMs: 12_000 }, 1]]), clientBuild: 'x' };
      await upload(app, token, batch);
      expect((await upload(app, token, batch)).json()).toEqual({ accepted: 1, duplicate: true, stale: 0 });
      expect((await upload(app, token, { ...batch, clientBuild: 'y' })).statusCode).toBe(409);
    });

    it('keeps unknown fields inside the environment too (a newer extension may describe more)', async () => {
      const { app, token } = await start();
      const batch = makeBatchV2([[makeDay('2026-11-24'), 1]]);
      const response = await upload(app, token, {
        ...batch,
        environment: { ...batch.environment, gpu: 'whatever' },
      });
      expect(response.statusCode).toBe(200);
      const data = installationData.parse((await readData(app, token)).json());
      expect(data.days[0]?.environment).toEqual({ ...batch.environment, gpu: 'whatever' });
    });
  });

  describe('day revisions', () => {
    it('keeps the higher revision when a retry of an older one arrives late (revision 5, then 3)', async () => {
      const { app, token } = await start();
      const newer = makeBatchV2([[makeDay('2026-11-24', 900_000), 5]]);
      const older = makeBatchV2([[makeDay('2026-11-24', 300_000), 3]]);
      expect((await upload(app, token, newer)).json()).toEqual({ accepted: 1, duplicate: false, stale: 0 });
      expect((await upload(app, token, older)).json()).toEqual({ accepted: 0, duplicate: false, stale: 1 });

      const data = installationData.parse((await readData(app, token)).json());
      expect(data.days.map((day) => [day.date, day.revision, day.activeMs])).toEqual([['2026-11-24', 5, 900_000]]);
      // Both batches were received; the day still names the batch it came from (its receivedAt).
      expect(data.batches.map((batch) => batch.batchId)).toEqual([newer.batchId, older.batchId]);
      // A replay of the stale batch answers what it answered the first time.
      expect((await upload(app, token, older)).json()).toEqual({ accepted: 0, duplicate: true, stale: 1 });
    });

    it('replaces a day with a higher or equal revision, and counts per day in a mixed batch', async () => {
      const { app, token } = await start();
      await upload(
        app,
        token,
        makeBatchV2([
          [makeDay('2026-11-23', 1), 2],
          [makeDay('2026-11-24', 1), 2],
        ]),
      );
      const mixed = makeBatchV2([
        [makeDay('2026-11-22', 7), 0],
        [makeDay('2026-11-23', 7), 1],
        [makeDay('2026-11-24', 7), 2],
      ]);
      expect((await upload(app, token, mixed)).json()).toEqual({ accepted: 2, duplicate: false, stale: 1 });
      const data = installationData.parse((await readData(app, token)).json());
      expect(data.days.map((day) => [day.date, day.revision, day.activeMs])).toEqual([
        ['2026-11-22', 0, 7],
        ['2026-11-23', 2, 1],
        ['2026-11-24', 2, 7],
      ]);
    });

    it('counts version-1 days as revision 0: last write wins among them, a revised day beats them', async () => {
      const { app, token } = await start();
      await upload(app, token, makeBatch([makeDay('2026-11-24', 1)]));
      expect((await upload(app, token, makeBatch([makeDay('2026-11-24', 2)]))).json()).toEqual({
        accepted: 1,
        duplicate: false,
      });
      await upload(app, token, makeBatchV2([[makeDay('2026-11-24', 3), 1]]));
      expect((await upload(app, token, makeBatch([makeDay('2026-11-24', 4)]))).json()).toEqual({
        accepted: 0,
        duplicate: false,
      });
      const data = installationData.parse((await readData(app, token)).json());
      expect(data.days.map((day) => day.activeMs)).toEqual([3]);
    });

    it('keeps, per username and date, the snapshot observed last, whatever the order of arrival', async () => {
      const { app, token } = await start();
      const send = (observedAt: string, followers: number) =>
        upload(
          app,
          token,
          makeBatchV2([], {
            scopes: withAccounts,
            accounts: [{ username: 'maya.rivers', snapshots: [snapshot('2026-11-24', observedAt, followers)] }],
          }),
        );
      expect((await send('2026-11-24T20:00:00.000Z', 120)).statusCode).toBe(200);
      expect((await send('2026-11-24T08:00:00Z', 100)).statusCode).toBe(200);
      let data = installationData.parse((await readData(app, token)).json());
      expect(data.accounts[0]?.snapshots.map((kept) => kept.followers?.value)).toEqual([120]);
      expect((await send('2026-11-24T21:00:00Z', 125)).statusCode).toBe(200);
      data = installationData.parse((await readData(app, token)).json());
      expect(data.accounts[0]?.snapshots.map((kept) => kept.followers?.value)).toEqual([125]);
    });
  });

  describe('implausible input', () => {
    const clock = () => new Date('2026-11-25T23:30:00Z');

    it('accepts dates up to one day after the server’s UTC date (the earliest time zones)', async () => {
      const { app, token } = await start({ now: clock });
      const batch = makeBatch([makeDay('2026-11-26')], {
        scopes: withAccounts,
        accounts: [{ username: 'maya.rivers', snapshots: [snapshot('2026-11-26', '2026-11-25T23:00:00Z', 1)] }],
      });
      expect((await upload(app, token, batch)).statusCode).toBe(200);
    });

    it('refuses a day more than one day after the server’s UTC date, naming it', async () => {
      const { app, token } = await start({ now: clock });
      const response = await upload(app, token, makeBatch([makeDay('2026-11-24'), makeDay('2026-11-27')]));
      expect(response.statusCode).toBe(400);
      expect(response.json().error).toEqual({
        code: 'bad-request',
        message: "body.days[1].date: 2026-11-27 is more than a day after the server's date (2026-11-25, UTC)",
      });
      expect(installationData.parse((await readData(app, token)).json()).batches).toEqual([]);
    });

    it('refuses a snapshot dated more than one day after the server’s UTC date', async () => {
      const { app, token } = await start({ now: clock });
      const batch = makeBatch([], {
        scopes: withAccounts,
        accounts: [{ username: 'maya.rivers', snapshots: [snapshot('2026-12-01', '2026-11-25T12:00:00Z', 1)] }],
      });
      const response = await upload(app, token, batch);
      expect(response.statusCode).toBe(400);
      expect(response.json().error.message).toMatch(/^body\.accounts\[0\]\.snapshots\[0\]\.date: 2026-12-01 is more/);
    });

    it('refuses an environment time zone that is not an IANA name', async () => {
      const { app, token } = await start();
      for (const timeZone of ['CEST', 'GMT+2', 'Europe/Atlantis', '']) {
        const batch = makeBatch();
        const response = await upload(app, token, { ...batch, environment: { ...batch.environment, timeZone } });
        expect(response.statusCode).toBe(400);
        expect(response.json().error.message).toContain('body.environment.timeZone');
      }
    });

    it.each([
      [
        'uploadUsage without usage',
        { usage: false, account: false, uploadUsage: true, uploadAccount: false },
        'uploadUsage needs usage',
      ],
      [
        'uploadAccount without account',
        { usage: true, account: false, uploadUsage: true, uploadAccount: true },
        'uploadAccount needs account',
      ],
      [
        'uploadAccount without uploadUsage',
        { usage: true, account: true, uploadUsage: false, uploadAccount: true },
        'uploadAccount needs uploadUsage',
      ],
    ])('refuses scopes the extension never grants: %s', async (_name, scopes, message) => {
      const { app, token } = await start();
      const response = await upload(app, token, makeBatch([makeDay('2026-11-24')], { scopes }));
      expect(response.statusCode).toBe(400);
      expect(response.json().error.message).toContain(`body.scopes: ${message}`);
    });
  });
});
