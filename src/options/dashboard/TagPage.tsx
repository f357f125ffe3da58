import { useMemo, useState } from 'preact/hooks';
import { localToday } from '../../shared/domain/dates';
import { tagDetail } from '../../shared/domain/insights';
import { countedDays } from '../../shared/domain/periods';
import type { SmartTagsDatabase } from '../../shared/storage/db';
import { formatDateRange, formatDayShort, formatDuration, formatNumber } from '../../shared/ui/format';
import { t, tPlural } from '../../shared/ui/i18n';
import { TableScroll } from '../../shared/ui/TableScroll';
import { dayHref, tagHref } from '../route';
import {
  axisStyle,
  Chart,
  type ChartOptions,
  dateAxis,
  dateSeries,
  durationAxis,
  type uPlot,
  utcDates,
  wholeNumberSteps,
} from './Chart';
import { durationScale, secondsOfDate } from './chartAxes';
import { ChangeNote, changeOf, EmptyDashboard, holdsNothing, RangeState, usePeriodDays } from './common';
import { PeriodChoice, type PeriodSelection, resolveSelection } from './PeriodChoice';
import { ShowMore, useRowLimit } from './ShowMore';

type TrendPoint = ReturnType<typeof tagDetail>['trend'][number];

interface TagPageProps {
  db: SmartTagsDatabase;
  tag: string;
  /** The dashboard's period, which this page shows and changes. */
  selection: PeriodSelection;
  onSelect: (selection: PeriodSelection) => void;
  /** Today's date; the local date when absent (tests fix it). */
  today?: string;
}

/**
 * A hashtag's page (`#tag/<tag>`): over the dashboard's period, how often its posts were seen (against the previous
 * period), used and its page visited; its trend per day, the tags seen on the same posts and the days it was seen —
 * each day and tag a link to its own page. Reads the period's days once, like the dashboard.
 */
export function TagPage({ db, tag, selection, onSelect, today: fixedToday }: TagPageProps) {
  const [today] = useState(() => fixedToday ?? localToday());
  const resolved = useMemo(() => resolveSelection(selection, today), [selection, today]);
  const { period, previous } = resolved;
  const result = usePeriodDays(db, resolved);
  const data = result.state === 'ready' ? result.value : null;
  const detail = useMemo(() => (data ? tagDetail(data.days, tag, period, { coLimit: 20 }) : null), [data, tag, period]);
  const before = useMemo(
    () => (data ? tagDetail(data.previousDays, tag, previous, { coLimit: 0 }) : null),
    [data, tag, previous],
  );
  const periodText = formatDateRange(period.start, period.end);

  return (
    <section aria-labelledby="tag-heading" data-testid="tag-page">
      <h2 id="tag-heading" tabIndex={-1}>
        #{tag}
      </h2>
      <p>
        <a href="#dashboard">{t('optionsBackToDashboard')}</a>
      </p>
      <PeriodChoice value={selection} onChange={onSelect} today={today} />
      <RangeState result={result} />
      {data && holdsNothing(data) && <EmptyDashboard />}
      {data && !holdsNothing(data) && detail && before && (
        <>
          {detail.totalSeen === 0 && detail.totalUsed === 0 ? (
            <p class="empty" data-testid="tag-not-seen">
              {t('tagNotSeen', tag, periodText)}
            </p>
          ) : null}
          <dl class="summary" data-testid="tag-totals">
            <div>
              <dt>{t('dashboardHashtagsPostsSeen')}</dt>
              <dd data-testid="tag-seen">{formatNumber(detail.totalSeen)}</dd>
              <dd class="hint">
                <ChangeNote
                  change={changeOf(
                    detail.totalSeen,
                    before.totalSeen,
                    countedDays(previous, data.firstRecorded, today) > 0,
                  )}
                  unit="count"
                  testId="tag-seen-change"
                />
              </dd>
            </div>
            <div>
              <dt>{t('dashboardHashtagsOwnPosts')}</dt>
              <dd data-testid="tag-used">{formatNumber(detail.totalUsed)}</dd>
            </div>
            <div>
              <dt>{t('dashboardHashtagsColumnPageTime')}</dt>
              <dd data-testid="tag-page-time">
                {formatDuration(detail.trend.reduce((sum, point) => sum + point.pageMs, 0))}
              </dd>
            </div>
            <div>
              <dt>{t('tagDaysSeen')}</dt>
              <dd data-testid="tag-days">{formatNumber(detail.datesSeen.length)}</dd>
            </div>
          </dl>
          {detail.totalSeen + detail.totalUsed > 0 && (
            <>
              <section aria-labelledby="tag-trend-heading">
                <h3 id="tag-trend-heading">{t('dashboardHashtagsTrend', tag)}</h3>
                <TagTrend points={detail.trend} tag={tag} period={periodText} />
              </section>
              <section aria-labelledby="tag-together-heading">
                <h3 id="tag-together-heading">{t('dashboardHashtagsTogether', tag)}</h3>
                <Together partners={detail.coTags} tag={tag} />
              </section>
              <section aria-labelledby="tag-dates-heading">
                <h3 id="tag-dates-heading">{t('tagDatesHeading')}</h3>
                <DatesSeen points={detail.trend} />
              </section>
            </>
          )}
        </>
      )}
    </section>
  );
}

