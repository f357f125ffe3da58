/**
 * Sync end to end: the real extension uploads to the real reference server on loopback, and withdrawal deletes it
 * there. The person's steps go through the options page: set the backend (the host permission is requested from the
 * click), turn on "Send pseudonymous usage data", sync, then turn it off and see the deletion confirmed.
 *
 * Permission prompts: Firefox grants optional permissions requested from a click by itself in this harness (pref), so
 * its whole path is real. Headless Chromium cannot answer the prompt, so its build is loaded with the loopback host
 * already granted (harness option grantedHosts) — the request from the click then resolves at once.
 */
import type { AddressInfo } from 'node:net';
import type { Page } from 'puppeteer';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { installationData } from '../../src/shared/contracts/upload';
import type { SyncCredentialsRecord } from '../../src/shared/storage/records';
import { startServer, type TestServer } from '../server/helpers';
import { nothingHeld, rowsHeld } from '../server/inspect';
import { FaultyProxy } from '../server/proxy';
import { makeDay } from '../unit/helpers/records';
import { bothBrowsers, describeInBrowsers, type ExtensionSession, eventually, setBackend } from './harness';

let server: TestServer;
let backend: string;
/** Two more backends, each behind a proxy that can hold a request in flight. */
let backends: Array<{ server: TestServer; proxy: FaultyProxy }>;

beforeAll(async () => {
  server = await startServer();
  await server.app.listen({ host: '127.0.0.1', port: 0 });
  backend = `http://127.0.0.1:${(server.app.server.address() as AddressInfo).port}`;
  backends = [];
  for (let i = 0; i < 2; i += 1) {
    const started = await startServer();
    const proxy = await new FaultyProxy(await started.app.listen({ host: '127.0.0.1', port: 0 })).start();
    backends.push({ server: started, proxy });
  }
});
afterAll(async () => {
  await server.close();
  for (const { server: started, proxy } of backends) {
    await proxy.close();
    await started.close();
  }
});

const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);

async function serverData(token: string) {
  return server.app.inject({
    method: 'GET',
    url: '/v1/installations/me/data',
    headers: { authorization: `Bearer ${token}` },
  });
}

async function credentials(session: ExtensionSession): Promise<SyncCredentialsRecord | undefined> {
  return (await session.readTable<SyncCredentialsRecord>('syncCredentials'))[0];
}

/** Finished days, as if recorded earlier (an import brings in days only while recording is allowed). */
async function importFinishedDays(session: ExtensionSession, days: number[]): Promise<void> {
  await session.sendFromExtensionPage({ type: 'consent.set', scopes: { usage: true }, source: 'options' });
  const exported = (await session.sendFromExtensionPage({ type: 'data.export' })) as { value: { days: unknown[] } };
  const file = { ...exported.value, days: days.map((ago) => makeDay(daysAgo(ago))) };
  expect(await session.sendFromExtensionPage({ type: 'data.import', document: file, mode: 'replace' })).toMatchObject({
    ok: true,
  });
}

interface DeletionRow {
  status: string;
  backendUrl: string;
  token: string | null;
}

/** Sets a choice in "Your data and privacy" (a section at its own address), then comes back to the section shown. */
async function setChecked(page: Page, scope: string, checked: boolean): Promise<void> {
  const selector = `input[name="scope-${scope}"]`;
  const shown = await page.evaluate(() => location.hash);
  const syncNowShown = (await page.$('[data-testid="sync-now"]')) !== null;
  await page.evaluate(() => {
    location.hash = 'privacy';
  });
  await page.waitForSelector(selector);
  if ((await page.$eval(selector, (input) => (input as HTMLInputElement).checked)) !== checked)
    await page.click(selector);
  await page.waitForFunction(
    (query, wanted) => (document.querySelector(query) as HTMLInputElement | null)?.checked === wanted,
    {},
    selector,
    checked,
  );
  await page.evaluate((hash) => {
    location.hash = hash;
  }, shown);
  // The section shown again reads what it shows: what was on it before is waited for.
  if (syncNowShown) await page.waitForSelector('[data-testid="sync-now"]');
}

