import { describe, expect, it } from 'vitest';
import { exportCsvFiles } from '../../src/shared/contracts/exportCsv';
import { buildExportDocument } from '../../src/shared/contracts/exportDocument';
import { defaultSettings } from '../../src/shared/storage/records';
import { makeDay, makeSnapshot } from './helpers/records';

const document = buildExportDocument(
  {
    scopes: { usage: true, account: true, uploadUsage: false, uploadAccount: false },
    ledger: [],
    settings: defaultSettings,
    days: [
      makeDay('2026-11-24', 600_000, {
        hashtags: { seen: { 'a,b': 1, '=cmd': 2, 'say "hi"': 1 }, used: { café: 3 } },
        hashtagPageMs: { café: 5000 },
      }),
    ],
    snapshots: [{ ...makeSnapshot('maya.rivers', '2026-11-24'), following: null }],
    visits: [],
  },
  1,
  Date.UTC(2026, 10, 25),
);

const [days, hashtags, snapshots] = exportCsvFiles(document);
const rows = (text = '') => text.trimEnd().split('\r\n');

describe('CSV export', () => {
  it('has one row per day with per-surface and per-hour columns', () => {
    const [header, first] = rows(days?.text);
    expect(header?.split(',')).toHaveLength(3 + 9 + 4 + 24);
    expect(header).toMatch(/^date,time_zone,active_ms,feed_ms,explore_ms,/);
    expect(first).toMatch(/^2026-11-24,Europe\/Berlin,600000,600000,0,/);
  });

  it('has one row per day and tag, quoting commas and quotes and defusing formulas', () => {
    expect(rows(hashtags?.text)).toEqual([
      'date,hashtag,seen,used,page_ms',
      "2026-11-24,'=cmd,2,0,0",
      '2026-11-24,"a,b",1,0,0',
      '2026-11-24,café,0,3,5000',
      '2026-11-24,"say ""hi""",1,0,0',
    ]);
  });

  it('leaves unknown counts empty rather than zero', () => {
    expect(rows(snapshots?.text)[1]).toBe('maya.rivers,2026-11-24,2026-11-24T18:00:00.000Z,12437,true,,,120,false');
  });
});
