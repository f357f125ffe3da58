// @vitest-environment happy-dom
/**
 * "How you compare" in the dashboard (src/options/dashboard/Compare.tsx), with the report's download answered here:
 * the exchange with the real server is tested end to end (tests/e2e/compare.test.ts). Promises: off by default, and
 * nothing downloaded while off; every broken answer — no answer, an error, a report not yet published, something that
 * is no report — says so clearly; a report without figures, or a week without records, says why there is no comparison.
 */
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Compare } from '../../../src/options/dashboard/Compare';
import type { WeeklyAggregateReport } from '../../../src/shared/contracts/aggregateReport';
import { pageDatabaseOptions, SmartTagsDatabase } from '../../../src/shared/storage/db';
import { defaultSettings } from '../../../src/shared/storage/records';
import { setTestLanguage } from '../helpers/i18n';
import { makeDay } from '../helpers/records';
import { checkbox, fakeBackground, renderWithBackground } from './support';

vi.mock('webextension-polyfill', () => ({ default: {} }));

// Saturday 5 December 2026: the latest published week is 2026-W48, 23–29 November.
const now = Date.parse('2026-12-05T10:00:00Z');
const today = '2026-12-05';
const server = 'https://smarttags.example.org';
const quartiles = (p25: number, median: number, p75: number) => ({ p25, median, p75 });

function report(overrides: Partial<WeeklyAggregateReport> = {}): WeeklyAggregateReport {
  return {
    week: '2026-W48',
    from: '2026-11-23',
    to: '2026-11-29',
    publishedAt: '2026-12-01T00:00:05.000Z',
    privacy: {
      mechanism: 'geometric',
      epsilon: 1,
      k: 20,
      budget: { tags: 0.5, cohorts: 0.5 },
      bounds: { tagsPerInstallation: 50, minutesPerDay: 240, viewsPerDay: 1000 },
    },
    cohorts: [
      {
        dimension: 'all',
        value: null,
        installations: 140,
        minutesPerDay: { feed: quartiles(10, 20, 45) },
        viewsPerDay: quartiles(5, 10, 20),
      },
      {
        dimension: 'browser',
        value: 'firefox',
        installations: 41,
        minutesPerDay: { feed: quartiles(30, 45, 60) },
        viewsPerDay: quartiles(20, 30, 50),
      },
    ],
    tags: { top: [], rising: [] },
    ...overrides,
  };
}

const fetchReport = vi.fn<(url: string) => Promise<Response>>();
let db: SmartTagsDatabase;
beforeEach(async () => {
  setTestLanguage('en');
  vi.stubGlobal('fetch', fetchReport);
  fetchReport.mockReset().mockImplementation(async () => Response.json(report()));
  db = new SmartTagsDatabase(`test-${crypto.randomUUID()}`, { ...pageDatabaseOptions, fixtureWrites: true });
  await db.syncConfig.put({ id: 'current', backendUrl: server });
  // 30 minutes of feed, 19 views, on one day of 2026-W48 (and one day outside it, which does not count).
  await db.days.bulkPut([makeDay('2026-11-24', 1_800_000), makeDay('2026-11-30', 7_200_000)]);
});
afterEach(async () => {
  cleanup();
  vi.unstubAllGlobals();
  await db.delete();
});

async function renderOn(on = true) {
  await db.settings.put({ ...defaultSettings, compareWithOthers: on });
  const background = fakeBackground(undefined, {
    'settings.set': async (message) => {
      await db.settings.update('current', { compareWithOthers: message.compareWithOthers });
    },
  });
  renderWithBackground(background, <Compare db={db} now={now} today={today} />);
  return background;
}

describe('How you compare', () => {
  it('is off by default: no download until the person turns it on, and turning it on is saved', async () => {
    const background = await renderOn(false);
    await waitFor(() => expect(checkbox('compare-with-others').checked).toBe(false));
    expect(fetchReport).not.toHaveBeenCalled();
    fireEvent.click(checkbox('compare-with-others'));
    await screen.findByTestId('compare-report');
    expect(background.sent('settings.set')).toEqual([{ type: 'settings.set', compareWithOthers: true }]);
    expect(fetchReport).toHaveBeenCalledWith(
      `${server}/v1/reports/weekly/2026-W48`,
      expect.objectContaining({ credentials: 'omit' }),
    );
  });

  it('compares the person’s average day of that week with the cohort chosen', async () => {
    await renderOn();
    const row = await screen.findByTestId('compare-row-feed');
    expect([...row.querySelectorAll('td')].map((cell) => cell.textContent)).toEqual([
      '30 min',
      '10 min',
      '20 min',
      '45 min',
      'Above the median',
    ]);
    fireEvent.change(screen.getByLabelText('Compare with'), { target: { value: 'browser:firefox' } });
    await waitFor(() =>
      expect(screen.getByTestId('compare-row-feed').querySelector('[data-standing]')?.textContent).toBe(
        'At or below the median',
      ),
    );
    expect(screen.getByTestId('compare-report').textContent).toContain('41 installations');
    expect(screen.getByTestId('compare-report').textContent).toContain('(1 of 7)');
  });

  it.each([
    [
      'no answer',
      async () => Promise.reject(new TypeError('Failed to fetch')),
      `Could not reach ${server}: Failed to fetch`,
    ],
    ['not published', async () => new Response('{}', { status: 404 }), 'The report of 2026-W48 is not published yet.'],
    ['a server error', async () => new Response('oops', { status: 500 }), `${server} answered with error 500`],
    ['no JSON', async () => new Response('<html>', { status: 200 }), `The report from ${server} could not be read`],
    ['another shape', async () => Response.json({ week: '2026-W48', cohorts: 'many' }), 'could not be read'],
    ['another week', async () => Response.json(report({ week: '2026-W47' })), 'could not be read'],
  ])('says clearly what went wrong: %s', async (_what, answer, message) => {
    fetchReport.mockImplementation(answer);
    await renderOn();
    expect((await screen.findByTestId('compare-error')).textContent).toContain(message);
  });

  it('explains an empty comparison: a report without figures, or a week without records', async () => {
    fetchReport.mockImplementation(async () => Response.json(report({ cohorts: [] })));
    await renderOn();
    expect((await screen.findByTestId('compare-too-few')).textContent).toContain('at least 20');
    cleanup();
    await db.days.clear();
    fetchReport.mockImplementation(async () => Response.json(report()));
    await renderOn();
    expect((await screen.findByTestId('compare-empty')).textContent).toContain('Nothing was recorded');
  });

  it('asks for a server first when none is chosen, and downloads nothing', async () => {
    await db.syncConfig.clear();
    await renderOn();
    await screen.findByTestId('compare-no-server');
    expect(fetchReport).not.toHaveBeenCalled();
  });
});
