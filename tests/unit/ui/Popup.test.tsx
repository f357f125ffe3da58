// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Popup } from '../../../src/popup/Popup';
import type { ConsentView, ExtensionPageMessage } from '../../../src/shared/contracts/messages';
import { addDays } from '../../../src/shared/domain/dates';
import type { Surface } from '../../../src/shared/domain/routes';
import { pageDatabaseOptions, SmartTagsDatabase } from '../../../src/shared/storage/db';
import type { ReaderHealthRecord } from '../../../src/shared/storage/records';
import type { Ask } from '../../../src/shared/ui/background';
import { makeDay, makeSnapshot } from '../helpers/records';
import { checkbox, consentView, type FakeBackground, fakeBackground, renderWithBackground } from './support';

const browserMock = vi.hoisted(() => ({
  runtime: { getURL: (path: string) => `chrome-extension://test/${path}`, openOptionsPage: vi.fn(async () => {}) },
  tabs: { create: vi.fn(async () => ({})) },
}));
vi.mock('webextension-polyfill', () => ({ default: browserMock }));
vi.mock('../../../src/shared/ui/dataCollection', () => ({ requestDataCollection: vi.fn(() => Promise.resolve(true)) }));

let db: SmartTagsDatabase;
beforeEach(() => {
  db = new SmartTagsDatabase(`test-${crypto.randomUUID()}`, { ...pageDatabaseOptions, fixtureWrites: true });
});
afterEach(async () => {
  cleanup();
  vi.clearAllMocks();
  await db.delete();
});

const today = '2026-11-25';

/** Stores the consent the fake background answers, as the real background keeps it in IndexedDB. */
async function storeConsent(view: ConsentView) {
  const { scopes, agreedPolicyVersion, decidedAt } = view;
  await db.consent.put({ id: 'current', scopes, agreedPolicyVersion, decidedAt });
}

async function renderPopup(background: FakeBackground) {
  await storeConsent(await background.ask({ type: 'consent.get' }));
  background.calls.length = 0;
  const mirrored: FakeBackground = {
    ...background,
    ask: (async (message: ExtensionPageMessage) => {
      const reply = await background.ask(message);
      if (message.type === 'consent.set') await storeConsent(reply as ConsentView);
      return reply;
    }) as Ask,
  };
  renderWithBackground(mirrored, <Popup db={db} today={today} />);
  await waitFor(() => expect(document.querySelector('[aria-busy="true"]')).toBeNull());
}

