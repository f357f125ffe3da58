import { useMemo } from 'preact/hooks';
import { utcMsOfDate } from '../../shared/domain/dates';
import { dailyAverage, heatmap, rangeDays, totals } from '../../shared/domain/reports';
import { type Surface, surfaces } from '../../shared/domain/routes';
import type { DayRecord } from '../../shared/storage/records';
import {
  formatDayShort,
  formatDuration,
  formatHour,
  formatNumber,
  formatPercent,
  formatWeekday,
} from '../../shared/ui/format';
import { t } from '../../shared/ui/i18n';
import { surfaceColour, surfaceLabels } from '../../shared/ui/surfaces';
import { TableScroll } from '../../shared/ui/TableScroll';
import { axisStyle, Chart, type ChartOptions, dateSeries, uPlot, utcDates } from './Chart';
import { EmptyDashboard, type PeriodTabProps, RangeChoice, RangeState } from './common';
import { ShowMore, useRowLimit } from './ShowMore';

/** The Overview tab: time per day by surface, the daily average, sessions, and the weekday × hour heatmap. */
export function Overview({ result, today, range, onRange }: PeriodTabProps) {
  const days = result.state === 'ready' ? result.value.days : null;
  const report = useMemo(() => {
    if (!days) return null;
    const filled = rangeDays(days, today, range);
    const sum = totals(filled);
    return {
      filled,
      sum,
      average: dailyAverage(filled, range),
      heat: heatmap(filled),
      shown: surfaces.filter((surface) => sum.surfaces[surface] > 0),
    };
  }, [days, today, range]);

  return (
    <>
      <RangeChoice value={range} onChange={onRange} />
      <RangeState result={result} />
      {result.state === 'ready' && !result.value.any && <EmptyDashboard />}
      {result.state === 'ready' && result.value.any && report && report.sum.activeMs === 0 && (
        <p class="empty" data-testid="range-empty">
          {t('dashboardOverviewNothingInRange', formatNumber(range))}
        </p>
      )}
      {report && report.sum.activeMs > 0 && (
        <>
          <section aria-labelledby="overview-summary-heading">
            <h3 id="overview-summary-heading" class="visually-hidden">
              {t('dashboardOverviewSummary')}
            </h3>
            <dl class="summary" data-testid="overview-summary">
              <div>
                <dt>{t('dashboardOverviewAverage')}</dt>
                <dd data-testid="daily-average">{formatDuration(report.average)}</dd>
                <dd class="hint">{t('dashboardOverviewAverageHint')}</dd>
              </div>
              <div>
                <dt>{t('dashboardOverviewTotal')}</dt>
                <dd data-testid="total-time">{formatDuration(report.sum.activeMs)}</dd>
              </div>
              <div>
                <dt>{t('dashboardOverviewSessions')}</dt>
                <dd data-testid="total-sessions">{formatNumber(report.sum.sessions)}</dd>
              </div>
              <div>
                <dt>{t('dashboardOverviewDaysWithUse')}</dt>
                <dd data-testid="days-with-use">
                  {t('dashboardOverviewDaysOf', formatNumber(report.sum.daysWithUse), formatNumber(range))}
                </dd>
              </div>
            </dl>
          </section>

          <section aria-labelledby="per-day-heading">
            <h3 id="per-day-heading">{t('dashboardOverviewPerDay')}</h3>
            <PerDayChart days={report.filled} shown={report.shown} />
            <PerDayTable days={report.filled} shown={report.shown} range={range} />
          </section>

          <section aria-labelledby="by-surface-heading">
            <h3 id="by-surface-heading">{t('dashboardOverviewBySurface')}</h3>
            <SurfaceTotals totals={report.sum.surfaces} activeMs={report.sum.activeMs} />
          </section>

          <section aria-labelledby="heatmap-heading">
            <h3 id="heatmap-heading">{t('dashboardOverviewHeatmap')}</h3>
            <p class="hint">{t('dashboardOverviewHeatmapHint')}</p>
            <Heatmap matrix={report.heat} range={range} />
          </section>
        </>
      )}
    </>
  );
}

