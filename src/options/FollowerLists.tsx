import { useEffect, useId, useState } from 'preact/hooks';
import { compareNewestLists, type FollowerComparison } from '../shared/domain/followerLists';
import type { SmartTagsDatabase } from '../shared/storage/db';
import type { FollowerListRecord } from '../shared/storage/records';
import { useAsk } from '../shared/ui/background';
import { ConfirmDialog, useConfirmedAction } from '../shared/ui/ConfirmDialog';
import { errorMessage } from '../shared/ui/errors';
import { formatCount, formatDateTime, type MessageKey, t, tPlural } from '../shared/ui/i18n';
import { TableScroll } from '../shared/ui/TableScroll';
import { useLiveQuery } from '../shared/ui/useLiveQuery';

/** When a list was imported, as the page says it. */
const importedOn = (list: FollowerListRecord) => formatDateTime(list.importedAt, 'minutes');

type SettingStatus =
  | { kind: 'saving' }
  | { kind: 'saved'; keep: boolean; deleted: number }
  | { kind: 'failed'; message: string };

/**
 * "Keep my follower list to see who unfollowed me": off by default. It says plainly that it keeps other people's
 * usernames, where, and that turning it off deletes them. `onChange` runs once the background stored the choice (the
 * import's preview is then asked again, since what it would keep changed).
 */
export function KeepFollowerListSetting({ db, onChange }: { db: SmartTagsDatabase; onChange: () => void }) {
  const ask = useAsk();
  const id = useId();
  const settings = useLiveQuery(() => db.settings.get('current'), [db]);
  const stored = settings.state === 'ready' && settings.value?.keepFollowerLists === true;
  // The choice just made, shown until the stored setting catches up (or reverted if saving failed).
  const [chosen, setChosen] = useState<boolean | undefined>(undefined);
  const [status, setStatus] = useState<SettingStatus | null>(null);

  useEffect(() => setChosen(undefined), [stored]);

  async function change(keep: boolean) {
    setChosen(keep);
    setStatus({ kind: 'saving' });
    try {
      const { deleted } = await ask({ type: 'followerLists.keep', keep });
      setStatus({ kind: 'saved', keep, deleted });
      onChange();
    } catch (error) {
      setChosen(undefined);
      setStatus({ kind: 'failed', message: errorMessage(error) });
    }
  }

  if (settings.state === 'failed') {
    return (
      <p role="alert" class="alert">
        {t('commonSettingsFailed', settings.message)}
      </p>
    );
  }
  return (
    <div class="follower-list-setting">
      <div class="check">
        <input
          type="checkbox"
          id={`${id}-keep`}
          name="keep-follower-lists"
          checked={chosen ?? stored}
          disabled={settings.state === 'loading'}
          aria-describedby={`${id}-what ${id}-off`}
          data-testid="follower-lists-keep"
          onChange={(event) => void change(event.currentTarget.checked)}
        />
        <label for={`${id}-keep`}>{t('followerListsKeep')}</label>
      </div>
      <p id={`${id}-what`} class="hint">
        {t('followerListsKeepWhat')}
      </p>
      <p id={`${id}-off`} class="hint">
        {t('followerListsKeepOff')}
      </p>
      <div role="status" class="status">
        {status?.kind === 'saving' && t('commonSaving')}
        {status?.kind === 'saved' && (
          <span data-testid="follower-lists-keep-saved">
            {status.keep
              ? t('followerListsKeepOn')
              : status.deleted > 0
                ? tPlural(status.deleted, 'followerListsDeletedOne', 'followerListsDeletedOther')
                : t('followerListsKeepOffDone')}
          </span>
        )}
      </div>
      {status?.kind === 'failed' && (
        <p role="alert" class="alert" data-testid="follower-lists-keep-error">
          {status.message}
        </p>
      )}
    </div>
  );
}

/**
 * Who unfollowed the person between the two newest kept lists, and who followed since, with both imports' dates;
 * or why there is nothing to compare yet. Shown while the setting is on or a list is kept; read live from the
 * database, so an import or a deletion shows at once.
 */
export function FollowerChanges({ db }: { db: SmartTagsDatabase }) {
  const id = useId();
  const lists = useLiveQuery(() => db.followerLists.toArray(), [db]);
  const settings = useLiveQuery(() => db.settings.get('current'), [db]);
  if (lists.state === 'failed') {
    return (
      <p role="alert" class="alert">
        {lists.message}
      </p>
    );
  }
  if (lists.state === 'loading' || settings.state === 'loading') return null;
  const keep = settings.state === 'ready' && settings.value?.keepFollowerLists === true;
  if (!keep && lists.value.length === 0) return null;
  const comparison = compareNewestLists(lists.value);
  return (
    <section aria-labelledby={`${id}-heading`} class="follower-changes" data-testid="follower-changes">
      <h4 id={`${id}-heading`}>{t('followerChangesHeading')}</h4>
      <Comparison comparison={comparison} />
      <DeleteFollowerLists count={lists.value.length} />
    </section>
  );
}