describe('Popup', () => {
  it('before onboarding, says nothing is recorded and opens the onboarding page', async () => {
    await renderPopup(fakeBackground(consentView({}, { decidedAt: null })));
    const needed = screen.getByTestId('consent-needed');
    expect(needed.textContent).toContain('smartTags records nothing until you choose');
    expect(screen.queryByTestId('visits')).toBeNull();
    expect(document.querySelector('input[name="scope-usage"]')).toBeNull();

    fireEvent.click(screen.getByTestId('open-onboarding'));
    expect(browserMock.tabs.create).toHaveBeenCalledWith({ url: 'chrome-extension://test/src/onboarding/index.html' });
  });

  it('says recording is off when usage is off, and offers the choices', async () => {
    await renderPopup(fakeBackground(consentView({ account: true })));
    expect(screen.getByTestId('recording-off').textContent).toContain('Recording is off');
    expect(checkbox('scope-usage').checked).toBe(false);
    expect(checkbox('scope-account').checked).toBe(true);
  });

  it('stops saying recording is off once usage is turned on from the popup', async () => {
    const background = fakeBackground(consentView());
    await renderPopup(background);
    fireEvent.click(checkbox('scope-usage'));
    await waitFor(() => expect(screen.queryByTestId('recording-off')).toBeNull());
    expect(background.sent('consent.set')).toEqual([{ type: 'consent.set', scopes: { usage: true }, source: 'popup' }]);
  });

  it('lists the five newest visits, newest first, by surface', async () => {
    const now = Date.now();
    await db.visits.bulkAdd([
      { surface: 'feed', seenAt: now - 7000 },
      { surface: 'explore', seenAt: now - 6000 },
      { surface: 'hashtag', seenAt: now - 5000 },
      { surface: 'reels', seenAt: now - 4000 },
      { surface: 'stories', seenAt: now - 3000 },
      { surface: 'direct', seenAt: now - 2000 },
      { surface: 'profile', seenAt: now - 1000 },
    ]);
    await renderPopup(fakeBackground(consentView({ usage: true })));
    const list = await screen.findByTestId('visits');
    const labels = [...list.querySelectorAll('li .surface')].map((label) => label.textContent);
    expect(labels).toEqual(['Profile', 'Messages', 'Stories', 'Reels', 'Hashtag page']);
    expect(list.querySelector('li time')?.getAttribute('dateTime')).toBe(new Date(now - 1000).toISOString());
    expect(screen.queryByTestId('recording-off')).toBeNull();
  });

  it('says when no visit is recorded yet, and shows a visit as soon as the background stores one', async () => {
    await renderPopup(fakeBackground(consentView({ usage: true })));
    expect((await screen.findByTestId('visits-empty')).textContent).toContain('No Instagram visit recorded yet');
    await db.visits.add({ surface: 'post', seenAt: Date.now() });
    expect((await screen.findByTestId('visits')).textContent).toContain('Post');
  });

  it('asks the person to review a policy change, opening the policy-update page', async () => {
    await renderPopup(fakeBackground(consentView({ usage: true, uploadUsage: true }, { needsReconsent: true })));
    expect(screen.getByTestId('policy-notice').textContent).toContain('The privacy policy has changed');
    fireEvent.click(screen.getByTestId('policy-review'));
    expect(browserMock.tabs.create).toHaveBeenCalledWith({
      url: 'chrome-extension://test/src/onboarding/index.html?reason=policy-update',
    });
  });

  it('shows no policy notice when the policy is agreed to', async () => {
    await renderPopup(fakeBackground(consentView({ usage: true })));
    expect(screen.queryByTestId('policy-notice')).toBeNull();
  });

  it('opens the dashboard', async () => {
    await renderPopup(fakeBackground(consentView({ usage: true })));
    fireEvent.click(screen.getByTestId('open-dashboard'));
    expect(browserMock.runtime.openOptionsPage).toHaveBeenCalled();
  });
});

