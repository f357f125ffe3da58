import { useId, useMemo, useState } from 'preact/hooks';
import { utcMsOfDate } from '../../shared/domain/dates';
import {
  coOccurrence,
  hashtagCsv,
  rangeDays,
  type SeenVsUsedRow,
  searchTags,
  seenVsUsedOf,
  sortTags,
  type TagRow,
  type TagSort,
  type TagSortKey,
  type TagTrendPoint,
  tagTable,
  tagTrend,
} from '../../shared/domain/reports';
import { downloadFile } from '../../shared/ui/download';
import { formatDayShort, formatDuration, formatNumber } from '../../shared/ui/format';
import { type MessageKey, t, tPlural } from '../../shared/ui/i18n';
import { TableScroll } from '../../shared/ui/TableScroll';
import { axisStyle, Chart, type ChartOptions, dateSeries, type uPlot, utcDates, wholeNumberSteps } from './Chart';
import { EmptyDashboard, type PeriodTabProps, RangeChoice, RangeState } from './common';
import { ShowMore, useRowLimit } from './ShowMore';

const columnKeys: Record<TagSortKey, MessageKey> = {
  tag: 'dashboardHashtagsColumnTag',
  seen: 'dashboardHashtagsColumnSeen',
  used: 'dashboardHashtagsColumnUsed',
  pageTime: 'dashboardHashtagsColumnPageTime',
};

/** The sort column as the table's caption names it, mid-sentence. */
const sortNameKeys: Record<TagSortKey, MessageKey> = {
  tag: 'dashboardHashtagsSortTag',
  seen: 'dashboardHashtagsSortSeen',
  used: 'dashboardHashtagsSortUsed',
  pageTime: 'dashboardHashtagsSortPageTime',
};

function countText(shown: number, all: number): string {
  return shown === all
    ? tPlural(all, 'dashboardHashtagsCountOne', 'dashboardHashtagsCountOther')
    : t('dashboardHashtagsMatching', formatNumber(shown), formatNumber(all));
}

const defaultSort: TagSort = { key: 'seen', direction: 'desc' };

/** The Hashtags tab: the tag table (search, sort, CSV), one tag's trend and companions, and seen vs used. */
export function Hashtags({ result, today, range, onRange }: PeriodTabProps) {
  const days = result.state === 'ready' ? result.value.days : null;
  const [query, setQuery] = useState('');
  const [sort, setSort] = useState<TagSort>(defaultSort);
  const [chosen, setChosen] = useState<string | null>(null);
  const [downloaded, setDownloaded] = useState<number | null>(null);
  const searchId = useId();

  const filled = useMemo(() => (days ? rangeDays(days, today, range) : null), [days, today, range]);
  const table = useMemo(() => (filled ? tagTable(filled) : []), [filled]);
  const matching = useMemo(() => searchTags(table, query), [table, query]);
  const sorted = useMemo(() => sortTags(matching, sort), [matching, sort]);
  const [limit, more] = useRowLimit(`${range}|${query}|${sort.key}|${sort.direction}`);
  // The chosen tag, or the most seen one while none is chosen (or the chosen one is not in this period).
  const selected = useMemo(() => {
    if (chosen !== null && table.some((row) => row.tag === chosen)) return chosen;
    return sortTags(table, defaultSort)[0]?.tag ?? null;
  }, [table, chosen]);

  if (result.state !== 'ready' || !filled) {
    return (
      <>
        <RangeChoice value={range} onChange={onRange} />
        <RangeState result={result} />
      </>
    );
  }
  if (!result.value.any) {
    return (
      <>
        <RangeChoice value={range} onChange={onRange} />
        <EmptyDashboard />
      </>
    );
  }

  function changeSort(key: TagSortKey) {
    setSort((current) =>
      current.key === key
        ? { key, direction: current.direction === 'asc' ? 'desc' : 'asc' }
        : { key, direction: key === 'tag' ? 'asc' : 'desc' },
    );
  }

  function downloadCsv() {
    downloadFile(`smarttags-hashtags-last-${range}-days-${today}.csv`, hashtagCsv(sorted), 'text/csv');
    setDownloaded(sorted.length);
  }

  return (
    <>
      <RangeChoice value={range} onChange={onRange} />
      {table.length === 0 ? (
        <div data-testid="hashtags-empty">
          <p class="empty">{t('dashboardHashtagsNothing', formatNumber(range))}</p>
          <p class="hint">{t('dashboardHashtagsNothingHint')}</p>
        </div>
      ) : (
        <>
          <section aria-labelledby="top-tags-heading">
            <h3 id="top-tags-heading">{t('dashboardHashtagsTop')}</h3>
            <p class="hint">{t('dashboardHashtagsTopHint')}</p>
            <div class="table-tools">
              <label for={searchId}>{t('dashboardHashtagsSearch')}</label>
              <input
                id={searchId}
                type="search"
                name="tag-search"
                value={query}
                autocomplete="off"
                spellcheck={false}
                onInput={(event) => setQuery(event.currentTarget.value)}
              />
              <button type="button" onClick={downloadCsv} data-testid="hashtag-csv" disabled={sorted.length === 0}>
                {t('dashboardHashtagsCsv')}
              </button>
            </div>
            <div role="status" class="status" data-testid="hashtag-count">
              {countText(sorted.length, table.length)}
              {downloaded !== null &&
                ` ${tPlural(downloaded, 'dashboardHashtagsCsvDoneOne', 'dashboardHashtagsCsvDoneOther')}`}
            </div>
            {sorted.length === 0 ? (
              <p class="empty" data-testid="hashtag-no-match">
                {t('dashboardHashtagsNoMatch', query.trim())}
              </p>
            ) : (
              <TagTable
                rows={sorted}
                limit={limit}
                sort={sort}
                onSort={changeSort}
                selected={selected}
                onSelect={setChosen}
                range={range}
              />
            )}
            <ShowMore
              shown={Math.min(limit, sorted.length)}
              total={sorted.length}
              onMore={more}
              testId="hashtag-more"
            />
          </section>

          {selected !== null && (
            <>
              <section aria-labelledby="tag-trend-heading">
                <h3 id="tag-trend-heading">{t('dashboardHashtagsTrend', selected)}</h3>
                <TagTrend days={filled} tag={selected} range={range} />
              </section>
              <section aria-labelledby="tag-together-heading">
                <h3 id="tag-together-heading">{t('dashboardHashtagsTogether', selected)}</h3>
                <Together days={filled} tag={selected} />
              </section>
            </>
          )}

          <section aria-labelledby="seen-used-heading">
            <h3 id="seen-used-heading">{t('dashboardHashtagsSeenVsUsed')}</h3>
            <p class="hint">{t('dashboardHashtagsSeenVsUsedHint')}</p>
            <SeenVsUsed table={table} range={range} />
          </section>
        </>
      )}
    </>
  );
}

