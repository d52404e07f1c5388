/**
 * Lays out an interval chart (a forest plot): one horizontal row per model with its label on
 * the left, a line from the interval's low to its high end with end caps, a dot at the value,
 * and the value printed as "0.0451 [0.0337, 0.0577]" on the right (or below the row when the
 * chart is too narrow for a value column). Rows are told apart by their labels, never by
 * colour alone. Pure (no DOM), so it is tested in Node.
 */
import { scaleLinear } from 'd3';
import { type AxisTick, type PlotArea, roundPixel as round } from './chartFrame';
import { formatMagnitude, textWidth, truncateText } from './palette';

export interface IntervalInput {
  key: string;
  label: string;
  colour: string;
  value: number;
  lo: number;
  hi: number;
}

export interface IntervalLayoutOptions {
  width: number;
  /** Pixels of the label column at the left (labels are cut to it). */
  labelWidth?: number;
  /** Narrowest plot, in pixels, that still leaves the value text at the right of the rows. */
  minPlotWidth?: number;
}

export interface IntervalRow {
  key: string;
  /** The label cut to the label column (the full one is `fullLabel`). */
  label: string;
  fullLabel: string;
  colour: string;
  value: number;
  lo: number;
  hi: number;
  /** A finite value: the row has a dot. */
  hasData: boolean;
  /** Finite low and high ends as well: the row has a line with end caps. */
  hasInterval: boolean;
  /** Vertical centre of the row (the line, the dot and the caps sit on it). */
  y: number;
  /** Label baseline. */
  labelY: number;
  /** The dot's x (the plot's left edge when there is no data). */
  cx: number;
  loX: number;
  hiX: number;
  /** "0.0451 [0.0337, 0.0577]", "0.0451" without an interval, "no data" without a value. */
  valueText: string;
  textX: number;
  textY: number;
  textAnchor: 'start' | 'end';
}

export interface IntervalLayout {
  width: number;
  height: number;
  /** The plot area: rows span its height, the x axis is its bottom edge. */
  plot: PlotArea;
  rows: IntervalRow[];
  xTicks: AxisTick[];
  /** The x of value 0 when the axis spans negative values (draw a reference line), else null. */
  zeroX: number | null;
  /** The value texts sit under the rows (the chart is too narrow for a value column). */
  valueBelow: boolean;
  /** Baseline of the metric label under the axis. */
  axisLabelY: number;
  empty: boolean;
}

const PAD = 8;
const TOP = 8;
const ROW = 24;
const ROW_WITH_TEXT_BELOW = 36;
const AXIS_SPACE = 40;

/** Three significant digits, negatives with a real minus (as on the axis). */
const num = (v: number) => formatMagnitude(v).replace('-', '−');

/** "0.0451 [0.0337, 0.0577]"; the interval is left out when either end is not finite. */
export function intervalText(value: number, lo: number, hi: number): string {
  if (!Number.isFinite(value)) return 'no data';
  const text = num(value);
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return text;
  return `${text} [${num(Math.min(lo, hi))}, ${num(Math.max(lo, hi))}]`;
}

/**
 * Rows for `rows` in the given order on one shared linear x axis from min(0, lowest end) to
 * the highest end (niced). A row with a non-finite value is drawn with "no data" text.
 */
export function intervalLayout(
  rows: readonly IntervalInput[],
  options: IntervalLayoutOptions,
): IntervalLayout {
  const { width, labelWidth = 120, minPlotWidth = 160 } = options;
  const texts = rows.map((row) => intervalText(row.value, row.lo, row.hi));
  let valueWidth = 0;
  for (const text of texts) valueWidth = Math.max(valueWidth, textWidth(text));
  const left = PAD + labelWidth + PAD;
  const rightWithColumn = width - PAD - valueWidth - PAD;
  const valueBelow = rows.length > 0 && rightWithColumn - left < minPlotWidth;
  const right = Math.max(
    left + 1,
    valueBelow || rows.length === 0 ? width - PAD * 2 : rightWithColumn,
  );
  const rowHeight = valueBelow ? ROW_WITH_TEXT_BELOW : ROW;
  const bottom = TOP + Math.max(1, rows.length) * rowHeight + 4;
  const plot: PlotArea = { left, top: TOP, right: round(right), bottom };

  let lo = 0;
  let hi = 0;
  for (const row of rows) {
    for (const v of [row.value, row.lo, row.hi]) {
      if (Number.isFinite(row.value) && Number.isFinite(v)) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    }
  }
  const x = scaleLinear()
    .domain(lo === hi ? [0, 1] : [lo, hi])
    .nice(5)
    .range([plot.left, plot.right]);
  const xFormat = x.tickFormat(5);
  const [domainLo] = x.domain();

  const laidOut = rows.map((row, k): IntervalRow => {
    const centre = TOP + k * rowHeight + ROW / 2;
    const hasData = Number.isFinite(row.value);
    const hasInterval = hasData && Number.isFinite(row.lo) && Number.isFinite(row.hi);
    const cx = hasData ? round(x(row.value)) : plot.left;
    const loX = hasInterval ? round(x(Math.min(row.lo, row.hi))) : cx;
    const hiX = hasInterval ? round(x(Math.max(row.lo, row.hi))) : cx;
    const text = {
      textX: !hasData ? plot.left + 4 : valueBelow ? plot.left : width - PAD,
      textY: !hasData ? centre + 4 : valueBelow ? centre + 18 : centre + 4,
      textAnchor: !hasData || valueBelow ? ('start' as const) : ('end' as const),
    };
    return {
      key: row.key,
      label: truncateText(row.label, labelWidth),
      fullLabel: row.label,
      colour: row.colour,
      value: row.value,
      lo: row.lo,
      hi: row.hi,
      hasData,
      hasInterval,
      y: centre,
      labelY: centre + 4,
      cx,
      loX,
      hiX,
      valueText: texts[k],
      ...text,
    };
  });

  const empty = rows.length === 0;
  return {
    width,
    height: bottom + AXIS_SPACE,
    plot,
    rows: laidOut,
    xTicks: empty
      ? []
      : x.ticks(5).map((tick) => ({ position: round(x(tick)), label: xFormat(tick) })),
    zeroX: !empty && domainLo < 0 ? round(x(0)) : null,
    valueBelow,
    axisLabelY: bottom + 32,
    empty,
  };
}
