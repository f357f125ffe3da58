// @vitest-environment happy-dom
/**
 * The options page's import of Instagram's own data export: real zips made from the fixtures at test time, read by
 * the page's zip reader, answered by the real background logic (src/background/instagramImport.ts) on a fake-indexeddb
 * database, so what the person sees is what the import does.
 */
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { changeConsent } from '../../../src/background/consent';
import { deleteFollowerLists, setKeepFollowerLists } from '../../../src/background/followerLists';
import { importInstagramExport } from '../../../src/background/instagramImport';
import { InstagramImport } from '../../../src/options/InstagramImport';
import { isHtmlExportFile, isWantedExportFile } from '../../../src/shared/domain/instagramExport';
import { BackgroundError } from '../../../src/shared/ui/background';
import { fixtureZip } from '../../support/instagramExportFixtures';
import { makeContext, type TestContext } from '../helpers/context';
import { makeSnapshot } from '../helpers/records';
import { type FakeBackground, fakeBackground, renderWithBackground } from './support';

vi.mock('webextension-polyfill', () => import('./optionsPageBrowser'));

let context: TestContext;
let background: FakeBackground;

beforeEach(async () => {
  context = makeContext('Europe/Amsterdam');
  await changeConsent(context, { usage: true, account: true }, 'onboarding');
  background = fakeBackground(undefined, {
    'instagram.import': async (message) => {
      const outcome = await importInstagramExport(context, message.files, message.dryRun ?? false);
      if (!outcome.ok) throw new BackgroundError('bad-import', outcome.message, outcome.reason);
      return outcome.value;
    },
    'followerLists.keep': (message) => setKeepFollowerLists(context, message.keep),
    'followerLists.delete': () => deleteFollowerLists(context),
  });
});
afterEach(async () => {
  cleanup();
  await context.db.delete();
});

/** A photo the import must never read: it is not one of the wanted files. */
const media = { name: 'media/posts/202503/photo_1.jpg', content: new Uint8Array(64 * 1024).fill(7) };

async function choose(...zips: Array<{ bytes: Uint8Array; name: string }>) {
  renderWithBackground(background, <InstagramImport db={context.db} />);
  const input = screen.getByTestId('instagram-import-file');
  const files = zips.map(({ bytes, name }) => new File([new Uint8Array(bytes)], name, { type: 'application/zip' }));
  fireEvent.change(input, { target: { files } });
}

const alertText = async () => (await screen.findByTestId('instagram-import-error')).textContent ?? '';

describe('InstagramImport: from the zip to the preview to the import', () => {
  it('reads only the wanted files, previews the dry run, then imports on confirm (history back-filled)', async () => {
    await choose({ bytes: await fixtureZip('current', [media]), name: 'instagram-lena.zip' });
    const preview = await screen.findByTestId('instagram-import-preview');
    // Only the wanted files went to the background: no photo, no file the import does not read.
    const [dryRun] = background.sent('instagram.import');
    expect(dryRun?.dryRun).toBe(true);
    expect(dryRun?.files.every((file) => isWantedExportFile(file.name) || isHtmlExportFile(file.name))).toBe(true);
    expect(dryRun?.files.map((file) => file.name)).not.toContain(media.name);
    expect(preview.textContent).toContain('Posts seen4');
    expect(preview.textContent).toContain('Reels seen3');
    expect(preview.textContent).toContain('13 uses of 9 hashtags');
    expect(preview.textContent).toMatch(/Follower counts4 dates, at least 5 now \(a lower bound\)/);
    expect(preview.textContent).toContain('lower bounds');
    // Nothing is written before the person confirms.
    expect(await context.db.importedDays.count()).toBe(0);

    fireEvent.click(screen.getByTestId('instagram-import-confirm'));
    const done = await screen.findByTestId('instagram-import-done');
    expect(done.textContent).toContain('3 new days');
    expect(await context.db.importedDays.count()).toBe(3);
  });

  it('reads a download split into several zips as one export', async () => {
    await choose(
      { bytes: await fixtureZip('split/part1'), name: 'part-1.zip' },
      { bytes: await fixtureZip('split/part2'), name: 'part-2.zip' },
    );
    await screen.findByTestId('instagram-import-preview');
    const [dryRun] = background.sent('instagram.import');
    expect(new Set(dryRun?.files.map((file) => file.name)).size).toBeLessThan(dryRun?.files.length ?? 0);
  });

  it('says what consent keeps out, naming the choice that is off', async () => {
    await changeConsent(context, { account: false }, 'options');
    await choose({ bytes: await fixtureZip('current'), name: 'instagram-lena.zip' });
    const shown = await screen.findByTestId('instagram-import-left-out-consent');
    expect(shown.textContent).toMatch(
      /is off, so the import leaves out: your hashtags on 3 days, your posts on 3 days/,
    );
  });

  it('says when an export brings nothing new (a second import changes nothing)', async () => {
    const bytes = await fixtureZip('current');
    await choose({ bytes, name: 'instagram-lena.zip' });
    fireEvent.click(await screen.findByTestId('instagram-import-confirm'));
    await screen.findByTestId('instagram-import-done');
    cleanup();
    await choose({ bytes, name: 'instagram-lena.zip' });
    expect((await screen.findByTestId('instagram-import-nothing-new')).textContent).toContain('already imported');
    expect(screen.queryByTestId('instagram-import-confirm')).toBeNull();
  });

  it('stops reading on Cancel, and sends nothing', async () => {
    await choose({ bytes: await fixtureZip('current', [media]), name: 'instagram-lena.zip' });
    fireEvent.click(await screen.findByTestId('instagram-import-cancel'));
    expect(screen.getByTestId('instagram-import-status').textContent).toContain('nothing was imported');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(background.sent('instagram.import')).toEqual([]);
    expect(screen.queryByTestId('instagram-import-preview')).toBeNull();
  });
});

