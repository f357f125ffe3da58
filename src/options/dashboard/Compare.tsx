import { useEffect, useId, useState } from 'preact/hooks';
import { type WeeklyAggregateReport, weeklyAggregateReport } from '../../shared/contracts/aggregateReport';
import {
  latestPublishedWeek,
  type Quartiles,
  type Standing,
  standingAmong,
  weekFiguresOf,
} from '../../shared/domain/comparison';
import type { Period } from '../../shared/domain/periods';
import { surfaces } from '../../shared/domain/routes';
import type { SmartTagsDatabase } from '../../shared/storage/db';
import { useAsk } from '../../shared/ui/background';
import { errorMessage } from '../../shared/ui/errors';
import { formatDateRange, formatDuration, formatNumber } from '../../shared/ui/format';
import { type MessageKey, t, tWithNodes } from '../../shared/ui/i18n';
import { surfaceLabels } from '../../shared/ui/surfaces';
import { TableScroll } from '../../shared/ui/TableScroll';
import { useLiveQuery } from '../../shared/ui/useLiveQuery';

const standingText: Record<Standing, MessageKey> = {
  'below-p25': 'compareStandingBelowP25',
  'p25-to-median': 'compareStandingLowerMiddle',
  'median-to-p75': 'compareStandingUpperMiddle',
  'above-p75': 'compareStandingAboveP75',
};

type Download =
  | { state: 'loading' }
  | { state: 'ready'; report: WeeklyAggregateReport }
  | { state: 'failed'; message: string };

/**
 * The public weekly report of `week` from the person's server, validated. The server marks it immutable, so the
 * browser's HTTP cache answers a second visit without asking again.
 */
async function downloadReport(backendUrl: string, week: string, signal: AbortSignal): Promise<WeeklyAggregateReport> {
  let response: Response;
  try {
    response = await fetch(`${backendUrl}/v1/reports/weekly/${week}`, { signal, credentials: 'omit' });
  } catch (error) {
    if (signal.aborted) throw error;
    throw new Error(t('compareUnreachable', backendUrl, errorMessage(error)));
  }
  if (response.status === 404) throw new Error(t('compareNotPublished', week));
  if (!response.ok) throw new Error(t('compareServerRefused', backendUrl, String(response.status)));
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    throw new Error(t('compareUnreadable', backendUrl));
  }
  const parsed = weeklyAggregateReport.safeParse(body);
  if (!parsed.success || parsed.data.week !== week) throw new Error(t('compareUnreadable', backendUrl));
  return parsed.data;
}

function useReport(backendUrl: string | null, week: string): Download | null {
  const [download, setDownload] = useState<Download | null>(null);
  useEffect(() => {
    if (backendUrl === null) {
      setDownload(null);
      return;
    }
    const controller = new AbortController();
    setDownload({ state: 'loading' });
    downloadReport(backendUrl, week, controller.signal).then(
      (report) => setDownload({ state: 'ready', report }),
      (error: unknown) => {
        if (!controller.signal.aborted) setDownload({ state: 'failed', message: errorMessage(error) });
      },
    );
    return () => controller.abort();
  }, [backendUrl, week]);
  return download;
}

const cohortKey = (cohort: WeeklyAggregateReport['cohorts'][number]) => `${cohort.dimension}:${cohort.value ?? ''}`;

function cohortLabel(cohort: WeeklyAggregateReport['cohorts'][number]): string {
  if (cohort.dimension === 'all') return t('compareCohortAll');
  const dimension: Record<Exclude<typeof cohort.dimension, 'all'>, MessageKey> = {
    country: 'compareCohortCountry',
    deviceType: 'compareCohortDevice',
    browser: 'compareCohortBrowser',
  };
  return t(dimension[cohort.dimension], cohort.value ?? '');
}

/**
 * "How you compare": opt-in, off by default. Once on, it downloads the public weekly aggregate report of the latest
 * published week from the server chosen under Sync, and sets the person's own figures of that week against a cohort's
 * quartiles — on this device: the request carries nothing of the person (no token, no figure), and the report is the
 * same for everyone who asks.
 */