function Comparison({ comparison }: { comparison: FollowerComparison<FollowerListRecord> }) {
  switch (comparison.kind) {
    case 'no-list':
      return <p data-testid="follower-changes-empty">{t('followerChangesNoList')}</p>;
    case 'one-list':
      return (
        <p data-testid="follower-changes-empty">
          {t('followerChangesOneList', importedOn(comparison.latest), formatCount(comparison.latest.usernames.length))}
        </p>
      );
    case 'other-accounts':
      return (
        <p data-testid="follower-changes-empty">
          {t('followerChangesOtherAccounts', comparison.earlier.exportOwner, comparison.latest.exportOwner)}
        </p>
      );
    case 'compared':
      return <Compared comparison={comparison} />;
  }
}

function Compared({
  comparison,
}: {
  comparison: Extract<FollowerComparison<FollowerListRecord>, { kind: 'compared' }>;
}) {
  const id = useId();
  const [search, setSearch] = useState('');
  const { earlier, latest, changes } = comparison;
  const query = search.trim().replace(/^@/, '').toLowerCase();
  const matching = (names: readonly string[]) => (query ? names.filter((name) => name.includes(query)) : names);
  const nothingChanged = changes.unfollowed.length + changes.followedSince.length === 0;
  return (
    <>
      <p data-testid="follower-changes-between">
        {t(
          'followerChangesBetween',
          latest.exportOwner,
          importedOn(earlier),
          formatCount(earlier.usernames.length),
          importedOn(latest),
          formatCount(latest.usernames.length),
        )}
      </p>
      {nothingChanged ? (
        <p data-testid="follower-changes-nothing">{t('followerChangesNothing')}</p>
      ) : (
        <>
          <p>
            <label for={`${id}-search`}>{t('followerChangesSearch')}</label>{' '}
            <input
              type="search"
              id={`${id}-search`}
              value={search}
              autocomplete="off"
              spellcheck={false}
              data-testid="follower-changes-search"
              onInput={(event) => setSearch(event.currentTarget.value)}
            />
          </p>
          <NameTable
            caption={tPlural(
              changes.unfollowed.length,
              'followerChangesUnfollowedOne',
              'followerChangesUnfollowedOther',
            )}
            names={matching(changes.unfollowed)}
            empty={changes.unfollowed.length === 0 ? 'followerChangesNobodyLeft' : 'followerChangesNoMatch'}
            testId="follower-changes-unfollowed"
          />
          <NameTable
            caption={tPlural(
              changes.followedSince.length,
              'followerChangesFollowedOne',
              'followerChangesFollowedOther',
            )}
            names={matching(changes.followedSince)}
            empty={changes.followedSince.length === 0 ? 'followerChangesNobodyJoined' : 'followerChangesNoMatch'}
            testId="follower-changes-followed"
          />
        </>
      )}
      <p class="hint">{t('followerChangesWhy')}</p>
    </>
  );
}

/** One side of the comparison as a one-column table, named by its caption (which carries the count). */
function NameTable(props: { caption: string; names: readonly string[]; empty: MessageKey; testId: string }) {
  return (
    <TableScroll label={props.caption}>
      <table data-testid={props.testId}>
        <caption>{props.caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('followerChangesUsername')}</th>
          </tr>
        </thead>
        <tbody>
          {props.names.length === 0 ? (
            <tr>
              <td>{t(props.empty)}</td>
            </tr>
          ) : (
            props.names.map((name) => (
              <tr key={name}>
                <td>@{name}</td>
              </tr>
            ))
          )}
        </tbody>
      </table>
    </TableScroll>
  );
}

/** "Delete the follower lists", behind the in-page confirmation (focus moves in, Escape cancels, focus returns). */
function DeleteFollowerLists({ count }: { count: number }) {
  const ask = useAsk();
  const id = useId();
  const deletion = useConfirmedAction(() => ask({ type: 'followerLists.delete' }));

  return (
    <div class="follower-lists-delete">
      <button
        type="button"
        class="danger"
        ref={deletion.opener}
        disabled={count === 0}
        aria-expanded={deletion.open}
        data-testid="follower-lists-delete"
        onClick={deletion.show}
      >
        {t('followerListsDeleteOpen')}
      </button>
      <ConfirmDialog
        open={deletion.open}
        id={id}
        title={t('followerListsDeleteTitle')}
        describedBy={`${id}-what`}
        confirmLabel={t('followerListsDeleteConfirm')}
        cancelLabel={t('commonCancel')}
        testId="follower-lists-delete"
        onConfirm={() => void deletion.confirm()}
        onClose={deletion.close}
        busy={deletion.busy}
        busyLabel={t('followerListsDeleting')}
        error={deletion.error}
        outcome={
          deletion.outcome?.kind === 'done' && (
            <span data-testid="follower-lists-delete-done">{t('followerListsDeleted')}</span>
          )
        }
      >
        <p id={`${id}-what`}>{t('followerListsDeleteWhat')}</p>
      </ConfirmDialog>
    </div>
  );
}
