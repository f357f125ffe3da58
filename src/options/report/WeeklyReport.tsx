import { localToday } from '../../shared/domain/dates';
import { goalsOf } from '../../shared/domain/goals';
import {
  type IsoWeek,
  isoWeekAfter,
  isoWeekContaining,
  isoWeekDates,
  type WeeklyReport as Report,
  type WeekAgainstWeek,
  weeklyReport,
} from '../../shared/domain/weeklyReport';
import type { SmartTagsDatabase } from '../../shared/storage/db';
import { formatDuration } from '../../shared/ui/format';
import { cachedFormat, formatCount, t, uiLanguage } from '../../shared/ui/i18n';
import { surfaceLabels } from '../../shared/ui/surfaces';
import { TableScroll } from '../../shared/ui/TableScroll';
import { useLiveQuery } from '../../shared/ui/useLiveQuery';

const weekFormats = {
  /** "Nov 23 – 29, 2026". */
  long: { dateStyle: 'medium', timeZone: 'UTC' },
  /** "Nov 23 – 29", for column heads. */
  short: { month: 'short', day: 'numeric', timeZone: 'UTC' },
} satisfies Record<string, Intl.DateTimeFormatOptions>;

/** A week's dates in the UI language; calendar dates, formatted in UTC so no time zone shifts them. */
function formatWeek(week: IsoWeek, style: keyof typeof weekFormats = 'long'): string {
  const format = cachedFormat(
    uiLanguage(),
    `week-range-${style}`,
    (language) => new Intl.DateTimeFormat(language, weekFormats[style]),
  );
  return format.formatRange(new Date(`${week.first}T00:00:00Z`), new Date(`${week.last}T00:00:00Z`));
}

const signedCount = () =>
  cachedFormat(
    uiLanguage(),
    'signed-count',
    (language) => new Intl.NumberFormat(language, { signDisplay: 'exceptZero' }),
  );

/** A change with its sign ("+3", "-2", "0"), in the UI language. */
function formatCountChange(change: number): string {
  return signedCount().format(change);
}

/** A change of time with the language's sign ("+12 min", "-1 hr 5 min"); under half a minute, none: "0 min". */
function formatDurationChange(change: number): string {
  if (Math.abs(change) < 30_000) return formatDuration(0);
  const sign = signedCount()
    .formatToParts(Math.sign(change))
    .find((part) => part.type === 'plusSign' || part.type === 'minusSign');
  return `${sign?.value ?? ''}${formatDuration(Math.abs(change))}`;
}

type Measure = { label: string; value: WeekAgainstWeek; kind: 'time' | 'count' };

/** One row of a table of this week against the week before: the two values and the change. */
function ComparedRow({ label, value, kind }: Measure) {
  const format = kind === 'time' ? formatDuration : formatCount;
  const change = kind === 'time' ? formatDurationChange : formatCountChange;
  return (
    <tr>
      <th scope="row">{label}</th>
      <td>{format(value.week)}</td>
      <td>{format(value.previous)}</td>
      <td>{change(value.week - value.previous)}</td>
    </tr>
  );
}

/** The head of a table of the week against the week before: the rows' name, each week's dates, the change. */
function ComparedHead({ first, report }: { first: string; report: Report }) {
  return (
    <thead>
      <tr>
        <th scope="col">{first}</th>
        <th scope="col">{formatWeek(report.week, 'short')}</th>
        <th scope="col">{formatWeek(report.previous, 'short')}</th>
        <th scope="col">{t('weeklyReportChange')}</th>
      </tr>
    </thead>
  );
}

/**
 * The weekly report page (`#report/<ISO week>`, where the weekly notification leads): one ISO week against the week
 * before — time, sessions, views and goal days; time per surface; the most seen and the rising tags; the followers'
 * change — as tables, computed here from the stored data (src/shared/domain/weeklyReport.ts). Nothing is sent anywhere.
 * Links lead to the week before and the week after (up to the current week).
 */
export function WeeklyReport({ db, week }: { db: SmartTagsDatabase; week: string }) {
  const dates = isoWeekDates(week);
  const today = localToday();
  const result = useLiveQuery(async () => {
    if (!dates) return null;
    const previous = isoWeekAfter(dates, -1);
    const [days, snapshots, first, settings] = await Promise.all([
      db.days.where('date').between(previous.first, dates.last, true, true).toArray(),
      db.accountSnapshots.where('date').belowOrEqual(dates.last).toArray(),
      db.days.orderBy('date').first(),
      db.settings.get('current'),
    ]);
    return weeklyReport({
      days,
      snapshots,
      goals: goalsOf(settings ?? {}),
      firstRecorded: first?.date ?? null,
      week: dates,
      today,
    });
  }, [db, week, today]);

  if (!dates) {
    return (
      <section class="weekly-report" aria-labelledby="weekly-report-heading">
        <h2 id="weekly-report-heading">{t('weeklyReportTitle')}</h2>
        <p role="alert" class="alert" data-testid="weekly-report-invalid">
          {t('weeklyReportInvalidWeek', week)}{' '}
          <a href={`#report/${isoWeekAfter(isoWeekContaining(today), -1).isoWeek}`}>{t('weeklyReportLastWeekLink')}</a>
        </p>
      </section>
    );
  }

  const previous = isoWeekAfter(dates, -1);
  const next = isoWeekAfter(dates, 1);
  return (
    <section class="weekly-report" aria-labelledby="weekly-report-heading" data-testid="weekly-report">
      <h2 id="weekly-report-heading">{t('weeklyReportHeadingFor', formatWeek(dates))}</h2>
      <p>{t('weeklyReportIntro', formatWeek(previous))}</p>
      <nav aria-label={t('weeklyReportWeeksNav')} class="show-more">
        <a href={`#report/${previous.isoWeek}`} data-testid="weekly-report-previous">
          {t('weeklyReportPreviousLink')}
        </a>
        {next.first <= today && (
          <a href={`#report/${next.isoWeek}`} data-testid="weekly-report-next">
            {t('weeklyReportNextLink')}
          </a>
        )}
      </nav>
      {result.state === 'loading' && <p aria-busy="true">{t('commonLoading')}</p>}
      {result.state === 'failed' && (
        <p role="alert" class="alert">
          {t('weeklyReportFailed', result.message)}
        </p>
      )}
      {result.state === 'ready' && result.value && <ReportTables report={result.value} />}
    </section>
  );
}

