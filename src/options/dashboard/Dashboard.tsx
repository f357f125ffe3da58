import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { localToday } from '../../shared/domain/dates';
import type { SmartTagsDatabase } from '../../shared/storage/db';
import { type MessageKey, t } from '../../shared/ui/i18n';
import { Account } from './Account';
import { Compare } from './Compare';
import { usePeriodDays, usePeriodTotals } from './common';
import { Hashtags } from './Hashtags';
import { Overview } from './Overview';
import { defaultPeriod, PeriodChoice, type PeriodSelection, resolveSelection } from './PeriodChoice';

const tabs = [
  { id: 'overview', label: 'dashboardTabOverview' },
  { id: 'hashtags', label: 'dashboardTabHashtags' },
  { id: 'account', label: 'dashboardTabAccount' },
  { id: 'compare', label: 'dashboardTabCompare' },
] as const satisfies ReadonlyArray<{ id: string; label: MessageKey }>;
type TabId = (typeof tabs)[number]['id'];

/** What the dashboard shows: its tab and its period. The options page keeps it while a day's or a tag's page is open. */
export interface DashboardView {
  tab: TabId;
  period: PeriodSelection;
}

export const defaultDashboardView: DashboardView = { tab: 'overview', period: defaultPeriod };

interface DashboardProps {
  db: SmartTagsDatabase;
  /** Today's date; the local date when absent (tests fix it). */
  today?: string;
  /** The view, when the page keeps it (see DashboardView); the dashboard keeps its own otherwise. */
  view?: DashboardView;
  onView?: (view: DashboardView) => void;
}

/** Runs `work` once the browser is idle (or soon, where it cannot say); answers how to cancel it. */
function whenIdle(work: () => void): () => void {
  if (typeof requestIdleCallback !== 'function') {
    const timer = setTimeout(work, 50);
    return () => clearTimeout(timer);
  }
  const idle = requestIdleCallback(work, { timeout: 2_000 });
  return () => cancelIdleCallback(idle);
}

/**
 * The dashboard's reports: the period, then tabs — Overview, Hashtags, Account, and How you compare (which shows the
 * latest published week whatever the period). Reads the database live (the period's
 * and the previous period's days in one query: without their hashtag fields for Overview, whole for Hashtags; the
 * accounts' snapshots in Account) and never writes. Arrow keys, Home and End move between the tabs; only the chosen tab's panel is rendered.
 */
export function Dashboard({ db, today: fixedToday, view: keptView, onView }: DashboardProps) {
  const [ownView, setOwnView] = useState(defaultDashboardView);
  const view = keptView ?? ownView;
  const active = view.tab;
  const [today] = useState(() => fixedToday ?? localToday());
  const resolved = useMemo(() => resolveSelection(view.period, today), [view.period, today]);
  // Read here rather than in the tabs, so switching between them reads nothing again. The Overview needs no hashtag
  // counts, which are most of a whole day: the period's whole days are read when Hashtags shows, or once the browser is
  // idle after the Overview's figures arrived — never in the way of those.
  const periodKey = `${resolved.previous.start}/${resolved.period.end}`;
  const [wholeDaysFor, setWholeDaysFor] = useState<string | null>(null);
  if (active === 'hashtags' && wholeDaysFor !== periodKey) setWholeDaysFor(periodKey);
  const periodTotals = usePeriodTotals(db, resolved);
  const periodDays = usePeriodDays(db, resolved, wholeDaysFor === periodKey);
  const totalsReady = periodTotals.state === 'ready';
  useEffect(() => {
    if (!totalsReady || wholeDaysFor === periodKey) return;
    return whenIdle(() => setWholeDaysFor(periodKey));
  }, [totalsReady, wholeDaysFor, periodKey]);
  const buttons = useRef<Array<HTMLButtonElement | null>>([]);

  function change(next: DashboardView) {
    setOwnView(next);
    onView?.(next);
  }
  const setActive = (tab: TabId) => change({ ...view, tab });

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
      <PeriodChoice value={view.period} onChange={(period) => change({ ...view, period })} today={today} />
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
            <Overview result={periodTotals} today={today} resolved={resolved} />
          )}
          {active === tab.id && tab.id === 'hashtags' && (
            <Hashtags result={periodDays} today={today} resolved={resolved} />
          )}
          {active === tab.id && tab.id === 'account' && <Account db={db} resolved={resolved} />}
          {active === tab.id && tab.id === 'compare' && <Compare db={db} today={today} />}
        </div>
      ))}
    </div>
  );
}
