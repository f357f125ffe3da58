import { useId, useMemo, useRef, useState } from 'preact/hooks';
import { type Change, compare, summarize, weeklyTotals } from '../../shared/domain/insights';
import { isoWeekOf, type Period, periodDays } from '../../shared/domain/periods';
import { heatmap } from '../../shared/domain/reports';
import { type Surface, surfaces } from '../../shared/domain/routes';
import type { DayTotalsRecord, LocalEditRecord } from '../../shared/storage/records';
import {
  formatDate,
  formatDateRange,
  formatDayShort,
  formatDuration,
  formatHour,
  formatNumber,
  formatPercent,
  formatSignedDuration,
  formatSignedPercent,
  formatWeekday,
} from '../../shared/ui/format';
import { t } from '../../shared/ui/i18n';
import { surfaceColour, surfaceLabels } from '../../shared/ui/surfaces';
import { TableScroll } from '../../shared/ui/TableScroll';
import { dayHref, routeHash } from '../route';
import { CalendarHeatmap } from './CalendarHeatmap';
import { Chart, type ChartOptions, dateAxis, dateSeries, durationAxis, durationRange, uPlot, utcDates } from './Chart';
import { durationScale, secondsOfDate } from './chartAxes';
import {
  ChangeNote,
  changeOf,
  EmptyDashboard,
  filledDays,
  holdsNothing,
  ImportedLegend,
  ImportedMarker,
  type PeriodTabProps,
  RangeState,
} from './common';
import { DayCorrection } from './DayCorrection';
import { passiveMsOf } from './passive';
import { ShowMore, useRowLimit } from './ShowMore';

/**
 * The days of the period as recorded, and the corrections made to each (oldest first), for correcting a day; and the
 * dates Instagram's export filled (marked; an imported figure cannot be corrected, only recorded time can).
 */
interface StoredDays {
  days: ReadonlyMap<string, DayTotalsRecord>;
  edits: ReadonlyMap<string, LocalEditRecord[]>;
  importedDates: ReadonlySet<string>;
}

/** Up to this many dates, time per day is drawn as daily bars; beyond, as weekly bars (a year is not 365 slivers). */
const dailyBarsUpTo = 92;

/**
 * The Overview tab: the period's figures each against the previous period (averages over the days since recording
 * began), time per day by surface (weekly over long periods), time per surface with its change, and when — a
 * calendar of daily totals beside the weekday × hour heatmap. Every date links to its day's page; each recorded day of
 * the per-day table can be corrected (DayCorrection).
 */
