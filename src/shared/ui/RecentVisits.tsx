import type { SmartTagsDatabase } from '../db';
import type { Surface } from '../routes';
import { useLiveQuery } from './useLiveQuery';

const surfaceLabels: Record<Surface, string> = {
  feed: 'Feed',
  explore: 'Explore',
  hashtag: 'Hashtag page',
  reels: 'Reels',
  stories: 'Stories',
  direct: 'Messages',
  post: 'Post',
  profile: 'Profile',
  other: 'Other',
};

const text = {
  loading: 'Loading…',
  failed: (message: string) => `Could not read your recorded visits: ${message}`,
  empty: 'No Instagram visit recorded yet. Visits appear here after you open ',
  emptyEnd: ' in this browser with recording on.',
};

const timeOnly = new Intl.DateTimeFormat(undefined, { timeStyle: 'short' });
const dateAndTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

function formatSeenAt(seenAt: number, now: Date): string {
  const seen = new Date(seenAt);
  return seen.toDateString() === now.toDateString() ? timeOnly.format(seen) : dateAndTime.format(seen);
}

/** The newest Instagram visits the background recorded, newest first, live. */
export function RecentVisits({ db, limit }: { db: SmartTagsDatabase; limit: number }) {
  const visits = useLiveQuery(() => db.visits.orderBy('seenAt').reverse().limit(limit).toArray(), [db, limit]);
  if (visits.state === 'loading') return <p aria-busy="true">{text.loading}</p>;
  if (visits.state === 'failed') {
    return (
      <p role="alert" class="alert">
        {text.failed(visits.message)}
      </p>
    );
  }
  if (visits.value.length === 0) {
    return (
      <p class="empty" data-testid="visits-empty">
        {text.empty}
        <a href="https://www.instagram.com/" target="_blank" rel="noreferrer">
          instagram.com
        </a>
        {text.emptyEnd}
      </p>
    );
  }
  const now = new Date();
  return (
    <ul class="visits" data-testid="visits">
      {visits.value.map((visit) => (
        <li key={visit.id}>
          <span class="surface">{surfaceLabels[visit.surface]}</span>
          <time dateTime={new Date(visit.seenAt).toISOString()}>{formatSeenAt(visit.seenAt, now)}</time>
        </li>
      ))}
    </ul>
  );
}
