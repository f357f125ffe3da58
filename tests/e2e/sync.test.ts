/**
 * Sync end to end: the real extension uploads to the real reference server on loopback, and withdrawal deletes it
 * there. The person's steps go through the options page: set the backend (the host permission is requested from the
 * click), turn on "Send anonymous usage data", sync, then turn it off and see the deletion confirmed.
 *
 * Permission prompts: Firefox grants optional permissions requested from a click by itself in this harness (pref), so
 * its whole path is real. Headless Chromium cannot answer the prompt, so its build is loaded with the loopback host
 * already granted (harness option grantedHosts) — the request from the click then resolves at once.
 */
import type { AddressInfo } from 'node:net';
import type { Page } from 'puppeteer';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { SyncCredentialsRecord } from '../../src/shared/records';
import { installationData } from '../../src/shared/upload';
import { startServer, type TestServer } from '../server/helpers';
import { makeDay } from '../unit/helpers/records';
import { bothBrowsers, describeInBrowsers, type ExtensionSession, eventually } from './harness';

let server: TestServer;
let backend: string;

beforeAll(async () => {
  server = await startServer();
  await server.app.listen({ host: '127.0.0.1', port: 0 });
  backend = `http://127.0.0.1:${(server.app.server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await server.close();
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

async function setChecked(page: Page, scope: string, checked: boolean): Promise<void> {
  const selector = `input[name="scope-${scope}"]`;
  await page.waitForSelector(selector);
  if ((await page.$eval(selector, (input) => (input as HTMLInputElement).checked)) !== checked)
    await page.click(selector);
  await page.waitForFunction(
    (query, wanted) => (document.querySelector(query) as HTMLInputElement | null)?.checked === wanted,
    {},
    selector,
    checked,
  );
}

describeInBrowsers(
  bothBrowsers,
  'sync to the reference server',
  (session) => {
    it('uploads finished days after opt-in, and withdrawing deletes them on the server with a receipt', async () => {
      // Two finished days to send (imported, as if recorded earlier).
      const exported = (await session().sendFromExtensionPage({ type: 'data.export' })) as {
        value: { days: unknown[] };
      };
      const file = { ...exported.value, days: [makeDay(daysAgo(3)), makeDay(daysAgo(2))] };
      expect(
        await session().sendFromExtensionPage({ type: 'data.import', document: file, mode: 'replace' }),
      ).toMatchObject({
        ok: true,
      });

      const options = await session().openExtensionPage('src/options/index.html');
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
  },
  { grantedHosts: ['http://127.0.0.1/*'] },
);
