import type { SmartTagsDatabase } from '../db';
import { useLiveQuery } from './useLiveQuery';

interface Props {
  db: SmartTagsDatabase;
  limit: number;
}

const timeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'short', timeStyle: 'short' });

/** The Instagram pages the background stored most recently, newest first. */
export function RecentPages({ db, limit }: Props) {
  const pages = useLiveQuery(() => db.pagesSeen.orderBy('seenAt').reverse().limit(limit).toArray(), [db, limit]);
  if (pages.state === 'loading') return <p aria-busy="true">Loading…</p>;
  if (pages.state === 'failed') return <p role="alert">Could not read stored data: {pages.message}</p>;
  if (pages.value.length === 0) {
    return (
      <p class="empty" data-testid="pages-empty">
        No Instagram page seen yet. Open{' '}
        <a href="https://www.instagram.com/" target="_blank" rel="noreferrer">
          instagram.com
        </a>{' '}
        in this browser and it will show up here.
      </p>
    );
  }
  return (
    <ul class="pages" data-testid="pages">
      {pages.value.map((page) => (
        <li key={page.id}>
          <code>{page.path}</code>{' '}
          <time dateTime={new Date(page.seenAt).toISOString()}>{timeFormat.format(page.seenAt)}</time>
        </li>
      ))}
    </ul>
  );
}
