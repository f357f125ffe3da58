import type { ConsentSource } from '../shared/domain/consent';
import type { SmartTagsDatabase } from '../shared/storage/db';
import { formatDateTime, type MessageKey, t } from '../shared/ui/i18n';
import { scopeText } from '../shared/ui/scopeText';
import { TableScroll } from '../shared/ui/TableScroll';
import { useLiveQuery } from '../shared/ui/useLiveQuery';

const sourceLabelKeys: Record<ConsentSource, MessageKey> = {
  onboarding: 'ledgerSourceOnboarding',
  popup: 'ledgerSourcePopup',
  options: 'ledgerSourceOptions',
  'policy-update': 'ledgerSourcePolicyUpdate',
  browser: 'ledgerSourceBrowser',
};

/** The consent ledger: each grant and withdrawal, as the background recorded it. */
export function ConsentLedger({ db }: { db: SmartTagsDatabase }) {
  const entries = useLiveQuery(() => db.consentLedger.orderBy('at').reverse().toArray(), [db]);
  if (entries.state === 'loading') return <p aria-busy="true">{t('commonLoading')}</p>;
  if (entries.state === 'failed') {
    return (
      <p role="alert" class="alert">
        {t('ledgerFailed', entries.message)}
      </p>
    );
  }
  if (entries.value.length === 0) {
    return (
      <p class="empty" data-testid="ledger-empty">
        {t('ledgerEmpty')}
      </p>
    );
  }
  return (
    <TableScroll label={t('ledgerCaption')}>
      <table data-testid="ledger">
        <caption>{t('ledgerCaption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('ledgerWhen')}</th>
            <th scope="col">{t('ledgerChoice')}</th>
            <th scope="col">{t('ledgerChange')}</th>
            <th scope="col">{t('ledgerPolicy')}</th>
            <th scope="col">{t('ledgerWhere')}</th>
          </tr>
        </thead>
        <tbody>
          {entries.value.map((entry) => (
            <tr key={entry.id}>
              <td>
                <time dateTime={new Date(entry.at).toISOString()}>{formatDateTime(entry.at, 'seconds')}</time>
              </td>
              <td>{scopeText[entry.scope].label}</td>
              <td>{t(entry.granted ? 'ledgerGranted' : 'ledgerWithdrawn')}</td>
              <td>{entry.policyVersion}</td>
              <td>{t(sourceLabelKeys[entry.source])}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
