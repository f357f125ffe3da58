import type { Change } from '../../shared/domain/insights';
import { withImportedDays } from '../../shared/domain/instagramHistory';
import { datesOf, type Period } from '../../shared/domain/periods';
import { emptyDay } from '../../shared/domain/reports';
import type { SmartTagsDatabase } from '../../shared/storage/db';
import { type DayRecord, type DayTotalsRecord, dayTotalsOf, type LocalEditRecord } from '../../shared/storage/records';
import {
  formatDuration,
  formatNumber,
  formatSignedDuration,
  formatSignedNumber,
  formatSignedPercent,
} from '../../shared/ui/format';
import { t, tWithNodes } from '../../shared/ui/i18n';
import { scopeText } from '../../shared/ui/scopeText';
import { type LiveResult, useLiveQuery } from '../../shared/ui/useLiveQuery';
import type { ResolvedPeriod } from './PeriodChoice';

/**
 * A period's days and its previous period's, read live in one query, with the history imported from Instagram's
 * export merged in (per count the larger figure: src/shared/domain/instagramHistory.ts). Dates without a record are
 * absent from both. `firstRecorded` is the first date anything was ever recorded (null: nothing yet): averages count
 * the days from it, as imported days have no time. `firstImported` is the first imported date (null: none).
 * `recordedDates` are the period's dates smartTags recorded (only those can be corrected); `importedDates` those where
 * the import filled or raised a figure (marked). `edits` are the corrections the person made to days of the period
 * (the Overview marks those days and lists them when correcting).
 */
export interface PeriodData<Day extends DayTotalsRecord = DayRecord> {
  days: Day[];
  previousDays: Day[];
  firstRecorded: string | null;
  firstImported: string | null;
  recordedDates: ReadonlySet<string>;
  importedDates: ReadonlySet<string>;
  edits: LocalEditRecord[];
}

/** Nothing recorded and nothing imported: the dashboard says how to start. */
export function holdsNothing(data: Pick<PeriodData<DayTotalsRecord>, 'firstRecorded' | 'firstImported'>): boolean {
  return data.firstRecorded === null && data.firstImported === null;
}

/**
 * What the Overview and Hashtags tabs get from the dashboard: the period's days — the Overview's without their hashtag
 * fields (`dayTotals`) — and the period.
 */
export interface PeriodTabProps<Day extends DayTotalsRecord = DayRecord> {
  result: LiveResult<PeriodData<Day>>;
  today: string;
  resolved: ResolvedPeriod;
}

/**
 * A period's days with their hashtag fields (the Hashtags tab, a tag's page); see `usePeriod`. Not read (loading)
 * while `wanted` is false.
 */
export function usePeriodDays(db: SmartTagsDatabase, resolved: ResolvedPeriod, wanted = true): LiveResult<PeriodData> {
  return usePeriod(
    db,
    resolved,
    'days',
    (start, end) => db.days.where('date').between(start, end, true, true).toArray(),
    emptyDay,
    wanted,
  );
}

/**
 * A period's days without their hashtag fields (the Overview): a year of these reads in a fraction of the time a year
 * of full days takes, which are mostly hashtag counts and pairs (docs/BENCHMARKS.md).
 */
export function usePeriodTotals(
  db: SmartTagsDatabase,
  resolved: ResolvedPeriod,
): LiveResult<PeriodData<DayTotalsRecord>> {
  const read = (start: string, end: string) => db.dayTotals.where('date').between(start, end, true, true).toArray();
  return usePeriod(db, resolved, 'dayTotals', read, (date) => dayTotalsOf(emptyDay(date)), true);
}

/**
 * Reads a period and the period it is compared with in one range query (from the previous period's first date to
 * the period's last), plus the first recorded date (the first key of the days' index) and the period's corrections.
 */
function usePeriod<Day extends DayTotalsRecord>(
  db: SmartTagsDatabase,
  { period, previous }: ResolvedPeriod,
  table: 'days' | 'dayTotals',
  read: (start: string, end: string) => Promise<Day[]>,
  blank: (date: string) => Day,
  wanted: boolean,
): LiveResult<PeriodData<Day>> {
  const result = useLiveQuery(async () => {
    if (!wanted) return null;
    const [recorded, imported, edits, first, firstImported] = await Promise.all([
      read(previous.start, period.end),
      db.importedDays.where('date').between(previous.start, period.end, true, true).toArray(),
      db.localEdits.where('date').between(period.start, period.end, true, true).toArray(),
      db.dayTotals.orderBy('date').limit(1).primaryKeys(),
      db.importedDays.orderBy('date').limit(1).primaryKeys(),
    ]);
    const { days: all, importedDates } = withImportedDays(recorded, imported, blank);
    return {
      days: all.filter((day) => within(day.date, period)),
      previousDays: all.filter((day) => within(day.date, previous)),
      firstRecorded: first[0] ?? null,
      firstImported: firstImported[0] ?? null,
      recordedDates: new Set(recorded.filter((day) => within(day.date, period)).map((day) => day.date)),
      importedDates: new Set([...importedDates].filter((date) => within(date, period))),
      edits,
    };
  }, [db, table, wanted, period.start, period.end, previous.start, previous.end]);
  if (result.state !== 'ready') return result;
  return result.value === null ? { state: 'loading' } : { state: 'ready', value: result.value };
}