describe('Popup: today at a glance', () => {
  it('before anything is recorded, says how to start', async () => {
    await renderPopup(fakeBackground(consentView({ usage: true })));
    expect((await screen.findByTestId('today-empty')).textContent).toContain('Nothing recorded yet');
    expect(screen.queryByTestId('today-total')).toBeNull();
  });

  it('shows today’s total against the usual for this weekday, a bar per surface, views and top hashtags', async () => {
    const day = makeDay(today, 45 * 60_000, {
      views: { posts: 31, reels: 12, stories: 4 },
      hashtags: { seen: { sourdough: 9, café: 4, baking: 6 }, used: {} },
    });
    day.surfaces.feed = 20 * 60_000;
    day.surfaces.reels = 25 * 60_000;
    // The three Wednesdays before (2026-11-25 is one): 30, 40 and 30 min, so a usual Wednesday is 30 min. The other
    // weekdays, however long, do not count.
    const wednesdays = [30, 40, 30].map((minutes, index) =>
      makeDay(addDays(today, -7 * (index + 1)), minutes * 60_000),
    );
    const otherDays = [1, 2, 8, 9].map((back) => makeDay(addDays(today, -back), 600 * 60_000));
    await db.days.bulkAdd([day, ...wednesdays, ...otherDays]);
    await renderPopup(fakeBackground(consentView({ usage: true })));

    expect((await screen.findByTestId('today-total')).textContent).toBe('45 min');
    expect(screen.getByTestId('today-usual').textContent).toBe('15 min more than a usual Wednesday (30 min)');
    const bars = [...screen.getByTestId('surface-bars').querySelectorAll('li')].map((item) => item.textContent);
    expect(bars).toEqual(['Reels25 min', 'Feed20 min']);
    expect(screen.queryByTestId('surface-rest')).toBeNull();
    expect(screen.getByTestId('today-views').textContent).toBe('Posts: 31 · Reels: 12 · Stories: 4');
    const tags = [...screen.getByTestId('today-tags').querySelectorAll('.tag')].map((tag) => tag.textContent);
    expect(tags).toEqual(['#sourdough', '#baking', '#café']);
  });

  it('paints today’s figures from IndexedDB without waiting for the background to answer', async () => {
    await db.days.add(makeDay(today, 5 * 60_000));
    await storeConsent(consentView({ usage: true }));
    const asleep = fakeBackground(consentView({ usage: true }), {});
    const neverAnswers = { ...asleep, ask: (() => new Promise(() => {})) as Ask };
    renderWithBackground(neverAnswers, <Popup db={db} today={today} />);
    expect((await screen.findByTestId('today-total')).textContent).toBe('5 min');
  });

  it('says when nothing was recorded today but earlier days were', async () => {
    await db.days.add(makeDay(addDays(today, -1), 70 * 60_000));
    await renderPopup(fakeBackground(consentView({ usage: true })));
    expect((await screen.findByTestId('today-total')).textContent).toBe('0 min');
    // Recording began yesterday: there is no earlier Wednesday to compare with, rather than a Wednesday of 0 min.
    expect(screen.getByTestId('today-usual').textContent).toBe('No usual Wednesday yet: it takes a week of recording.');
    expect(screen.getByTestId('today-nothing').textContent).toContain('No Instagram time recorded today yet');
  });

  it('stays quick and readable with a heavy day (hundreds of tags) and a year behind it', async () => {
    const seen = Object.fromEntries(Array.from({ length: 800 }, (_, index) => [`tag${index}`, index % 50]));
    const days = Array.from({ length: 365 }, (_, index) =>
      makeDay(addDays(today, -index), 90 * 60_000, { hashtags: { seen, used: {} } }),
    );
    await db.days.bulkAdd(days);
    await renderPopup(fakeBackground(consentView({ usage: true })));
    expect((await screen.findByTestId('today-total')).textContent).toBe('1 hr 30 min');
    expect(screen.getByTestId('today-tags').querySelectorAll('li')).toHaveLength(5);
    expect(screen.getByTestId('today-usual').textContent).toBe('About a usual Wednesday (1 hr 30 min)');
  });

  it('tells a logged-out person why nothing about them appears', async () => {
    await db.visits.add({ surface: 'feed', seenAt: Date.now(), signedOut: true });
    await renderPopup(fakeBackground(consentView({ usage: true, account: true })));
    expect((await screen.findByTestId('signed-out')).textContent).toContain('Instagram says you are logged out');
  });

  it('shows the latest followers and the change since yesterday, only with account allowed', async () => {
    await db.accountSnapshots.bulkAdd([
      makeSnapshot('maya.rivers', addDays(today, -1), 12_437),
      makeSnapshot('maya.rivers', today, 12_450),
    ]);
    await renderPopup(fakeBackground(consentView({ usage: true, account: true })));
    const line = (await screen.findByTestId('account-followers')).textContent;
    expect(line).toContain('@maya.rivers');
    expect(line).toContain('12,450 followers');
    expect(line).toContain('+13 since yesterday');
    cleanup();

    await renderPopup(fakeBackground(consentView({ usage: true })));
    await screen.findByTestId('today-empty');
    expect(screen.queryByTestId('account-followers')).toBeNull();
  });

  it('says where followers come from before any was read', async () => {
    await renderPopup(fakeBackground(consentView({ usage: true, account: true })));
    expect((await screen.findByTestId('account-empty')).textContent).toContain('open your own profile');
  });
});

describe('Popup: the usual for this weekday counts only weeks since recording began', () => {
  it('counts an earlier Wednesday without use as zero once recording had begun, and none before', async () => {
    // Recording began on the Tuesday two weeks ago: the Wednesday after it had no use (0 min), last Wednesday 40 min;
    // the Wednesdays before recording began do not count. The usual is the median of 0 and 40 min.
    await db.days.bulkAdd([
      makeDay(addDays(today, -15), 90 * 60_000),
      makeDay(addDays(today, -7), 40 * 60_000),
      makeDay(today, 50 * 60_000),
    ]);
    await renderPopup(fakeBackground(consentView({ usage: true })));
    expect((await screen.findByTestId('today-usual')).textContent).toBe('30 min more than a usual Wednesday (20 min)');
  });
});

