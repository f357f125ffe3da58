import { useRef, useState } from 'preact/hooks';
import { localToday } from '../../shared/domain/dates';
import type { RangeLength } from '../../shared/domain/reports';
import type { SmartTagsDatabase } from '../../shared/storage/db';
import { type MessageKey, t } from '../../shared/ui/i18n';
import { Account } from './Account';
import { useRangeDays } from './common';
import { Hashtags } from './Hashtags';
import { Overview } from './Overview';

const tabs = [
  { id: 'overview', label: 'dashboardTabOverview' },
  { id: 'hashtags', label: 'dashboardTabHashtags' },
  { id: 'account', label: 'dashboardTabAccount' },
] as const satisfies ReadonlyArray<{ id: string; label: MessageKey }>;
type TabId = (typeof tabs)[number]['id'];

/**
 * The dashboard's reports, in tabs: Overview, Hashtags, Account. Reads the database live (the period's days once, for
 * Overview and Hashtags; the accounts' snapshots in Account) and never writes. Arrow keys, Home and End move between
 * the tabs; only the chosen tab's panel is rendered.
 */
export function Dashboard({ db, today: fixedToday }: { db: SmartTagsDatabase; today?: string }) {
  const [active, setActive] = useState<TabId>('overview');
  const [range, setRange] = useState<RangeLength>(30);
  const [today] = useState(() => fixedToday ?? localToday());
  // Overview and Hashtags show the same period: its days are read once here, so switching between them reads nothing.
  const rangeData = useRangeDays(db, today, range);
  const buttons = useRef<Array<HTMLButtonElement | null>>([]);

  function choose(index: number) {
    const tab = tabs[(index + tabs.length) % tabs.length];
    if (!tab) return;
    setActive(tab.id);
    buttons.current[tabs.indexOf(tab)]?.focus();
  }

  function onKeyDown(event: KeyboardEvent) {
    const current = tabs.findIndex((tab) => tab.id === active);
    const moves: Record<string, number> = {
      ArrowRight: current + 1,
      ArrowLeft: current - 1,
      Home: 0,
      End: tabs.length - 1,
    };
    const next = moves[event.key];
    if (next === undefined) return;
    event.preventDefault();
    choose(next);
  }

  return (
    <div class="dashboard">
      <div role="tablist" aria-label={t('dashboardTabs')} class="tabs" onKeyDown={onKeyDown}>
        {tabs.map((tab, index) => (
          <button
            key={tab.id}
            ref={(element) => {
              buttons.current[index] = element;
            }}
            type="button"
            role="tab"
            id={`tab-${tab.id}`}
            aria-controls={`panel-${tab.id}`}
            aria-selected={active === tab.id}
            tabIndex={active === tab.id ? 0 : -1}
            data-testid={`tab-${tab.id}`}
            onClick={() => setActive(tab.id)}
          >
            {t(tab.label)}
          </button>
        ))}
      </div>
      {tabs.map((tab) => (
        <div
          key={tab.id}
          role="tabpanel"
          id={`panel-${tab.id}`}
          aria-labelledby={`tab-${tab.id}`}
          hidden={active !== tab.id}
          class="tab-panel"
          data-testid={`panel-${tab.id}`}
        >
          {active === tab.id && tab.id === 'overview' && (
            <Overview result={rangeData} today={today} range={range} onRange={setRange} />
          )}
          {active === tab.id && tab.id === 'hashtags' && (
            <Hashtags result={rangeData} today={today} range={range} onRange={setRange} />
          )}
          {active === tab.id && tab.id === 'account' && <Account db={db} />}
        </div>
      ))}
    </div>
  );
}
