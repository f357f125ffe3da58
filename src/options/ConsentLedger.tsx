import type { ConsentSource } from '../shared/consent';
import type { SmartTagsDatabase } from '../shared/db';
import { scopeText } from '../shared/ui/scopeText';
import { useLiveQuery } from '../shared/ui/useLiveQuery';

const sourceLabels: Record<ConsentSource, string> = {
  onboarding: 'Welcome page',
  popup: 'Toolbar popup',
  options: 'Options page',
  'policy-update': 'Policy change page',
  browser: 'Browser settings',
};

const text = {
  caption: 'Every time a choice was turned on or off, newest first.',
  when: 'When',
  choice: 'Choice',
  change: 'Change',
  policy: 'Policy version',
  where: 'Where',
  granted: 'Turned on',
  withdrawn: 'Turned off',
  loading: 'Loading…',
  failed: (message: string) => `Could not read the history of your choices: ${message}`,
  empty: 'No choice recorded yet.',
};

const timeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

/** The consent ledger: each grant and withdrawal, as the background recorded it. */
export function ConsentLedger({ db }: { db: SmartTagsDatabase }) {
  const entries = useLiveQuery(() => db.consentLedger.orderBy('at').reverse().toArray(), [db]);
  if (entries.state === 'loading') return <p aria-busy="true">{text.loading}</p>;
  if (entries.state === 'failed') {
    return (
      <p role="alert" class="alert">
        {text.failed(entries.message)}
      </p>
    );
  }
  if (entries.value.length === 0) {
    return (
      <p class="empty" data-testid="ledger-empty">
        {text.empty}
      </p>
    );
  }
  return (
    <div class="table-scroll">
      <table data-testid="ledger">
        <caption>{text.caption}</caption>
        <thead>
          <tr>
            <th scope="col">{text.when}</th>
            <th scope="col">{text.choice}</th>
            <th scope="col">{text.change}</th>
            <th scope="col">{text.policy}</th>
            <th scope="col">{text.where}</th>
          </tr>
        </thead>
        <tbody>
          {entries.value.map((entry) => (
            <tr key={entry.id}>
              <td>
                <time dateTime={new Date(entry.at).toISOString()}>{timeFormat.format(entry.at)}</time>
              </td>
              <td>{scopeText[entry.scope].label}</td>
              <td>{entry.granted ? text.granted : text.withdrawn}</td>
              <td>{entry.policyVersion}</td>
              <td>{sourceLabels[entry.source]}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
