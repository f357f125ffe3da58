import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyConsentEffects, changeConsent } from '../../src/background/consent';
import { routeMessage } from '../../src/background/router';
import { recordAccount, recordUsage } from '../../src/background/usage';
import type { UsageReportMessage } from '../../src/shared/contracts/messages';
import { localDateOf } from '../../src/shared/domain/dates';
import { isPaused, pauseEnd, startOfNextDay } from '../../src/shared/domain/pause';
import type { SenderFacts } from '../../src/shared/domain/sender';
import { makeContext, own, type TestContext } from './helpers/context';

const popup: SenderFacts = { id: own.id, url: `${own.origin}/src/popup/index.html` };
const contentScript: SenderFacts = { id: own.id, url: 'https://www.instagram.com/', tab: { id: 1 }, frameId: 0 };
const hour = 3_600_000;

describe('pause arithmetic', () => {
  it('is paused only before the end', () => {
    expect(isPaused(null, 1000)).toBe(false);
    expect(isPaused(2000, 1000)).toBe(true);
    expect(isPaused(1000, 1000)).toBe(false);
  });

  it('"until tomorrow" ends at the next local midnight', () => {
    const now = Date.parse('2026-11-25T21:30:00Z'); // 22:30 in Berlin
    expect(new Date(startOfNextDay(now, 'Europe/Berlin')).toISOString()).toBe('2026-11-25T23:00:00.000Z');
    expect(new Date(startOfNextDay(now, 'America/New_York')).toISOString()).toBe('2026-11-26T05:00:00.000Z');
    // Just after midnight it is the following midnight, almost a day away.
    const justAfter = Date.parse('2026-11-25T23:00:30Z');
    expect(new Date(startOfNextDay(justAfter, 'Europe/Berlin')).toISOString()).toBe('2026-11-26T23:00:00.000Z');
  });

  it('follows DST: the next midnight after a 23-hour and a 25-hour day', () => {
    // Europe/Berlin springs forward on 2026-03-29 and falls back on 2026-10-25.
    const spring = Date.parse('2026-03-29T08:00:00Z');
    expect(new Date(startOfNextDay(spring, 'Europe/Berlin')).toISOString()).toBe('2026-03-29T22:00:00.000Z');
    const autumn = Date.parse('2026-10-25T08:00:00Z');
    expect(new Date(startOfNextDay(autumn, 'Europe/Berlin')).toISOString()).toBe('2026-10-25T23:00:00.000Z');
  });

  it('finds the first instant of a day whose midnight does not exist', () => {
    // America/Santiago skips 00:00–01:00 when DST starts (2026-09-06): the day begins at 01:00 local.
    const now = Date.parse('2026-09-05T20:00:00Z');
    const end = startOfNextDay(now, 'America/Santiago');
    expect(localDateOf(end, 'America/Santiago')).toBe('2026-09-06');
    expect(localDateOf(end - 60_000, 'America/Santiago')).toBe('2026-09-05');
  });

  it('"for 1 hour" ends an hour from now', () => {
    expect(pauseEnd('hour', 5000, 'Europe/Berlin')).toBe(5000 + hour);
  });
});

describe('pausing recording', () => {
  let context: TestContext;
  beforeEach(async () => {
    context = makeContext('Europe/Berlin');
    await changeConsent(context, { usage: true, account: true }, 'onboarding');
  });
  afterEach(async () => {
    await context.db.delete();
  });

  function report(): UsageReportMessage {
    const second = Math.floor(context.clock.now / 1000) - 60;
    return {
      type: 'usage.report',
      runs: [{ startSecond: second, seconds: 30, surface: 'feed' }],
      views: [{ kind: 'post', id: 'DCx8sP1oQ2a', at: context.clock.now - 5000 }],
      hashtags: [],
    };
  }

  const pause = (until: number | null) => routeMessage({ type: 'recording.pause', until }, popup, context);

  it('closes the content scripts’ gate, keeps consent, and schedules the resume', async () => {
    const until = context.clock.now + hour;
    expect(await pause(until)).toEqual({ ok: true, value: { pausedUntil: until } });
    expect(context.platform.gates.at(-1)).toMatchObject({ usage: false, account: false });
    expect(context.platform.resumes).toEqual([until]);
    expect((await context.db.consent.get('current'))?.scopes).toMatchObject({ usage: true, account: true });
  });

  it('stores nothing while paused, even from a content script that has not heard of the pause yet', async () => {
    await pause(context.clock.now + hour);
    expect(await recordUsage(context, report())).toBe('paused');
    expect(
      await recordAccount(context, {
        type: 'account.report',
        username: 'maya.rivers',
        followers: { value: 10, exact: true },
        following: null,
        posts: null,
      }),
    ).toBe('paused');
    expect(await routeMessage({ type: 'page.seen', path: '/' }, contentScript, context)).toMatchObject({
      ok: false,
      error: { code: 'paused' },
    });
    expect(await context.db.days.count()).toBe(0);
    expect(await context.db.accountSnapshots.count()).toBe(0);
    expect(await context.db.visits.count()).toBe(0);
  });

  it('records again once the pause has ended, and the resume alarm reopens the gate', async () => {
    await pause(context.clock.now + hour);
    context.clock.now += hour;
    expect(await recordUsage(context, report())).toBe('recorded');
    await applyConsentEffects(context); // what the resume alarm runs
    expect(context.platform.gates.at(-1)).toMatchObject({ usage: true, account: true });
  });

  it('resumes at once when asked', async () => {
    await pause(context.clock.now + hour);
    expect(await pause(null)).toEqual({ ok: true, value: { pausedUntil: null } });
    expect(context.platform.resumes).toEqual([context.clock.now + hour, null]);
    expect(context.platform.gates.at(-1)).toMatchObject({ usage: true, account: true });
    expect(await recordUsage(context, report())).toBe('recorded');
  });

  it('refuses a pause that ends in the past or more than 25 hours ahead', async () => {
    expect(await pause(context.clock.now - 1)).toMatchObject({ ok: false, error: { code: 'refused' } });
    expect(await pause(context.clock.now + 26 * hour)).toMatchObject({ ok: false, error: { code: 'refused' } });
    expect(context.platform.resumes).toEqual([]);
  });

  it('accepts a pause only from the extension’s own pages', async () => {
    const reply = await routeMessage(
      { type: 'recording.pause', until: context.clock.now + hour },
      contentScript,
      context,
    );
    expect(reply).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });
});
