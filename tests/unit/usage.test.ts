import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { changeConsent } from '../../src/background/consent';
import { exportData, wipeData } from '../../src/background/data';
import { routeMessage } from '../../src/background/router';
import { mergeSnapshot, recordAccount, recordQuality, recordUsage } from '../../src/background/usage';
import type { AccountReportMessage, UsageReportMessage } from '../../src/shared/contracts/messages';
import type { AccountSnapshotRecord } from '../../src/shared/storage/records';
import { makeContext, own, type TestContext } from './helpers/context';

let context: TestContext;
beforeEach(() => {
  context = makeContext('Europe/Berlin');
});
afterEach(async () => {
  await context.db.delete();
});

const contentScript = { id: own.id, url: 'https://www.instagram.com/', tab: { id: 1 }, frameId: 0 };

function report(partial: Partial<UsageReportMessage> = {}): UsageReportMessage {
  const second = Math.floor(context.clock.now / 1000) - 60;
  return {
    type: 'usage.report',
    runs: [{ startSecond: second, seconds: 30, surface: 'feed' }],
    views: [{ kind: 'post', id: 'DCx8sP1oQ2a', at: context.clock.now - 5000 }],
    hashtags: [
      { postId: 'DCx8sP1oQ2a', tag: 'sourdough', at: context.clock.now - 5000, used: false },
      { postId: 'DMine000001', tag: 'baking', at: context.clock.now - 5000, used: true },
    ],
    ...partial,
  };
}

const account = (followers: AccountReportMessage['followers']): AccountReportMessage => ({
  type: 'account.report',
  username: 'maya.rivers',
  followers,
  following: { value: 450, exact: true },
  posts: { value: 120, exact: true },
});

