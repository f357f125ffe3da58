import type { ConsentView } from '../shared/contracts/messages';
import type { SmartTagsDatabase } from '../shared/storage/db';
import type { UploadLogRecord } from '../shared/storage/records';
import { formatDateTime, t } from '../shared/ui/i18n';
import { useLiveQuery } from '../shared/ui/useLiveQuery';

interface UploadFacts {
  backendUrl: string | null;
  lastSuccess: UploadLogRecord | undefined;
  latest: UploadLogRecord | undefined;
}

async function readUploads(db: SmartTagsDatabase): Promise<UploadFacts> {
  const newestFirst = () => db.uploadLog.orderBy('at').reverse();
  const [config, latest, lastSuccess] = await Promise.all([
    db.syncConfig.get('current'),
    newestFirst().first(),
    newestFirst()
      .filter((entry) => entry.outcome === 'sent' || entry.outcome === 'duplicate')
      .first(),
  ]);
  return { backendUrl: config?.backendUrl ?? null, latest, lastSuccess };
}

/** Upload on or off, when the last upload went, and the error of the latest attempt if it failed. */
export function UploadSummary({ db, consent }: { db: SmartTagsDatabase; consent: ConsentView }) {
  const facts = useLiveQuery(() => readUploads(db), [db]);
  if (facts.state !== 'ready') return null;
  const { backendUrl, lastSuccess, latest } = facts.value;
  let status: string;
  if (!consent.scopes.uploadUsage) status = t('popupUploadsOff');
  else if (consent.policy.needsReconsent) status = t('popupUploadsHeld');
  else if (backendUrl === null) status = t('popupUploadsNoBackend');
  else {
    const last = lastSuccess
      ? t('popupUploadsLast', formatDateTime(lastSuccess.at, 'minutes'))
      : t('popupUploadsNever');
    status = `${t('popupUploadsOn')} · ${last}`;
  }
  const failed = consent.scopes.uploadUsage && latest?.error ? latest : undefined;
  return (
    <section aria-labelledby="uploads-heading" class="popup-line">
      <h2 id="uploads-heading">{t('popupUploadsHeading')}</h2>
      <p data-testid="upload-status">{status}</p>
      {failed?.error && (
        <p class="alert" data-testid="upload-error">
          {t('popupUploadsError', formatDateTime(failed.at, 'minutes'), failed.error)}
          {failed.outcome === 'retrying' && ` ${t('popupUploadsRetrying')}`}
        </p>
      )}
    </section>
  );
}
