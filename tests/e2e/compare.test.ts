/**
 * "How you compare", end to end against the real reference server on loopback. Promises: it is off by default and,
 * while off, asks the server for nothing; once on, the options page downloads the public weekly report of the latest
 * published week — a request without any token or figure of the person — and compares the person's own recorded days
 * of that week with the cohort on the device; turning it off hides it again.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { latestPublishedWeek } from '../../src/shared/domain/comparison';
import { localToday } from '../../src/shared/domain/dates';
import { datesOf } from '../../src/shared/domain/periods';
import { installationsUploadingDays, startServer, type TestServer } from '../server/helpers';
import { FaultyProxy } from '../server/proxy';
import { makeDay } from '../unit/helpers/records';
import { bothBrowsers, describeInBrowsers, eventually, setBackend } from './harness';

let server: TestServer;
let proxy: FaultyProxy;
const { week, dates } = latestPublishedWeek(Date.now(), localToday());
const reportRoute = `GET /v1/reports/weekly/${week}`;

beforeAll(async () => {
  server = await startServer({ rateLimits: { registrationsPerIp: 1000 }, reports: { k: 20 } });
  // Twenty other installations, each with half an hour of feed a day on three days of that week.
  await installationsUploadingDays(server, 20, datesOf(dates).slice(0, 3));
  proxy = await new FaultyProxy(await server.app.listen({ host: '127.0.0.1', port: 0 })).start();
});
afterAll(async () => {
  await proxy.close();
  await server.close();
});

describeInBrowsers(
  bothBrowsers,
  'how you compare',
  (session) => {
    it('is off by default and asks nothing; on, it compares the week on the device with the public report', async () => {
      // Two recorded days of that week: 20 and 40 minutes of feed, 19 views each → 30 min and 19 views a day.
      await session().sendFromExtensionPage({ type: 'consent.set', scopes: { usage: true }, source: 'options' });
      const exported = (await session().sendFromExtensionPage({ type: 'data.export' })) as {
        value: { days: unknown[] };
      };
      const days = [makeDay(dates.start, 1_200_000), makeDay(dates.end, 2_400_000)];
      expect(
        await session().sendFromExtensionPage({
          type: 'data.import',
          document: { ...exported.value, days },
          mode: 'replace',
        }),
      ).toMatchObject({ ok: true });

      // The proxy is shared by both browsers' sessions: count from here.
      const askedBefore = proxy.forwarded(reportRoute).length;
      const options = await session().openExtensionPage('src/options/index.html#dashboard');
      await options.bringToFront();
      await options.click('[data-testid="tab-compare"]');
      await options.waitForSelector('input[name="compare-with-others"]');
      expect(await options.$eval('input[name="compare-with-others"]', (input) => input.checked)).toBe(false);

      // On without a server: it says where to choose one.
      await options.click('input[name="compare-with-others"]');
      await options.waitForSelector('[data-testid="compare-no-server"]');
      // Off again: with a server chosen next, nothing is asked while the choice is off.
      await options.click('input[name="compare-with-others"]');
      await options.waitForSelector('input[name="compare-with-others"]:not(:checked)');

      await options.evaluate(() => {
        location.hash = 'sync';
      });
      await setBackend(options, proxy.url);
      await options.evaluate(() => {
        location.hash = 'dashboard';
      });
      await options.click('[data-testid="tab-compare"]');
      await options.waitForSelector('input[name="compare-with-others"]:not(:checked)');
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(proxy.forwarded(reportRoute)).toHaveLength(askedBefore);

      await options.click('input[name="compare-with-others"]');
      await options.waitForSelector('[data-testid="compare-report"]');
      const request = proxy.forwarded(reportRoute)[askedBefore];
      expect(request?.headers.authorization).toBeUndefined();
      expect(request?.headers.cookie).toBeUndefined();

      const feedRow = await options.$eval('[data-testid="compare-row-feed"]', (row) =>
        [...row.querySelectorAll('th, td')].map((cell) => cell.textContent ?? ''),
      );
      expect(feedRow[1]).toBe('30 min');
      expect(feedRow[5]).not.toBe('');
      const viewsRow = await options.$eval('[data-testid="compare-row-views"]', (row) =>
        [...row.querySelectorAll('td')].map((cell) => cell.textContent ?? ''),
      );
      expect(viewsRow[0]).toBe('19');
      const cohorts = await options.$$eval('select[name="compare-cohort"] option', (choices) =>
        choices.map((choice) => choice.textContent),
      );
      expect(cohorts).toContain('Everyone');

      await options.click('input[name="compare-with-others"]');
      await eventually('the comparison to go', async () =>
        (await options.$('[data-testid="compare-report"]')) === null ? true : undefined,
      );
      await options.close();
    });
  },
  { grantedHosts: ['http://127.0.0.1/*'] },
);
