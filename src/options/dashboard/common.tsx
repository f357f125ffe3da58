import { useId } from 'preact/hooks';
import type { SmartTagsDatabase } from '../../shared/db';
import type { DayRecord } from '../../shared/records';
import { type RangeLength, rangeLengths, rangeStart } from '../../shared/reports';
import { type LiveResult, useLiveQuery } from '../../shared/ui/useLiveQuery';

const text = {
  period: 'Period',
  last: (days: number) => `Last ${days} days`,
  loading: 'Loading…',
  failed: (message: string) => `Could not read your recorded days: ${message}`,
  emptyTitle: 'Nothing recorded yet.',
  emptyStart: 'To start, turn on “Record my Instagram use” under ',
  emptyPrivacy: 'Privacy and your data',
  emptyThen: ', then open ',
  emptyEnd: ' in this browser. Your time appears here within a minute of using it.',
};

/** The days of the range, read live in one query; `any` says whether any day at all is recorded. */
export type RangeData = { days: DayRecord[]; any: boolean };

export function useRangeDays(db: SmartTagsDatabase, today: string, length: RangeLength): LiveResult<RangeData> {
  return useLiveQuery(async () => {
    const days = await db.days.where('date').between(rangeStart(today, length), today, true, true).toArray();
    return { days, any: days.length > 0 || (await db.days.count()) > 0 };
  }, [db, today, length]);
}

/** The period the reports cover: radio buttons named "range" (arrow keys move between them). */
export function RangeChoice({ value, onChange }: { value: RangeLength; onChange: (length: RangeLength) => void }) {
  const id = useId();
  return (
    <fieldset class="range-choice">
      <legend>{text.period}</legend>
      {rangeLengths.map((length) => (
        <span class="range-option" key={length}>
          <input
            type="radio"
            id={`${id}-${length}`}
            name="range"
            value={String(length)}
            checked={value === length}
            onChange={() => onChange(length)}
          />
          <label for={`${id}-${length}`}>{text.last(length)}</label>
        </span>
      ))}
    </fieldset>
  );
}

/** Loading and failure of the range query, or nothing when the data is ready. */
export function RangeState({ result }: { result: LiveResult<RangeData> }) {
  if (result.state === 'loading') return <p aria-busy="true">{text.loading}</p>;
  if (result.state === 'failed') {
    return (
      <p role="alert" class="alert">
        {text.failed(result.message)}
      </p>
    );
  }
  return null;
}

/** No day recorded at all: how to start. */
export function EmptyDashboard() {
  return (
    <div class="notice" data-testid="dashboard-empty">
      <p>
        <strong>{text.emptyTitle}</strong>
      </p>
      <p>
        {text.emptyStart}
        <a href="#privacy">{text.emptyPrivacy}</a>
        {text.emptyThen}
        <a href="https://www.instagram.com/" target="_blank" rel="noreferrer">
          instagram.com
        </a>
        {text.emptyEnd}
      </p>
    </div>
  );
}

/** A visually hidden note for screen readers. */
export function ScreenReaderOnly({ children }: { children: string }) {
  return <span class="visually-hidden">{children}</span>;
}
