/**
 * What an import costs: a document's size is checked against stated limits (docs/EXPORT.md) before it is validated,
 * and validating and planning one at the limits stays linear — a file can neither hang the background nor be refused
 * for being big when it is within them.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { changeConsent } from '../../src/background/consent';
import { importData } from '../../src/background/data';
import { routeMessage } from '../../src/background/router';
import {
  buildExportDocument,
  type ExportDocument,
  exportDocumentSchema,
  importLimits,
  parseExportDocument,
} from '../../src/shared/contracts/exportDocument';
import { addDays } from '../../src/shared/domain/dates';
import { defaultSettings } from '../../src/shared/storage/records';
import { makeContext, own, type TestContext } from './helpers/context';
import { makeDay } from './helpers/records';

let context: TestContext;
beforeEach(async () => {
  context = makeContext();
  await changeConsent(context, { usage: true, account: true }, 'onboarding');
});
afterEach(async () => {
  await context.db.delete();
});

const options = { id: own.id, url: `${own.origin}/src/options/index.html`, tab: { id: 2 }, frameId: 0 };

function emptyDocument(): ExportDocument {
  return buildExportDocument(
    {
      scopes: { usage: true, account: true, uploadUsage: false, uploadAccount: false },
      ledger: [],
      settings: { ...defaultSettings, id: 'current' },
      days: [],
      snapshots: [],
      visits: [],
    },
    1,
    Date.UTC(2026, 10, 25, 12),
  );
}

/** Placeholders that are not valid records: a refusal naming the size shows the size was checked first. */
const junk = (count: number) => Array.from({ length: count }, () => ({}));

describe('import size limits', () => {
  it('are stated: days, visits, accounts, account snapshots, consent-ledger entries and local edits', () => {
    expect(importLimits).toEqual({
      days: 100_000,
      visits: 2_000_000,
      accounts: 1000,
      accountSnapshots: 100_000,
      consentLedger: 100_000,
      localEdits: 100_000,
    });
  });

  const over: Array<[string, (document: ExportDocument) => unknown, RegExp]> = [
    ['days', (document) => ({ ...document, days: junk(importLimits.days + 1) }), /100,001 days.*100,000/],
    ['visits', (document) => ({ ...document, visits: junk(importLimits.visits + 1) }), /2,000,001 visits.*2,000,000/],
    ['accounts', (document) => ({ ...document, accounts: junk(importLimits.accounts + 1) }), /1,001 accounts.*1,000/],
    [
      'account snapshots (counted over all accounts)',
      (document) => ({
        ...document,
        accounts: Array.from({ length: 4 }, (_, index) => ({
          username: `maya${index}`,
          snapshots: junk(importLimits.accountSnapshots / 4 + (index === 0 ? 1 : 0)),
        })),
      }),
      /100,001 account snapshots.*100,000/,
    ],
    [
      'consent-ledger entries',
      (document) => ({ ...document, consentLedger: junk(importLimits.consentLedger + 1) }),
      /100,001 consent-ledger entries.*100,000/,
    ],
    [
      'local edits',
      (document) => ({ ...document, localEdits: junk(importLimits.localEdits + 1) }),
      /100,001 local edits.*100,000/,
    ],
  ];

  it.each(over)(
    'refuses one more %s than the limit before validating anything, saying both numbers',
    (_, grow, reason) => {
      // Promise: an oversized file is refused with a reason a person can act on, and changes nothing — before the
      // schema walks it (counting array lengths only), so a huge file cannot hang the background.
      const validation = vi.spyOn(exportDocumentSchema, 'safeParse');
      const parsed = parseExportDocument(grow(emptyDocument()));
      expect(parsed).toEqual({ ok: false, error: expect.stringMatching(reason) });
      if (!parsed.ok) expect(parsed.error).toMatch(/too large to import/);
      expect(validation).not.toHaveBeenCalled();
      validation.mockRestore();
    },
  );

  it('answers an oversized import bad-import through the router, and stores nothing', async () => {
    await context.db.days.add(makeDay('2026-11-24'));
    const document = { ...emptyDocument(), days: junk(importLimits.days + 1) };
    const reply = await routeMessage({ type: 'data.import', document, mode: 'replace' }, options, context);
    expect(reply).toEqual({
      ok: false,
      error: { code: 'bad-import', message: expect.stringMatching(/100,001 days.*at most 100,000/) },
    });
    expect((await context.db.days.toArray()).map((day) => day.date)).toEqual(['2026-11-24']);
  });

  it('finds a duplicated day at the end of a file at the limit (one pass over the dates)', () => {
    // Promise: duplicate checks are linear (they were quadratic: a million days took about an hour).
    const document = emptyDocument();
    document.days = Array.from({ length: importLimits.days }, (_, index) =>
      makeDay(addDays('1800-01-01', index === importLimits.days - 1 ? 0 : index)),
    );
    expect(parseExportDocument(document)).toEqual({
      ok: false,
      error: expect.stringMatching(/the day 1800-01-01 appears twice/),
    });
  }, 60_000);

  it('imports (as a dry run) a document at every limit at once', async () => {
    // Promise: nothing within the stated limits is refused, and validating and planning it stays linear. The dry run
    // is the whole import path but the writes, which are one bulkAdd per table (fake-indexeddb alone would take
    // minutes to store two million visits).
    const document = emptyDocument();
    document.days = Array.from({ length: importLimits.days }, (_, index) => makeDay(addDays('1800-01-01', index)));
    const perAccount = importLimits.accountSnapshots / importLimits.accounts;
    const snapshot = {
      observedAt: '2026-11-24T18:00:00.000Z',
      followers: { value: 12_437, exact: true },
      following: { value: 450, exact: true },
      posts: null,
    };
    document.accounts = Array.from({ length: importLimits.accounts }, (_, account) => ({
      username: `maya.${String(account).padStart(4, '0')}`,
      snapshots: Array.from({ length: perAccount }, (_, index) => ({
        ...snapshot,
        date: addDays('2026-01-01', index),
      })),
    }));
    const first = Date.UTC(2016, 0, 1);
    document.visits = Array.from({ length: importLimits.visits }, (_, index) => ({
      surface: 'feed' as const,
      seenAt: new Date(first + index * 60_000).toISOString(),
    }));
    document.consentLedger = Array.from({ length: importLimits.consentLedger }, (_, index) => ({
      at: new Date(first + index * 60_000).toISOString(),
      scope: 'usage' as const,
      granted: index % 2 === 0,
      policyVersion: 1,
      source: 'options' as const,
    }));
    document.localEdits = Array.from({ length: importLimits.localEdits }, (_, index) => ({
      at: new Date(first + index * 60_000).toISOString(),
      date: '2026-11-24',
      surface: index % 2 === 0 ? null : ('reels' as const),
      removedMs: 60_000,
    }));
    const outcome = await importData(context, document, 'merge', true);
    expect(outcome).toMatchObject({
      ok: true,
      applied: false,
      plan: {
        days: { add: importLimits.days, overlap: 0, onlyStored: 0 },
        accountSnapshots: { add: importLimits.accountSnapshots, overlap: 0, onlyStored: 0 },
        visits: { add: importLimits.visits, overlap: 0, onlyStored: 0 },
      },
    });
  }, 180_000);
});
