/**
 * Colours the explanation charts share: a colour-blind-safe categorical palette (Okabe & Ito)
 * for categories and methods, and a diverging scale (PuOr) for signed attributions. Colour is
 * never the only channel in these charts: every mark also has a text label, a shape or a sign.
 */
import { interpolatePuOr } from 'd3';

/** Okabe & Ito's palette, black left out (it reads as text); yellow last (weakest on white). */
export const CATEGORICAL = [
  '#0072B2',
  '#E69F00',
  '#009E73',
  '#CC79A7',
  '#56B4E9',
  '#D55E00',
  '#F0E442',
] as const;

/** Categories past the palette share this dark grey ("other"). */
export const OTHER_COLOUR = '#505866';
/** Items without a category. */
export const NO_CATEGORY_COLOUR = '#8f99a8';
/** Interactions the model does not read (drawn hollow as well). */
export const UNREAD_COLOUR = '#b4bac4';

/**
 * Colour of a signed share in [-1, 1] on the PuOr scale: positive (pushes the item up) purple,
 * negative orange, zero near white. Values outside [-1, 1] are clamped; NaN is treated as 0.
 */
export function divergingColour(share: number): string {
  const s = Number.isFinite(share) ? Math.max(-1, Math.min(1, share)) : 0;
  return interpolatePuOr(0.5 - 0.5 * s);
}

/** Text on a diverging cell: white on the dark ends of the scale, dark text elsewhere. */
export function textOnDiverging(share: number): string {
  return Math.abs(share) > 0.6 ? '#ffffff' : '#1d2330';
}

/** A signed number with an explicit sign and a real minus: 0.1234 -> "+0.123", -2 -> "−2.00". */
export function formatSigned(value: number, digits = 3): string {
  if (!Number.isFinite(value)) return '–';
  const text = formatMagnitude(Math.abs(value), digits);
  if (Number(text) === 0) return text;
  return `${value < 0 ? '−' : '+'}${text}`;
}

/** A magnitude with `digits` significant digits, no exponent for ordinary sizes. */
export function formatMagnitude(value: number, digits = 3): string {
  if (!Number.isFinite(value)) return '–';
  if (value === 0) return '0';
  const abs = Math.abs(value);
  if (abs >= 1000 || abs < 1e-4) return value.toExponential(digits - 1);
  const decimals = Math.max(0, digits - 1 - Math.floor(Math.log10(abs)));
  return value.toFixed(Math.min(decimals, 6));
}

/** A rough width in pixels of `text` at the charts' 11 px font (for layout without a DOM). */
export function textWidth(text: string, fontSize = 11): number {
  return Math.ceil(text.length * fontSize * 0.56);
}

/** `text` cut to at most `maxWidth` pixels (by {@link textWidth}), with an ellipsis when cut. */
export function truncateText(text: string, maxWidth: number, fontSize = 11): string {
  if (textWidth(text, fontSize) <= maxWidth) return text;
  const chars = Math.max(1, Math.floor(maxWidth / (fontSize * 0.56)) - 1);
  return `${text.slice(0, chars).trimEnd()}…`;
}

/** `text` broken at spaces into lines of at most `maxWidth` pixels (a long word gets cut). */
export function wrapText(text: string, maxWidth: number, fontSize = 11): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const next = line ? `${line} ${word}` : word;
    if (line && textWidth(next, fontSize) > maxWidth) {
      lines.push(line);
      line = truncateText(word, maxWidth, fontSize);
    } else {
      line = textWidth(next, fontSize) > maxWidth ? truncateText(next, maxWidth, fontSize) : next;
    }
  }
  if (line) lines.push(line);
  return lines;
}
