import { useId, useMemo, useRef, useState } from 'preact/hooks';
import { utcMsOfDate } from '../../shared/domain/dates';
import { dailyAverage, heatmap, rangeDays, totals } from '../../shared/domain/reports';
import { type Surface, surfaces } from '../../shared/domain/routes';
import type { DayRecord, LocalEditRecord } from '../../shared/storage/records';
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
import { DayCorrection } from './DayCorrection';
import { passiveMsOf, passiveTotals } from './passive';
import { ShowMore, useRowLimit } from './ShowMore';

/** The days of the range as stored, and the corrections made to each (oldest first), for correcting a day. */
interface StoredDays {
  days: ReadonlyMap<string, DayRecord>;
  edits: ReadonlyMap<string, LocalEditRecord[]>;
}

/**
 * The Overview tab: time per day by surface (active and passive apart), the daily average, sessions, and the weekday ×
 * hour heatmap. Each recorded day of the per-day table can be corrected (DayCorrection).
 */
export function Overview({ result, today, range, onRange }: PeriodTabProps) {
  const data = result.state === 'ready' ? result.value : null;
  const report = useMemo(() => {
    if (!data) return null;
    const filled = rangeDays(data.days, today, range);
    const sum = totals(filled);
    const edits = new Map<string, LocalEditRecord[]>();
    for (const edit of [...data.edits].sort((a, b) => a.at - b.at)) {
      edits.set(edit.date, [...(edits.get(edit.date) ?? []), edit]);
    }
    return {
      filled,
      sum,
      passive: passiveTotals(filled),
      stored: { days: new Map(data.days.map((day) => [day.date, day])), edits },
      average: dailyAverage(filled, range),
      heat: heatmap(filled),
      shown: surfaces.filter((surface) => sum.surfaces[surface] > 0),
    };
  }, [data, today, range]);

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
      )}
      {/*
        Also when no time is left in the period but a day is stored or was corrected: the day just corrected, and its
        correction panel, stay on screen.
      */}
      {report && (report.sum.activeMs > 0 || report.stored.days.size > 0 || report.stored.edits.size > 0) && (
        <section aria-labelledby="per-day-heading">
          <h3 id="per-day-heading">{t('dashboardOverviewPerDay')}</h3>
          <PerDayChart days={report.filled} shown={report.shown} />
          <PerDayTable days={report.filled} shown={report.shown} range={range} stored={report.stored} />
        </section>
      )}
      {report && report.sum.activeMs > 0 && (
        <>
          <section aria-labelledby="by-surface-heading">
            <h3 id="by-surface-heading">{t('dashboardOverviewBySurface')}</h3>
            <p class="hint">{t('dashboardOverviewPassiveHint')}</p>
            <SurfaceTotals totals={report.sum.surfaces} passive={report.passive} activeMs={report.sum.activeMs} />
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

interface PerDayTableProps {
  days: DayRecord[];
  shown: Surface[];
  range: number;
  stored: StoredDays;
}

/**
 * The chart as a table, newest first: per date the total, its passive part, each surface and the sessions; a date
 * that is recorded, or was corrected, has a "Correct" button opening DayCorrection under the table (one at a time).
 * Closing it returns focus to that button.
 */
function PerDayTable({ days, shown, range, stored }: PerDayTableProps) {
  const newestFirst = useMemo(() => [...days].reverse(), [days]);
  const [limit, more] = useRowLimit(range);
  const [correcting, setCorrecting] = useState<string | null>(null);
  const opener = useRef<HTMLButtonElement | null>(null);
  const panelId = useId();

  function closeCorrection() {
    setCorrecting(null);
    opener.current?.focus();
  }

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
                    {shownDate}
                    {corrected && (
                      <span class="hint corrected" data-testid="corrected-marker">
                        {' '}
                        {t('dashboardCorrectedMarker')}
                      </span>
                    )}
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
  totals: Record<Surface, number>;
  passive: Record<Surface, number>;
  activeMs: number;
}

/** Each surface's time in the period, split into active and passive, and its share of all time. */
function SurfaceTotals({ totals, passive, activeMs }: SurfaceTotalsProps) {
  const rows = surfaces.filter((surface) => totals[surface] > 0).sort((a, b) => totals[b] - totals[a]);
  const surfaceSum = rows.reduce((sum, surface) => sum + totals[surface], 0) || activeMs || 1;
  return (
    <table class="numbers" data-testid="surface-totals">
      <thead>
        <tr>
          <th scope="col">{t('dashboardOverviewSurface')}</th>
          <th scope="col">{t('dashboardOverviewTime')}</th>
          <th scope="col">{t('dashboardOverviewActive')}</th>
          <th scope="col">{t('dashboardOverviewPassive')}</th>
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
            <td>{formatDuration(totals[surface] - passive[surface])}</td>
            <td>{formatDuration(passive[surface])}</td>
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
