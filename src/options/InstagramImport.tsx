import { useEffect, useId, useRef, useState } from 'preact/hooks';
import type { InstagramImportResult } from '../shared/contracts/instagramExport';
import type { ExportFile, ExportImportFailure, leftOutReasons } from '../shared/domain/instagramExport';
import type { ImportedPart } from '../shared/domain/instagramHistory';
import type { SmartTagsDatabase } from '../shared/storage/db';
import { BackgroundError, useAsk } from '../shared/ui/background';
import { errorMessage } from '../shared/ui/errors';
import { formatDate } from '../shared/ui/format';
import {
  cachedFormat,
  formatCount,
  formatDateTime,
  formatList,
  type MessageKey,
  t,
  uiLanguage,
} from '../shared/ui/i18n';
import { scopeText } from '../shared/ui/scopeText';
import { TableScroll } from '../shared/ui/TableScroll';
import { FollowerChanges, KeepFollowerListSetting } from './FollowerLists';
import { readExportZips, UnreadableZipError, type ZipProgress } from './instagramZip';

/** Each refusal of the background (`bad-import`'s reason), in the page's words. */
const refusalKeys = {
  'html-export': 'instagramImportErrorHtml',
  'not-an-export': 'instagramImportErrorNotAnExport',
  corrupt: 'instagramImportErrorCorrupt',
  empty: 'instagramImportErrorEmpty',
  'mixed-accounts': 'instagramImportErrorMixed',
  'other-account': 'instagramImportErrorOtherAccount',
} as const satisfies Record<ExportImportFailure | 'other-account', MessageKey>;

const whyKeys = {
  'html-file': 'instagramWhyHtmlFile',
  'not-read': 'instagramWhyNotRead',
  unreadable: 'instagramWhyUnreadable',
  'unexpected-shape': 'instagramWhyUnexpectedShape',
  'entry-unexpected-shape': 'instagramWhyEntryShape',
  'entry-without-time': 'instagramWhyEntryWithoutTime',
  'search-not-a-tag': 'instagramWhySearchNotATag',
  'hashtag-unreadable': 'instagramWhyHashtagUnreadable',
  'account-without-username': 'instagramWhyAccountWithoutUsername',
  'account-without-date': 'instagramWhyAccountWithoutDate',
  'owner-not-found': 'instagramWhyOwnerNotFound',
} as const satisfies Record<(typeof leftOutReasons)[number], MessageKey>;

/** The parts consent can keep out, in the order the preview names them, under the choice that lets each in. */
const partKeys = {
  views: 'instagramPartViews',
  tagsUsed: 'instagramPartTagsUsed',
  ownPosts: 'instagramPartOwnPosts',
  followerPoints: 'instagramPartFollowerPoints',
  followingPoints: 'instagramPartFollowingPoints',
} as const satisfies Record<ImportedPart, MessageKey>;

function formatBytes(bytes: number): string {
  const format = cachedFormat(
    uiLanguage(),
    'megabytes',
    (language) => new Intl.NumberFormat(language, { style: 'unit', unit: 'megabyte', maximumFractionDigits: 1 }),
  );
  return format.format(bytes / 1_000_000);
}

type Step =
  | { kind: 'idle' }
  | { kind: 'reading'; progress: ZipProgress | null }
  | { kind: 'previewing' }
  | { kind: 'preview'; files: ExportFile[]; result: InstagramImportResult }
  | { kind: 'importing'; files: ExportFile[]; result: InstagramImportResult }
  | { kind: 'done'; result: InstagramImportResult }
  | { kind: 'cancelled' };

/** A failure, in words: the background's refusal by its reason, an unreadable zip by its name, anything else as said. */
function failureText(failure: unknown): string {
  if (failure instanceof UnreadableZipError) return t('instagramImportErrorZip', failure.fileName);
  if (failure instanceof BackgroundError && failure.code === 'bad-import' && failure.reason) {
    const key = refusalKeys[failure.reason as keyof typeof refusalKeys];
    if (key) return t(key);
  }
  return errorMessage(failure);
}

const historyUnchanged = ({ changes }: InstagramImportResult) =>
  changes.daysAdded + changes.daysRaised + changes.pointsAdded + changes.pointsRaised === 0;
/** Nothing to import: no figure is new or higher, and no follower list would be kept. */
const changesNothing = (result: InstagramImportResult) =>
  historyUnchanged(result) && result.followerList.outcome !== 'kept';

/** What the import does (or did) with the export's follower list, in words; null when there is nothing to say. */
function followerListText({ followerList }: InstagramImportResult, applied: boolean): string | null {
  switch (followerList.outcome) {
    case 'off':
      return null;
    case 'no-list':
      return t('instagramImportFollowerListNone');
    case 'no-owner':
      return t('instagramImportFollowerListNoOwner');
    case 'no-consent':
      return t('instagramImportFollowerListNoConsent', scopeText.account.label);
    case 'unchanged':
      return t(
        'instagramImportFollowerListUnchanged',
        formatCount(followerList.followers),
        formatDateTime(followerList.since, 'minutes'),
      );
    case 'kept':
      return t(
        applied ? 'instagramImportFollowerListKept' : 'instagramImportFollowerListWillKeep',
        formatCount(followerList.followers),
      );
  }
}

