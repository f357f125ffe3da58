import { useId, useMemo, useState } from 'preact/hooks';
import { countAxisRange, periodChange } from '../../shared/domain/insights';
import { withImportedPoints } from '../../shared/domain/instagramHistory';
import { type AccountPoint, accountSeries, accountUsernames } from '../../shared/domain/reports';
import type { SmartTagsDatabase } from '../../shared/storage/db';
import { formatDate, formatDateRange, formatDayShort, formatNumber } from '../../shared/ui/format';
import { t, tWithNodes } from '../../shared/ui/i18n';
import { scopeText } from '../../shared/ui/scopeText';
import { TableScroll } from '../../shared/ui/TableScroll';
import { useLiveQuery } from '../../shared/ui/useLiveQuery';
import { Count, type Metric, metricKeys, metrics } from './accountCounts';
import {
  axisStyle,
  Chart,
  type ChartOptions,
  dateAxis,
  dateSeries,
  type uPlot,
  utcDates,
  wholeNumberSteps,
} from './Chart';
import { secondsOfDate } from './chartAxes';
import { ImportedMarker } from './common';
import { Growth, GrowthChange } from './Growth';
import type { ResolvedPeriod } from './PeriodChoice';
import { ShowMore, useRowLimit } from './ShowMore';

/**
 * The Account tab: the own account's followers, following and posts — the latest, the change over the dashboard's
 * period, over time (on an axis that keeps small moves small), and gained or lost per week or month — rounded numbers
 * told apart.
 */
export function Account({ db, resolved }: { db: SmartTagsDatabase; resolved: ResolvedPeriod }) {
  // Imported points (lower bounds from Instagram's export) fill the dates without a recorded snapshot, marked.
  const snapshots = useLiveQuery(
    async () => withImportedPoints(await db.accountSnapshots.toArray(), await db.importedAccountPoints.toArray()),
    [db],
  );
  const [chosen, setChosen] = useState<string | null>(null);
  const selectId = useId();
  const all = snapshots.state === 'ready' ? snapshots.value.snapshots : null;
  const importedDates = snapshots.state === 'ready' ? snapshots.value.importedDates : new Set<string>();
  const usernames = useMemo(() => (all ? accountUsernames(all) : []), [all]);
  const username = chosen !== null && usernames.includes(chosen) ? chosen : (usernames[0] ?? null);
  const series = useMemo(() => (all && username ? accountSeries(all, username) : []), [all, username]);

  if (snapshots.state === 'loading') return <p aria-busy="true">{t('commonLoading')}</p>;
  if (snapshots.state === 'failed') {
    return (
      <p role="alert" class="alert">
        {t('dashboardAccountFailed', snapshots.message)}
      </p>
    );
  }
  if (username === null || series.length === 0) {
    return (
      <div class="notice" data-testid="account-empty">
        <p>
          <strong>{t('dashboardAccountEmptyTitle')}</strong>
        </p>
        <p>
          {tWithNodes(
            'dashboardAccountEmptyBody',
            scopeText.account.label,
            <a href="#privacy">{t('optionsPrivacy')}</a>,
          )}
        </p>
      </div>
    );
  }
  const latest = series.at(-1);
  return (
    <>
      {usernames.length > 1 ? (
        <p class="account-choice">
          <label for={selectId}>{t('dashboardAccountChoice')}</label>{' '}
          <select
            id={selectId}
            name="account"
            value={username}
            onChange={(event) => setChosen(event.currentTarget.value)}
          >
            {usernames.map((name) => (
              <option key={name} value={name}>
                @{name}
              </option>
            ))}
          </select>
        </p>
      ) : (
        <p class="account-choice" data-testid="account-name">
          @{username}
        </p>
      )}

      {latest && (
        <section aria-labelledby="account-latest-heading">
          <h3 id="account-latest-heading">{t('dashboardAccountLatest', formatDate(latest.date))}</h3>
          <dl class="summary" data-testid="account-latest">
            {metrics.map((metric) => (
              <div key={metric}>
                <dt>{t(metricKeys[metric])}</dt>
                <dd data-testid={`latest-${metric}`}>
                  <Count count={latest[metric]} />
                </dd>
              </div>
            ))}
          </dl>
        </section>
      )}

      <PeriodGrowth series={series} resolved={resolved} />

      <section aria-labelledby="account-over-time-heading">
        <h3 id="account-over-time-heading">{t('dashboardAccountOverTime')}</h3>
        <p class="hint" data-testid="account-legend">
          {t('dashboardAccountLegend')}
        </p>
        {series.some((point) => importedDates.has(point.date)) && (
          <p class="hint" data-testid="account-imported-legend">
            {t('dashboardAccountImportedLegend', t('dashboardImportedMarker'))}
          </p>
        )}
        <div class="account-charts">
          {metrics.map((metric) => (
            <figure key={metric} class="account-chart">
              <figcaption>{t(metricKeys[metric])}</figcaption>
              <MetricChart series={series} metric={metric} />
            </figure>
          ))}
        </div>
        <AccountTable series={series} username={username} importedDates={importedDates} />
      </section>

      <Growth series={series} username={username} />
    </>
  );
}