export function Overview({ result, today, resolved }: PeriodTabProps<DayTotalsRecord>) {
  const data = result.state === 'ready' ? result.value : null;
  const { period, previous } = resolved;
  const report = useMemo(() => {
    if (!data) return null;
    const filled = filledDays(data.days, period);
    const now = summarize(data.days, period, data.firstRecorded, today);
    const before = summarize(data.previousDays, previous, data.firstRecorded, today);
    const edits = new Map<string, LocalEditRecord[]>();
    for (const edit of [...data.edits].sort((a, b) => a.at - b.at)) {
      edits.set(edit.date, [...(edits.get(edit.date) ?? []), edit]);
    }
    const daysWithUse = (days: readonly DayTotalsRecord[]) => days.filter((day) => day.activeMs > 0).length;
    return {
      filled,
      now,
      comparison: compare(now, before),
      sessions: changeOf(now.sessions, before.sessions, before.countedDays > 0),
      daysWithUse: changeOf(daysWithUse(data.days), daysWithUse(data.previousDays), before.countedDays > 0),
      firstRecorded: data.firstRecorded,
      stored: {
        days: new Map(data.days.filter((day) => data.recordedDates.has(day.date)).map((day) => [day.date, day])),
        edits,
        importedDates: data.importedDates,
      },
      heat: heatmap(data.days),
      shown: surfaces.filter((surface) => (now.surfaces[surface] ?? 0) > 0),
    };
  }, [data, today, period, previous]);
  const periodText = formatDateRange(period.start, period.end);

  return (
    <>
      <RangeState result={result} />
      {data && holdsNothing(data) && <EmptyDashboard />}
      {report &&
        report.firstRecorded !== null &&
        report.now.totalMs === 0 &&
        report.stored.importedDates.size === 0 && (
          <p class="empty" data-testid="range-empty">
            {report.now.countedDays === 0
              ? t('dashboardOverviewBeforeRecording', periodText, formatDate(report.firstRecorded))
              : t('dashboardOverviewNothingInRange', periodText)}
          </p>
        )}
      {report && (report.now.totalMs > 0 || report.stored.importedDates.size > 0) && (
        <section aria-labelledby="overview-summary-heading">
          <h3 id="overview-summary-heading" class="visually-hidden">
            {t('dashboardOverviewSummary')}
          </h3>
          <dl class="summary" data-testid="overview-summary">
            <Figure
              label={t('dashboardOverviewAverage')}
              value={formatDuration(report.now.averageMs ?? 0)}
              testId="daily-average"
              change={report.comparison.averageMs}
              unit="duration"
              hint={
                report.firstRecorded === null
                  ? undefined
                  : t('dashboardOverviewAverageHint', formatDate(report.firstRecorded))
              }
            />
            <Figure
              label={t('dashboardOverviewTotal')}
              value={formatDuration(report.now.totalMs)}
              testId="total-time"
              change={report.comparison.totalMs}
              unit="duration"
            />
            <Figure
              label={t('dashboardOverviewPassiveTotal')}
              value={formatDuration(report.now.passiveMs)}
              testId="passive-time"
              change={report.comparison.passiveMs}
              unit="duration"
            />
            <Figure
              label={t('dashboardOverviewSessions')}
              value={formatNumber(report.now.sessions)}
              testId="total-sessions"
              change={report.sessions}
              unit="count"
            />
            <Figure
              label={t('dashboardOverviewDaysWithUse')}
              value={t(
                'dashboardOverviewDaysOf',
                formatNumber(report.daysWithUse.current),
                formatNumber(report.now.countedDays),
              )}
              testId="days-with-use"
              change={report.daysWithUse}
              unit="count"
            />
            <Figure
              label={t('dashboardOverviewPostsViewed')}
              value={formatNumber(report.now.views.posts)}
              testId="views-posts"
              change={report.comparison.views.posts}
              unit="count"
            />
            <Figure
              label={t('dashboardOverviewReelsViewed')}
              value={formatNumber(report.now.views.reels)}
              testId="views-reels"
              change={report.comparison.views.reels}
              unit="count"
            />
            <Figure
              label={t('dashboardOverviewStoriesViewed')}
              value={formatNumber(report.now.views.stories)}
              testId="views-stories"
              change={report.comparison.views.stories}
              unit="count"
            />
          </dl>
          {report.stored.importedDates.size > 0 && <ImportedLegend />}
        </section>
      )}
      {/*
        Also when no time is left in the period but a day is stored or was corrected: the day just corrected, and its
        correction panel, stay on screen.
      */}
      {report &&
        (report.now.totalMs > 0 ||
          report.stored.days.size > 0 ||
          report.stored.edits.size > 0 ||
          report.stored.importedDates.size > 0) && (
          <section aria-labelledby="per-day-heading">
            <h3 id="per-day-heading">{t('dashboardOverviewPerDay')}</h3>
            {periodDays(period) <= dailyBarsUpTo ? (
              <>
                <p class="hint">{t('dashboardOverviewChartHint')}</p>
                <PerDayChart days={report.filled} shown={report.shown} />
              </>
            ) : (
              <PerWeekChart
                days={data?.days ?? []}
                period={period}
                firstRecorded={report.firstRecorded}
                today={today}
              />
            )}
            <PerDayTable days={report.filled} shown={report.shown} period={periodText} stored={report.stored} />
          </section>
        )}
      {report && report.now.totalMs > 0 && (
        <>
          <section aria-labelledby="by-surface-heading">
            <h3 id="by-surface-heading">{t('dashboardOverviewBySurface')}</h3>
            <p class="hint">{t('dashboardOverviewPassiveHint')}</p>
            <SurfaceTotals
              totals={report.now.surfaces}
              passive={report.now.passiveSurfaces}
              changes={report.comparison.surfaces}
              totalMs={report.now.totalMs}
              period={periodText}
            />
          </section>

          <div class="heatmaps">
            <section aria-labelledby="calendar-heading">
              <h3 id="calendar-heading">{t('calendarHeading')}</h3>
              <p class="hint">{t('calendarHint')}</p>
              <CalendarHeatmap days={data?.days ?? []} period={period} today={today} />
            </section>
            <section aria-labelledby="heatmap-heading">
              <h3 id="heatmap-heading">{t('dashboardOverviewHeatmap')}</h3>
              <p class="hint">{t('dashboardOverviewHeatmapHint')}</p>
              <Heatmap matrix={report.heat} period={periodText} />
            </section>
          </div>
        </>
      )}
    </>
  );
}