describe('recordUsage', () => {
  it('stores nothing without usage consent', async () => {
    expect(await recordUsage(context, report())).toBe('no-consent');
    expect(await context.db.days.count()).toBe(0);
    expect(await context.db.attendedSeconds.count()).toBe(0);
  });

  it('writes the day once, however often the same report arrives (a retry after a killed worker)', async () => {
    await changeConsent(context, { usage: true, account: true }, 'onboarding');
    expect(await recordUsage(context, report())).toBe('recorded');
    expect(await recordUsage(context, report())).toBe('recorded');
    const [day] = (await exportData(context)).days;
    expect(day).toMatchObject({
      date: '2026-11-25',
      timeZone: 'Europe/Berlin',
      activeMs: 30_000,
      sessions: 1,
      views: { posts: 1, reels: 0, stories: 0 },
      hashtags: { seen: { sourdough: 1 }, used: { baking: 1 } },
    });
    expect(day?.surfaces.feed).toBe(30_000);
    expect(day?.hours[12]).toBe(30_000); // 11:59 UTC is 12:59 in Berlin
  });

  it('keeps which of the person’s own posts carry a tag only with account consent', async () => {
    await changeConsent(context, { usage: true }, 'onboarding');
    await recordUsage(context, report());
    const [day] = (await exportData(context)).days;
    expect(day?.hashtags).toEqual({ seen: { sourdough: 1 }, used: {} });
  });

  it('refuses times far from now (a broken clock or a forged report)', async () => {
    await changeConsent(context, { usage: true }, 'onboarding');
    const ancient = report({ runs: [{ startSecond: 1_000_000, seconds: 10, surface: 'feed' }] });
    expect(await recordUsage(context, ancient)).toBe('implausible');
    const future = report({ views: [{ kind: 'reel', id: 'x1234', at: context.clock.now + 3_600_000 }] });
    expect(await recordUsage(context, future)).toBe('implausible');
    expect(await context.db.days.count()).toBe(0);
  });

  it('answers through the router, refusing a usage report from an extension page', async () => {
    await changeConsent(context, { usage: true }, 'onboarding');
    expect(await routeMessage(report(), contentScript, context)).toEqual({ ok: true });
    const page = { id: own.id, url: `${own.origin}/src/popup/index.html` };
    expect(await routeMessage(report(), page, context)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(
      await routeMessage(
        { ...report(), runs: [{ startSecond: 1, seconds: 0, surface: 'feed' }] },
        contentScript,
        context,
      ),
    ).toMatchObject({ ok: false, error: { code: 'bad-message' } });
  });

  it('wipe clears what was counted, so nothing recorded before it lingers', async () => {
    await changeConsent(context, { usage: true }, 'onboarding');
    await recordUsage(context, report());
    await wipeData(context, false, 'options');
    expect(await context.db.attendedSeconds.count()).toBe(0);
    expect(await context.db.dayKeys.count()).toBe(0);
    await recordUsage(context, report());
    expect((await exportData(context)).days[0]?.activeMs).toBe(30_000);
  });
});

describe('recordAccount', () => {
  it('needs account consent', async () => {
    await changeConsent(context, { usage: true }, 'onboarding');
    expect(await recordAccount(context, account({ value: 12_437, exact: true }))).toBe('no-consent');
    expect(await context.db.accountSnapshots.count()).toBe(0);
  });

  it('keeps one point per account per day; a later exact value replaces a rounded one, never the reverse', async () => {
    await changeConsent(context, { account: true }, 'onboarding');
    await recordAccount(context, account({ value: 12_400, exact: false }));
    context.clock.now += 60_000;
    await recordAccount(context, account({ value: 12_437, exact: true }));
    context.clock.now += 60_000;
    await recordAccount(context, account({ value: 12_500, exact: false }));
    const snapshots = await context.db.accountSnapshots.toArray();
    expect(snapshots).toHaveLength(1);
    expect(snapshots[0]).toMatchObject({ followers: { value: 12_437, exact: true }, observedAt: context.clock.now });
    context.clock.now += 86_400_000;
    await recordAccount(context, account({ value: 12_501, exact: true }));
    expect(await context.db.accountSnapshots.count()).toBe(2);
  });

  it('keeps each account apart', async () => {
    await changeConsent(context, { account: true }, 'onboarding');
    await recordAccount(context, account({ value: 1, exact: true }));
    await recordAccount(context, { ...account({ value: 2, exact: true }), username: 'maya.studio' });
    expect((await exportData(context)).accounts.map((entry) => entry.username)).toEqual(['maya.rivers', 'maya.studio']);
  });
});

describe('mergeSnapshot', () => {
  const base: AccountSnapshotRecord = {
    username: 'maya',
    date: '2026-11-25',
    observedAt: 1,
    followers: { value: 100, exact: true },
    following: { value: 10, exact: false },
    posts: null,
  };
  it('updates with later observations, but keeps exact over rounded and known over unknown', () => {
    const later: AccountSnapshotRecord = {
      ...base,
      observedAt: 2,
      followers: { value: 105, exact: false },
      following: { value: 11, exact: true },
      posts: { value: 3, exact: true },
    };
    expect(mergeSnapshot(base, later)).toEqual({ ...later, followers: base.followers });
    expect(mergeSnapshot(later, { ...base, observedAt: 3, posts: null })).toMatchObject({
      posts: { value: 3, exact: true },
    });
  });
});

describe('recordQuality: recording health per reader, so no failure is silent', () => {
  it('keeps since when a reader fails and when it last worked, and ends the failure when it works again', async () => {
    await changeConsent(context, { usage: true }, 'onboarding');
    const worked = context.clock.now;
    expect(await recordQuality(context, 'reels', 'ok')).toBe('recorded');
    context.clock.now += 60_000;
    const since = context.clock.now;
    await recordQuality(context, 'reels', 'missing');
    context.clock.now += 60_000;
    await recordQuality(context, 'reels', 'missing');
    expect(await context.db.readerHealth.get('reels')).toEqual({
      reader: 'reels',
      lastOkAt: worked,
      failingSince: since,
      lastFailedAt: context.clock.now,
    });
    context.clock.now += 60_000;
    await recordQuality(context, 'reels', 'ok');
    expect(await context.db.readerHealth.get('reels')).toEqual({
      reader: 'reels',
      lastOkAt: context.clock.now,
      failingSince: null,
      lastFailedAt: since + 60_000,
    });
    expect(await context.db.readerHealth.count()).toBe(1);
  });

  it('accepts reports under account consent alone, as the content script reads what account allows', async () => {
    await changeConsent(context, { account: true }, 'onboarding');
    expect(await recordQuality(context, 'viewer', 'missing')).toBe('recorded');
    expect(await context.db.readerHealth.get('viewer')).toMatchObject({ failingSince: context.clock.now });
  });

  it('an account report whose counts were read marks the profile-counts reader working, in the same write', async () => {
    await changeConsent(context, { account: true }, 'onboarding');
    const since = context.clock.now;
    await recordQuality(context, 'profile-counts', 'missing');
    context.clock.now += 60_000;
    await recordAccount(context, account({ value: 1, exact: true }));
    expect(await context.db.readerHealth.get('profile-counts')).toEqual({
      reader: 'profile-counts',
      lastOkAt: context.clock.now,
      failingSince: null,
      lastFailedAt: since,
    });
  });

  it('is emptied by a wipe, with the rest of recording’s bookkeeping', async () => {
    await changeConsent(context, { usage: true }, 'onboarding');
    await recordQuality(context, 'stories', 'missing');
    await wipeData(context, false, 'options');
    expect(await context.db.readerHealth.count()).toBe(0);
  });
});