function TagTable({
  rows,
  limit,
  sort,
  onSort,
  selected,
  onSelect,
  range,
}: {
  rows: TagRow[];
  limit: number;
  sort: TagSort;
  onSort: (key: TagSortKey) => void;
  selected: string | null;
  onSelect: (tag: string) => void;
  range: number;
}) {
  const header = (key: TagSortKey) => {
    const active = sort.key === key;
    return (
      <th
        scope="col"
        aria-sort={active ? (sort.direction === 'asc' ? 'ascending' : 'descending') : undefined}
        class={key === 'tag' ? undefined : 'number'}
      >
        <button type="button" class="sort" onClick={() => onSort(key)} data-testid={`sort-${key}`}>
          {t(columnKeys[key])}
          <span class="sort-mark" aria-hidden="true">
            {active ? (sort.direction === 'asc' ? ' ▲' : ' ▼') : ' ↕'}
          </span>
        </button>
      </th>
    );
  };
  const caption = t(
    'dashboardHashtagsCaption',
    formatNumber(range),
    t(sortNameKeys[sort.key]),
    t(sort.direction === 'asc' ? 'dashboardHashtagsAscending' : 'dashboardHashtagsDescending'),
  );
  return (
    <TableScroll label={caption} tall>
      <table class="numbers" data-testid="hashtag-table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            {header('tag')}
            {header('seen')}
            {header('used')}
            {header('pageTime')}
          </tr>
        </thead>
        <tbody>
          {rows.slice(0, limit).map((row) => (
            <tr key={row.tag} class={row.tag === selected ? 'selected' : undefined}>
              <th scope="row">
                <button
                  type="button"
                  class="link tag"
                  aria-pressed={row.tag === selected}
                  title={t('dashboardHashtagsShowTrend', row.tag)}
                  onClick={() => onSelect(row.tag)}
                >
                  #{row.tag}
                </button>
              </th>
              <td>{formatNumber(row.seen)}</td>
              <td>{formatNumber(row.used)}</td>
              <td>{formatDuration(row.pageMs)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

function TagTrend({ days, tag, range }: { days: Parameters<typeof tagTrend>[0]; tag: string; range: number }) {
  const points = useMemo(() => tagTrend(days, tag), [days, tag]);
  const newestFirst = useMemo(() => [...points].reverse(), [points]);
  const [limit, more] = useRowLimit(`${tag}|${range}`);
  const { data, options } = useMemo(() => trendChart(points), [points]);
  return (
    <>
      <Chart data={data} options={options} height={200} />
      <details data-testid="trend-table">
        <summary>{t('dashboardHashtagsTrendTable', tag)}</summary>
        <TableScroll label={t('dashboardHashtagsTrendCaption', tag, formatNumber(range))}>
          <table class="numbers">
            <caption>{t('dashboardHashtagsTrendCaption', tag, formatNumber(range))}</caption>
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
                  <th scope="row">{formatDayShort(point.date)}</th>
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

function trendChart(points: TagTrendPoint[]): { data: uPlot.AlignedData; options: ChartOptions } {
  const data: uPlot.AlignedData = [
    points.map((point) => utcMsOfDate(point.date) / 1000),
    points.map((point) => point.seen),
    points.map((point) => point.used),
    points.map((point) => point.pageMs / 60_000),
  ];
  const options: ChartOptions = (css) => ({
    ...utcDates,
    scales: {
      x: { time: true },
      count: { range: (_chart, _min, max) => [0, Math.max(1, max * 1.1)] },
      minutes: { range: (_chart, _min, max) => [0, Math.max(1, max * 1.1)] },
    },
    axes: [
      axisStyle(css),
      {
        ...axisStyle(css),
        scale: 'count',
        incrs: wholeNumberSteps,
        values: (_chart, splits) => splits.map((value) => formatNumber(value)),
      },
      {
        ...axisStyle(css),
        scale: 'minutes',
        side: 1,
        grid: { show: false },
        values: (_chart, splits) => splits.map((value) => formatDuration(value * 60_000)),
        size: 70,
      },
    ],
    series: [
      dateSeries(t('commonDate')),
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

function Together({ days, tag }: { days: Parameters<typeof coOccurrence>[0]; tag: string }) {
  const partners = useMemo(() => coOccurrence(days, tag), [days, tag]);
  const [limit, more] = useRowLimit(tag);
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
            {partners.slice(0, limit).map((pair) => (
              <tr key={pair.b}>
                <th scope="row">#{pair.b}</th>
                <td>{formatNumber(pair.count)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
      <ShowMore
        shown={Math.min(limit, partners.length)}
        total={partners.length}
        onMore={more}
        testId="cooccurrence-more"
      />
    </>
  );
}

/** A bar's width: its share of the largest value, at least 2 px when above zero, nothing at zero. */
const barWidth = (value: number, max: number) => (value > 0 ? `max(2px, ${(value / max) * 100}%)` : '0');

function SeenVsUsed({ table, range }: { table: TagRow[]; range: number }) {
  const rows: SeenVsUsedRow[] = useMemo(() => seenVsUsedOf(table), [table]);
  const [limit, more] = useRowLimit(range);
  const shown = rows.slice(0, limit);
  let max = 1;
  for (const row of shown) max = Math.max(max, row.seen, row.used);
  return (
    <>
      <TableScroll label={t('dashboardHashtagsSeenVsUsedCaption', formatNumber(range))} tall>
        <table class="numbers" data-testid="seen-vs-used-table">
          <caption>{t('dashboardHashtagsSeenVsUsedCaption', formatNumber(range))}</caption>
          <thead>
            <tr>
              <th scope="col">{t('dashboardHashtagsColumnTag')}</th>
              <th scope="col">{t('dashboardHashtagsColumnSeen')}</th>
              <th scope="col">{t('dashboardHashtagsColumnUsed')}</th>
              <th scope="col" class="bars-column">
                <span class="bar-key bar-seen" aria-hidden="true" /> {t('dashboardHashtagsColumnSeen')}{' '}
                <span class="bar-key bar-used" aria-hidden="true" /> {t('dashboardHashtagsColumnUsed')}
              </th>
            </tr>
          </thead>
          <tbody>
            {shown.map((row) => (
              <tr key={row.tag}>
                <th scope="row">#{row.tag}</th>
                <td>{formatNumber(row.seen)}</td>
                <td>{formatNumber(row.used)}</td>
                <td aria-hidden="true" class="bars-column">
                  <span class="bar bar-seen" style={{ width: barWidth(row.seen, max) }} />
                  <span class="bar bar-used" style={{ width: barWidth(row.used, max) }} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
      <ShowMore shown={shown.length} total={rows.length} onMore={more} testId="seen-vs-used-more" />
    </>
  );
}