describe('InstagramImport: who unfollowed me (the optional follower lists)', () => {
  async function importZip(folder: string) {
    await choose({ bytes: await fixtureZip(folder), name: `instagram-${folder}.zip` });
    fireEvent.click(await screen.findByTestId('instagram-import-confirm'));
    return (await screen.findByTestId('instagram-import-done')).textContent ?? '';
  }

  it('is off by default, and says it keeps other people’s usernames on this device only', async () => {
    renderWithBackground(background, <InstagramImport db={context.db} />);
    const setting = (await screen.findByTestId('follower-lists-keep')) as HTMLInputElement;
    await waitFor(() => expect(setting.disabled).toBe(false));
    expect(setting.checked).toBe(false);
    expect(screen.getByLabelText(/Keep my follower list to see who unfollowed me/)).toBe(setting);
    const described = (setting.getAttribute('aria-describedby') ?? '')
      .split(' ')
      .map((id) => document.getElementById(id)?.textContent)
      .join(' ');
    expect(described).toContain('other people’s usernames');
    expect(described).toContain('never uploaded');
    expect(described).toContain('Turning this off deletes the kept lists');
    expect(screen.queryByTestId('follower-changes')).toBeNull();
  });

  it('keeps a list per import once on, then lists who unfollowed and who followed since, searchable', async () => {
    renderWithBackground(background, <InstagramImport db={context.db} />);
    const setting = (await screen.findByTestId('follower-lists-keep')) as HTMLInputElement;
    await waitFor(() => expect(setting.disabled).toBe(false));
    fireEvent.click(setting);
    await screen.findByTestId('follower-lists-keep-saved');
    expect((await screen.findByTestId('follower-changes-empty')).textContent).toContain('No follower list is kept yet');
    cleanup();

    expect(await importZip('current')).toContain('Your follower list (6 followers) was kept');
    await waitFor(() =>
      expect(screen.getByTestId('follower-changes-empty').textContent).toContain('Import again later'),
    );
    cleanup();

    context.clock.now += 30 * 86_400_000;
    await choose({ bytes: await fixtureZip('later'), name: 'instagram-later.zip' });
    expect((await screen.findByTestId('instagram-import-follower-list')).textContent).toContain('will be kept');
    fireEvent.click(screen.getByTestId('instagram-import-confirm'));
    await screen.findByTestId('instagram-import-done');
    const unfollowed = await screen.findByTestId('follower-changes-unfollowed');
    expect(unfollowed.textContent).toContain('1 account unfollowed you');
    expect(unfollowed.textContent).toContain('@friend.two');
    expect(screen.getByTestId('follower-changes-followed').textContent).toContain('@friend.seven');
    expect(screen.getByTestId('follower-changes-between').textContent).toMatch(
      /@lena\.example.*6 followers.*6 followers/,
    );

    fireEvent.input(screen.getByTestId('follower-changes-search'), { target: { value: '@SEVEN' } });
    expect(screen.getByTestId('follower-changes-unfollowed').textContent).toContain('No username here matches');
    expect(screen.getByTestId('follower-changes-followed').textContent).toContain('@friend.seven');
  });

  it('deletes the lists behind a confirmation, and turning the setting off deletes them too', async () => {
    await setKeepFollowerLists(context, true);
    await importZip('current');
    const opener = (await screen.findByTestId('follower-lists-delete')) as HTMLButtonElement;
    // Enabled once the kept list is read.
    await waitFor(() => expect(opener.disabled).toBe(false));
    fireEvent.click(opener);
    expect(document.activeElement).toBe(screen.getByTestId('follower-lists-delete-cancel'));
    fireEvent.keyDown(screen.getByTestId('follower-lists-delete-dialog'), { key: 'Escape' });
    expect(document.activeElement).toBe(opener);
    expect(await context.db.followerLists.count()).toBe(1);
    fireEvent.click(opener);
    fireEvent.click(screen.getByTestId('follower-lists-delete-confirm'));
    await screen.findByTestId('follower-lists-delete-done');
    expect(await context.db.followerLists.count()).toBe(0);
    cleanup();

    await importZip('current');
    await screen.findByTestId('follower-changes-empty');
    const setting = screen.getByTestId('follower-lists-keep') as HTMLInputElement;
    await waitFor(() => expect(setting.checked).toBe(true));
    fireEvent.click(setting);
    expect((await screen.findByTestId('follower-lists-keep-saved')).textContent).toContain(
      '1 follower list was deleted',
    );
    expect(await context.db.followerLists.count()).toBe(0);
    await waitFor(() => expect(screen.queryByTestId('follower-changes')).toBeNull());
  });
});

