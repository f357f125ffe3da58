import type { ConsentSource } from '../shared/domain/consent';
import type { SmartTagsDatabase } from '../shared/storage/db';
import { type MessageKey, t } from '../shared/ui/i18n';
import { LogTable } from '../shared/ui/LogTable';
import { scopeText } from '../shared/ui/scopeText';
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
  return (
    <LogTable
      entries={entries}
      testId="ledger"
      texts={{
        caption: t('ledgerCaption'),
        columns: ['ledgerWhen', 'ledgerChoice', 'ledgerChange', 'ledgerPolicy', 'ledgerWhere'],
        failed: 'ledgerFailed',
        empty: 'ledgerEmpty',
      }}
      row={(entry) => (
        <>
          <td>{scopeText[entry.scope].label}</td>
          <td>{t(entry.granted ? 'ledgerGranted' : 'ledgerWithdrawn')}</td>
          <td>{entry.policyVersion}</td>
          <td>{t(sourceLabelKeys[entry.source])}</td>
        </>
      )}
    />
  );
}
