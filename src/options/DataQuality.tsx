import type { ComponentChildren } from 'preact';
import type { SmartTagsDatabase } from '../shared/db';
import { type QualitySignalRecord, qualitySignals } from '../shared/records';
import { useLiveQuery } from '../shared/ui/useLiveQuery';

type Signal = QualitySignalRecord['signal'];

const timeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

const at = (epochMs: number) => <time dateTime={new Date(epochMs).toISOString()}>{timeFormat.format(epochMs)}</time>;

const text = {
  ok: 'Everything smartTags reads from Instagram’s pages was found.',
  drift: 'smartTags could not read part of Instagram’s pages:',
  signals: {
    'profile-counts-missing': (since: ComponentChildren, lastSeen: ComponentChildren) => (
      <>
        Your profile’s follower, following and post counts could not be read — Instagram may have changed its page.
        Account data points are missing since {since} (last seen {lastSeen}).
      </>
    ),
    'feed-posts-missing': (since: ComponentChildren, lastSeen: ComponentChildren) => (
      <>
        No posts could be found in your feed — Instagram may have changed its page; time is still recorded, but views
        and hashtags from the feed may be missing since {since} (last seen {lastSeen}).
      </>
    ),
  } satisfies Record<Signal, (since: ComponentChildren, lastSeen: ComponentChildren) => ComponentChildren>,
  noZeros:
    'smartTags records no zeros in place of what it could not read: those figures are missing, not zero. This notice ' +
    'goes away by itself once smartTags can read them again.',
  failed: (message: string) => `Could not check whether smartTags can still read Instagram’s pages: ${message}`,
};

const order = (signal: Signal) => qualitySignals.indexOf(signal);

/**
 * Layout drift: what the content script could no longer find on Instagram's pages, as the background recorded it
 * (one row per signal, removed once the page matches again). Read live. When nothing is missing it renders nothing,
 * unless `sayWhenOk` asks for a line saying so.
 */
export function DataQuality({ db, sayWhenOk = false }: { db: SmartTagsDatabase; sayWhenOk?: boolean }) {
  const signals = useLiveQuery(() => db.qualitySignals.toArray(), [db]);
  // Nothing while loading: this sits at the top of the page and usually has nothing to say.
  if (signals.state === 'loading') return null;
  if (signals.state === 'failed') {
    return (
      <p role="alert" class="alert">
        {text.failed(signals.message)}
      </p>
    );
  }
  const known = signals.value
    .filter((record) => record.signal in text.signals)
    .sort((a, b) => order(a.signal) - order(b.signal));
  if (known.length === 0) {
    return sayWhenOk ? (
      <p class="hint" data-testid="quality-ok">
        {text.ok}
      </p>
    ) : null;
  }
  return (
    <div role="status" class="notice quality" data-testid="quality-drift">
      <p>{text.drift}</p>
      <ul class="quality-signals">
        {known.map((record) => (
          <li key={record.signal} data-signal={record.signal}>
            {text.signals[record.signal](at(record.since), at(record.lastSeenAt))}
          </li>
        ))}
      </ul>
      <p>{text.noZeros}</p>
    </div>
  );
}
