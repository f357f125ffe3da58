import { useMemo, useRef, useState } from 'preact/hooks';
import { addDays, localToday } from '../../shared/domain/dates';
import { dayDetail } from '../../shared/domain/insights';
import { withImportedDays } from '../../shared/domain/instagramHistory';
import { isoWeekOf } from '../../shared/domain/periods';
import { emptyDay } from '../../shared/domain/reports';
import type { SmartTagsDatabase } from '../../shared/storage/db';
import type { AccountSnapshotRecord } from '../../shared/storage/records';
import { formatDate, formatDateLong, formatDuration, formatHour, formatNumber } from '../../shared/ui/format';
import { t } from '../../shared/ui/i18n';
import { surfaceColour, surfaceLabels } from '../../shared/ui/surfaces';
import { TableScroll } from '../../shared/ui/TableScroll';
import { useLiveQuery } from '../../shared/ui/useLiveQuery';
import { dayHref, routeHash, tagHref } from '../route';
import { Count, metricKeys, metrics } from './accountCounts';
import { ImportedLegend } from './common';
import { DayCorrection } from './DayCorrection';
import { ShowMore, useRowLimit } from './ShowMore';

type Detail = ReturnType<typeof dayDetail>;

interface DayPageProps {
  db: SmartTagsDatabase;
  /** The day shown ('YYYY-MM-DD'). */
  date: string;
  /** Today's date; the local date when absent (tests fix it). */
  today?: string;
}

/**
 * A day's page (`#day/<date>`), opened from a bar, a table row or the calendar: the day's total, active and passive
 * time, sessions and views; its hours; its surfaces; the hashtags seen and used (each a link to its page); the account
 * figures read that day. Links step to the day before and the day after (up to today) and to the week's report; the
 * day can be corrected here as in the per-day table.
 */
export function DayPage({ db, date, today: fixedToday }: DayPageProps) {
  const [today] = useState(() => fixedToday ?? localToday());
  const result = useLiveQuery(async () => {
    const [day, imported, snapshots, edits, first] = await Promise.all([
      db.days.get(date),
      db.importedDays.get(date),
      db.accountSnapshots.where('date').equals(date).toArray(),
      db.localEdits.where('date').equals(date).toArray(),
      db.days.orderBy('date').first(),
    ]);
    // The figures shown: what was recorded, raised by Instagram's export where it holds more (marked).
    const merged = withImportedDays(day ? [day] : [], imported ? [imported] : [], emptyDay);
    return {
      day,
      shown: merged.days[0],
      imported: merged.importedDates.has(date),
      snapshots,
      edits: edits.sort((a, b) => a.at - b.at),
      firstRecorded: first?.date ?? null,
    };
  }, [db, date]);
  const data = result.state === 'ready' ? result.value : null;
  const detail = useMemo(() => (data ? dayDetail(data.shown, date) : null), [data, date]);
  const [correcting, setCorrecting] = useState(false);
  const opener = useRef<HTMLButtonElement>(null);

  return (
    <section aria-labelledby="day-heading" data-testid="day-page">
      <h2 id="day-heading" tabIndex={-1}>
        {formatDateLong(date)}
      </h2>
      <nav aria-label={t('dayNav')} class="page-steps">
        <a href={dayHref(addDays(date, -1))} data-testid="day-previous">
          {t('dayPrevious')}
        </a>
        {date < today && (
          <a href={dayHref(addDays(date, 1))} data-testid="day-next">
            {t('dayNext')}
          </a>
        )}
        <a href={routeHash({ kind: 'report', week: isoWeekOf(date) })} data-testid="day-week-report">
          {t('dayWeekReport')}
        </a>
        <a href="#dashboard">{t('optionsBackToDashboard')}</a>
      </nav>
      {result.state === 'loading' && <p aria-busy="true">{t('commonLoading')}</p>}
      {result.state === 'failed' && (
        <p role="alert" class="alert">
          {t('dashboardFailed', result.message)}
        </p>
      )}
      {data && detail && (
        <>
          {!data.shown && (
            <p class="empty" data-testid="day-empty">
              {data.firstRecorded !== null && date < data.firstRecorded
                ? t('dayBeforeRecording', formatDate(data.firstRecorded))
                : t('dayNothing')}
            </p>
          )}
          {data.shown && <DayFigures detail={detail} />}
          {data.imported && <ImportedLegend />}
          {data.day && detail.totalMs > 0 && <DayHours hours={detail.hours} />}
          {detail.surfaces.length > 0 && <DaySurfaces detail={detail} />}
          {(detail.tagsSeen.length > 0 || detail.tagsUsed.length > 0) && <DayTags detail={detail} />}
          {data.snapshots.length > 0 && <DayAccounts snapshots={data.snapshots} />}
          {(data.day || data.edits.length > 0) && (
            <section aria-labelledby="day-correct-heading">
              <h3 id="day-correct-heading">{t('dayCorrectHeading')}</h3>
              {correcting ? (
                <DayCorrection
                  date={date}
                  day={data.day}
                  edits={data.edits}
                  onClose={() => {
                    setCorrecting(false);
                    // The button comes back on the next render; focus it then.
                    requestAnimationFrame(() => opener.current?.focus());
                  }}
                />
              ) : (
                <button type="button" ref={opener} onClick={() => setCorrecting(true)} data-testid="day-correct">
                  {t('dashboardCorrectOpen')}
                </button>
              )}
            </section>
          )}
        </>
      )}
    </section>
  );
}