function within(date: string, period: Period): boolean {
  return date >= period.start && date <= period.end;
}

/** One day per date of the period, oldest first: the recorded day, or a day of zeros, so a chart has every date. */
export function filledDays(days: readonly DayTotalsRecord[], period: Period): DayTotalsRecord[] {
  const byDate = new Map(days.map((day) => [day.date, day]));
  return datesOf(period).map((date) => byDate.get(date) ?? emptyDay(date));
}

/**
 * A figure against the previous period's, for figures insights.ts `compare` leaves out (sessions, days with use):
 * the same shape and rules (previous null when the previous period has no counted day; ratio null from zero).
 */
export function changeOf(current: number, previous: number, previousCounted: boolean): Change {
  if (!previousCounted) return { current, previous: null, delta: null, ratio: null };
  return {
    current,
    previous,
    delta: current - previous,
    ratio: previous === 0 ? null : (current - previous) / previous,
  };
}

/**
 * How a figure changed since the previous period, as a short note: "+12 min (+25%) vs the previous period", "same as
 * the previous period", or that the previous period has no data (before recording began). An arrow shows the
 * direction at a glance; it is hidden from screen readers, which read the sign.
 */
export function ChangeNote({ change, unit, testId }: { change: Change; unit: 'duration' | 'count'; testId?: string }) {
  const signed = unit === 'duration' ? formatSignedDuration : formatSignedNumber;
  const plain = unit === 'duration' ? formatDuration : formatNumber;
  let text: string;
  let arrow = '';
  if (change.previous === null || change.delta === null) text = t('dashboardChangeNoPrevious');
  else if (change.delta === 0 || signed(change.delta) === signed(0)) text = t('dashboardChangeSame');
  else {
    arrow = change.delta > 0 ? '▲ ' : '▼ ';
    text =
      change.ratio === null
        ? t('dashboardChangeFromNone', signed(change.delta))
        : t('dashboardChangeVs', signed(change.delta), formatSignedPercent(change.ratio), plain(change.previous));
  }
  return (
    <span class="change" data-testid={testId}>
      {arrow && <span aria-hidden="true">{arrow}</span>}
      {text}
    </span>
  );
}

/** Loading and failure of the range query, or nothing when the data is ready. */
export function RangeState({ result }: { result: LiveResult<unknown> }) {
  if (result.state === 'loading') return <p aria-busy="true">{t('commonLoading')}</p>;
  if (result.state === 'failed') {
    return (
      <p role="alert" class="alert">
        {t('dashboardFailed', result.message)}
      </p>
    );
  }
  return null;
}

/** No day recorded at all: how to start. */
export function EmptyDashboard() {
  return (
    <div class="notice" data-testid="dashboard-empty">
      <p>
        <strong>{t('dashboardEmptyTitle')}</strong>
      </p>
      <p>
        {tWithNodes(
          'dashboardEmptyBody',
          scopeText.usage.label,
          <a href="#privacy">{t('optionsPrivacy')}</a>,
          <a href="https://www.instagram.com/" target="_blank" rel="noreferrer">
            instagram.com
          </a>,
        )}
      </p>
    </div>
  );
}

/** A visually hidden note for screen readers. */
export function ScreenReaderOnly({ children }: { children: string }) {
  return <span class="visually-hidden">{children}</span>;
}

/** Marks a date or a point that Instagram's export filled (see ImportedLegend). */
export function ImportedMarker() {
  return (
    <span class="hint imported" data-testid="imported-marker">
      {' '}
      {t('dashboardImportedMarker')}
    </span>
  );
}

/** Says what the imported marker means, wherever imported figures are shown. */
export function ImportedLegend() {
  return (
    <p class="hint" data-testid="imported-legend">
      {t('dashboardImportedLegend', t('dashboardImportedMarker'))}
    </p>
  );
}