/** The stacked bars: the surfaces' cumulative minutes, drawn tallest first so each shows as its own band. */
function PerDayChart({ days, shown }: { days: DayRecord[]; shown: Surface[] }) {
  const { data, options } = useMemo(() => {
    const x = days.map((day) => utcMsOfDate(day.date) / 1000);
    const minutes = shown.map((surface) => days.map((day) => (day.surfaces[surface] ?? 0) / 60_000));
    const stacks: number[][] = [];
    let running = days.map(() => 0);
    for (const series of minutes) {
      running = running.map((sum, index) => sum + (series[index] ?? 0));
      stacks.push(running);
    }
    const order = shown.map((_, index) => shown.length - 1 - index);
    const data: uPlot.AlignedData = [x, ...order.map((index) => stacks[index] ?? [])];
    const bars = uPlot.paths.bars?.({ size: [0.8, 48] });
    const options: ChartOptions = (css) => ({
      ...utcDates,
      scales: {
        x: { time: true, range: (_chart, min, max) => [min - 43_200, max + 43_200] },
        y: { range: (_chart, _min, max) => [0, max > 0 ? max * 1.05 : 1] },
      },
      axes: [
        axisStyle(css),
        {
          ...axisStyle(css),
          // Wide enough for "10 hr 40 min" (narrower cut the hours off).
          size: 100,
          values: (_chart, splits) => splits.map((minutes) => formatDuration(minutes * 60_000)),
        },
      ],
      series: [
        dateSeries(t('commonDate')),
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
  return <Chart data={data} options={options} />;
}

function PerDayTable({ days, shown, range }: { days: DayRecord[]; shown: Surface[]; range: number }) {
  const newestFirst = useMemo(() => [...days].reverse(), [days]);
  const [limit, more] = useRowLimit(range);
  return (
    <details data-testid="overview-table">
      <summary>{t('dashboardOverviewPerDayTable')}</summary>
      <TableScroll label={t('dashboardOverviewPerDayCaption', formatNumber(range))}>
        <table class="numbers">
          <caption>{t('dashboardOverviewPerDayCaption', formatNumber(range))}</caption>
          <thead>
            <tr>
              <th scope="col">{t('commonDate')}</th>
              <th scope="col">{t('dashboardOverviewTotalColumn')}</th>
              {shown.map((surface) => (
                <th scope="col" key={surface}>
                  {surfaceLabels[surface]}
                </th>
              ))}
              <th scope="col">{t('dashboardOverviewSessions')}</th>
            </tr>
          </thead>
          <tbody>
            {newestFirst.slice(0, limit).map((day) => (
              <tr key={day.date}>
                <th scope="row">{formatDayShort(day.date)}</th>
                <td>{formatDuration(day.activeMs)}</td>
                {shown.map((surface) => (
                  <td key={surface}>{formatDuration(day.surfaces[surface] ?? 0)}</td>
                ))}
                <td>{formatNumber(day.sessions)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
      <ShowMore shown={Math.min(limit, days.length)} total={days.length} onMore={more} testId="overview-table-more" />
    </details>
  );
}

function SurfaceTotals({ totals, activeMs }: { totals: Record<Surface, number>; activeMs: number }) {
  const rows = surfaces.filter((surface) => totals[surface] > 0).sort((a, b) => totals[b] - totals[a]);
  const surfaceSum = rows.reduce((sum, surface) => sum + totals[surface], 0) || activeMs || 1;
  return (
    <table class="numbers" data-testid="surface-totals">
      <thead>
        <tr>
          <th scope="col">{t('dashboardOverviewSurface')}</th>
          <th scope="col">{t('dashboardOverviewTime')}</th>
          <th scope="col">{t('dashboardOverviewShare')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((surface) => (
          <tr key={surface}>
            <th scope="row">
              <span class="swatch" style={{ background: `var(${surfaceColour(surface)})` }} aria-hidden="true" />
              {surfaceLabels[surface]}
            </th>
            <td>{formatDuration(totals[surface])}</td>
            <td>{formatPercent(totals[surface] / surfaceSum)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const weekdays = [0, 1, 2, 3, 4, 5, 6];
const hours = Array.from({ length: 24 }, (_, hour) => hour);

function Heatmap({ matrix, range }: { matrix: number[][]; range: number }) {
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
  return (
    <>
      <div class="heatmap" aria-hidden="true">
        <span />
        {hours.map((hour) => (
          <span class="heatmap-hour" key={hour}>
            {hour % 3 === 0 ? formatHour(hour) : ''}
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
        <TableScroll label={t('dashboardOverviewHeatmapCaption', formatNumber(range))}>
          <table class="numbers">
            <caption>{t('dashboardOverviewHeatmapCaption', formatNumber(range))}</caption>
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