function TagTrend({ points, tag, period }: { points: TrendPoint[]; tag: string; period: string }) {
  const newestFirst = useMemo(() => [...points].reverse(), [points]);
  const [limit, more] = useRowLimit(`${tag}|${period}`);
  const { data, options } = useMemo(() => trendChart(points), [points]);
  const caption = t('dashboardHashtagsTrendCaption', tag, period);
  return (
    <>
      <Chart
        data={data}
        options={options}
        height={200}
        onPick={(index) => {
          const date = points[index]?.date;
          if (date) location.hash = dayHref(date);
        }}
      />
      <details data-testid="trend-table">
        <summary>{t('dashboardHashtagsTrendTable', tag)}</summary>
        <TableScroll label={caption}>
          <table class="numbers">
            <caption>{caption}</caption>
            <thead>
              <tr>
                <th scope="col">{t('commonDate')}</th>
                <th scope="col">{t('dashboardHashtagsPostsSeen')}</th>
                <th scope="col">{t('dashboardHashtagsOwnPosts')}</th>
                <th scope="col">{t('dashboardHashtagsColumnPageTime')}</th>
              </tr>
            </thead>
            <tbody>
              {newestFirst.slice(0, limit).map((point) => (
                <tr key={point.date}>
                  <th scope="row">
                    <a href={dayHref(point.date)}>{formatDayShort(point.date)}</a>
                  </th>
                  <td>{formatNumber(point.seen)}</td>
                  <td>{formatNumber(point.used)}</td>
                  <td>{formatDuration(point.pageMs)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
        <ShowMore
          shown={Math.min(limit, points.length)}
          total={points.length}
          onMore={more}
          testId="trend-table-more"
        />
      </details>
    </>
  );
}

/** Posts seen and own posts (whole numbers, left) and minutes on the tag's page (round durations, right) per day. */
function trendChart(points: TrendPoint[]): { data: uPlot.AlignedData; options: ChartOptions } {
  const data: uPlot.AlignedData = [
    points.map((point) => secondsOfDate(point.date)),
    points.map((point) => point.seen),
    points.map((point) => point.used),
    points.map((point) => point.pageMs / 60_000),
  ];
  const minutes = durationScale(Math.max(0, ...points.map((point) => point.pageMs)));
  const options: ChartOptions = (css) => ({
    ...utcDates,
    scales: {
      x: { time: true },
      count: { range: (_chart, _min, max) => [0, Math.max(1, Math.ceil(max * 1.1))] },
      minutes: { range: () => [0, minutes.top / 60_000] },
    },
    axes: [
      dateAxis(css),
      {
        ...axisStyle(css),
        scale: 'count',
        incrs: wholeNumberSteps,
        values: (_chart, splits) => splits.map((value) => formatNumber(value)),
      },
      { ...durationAxis(css, minutes, 'minutes'), side: 1, grid: { show: false } },
    ],
    series: [
      dateSeries(t('commonDate'), formatDayShort),
      {
        label: t('dashboardHashtagsPostsSeen'),
        scale: 'count',
        stroke: css('--chart-seen'),
        width: 2,
        points: { show: false },
      },
      {
        label: t('dashboardHashtagsOwnPosts'),
        scale: 'count',
        stroke: css('--chart-used'),
        width: 2,
        points: { size: 6 },
      },
      {
        label: t('dashboardHashtagsPageMinutes'),
        scale: 'minutes',
        stroke: css('--chart-page'),
        width: 2,
        dash: [6, 4],
        points: { show: false },
        value: (_chart, value) => (value === null ? '—' : formatDuration(value * 60_000)),
      },
    ],
  });
  return { data, options };
}

/** The tags most often on the same posts, each a link to its own page. */
function Together({ partners, tag }: { partners: Array<{ tag: string; count: number }>; tag: string }) {
  if (partners.length === 0) {
    return (
      <p class="empty" data-testid="cooccurrence-empty">
        {t('dashboardHashtagsTogetherNone', tag)}
      </p>
    );
  }
  return (
    <>
      <p class="hint">{t('dashboardHashtagsTogetherHint', tag)}</p>
      <TableScroll label={t('dashboardHashtagsTogetherHint', tag)}>
        <table class="numbers" data-testid="cooccurrence-table">
          <thead>
            <tr>
              <th scope="col">{t('dashboardHashtagsColumnTag')}</th>
              <th scope="col">{t('dashboardHashtagsPostsTogether')}</th>
            </tr>
          </thead>
          <tbody>
            {partners.map((pair) => (
              <tr key={pair.tag}>
                <th scope="row">
                  <a href={tagHref(pair.tag)} class="tag">
                    #{pair.tag}
                  </a>
                </th>
                <td>{formatNumber(pair.count)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
    </>
  );
}

/** The days the tag was seen, newest first, each a link to its day's page with the number of posts. */
function DatesSeen({ points }: { points: TrendPoint[] }) {
  const seen = useMemo(() => points.filter((point) => point.seen > 0).reverse(), [points]);
  const [limit, more] = useRowLimit(points);
  if (seen.length === 0) return <p class="empty">{t('tagDatesNone')}</p>;
  return (
    <>
      <ul class="day-list" data-testid="tag-dates">
        {seen.slice(0, limit).map((point) => (
          <li key={point.date}>
            <a href={dayHref(point.date)}>{formatDayShort(point.date)}</a>{' '}
            <span class="hint">{tPlural(point.seen, 'tagDatesPostsOne', 'tagDatesPostsOther')}</span>
          </li>
        ))}
      </ul>
      <ShowMore shown={Math.min(limit, seen.length)} total={seen.length} onMore={more} testId="tag-dates-more" />
    </>
  );
}