describe('Popup: goals and their streak', () => {
  async function storeGoals(dailyLimitMinutes: number | null, surfaceLimitsMinutes: Partial<Record<Surface, number>>) {
    await db.settings.put({
      id: 'current',
      retentionDays: null,
      idleSeconds: 60,
      passiveSeconds: 180,
      pausedUntil: null,
      dailyLimitMinutes,
      surfaceLimitsMinutes,
    });
  }
  /** A day of `minutes` in all, `reels` of them on reels and the rest on the feed. */
  function dayOf(date: string, minutes: number, reels = 0) {
    const day = makeDay(date, minutes * 60_000);
    day.surfaces.feed = (minutes - reels) * 60_000;
    day.surfaces.reels = reels * 60_000;
    return day;
  }

  it('shows progress toward the daily limit and each surface’s limit, and says when one is over', async () => {
    await storeGoals(60, { reels: 20, stories: 10 });
    await db.days.add(dayOf(today, 45, 25));
    await renderPopup(fakeBackground(consentView({ usage: true })));
    expect((await screen.findByTestId('goal-overall')).textContent).toBe('45 min of your 1 hr daily limit');
    expect(screen.getByTestId('goal-reels').textContent).toBe('Reels: 5 min over 20 min');
    expect(screen.getByTestId('goal-reels').classList.contains('is-over')).toBe(true);
    expect(screen.getByTestId('goal-stories').textContent).toBe('Stories: 0 min of 10 min');
    expect(screen.queryByTestId('goal-feed')).toBeNull();
    expect((await screen.findByTestId('goal-streak')).textContent).toBe(
      'Over a limit today: the streak starts again tomorrow.',
    );
  });

  it('counts the streak back to the last day over a limit, dates without use included', async () => {
    await storeGoals(60, {});
    // Over the limit 30 days ago; within since then (some dates without any record); over again before, which no
    // longer matters.
    const days = [dayOf(addDays(today, -30), 61), dayOf(addDays(today, -40), 90)];
    for (let back = 0; back < 30; back += 3) days.push(dayOf(addDays(today, -back), 59));
    await db.days.bulkAdd(days);
    await renderPopup(fakeBackground(consentView({ usage: true })));
    expect((await screen.findByTestId('goal-streak')).textContent).toBe('30 days in a row within your limits');
  });

  it('counts the streak from the first recorded day when no day went over, and follows a new day', async () => {
    await storeGoals(null, { reels: 20 });
    await db.days.bulkAdd([dayOf(addDays(today, -20), 90, 19), dayOf(today, 10, 5)]);
    await renderPopup(fakeBackground(consentView({ usage: true })));
    expect((await screen.findByTestId('goal-streak')).textContent).toBe('21 days in a row within your limits');
    expect(screen.queryByTestId('goal-overall')).toBeNull();

    await db.days.put(dayOf(today, 40, 21));
    await waitFor(() =>
      expect(screen.getByTestId('goal-streak').textContent).toBe(
        'Over a limit today: the streak starts again tomorrow.',
      ),
    );
  });

  it('without any limit, shows no streak and links to where limits are set', async () => {
    await db.days.add(dayOf(today, 30));
    await renderPopup(fakeBackground(consentView({ usage: true })));
    const none = await screen.findByTestId('goals-none');
    expect(none.textContent).toBe('No daily limit set. Set a limit');
    expect(screen.getByTestId('goals-set').getAttribute('href')).toBe('../options/index.html#goals');
    expect(screen.queryByTestId('goal-streak')).toBeNull();
  });
});

