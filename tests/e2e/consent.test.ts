/**
 * Consent and the local data lifecycle, in the real extension: the consent page opens on install, nothing is stored
 * before consent, granting and withdrawing change what is stored, wipe empties everything, and an export survives
 * wipe → import unchanged.
 */
import type { Page } from 'puppeteer';
import { expect, it } from 'vitest';
import type { ExportDocument } from '../../src/shared/contracts/exportDocument';
import type { ConsentLedgerRecord, VisitRecord } from '../../src/shared/storage/records';
import { makeDay, makeSnapshot } from '../unit/helpers/records';
import { bothBrowsers, describeInBrowsers, type ExtensionSession, eventually } from './harness';

const pages = {
  '/': { file: 'feed-en.html' },
  '/explore/': { file: 'feed-en.html' },
  '/reels/': { file: 'feed-en.html' },
};

const settle = () => new Promise((resolve) => setTimeout(resolve, 1500));

async function visits(session: ExtensionSession): Promise<string[]> {
  return (await session.readTable<VisitRecord>('visits')).map((visit) => visit.surface);
}

async function exported(session: ExtensionSession): Promise<ExportDocument> {
  const reply = (await session.sendFromExtensionPage({ type: 'data.export' })) as {
    ok: boolean;
    value: ExportDocument;
  };
  expect(reply.ok).toBe(true);
  return reply.value;
}

async function visitInstagram(session: ExtensionSession, path: keyof typeof pages): Promise<void> {
  const page = await session.openInstagram(path, pages);
  await settle();
  await page.close();
}

async function checkbox(page: Page, scope: string): Promise<boolean> {
  return page.$eval(`input[name="scope-${scope}"]`, (input) => (input as HTMLInputElement).checked);
}

describeInBrowsers(bothBrowsers, 'consent and the data lifecycle', (session) => {
  it('opens the consent page in a tab of its own on install, everything off, declining as easy as accepting', async () => {
    const onboarding = await session().findExtensionTab('src/onboarding/index.html');
    await onboarding.waitForSelector('input[name="scope-uploadAccount"]');
    for (const scope of ['usage', 'account', 'uploadUsage', 'uploadAccount']) {
      expect(await checkbox(onboarding, scope)).toBe(false);
    }
    expect(await onboarding.$('[data-testid="onboarding-decline"]')).not.toBeNull();
    expect(await onboarding.$('[data-testid="onboarding-save"]')).not.toBeNull();
    expect(await onboarding.$eval('[data-testid="policy"]', (details) => details.textContent)).toMatch(/version 3/i);
  });

  it('stores nothing before consent', async () => {
    await visitInstagram(session(), '/');
    expect(await visits(session())).toEqual([]);
    const document = await exported(session());
    expect(document.visits).toEqual([]);
    expect(document.consent).toEqual({ usage: false, account: false, uploadUsage: false, uploadAccount: false });
  });

  it('records after consent on the onboarding page, and stops when it is withdrawn in the popup', async () => {
    const onboarding = await session().findExtensionTab('src/onboarding/index.html');
    await onboarding.click('input[name="scope-usage"]');
    await onboarding.click('[data-testid="onboarding-save"]');
    await onboarding.waitForSelector('[data-testid="onboarding-done"]');

    await visitInstagram(session(), '/explore/');
    expect(await visits(session())).toEqual(['explore']);

    const popup = await session().openExtensionPage('src/popup/index.html');
    await popup.click('[data-testid="choices-toggle"]');
    await popup.waitForSelector('input[name="scope-usage"]', { visible: true });
    expect(await checkbox(popup, 'usage')).toBe(true);
    await popup.click('input[name="scope-usage"]');
    await eventually('usage to be withdrawn', async () =>
      (await exported(session())).consent.usage === false ? true : undefined,
    );
    await popup.close();

    await visitInstagram(session(), '/reels/');
    expect(await visits(session())).toEqual(['explore']);

    const ledger = await session().readTable<ConsentLedgerRecord>('consentLedger');
    expect(ledger.map(({ scope, granted, source }) => [scope, granted, source])).toEqual([
      ['usage', true, 'onboarding'],
      ['usage', false, 'popup'],
    ]);
  });

  it('"Pause for 1 hour" in the popup stops recording at once, and "Resume now" starts it again', async () => {
    await session().sendFromExtensionPage({ type: 'consent.set', scopes: { usage: true }, source: 'options' });
    const before = (await visits(session())).length;
    const popup = await session().openExtensionPage('src/popup/index.html');
    await popup.click('[data-testid="pause-hour"]');
    await popup.waitForSelector('[data-testid="resume"]');
    expect(await popup.$eval('[data-testid="recording-status"]', (status) => status.textContent)).toContain(
      'Paused until',
    );

    await visitInstagram(session(), '/reels/');
    expect((await visits(session())).length).toBe(before);
    // The pause leaves consent as it was.
    expect((await exported(session())).consent.usage).toBe(true);

    await popup.click('[data-testid="resume"]');
    await popup.waitForSelector('[data-testid="pause-hour"]');
    await popup.close();
    await visitInstagram(session(), '/reels/');
    expect((await visits(session())).slice(before)).toEqual(['reels']);
  });

  it('"Delete all my data" in the popup leaves nothing recorded', async () => {
    await session().sendFromExtensionPage({ type: 'consent.set', scopes: { usage: true }, source: 'options' });
    await visitInstagram(session(), '/');
    expect((await visits(session())).length).toBeGreaterThan(0);

    const popup = await session().openExtensionPage('src/popup/index.html');
    // The control shows once the background has answered with the consent view, which under load can come after the
    // popup's first render.
    await popup.waitForSelector('[data-testid="wipe"]');
    await popup.click('[data-testid="wipe"]');
    await popup.waitForSelector('[data-testid="wipe-confirm"]');
    await popup.click('[data-testid="wipe-confirm"]');
    await popup.waitForSelector('[data-testid="wipe-done"]');
    await popup.close();

    const document = await exported(session());
    expect(document.days).toEqual([]);
    expect(document.accounts).toEqual([]);
    expect(document.visits).toEqual([]);
    // Recording continues unless the person asked it to stop.
    expect(document.consent.usage).toBe(true);
  });

  it('export → wipe → import restores the same document', async () => {
    const seeded = await exported(session());
    seeded.days = [makeDay('2026-11-23'), makeDay('2026-11-24', 1_800_000)];
    seeded.accounts = [
      {
        username: 'maya.rivers',
        snapshots: [makeSnapshot('maya.rivers', '2026-11-24')].map(({ username: _u, observedAt, ...rest }) => ({
          ...rest,
          observedAt: new Date(observedAt).toISOString(),
        })),
      },
    ];
    expect(
      await session().sendFromExtensionPage({ type: 'data.import', document: seeded, mode: 'replace' }),
    ).toMatchObject({ ok: true, value: { applied: true } });

    const before = await exported(session());
    expect(before.days.map((day) => day.date)).toEqual(['2026-11-23', '2026-11-24']);
    expect(await session().sendFromExtensionPage({ type: 'data.wipe' })).toEqual({ ok: true });
    expect((await exported(session())).days).toEqual([]);
    expect(
      await session().sendFromExtensionPage({ type: 'data.import', document: before, mode: 'replace' }),
    ).toMatchObject({ ok: true });
    const after = await exported(session());
    expect({ ...after, exportedAt: before.exportedAt }).toEqual(before);
  });
});
