import { useId, useMemo, useState } from 'preact/hooks';
import { type TagChange, tagMovers } from '../../shared/domain/insights';
import { countedDays } from '../../shared/domain/periods';
import {
  hashtagCsv,
  type SeenVsUsedRow,
  searchTags,
  seenVsUsedOf,
  sortTags,
  type TagRow,
  type TagSort,
  type TagSortKey,
  tagTable,
} from '../../shared/domain/reports';
import { downloadFile } from '../../shared/ui/download';
import { formatDateRange, formatDuration, formatNumber, formatSignedNumber } from '../../shared/ui/format';
import { type MessageKey, t, tPlural } from '../../shared/ui/i18n';
import { TableScroll } from '../../shared/ui/TableScroll';
import { tagHref } from '../route';
import { EmptyDashboard, holdsNothing, type PeriodTabProps, RangeState } from './common';
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

/** A tag must be seen this often over the period and the one before to rank as rising or falling: fewer is noise. */
const moverMinimum = 5;

/**
 * The Hashtags tab: the tag table (search, sort, CSV; each tag links to its page), the tags rising and falling
 * against the previous period, and the tags you use next to those you see.
 */
export function Hashtags({ result, resolved, today }: PeriodTabProps) {
  const data = result.state === 'ready' ? result.value : null;
  const { period, previous } = resolved;
  const [query, setQuery] = useState('');
  const [sort, setSort] = useState<TagSort>(defaultSort);
  const [downloaded, setDownloaded] = useState<number | null>(null);
  const searchId = useId();
  const periodText = formatDateRange(period.start, period.end);

  const table = useMemo(() => (data ? tagTable(data.days) : []), [data]);
  // Against a period before recording began there is nothing to compare: every tag would look like it rose.
  const movers = useMemo(
    () =>
      data && countedDays(previous, data.firstRecorded, today) > 0
        ? tagMovers(data.days, data.previousDays, { minCount: moverMinimum })
        : null,
    [data, previous, today],
  );
  const matching = useMemo(() => searchTags(table, query), [table, query]);
  const sorted = useMemo(() => sortTags(matching, sort), [matching, sort]);
  const [limit, more] = useRowLimit(`${periodText}|${query}|${sort.key}|${sort.direction}`);

  if (!data) return <RangeState result={result} />;
  if (holdsNothing(data)) return <EmptyDashboard />;

  function changeSort(key: TagSortKey) {
    setSort((current) =>
      current.key === key
        ? { key, direction: current.direction === 'asc' ? 'desc' : 'asc' }
        : { key, direction: key === 'tag' ? 'asc' : 'desc' },
    );
  }

  function downloadCsv() {
    downloadFile(`smarttags-hashtags-${period.start}-to-${period.end}.csv`, hashtagCsv(sorted), 'text/csv');
    setDownloaded(sorted.length);
  }

  return (
    <>
      {table.length === 0 ? (
        <div data-testid="hashtags-empty">
          <p class="empty">{t('dashboardHashtagsNothing', periodText)}</p>
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
              <TagTable rows={sorted} limit={limit} sort={sort} onSort={changeSort} period={periodText} />
            )}
            <ShowMore
              shown={Math.min(limit, sorted.length)}
              total={sorted.length}
              onMore={more}
              testId="hashtag-more"
            />
          </section>

          <section aria-labelledby="seen-used-heading">
            <h3 id="seen-used-heading">{t('dashboardHashtagsSeenVsUsed')}</h3>
            <p class="hint">{t('dashboardHashtagsSeenVsUsedHint')}</p>
            <SeenVsUsed table={table} period={periodText} />
          </section>
        </>
      )}
      <section aria-labelledby="tag-movers-heading">
        <h3 id="tag-movers-heading">{t('tagMoversHeading')}</h3>
        {movers ? (
          <>
            <p class="hint">
              {t('tagMoversHint', formatDateRange(previous.start, previous.end), formatNumber(moverMinimum))}
            </p>
            <div class="movers">
              <Movers rows={movers.rising} direction="rising" />
              <Movers rows={movers.falling} direction="falling" />
            </div>
          </>
        ) : (
          <p class="empty" data-testid="tags-movers-none">
            {t('tagMoversNoPrevious', formatDateRange(previous.start, previous.end))}
          </p>
        )}
      </section>
    </>
  );
}

/** The tags seen more (or less) than in the previous period, largest change first. */
function Movers({ rows, direction }: { rows: TagChange[]; direction: 'rising' | 'falling' }) {
  const caption = t(direction === 'rising' ? 'tagMoversRising' : 'tagMoversFalling');
  return (
    <div data-testid={`tags-${direction}`}>
      <h4>{caption}</h4>
      {rows.length === 0 ? (
        <p class="empty">{t(direction === 'rising' ? 'tagMoversNoneRising' : 'tagMoversNoneFalling')}</p>
      ) : (
        <TableScroll label={caption}>
          <table class="numbers">
            <thead>
              <tr>
                <th scope="col">{t('dashboardHashtagsColumnTag')}</th>
                <th scope="col">{t('tagMoversNow')}</th>
                <th scope="col">{t('tagMoversBefore')}</th>
                <th scope="col">{t('tagMoversChange')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.tag}>
                  <th scope="row">
                    <a href={tagHref(row.tag)} class="tag">
                      #{row.tag}
                    </a>
                  </th>
                  <td>{formatNumber(row.current)}</td>
                  <td>{formatNumber(row.previous)}</td>
                  <td>{formatSignedNumber(row.change)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </div>
  );
}

function TagTable({
  rows,
  limit,
  sort,
  onSort,
  period,
}: {
  rows: TagRow[];
  limit: number;
  sort: TagSort;
  onSort: (key: TagSortKey) => void;
  period: string;
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
    period,
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
            <tr key={row.tag}>
              <th scope="row">
                <a href={tagHref(row.tag)} class="tag" title={t('dashboardHashtagsShowTrend', row.tag)}>
                  #{row.tag}
                </a>
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

/** A bar's width: its share of the largest value, at least 2 px when above zero, nothing at zero. */
const barWidth = (value: number, max: number) => (value > 0 ? `max(2px, ${(value / max) * 100}%)` : '0');

function SeenVsUsed({ table, period }: { table: TagRow[]; period: string }) {
  const rows: SeenVsUsedRow[] = useMemo(() => seenVsUsedOf(table), [table]);
  const [limit, more] = useRowLimit(period);
  const caption = t('dashboardHashtagsSeenVsUsedCaption', period);
  const shown = rows.slice(0, limit);
  let max = 1;
  for (const row of shown) max = Math.max(max, row.seen, row.used);
  return (
    <>
      <TableScroll label={caption} tall>
        <table class="numbers" data-testid="seen-vs-used-table">
          <caption>{caption}</caption>
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
                <th scope="row">
                  <a href={tagHref(row.tag)} class="tag">
                    #{row.tag}
                  </a>
                </th>
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
