/**
 * The SVG pieces every chart draws the same way: the accessible frame (`role="img"`, a title
 * and a description), horizontal grid lines with their labels, the x axis with its ticks, and
 * the "no data" note. Each chart's layout function supplies the positions.
 */
import { type ReactNode, useId } from 'react';
import type { AxisTick, PlotArea } from './chartFrame';

interface ChartSvgProps {
  width: number;
  height: number;
  /** The accessible name of the chart. */
  title: string;
  /** A sentence summarising the chart for screen readers. */
  description: string;
  testId?: string;
  children: ReactNode;
}

/** The chart's `<svg>`, scaled through its viewBox, named by its title and described. */
export function ChartSvg({ width, height, title, description, testId, children }: ChartSvgProps) {
  const titleId = useId();
  const descId = useId();
  return (
    <svg
      data-testid={testId}
      role="img"
      aria-labelledby={titleId}
      aria-describedby={descId}
      viewBox={`0 0 ${width} ${height}`}
      className="chart-svg"
    >
      <title id={titleId}>{title}</title>
      <desc id={descId}>{description}</desc>
      {children}
    </svg>
  );
}

interface GridTicksProps {
  ticks: readonly AxisTick[];
  plot: PlotArea;
  /** Prefix of the React keys, unique per axis within a chart. */
  keyPrefix: string;
  /** Gap in pixels between the plot's left edge and the right end of a label. */
  labelGap: number;
}

/** Horizontal grid lines across the plot, labelled on the left (the y axis). */
export function GridTicks({ ticks, plot, keyPrefix, labelGap }: GridTicksProps) {
  return ticks.map((tick) => (
    <g
      key={`${keyPrefix}${tick.label}`}
      className="tick"
      transform={`translate(0,${tick.position})`}
    >
      <line x1={plot.left} x2={plot.right} className="grid" />
      <text x={plot.left - labelGap} dy="0.32em" textAnchor="end">
        {tick.label}
      </text>
    </g>
  ));
}

interface XAxisProps {
  ticks: readonly AxisTick[];
  plot: PlotArea;
  /** Distance in pixels from the axis line down to a tick label's baseline. */
  labelOffset: number;
}

/** The x axis: a line along the bottom of the plot with a tick mark and label per tick. */
export function XAxis({ ticks, plot, labelOffset }: XAxisProps) {
  return (
    <>
      <line className="axis" x1={plot.left} x2={plot.right} y1={plot.bottom} y2={plot.bottom} />
      {ticks.map((tick) => (
        <g key={`x${tick.label}`} className="tick" transform={`translate(${tick.position},0)`}>
          <line y1={plot.bottom} y2={plot.bottom + 4} className="axis" />
          <text y={plot.bottom + labelOffset} textAnchor="middle">
            {tick.label}
          </text>
        </g>
      ))}
    </>
  );
}

/** A note in the middle of the plot when there is nothing to draw, e.g. "no data". */
export function EmptyNote({ plot, children }: { plot: PlotArea; children: ReactNode }) {
  return (
    <text className="chart-empty" x={(plot.left + plot.right) / 2} y={(plot.top + plot.bottom) / 2}>
      {children}
    </text>
  );
}
