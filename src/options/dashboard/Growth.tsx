import { useId, useMemo, useState } from 'preact/hooks';
import { accountGrowth, type GrowthRow } from '../../shared/domain/insights';
import type { AccountPoint } from '../../shared/domain/reports';
import { formatDateRange, formatMonth, formatNumber, formatSignedNumber } from '../../shared/ui/format';
import { t } from '../../shared/ui/i18n';
import { TableScroll } from '../../shared/ui/TableScroll';
import { type Metric, metricKeys, metrics, roundedMark } from './accountCounts';
import { ScreenReaderOnly } from './common';
import { ShowMore, useRowLimit } from './ShowMore';

type Span = 'week' | 'month';

/**
 * A count's change as text (marked like a rounded count: a change computed from a rounded number is approximate): "+5", "-12", "≈ +300 (rounded)" when either count was rounded as Instagram showed it,
 * with the counts it runs between as its tooltip.
 */
export function GrowthChange({ row, testId }: { row: GrowthRow; testId?: string }) {
  return (
    <span
      class={row.exact ? undefined : 'rounded'}
      title={t('growthFromTo', formatNumber(row.from), formatNumber(row.to))}
      data-testid={testId}
    >
      {!row.exact && roundedMark}
      {formatSignedNumber(row.change)}
      {!row.exact && <ScreenReaderOnly>{` ${t('dashboardAccountRoundedNote')}`}</ScreenReaderOnly>}
    </span>
  );
}

/**
 * Gains and losses of followers, following and posts per calendar week or month, newest first: each from the last
 * count before the span to the last count in it (insights.ts accountGrowth), approximate ones marked.
 */
export function Growth({ series, username }: { series: AccountPoint[]; username: string }) {
  const [by, setBy] = useState<Span>('week');
  const id = useId();
  const rows = useMemo(() => {
    const bySpan = new Map<string, { start: string; end: string; changes: Partial<Record<Metric, GrowthRow>> }>();
    for (const metric of metrics) {
      for (const row of accountGrowth(series, metric, by)) {
        const entry = bySpan.get(row.start) ?? { start: row.start, end: row.end, changes: {} };
        entry.changes[metric] = row;
        bySpan.set(row.start, entry);
      }
    }
    return [...bySpan.values()].sort((a, b) => (a.start < b.start ? 1 : -1));
  }, [series, by]);
  const [limit, more] = useRowLimit(`${username}|${by}`);
  const caption = t(by === 'week' ? 'growthCaptionWeek' : 'growthCaptionMonth', username);

  return (
    <section aria-labelledby="growth-heading">
      <h3 id="growth-heading">{t('growthHeading')}</h3>
      <fieldset class="range-choice">
        <legend>{t('growthBy')}</legend>
        {(['week', 'month'] as const).map((span) => (
          <span class="range-option" key={span}>
            <input
              type="radio"
              id={`${id}-${span}`}
              name="growth-span"
              value={span}
              checked={by === span}
              onChange={() => setBy(span)}
              data-testid={`growth-by-${span}`}
            />
            <label for={`${id}-${span}`}>{t(span === 'week' ? 'growthByWeek' : 'growthByMonth')}</label>
          </span>
        ))}
      </fieldset>
      {rows.length === 0 ? (
        <p class="empty" data-testid="growth-empty">
          {t('growthNone')}
        </p>
      ) : (
        <>
          <TableScroll label={caption}>
            <table class="numbers" data-testid="growth-table">
              <caption>{caption}</caption>
              <thead>
                <tr>
                  <th scope="col">{t(by === 'week' ? 'growthWeek' : 'growthMonth')}</th>
                  {metrics.map((metric) => (
                    <th scope="col" key={metric}>
                      {t(metricKeys[metric])}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {rows.slice(0, limit).map((row) => (
                  <tr key={row.start}>
                    <th scope="row">{by === 'week' ? formatDateRange(row.start, row.end) : formatMonth(row.start)}</th>
                    {metrics.map((metric) => {
                      const change = row.changes[metric];
                      return <td key={metric}>{change ? <GrowthChange row={change} /> : '—'}</td>;
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
          <ShowMore shown={Math.min(limit, rows.length)} total={rows.length} onMore={more} testId="growth-more" />
        </>
      )}
    </section>
  );
}
