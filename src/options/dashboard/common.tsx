import { useId } from 'preact/hooks';
import { type RangeLength, rangeLengths, rangeStart } from '../../shared/domain/reports';
import type { SmartTagsDatabase } from '../../shared/storage/db';
import type { DayRecord, LocalEditRecord } from '../../shared/storage/records';
import { formatCount, t, tWithNodes } from '../../shared/ui/i18n';
import { scopeText } from '../../shared/ui/scopeText';
import { type LiveResult, useLiveQuery } from '../../shared/ui/useLiveQuery';

/**
 * The days of the range, read live in one query; `any` says whether any day at all is recorded; `edits`, the
 * corrections the person made to days of the range (the Overview marks those days and lists them when correcting).
 */
export type RangeData = { days: DayRecord[]; any: boolean; edits: LocalEditRecord[] };

/** What the Overview and Hashtags tabs get from the dashboard: the period's days, read once for both, and the period. */
export interface PeriodTabProps {
  result: LiveResult<RangeData>;
  today: string;
  range: RangeLength;
  onRange: (length: RangeLength) => void;
}

export function useRangeDays(db: SmartTagsDatabase, today: string, length: RangeLength): LiveResult<RangeData> {
  return useLiveQuery(async () => {
    const start = rangeStart(today, length);
    const days = await db.days.where('date').between(start, today, true, true).toArray();
    const edits = await db.localEdits.where('date').between(start, today, true, true).toArray();
    return { days, any: days.length > 0 || (await db.days.count()) > 0, edits };
  }, [db, today, length]);
}

/** The period the reports cover: radio buttons named "range" (arrow keys move between them). */
export function RangeChoice({ value, onChange }: { value: RangeLength; onChange: (length: RangeLength) => void }) {
  const id = useId();
  return (
    <fieldset class="range-choice">
      <legend>{t('dashboardPeriod')}</legend>
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
          <label for={`${id}-${length}`}>{t('dashboardLastDays', formatCount(length))}</label>
        </span>
      ))}
    </fieldset>
  );
}

/** Loading and failure of the range query, or nothing when the data is ready. */
export function RangeState({ result }: { result: LiveResult<RangeData> }) {
  if (result.state === 'loading') return <p aria-busy="true">{t('commonLoading')}</p>;
  if (result.state === 'failed') {
    return (
      <p role="alert" class="alert">
        {t('dashboardFailed', result.message)}
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
        <strong>{t('dashboardEmptyTitle')}</strong>
      </p>
      <p>
        {tWithNodes(
          'dashboardEmptyBody',
          scopeText.usage.label,
          <a href="#privacy">{t('optionsPrivacy')}</a>,
          <a href="https://www.instagram.com/" target="_blank" rel="noreferrer">
            instagram.com
          </a>,
        )}
      </p>
    </div>
  );
}

/** A visually hidden note for screen readers. */
export function ScreenReaderOnly({ children }: { children: string }) {
  return <span class="visually-hidden">{children}</span>;
}
