import { useEffect, useRef, useState } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { formatDate } from '../../shared/ui/format';

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
 * scheme changes. Hidden from assistive technology: every chart has a table alternative next to it.
 */
export function Chart({
  data,
  options,
  height = 240,
}: {
  data: uPlot.AlignedData;
  options: ChartOptions;
  height?: number;
}) {
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
    return () => {
      observer.disconnect();
      chart.destroy();
    };
  }, [data, options, height, scheme]);

  return <div class="chart" ref={container} aria-hidden="true" />;
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

/** The x series of a chart over calendar dates: its legend shows the hovered date. */
export function dateSeries(label: string): uPlot.Series {
  return {
    label,
    value: (_chart, seconds) =>
      seconds === null ? '—' : formatDate(new Date(seconds * 1000).toISOString().slice(0, 10)),
  };
}

export { uPlot };

/** Tick steps for counts (followers, posts, sightings): whole numbers only, 1-2-5 per decade — never "312.5 posts". */
export const wholeNumberSteps: number[] = Array.from({ length: 8 }, (_, power) => 10 ** power).flatMap((decade) => [
  decade,
  2 * decade,
  5 * decade,
]);