function DayFigures({ detail }: { detail: Detail }) {
  const figures: Array<[string, string, string]> = [
    [t('dashboardOverviewTotal'), formatDuration(detail.totalMs), 'day-total'],
    [t('dashboardOverviewActive'), formatDuration(detail.totalMs - detail.passiveMs), 'day-active'],
    [t('dashboardOverviewPassive'), formatDuration(detail.passiveMs), 'day-passive'],
    [t('dashboardOverviewSessions'), formatNumber(detail.sessions), 'day-sessions'],
    [t('dashboardOverviewPostsViewed'), formatNumber(detail.views.posts), 'day-posts'],
    [t('dashboardOverviewReelsViewed'), formatNumber(detail.views.reels), 'day-reels'],
    [t('dashboardOverviewStoriesViewed'), formatNumber(detail.views.stories), 'day-stories'],
  ];
  return (
    <dl class="summary" data-testid="day-figures">
      {figures.map(([label, value, testId]) => (
        <div key={testId}>
          <dt>{label}</dt>
          <dd data-testid={testId}>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** The day's 24 hours as bars (the exact time on hover) and as a table. */
function DayHours({ hours }: { hours: number[] }) {
  const max = Math.max(1, ...hours);
  return (
    <section aria-labelledby="day-hours-heading">
      <h3 id="day-hours-heading">{t('dayHoursHeading')}</h3>
      <div class="hour-bars" aria-hidden="true">
        {hours.map((ms, hour) => (
          <span key={hour} class="hour-bar" title={t('dayHourCell', formatHour(hour), formatDuration(ms))}>
            <span class="hour-fill" style={{ height: ms > 0 ? `max(2px, ${(ms / max) * 100}%)` : '0' }} />
            <span class="hour-label">{hour % 6 === 0 ? formatHour(hour) : ''}</span>
          </span>
        ))}
      </div>
      <details data-testid="day-hours-table">
        <summary>{t('dayHoursTable')}</summary>
        <TableScroll label={t('dayHoursTable')}>
          <table class="numbers">
            <caption>{t('dayHoursHeading')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('dashboardOverviewHour')}</th>
                <th scope="col">{t('dashboardOverviewTime')}</th>
              </tr>
            </thead>
            <tbody>
              {hours.map((ms, hour) => (
                <tr key={hour}>
                  <th scope="row">{formatHour(hour)}</th>
                  <td>{formatDuration(ms)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      </details>
    </section>
  );
}

function DaySurfaces({ detail }: { detail: Detail }) {
  return (
    <section aria-labelledby="day-surfaces-heading">
      <h3 id="day-surfaces-heading">{t('dashboardOverviewBySurface')}</h3>
      <table class="numbers" data-testid="day-surfaces">
        <thead>
          <tr>
            <th scope="col">{t('dashboardOverviewSurface')}</th>
            <th scope="col">{t('dashboardOverviewTime')}</th>
            <th scope="col">{t('dashboardOverviewActive')}</th>
            <th scope="col">{t('dashboardOverviewPassive')}</th>
          </tr>
        </thead>
        <tbody>
          {detail.surfaces.map((row) => (
            <tr key={row.surface}>
              <th scope="row">
                <span class="swatch" style={{ background: `var(${surfaceColour(row.surface)})` }} aria-hidden="true" />
                {surfaceLabels[row.surface]}
              </th>
              <td>{formatDuration(row.ms)}</td>
              <td>{formatDuration(row.ms - row.passiveMs)}</td>
              <td>{formatDuration(row.passiveMs)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function DayTags({ detail }: { detail: Detail }) {
  return (
    <section aria-labelledby="day-tags-heading">
      <h3 id="day-tags-heading">{t('dayTagsHeading')}</h3>
      <div class="movers">
        <TagCounts rows={detail.tagsSeen} caption={t('dayTagsSeen')} testId="day-tags-seen" />
        <TagCounts rows={detail.tagsUsed} caption={t('dayTagsUsed')} testId="day-tags-used" />
      </div>
    </section>
  );
}

function TagCounts({
  rows,
  caption,
  testId,
}: {
  rows: Array<{ tag: string; count: number }>;
  caption: string;
  testId: string;
}) {
  const [limit, more] = useRowLimit(rows);
  return (
    <div>
      <h4>{caption}</h4>
      {rows.length === 0 ? (
        <p class="empty">{t('dayTagsNone')}</p>
      ) : (
        <>
          <TableScroll label={caption}>
            <table class="numbers" data-testid={testId}>
              <thead>
                <tr>
                  <th scope="col">{t('dashboardHashtagsColumnTag')}</th>
                  <th scope="col">{t('dayTagsPosts')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.slice(0, limit).map((row) => (
                  <tr key={row.tag}>
                    <th scope="row">
                      <a href={tagHref(row.tag)} class="tag">
                        #{row.tag}
                      </a>
                    </th>
                    <td>{formatNumber(row.count)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
          <ShowMore shown={Math.min(limit, rows.length)} total={rows.length} onMore={more} testId={`${testId}-more`} />
        </>
      )}
    </div>
  );
}

function DayAccounts({ snapshots }: { snapshots: AccountSnapshotRecord[] }) {
  return (
    <section aria-labelledby="day-account-heading">
      <h3 id="day-account-heading">{t('dayAccountHeading')}</h3>
      <table class="numbers" data-testid="day-account">
        <thead>
          <tr>
            <th scope="col">{t('dashboardAccountChoice')}</th>
            {metrics.map((metric) => (
              <th scope="col" key={metric}>
                {t(metricKeys[metric])}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {snapshots.map((snapshot) => (
            <tr key={snapshot.username}>
              <th scope="row">@{snapshot.username}</th>
              {metrics.map((metric) => (
                <td key={metric}>
                  <Count count={snapshot[metric]} />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
