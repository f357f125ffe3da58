import { describe, expect, it } from 'vitest';
import { addDays } from '../../src/shared/domain/dates';
import { readerHealthAfter, readersToWarnAbout } from '../../src/shared/domain/readerHealth';
import type { Surface } from '../../src/shared/domain/routes';
import { type Reader, type ReaderHealthRecord, readers } from '../../src/shared/storage/records';
import { makeDay } from './helpers/records';

const today = '2026-11-25';
const minute = 60_000;

function failing(reader: Reader, since = 1000): ReaderHealthRecord {
  return { reader, lastOkAt: null, failingSince: since, lastFailedAt: since };
}

/** A day with time on the given surfaces only. */
function dayOn(date: string, ...used: Surface[]) {
  const day = makeDay(date, used.length * minute);
  day.surfaces.feed = 0;
  for (const surface of used) day.surfaces[surface] = minute;
  return day;
}

describe('readerHealthAfter: when a reader last worked and since when it fails', () => {
  it('a first failure starts the failure; later failures keep its start and move the last failure', () => {
    const first = readerHealthAfter(undefined, 'reels', 'missing', 1000);
    expect(first).toEqual({ reader: 'reels', lastOkAt: null, failingSince: 1000, lastFailedAt: 1000 });
    expect(readerHealthAfter(first, 'reels', 'missing', 5000)).toEqual({
      reader: 'reels',
      lastOkAt: null,
      failingSince: 1000,
      lastFailedAt: 5000,
    });
  });

  it('a success ends the failure and keeps when it last failed', () => {
    const failed = readerHealthAfter(undefined, 'stories', 'missing', 1000);
    expect(readerHealthAfter(failed, 'stories', 'ok', 9000)).toEqual({
      reader: 'stories',
      lastOkAt: 9000,
      failingSince: null,
      lastFailedAt: 1000,
    });
  });

  it('a failure after a success starts a new failure and keeps the last success', () => {
    const working = readerHealthAfter(undefined, 'feed-posts', 'ok', 1000);
    expect(working).toEqual({ reader: 'feed-posts', lastOkAt: 1000, failingSince: null, lastFailedAt: null });
    expect(readerHealthAfter(working, 'feed-posts', 'missing', 7000)).toEqual({
      reader: 'feed-posts',
      lastOkAt: 1000,
      failingSince: 7000,
      lastFailedAt: 7000,
    });
  });
});

describe('readersToWarnAbout: the popup warns only where the person uses Instagram', () => {
  const cases: Array<{ name: string; reader: Reader; used: Surface[]; warned: boolean }> = [
    { name: 'reels failing, reels watched', reader: 'reels', used: ['reels'], warned: true },
    { name: 'reels failing, only the feed used', reader: 'reels', used: ['feed'], warned: false },
    { name: 'stories failing, stories watched', reader: 'stories', used: ['stories', 'feed'], warned: true },
    { name: 'feed posts failing, feed used', reader: 'feed-posts', used: ['feed'], warned: true },
    { name: 'feed posts failing, explore used', reader: 'feed-posts', used: ['explore'], warned: false },
    { name: 'post page failing, posts opened', reader: 'post-page', used: ['post'], warned: true },
    { name: 'profile counts failing, profiles visited', reader: 'profile-counts', used: ['profile'], warned: true },
    { name: 'profile counts failing, no profile visited', reader: 'profile-counts', used: ['reels'], warned: false },
    { name: 'viewer failing, any time recorded', reader: 'viewer', used: ['direct'], warned: true },
    { name: 'viewer failing, no time recorded', reader: 'viewer', used: [], warned: false },
  ];

  it.each(cases)('$name: warned $warned', ({ reader, used, warned }) => {
    expect(readersToWarnAbout([failing(reader)], [dayOn(today, ...used)], today)).toEqual(warned ? [reader] : []);
  });

  it('never warns about a reader that works now, even one that failed before', () => {
    const recovered: ReaderHealthRecord = { reader: 'reels', lastOkAt: 9000, failingSince: null, lastFailedAt: 1000 };
    expect(readersToWarnAbout([recovered], [dayOn(today, 'reels')], today)).toEqual([]);
  });

  it('counts a surface used on any of the seven days before today, not before', () => {
    const health = [failing('reels')];
    expect(readersToWarnAbout(health, [dayOn(addDays(today, -7), 'reels')], today)).toEqual(['reels']);
    expect(readersToWarnAbout(health, [dayOn(addDays(today, -8), 'reels')], today)).toEqual([]);
    expect(readersToWarnAbout([failing('viewer')], [dayOn(addDays(today, -8), 'feed')], today)).toEqual([]);
  });

  it('names every failing reader once, in the order the readers are listed', () => {
    const health = [...readers].reverse().map((reader) => failing(reader));
    const everywhere = dayOn(today, 'feed', 'post', 'profile', 'reels', 'stories');
    expect(readersToWarnAbout(health, [everywhere, dayOn(addDays(today, -1), 'reels')], today)).toEqual([...readers]);
  });
});
