import type { SmartTagsDatabase } from '../shared/storage/db';
import { t } from '../shared/ui/i18n';
import { useConsent } from '../shared/ui/useConsent';
import { Backend } from './sync/Backend';
import { RemoteDeletion } from './sync/RemoteDeletion';
import { SyncPreview } from './sync/SyncPreview';
import { SyncStatus } from './sync/SyncStatus';
import { UploadLog } from './sync/UploadLog';

/**
 * The options page's Sync section: where uploads go, how they are going, what the next one holds, what was sent, and
 * deleting what a server holds. Its parts read the database live; every change goes through the background.
 */
export function Sync({ db }: { db: SmartTagsDatabase }) {
  const { consent } = useConsent(db);
  return (
    <>
      <section aria-labelledby="sync-backend-heading">
        <h3 id="sync-backend-heading">{t('syncBackendHeading')}</h3>
        <Backend db={db} />
      </section>

      <section aria-labelledby="sync-status-heading">
        <h3 id="sync-status-heading">{t('syncStatusHeading')}</h3>
        <SyncStatus db={db} consent={consent} />
      </section>

      <section aria-labelledby="sync-preview-heading">
        <h3 id="sync-preview-heading">{t('syncPreviewHeading')}</h3>
        <SyncPreview />
      </section>

      <section aria-labelledby="sync-log-heading">
        <h3 id="sync-log-heading">{t('syncLogHeading')}</h3>
        <UploadLog db={db} />
      </section>

      <section aria-labelledby="sync-deletion-heading">
        <h3 id="sync-deletion-heading">{t('syncDeletionHeading')}</h3>
        <RemoteDeletion db={db} consent={consent} />
      </section>
    </>
  );
}