/**
 * Import from Instagram's own data export: the person chooses the zip (or all its parts); the wanted files are read
 * here (./instagramZip.ts), with progress and a Cancel button; the background previews the import as a dry run; the
 * person imports. Every refusal is explained, and nothing is imported before the person confirms. The optional
 * follower lists ("who unfollowed me", ./FollowerLists.tsx) are chosen before and shown after.
 */
export function InstagramImport({ db }: { db: SmartTagsDatabase }) {
  const ask = useAsk();
  const id = useId();
  const fileInput = useRef<HTMLInputElement>(null);
  const reading = useRef<AbortController | null>(null);
  const [step, setStep] = useState<Step>({ kind: 'idle' });
  const [error, setError] = useState<string | null>(null);

  // Leaving the page (or the section) stops reading.
  useEffect(() => () => reading.current?.abort(), []);

  async function choose(chosen: FileList | null | undefined) {
    reading.current?.abort();
    setError(null);
    const zips = [...(chosen ?? [])];
    if (zips.length === 0) {
      setStep({ kind: 'idle' });
      return;
    }
    const controller = new AbortController();
    reading.current = controller;
    setStep({ kind: 'reading', progress: null });
    try {
      const files = await readExportZips(zips, {
        signal: controller.signal,
        onProgress: (progress) => {
          if (!controller.signal.aborted) setStep({ kind: 'reading', progress });
        },
      });
      if (controller.signal.aborted) return;
      setStep({ kind: 'previewing' });
      const result = await ask({ type: 'instagram.import', files, dryRun: true });
      if (!controller.signal.aborted) setStep({ kind: 'preview', files, result });
    } catch (failure) {
      if (controller.signal.aborted) return;
      setStep({ kind: 'idle' });
      setError(failureText(failure));
    } finally {
      if (reading.current === controller) reading.current = null;
    }
  }

  /** The setting changed what the import would keep: the preview shown is asked again, for the same files. */
  async function previewAgain() {
    if (step.kind !== 'preview') return;
    const { files } = step;
    try {
      const result = await ask({ type: 'instagram.import', files, dryRun: true });
      setStep((current) => (current.kind === 'preview' && current.files === files ? { ...current, result } : current));
    } catch (failure) {
      setError(failureText(failure));
    }
  }

  function cancel() {
    reading.current?.abort();
    reading.current = null;
    setStep({ kind: 'cancelled' });
    if (fileInput.current) fileInput.current.value = '';
  }

  async function runImport() {
    if (step.kind !== 'preview') return;
    setStep({ ...step, kind: 'importing' });
    setError(null);
    try {
      const result = await ask({ type: 'instagram.import', files: step.files });
      setStep({ kind: 'done', result });
      if (fileInput.current) fileInput.current.value = '';
    } catch (failure) {
      setStep(step);
      setError(failureText(failure));
    }
  }

  const progress = step.kind === 'reading' ? step.progress : null;
  return (
    <div class="import instagram-import">
      <p>{t('instagramImportExplain')}</p>
      <p>{t('instagramImportStaysHere')}</p>
      <KeepFollowerListSetting db={db} onChange={() => void previewAgain()} />
      <label for={`${id}-file`}>{t('instagramImportFile')}</label>{' '}
      <input
        type="file"
        id={`${id}-file`}
        ref={fileInput}
        multiple
        accept=".zip,application/zip"
        data-testid="instagram-import-file"
        onChange={(event) => void choose(event.currentTarget.files)}
      />
      {(step.kind === 'reading' || step.kind === 'previewing') && (
        <p>
          {progress && (
            <progress
              max={Math.max(progress.bytesTotal, 1)}
              value={progress.bytesRead}
              aria-labelledby={`${id}-progress`}
            />
          )}{' '}
          <button type="button" onClick={cancel} data-testid="instagram-import-cancel">
            {t('instagramImportCancel')}
          </button>
        </p>
      )}
      {(step.kind === 'preview' || step.kind === 'importing') && (
        <Preview result={step.result} busy={step.kind === 'importing'} onImport={() => void runImport()} />
      )}
      <div role="status" class="status" id={`${id}-progress`} data-testid="instagram-import-status">
        {step.kind === 'reading' &&
          (progress
            ? t(
                'instagramImportReading',
                formatCount(progress.filesRead),
                formatCount(progress.filesTotal),
                formatBytes(progress.bytesRead),
                formatBytes(progress.bytesTotal),
              )
            : t('instagramImportOpening'))}
        {step.kind === 'previewing' && t('instagramImportPreviewing')}
        {step.kind === 'importing' && t('instagramImportImporting')}
        {step.kind === 'cancelled' && t('instagramImportCancelled')}
        {step.kind === 'done' && (
          <span data-testid="instagram-import-done">
            {historyUnchanged(step.result)
              ? changesNothing(step.result) && t('instagramImportNothingNew')
              : t(
                  'instagramImportDone',
                  formatCount(step.result.changes.daysAdded),
                  formatCount(step.result.changes.daysRaised),
                  formatCount(step.result.changes.pointsAdded + step.result.changes.pointsRaised),
                  t('dashboardImportedMarker'),
                )}{' '}
            {followerListText(step.result, true)}
          </span>
        )}
      </div>
      {error !== null && (
        <p role="alert" class="alert" data-testid="instagram-import-error">
          {error}
        </p>
      )}
      <FollowerChanges db={db} />
    </div>
  );
}

