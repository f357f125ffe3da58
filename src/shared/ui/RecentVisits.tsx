import type { Surface } from '../domain/routes';
import type { SmartTagsDatabase } from '../storage/db';
import { formatDateTime, type MessageKey, t, tWithNodes } from './i18n';
import { useLiveQuery } from './useLiveQuery';

const surfaceLabelKeys: Record<Surface, MessageKey> = {
  feed: 'recentVisitsSurfaceFeed',
  explore: 'recentVisitsSurfaceExplore',
  hashtag: 'recentVisitsSurfaceHashtag',
  reels: 'recentVisitsSurfaceReels',
  stories: 'recentVisitsSurfaceStories',
  direct: 'recentVisitsSurfaceDirect',
  post: 'recentVisitsSurfacePost',
  profile: 'recentVisitsSurfaceProfile',
  other: 'recentVisitsSurfaceOther',
};

function formatSeenAt(seenAt: number, now: Date): string {
  return new Date(seenAt).toDateString() === now.toDateString()
    ? formatDateTime(seenAt, 'time')
    : formatDateTime(seenAt, 'minutes');
}

/** The newest Instagram visits the background recorded, newest first, live. */
export function RecentVisits({ db, limit }: { db: SmartTagsDatabase; limit: number }) {
  const visits = useLiveQuery(() => db.visits.orderBy('seenAt').reverse().limit(limit).toArray(), [db, limit]);
  if (visits.state === 'loading') return <p aria-busy="true">{t('commonLoading')}</p>;
  if (visits.state === 'failed') {
    return (
      <p role="alert" class="alert">
        {t('recentVisitsFailed', visits.message)}
      </p>
    );
  }
  if (visits.value.length === 0) {
    return (
      <p class="empty" data-testid="visits-empty">
        {tWithNodes(
          'recentVisitsEmpty',
          <a href="https://www.instagram.com/" target="_blank" rel="noreferrer">
            instagram.com
          </a>,
        )}
      </p>
    );
  }
  const now = new Date();
  return (
    <ul class="visits" data-testid="visits">
      {visits.value.map((visit) => (
        <li key={visit.id}>
          <span class="surface">{t(surfaceLabelKeys[visit.surface])}</span>
          <time dateTime={new Date(visit.seenAt).toISOString()}>{formatSeenAt(visit.seenAt, now)}</time>
        </li>
      ))}
    </ul>
  );
}
