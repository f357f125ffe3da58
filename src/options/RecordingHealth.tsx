import type { SmartTagsDatabase } from '../shared/storage/db';
import { type Reader, type ReaderHealthRecord, readers } from '../shared/storage/records';
import { formatDateTime, messagesByName, t, tPlural, tWithNodes } from '../shared/ui/i18n';
import { TableScroll } from '../shared/ui/TableScroll';
import { useLiveQuery } from '../shared/ui/useLiveQuery';

/** What each reader reads, as the person knows it. */
const readerNames = messagesByName<Reader>({
  viewer: 'recordingHealthViewer',
  'profile-counts': 'recordingHealthProfileCounts',
  'feed-posts': 'recordingHealthFeedPosts',
  'post-page': 'recordingHealthPostPage',
  reels: 'recordingHealthReels',
  stories: 'recordingHealthStories',
});

/** What is missing from the figures while a reader fails (time still counts: it does not depend on any reader). */
const missingWhileFailing = messagesByName<Reader>({
  viewer: 'recordingHealthViewerMissing',
  'profile-counts': 'recordingHealthProfileCountsMissing',
  'feed-posts': 'recordingHealthFeedPostsMissing',
  'post-page': 'recordingHealthPostPageMissing',
  reels: 'recordingHealthReelsMissing',
  stories: 'recordingHealthStoriesMissing',
});

const at = (epochMs: number) => (
  <time dateTime={new Date(epochMs).toISOString()}>{formatDateTime(epochMs, 'minutes')}</time>
);

/**
 * Recording health: every reader of Instagram's pages, whether it works now, since when it fails and when it last
 * worked, as the background recorded it (src/background/usage.ts). Read live. The popup links here (section id
 * `recording-health`) when one fails on a part of Instagram the person uses.
 */
export function RecordingHealth({ db }: { db: SmartTagsDatabase }) {
  const health = useLiveQuery(() => db.readerHealth.toArray(), [db]);
  return (
    <section id="recording-health" aria-labelledby="recording-health-heading">
      <h3 id="recording-health-heading">{t('recordingHealthHeading')}</h3>
      <p class="hint">{t('recordingHealthExplain')}</p>
      {health.state === 'loading' && <p aria-busy="true">{t('commonLoading')}</p>}
      {health.state === 'failed' && (
        <p role="alert" class="alert">
          {t('recordingHealthFailed', health.message)}
        </p>
      )}
      {health.state === 'ready' && <ReaderTable records={health.value} />}
      <p>{t('recordingHealthNoZeros')}</p>
    </section>
  );
}

function ReaderTable({ records }: { records: readonly ReaderHealthRecord[] }) {
  if (records.length === 0) {
    return (
      <p class="empty" data-testid="recording-health-empty">
        {t('recordingHealthEmpty')}
      </p>
    );
  }
  const byReader = new Map(records.map((record) => [record.reader, record]));
  const failing = records.filter((record) => record.failingSince !== null).length;
  return (
    <>
      {failing > 0 && (
        <p role="status" class="notice" data-testid="recording-health-failing">
          {tPlural(failing, 'recordingHealthFailingOne', 'recordingHealthFailingOther')}
        </p>
      )}
      <TableScroll label={t('recordingHealthCaption')}>
        <table data-testid="recording-health">
          <caption>{t('recordingHealthCaption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('recordingHealthReader')}</th>
              <th scope="col">{t('recordingHealthState')}</th>
              <th scope="col">{t('recordingHealthLastOk')}</th>
              <th scope="col">{t('recordingHealthMissing')}</th>
            </tr>
          </thead>
          <tbody>
            {readers.map((reader) => (
              <ReaderRow key={reader} reader={reader} record={byReader.get(reader)} />
            ))}
          </tbody>
        </table>
      </TableScroll>
    </>
  );
}

function ReaderRow({ reader, record }: { reader: Reader; record: ReaderHealthRecord | undefined }) {
  const lastOkAt = record?.lastOkAt ?? null;
  return (
    <tr data-reader={reader} data-state={stateOf(record)}>
      <th scope="row">{readerNames[reader]}</th>
      <td>
        <StateText record={record} />
      </td>
      <td>{lastOkAt === null ? t('recordingHealthNever') : at(lastOkAt)}</td>
      <td>{missingWhileFailing[reader]}</td>
    </tr>
  );
}

function stateOf(record: ReaderHealthRecord | undefined): 'unseen' | 'failing' | 'working' {
  if (record === undefined) return 'unseen';
  return record.failingSince === null ? 'working' : 'failing';
}

function StateText({ record }: { record: ReaderHealthRecord | undefined }) {
  if (record === undefined) return <>{t('recordingHealthNotSeen')}</>;
  if (record.failingSince === null) return <>{t('recordingHealthWorking')}</>;
  // In bold, not only in colour: the failing rows must stand out to everyone.
  return <strong>{tWithNodes('recordingHealthFailingSince', at(record.failingSince))}</strong>;
}