export function Compare({ db, now = Date.now(), today }: { db: SmartTagsDatabase; now?: number; today: string }) {
  const ask = useAsk();
  const id = useId();
  const [{ week, dates }] = useState(() => latestPublishedWeek(now, today));
  const setup = useLiveQuery(
    async () => ({
      on: (await db.settings.get('current'))?.compareWithOthers === true,
      backendUrl: (await db.syncConfig.get('current'))?.backendUrl ?? null,
    }),
    [db],
  );
  const myDays = useLiveQuery(
    () => db.dayTotals.where('date').between(dates.start, dates.end, true, true).toArray(),
    [db, dates],
  );
  const on = setup.state === 'ready' && setup.value.on;
  const backendUrl = setup.state === 'ready' && on ? setup.value.backendUrl : null;
  const download = useReport(backendUrl, week);
  const [saving, setSaving] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  async function turn(next: boolean) {
    setSaving(true);
    setProblem(null);
    try {
      await ask({ type: 'settings.set', compareWithOthers: next });
    } catch (error) {
      setProblem(errorMessage(error));
    } finally {
      setSaving(false);
    }
  }

  if (setup.state === 'loading') return <p aria-busy="true">{t('commonLoading')}</p>;
  if (setup.state === 'failed') {
    return (
      <p role="alert" class="alert">
        {setup.message}
      </p>
    );
  }
  return (
    <section class="compare" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{t('compareTitle')}</h3>
      <p class="hint">{t('compareExplained')}</p>
      <label class="check">
        <input
          type="checkbox"
          name="compare-with-others"
          checked={on}
          disabled={saving}
          onChange={(event) => void turn(event.currentTarget.checked)}
        />{' '}
        {t('compareOptIn')}
      </label>
      {problem && (
        <p role="alert" class="alert">
          {problem}
        </p>
      )}
      {on && setup.value.backendUrl === null && (
        <p data-testid="compare-no-server">{tWithNodes('compareNoServer', <a href="#sync">{t('optionsSync')}</a>)}</p>
      )}
      {on && download && (
        <CompareReport
          download={download}
          myDays={myDays.state === 'ready' ? myDays.value : null}
          week={week}
          dates={dates}
        />
      )}
    </section>
  );
}

interface CompareReportProps {
  download: Download;
  myDays: Parameters<typeof weekFiguresOf>[0] | null;
  week: string;
  dates: Period;
}

function CompareReport({ download, myDays, week, dates }: CompareReportProps) {
  const [chosen, setChosen] = useState('all:');
  const id = useId();
  const range = formatDateRange(dates.start, dates.end);
  if (download.state === 'loading' || myDays === null) {
    return <p aria-busy="true">{t('compareDownloading', week)}</p>;
  }
  if (download.state === 'failed') {
    return (
      <p role="alert" class="alert" data-testid="compare-error">
        {download.message}
      </p>
    );
  }
  const { report } = download;
  const mine = weekFiguresOf(myDays, dates, report.privacy.bounds);
  if (mine === null) return <p data-testid="compare-empty">{t('compareNothingRecorded', range)}</p>;
  if (report.cohorts.length === 0) {
    return <p data-testid="compare-too-few">{t('compareTooFew', range, String(report.privacy.k))}</p>;
  }
  const cohort = report.cohorts.find((entry) => cohortKey(entry) === chosen) ?? report.cohorts[0];
  if (!cohort) return null;
  const minutes = (value: number) => formatDuration(Math.round(value) * 60_000);
  const rows: Array<{ key: string; label: string; quartiles: Quartiles; value: number; show: typeof minutes }> = [];
  for (const surface of surfaces) {
    const quartiles = cohort.minutesPerDay[surface];
    if (quartiles) {
      rows.push({
        key: surface,
        label: surfaceLabels[surface],
        quartiles,
        value: mine.minutesPerDay[surface],
        show: minutes,
      });
    }
  }
  const views = (value: number) => formatNumber(Math.round(value));
  rows.push({
    key: 'views',
    label: t('compareViewsPerDay'),
    quartiles: cohort.viewsPerDay,
    value: mine.viewsPerDay,
    show: views,
  });
  const caption = t('compareCaption', range, cohortLabel(cohort));
  return (
    <div data-testid="compare-report">
      <label for={`${id}-cohort`}>{t('compareCohortChoice')}</label>{' '}
      <select
        id={`${id}-cohort`}
        name="compare-cohort"
        value={cohortKey(cohort)}
        onChange={(event) => setChosen(event.currentTarget.value)}
      >
        {report.cohorts.map((entry) => (
          <option key={cohortKey(entry)} value={cohortKey(entry)}>
            {cohortLabel(entry)}
          </option>
        ))}
      </select>
      <TableScroll label={caption}>
        <table class="numbers">
          <caption>{caption}</caption>
          <thead>
            <tr>
              <th scope="col">{t('compareColumnFigure')}</th>
              <th scope="col">{t('compareColumnYou')}</th>
              <th scope="col">{t('compareColumnP25')}</th>
              <th scope="col">{t('compareColumnMedian')}</th>
              <th scope="col">{t('compareColumnP75')}</th>
              <th scope="col">{t('compareColumnStanding')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.key} data-testid={`compare-row-${row.key}`}>
                <th scope="row">{row.label}</th>
                <td>{row.show(row.value)}</td>
                <td>{row.show(row.quartiles.p25)}</td>
                <td>{row.show(row.quartiles.median)}</td>
                <td>{row.show(row.quartiles.p75)}</td>
                <td data-standing={standingAmong(row.value, row.quartiles)}>
                  {t(standingText[standingAmong(row.value, row.quartiles)])}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
      <p class="hint">
        {t(
          'compareFootnote',
          formatNumber(cohort.installations),
          String(report.privacy.k),
          String(report.privacy.epsilon),
          formatNumber(mine.recordedDays),
        )}
      </p>
    </div>
  );
}
