import { useState } from 'preact/hooks';
import { formatNumber } from '../../shared/ui/format';
import { t } from '../../shared/ui/i18n';

const rowStep = 100;

/** How many rows a long table shows: 100 at first, 100 more on request, back to 100 when `reset` changes. */
export function useRowLimit(reset: unknown): [number, () => void] {
  // The limit belongs to the `reset` value it was raised for; any other value starts again at one step.
  const [raised, setRaised] = useState<{ for: unknown; limit: number } | null>(null);
  const limit = raised && Object.is(raised.for, reset) ? raised.limit : rowStep;
  return [limit, () => setRaised({ for: reset, limit: limit + rowStep })];
}

/** The "show more" button under a table capped at `shown` of `total` rows; nothing when all are shown. */
export function ShowMore({
  shown,
  total,
  onMore,
  testId,
}: {
  shown: number;
  total: number;
  onMore: () => void;
  testId: string;
}) {
  if (shown >= total) return null;
  return (
    <p class="show-more">
      <button type="button" onClick={onMore} data-testid={testId}>
        {t('dashboardShowMore', formatNumber(Math.min(rowStep, total - shown)))}
      </button>{' '}
      <span class="hint">{t('dashboardShown', formatNumber(shown), formatNumber(total))}</span>
    </p>
  );
}