function ReportTables({ report }: { report: Report }) {
  if (report.recordedDays.week === 0 && report.recordedDays.previous === 0) {
    return (
      <p class="notice" data-testid="weekly-report-empty">
        {t('weeklyReportEmpty')}
      </p>
    );
  }
  const measures: Measure[] = [
    { label: t('weeklyReportTime'), value: report.activeMs, kind: 'time' },
    { label: t('weeklyReportDaysRecorded'), value: report.recordedDays, kind: 'count' },
    { label: t('weeklyReportSessions'), value: report.sessions, kind: 'count' },
    { label: t('weeklyReportPosts'), value: report.views.posts, kind: 'count' },
    { label: t('weeklyReportReels'), value: report.views.reels, kind: 'count' },
    { label: t('weeklyReportStories'), value: report.views.stories, kind: 'count' },
  ];
  const goals = report.goalDays;
  return (
    <>
      <TableScroll label={t('weeklyReportSummaryCaption')}>
        <table class="numbers" data-testid="weekly-report-summary">
          <caption>{t('weeklyReportSummaryCaption')}</caption>
          <ComparedHead first={t('weeklyReportMeasure')} report={report} />
          <tbody>
            {measures.map((measure) => (
              <ComparedRow key={measure.label} {...measure} />
            ))}
            {goals && (
              <tr data-testid="weekly-report-goal-days">
                <th scope="row">{t('weeklyReportGoalDays')}</th>
                <td>{t('weeklyReportOutOf', formatCount(goals.week.within), formatCount(goals.week.judged))}</td>
                <td>
                  {t('weeklyReportOutOf', formatCount(goals.previous.within), formatCount(goals.previous.judged))}
                </td>
                <td>{formatCountChange(goals.week.within - goals.previous.within)}</td>
              </tr>
            )}
          </tbody>
        </table>
      </TableScroll>
      {!goals && <p class="hint">{t('weeklyReportNoGoals')}</p>}

      <h3>{t('weeklyReportSurfacesHeading')}</h3>
      <TableScroll label={t('weeklyReportSurfacesHeading')}>
        <table class="numbers" data-testid="weekly-report-surfaces">
          <ComparedHead first={t('weeklyReportSurface')} report={report} />
          <tbody>
            {report.surfaces.map((row) => (
              <ComparedRow key={row.surface} label={surfaceLabels[row.surface]} value={row} kind="time" />
            ))}
          </tbody>
        </table>
      </TableScroll>

      <h3>{t('weeklyReportTopTagsHeading')}</h3>
      {report.topTags.length === 0 ? (
        <p data-testid="weekly-report-top-tags-empty">{t('weeklyReportNoTags')}</p>
      ) : (
        <TableScroll label={t('weeklyReportTopTagsHeading')}>
          <table class="numbers" data-testid="weekly-report-top-tags">
            <thead>
              <tr>
                <th scope="col">{t('weeklyReportTag')}</th>
                <th scope="col">{t('weeklyReportPostsSeen')}</th>
              </tr>
            </thead>
            <tbody>
              {report.topTags.map((row) => (
                <tr key={row.tag}>
                  <th scope="row">#{row.tag}</th>
                  <td>{formatCount(row.seen)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}

      <h3>{t('weeklyReportRisingTagsHeading')}</h3>
      {report.risingTags.length === 0 ? (
        <p data-testid="weekly-report-rising-tags-empty">{t('weeklyReportNoRisingTags')}</p>
      ) : (
        <TableScroll label={t('weeklyReportRisingTagsHeading')}>
          <table class="numbers" data-testid="weekly-report-rising-tags">
            <ComparedHead first={t('weeklyReportTag')} report={report} />
            <tbody>
              {report.risingTags.map((row) => (
                <ComparedRow key={row.tag} label={`#${row.tag}`} value={row} kind="count" />
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}

      <h3>{t('weeklyReportFollowersHeading')}</h3>
      {report.followers.length === 0 ? (
        <p data-testid="weekly-report-followers-empty">{t('weeklyReportNoFollowers')}</p>
      ) : (
        <TableScroll label={t('weeklyReportFollowersHeading')}>
          <table class="numbers" data-testid="weekly-report-followers">
            <thead>
              <tr>
                <th scope="col">{t('weeklyReportAccount')}</th>
                <th scope="col">{t('weeklyReportFollowersFrom')}</th>
                <th scope="col">{t('weeklyReportFollowersTo')}</th>
                <th scope="col">{t('weeklyReportChange')}</th>
              </tr>
            </thead>
            <tbody>
              {report.followers.map((row) => (
                <tr key={row.username}>
                  <th scope="row">@{row.username}</th>
                  <td>{formatCount(row.from.value)}</td>
                  <td>{formatCount(row.to.value)}</td>
                  <td>
                    {row.exact
                      ? formatCountChange(row.to.value - row.from.value)
                      : t('weeklyReportAbout', formatCountChange(row.to.value - row.from.value))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </>
  );
}