/** One metric: a line through every value, filled points where exact, hollow ones where rounded. */
function MetricChart({ series, metric }: { series: AccountPoint[]; metric: Metric }) {
  const { data, options } = useMemo(() => {
    const values = series.map((point) => point[metric]?.value ?? null);
    const exact: number[] = [];
    const rounded: number[] = [];
    series.forEach((point, index) => {
      const count = point[metric];
      if (count) (count.exact ? exact : rounded).push(index);
    });
    const data: uPlot.AlignedData = [series.map((point) => secondsOfDate(point.date)), values, values];
    // An axis at least 10 % of the count wide: 180 → 185 followers is drawn as the small move it is.
    const range = countAxisRange(values.filter((value): value is number => value !== null));
    // Over many days, markers on every exact point would merge into one thick line and hide the hollow ones: the line
    // alone then stands for the exact numbers, and only the rounded ones get a marker.
    const exactMarkers = series.length <= 60 ? exact : [];
    const options: ChartOptions = (css) => {
      const colour = css(`--chart-${metric}`);
      return {
        ...utcDates,
        legend: { show: false },
        scales: { x: { time: true }, y: { range: () => range } },
        axes: [
          dateAxis(css),
          {
            ...axisStyle(css),
            size: 64,
            incrs: wholeNumberSteps,
            values: (_chart, splits) => splits.map((value) => formatNumber(value)),
          },
        ],
        series: [
          dateSeries(t('commonDate')),
          {
            label: t('dashboardAccountSeriesExact', t(metricKeys[metric])),
            stroke: colour,
            width: 2,
            spanGaps: true,
            points: { show: true, size: 7, fill: colour, filter: () => exactMarkers },
          },
          {
            label: t('dashboardAccountSeriesRounded', t(metricKeys[metric])),
            stroke: colour,
            paths: () => null,
            points: { show: true, size: 8, width: 2, fill: css('--bg', '#fff'), filter: () => rounded },
          },
        ],
      };
    };
    return { data, options };
  }, [series, metric]);
  return <Chart data={data} options={options} height={180} />;
}

function AccountTable({
  series,
  username,
  importedDates,
}: {
  series: AccountPoint[];
  username: string;
  /** Dates whose counts came from Instagram's export (marked). */
  importedDates: ReadonlySet<string>;
}) {
  const newestFirst = useMemo(() => [...series].reverse(), [series]);
  const [limit, more] = useRowLimit(username);
  return (
    <details data-testid="account-table">
      <summary>{t('dashboardAccountTable')}</summary>
      <TableScroll label={t('dashboardAccountCaption', username)}>
        <table class="numbers">
          <caption>{t('dashboardAccountCaption', username)}</caption>
          <thead>
            <tr>
              <th scope="col">{t('commonDate')}</th>
              {metrics.map((metric) => (
                <th scope="col" key={metric}>
                  {t(metricKeys[metric])}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {newestFirst.slice(0, limit).map((point) => (
              <tr key={point.date}>
                <th scope="row">
                  {formatDayShort(point.date)}
                  {importedDates.has(point.date) && <ImportedMarker />}
                </th>
                {metrics.map((metric) => (
                  <td key={metric}>
                    <Count count={point[metric]} />
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
      <ShowMore
        shown={Math.min(limit, series.length)}
        total={series.length}
        onMore={more}
        testId="account-table-more"
      />
    </details>
  );
}

/** Each count's change over the dashboard's period: from the last count before it to the last one in it. */
function PeriodGrowth({ series, resolved }: { series: AccountPoint[]; resolved: ResolvedPeriod }) {
  const { period } = resolved;
  return (
    <section aria-labelledby="account-period-heading">
      <h3 id="account-period-heading">{t('growthPeriodHeading', formatDateRange(period.start, period.end))}</h3>
      <dl class="summary" data-testid="account-period-change">
        {metrics.map((metric) => {
          const change = periodChange(series, metric, period);
          return (
            <div key={metric}>
              <dt>{t(metricKeys[metric])}</dt>
              <dd>{change ? <GrowthChange row={change} testId={`period-change-${metric}`} /> : '—'}</dd>
              <dd class="hint">
                {change ? t('growthFromTo', formatNumber(change.from), formatNumber(change.to)) : t('growthNotEnough')}
              </dd>
            </div>
          );
        })}
      </dl>
    </section>
  );
}
