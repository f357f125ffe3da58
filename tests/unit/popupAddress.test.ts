/**
 * The popup paints today's total from its own address (src/background/popupAddress.ts, src/popup/firstRead.ts). The
 * promise: the figure it paints from there is the one its own database read would paint, the address follows every
 * write that changes that figure, and after a wipe it carries nothing.
 */
import Dexie, { type ObservabilitySet } from 'dexie';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import manifest from '../../manifest.json';
import { changeConsent } from '../../src/background/consent';
import { wipeData } from '../../src/background/data';
import {
  changesTodaysTotal,
  popupAddress,
  popupPage,
  refreshPopupAddress,
  todaysTotal,
} from '../../src/background/popupAddress';
import { recordUsage } from '../../src/background/usage';
import { openStoredDatabase, readTodaysTotal, totalInAddress } from '../../src/popup/firstRead';
import { addDays } from '../../src/shared/domain/dates';
import { makeContext, type TestContext } from './helpers/context';
import { makeDay } from './helpers/records';

let context: TestContext;
beforeEach(() => {
  context = makeContext('Europe/Berlin');
});
afterEach(async () => {
  await context.db.delete();
});

// makeContext's clock: 2026-11-25, 13:00 in Berlin.
const today = '2026-11-25';

/** What the popup paints first from the address the background would set now. */
async function paintedFromAddress(): Promise<number | null> {
  const address = popupAddress(await todaysTotal(context));
  return totalInAddress(new URL(address, 'chrome-extension://ownid/').search, today);
}

/** What the popup paints first when it reads the database itself. */
function paintedFromDatabase(): Promise<number | null> {
  return readTodaysTotal(openStoredDatabase(context.db.name), today);
}

describe('the popup’s address carries today’s total', () => {
  it('is the manifest’s popup page', () => {
    expect(popupPage).toBe(manifest.action.default_popup);
    expect(popupAddress(null)).toBe(popupPage);
    expect(popupAddress({ date: today, activeMs: 42 * 60_000 })).toBe(`${popupPage}?today=${today}.2520000`);
  });

  it('gives the figure the popup’s own database read gives, in every state', async () => {
    const states: Array<[string, () => Promise<unknown>]> = [
      ['nothing stored', async () => {}],
      ['a day recorded, choices not made', () => context.db.days.add(makeDay(addDays(today, -1), 90 * 60_000))],
      ['choices made, nothing today', () => changeConsent(context, { usage: true }, 'onboarding')],
      ['today recorded', () => context.db.days.add(makeDay(today, 42 * 60_000))],
      ['today grows', () => context.db.days.put(makeDay(today, 43 * 60_000))],
      ['today deleted', () => context.db.days.delete(today)],
      ['every day deleted', () => context.db.days.clear()],
    ];
    const painted: Array<[string, number | null]> = [];
    for (const [state, reach] of states) {
      await reach();
      const fromDatabase = await paintedFromDatabase();
      expect(await paintedFromAddress(), state).toBe(fromDatabase);
      painted.push([state, fromDatabase]);
    }
    // The states above cover each kind of answer: none, zero and a figure.
    expect(painted.map(([, total]) => total)).toEqual([null, null, 0, 42 * 60_000, 43 * 60_000, 0, null]);
  });

  it('is painted only on the day it was set for, and only when well formed', () => {
    expect(totalInAddress(`?today=${today}.2520000`, today)).toBe(2_520_000);
    expect(totalInAddress(`?today=${today}.0`, today)).toBe(0);
    // Set before midnight: the popup reads the database instead.
    expect(totalInAddress(`?today=${addDays(today, -1)}.2520000`, today)).toBeNull();
    for (const search of ['', '?today=', `?today=${today}`, `?today=${today}.-5`, `?today=${today}.1e9`, '?x=1']) {
      expect(totalInAddress(search, today), search).toBeNull();
    }
  });
});

describe('the popup’s address follows the database', () => {
  /** The parts of the next committed write, as Dexie reports them to the background's listener. */
  async function partsOf(write: () => Promise<unknown>): Promise<ObservabilitySet> {
    const seen: ObservabilitySet[] = [];
    const listener = (parts: ObservabilitySet) => seen.push(parts);
    Dexie.on('storagemutated', listener);
    try {
      await write();
      await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      Dexie.on('storagemutated').unsubscribe(listener);
    }
    return Object.assign({}, ...seen);
  }

  it('is set again after writes of days or of the consent record, and not after other writes', async () => {
    const { name } = context.db;
    await changeConsent(context, { usage: true }, 'onboarding');
    expect(changesTodaysTotal(await partsOf(() => context.db.days.add(makeDay(today))), name)).toBe(true);
    expect(changesTodaysTotal(await partsOf(() => changeConsent(context, { usage: false }, 'options')), name)).toBe(
      true,
    );
    expect(
      changesTodaysTotal(
        await partsOf(() => context.db.visits.add({ seenAt: context.clock.now, surface: 'feed' })),
        name,
      ),
    ).toBe(false);
    // Another database's writes (another test's, another extension's) are not this one's.
    expect(changesTodaysTotal(await partsOf(() => context.db.days.put(makeDay(today))), 'another')).toBe(false);
  });

  it('carries what a usage report added, and nothing after a wipe', async () => {
    await changeConsent(context, { usage: true }, 'onboarding');
    const second = Math.floor(context.clock.now / 1000) - 60;
    const recorded = await recordUsage(context, {
      type: 'usage.report',
      runs: [{ startSecond: second, seconds: 30, surface: 'feed' }],
      views: [],
      hashtags: [],
    });
    expect(recorded).toBe('recorded');
    await refreshPopupAddress(context);
    expect(context.platform.popups.at(-1)).toBe(`${popupPage}?today=${today}.30000`);

    await wipeData(context, false, 'popup');
    await refreshPopupAddress(context);
    expect(context.platform.popups.at(-1)).toBe(popupPage);
  });

  it('sets the figures in the order they were read, so an older one never lands last', async () => {
    await changeConsent(context, { usage: true }, 'onboarding');
    await context.db.days.add(makeDay(today, 60_000));
    const first = refreshPopupAddress(context);
    await context.db.days.put(makeDay(today, 120_000));
    const second = refreshPopupAddress(context);
    await Promise.all([first, second]);
    expect(context.platform.popups.at(-1)).toBe(`${popupPage}?today=${today}.120000`);
  });

  it('sets the bare page when the database cannot be read, so the popup reads it itself', async () => {
    await changeConsent(context, { usage: true }, 'onboarding');
    await context.db.days.add(makeDay(today, 60_000));
    context.db.close();
    await refreshPopupAddress(context);
    expect(context.platform.popups.at(-1)).toBe(popupPage);
  });
});