describeInBrowsers(
  bothBrowsers,
  'sync to the reference server',
  (session) => {
    it('uploads finished days after opt-in, and withdrawing deletes them on the server with a receipt', async () => {
      // Two finished days to send (imported, as if recorded earlier, which needs recording allowed).
      await session().sendFromExtensionPage({ type: 'consent.set', scopes: { usage: true }, source: 'options' });
      const exported = (await session().sendFromExtensionPage({ type: 'data.export' })) as {
        value: { days: unknown[] };
      };
      const file = { ...exported.value, days: [makeDay(daysAgo(3)), makeDay(daysAgo(2))] };
      expect(
        await session().sendFromExtensionPage({ type: 'data.import', document: file, mode: 'replace' }),
      ).toMatchObject({
        ok: true,
      });

      const options = await session().openExtensionPage('src/options/index.html#sync');
      await options.bringToFront();
      await options.waitForSelector('input[name="backend-url"]');
      await options.type('input[name="backend-url"]', backend);
      await options.click('[data-testid="backend-save"]');
      await options.waitForSelector('[data-testid="backend-saved"]');

      await setChecked(options, 'usage', true);
      await setChecked(options, 'uploadUsage', true);
      await options.click('[data-testid="sync-now"]');
      await options.waitForSelector('[data-testid="sync-result"]');

      const identity = await eventually('the backend identity', () => credentials(session()));
      const stored = installationData.parse((await serverData(identity.token)).json());
      expect(stored.days.map((day) => day.date).sort()).toEqual([daysAgo(3), daysAgo(2)]);
      expect(stored.accounts).toEqual([]);
      expect(stored.days[0]?.environment).toMatchObject({
        browser: session().kind === 'chromium' ? 'chrome' : 'firefox',
        os: 'linux',
        deviceType: 'desktop',
      });

      await setChecked(options, 'uploadUsage', false);
      await options.waitForFunction(() =>
        document.querySelector('[data-testid="deletion-receipts"]')?.textContent?.includes('Confirmed'),
      );
      expect((await serverData(identity.token)).statusCode).toBe(401);
      expect(await credentials(session())).toBeUndefined();
      await options.close();
    }, 90_000);

    it('withdrawing while a slow upload is in flight stops it, sends nothing more and leaves nothing on the server', async () => {
      const [{ server: slow, proxy }] = backends as [{ server: TestServer; proxy: FaultyProxy }];
      await importFinishedDays(session(), [6, 5, 4]);
      const options = await session().openExtensionPage('src/options/index.html#sync');
      await options.bringToFront();
      await setBackend(options, proxy.url);
      await setChecked(options, 'usage', true);
      await setChecked(options, 'uploadUsage', true);
      const uploadsBefore = proxy.forwarded('POST /v1/uploads').length;
      const registrationsBefore = proxy.forwarded('POST /v1/installations').length;
      const held = proxy.hold('POST /v1/uploads');
      await options.click('[data-testid="sync-now"]');
      await held.arrived;
      // The upload is in flight, held at the proxy: the person withdraws.
      await setChecked(options, 'uploadUsage', false);
      const confirmed = await eventually('the deletion receipt', async () => {
        const rows = await session().readTable<DeletionRow>('deletionRequests');
        return rows.find((row) => row.backendUrl === proxy.url && row.status === 'confirmed');
      });
      expect(confirmed.token).toBeNull();
      held.release();
      await eventually('the held upload to reach the server', async () =>
        proxy.forwarded('POST /v1/uploads').length === uploadsBefore + 1 ? true : undefined,
      );
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(rowsHeld(slow.databasePath)).toEqual(nothingHeld);
      expect(proxy.forwarded('POST /v1/installations')).toHaveLength(registrationsBefore + 1);
      expect(await credentials(session())).toBeUndefined();
      await options.close();
    }, 90_000);

    it('changing the backend deletes what the old one holds, and "Delete all my data" then leaves nothing on either', async () => {
      const [first, second] = backends as [
        { server: TestServer; proxy: FaultyProxy },
        { server: TestServer; proxy: FaultyProxy },
      ];
      await importFinishedDays(session(), [6, 5, 4]);
      const options = await session().openExtensionPage('src/options/index.html#sync');
      await options.bringToFront();
      await setBackend(options, first.proxy.url);
      await setChecked(options, 'usage', true);
      await setChecked(options, 'uploadUsage', true);
      await options.click('[data-testid="sync-now"]');
      await eventually('the days at the first backend', async () =>
        rowsHeld(first.server.databasePath).days === 3 ? true : undefined,
      );
      await setBackend(options, second.proxy.url);
      await options.waitForSelector('[data-testid="backend-saved"]');
      expect(await options.$eval('[data-testid="backend-saved"]', (node) => node.textContent)).toContain(
        first.proxy.url,
      );
      await eventually('the first backend emptied', async () =>
        rowsHeld(first.server.databasePath).days === 0 ? true : undefined,
      );
      await options.click('[data-testid="sync-now"]');
      await eventually('the days at the second backend', async () =>
        rowsHeld(second.server.databasePath).days === 3 ? true : undefined,
      );
      expect(await session().sendFromExtensionPage({ type: 'data.wipe' })).toMatchObject({ ok: true });
      await options.click('[data-testid="sync-now"]');
      await eventually('every deletion confirmed', async () => {
        const rows = await session().readTable<DeletionRow>('deletionRequests');
        return rows.length > 0 && rows.every((row) => row.status === 'confirmed') ? true : undefined;
      });
      expect(rowsHeld(first.server.databasePath)).toEqual(nothingHeld);
      expect(rowsHeld(second.server.databasePath)).toEqual(nothingHeld);
      expect(await session().readTable('uploadLog')).toEqual([]);
      expect(await credentials(session())).toBeUndefined();
      await options.close();
    }, 90_000);
  },
  { grantedHosts: ['http://127.0.0.1/*'] },
);
