/**
 * Lays out the attribution heat-strip: one row per method, one cell per read history item at
 * the timeline's x for that item ({@link readSlots}), coloured on a diverging scale symmetric
 * around 0 and scaled per row by its own largest |value| (methods differ in units and size;
 * the row's scale is printed beside it). Pure (no DOM): tested in Node.
 */
import type { TimelineItem } from '../../worker/api';
import { roundPixel as round } from './chartFrame';
import {
  divergingColour,
  formatMagnitude,
  formatSigned,
  textOnDiverging,
  wrapText,
} from './palette';
import { readSlots, TIMELINE_WIDTH, timelineColumns } from './timelineLayout';

export interface AttributionRow {
  method: string;
  unit: string;
  /** Attribution per history position. */
  values: Map<number, number>;
}

export interface StripCell {
  method: string;
  itemId: string;
  position: number;
  /** The raw value; null when this row has none for the item (e.g. removed in a what-if). */
  value: number | null;
  x: number;
  y: number;
  width: number;
  height: number;
  fill: string;
  /** "+" or "−" on cells wide enough and strong enough to carry a sign (not colour alone). */
  glyph: string;
  glyphFill: string;
  tooltip: string;
}

export interface StripRowLabel {
  method: string;
  unit: string;
  /** "score ±0.261": the unit and the |value| the row's darkest colour stands for. */
  scale: string;
  y: number;
  maxAbs: number;
}

export interface AttributionStripLayout {
  width: number;
  height: number;
  rowLabels: StripRowLabel[];
  cells: StripCell[];
  /** The colour legend: a ramp from −1 to +1 of the row's own scale. */
  legend: {
    x: number;
    y: number;
    width: number;
    stops: { offset: number; colour: string }[];
    /** How to read the rows, wrapped to the width (baselines 28, 42, … below `y`). */
    note: string[];
  };
  labelX: number;
  description: string;
  empty: boolean;
}

const ROW_HEIGHT = 26;
const TOP = 6;

/** Items with no row value get a neutral cell so the missing value is visible, not absent. */
const MISSING_FILL = '#eef0f4';

/** The largest |value| of a row (0 for an empty or all-zero row). */
function maxAbsOf(values: Map<number, number>): number {
  let m = 0;
  for (const v of values.values()) if (Number.isFinite(v)) m = Math.max(m, Math.abs(v));
  return m;
}

/** The heat-strip of `rows` over the read `items`, in a `width`-wide frame (the timeline's). */
export function attributionStripLayout(
  items: readonly TimelineItem[],
  rows: readonly AttributionRow[],
  width = TIMELINE_WIDTH,
): AttributionStripLayout {
  const columns = timelineColumns(width);
  const read = items.filter((item) => item.read).sort((a, b) => a.position - b.position);
  const slots = readSlots(read, width);
  const cells: StripCell[] = [];
  const rowLabels: StripRowLabel[] = [];
  const strongest: string[] = [];

  rows.forEach((row, r) => {
    const y = TOP + r * ROW_HEIGHT;
    const maxAbs = maxAbsOf(row.values);
    rowLabels.push({
      method: row.method,
      unit: row.unit,
      scale: `${row.unit} ±${formatMagnitude(maxAbs)}`,
      y,
      maxAbs,
    });
    let top: { name: string; value: number } | null = null;
    for (const item of read) {
      const slot = slots.get(item.position);
      if (!slot) continue;
      const raw = row.values.get(item.position);
      const value = raw !== undefined && Number.isFinite(raw) ? raw : null;
      const share = value === null || maxAbs === 0 ? 0 : value / maxAbs;
      const gap = slot.width > 4 ? 1 : 0;
      const name = item.title ?? item.itemId;
      if (value !== null && (top === null || Math.abs(value) > Math.abs(top.value))) {
        top = { name, value };
      }
      cells.push({
        method: row.method,
        itemId: item.itemId,
        position: item.position,
        value,
        x: round(slot.x - slot.width / 2 + gap / 2),
        y,
        width: round(Math.max(0.5, slot.width - gap)),
        height: ROW_HEIGHT - 4,
        fill: value === null ? MISSING_FILL : divergingColour(share),
        glyph:
          value !== null && slot.width >= 8 && Math.abs(share) >= 0.25
            ? value > 0
              ? '+'
              : '−'
            : '',
        glyphFill: textOnDiverging(share),
        tooltip:
          value === null
            ? `${row.method}: no value for ${name} (#${item.position})`
            : `${row.method}: ${formatSigned(value)} ${row.unit} for ${name} (#${item.position})`,
      });
    }
    if (top) strongest.push(`${row.method} ${top.name} (${formatSigned(top.value)})`);
  });

  const legendY = TOP + rows.length * ROW_HEIGHT + 10;
  const note = wrapText(
    'Each row is scaled to its own largest |value| (under the method); grey: no value.',
    columns.right - columns.readLeft - 4,
  );
  const legendWidth = Math.min(160, columns.right - columns.readLeft - 180);
  const stops = [-1, -0.5, 0, 0.5, 1].map((s, k) => ({
    offset: k / 4,
    colour: divergingColour(s),
  }));
  const description = rows.length
    ? `Attributions of ${read.length} read history item${read.length === 1 ? '' : 's'} by ${rows.length} method${rows.length === 1 ? '' : 's'} (${rows.map((r) => r.method).join(', ')}), each row scaled to its own largest |value|; purple pushes the item up, orange pushes it down. Strongest per method: ${strongest.join('; ') || 'none'}.`
    : 'No attributions yet.';
  return {
    width,
    height: legendY + 20 + note.length * 14,
    rowLabels,
    cells,
    legend: { x: columns.readLeft + 4, y: legendY, width: Math.max(80, legendWidth), stops, note },
    labelX: columns.left,
    description,
    empty: rows.length === 0 || read.length === 0,
  };
}
