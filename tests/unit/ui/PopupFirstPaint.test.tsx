// @vitest-environment happy-dom
import { cleanup, screen, waitFor } from '@testing-library/preact';
import { render } from 'preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { durationText, paintTodaysTotal, todayHere } from '../../../src/popup/firstPaint';
import { openStoredDatabase, readTodaysTotal, storedDatabaseName } from '../../../src/popup/firstRead';
import { mountPopup } from '../../../src/popup/main';
import { Popup } from '../../../src/popup/Popup';
import { addDays, localToday } from '../../../src/shared/domain/dates';
import { databaseName, pageDatabaseOptions, SmartTagsDatabase } from '../../../src/shared/storage/db';
import { formatDuration } from '../../../src/shared/ui/format';
import { setTestLanguage } from '../helpers/i18n';
import { makeDay } from '../helpers/records';
import { consentView, fakeBackground, renderWithBackground } from './support';

// The background never answers: the popup's figures come from IndexedDB alone.
vi.mock('webextension-polyfill', () => ({ default: { runtime: { sendMessage: () => new Promise(() => {}) } } }));

const today = '2026-11-25';
let name: string;
let db: SmartTagsDatabase;
beforeEach(() => {
  name = `test-${crypto.randomUUID()}`;
  db = new SmartTagsDatabase(name, { ...pageDatabaseOptions, fixtureWrites: true });
});
afterEach(async () => {
  cleanup();
  document.body.replaceChildren();
  await db.delete();
});

async function decideChoices() {
  const { scopes, agreedPolicyVersion, decidedAt } = consentView({ usage: true });
  await db.consent.put({ id: 'current', scopes, agreedPolicyVersion, decidedAt });
}

describe('the popup’s first paint: today’s total before the full popup has loaded', () => {
  it('reads the database the extension stores its records in', () => {
    expect(storedDatabaseName).toBe(databaseName);
  });

  it.each(['en', 'fr'] as const)(
    'formats durations and finds today as the full popup does (%s): its own copies, to stay one file',
    (language) => {
      setTestLanguage(language);
      const durations = [0, 400, 1_000, 42_000, 59_499, 59_500, 60_000, 89_999, 90_000, 3_569_999, 3_570_000];
      for (const ms of [...durations, 3_600_000, 3_660_000, 5 * 3_600_000 + 59 * 60_000, 26 * 3_600_000]) {
        expect(durationText(ms), String(ms)).toBe(formatDuration(ms));
      }
      for (const at of [Date.UTC(2026, 10, 25, 0, 30), Date.UTC(2026, 10, 25, 23, 30), Date.now()]) {
        expect(todayHere(at)).toBe(localToday(at));
      }
    },
  );

  it('reads today’s total from the stored day, once the choices are made', async () => {
    await db.days.bulkAdd([makeDay(addDays(today, -1), 90 * 60_000), makeDay(today, 42 * 60_000)]);
    expect(await readTodaysTotal(openStoredDatabase(name), today)).toBeNull();
    await decideChoices();
    expect(await readTodaysTotal(openStoredDatabase(name), today)).toBe(42 * 60_000);
  });

  it('reads zero on a day without use after earlier days, and nothing before anything was recorded', async () => {
    await decideChoices();
    await db.open();
    expect(await readTodaysTotal(openStoredDatabase(name), today)).toBeNull();
    await db.days.add(makeDay(addDays(today, -3), 90 * 60_000));
    expect(await readTodaysTotal(openStoredDatabase(name), today)).toBe(0);
  });

  it('creates no database when there is none yet (the background’s Dexie creates it, at its own version)', async () => {
    const missing = `missing-${crypto.randomUUID()}`;
    expect(await readTodaysTotal(openStoredDatabase(missing), today)).toBeNull();
    const names = (await indexedDB.databases()).map((database) => database.name);
    expect(names).not.toContain(missing);
  });

  it('paints the total with the text and in the place the full popup shows it', async () => {
    await decideChoices();
    await db.days.add(makeDay(today, (60 + 5) * 60_000));
    setTestLanguage('fr');
    const first = document.createElement('div');
    document.body.append(first);
    paintTodaysTotal(first, (await readTodaysTotal(openStoredDatabase(name), today)) ?? Number.NaN);
    const painted = first.querySelector('main.popup > p.today-total > strong');
    expect(painted?.getAttribute('data-testid')).toBe('glance-total');
    expect(first.querySelector('main.popup > header.popup-header > h1')?.textContent).toBe('smartTags');

    renderWithBackground(fakeBackground(consentView({ usage: true })), <Popup db={db} today={today} />);
    const full = await screen.findByTestId('today-total');
    expect(full.textContent).toBe(painted?.textContent);
    expect(full.parentElement?.textContent).toBe(painted?.parentElement?.textContent);
    expect(painted?.parentElement?.textContent).toContain('sur Instagram aujourd’hui');
  });

  it('shows the first total in the full popup until its own figures are read, then the live one', async () => {
    await decideChoices();
    await db.days.add(makeDay(today, 5 * 60_000));
    renderWithBackground(
      fakeBackground(consentView({ usage: true })),
      <Popup db={db} today={today} firstTotal={180_000} />,
    );
    expect(screen.getByTestId('glance-total').textContent).toBe('3 min');
    expect(screen.queryByText('Loading…')).toBeNull();
    expect((await screen.findByTestId('today-total')).textContent).toBe('5 min');
    expect(screen.queryByTestId('glance-total')).toBeNull();
  });
});

describe('mountPopup: the full popup takes the first paint’s place', () => {
  let stored: SmartTagsDatabase;
  beforeEach(() => {
    stored = new SmartTagsDatabase(databaseName, { ...pageDatabaseOptions, fixtureWrites: true });
  });
  afterEach(() => stored.delete());

  it('renders the full popup with the first total and removes the first paint in the same task', async () => {
    const { scopes, agreedPolicyVersion, decidedAt } = consentView({ usage: true });
    await stored.consent.put({ id: 'current', scopes, agreedPolicyVersion, decidedAt });
    await stored.days.add(makeDay(localToday(), 7 * 60_000));
    const firstPaint = Object.assign(document.createElement('div'), { id: 'first-paint' });
    const app = Object.assign(document.createElement('div'), { id: 'app' });
    document.body.append(firstPaint, app);
    paintTodaysTotal(firstPaint, 7 * 60_000);

    mountPopup(7 * 60_000);
    expect(document.getElementById('first-paint')).toBeNull();
    expect(app.querySelector('[data-testid="glance-total"]')?.textContent).toBe('7 min');
    await waitFor(() => expect(app.querySelector('[data-testid="today-total"]')?.textContent).toBe('7 min'));
    // mountPopup renders outside testing-library, whose cleanup would not unmount it before the DOM is torn down.
    render(null, app);
  });
});
