import { useId } from 'preact/hooks';
import { isCalendarDate } from '../../shared/domain/dates';
import { type Period, type PeriodKind, periodKinds, previousPeriod, resolvePeriod } from '../../shared/domain/periods';
import { formatDateRange } from '../../shared/ui/format';
import { type MessageKey, t } from '../../shared/ui/i18n';

/** The period the person chose: a kind, and its dates when it is a custom range. */
export interface PeriodSelection {
  kind: PeriodKind;
  custom?: Period;
}

/** The chosen period's dates, and the dates it is compared with (periods.ts previousPeriod). */
export interface ResolvedPeriod {
  period: Period;
  previous: Period;
}

export const defaultPeriod: PeriodSelection = { kind: 'last-30' };

/** A selection's dates seen from `today`; a custom range without valid dates falls back to the last 30 days. */
export function resolveSelection(selection: PeriodSelection, today: string): ResolvedPeriod {
  const { kind, custom } = selection;
  const usable = kind !== 'custom' || (custom && isCalendarDate(custom.start) && isCalendarDate(custom.end));
  const chosen = usable ? kind : defaultPeriod.kind;
  const period = resolvePeriod(chosen, today, custom);
  return { period, previous: previousPeriod(chosen, period) };
}

const kindLabels = {
  'this-week': 'periodThisWeek',
  'last-week': 'periodLastWeek',
  'this-month': 'periodThisMonth',
  'last-month': 'periodLastMonth',
  'last-7': 'periodLast7',
  'last-30': 'periodLast30',
  'last-90': 'periodLast90',
  'last-365': 'periodLast365',
  custom: 'periodCustom',
} as const satisfies Record<PeriodKind, MessageKey>;

/**
 * The period the reports cover: radio buttons named "period" (arrow keys move between them), and with "Custom range"
 * two date fields, from and to (no later than today). Under it, the dates the period holds and the dates it is
 * compared with, so "this week" is never a guess.
 */
export function PeriodChoice({
  value,
  onChange,
  today,
}: {
  value: PeriodSelection;
  onChange: (selection: PeriodSelection) => void;
  today: string;
}) {
  const id = useId();
  const { period, previous } = resolveSelection(value, today);

  function choose(kind: PeriodKind) {
    // A custom range starts from the dates shown until then, ready to be adjusted.
    onChange(kind === 'custom' ? { kind, custom: value.custom ?? period } : { kind, custom: value.custom });
  }

  /** Sets one end of the custom range; a cleared or partial date field changes nothing. */
  function setEnd(which: keyof Period, date: string) {
    if (!isCalendarDate(date)) return;
    onChange({ kind: 'custom', custom: { ...(value.custom ?? period), [which]: date } });
  }

  return (
    <div class="period-choice">
      <fieldset class="range-choice">
        <legend>{t('dashboardPeriod')}</legend>
        {periodKinds.map((kind) => (
          <span class="range-option" key={kind}>
            <input
              type="radio"
              id={`${id}-${kind}`}
              name="period"
              value={kind}
              checked={value.kind === kind}
              onChange={() => choose(kind)}
              data-testid={`period-${kind}`}
            />
            <label for={`${id}-${kind}`}>{t(kindLabels[kind])}</label>
          </span>
        ))}
      </fieldset>
      {value.kind === 'custom' && (
        <fieldset class="custom-range">
          <legend class="visually-hidden">{t('periodCustomLegend')}</legend>
          <label for={`${id}-from`}>{t('periodFrom')}</label>
          <input
            type="date"
            id={`${id}-from`}
            name="period-from"
            value={period.start}
            max={period.end}
            onChange={(event) => setEnd('start', event.currentTarget.value)}
            data-testid="period-from"
          />
          <label for={`${id}-to`}>{t('periodTo')}</label>
          <input
            type="date"
            id={`${id}-to`}
            name="period-to"
            value={period.end}
            min={period.start}
            max={today}
            onChange={(event) => setEnd('end', event.currentTarget.value)}
            data-testid="period-to"
          />
        </fieldset>
      )}
      <p class="hint" data-testid="period-dates">
        {t('periodDates', formatDateRange(period.start, period.end), formatDateRange(previous.start, previous.end))}
      </p>
    </div>
  );
}
