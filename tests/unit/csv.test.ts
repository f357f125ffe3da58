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
    localEdits: [
      { at: Date.UTC(2026, 10, 25, 9), date: '2026-11-24', surface: 'reels', removedMs: 60_000 },
      { at: Date.UTC(2026, 10, 25, 10), date: '2026-11-23', surface: null, removedMs: 600_000 },
    ],
    followerLists: [
      { id: 1, importedAt: Date.UTC(2026, 10, 20), exportOwner: 'maya.rivers', usernames: ['a.friend', 'b_friend'] },
    ],
  },
  1,
  Date.UTC(2026, 10, 25),
);

const [days, hashtags, snapshots, localEdits, followerLists] = exportCsvFiles(document);
const rows = (text = '') => text.trimEnd().split('\r\n');

describe('CSV export', () => {
  it('has one row per day with per-surface, passive per-surface and per-hour columns', () => {
    const [header, first] = rows(days?.text);
    expect(header?.split(',')).toHaveLength(3 + 9 + 9 + 4 + 24);
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

  it('has one row per correction made by hand, an empty surface when the whole day was deleted', () => {
    expect(localEdits?.name).toBe('smarttags-local-edits.csv');
    expect(rows(localEdits?.text)).toEqual([
      'at,date,surface,removed_ms',
      '2026-11-25T09:00:00.000Z,2026-11-24,reels,60000',
      '2026-11-25T10:00:00.000Z,2026-11-23,,600000',
    ]);
  });

  it('has one row per kept follower list and follower', () => {
    expect(followerLists?.name).toBe('smarttags-follower-lists.csv');
    expect(rows(followerLists?.text)).toEqual([
      'imported_at,export_owner,username',
      '2026-11-20T00:00:00.000Z,maya.rivers,a.friend',
      '2026-11-20T00:00:00.000Z,maya.rivers,b_friend',
    ]);
  });

  it('leaves unknown counts empty rather than zero', () => {
    expect(rows(snapshots?.text)[1]).toBe('maya.rivers,2026-11-24,2026-11-24T18:00:00.000Z,12437,true,,,120,false');
  });
});
