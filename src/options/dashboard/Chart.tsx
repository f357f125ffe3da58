import { useEffect, useRef, useState } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { formatDate, formatDayMonth, formatDuration, formatMonth } from '../../shared/ui/format';
import { dateOfSeconds, dateTicks, durationTicks, ticksAreMonths } from './chartAxes';

/** Reads a CSS custom property of the chart's element (the theme's colours), with a fallback. */
export type CssVariable = (name: string, fallback?: string) => string;

/** Builds a chart's options (all but its size) from the current theme. Memoise it: a new function redraws the chart. */
export type ChartOptions = (css: CssVariable) => Omit<uPlot.Options, 'width' | 'height'>;

/**
 * Whether uPlot can draw here: it needs a 2D canvas, ResizeObserver and matchMedia. Test DOMs (happy-dom) have no
 * canvas, so charts are skipped there and tests look at the tables every chart comes with.
 */
function canDrawCharts(): boolean {
  if (typeof ResizeObserver !== 'function' || typeof matchMedia !== 'function') return false;
  try {
    return document.createElement('canvas').getContext('2d') !== null;
  } catch {
    return false;
  }
}

const minimumWidth = 280;

/**
 * A uPlot chart that fills its container's width, follows resizes and redraws in the theme's colours when the colour
 * scheme changes. Hovering shows the exact figures in its legend. Hidden from assistive technology: every chart has a
 * table alternative next to it, which is also the keyboard's way to each figure. `onPick`, when given, is called with
 * the index of the point clicked (a day's bar opens that day's page).
 */
export function Chart({
  data,
  options,
  height = 240,
  onPick,
}: {
  data: uPlot.AlignedData;
  options: ChartOptions;
  height?: number;
  onPick?: (index: number) => void;
}) {
  // The latest handler, read at click time: a new function from each render must not redraw the chart.
  const pick = useRef(onPick);
  pick.current = onPick;
  const container = useRef<HTMLDivElement>(null);
  const [scheme, setScheme] = useState(0);

  useEffect(() => {
    if (!canDrawCharts()) return;
    const query = matchMedia('(prefers-color-scheme: dark)');
    const changed = () => setScheme((count) => count + 1);
    query.addEventListener('change', changed);
    return () => query.removeEventListener('change', changed);
  }, []);

  useEffect(() => {
    const element = container.current;
    if (!element || !canDrawCharts()) return;
    const style = getComputedStyle(element);
    const css: CssVariable = (name, fallback = '#888') => style.getPropertyValue(name).trim() || fallback;
    const width = () => Math.max(element.clientWidth, minimumWidth);
    let chart: uPlot;
    try {
      chart = new uPlot({ ...options(css), width: width(), height }, data, element);
    } catch {
      // A chart that cannot be drawn leaves its table alternative as the report.
      return;
    }
    const observer = new ResizeObserver(() => {
      if (chart.width !== width()) chart.setSize({ width: width(), height });
    });
    observer.observe(element);
    const clicked = () => {
      const index = chart.cursor.idx;
      if (index !== null && index !== undefined) pick.current?.(index);
    };
    chart.over?.addEventListener('click', clicked);
    return () => {
      observer.disconnect();
      chart.over?.removeEventListener('click', clicked);
      chart.destroy();
    };
  }, [data, options, height, scheme]);

  return <div class={onPick ? 'chart pickable' : 'chart'} ref={container} aria-hidden="true" />;
}

/** Axis colours from the theme. */
export function axisStyle(css: CssVariable): uPlot.Axis {
  return {
    stroke: css('--muted'),
    grid: { stroke: css('--border'), width: 1 },
    ticks: { stroke: css('--border'), width: 1 },
  };
}

/** Calendar dates on the x axis are UTC midnights: format them in UTC so the viewer's zone cannot shift them. */
export const utcDates: Pick<uPlot.Options, 'tzDate'> = {
  tzDate: (seconds) => uPlot.tzDate(new Date(seconds * 1000), 'Etc/UTC'),
};

/** The x series of a chart over calendar dates: its legend shows the hovered date (or what `describe` makes of it). */
export function dateSeries(label: string, describe: (date: string) => string = formatDate): uPlot.Series {
  return {
    label,
    value: (_chart, seconds) => (seconds === null ? '—' : describe(dateOfSeconds(seconds))),
  };
}

/** About how many pixels a date tick needs, its label included ("Nov 24", "24 nov."). */
const dateTickSpace = 72;

/**
 * The x axis of a chart over calendar dates: ticks on whole days, Mondays or months (chartAxes.ts), labelled in the UI
 * language's order ("Nov 24", "24 nov.", "Nov 2026").
 */
export function dateAxis(css: CssVariable): uPlot.Axis {
  return {
    ...axisStyle(css),
    splits: (chart, _axis, min, max) => dateTicks(min, max, chart.width / dateTickSpace),
    values: (_chart, ticks) => {
      const months = ticksAreMonths(ticks);
      return ticks.map((seconds) => (months ? formatMonth : formatDayMonth)(dateOfSeconds(seconds)));
    },
  };
}

/**
 * A y axis of durations held in minutes, from zero to `scale.top` on round steps (chartAxes.ts durationScale), each
 * tick written as a duration ("30 min", "1 hr 30 min"). Its scale: `durationRange(scale)`.
 */
export function durationAxis(css: CssVariable, scale: { step: number; top: number }, scaleName = 'y'): uPlot.Axis {
  return {
    ...axisStyle(css),
    scale: scaleName,
    // Wide enough for "10 hr 30 min".
    size: 100,
    splits: () => durationTicks(scale).map((ms) => ms / 60_000),
    values: (_chart, ticks) => ticks.map((minutes) => formatDuration(minutes * 60_000)),
  };
}

/** The scale of a duration axis (minutes): zero to the axis's top. */
export function durationRange(scale: { top: number }): uPlot.Scale {
  return { range: () => [0, scale.top / 60_000] };
}

export { uPlot };

/** Tick steps for counts (followers, posts, sightings): whole numbers only, 1-2-5 per decade — never "312.5 posts". */
export const wholeNumberSteps: number[] = Array.from({ length: 8 }, (_, power) => 10 ** power).flatMap((decade) => [
  decade,
  2 * decade,
  5 * decade,
]);