/** The dry run's answer: what the export holds, what it changes, what it leaves out and why; then Import. */
function Preview({ result, busy, onImport }: { result: InstagramImportResult; busy: boolean; onImport: () => void }) {
  const { plan, changes } = result;
  const { totals } = plan;
  const latest = (points: ReadonlyArray<{ value: number }>) => points.at(-1)?.value ?? 0;
  const pointsText = (points: ReadonlyArray<{ value: number }>) =>
    t('instagramImportPoints', formatCount(points.length), formatCount(latest(points)));
  const rows: Array<[MessageKey, string]> = [
    [
      'instagramImportRowDates',
      plan.range
        ? t(
            'instagramImportRange',
            formatDate(plan.range.start),
            formatDate(plan.range.end),
            formatCount(plan.days.length),
          )
        : t('instagramImportNoDays'),
    ],
    ['instagramImportRowPostsSeen', formatCount(totals.views.posts)],
    ['instagramImportRowReelsSeen', formatCount(totals.views.reels)],
    ['instagramImportRowOwnPosts', formatCount(totals.ownPosts)],
    [
      'instagramImportRowTagsUsed',
      t('instagramImportTagsUsed', formatCount(totals.tagsUsed), formatCount(totals.distinctTags)),
    ],
    ['instagramImportRowFollowers', pointsText(plan.account.followers)],
    ['instagramImportRowFollowing', pointsText(plan.account.following)],
  ];
  const consentLines = (['usage', 'account'] as const).flatMap((scope) => {
    const left = result.leftOutByConsent[scope] ?? {};
    const parts = (Object.keys(partKeys) as ImportedPart[]).flatMap((part) => {
      const count = left[part];
      return count ? [t(partKeys[part], formatCount(count))] : [];
    });
    return parts.length > 0 ? [t('instagramImportLeftOutScope', scopeText[scope].label, formatList(parts))] : [];
  });
  const notKept = plan.followedHashtags.length + plan.tagSearches.length;
  const followerList = followerListText(result, false);
  return (
    <div data-testid="instagram-import-preview">
      <TableScroll label={t('instagramImportPreviewCaption')}>
        <table>
          <caption>{t('instagramImportPreviewCaption')}</caption>
          <tbody>
            {rows.map(([label, value]) => (
              <tr key={label}>
                <th scope="row">{t(label)}</th>
                <td>{value}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
      {totals.followerPoints + totals.followingPoints > 0 && <p class="hint">{t('instagramImportLowerBound')}</p>}
      {consentLines.length > 0 && (
        <div data-testid="instagram-import-left-out-consent">
          {consentLines.map((line) => (
            <p key={line}>{line}</p>
          ))}
          <p>{t('importLeftOutTurnOn')}</p>
        </div>
      )}
      {result.pointsWithoutOwner > 0 && <p>{t('instagramImportNoOwner')}</p>}
      {followerList !== null && <p data-testid="instagram-import-follower-list">{followerList}</p>}
      {notKept > 0 && (
        <p>
          {t('instagramImportNotKept', formatCount(plan.followedHashtags.length), formatCount(plan.tagSearches.length))}
        </p>
      )}
      {plan.leftOut.length > 0 && (
        <details data-testid="instagram-import-left-out-files">
          <summary>{t('instagramImportLeftOutFiles')}</summary>
          <ul>
            {plan.leftOut.map((item) => (
              <li key={`${item.file}-${item.reason}`}>
                {t('instagramImportLeftOutLine', item.file, t(whyKeys[item.reason]), formatCount(item.count))}
              </li>
            ))}
          </ul>
        </details>
      )}
      {changesNothing(result) ? (
        <p data-testid="instagram-import-nothing-new">{t('instagramImportNothingNew')}</p>
      ) : (
        <>
          {!historyUnchanged(result) && (
            <p>{t('instagramImportChanges', formatCount(changes.daysAdded), formatCount(changes.daysRaised))}</p>
          )}
          <button
            type="button"
            class="primary"
            disabled={busy}
            onClick={onImport}
            data-testid="instagram-import-confirm"
          >
            {t('instagramImportConfirm')}
          </button>
        </>
      )}
    </div>
  );
}