describe('Popup: where the time went stays short', () => {
  it('gives the three surfaces with the most time a bar, and the others one line', async () => {
    const day = makeDay(today, 30 * 60_000);
    Object.assign(day.surfaces, { feed: 12 * 60_000, reels: 9 * 60_000, stories: 5 * 60_000 });
    Object.assign(day.surfaces, { explore: 3 * 60_000, direct: 60_000, other: 20_000 });
    await db.days.add(day);
    await renderPopup(fakeBackground(consentView({ usage: true })));
    const bars = [...(await screen.findByTestId('surface-bars')).querySelectorAll('li .surface-name')];
    expect(bars.map((name) => name.textContent)).toEqual(['Feed', 'Reels', 'Stories']);
    expect(screen.getByTestId('surface-rest').textContent).toBe('Also: Explore 3 min · Messages 1 min · Other 20 sec');
    // Every surface with time is named, most first: the e2e tests read them all from one place.
    const names = [...screen.getByTestId('surface-bars').querySelectorAll('.surface-name')].map(
      (name) => name.textContent,
    );
    expect(names).toEqual(['Feed', 'Reels', 'Stories', 'Explore', 'Messages', 'Other']);
  });
});

describe('Popup: recording health, so no failure is silent where it matters', () => {
  const since = Date.parse('2026-11-25T08:00:00Z');
  const failingReader = (reader: ReaderHealthRecord['reader']): ReaderHealthRecord => ({
    reader,
    lastOkAt: null,
    failingSince: since,
    lastFailedAt: since,
  });
  /** A day with time on the given surfaces only. */
  function dayOn(date: string, ...used: Surface[]) {
    const day = makeDay(date, used.length * 10 * 60_000);
    day.surfaces.feed = 0;
    for (const surface of used) day.surfaces[surface] = 10 * 60_000;
    return day;
  }

  it('warns in plain words when a reader fails on a surface used today, and links to the details', async () => {
    await db.days.add(dayOn(today, 'reels', 'feed'));
    await db.readerHealth.add(failingReader('reels'));
    await renderPopup(fakeBackground(consentView({ usage: true })));
    const warning = await screen.findByTestId('recording-health-warning');
    expect(warning.getAttribute('role')).toBe('status');
    expect(warning.querySelector('[data-reader="reels"]')?.textContent).toBe(
      'Reels aren’t being read right now — reels time still counts, but reel views and their hashtags may be missing.',
    );
    const details = screen.getByTestId('recording-health-details');
    expect(details.getAttribute('href')).toBe('../options/index.html#recording-health');
    expect(details.getAttribute('target')).toBe('_blank');
    expect(details.textContent).toBe('Recording health details');
  });

  it('names every failing reader the person would miss, who is logged in first', async () => {
    await db.days.add(dayOn(addDays(today, -3), 'feed'));
    await db.readerHealth.bulkAdd([failingReader('feed-posts'), failingReader('viewer'), failingReader('stories')]);
    await renderPopup(fakeBackground(consentView({ usage: true, account: true })));
    const warning = await screen.findByTestId('recording-health-warning');
    const readers = [...warning.querySelectorAll('[data-reader]')].map((line) => line.getAttribute('data-reader'));
    expect(readers).toEqual(['viewer', 'feed-posts']);
  });

  it('says nothing about a reader on a surface not used this week, or one that works again', async () => {
    await db.days.add(dayOn(today, 'feed'));
    await db.readerHealth.bulkAdd([
      failingReader('stories'),
      { reader: 'feed-posts', lastOkAt: since + 1, failingSince: null, lastFailedAt: since },
    ]);
    await renderPopup(fakeBackground(consentView({ usage: true })));
    await screen.findByTestId('today-total');
    expect(screen.queryByTestId('recording-health-warning')).toBeNull();
  });

  it('says nothing while both recording scopes are off: nothing reads, so the state is stale', async () => {
    await db.days.add(dayOn(today, 'reels'));
    await db.readerHealth.add(failingReader('reels'));
    await renderPopup(fakeBackground(consentView({})));
    await screen.findByTestId('recording-off');
    expect(screen.queryByTestId('recording-health-warning')).toBeNull();
  });

  it('shows the warning as soon as the background stores a failure, and drops it once the reader works', async () => {
    await db.days.add(dayOn(today, 'post'));
    await renderPopup(fakeBackground(consentView({ usage: true })));
    await screen.findByTestId('today-total');
    await db.readerHealth.put(failingReader('post-page'));
    expect((await screen.findByTestId('recording-health-warning')).textContent).toContain(
      'Post pages aren’t being read right now',
    );
    await db.readerHealth.put({ reader: 'post-page', lastOkAt: since + 1, failingSince: null, lastFailedAt: since });
    await waitFor(() => expect(screen.queryByTestId('recording-health-warning')).toBeNull());
  });
});

