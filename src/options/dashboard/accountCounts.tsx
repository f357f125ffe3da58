import type { AccountCount } from '../../shared/domain/reports';
import { formatNumber } from '../../shared/ui/format';
import { type MessageKey, t } from '../../shared/ui/i18n';
import { ScreenReaderOnly } from './common';

/** The own account's counts, as the Account tab, the growth table and a day's page show them. */
export type Metric = 'followers' | 'following' | 'posts';
export const metrics: readonly Metric[] = ['followers', 'following', 'posts'];

export const metricKeys: Record<Metric, MessageKey> = {
  followers: 'dashboardAccountFollowers',
  following: 'dashboardAccountFollowing',
  posts: 'dashboardAccountPosts',
};

// Symbols, the same in every language: a rounded number's mark, and a number that could not be read.
export const roundedMark = '≈ ';
const unreadMark = '—';

/** A count as text: "12,437", "≈ 12,000 (rounded)" or "— not read". */
export function Count({ count }: { count: AccountCount }) {
  if (count === null) {
    return (
      <span class="unread">
        {unreadMark}
        <ScreenReaderOnly>{` ${t('dashboardAccountUnreadNote')}`}</ScreenReaderOnly>
      </span>
    );
  }
  if (count.exact) return <>{formatNumber(count.value)}</>;
  return (
    <span class="rounded">
      {roundedMark}
      {formatNumber(count.value)}
      <ScreenReaderOnly>{` ${t('dashboardAccountRoundedNote')}`}</ScreenReaderOnly>
    </span>
  );
}
