/**
 * The fixture generator behind `npm run bench:ui`, the screenshots and the accessibility checks: its documents must be
 * what the extension's import accepts, hold the amount of data the performance goals are stated for (365 days, 5,000
 * distinct hashtags, 2 accounts), and be internally consistent the way recorded data is.
 */
import { describe, expect, it } from 'vitest';
import { changeConsent } from '../../src/background/consent';
import { importData } from '../../src/background/data';
import { type ExportDocument, parseExportDocument } from '../../src/shared/contracts/exportDocument';
import { sortTags, tagTable } from '../../src/shared/domain/reports';
import { buildDataset, hashtagPool, smallDataset, yearOfData } from '../support/yearOfData';
import { makeContext } from './helpers/context';

const fixed = { now: Date.parse('2026-11-25T15:30:00Z'), timeZone: 'Europe/Berlin' } as const;

function parsed(document: unknown): ExportDocument {
  const result = parseExportDocument(document);
  if (!result.ok) throw new Error(result.error);
  return result.document;
}

const year = parsed(yearOfData(fixed));
const month = parsed(smallDataset(fixed));

const sum = (values: Iterable<number>) => [...values].reduce((a, b) => a + b, 0);

describe('yearOfData', () => {
  it('passes the import schema with 365 consecutive days ending on the given date', () => {
    expect(year.days).toHaveLength(365);
    expect(year.days[0]?.date).toBe('2025-11-26');
    expect(year.days.at(-1)?.date).toBe('2026-11-25');
    const dates = year.days.map((day) => day.date);
    expect(new Set(dates).size).toBe(365);
    expect([...dates].sort()).toEqual(dates);
  });

  it('ends on the local date of `now` in its time zone when no end date is given', () => {
    // 23:30 UTC on the 25th is already the 26th in Berlin.
    const late = buildDataset({
      days: 3,
      tags: 10,
      now: Date.parse('2026-11-25T23:30:00Z'),
      timeZone: 'Europe/Berlin',
    });
    expect(late.days.map((day) => day.date)).toEqual(['2026-11-24', '2026-11-25', '2026-11-26']);
  });

  it('sees exactly 5,000 distinct hashtags over the year, the most popular ones dominating', () => {
    const rows = tagTable(year.days);
    const seen = rows.filter((row) => row.seen > 0);
    expect(seen).toHaveLength(5000);
    expect(new Set(hashtagPool(5000)).size).toBe(5000);
    // Zipf-like: the top 1 % of tags carry a large share of all sightings, and most tags are rare.
    const bySeen = sortTags(seen, { key: 'seen', direction: 'desc' });
    const total = sum(bySeen.map((row) => row.seen));
    expect(sum(bySeen.slice(0, 50).map((row) => row.seen)) / total).toBeGreaterThan(0.3);
    expect(sum(bySeen.slice(2500).map((row) => row.seen)) / total).toBeLessThan(0.1);
    // Used tags and tag pages are among them, not a separate set.
    expect(rows.filter((row) => row.used > 0).length).toBeGreaterThan(10);
    expect(rows.filter((row) => row.pageMs > 0).length).toBeGreaterThan(10);
  });

  it('has 2 accounts with exact, rounded and unread counts over the year', () => {
    expect(year.accounts.map((account) => account.username)).toEqual(['maya.bakes', 'maya.rivers']);
    for (const account of year.accounts) {
      expect(account.snapshots.length).toBeGreaterThan(60);
      expect(account.snapshots.at(-1)?.date).toBe('2026-11-25');
    }
    const followers = year.accounts.flatMap((account) => account.snapshots.map((snapshot) => snapshot.followers));
    expect(followers.some((count) => count?.exact === true)).toBe(true);
    expect(followers.some((count) => count?.exact === false)).toBe(true);
    const counts = year.accounts.flatMap((account) =>
      account.snapshots.flatMap((snapshot) => [snapshot.followers, snapshot.following, snapshot.posts]),
    );
    expect(counts.some((count) => count === null)).toBe(true);
    // Rounded numbers are what Instagram shows above 10,000: multiples of 100.
    for (const count of followers) if (count && !count.exact) expect(count.value % 100).toBe(0);
  });

  it('adds up like recorded days: surfaces and hours sum to the attention time, pairs are tags seen that day', () => {
    // Collected rather than asserted one by one: a year holds hundreds of thousands of pairs.
    const problems: string[] = [];
    for (const day of year.days) {
      const seen = (tag: string) => (day.hashtags.seen[tag] ?? 0) > 0;
      if (day.activeMs <= 0 || day.sessions <= 0) problems.push(`${day.date}: no use`);
      if (sum(Object.values(day.surfaces)) !== day.activeMs) problems.push(`${day.date}: surfaces`);
      if (sum(day.hours) !== day.activeMs) problems.push(`${day.date}: hours`);
      if (day.hours.some((ms) => ms > 3_600_000)) problems.push(`${day.date}: an hour over 60 minutes`);
      if (sum(Object.values(day.hashtagPageMs)) !== day.surfaces.hashtag) problems.push(`${day.date}: tag pages`);
      for (const tag of Object.keys(day.hashtagPageMs)) if (!seen(tag)) problems.push(`${day.date}: page of ${tag}`);
      for (const key of Object.keys(day.hashtagPairs)) {
        const [a = '', b = ''] = key.split(' ');
        if (!(a < b) || !seen(a) || !seen(b)) problems.push(`${day.date}: pair ${key}`);
      }
    }
    expect(problems).toEqual([]);
    expect(sum(year.days.map((day) => Object.keys(day.hashtagPairs).length))).toBeGreaterThan(50_000);
  });

  it('is deterministic: the same options give the same document, another seed another one', () => {
    expect(JSON.stringify(yearOfData(fixed))).toBe(JSON.stringify(yearOfData(fixed)));
    expect(JSON.stringify(smallDataset({ ...fixed, seed: 7 }))).not.toBe(JSON.stringify(smallDataset(fixed)));
  });

  it('is accepted by the background’s import (replace) and stored as given', async () => {
    const context = makeContext();
    try {
      // An import brings in only what consent allows; the bench and screenshots grant both scopes first too.
      await changeConsent(context, { usage: true, account: true }, 'options');
      const outcome = await importData(context, yearOfData(fixed), 'replace', false);
      expect(outcome).toMatchObject({ ok: true, applied: true, plan: { days: { add: 365 } } });
      expect(await context.db.days.count()).toBe(365);
      expect(await context.db.accountSnapshots.count()).toBe(sum(year.accounts.map((a) => a.snapshots.length)));
      expect(await context.db.visits.count()).toBe(100);
    } finally {
      await context.db.delete();
    }
    // A year of records validated and written: seconds when the machine is busy.
  }, 60_000);
});

describe('smallDataset', () => {
  it('is a month with about 60 tags and one account, for readable screenshots', () => {
    expect(month.days).toHaveLength(30);
    expect(month.days.at(-1)?.date).toBe('2026-11-25');
    expect(tagTable(month.days).filter((row) => row.seen > 0)).toHaveLength(60);
    expect(month.accounts.map((account) => account.username)).toEqual(['maya.rivers']);
    expect(month.visits.every((visit) => Date.parse(visit.seenAt) <= fixed.now)).toBe(true);
  });
});
