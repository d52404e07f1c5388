import { max, scaleLinear, scaleLog } from 'd3';
import type { CountBin } from '../../core/data/types';
import { formatCompact, formatCount } from '../format';
import {
  type AxisTick,
  type ChartSize,
  type PlotArea,
  plotArea,
  roundPixel as round,
} from './chartFrame';

export interface HistogramLayoutOptions extends ChartSize {
  /** Most labelled x ticks; bin edges are thinned to this many. */
  maxXTicks?: number;
  /** How many y ticks to aim for (d3's `ticks(count)`). */
  yTickCount?: number;
}

export interface HistogramBar {
  x: number;
  y: number;
  width: number;
  height: number;
  count: number;
  x0: number;
  x1: number;
  /** The range of counts the bin holds, e.g. "4–7" (bins are [x0, x1) over whole counts). */
  rangeLabel: string;
}

export interface HistogramLayout {
  width: number;
  height: number;
  /** The plot area inside the margins. */
  plot: PlotArea;
  bars: HistogramBar[];
  xTicks: AxisTick[];
  yTicks: AxisTick[];
  /** `log` when every edge is positive (log-spaced bins then get equal widths). */
  xScale: 'log' | 'linear';
  empty: boolean;
}

/** "4" for a one-value bin, "4–7" for [4, 8) over whole counts, "0.5–2" otherwise. */
export function binRangeLabel(x0: number, x1: number): string {
  if (Number.isInteger(x0) && Number.isInteger(x1)) {
    return x1 - x0 <= 1 ? formatCount(x0) : `${formatCount(x0)}–${formatCount(x1 - 1)}`;
  }
  return `${formatCompact(x0)}–${formatCompact(x1)}`;
}

/**
 * Lays out a histogram of counts (e.g. interactions per user) from precomputed bins: bar
 * rectangles, bin-edge ticks on x and count ticks on y. Pure (no DOM), so it is tested in Node
 * and the React component only renders what it returns. Log-spaced bins get a log x scale,
 * which gives every bin the same width and keeps the long tail readable.
 */
export function histogramLayout(
  bins: readonly CountBin[],
  options: HistogramLayoutOptions,
): HistogramLayout {
  const { width, height, margin } = options;
  const plot = plotArea(width, height, margin);
  const sorted = [...bins].sort((a, b) => a.x0 - b.x0);
  if (sorted.length === 0) {
    return { width, height, plot, bars: [], xTicks: [], yTicks: [], xScale: 'linear', empty: true };
  }

  const lo = sorted[0].x0;
  const hi = Math.max(sorted[sorted.length - 1].x1, lo);
  const useLog = lo > 0;
  const domain: [number, number] = hi > lo ? [lo, hi] : useLog ? [lo, lo * 2] : [lo, lo + 1];
  const x = (useLog ? scaleLog() : scaleLinear()).domain(domain).range([plot.left, plot.right]);

  const maxCount = max(sorted, (bin) => bin.count) ?? 0;
  const y = scaleLinear()
    .domain([0, Math.max(1, maxCount)])
    .nice(options.yTickCount ?? 4)
    .range([plot.bottom, plot.top]);

  const bars = sorted.map((bin): HistogramBar => {
    const left = x(bin.x0);
    const right = x(Math.max(bin.x1, bin.x0));
    const full = Math.max(0, right - left);
    const gap = full > 3 ? 1 : 0;
    const top = y(bin.count);
    return {
      x: round(left + gap / 2),
      y: round(top),
      width: round(Math.max(full > 0 ? 1 : 0, full - gap)),
      height: round(plot.bottom - top),
      count: bin.count,
      x0: bin.x0,
      x1: bin.x1,
      rangeLabel: binRangeLabel(bin.x0, bin.x1),
    };
  });

  const edges = [...new Set([...sorted.map((bin) => bin.x0), hi])];
  const maxXTicks = Math.max(2, options.maxXTicks ?? 8);
  const step = Math.ceil(edges.length / maxXTicks);
  const xTicks = edges
    .filter((_, i) => i % step === 0)
    .map((edge) => ({ position: round(x(edge)), label: formatCompact(edge) }));

  const yTicks = y
    .ticks(options.yTickCount ?? 4)
    .filter(Number.isInteger)
    .map((tick) => ({ position: round(y(tick)), label: formatCompact(tick) }));

  return {
    width,
    height,
    plot,
    bars,
    xTicks,
    yTicks,
    xScale: useLog ? 'log' : 'linear',
    empty: false,
  };
}
