/**
 * `GET /v1/reports/weekly/<ISO week>` over both stores (promise: the published report protects every individual):
 * published only once the week is over, frozen once published — asking again, even after more uploads, gives the
 * same report — and an installation deleted before publication is not in it, which can bring a figure under k.
 */
import { afterEach, expect, it } from 'vitest';
import { weeklyAggregateReport } from '../../src/shared/contracts/aggregateReport';
import { describeEachStore } from './databases';
import { bearer, installationsUploadingDays, startServer, type TestServer } from './helpers';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const week = '2026-W48'; // Monday 23 to Sunday 29 November 2026
const days = ['2026-11-23', '2026-11-25', '2026-11-28'];

async function serverAt(kind: Parameters<typeof startServer>[1], clock: { now: number }) {
  return startServer(
    { now: () => new Date(clock.now), rateLimits: { registrationsPerIp: 1000 }, reports: { k: 20 } },
    kind,
  );
}

/** `count` installations that each upload the week's days, seeing #sourdough; answers their tokens. */
const installationsUploading = (at: TestServer, count: number) => installationsUploadingDays(at, count, days);

const report = (at: TestServer, which = week) => at.app.inject({ method: 'GET', url: `/v1/reports/weekly/${which}` });

describeEachStore('the weekly aggregate report', (kind) => {
  it('is published once the week is over everywhere, for a valid ISO week only', async () => {
    const clock = { now: Date.parse('2026-11-30T12:00:00Z') };
    server = await serverAt(kind, clock);
    expect((await report(server)).statusCode).toBe(404);
    expect((await report(server, '2026-W54')).statusCode).toBe(400);
    expect((await report(server, 'last-week')).statusCode).toBe(400);
    clock.now = Date.parse('2026-12-01T00:00:00Z');
    expect((await report(server)).statusCode).toBe(200);
  });

  it('publishes the cohorts and tags of 20 installations, frozen: the same report after more uploads', async () => {
    const clock = { now: Date.parse('2026-11-30T09:00:00Z') };
    server = await serverAt(kind, clock);
    await installationsUploading(server, 20);
    clock.now = Date.parse('2026-12-02T09:00:00Z');
    const first = await report(server);
    expect(first.statusCode).toBe(200);
    expect(first.headers['cache-control']).toBe('public, max-age=86400, immutable');
    const published = weeklyAggregateReport.parse(first.json());
    expect(published).toMatchObject({ week, from: '2026-11-23', to: '2026-11-29', privacy: { k: 20, epsilon: 1 } });
    expect(published.cohorts.map((cohort) => cohort.dimension).sort()).toEqual([
      'all',
      'browser',
      'country',
      'deviceType',
    ]);
    expect(published.tags.top.map((entry) => entry.tag)).toEqual(['sourdough']);
    // Nothing of any installation: no id, token or batch id anywhere in it.
    expect(first.body).not.toMatch(/batch-\d+|token|installationId/);

    await installationsUploading(server, 5);
    clock.now += 7 * 86_400_000;
    const again = await report(server);
    expect(again.body).toBe(first.body);
  });

  it('leaves out an installation deleted before publication: 20 uploaded, one deleted, 19 — nothing published', async () => {
    const clock = { now: Date.parse('2026-11-30T09:00:00Z') };
    server = await serverAt(kind, clock);
    const [gone] = await installationsUploading(server, 20);
    const deletion = await server.app.inject({
      method: 'DELETE',
      url: '/v1/installations/me',
      headers: bearer(gone ?? ''),
    });
    expect(deletion.statusCode).toBe(200);
    clock.now = Date.parse('2026-12-02T09:00:00Z');
    const published = weeklyAggregateReport.parse((await report(server)).json());
    expect(published.cohorts).toEqual([]);
    expect(published.tags.top).toEqual([]);
  });
});
