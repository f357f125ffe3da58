import type { SmartTagsDatabase } from '../shared/db';
import type { ConsentView } from '../shared/messages';
import type { UploadLogRecord } from '../shared/records';
import { useLiveQuery } from '../shared/ui/useLiveQuery';

const text = {
  heading: 'Uploads',
  off: 'Off: nothing leaves this browser.',
  held: 'Held until you review the updated privacy policy.',
  noBackend: 'On, but no backend is set yet: see Sync in the dashboard.',
  on: 'On',
  never: 'nothing uploaded yet',
  last: (time: string) => `last upload ${time}`,
  error: (time: string, error: string) => `The last attempt failed (${time}): ${error}`,
  retrying: 'smartTags will try again.',
};

const timeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'short', timeStyle: 'short' });

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
  if (!consent.scopes.uploadUsage) status = text.off;
  else if (consent.policy.needsReconsent) status = text.held;
  else if (backendUrl === null) status = text.noBackend;
  else status = `${text.on} · ${lastSuccess ? text.last(timeFormat.format(lastSuccess.at)) : text.never}`;
  const failed = consent.scopes.uploadUsage && latest?.error ? latest : undefined;
  return (
    <section aria-labelledby="uploads-heading">
      <h2 id="uploads-heading">{text.heading}</h2>
      <p data-testid="upload-status">{status}</p>
      {failed?.error && (
        <p class="alert" data-testid="upload-error">
          {text.error(timeFormat.format(failed.at), failed.error)}
          {failed.outcome === 'retrying' && ` ${text.retrying}`}
        </p>
      )}
    </section>
  );
}