/** One figure of the summary, with its change against the previous period and an optional hint. */
function Figure({
  label,
  value,
  testId,
  change,
  unit,
  hint,
}: {
  label: string;
  value: string;
  testId: string;
  change: Change;
  unit: 'duration' | 'count';
  hint?: string;
}) {
  return (
    <div>
      <dt>{label}</dt>
      <dd data-testid={testId}>{value}</dd>
      <dd class="hint">
        <ChangeNote change={change} unit={unit} testId={`${testId}-change`} />
      </dd>
      {hint && <dd class="hint">{hint}</dd>}
    </div>
  );
}

/** Opens a date's page, as a link to it would. */
function openDay(date: string | undefined) {
  if (date) location.hash = dayHref(date);
}

/**
 * The stacked daily bars: the surfaces' cumulative minutes, drawn tallest first so each shows as its own band; ticks
 * on days, a duration axis on round steps; a click on a day's bar opens its page.
 */
function PerDayChart({ days, shown }: { days: DayTotalsRecord[]; shown: Surface[] }) {
  const { data, options } = useMemo(() => {
    const x = days.map((day) => secondsOfDate(day.date));
    const minutes = shown.map((surface) => days.map((day) => (day.surfaces[surface] ?? 0) / 60_000));
    const stacks: number[][] = [];
    let running = days.map(() => 0);
    for (const series of minutes) {
      running = running.map((sum, index) => sum + (series[index] ?? 0));
      stacks.push(running);
    }
    const scale = durationScale(Math.max(0, ...running) * 60_000);
    const order = shown.map((_, index) => shown.length - 1 - index);
    const data: uPlot.AlignedData = [x, ...order.map((index) => stacks[index] ?? [])];
    const bars = uPlot.paths.bars?.({ size: [0.8, 48] });
    const options: ChartOptions = (css) => ({
      ...utcDates,
      scales: {
        x: { time: true, range: (_chart, min, max) => [min - 43_200, max + 43_200] },
        y: durationRange(scale),
      },
      axes: [dateAxis(css), durationAxis(css, scale)],
      series: [
        dateSeries(t('commonDate'), formatDayShort),
        ...order.map((index): uPlot.Series => {
          const surface = shown[index] as Surface;
          const colour = css(surfaceColour(surface));
          return {
            label: surfaceLabels[surface],
            stroke: colour,
            fill: colour,
            width: 0,
            ...(bars ? { paths: bars } : {}),
            points: { show: false },
            value: (_chart, _value, _series, row) =>
              row === null ? '—' : formatDuration((minutes[index]?.[row] ?? 0) * 60_000),
          };
        }),
      ],
    });
    return { data, options };
  }, [days, shown]);
  return <Chart data={data} options={options} onPick={(index) => openDay(days[index]?.date)} />;
}

