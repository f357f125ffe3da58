import { useMemo, useRef, useState } from 'preact/hooks';
import { addDays } from '../../shared/domain/dates';
import { calendarHeatmap } from '../../shared/domain/insights';
import type { Period } from '../../shared/domain/periods';
import type { DayTotalsRecord } from '../../shared/storage/records';
import {
  formatDateRange,
  formatDayShort,
  formatDuration,
  formatMonthName,
  formatWeekday,
} from '../../shared/ui/format';
import { t } from '../../shared/ui/i18n';
import { dayHref } from '../route';

const weekdays = [0, 1, 2, 3, 4, 5, 6];

/** A cell's shade: none for a day without use, then four steps of the largest day's total. */
function levelOf(ms: number, maxMs: number): number {
  if (ms <= 0 || maxMs <= 0) return 0;
  return Math.min(4, Math.ceil((ms / maxMs) * 4));
}

const arrowMoves: Record<string, number> = { ArrowUp: -1, ArrowDown: 1, ArrowLeft: -7, ArrowRight: 7 };

/**
 * The period's daily totals as a calendar: one column per week (Monday on top), darker for more time — a year at a
 * glance. A table of links: every day links to its page, with its date and total as its name and tooltip. It is one
 * stop in the tab order (the most recent day, or the one last focused): the arrow keys move by day (up, down) and by
 * week (left, right), Home and End to the first and last day, Enter opens the day. The same totals are in the per-day
 * table.
 */
export function CalendarHeatmap({ days, period, today }: { days: DayTotalsRecord[]; period: Period; today: string }) {
  const { weeks, maxMs } = useMemo(() => calendarHeatmap(days, period, today), [days, period, today]);
  const dates = useMemo(
    () => weeks.flatMap((week) => week.flatMap((cell) => (cell ? [cell.date] : []))).sort(),
    [weeks],
  );
  const [chosen, setChosen] = useState<string | null>(null);
  const grid = useRef<HTMLTableElement>(null);
  const focusable = chosen !== null && dates.includes(chosen) ? chosen : dates.at(-1);

  function onKeyDown(event: KeyboardEvent) {
    const current = (event.target as HTMLElement).dataset.date;
    if (!current) return;
    const step = arrowMoves[event.key];
    let next: string | undefined;
    if (step !== undefined) next = addDays(current, step);
    else if (event.key === 'Home') next = dates[0];
    else if (event.key === 'End') next = dates.at(-1);
    else return;
    event.preventDefault();
    if (!next || !dates.includes(next)) return;
    setChosen(next);
    grid.current?.querySelector<HTMLElement>(`[data-date="${next}"]`)?.focus();
  }

  // The month's name above the week holding its first day, and above the first week unless a month starts within
  // the next three (the names would overlap); the year is in the calendar's name.
  const monthStarts = weeks.map((week) => week.find((cell) => cell?.date.endsWith('-01'))?.date);
  const months = weeks.map((week, index) => {
    const first = week.find((cell) => cell !== null)?.date;
    const starts = monthStarts[index];
    if (starts) return formatMonthName(starts);
    const startsSoon = monthStarts.slice(1, 4).some(Boolean);
    return index === 0 && first && !startsSoon ? formatMonthName(first) : '';
  });

  return (
    <div class="calendar-scroll" data-testid="calendar">
      <table
        ref={grid}
        aria-label={t('calendarLabel', formatDateRange(period.start, period.end))}
        class="calendar"
        onKeyDown={onKeyDown}
      >
        {/* The months above their first week: for the eye; each day's own name says its date. */}
        <thead aria-hidden="true">
          <tr>
            <td class="calendar-head" />
            {months.map((month, index) => (
              <td class="calendar-head" key={weeks[index]?.find((cell) => cell !== null)?.date ?? index}>
                {month && <span class="calendar-month">{month}</span>}
              </td>
            ))}
          </tr>
        </thead>
        <tbody>
          {weekdays.map((weekday) => (
            <tr key={weekday}>
              <th scope="row" class="calendar-weekday">
                <abbr title={formatWeekday(weekday)}>{formatWeekday(weekday, 'short')}</abbr>
              </th>
              {weeks.map((week, column) => {
                const cell = week[weekday];
                if (!cell) return <td key={`outside-${column}`} />;
                const name = t('calendarCell', formatDayShort(cell.date), formatDuration(cell.ms));
                return (
                  <td key={cell.date}>
                    <a
                      href={dayHref(cell.date)}
                      class={`calendar-day level-${levelOf(cell.ms, maxMs)}`}
                      title={name}
                      tabIndex={cell.date === focusable ? 0 : -1}
                      data-date={cell.date}
                      data-testid={`calendar-${cell.date}`}
                      onFocus={() => setChosen(cell.date)}
                    >
                      <span class="visually-hidden">{name}</span>
                    </a>
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      <p class="calendar-legend hint" aria-hidden="true">
        {t('calendarLess')}
        {[0, 1, 2, 3, 4].map((level) => (
          <span key={level} class={`calendar-day level-${level}`} />
        ))}
        {t('calendarMore')}
      </p>
    </div>
  );
}
