import type { SmartTagsDatabase } from '../shared/storage/db';
import { type QualitySignalRecord, qualitySignals } from '../shared/storage/records';
import { formatDateTime, type MessageKey, t, tWithNodes } from '../shared/ui/i18n';
import { useLiveQuery } from '../shared/ui/useLiveQuery';

type Signal = QualitySignalRecord['signal'];

const at = (epochMs: number) => (
  <time dateTime={new Date(epochMs).toISOString()}>{formatDateTime(epochMs, 'minutes')}</time>
);

/** What each signal means to the person; its placeholders are since when, and when it was last noticed. */
const signalMessages: Record<Signal, MessageKey> = {
  'profile-counts-missing': 'qualityProfileCountsMissing',
  'feed-posts-missing': 'qualityFeedPostsMissing',
};

const order = (signal: Signal) => qualitySignals.indexOf(signal);

/**
 * Layout drift: what the content script could no longer find on Instagram's pages, as the background recorded it
 * (one row per signal, removed once the page matches again). Read live. When nothing is missing it renders nothing.
 */
export function DataQuality({ db }: { db: SmartTagsDatabase }) {
  const signals = useLiveQuery(() => db.qualitySignals.toArray(), [db]);
  // Nothing while loading: this sits at the top of the page and usually has nothing to say.
  if (signals.state === 'loading') return null;
  if (signals.state === 'failed') {
    return (
      <p role="alert" class="alert">
        {t('qualityFailed', signals.message)}
      </p>
    );
  }
  const known = signals.value
    .filter((record) => record.signal in signalMessages)
    .sort((a, b) => order(a.signal) - order(b.signal));
  if (known.length === 0) return null;
  return (
    <div role="status" class="notice quality" data-testid="quality-drift">
      <p>{t('qualityDrift')}</p>
      <ul class="quality-signals">
        {known.map((record) => (
          <li key={record.signal} data-signal={record.signal}>
            {tWithNodes(signalMessages[record.signal], at(record.since), at(record.lastSeenAt))}
          </li>
        ))}
      </ul>
      <p>{t('qualityNoZeros')}</p>
    </div>
  );
}