/**
 * Over a long period, one bar per calendar week (cut at the period's ends) with its table: the week's total and its
 * daily average over the days that count. A click on a week opens that week's report.
 */
function PerWeekChart({
  days,
  period,
  firstRecorded,
  today,
}: {
  days: DayTotalsRecord[];
  period: Period;
  firstRecorded: string | null;
  today: string;
}) {
  const weeks = useMemo(
    () => weeklyTotals(days, period, { firstRecorded, today }),
    [days, period, firstRecorded, today],
  );
  const { data, options } = useMemo(() => {
    const ends = new Map(weeks.map((week) => [week.start, week.end]));
    const scale = durationScale(Math.max(0, ...weeks.map((week) => week.ms)));
    const data: uPlot.AlignedData = [
      weeks.map((week) => secondsOfDate(week.start)),
      weeks.map((week) => week.ms / 60_000),
    ];
    const bars = uPlot.paths.bars?.({ size: [0.8, 48] });
    const options: ChartOptions = (css) => ({
      ...utcDates,
      scales: {
        x: { time: true, range: (_chart, min, max) => [min - 302_400, max + 302_400] },
        y: durationRange(scale),
      },
      axes: [dateAxis(css), durationAxis(css, scale)],
      series: [
        dateSeries(t('dashboardOverviewWeek'), (start) => formatDateRange(start, ends.get(start) ?? start)),
        {
          label: t('dashboardOverviewWeekTotal'),
          stroke: css('--accent'),
          fill: css('--accent'),
          width: 0,
          ...(bars ? { paths: bars } : {}),
          points: { show: false },
          value: (_chart, minutes) => (minutes === null ? '—' : formatDuration(minutes * 60_000)),
        },
      ],
    });
    return { data, options };
  }, [weeks]);
  const newestFirst = useMemo(() => [...weeks].reverse(), [weeks]);
  const caption = t('dashboardOverviewWeeksCaption', formatDateRange(period.start, period.end));
  return (
    <>
      <p class="hint">{t('dashboardOverviewWeeksHint')}</p>
      <Chart
        data={data}
        options={options}
        onPick={(index) => {
          const week = weeks[index];
          if (week) location.hash = routeHash({ kind: 'report', week: isoWeekOf(week.start) });
        }}
      />
      <details data-testid="weekly-table">
        <summary>{t('dashboardOverviewWeeksTable')}</summary>
        <TableScroll label={caption}>
          <table class="numbers">
            <caption>{caption}</caption>
            <thead>
              <tr>
                <th scope="col">{t('dashboardOverviewWeek')}</th>
                <th scope="col">{t('dashboardOverviewWeekTotal')}</th>
                <th scope="col">{t('dashboardOverviewAverage')}</th>
              </tr>
            </thead>
            <tbody>
              {newestFirst.map((week) => (
                <tr key={week.start}>
                  <th scope="row">
                    <a href={routeHash({ kind: 'report', week: isoWeekOf(week.start) })}>
                      {formatDateRange(week.start, week.end)}
                    </a>
                  </th>
                  {/* A week before recording began is unknown, not zero. */}
                  <td>{week.days > 0 ? formatDuration(week.ms) : '—'}</td>
                  <td>{week.days > 0 ? formatDuration(Math.round(week.ms / week.days)) : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      </details>
    </>
  );
}

interface PerDayTableProps {
  days: DayTotalsRecord[];
  shown: Surface[];
  period: string;
  stored: StoredDays;
}

/**
 * The chart as a table, newest first: per date (a link to its page) the total, its passive part, each surface and
 * the sessions; a date that is recorded, or was corrected, has a "Correct" button opening DayCorrection under the
 * table (one at a time). Closing it returns focus to that button.
 */
function PerDayTable({ days, shown, period, stored }: PerDayTableProps) {
  const newestFirst = useMemo(() => [...days].reverse(), [days]);
  const [limit, more] = useRowLimit(period);
  const [correcting, setCorrecting] = useState<string | null>(null);
  const opener = useRef<HTMLButtonElement | null>(null);
  const panelId = useId();
  const caption = t('dashboardOverviewPerDayCaption', period);

  function closeCorrection() {
    setCorrecting(null);
    opener.current?.focus();
  }

  return (
    <details data-testid="overview-table">
      <summary>{t('dashboardOverviewPerDayTable')}</summary>
      <TableScroll label={caption}>
        <table class="numbers">
          <caption>{caption}</caption>
          <thead>
            <tr>
              <th scope="col">{t('commonDate')}</th>
              <th scope="col">{t('dashboardOverviewTotalColumn')}</th>
              <th scope="col">{t('dashboardOverviewPassive')}</th>
              {shown.map((surface) => (
                <th scope="col" key={surface}>
                  {surfaceLabels[surface]}
                </th>
              ))}
              <th scope="col">{t('dashboardOverviewSessions')}</th>
              <th scope="col">{t('dashboardOverviewCorrectColumn')}</th>
            </tr>
          </thead>
          <tbody>
            {newestFirst.slice(0, limit).map((day) => {
              const corrected = stored.edits.has(day.date);
              const shownDate = formatDayShort(day.date);
              return (
                <tr key={day.date}>
                  <th scope="row">
                    <a href={dayHref(day.date)} data-testid={`day-link-${day.date}`}>
                      {shownDate}
                    </a>
                    {corrected && (
                      <span class="hint corrected" data-testid="corrected-marker">
                        {' '}
                        {t('dashboardCorrectedMarker')}
                      </span>
                    )}
                    {stored.importedDates.has(day.date) && <ImportedMarker />}
                  </th>
                  <td>{formatDuration(day.activeMs)}</td>
                  <td>{formatDuration(passiveMsOf(day))}</td>
                  {shown.map((surface) => (
                    <td key={surface}>{formatDuration(day.surfaces[surface] ?? 0)}</td>
                  ))}
                  <td>{formatNumber(day.sessions)}</td>
                  <td>
                    {(stored.days.has(day.date) || corrected) && (
                      <button
                        type="button"
                        class="link"
                        aria-label={t('dashboardCorrectOpenLabel', shownDate)}
                        aria-expanded={correcting === day.date}
                        aria-controls={correcting === day.date ? panelId : undefined}
                        data-testid={`correct-${day.date}`}
                        onClick={(event) => {
                          opener.current = event.currentTarget;
                          setCorrecting(correcting === day.date ? null : day.date);
                        }}
                      >
                        {t('dashboardCorrectOpen')}
                      </button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </TableScroll>
      <ShowMore shown={Math.min(limit, days.length)} total={days.length} onMore={more} testId="overview-table-more" />
      {correcting !== null && (
        <div id={panelId}>
          <DayCorrection
            date={correcting}
            day={stored.days.get(correcting)}
            edits={stored.edits.get(correcting) ?? []}
            onClose={closeCorrection}
          />
        </div>
      )}
    </details>
  );
}

interface SurfaceTotalsProps {
  totals: Partial<Record<Surface, number>>;
  passive: Partial<Record<Surface, number>>;
  changes: Partial<Record<Surface, Change>>;
  totalMs: number;
  period: string;
}

/** A change as a table cell: "+12 min (+25%)", or a dash when the previous period has no data. */
function changeCell(change: Change | undefined): string {
  if (!change || change.delta === null) return '—';
  const delta = formatSignedDuration(change.delta);
  return change.ratio === null ? delta : `${delta} (${formatSignedPercent(change.ratio)})`;
}

/** Each surface's time in the period, split into active and passive, its share of all time and its change. */
function SurfaceTotals({ totals, passive, changes, totalMs, period }: SurfaceTotalsProps) {
  const time = (surface: Surface) => totals[surface] ?? 0;
  const rows = surfaces.filter((surface) => time(surface) > 0).sort((a, b) => time(b) - time(a));
  const surfaceSum = rows.reduce((sum, surface) => sum + time(surface), 0) || totalMs || 1;
  return (
    // Six columns do not fit a phone: the table scrolls in its own box, the page does not.
    <TableScroll label={t('dashboardOverviewBySurfaceTable', period)}>
      <table class="numbers" data-testid="surface-totals">
        <thead>
          <tr>
            <th scope="col">{t('dashboardOverviewSurface')}</th>
            <th scope="col">{t('dashboardOverviewTime')}</th>
            <th scope="col">{t('dashboardOverviewActive')}</th>
            <th scope="col">{t('dashboardOverviewPassive')}</th>
            <th scope="col">{t('dashboardOverviewShare')}</th>
            <th scope="col">{t('dashboardOverviewChangeColumn')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((surface) => (
            <tr key={surface}>
              <th scope="row">
                <span class="swatch" style={{ background: `var(${surfaceColour(surface)})` }} aria-hidden="true" />
                {surfaceLabels[surface]}
              </th>
              <td>{formatDuration(time(surface))}</td>
              <td>{formatDuration(time(surface) - (passive[surface] ?? 0))}</td>
              <td>{formatDuration(passive[surface] ?? 0)}</td>
              <td>{formatPercent(time(surface) / surfaceSum)}</td>
              <td>{changeCell(changes[surface])}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

const weekdays = [0, 1, 2, 3, 4, 5, 6];
const hours = Array.from({ length: 24 }, (_, hour) => hour);

function Heatmap({ matrix, period }: { matrix: number[][]; period: string }) {
  let max = 0;
  let peak = { weekday: 0, hour: 0 };
  for (const weekday of weekdays) {
    for (const hour of hours) {
      const ms = matrix[weekday]?.[hour] ?? 0;
      if (ms > max) {
        max = ms;
        peak = { weekday, hour };
      }
    }
  }
  const level = (ms: number) => (max > 0 ? Math.round((ms / max) * 100) : 0);
  const caption = t('dashboardOverviewHeatmapCaption', period);
  return (
    <>
      <div class="heatmap" aria-hidden="true">
        <span />
        {hours.map((hour) => (
          <span class="heatmap-hour" key={hour}>
            {hour % 6 === 0 ? formatHour(hour) : ''}
          </span>
        ))}
        {weekdays.map((weekday) => [
          <span class="heatmap-day" key={`day-${weekday}`}>
            {formatWeekday(weekday, 'short')}
          </span>,
          ...hours.map((hour) => {
            const ms = matrix[weekday]?.[hour] ?? 0;
            return (
              <span
                key={`${weekday}-${hour}`}
                class="heatmap-cell"
                title={t('dashboardOverviewHeatmapCell', formatWeekday(weekday), formatHour(hour), formatDuration(ms))}
                style={{
                  background:
                    ms > 0
                      ? `color-mix(in srgb, var(--accent) ${Math.max(8, level(ms))}%, var(--surface))`
                      : 'var(--surface)',
                }}
              />
            );
          }),
        ])}
      </div>
      {max > 0 && (
        <p data-testid="heatmap-peak">
          {t('dashboardOverviewPeak', formatWeekday(peak.weekday), formatHour(peak.hour), formatDuration(max))}
        </p>
      )}
      <details data-testid="heatmap-table">
        <summary>{t('dashboardOverviewHeatmapTable')}</summary>
        <TableScroll label={caption}>
          <table class="numbers">
            <caption>{caption}</caption>
            <thead>
              <tr>
                <th scope="col">{t('dashboardOverviewHour')}</th>
                {weekdays.map((weekday) => (
                  <th scope="col" key={weekday}>
                    <abbr title={formatWeekday(weekday)}>{formatWeekday(weekday, 'short')}</abbr>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {hours.map((hour) => (
                <tr key={hour}>
                  <th scope="row">{formatHour(hour)}</th>
                  {weekdays.map((weekday) => (
                    <td key={weekday}>{formatDuration(matrix[weekday]?.[hour] ?? 0)}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      </details>
    </>
  );
}
