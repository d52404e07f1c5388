/**
 * What every chart layout shares: the margins around the plot, the plot area they leave, axis
 * ticks, and pixel rounding. Pure (no DOM), so layouts built on it are tested in Node.
 */

export interface ChartMargin {
  top: number;
  right: number;
  bottom: number;
  left: number;
}

/** A chart's size in pixels (its SVG viewBox) and the margins around its plot area. */
export interface ChartSize {
  width: number;
  height: number;
  margin: ChartMargin;
}

/** The plot area inside the margins, in pixels. */
export interface PlotArea {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

export interface AxisTick {
  /** Pixel position along the axis. */
  position: number;
  label: string;
}

/** Rounds to 2 decimals so layouts compare exactly in tests and SVGs stay small. */
export function roundPixel(n: number): number {
  return Math.round(n * 100) / 100;
}

/**
 * The plot area of a `width` x `height` chart inside `margin`; it never turns inside out when
 * the margins are wider or taller than the chart (it collapses to a line instead).
 */
export function plotArea(width: number, height: number, margin: ChartMargin): PlotArea {
  return {
    left: margin.left,
    top: margin.top,
    right: Math.max(margin.left, width - margin.right),
    bottom: Math.max(margin.top, height - margin.bottom),
  };
}
