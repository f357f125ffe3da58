import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyConsentEffects, changeConsent, consentView } from '../../src/background/consent';
import { readConsent } from '../../src/background/consentState';
import { latestPolicy, type PolicyVersion } from '../../src/shared/domain/policy';
import { makeContext, type TestContext } from './helpers/context';

const updatedHistory: PolicyVersion[] = [
  { version: 1, publishedOn: '2026-11-25', changesCollection: true, summary: 'First version.' },
  { version: 2, publishedOn: '2027-02-01', changesCollection: true, summary: 'Adds the device type to usage data.' },
];

let context: TestContext;
beforeEach(() => {
  // The history these tests write their own later versions onto, independent of the versions smartTags has shipped.
  context = makeContext('Europe/Berlin', updatedHistory.slice(0, 1));
});
afterEach(async () => {
  await context.db.delete();
});

describe('changeConsent', () => {
  it('starts undecided with everything off', async () => {
    expect(await readConsent(context)).toMatchObject({
      scopes: { usage: false, account: false, uploadUsage: false, uploadAccount: false },
      agreedPolicyVersion: null,
      decidedAt: null,
    });
  });

  it('records declining everything as a decision, with no ledger entries', async () => {
    const outcome = await changeConsent(
      context,
      { usage: false, account: false, uploadUsage: false, uploadAccount: false },
      'onboarding',
    );
    expect(outcome).toMatchObject({ ok: true, view: { decidedAt: context.clock.now } });
    expect(await context.db.consentLedger.count()).toBe(0);
  });

  it('writes one ledger entry per scope that changed, with time, version and source', async () => {
    await changeConsent(context, { usage: true, account: true }, 'onboarding');
    context.clock.now += 60_000;
    await changeConsent(context, { usage: false }, 'popup');
    const ledger = await context.db.consentLedger.orderBy('id').toArray();
    const version = latestPolicy(context.policyHistory).version;
    expect(
      ledger.map(({ scope, granted, source, at, policyVersion }) => ({ scope, granted, source, at, policyVersion })),
    ).toEqual([
      { scope: 'usage', granted: true, source: 'onboarding', at: context.clock.now - 60_000, policyVersion: version },
      { scope: 'account', granted: true, source: 'onboarding', at: context.clock.now - 60_000, policyVersion: version },
      { scope: 'usage', granted: false, source: 'popup', at: context.clock.now, policyVersion: version },
    ]);
  });

  it('refuses a scope whose prerequisites are off, changing nothing', async () => {
    const outcome = await changeConsent(context, { uploadAccount: true }, 'options');
    expect(outcome).toMatchObject({ ok: false });
    expect(await context.db.consent.count()).toBe(0);
    expect(await context.db.consentLedger.count()).toBe(0);
  });

  it('publishes the recording gate to content scripts after every change', async () => {
    await changeConsent(context, { usage: true }, 'popup');
    await changeConsent(context, { account: true }, 'popup');
    await changeConsent(context, { usage: false }, 'popup');
    const thresholds = { idleMs: 60_000, passiveMs: 180_000 };
    expect(context.platform.gates).toEqual([
      { usage: true, account: false, ...thresholds },
      { usage: true, account: true, ...thresholds },
      { usage: false, account: true, ...thresholds },
    ]);
  });

  it('gives Firefox back the data collection of withdrawn upload scopes', async () => {
    await changeConsent(context, { usage: true, account: true, uploadUsage: true, uploadAccount: true }, 'options');
    await changeConsent(context, { usage: false }, 'options');
    expect(context.platform.released).toEqual([['uploadUsage', 'uploadAccount']]);
  });

  it('a withdrawal reported by the browser is recorded as such and agrees to nothing', async () => {
    await changeConsent(context, { usage: true, uploadUsage: true }, 'options');
    const updated = { ...context, policyHistory: updatedHistory };
    await changeConsent(updated, { uploadUsage: false }, 'browser');
    const state = await readConsent(context);
    expect(state.agreedPolicyVersion).toBe(1);
    expect((await context.db.consentLedger.toArray()).at(-1)).toMatchObject({
      scope: 'uploadUsage',
      granted: false,
      source: 'browser',
    });
  });
});

describe('policy re-consent', () => {
  // The person agreed under version 1; then an update ships version 2, which changes what is collected.
  async function agreedToAnOlderPolicy() {
    await changeConsent(context, { usage: true, uploadUsage: true }, 'onboarding');
    context = { ...context, policyHistory: updatedHistory };
  }

  it('is not needed while the agreed version is current', async () => {
    await changeConsent(context, { usage: true, uploadUsage: true }, 'onboarding');
    await applyConsentEffects(context);
    expect(context.platform.badges.at(-1)).toBe(false);
  });

  it('shows the badge and lists the change when a collection-changing version is newer than the agreed one', async () => {
    await agreedToAnOlderPolicy();
    await applyConsentEffects(context);
    expect(context.platform.badges.at(-1)).toBe(true);
    expect(consentView(await readConsent(context), updatedHistory).policy).toEqual({
      version: 2,
      needsReconsent: true,
      changes: [updatedHistory[1]],
    });
  });

  it('agreeing again records the re-grant under the new version and clears the badge', async () => {
    await agreedToAnOlderPolicy();
    const outcome = await changeConsent(context, { uploadUsage: true }, 'policy-update');
    expect(outcome).toMatchObject({ ok: true, view: { policy: { needsReconsent: false } } });
    expect((await context.db.consentLedger.toArray()).at(-1)).toMatchObject({
      scope: 'uploadUsage',
      granted: true,
      source: 'policy-update',
      policyVersion: 2,
    });
    expect(context.platform.badges.at(-1)).toBe(false);
  });

  it('a choice in the popup while a review is pending does not count as agreeing', async () => {
    await agreedToAnOlderPolicy();
    const outcome = await changeConsent(context, { account: true }, 'popup');
    expect(outcome).toMatchObject({ ok: true, view: { agreedPolicyVersion: 1, policy: { needsReconsent: true } } });
    expect(context.platform.badges.at(-1)).toBe(true);
  });

  it('opting out instead withdraws the upload scopes and keeps recording on this device', async () => {
    await agreedToAnOlderPolicy();
    const outcome = await changeConsent(context, { uploadUsage: false, uploadAccount: false }, 'policy-update');
    expect(outcome).toMatchObject({
      ok: true,
      view: { scopes: { usage: true, uploadUsage: false }, policy: { needsReconsent: false } },
    });
  });
});
