/**
 * The popup paints today's total from its own address (src/background/popupAddress.ts, src/popup/firstRead.ts). The
 * promise: the figure it paints from there is the one its own database read would paint, the address follows every
 * write that changes that figure, and after a wipe it carries nothing.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import manifest from '../../manifest.json';
import { changeConsent } from '../../src/background/consent';
import { wipeData } from '../../src/background/data';
import { editDay } from '../../src/background/edits';
import {
  followWrites,
  popupAddress,
  popupPage,
  refreshPopupAddress,
  todaysTotal,
} from '../../src/background/popupAddress';
import { recordUsage } from '../../src/background/usage';
import { openStoredDatabase, readTodaysTotal, totalInAddress } from '../../src/popup/firstRead';
import { addDays } from '../../src/shared/domain/dates';
import { SmartTagsDatabase } from '../../src/shared/storage/db';
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
  let stop: () => void = () => {};
  beforeEach(() => {
    stop = followWrites(context);
  });
  afterEach(() => stop());

  /** The address set once the refreshes that writes so far started have run. */
  async function addressAfterWrites(): Promise<string | undefined> {
    // Dexie signals a committed write from a task of its own; the refresh then reads and sets.
    await new Promise((resolve) => setTimeout(resolve, 50));
    await refreshesSettled();
    return context.platform.popups.at(-1);
  }
  /** Waits for the refreshes started so far (they run one after another; this one is last). */
  async function refreshesSettled(): Promise<void> {
    const before = context.platform.popups.length;
    await refreshPopupAddress(context);
    context.platform.popups.splice(before);
  }

  it('carries what a usage report added, follows consent and day edits, and nothing after a wipe', async () => {
    await changeConsent(context, { usage: true }, 'onboarding');
    // Choices made, nothing recorded: nothing to paint.
    expect(await addressAfterWrites()).toBe(popupPage);
    const second = Math.floor(context.clock.now / 1000) - 60;
    const recorded = await recordUsage(context, {
      type: 'usage.report',
      runs: [{ startSecond: second, seconds: 30, surface: 'feed' }],
      views: [],
      hashtags: [],
    });
    expect(recorded).toBe('recorded');
    expect(await addressAfterWrites()).toBe(`${popupPage}?today=${today}.30000`);
    await context.db.days.add(makeDay(addDays(today, -1), 90 * 60_000));
    expect(await addressAfterWrites()).toBe(`${popupPage}?today=${today}.30000`);
    // Today deleted from the dashboard, yesterday kept: zero today.
    expect(await editDay(context, today, undefined)).toMatchObject({ ok: true });
    expect(await addressAfterWrites()).toBe(`${popupPage}?today=${today}.0`);
    await context.db.days.put(makeDay(today, 60_000));
    expect(await addressAfterWrites()).toBe(`${popupPage}?today=${today}.60000`);
    await wipeData(context, false, 'popup');
    expect(await addressAfterWrites()).toBe(popupPage);
  });

  it('is not set again by writes that cannot change the figure, nor by another database’s', async () => {
    await changeConsent(context, { usage: true }, 'onboarding');
    await context.db.days.put(makeDay(today, 60_000));
    await addressAfterWrites();
    const set = context.platform.popups.length;
    await context.db.visits.add({ seenAt: context.clock.now, surface: 'feed' });
    const other = new SmartTagsDatabase(`test-${crypto.randomUUID()}`, { fixtureWrites: true });
    await other.days.put(makeDay(today, 120_000));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(context.platform.popups.length).toBe(set);
    await other.delete();
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
