import { readersToWarnAbout } from '../shared/domain/readerHealth';
import type { Reader } from '../shared/storage/records';
import { type MessageKey, t } from '../shared/ui/i18n';
import type { TodayFacts } from './readToday';

/** What a failing reader means for the figures, in plain words: what still counts, and what may be missing. */
const warningKeys: Record<Reader, MessageKey> = {
  viewer: 'popupHealthViewer',
  'profile-counts': 'popupHealthProfileCounts',
  'feed-posts': 'popupHealthFeedPosts',
  'post-page': 'popupHealthPostPage',
  reels: 'popupHealthReels',
  stories: 'popupHealthStories',
};

/**
 * The options page's list of every reader (src/options/RecordingHealth.tsx, section id `recording-health`), relative
 * to the popup's own page so no browser API is needed to link to it.
 */
const detailsHref = '../options/index.html#recording-health';

/**
 * A short warning when a reader fails on a part of Instagram the person uses (src/shared/domain/readerHealth.ts), so
 * no failure is silent where the figures are read; nothing otherwise.
 */
export function RecordingHealthWarning({ facts }: { facts: TodayFacts }) {
  const failing = readersToWarnAbout(facts.readerHealth, facts.week, facts.today);
  if (failing.length === 0) return null;
  return (
    <div role="status" class="notice" data-testid="recording-health-warning">
      {failing.map((reader) => (
        <p key={reader} data-reader={reader}>
          {t(warningKeys[reader])}
        </p>
      ))}
      <p>
        <a href={detailsHref} target="_blank" rel="noreferrer" data-testid="recording-health-details">
          {t('popupHealthDetails')}
        </a>
      </p>
    </div>
  );
}
