/**
 * Lays out a list of signed horizontal bars: a label column (with an optional second line of
 * detail), bars from a shared zero line (right for positive, left for negative), and the value
 * printed with its sign at the end of each row, so the sign never rests on colour alone.
 * Shared by the ranked attribution bars and the roll-up bars. Pure: tested in Node.
 */
import { max, min, scaleLinear } from 'd3';
import { roundPixel as round } from './chartFrame';
import { divergingColour, formatSigned, truncateText } from './palette';

export interface SignedBarInput {
  key: string;
  label: string;
  /** A second, smaller line under the label (categories, position, item count). */
  detail?: string;
  value: number;
}

export interface SignedBar {
  key: string;
  /** The label cut to the label column (the full one is `fullLabel`). */
  label: string;
  fullLabel: string;
  detail: string;
  value: number;
  valueText: string;
  /** Label baseline. */
  y: number;
  barX: number;
  barY: number;
  barWidth: number;
  barHeight: number;
  fill: string;
}

export interface SignedBarsOptions {
  width: number;
  /** Pixels of the label column. */
  labelWidth: number;
  /** Pixels kept for the value text at the right. */
  valueWidth?: number;
  top?: number;
}

export interface SignedBarsLayout {
  width: number;
  height: number;
  bars: SignedBar[];
  zeroX: number;
  /** Top and bottom of the zero line. */
  y1: number;
  y2: number;
  valueX: number;
  empty: boolean;
}

const POSITIVE = divergingColour(0.8);
const NEGATIVE = divergingColour(-0.8);

/** Bars for `rows` in the given order. Non-finite values draw no bar and print "–". */
export function signedBarsLayout(
  rows: readonly SignedBarInput[],
  options: SignedBarsOptions,
): SignedBarsLayout {
  const { width, labelWidth, valueWidth = 64, top = 6 } = options;
  const hasDetail = rows.some((row) => row.detail);
  const rowHeight = hasDetail ? 32 : 20;
  const barLeft = 8 + labelWidth + 8;
  const barRight = Math.max(barLeft + 20, width - valueWidth - 8);
  const finite = rows.map((row) => (Number.isFinite(row.value) ? row.value : 0));
  const lo = Math.min(0, min(finite) ?? 0);
  const hi = Math.max(0, max(finite) ?? 0);
  const x = scaleLinear()
    .domain(lo === hi ? [0, 1] : [lo, hi])
    .range([barLeft, barRight]);
  const zeroX = round(x(0));
  const bars = rows.map((row, k): SignedBar => {
    const y = top + k * rowHeight;
    const value = Number.isFinite(row.value) ? row.value : 0;
    const end = x(value);
    return {
      key: row.key,
      label: truncateText(row.label, labelWidth),
      fullLabel: row.label,
      detail: truncateText(row.detail ?? '', labelWidth, 9),
      value: row.value,
      valueText: formatSigned(row.value),
      y: y + 12,
      barX: round(Math.min(zeroX, end)),
      barY: y + 4,
      barWidth: round(Math.abs(end - zeroX)),
      barHeight: 10,
      fill: value < 0 ? NEGATIVE : POSITIVE,
    };
  });
  const bottom = top + rows.length * rowHeight;
  return {
    width,
    height: Math.max(bottom, top + 20) + 6,
    bars,
    zeroX,
    y1: top,
    y2: Math.max(bottom, top + 20),
    valueX: width - 8,
    empty: rows.length === 0,
  };
}
