/**
 * Places legend entries (a swatch and a label each) in rows that wrap within a width, the way
 * text flows. Pure: label widths are estimated from their length, so tests need no DOM.
 */
import { roundPixel as round } from './chartFrame';
import { textWidth } from './palette';

export interface LegendOptions {
  left: number;
  right: number;
  /** Baseline of the first row's labels. */
  top: number;
  rowHeight?: number;
  /** Room for the swatch before each label. */
  swatch?: number;
  /** Space after each entry. */
  gap?: number;
}

export type Placed<T> = T & {
  /** Left edge of the swatch; the label starts `swatch` pixels right of it. */
  x: number;
  /** Baseline of the label (centre the swatch on `y - 4`). */
  y: number;
};

/** Entries placed left to right, wrapping to a new row when the next one would overflow. */
export function legendLayout<T extends { label: string }>(
  entries: readonly T[],
  options: LegendOptions,
): { entries: Placed<T>[]; bottom: number } {
  const { left, right, top, rowHeight = 16, swatch = 14, gap = 14 } = options;
  let x = left;
  let y = top;
  const placed = entries.map((entry) => {
    const width = swatch + textWidth(entry.label) + gap;
    if (x > left && x + width - gap > right) {
      x = left;
      y += rowHeight;
    }
    const at = { ...entry, x: round(x), y: round(y) };
    x += width;
    return at;
  });
  return { entries: placed, bottom: entries.length ? y + rowHeight / 2 : top - rowHeight };
}