describe('Popup: passive time next to the total', () => {
  it('says how much of today’s time was passive (a video on screen without input), only when there was some', async () => {
    const day = makeDay(today, 45 * 60_000, { passiveSurfaces: { reels: 9 * 60_000, stories: 3 * 60_000 } });
    await db.days.add(day);
    await renderPopup(fakeBackground(consentView({ usage: true })));
    expect((await screen.findByTestId('today-total')).textContent).toBe('45 min');
    expect(screen.getByTestId('today-passive').textContent).toBe(
      'of which 12 min passive (a video on screen, no input)',
    );
    cleanup();

    await db.days.put(makeDay(today, 45 * 60_000));
    await renderPopup(fakeBackground(consentView({ usage: true })));
    await screen.findByTestId('today-total');
    expect(screen.queryByTestId('today-passive')).toBeNull();
  });
});

describe('Popup: pause and uploads', () => {
  function pausingBackground() {
    return fakeBackground(consentView({ usage: true }), {
      'recording.pause': async ({ until }) => {
        await db.settings.put({
          id: 'current',
          retentionDays: null,
          idleSeconds: 60,
          passiveSeconds: 180,
          pausedUntil: until,
        });
        return { pausedUntil: until };
      },
    });
  }

  it('pauses for an hour, says until when, and resumes', async () => {
    const background = pausingBackground();
    await renderPopup(background);
    expect((await screen.findByTestId('recording-status')).textContent).toContain('Recording');
    const before = Date.now();
    fireEvent.click(screen.getByTestId('pause-hour'));
    await waitFor(() => expect(screen.getByTestId('recording-status').textContent).toContain('Paused until'));
    const [pause] = background.sent('recording.pause');
    expect(pause?.until).toBeGreaterThanOrEqual(before + 3_600_000);
    expect(pause?.until).toBeLessThan(before + 3_600_000 + 5000);

    fireEvent.click(screen.getByTestId('resume'));
    await waitFor(() => expect(screen.queryByTestId('pause-hour')).not.toBeNull());
    expect(background.sent('recording.pause').at(-1)).toEqual({ type: 'recording.pause', until: null });
  });

  it('pauses until the next local midnight', async () => {
    const background = pausingBackground();
    await renderPopup(background);
    fireEvent.click(await screen.findByTestId('pause-tomorrow'));
    await waitFor(() => expect(screen.getByTestId('recording-status').textContent).toContain('Paused until tomorrow'));
    const until = background.sent('recording.pause')[0]?.until ?? 0;
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    const dateAt = (at: number) => new Intl.DateTimeFormat('en-CA', { timeZone: zone }).format(at);
    expect(dateAt(until)).not.toBe(dateAt(Date.now()));
    expect(dateAt(until - 60_000)).toBe(dateAt(Date.now()));
  });

  it('says clearly when the pause could not be set', async () => {
    await renderPopup(fakeBackground(consentView({ usage: true })));
    fireEvent.click(await screen.findByTestId('pause-hour'));
    expect((await screen.findByRole('alert')).textContent).toContain('Could not change the pause');
  });

  it('shows uploads off, then on with the last upload and the latest error', async () => {
    await renderPopup(fakeBackground(consentView({ usage: true })));
    expect((await screen.findByTestId('upload-status')).textContent).toContain('Off: nothing leaves this browser');
    cleanup();

    await db.syncConfig.put({ id: 'current', backendUrl: 'https://api.smarttags.example' });
    await db.uploadLog.bulkAdd([
      { at: Date.now() - 60_000, batchId: 'a', dates: [today], outcome: 'sent', status: 201, error: null },
      { at: Date.now(), batchId: 'b', dates: [today], outcome: 'retrying', status: 503, error: 'HTTP 503' },
    ]);
    await renderPopup(fakeBackground(consentView({ usage: true, uploadUsage: true })));
    expect((await screen.findByTestId('upload-status')).textContent).toContain('On · last upload');
    expect(screen.getByTestId('upload-error').textContent).toContain('HTTP 503');
    expect(screen.getByTestId('upload-error').textContent).toContain('will try again');
  });
});