describe('InstagramImport: clear errors, and nothing imported', () => {
  it('refuses the HTML export and says to choose JSON', async () => {
    await choose({ bytes: await fixtureZip('html'), name: 'instagram-html.zip' });
    expect(await alertText()).toMatch(/HTML version.*choose the JSON format/);
  });

  it('refuses a file that is not a zip, naming it', async () => {
    await choose({ bytes: new TextEncoder().encode('not a zip at all'), name: 'notes.zip' });
    expect(await alertText()).toMatch(/“notes\.zip” is not a zip that can be read/);
    expect(background.sent('instagram.import')).toEqual([]);
  });

  it('refuses a zip cut short (an interrupted download)', async () => {
    const whole = await fixtureZip('current', [media]);
    await choose({ bytes: whole.slice(0, Math.floor(whole.length / 2)), name: 'instagram-lena.zip' });
    expect(await alertText()).toMatch(/not a zip that can be read: it is damaged, incomplete/);
  });

  it('refuses a zip that is not an Instagram export', async () => {
    await choose({ bytes: await foreignZip(), name: 'holiday.zip' });
    expect(await alertText()).toContain('not an Instagram data export');
  });

  it('refuses the export of another account than the one recorded', async () => {
    await context.db.accountSnapshots.add(makeSnapshot('maya.rivers', '2026-11-20'));
    await choose({ bytes: await fixtureZip('current'), name: 'instagram-lena.zip' });
    expect(await alertText()).toContain('another account');
    await waitFor(() => expect(screen.queryByTestId('instagram-import-preview')).toBeNull());
  });
});

/** A zip of files that have nothing to do with Instagram. */
async function foreignZip(): Promise<Uint8Array> {
  const { Uint8ArrayReader, Uint8ArrayWriter, ZipWriter } = await import('@zip.js/zip.js');
  const writer = new ZipWriter(new Uint8ArrayWriter(), { useWebWorkers: false });
  await writer.add('holiday/notes.json', new Uint8ArrayReader(new TextEncoder().encode('{"beach": true}')));
  await writer.add('holiday/photo.jpg', new Uint8ArrayReader(media.content));
  return writer.close();
}
