/**
 * Lays out the evolution of a user's interests: a stacked area of category shares over time
 * windows (each window normalised to 1; d3.stack with stackOffsetNone), the largest series at
 * the bottom and the tail beyond `maxSeries` merged into one "other" series. Windows without
 * (categorised) events are gaps: every series path is split there and the empty column is
 * hatched. Change points are dashed vertical lines at the start of their window with a ▲ above
 * the plot; the drift between consecutive windows (Jensen-Shannon divergence, 0..1 bits) is a
 * thin line in a strip under the time axis; a forecast of the next window is one extra column
 * after the last window, drawn with dashed outlines and labelled "predicted".
 *
 * Pure (no DOM), so it is tested in Node; `EvolutionChart` renders what it returns and hit-tests
 * its brush with {@link windowsInRange}.
 */
import { area, line, stack, stackOffsetNone, stackOrderNone } from 'd3';
import { formatIsoDate } from '../format';
import { type AxisTick, type PlotArea, roundPixel as round } from './chartFrame';
import { legendLayout, type Placed } from './legendLayout';
import { CATEGORICAL, formatMagnitude, OTHER_COLOUR, textWidth, truncateText } from './palette';

export type EvolutionUnit = 'day' | 'week' | 'month' | 'count';

export interface EvolutionWindowInput {
  /** Epoch ms (inclusive); the first event index when windows are by count. */
  start: number;
  /** Epoch ms (exclusive); one past the last event index when windows are by count. */
  end: number;
  events: number;
  /** Share per category (index into `categories`); normalised again here. */
  distribution: readonly number[];
}

export interface EvolutionLayoutInput {
  windows: readonly EvolutionWindowInput[];
  categories: readonly string[];
  unit: EvolutionUnit;
  /** Window indices where the mix changes sharply. */
  changePoints?: readonly number[];
  /** Jensen-Shannon divergence (bits) of each window from the previous non-empty one. */
  drift?: readonly number[];
  /** The next window's predicted distribution (per category), or null. */
  forecast?: readonly number[] | null;
  /** The forecast column's label (default "predicted"). */
  forecastLabel?: string;
  /** Categories with their own series (default 7); the rest merge into "other". */
  maxSeries?: number;
  /** A category's colour (default: the palette in series order). */
  colourOf?: (category: string) => string;
}

export interface EvolutionLayoutOptions {
  width: number;
  /** Height above the legend (areas, time axis, drift strip); the legend's rows come below. */
  height?: number;
}

export interface EvolutionSeries {
  /** Unique: `c:<category>`, or `other` for the merged tail. */
  key: string;
  /** The category name, or "other" for the merged tail. */
  category: string;
  isOther: boolean;
  /** The categories merged into this series (just `category` unless it is "other"). */
  members: string[];
  colour: string;
  /** The stacked area, one closed subpath per run of non-empty windows. */
  path: string;
  /** Sum of its shares over the windows (each non-empty window counts 1). */
  total: number;
  /** `total` over the non-empty windows: its mean share. */
  meanShare: number;
}

export interface EvolutionSegment {
  key: string;
  category: string;
  colour: string;
  share: number;
  /** Pixel y of the segment's bottom (larger) and top (smaller) edge. */
  y0: number;
  y1: number;
}

export interface EvolutionColumn {
  index: number;
  /** Left and right edge of the window's column, and its centre. */
  x0: number;
  x1: number;
  cx: number;
  /** The tick label: "2025-01-06", "2025-01" or "events 1-10". */
  label: string;
  /** Longer label for readouts: "week of 2025-01-06". */
  longLabel: string;
  events: number;
  /** No events, or no categorised events: drawn as a hatched gap. */
  empty: boolean;
  /** Segments bottom first (series order); [] when empty. */
  segments: EvolutionSegment[];
  /** "week of 2025-01-06 · 34 events · Drama 40%, Comedy 31%, other 29%". */
  summary: string;
}

export interface EvolutionTick extends AxisTick {
  anchor: 'start' | 'middle' | 'end';
}

export interface ChangePointMark {
  index: number;
  /** The window's left edge (where the mix changed). */
  x: number;
  y1: number;
  y2: number;
  /** Where the ▲ sits (above the plot). */
  labelY: number;
  title: string;
}

export interface ForecastColumn {
  x0: number;
  x1: number;
  cx: number;
  label: string;
  /** The label's anchor point: centred over the column, or right-aligned at the chart's edge. */
  labelX: number;
  labelY: number;
  labelAnchor: 'middle' | 'end';
  segments: EvolutionSegment[];
  summary: string;
}

export interface DriftStrip {
  top: number;
  bottom: number;
  /** The drift line (split at empty windows); '' when no window has a drift. */
  path: string;
  label: string;
  labelX: number;
  labelY: number;
  title: string;
}

export interface SeriesLabel {
  key: string;
  text: string;
  x: number;
  y: number;
}

export type EvolutionLegendEntry = {
  kind: 'series' | 'gap' | 'forecast' | 'change';
  key: string;
  label: string;
  fullLabel: string;
  colour: string;
};

export interface EvolutionLayout {
  width: number;
  /** Total height, legend included. */
  height: number;
  /** The stacked areas' plot (top: share 1, bottom: share 0). */
  plot: PlotArea;
  /** Series in stacking order: the first at the bottom (largest total first, "other" last). */
  series: EvolutionSeries[];
  columns: EvolutionColumn[];
  /** Hatched columns: windows without categorised events. */
  gaps: { index: number; x0: number; x1: number; reason: string }[];
  xTicks: EvolutionTick[];
  /** Baseline of the x tick labels. */
  xLabelY: number;
  yTicks: AxisTick[];
  changePointMarks: ChangePointMark[];
  forecastColumn: ForecastColumn | null;
  driftStrip: DriftStrip | null;
  labels: SeriesLabel[];
  legend: Placed<EvolutionLegendEntry>[];
  /** The brushable region: the windows' columns over the areas. */
  brushExtent: [[number, number], [number, number]];
  /** A sentence on how gaps and the forecast are drawn, for the chart's description. */
  note: string;
  windowCount: number;
  empty: boolean;
}

export const EVOLUTION_WIDTH = 640;
export const EVOLUTION_HEIGHT = 260;
export const DEFAULT_MAX_SERIES = 7;
const MARGIN = { top: 26, right: 14, left: 46 };
const AXIS_SPACE = 24;
const DRIFT_HEIGHT = 26;
const MIN_LABEL_BAND = 13;

/** "2025-01-06" for day and week windows, "2025-01" for months, "events 1-10" by count. */
export function windowLabel(
  window: Pick<EvolutionWindowInput, 'start' | 'end'>,
  unit: EvolutionUnit,
) {
  if (unit === 'count') {
    const from = Math.round(window.start) + 1;
    const to = Math.max(from, Math.round(window.end));
    return `events ${from}-${to}`;
  }
  if (!Number.isFinite(window.start)) return '?';
  const date = formatIsoDate(window.start);
  return unit === 'month' ? date.slice(0, 7) : date;
}

/** {@link windowLabel} for readouts: "week of 2025-01-06". */
export function windowLongLabel(
  window: Pick<EvolutionWindowInput, 'start' | 'end'>,
  unit: EvolutionUnit,
): string {
  const label = windowLabel(window, unit);
  return unit === 'week' ? `week of ${label}` : label;
}

const percent = (share: number) => `${Math.round(share * 100)}%`;

/** Shares normalised to 1 (non-finite and negative entries count 0); null when they sum to 0. */
function normalise(values: readonly number[] | null | undefined, length: number): number[] | null {
  if (!values) return null;
  const out = new Array<number>(length).fill(0);
  let sum = 0;
  for (let c = 0; c < length; c++) {
    const v = values[c];
    if (Number.isFinite(v) && v > 0) {
      out[c] = v;
      sum += v;
    }
  }
  if (sum <= 0) return null;
  for (let c = 0; c < length; c++) out[c] /= sum;
  return out;
}

interface SeriesSpec {
  key: string;
  category: string;
  isOther: boolean;
  members: number[];
  colour: string;
}

/** Shares of `dist` per series. */
function seriesShares(specs: readonly SeriesSpec[], dist: readonly number[]): number[] {
  return specs.map((spec) => {
    let share = 0;
    for (const c of spec.members) share += dist[c];
    return share;
  });
}

/**
 * The stacked-area layout of `input` (see the module comment). Categories that never occur
 * (in a window or the forecast) get no series.
 */
export function evolutionLayout(
  input: EvolutionLayoutInput,
  options: EvolutionLayoutOptions,
): EvolutionLayout {
  const { width } = options;
  const baseHeight = options.height ?? EVOLUTION_HEIGHT;
  const { windows, categories, unit } = input;
  const n = windows.length;
  const k = categories.length;
  const maxSeries = Math.max(1, Math.floor(input.maxSeries ?? DEFAULT_MAX_SERIES));

  // Per window: the normalised mix, or null for a gap.
  const dists = windows.map((w) => (w.events > 0 ? normalise(w.distribution, k) : null));
  const forecast = normalise(input.forecast ?? null, k);
  const nonEmpty = dists.filter((d) => d !== null).length;

  // Series: categories by total share (then forecast share, then input order).
  const totals = new Array<number>(k).fill(0);
  for (const d of dists) if (d) for (let c = 0; c < k; c++) totals[c] += d[c];
  const ranked = categories
    .map((_, c) => c)
    .filter((c) => totals[c] > 0 || (forecast !== null && forecast[c] > 0))
    .sort((a, b) => totals[b] - totals[a] || (forecast?.[b] ?? 0) - (forecast?.[a] ?? 0) || a - b);
  const named = ranked.slice(0, maxSeries);
  const tail = ranked.slice(maxSeries);
  const specs: SeriesSpec[] = named.map((c, s) => ({
    key: `c:${categories[c]}`,
    category: categories[c],
    isOther: false,
    members: [c],
    colour: input.colourOf?.(categories[c]) ?? CATEGORICAL[s % CATEGORICAL.length],
  }));
  if (tail.length) {
    specs.push({
      key: 'other',
      category: 'other',
      isOther: true,
      members: tail,
      colour: OTHER_COLOUR,
    });
  }
  const keys = specs.map((spec) => spec.key);

  // Vertical frame: areas, the time axis labels, the drift strip.
  const driftValues = input.drift ?? [];
  const hasDrift = n > 0 && driftValues.some((v, i) => i < n && Number.isFinite(v));
  const driftBottom = baseHeight - 6;
  const driftTop = driftBottom - DRIFT_HEIGHT;
  const areaBottom = Math.max(
    MARGIN.top + 20,
    hasDrift ? driftTop - AXIS_SPACE - 6 : baseHeight - AXIS_SPACE - 4,
  );
  const plot: PlotArea = {
    left: MARGIN.left,
    top: MARGIN.top,
    right: Math.max(MARGIN.left, width - MARGIN.right),
    bottom: areaBottom,
  };
  const yOf = (share: number) => round(plot.bottom - share * (plot.bottom - plot.top));

  // Horizontal frame: one column per window, one more for the forecast.
  const slots = n + (forecast ? 1 : 0);
  const step = slots > 0 ? (plot.right - plot.left) / slots : 0;
  const colX0 = (i: number) => round(plot.left + i * step);
  const colX1 = (i: number) => round(plot.left + (i + 1) * step);
  const colCx = (i: number) => round(plot.left + (i + 0.5) * step);

  // d3.stack over the windows (gaps stack zeros, and are not drawn).
  const rows = dists.map((d) => {
    const row: Record<string, number> = {};
    const shares = d ? seriesShares(specs, d) : specs.map(() => 0);
    keys.forEach((key, s) => {
      row[key] = shares[s];
    });
    return row;
  });
  const stacked = stack<Record<string, number>>()
    .keys(keys)
    .order(stackOrderNone)
    .offset(stackOffsetNone)(rows);

  const columns = windows.map((w, i): EvolutionColumn => {
    const d = dists[i];
    const segments: EvolutionSegment[] = d
      ? specs.map((spec, s) => ({
          key: spec.key,
          category: spec.category,
          colour: spec.colour,
          share: stacked[s][i][1] - stacked[s][i][0],
          y0: yOf(stacked[s][i][0]),
          y1: yOf(stacked[s][i][1]),
        }))
      : [];
    const longLabel = windowLongLabel(w, unit);
    const events = `${w.events} event${w.events === 1 ? '' : 's'}`;
    const mix = [...segments]
      .filter((seg) => seg.share > 0)
      .sort((a, b) => b.share - a.share)
      .map((seg) => `${seg.category} ${percent(seg.share)}`)
      .join(', ');
    return {
      index: i,
      x0: colX0(i),
      x1: colX1(i),
      cx: colCx(i),
      label: windowLabel(w, unit),
      longLabel,
      events: w.events,
      empty: d === null,
      segments,
      summary: d
        ? `${longLabel} · ${events} · ${mix}`
        : `${longLabel} · ${w.events > 0 ? `${events}, none with a category` : 'no events'}`,
    };
  });

  // One area per series, split into runs of non-empty windows; each run spans its columns
  // fully (flat over the first and last half column), linear between window centres.
  const runs: [number, number][] = [];
  for (let i = 0; i < n; i++) {
    if (!dists[i]) continue;
    if (runs.length && runs[runs.length - 1][1] === i - 1) runs[runs.length - 1][1] = i;
    else runs.push([i, i]);
  }
  const areaPath = area<[number, number, number]>()
    .x((p) => p[0])
    .y0((p) => p[1])
    .y1((p) => p[2]);
  const series = specs.map((spec, s): EvolutionSeries => {
    const parts = runs.map(([a, b]) => {
      const points: [number, number, number][] = [];
      const at = (i: number, x: number): [number, number, number] => [
        x,
        yOf(stacked[s][i][0]),
        yOf(stacked[s][i][1]),
      ];
      points.push(at(a, colX0(a)));
      for (let i = a; i <= b; i++) points.push(at(i, colCx(i)));
      points.push(at(b, colX1(b)));
      return areaPath(points) ?? '';
    });
    let total = 0;
    for (const c of spec.members) total += totals[c];
    return {
      key: spec.key,
      category: spec.category,
      isOther: spec.isOther,
      members: spec.members.map((c) => categories[c]),
      colour: spec.colour,
      path: parts.join(''),
      total,
      meanShare: nonEmpty ? total / nonEmpty : 0,
    };
  });

  const gaps = columns
    .filter((col) => col.empty)
    .map((col) => ({
      index: col.index,
      x0: col.x0,
      x1: col.x1,
      reason: col.events > 0 ? 'no categorised events' : 'no events',
    }));

  // Time axis: window labels, thinned so they do not overlap; labels near an edge anchored in.
  let widest = 0;
  for (const col of columns) widest = Math.max(widest, textWidth(col.label));
  const every = step > 0 ? Math.max(1, Math.ceil((widest + 10) / step)) : 1;
  const xTicks: EvolutionTick[] = columns
    .filter((col) => col.index % every === 0)
    .map((col) => {
      const half = textWidth(col.label) / 2;
      const anchor: EvolutionTick['anchor'] =
        col.cx - half < 2 ? 'start' : col.cx + half > width - 2 ? 'end' : 'middle';
      return { position: col.cx, label: col.label, anchor };
    });
  const yTicks: AxisTick[] = [0, 0.25, 0.5, 0.75, 1].map((v) => ({
    position: yOf(v),
    label: percent(v),
  }));

  // Change points: at the start of their window (where the mix changed).
  const driftAt = (i: number) => (Number.isFinite(driftValues[i]) ? driftValues[i] : null);
  const changePointMarks: ChangePointMark[] = [];
  const seenChange = new Set<number>();
  for (const index of input.changePoints ?? []) {
    if (!Number.isInteger(index) || index < 0 || index >= n || seenChange.has(index)) continue;
    seenChange.add(index);
    const drift = driftAt(index);
    changePointMarks.push({
      index,
      x: colX0(index),
      y1: plot.top,
      y2: plot.bottom,
      labelY: plot.top - 6,
      title: `change point: ${columns[index].longLabel}${drift === null ? '' : `, drift ${formatMagnitude(drift, 2)} bits`}`,
    });
  }
  changePointMarks.sort((a, b) => a.index - b.index);

  // The forecast: one more column, stacked in series order.
  const forecastLabel = input.forecastLabel ?? 'predicted';
  let forecastColumn: ForecastColumn | null = null;
  if (forecast) {
    const shares = seriesShares(specs, forecast);
    let acc = 0;
    const segments = specs.map((spec, s): EvolutionSegment => {
      const from = acc;
      acc += shares[s];
      return {
        key: spec.key,
        category: spec.category,
        colour: spec.colour,
        share: shares[s],
        y0: yOf(from),
        y1: yOf(acc),
      };
    });
    const mix = [...segments]
      .filter((seg) => seg.share > 0)
      .sort((a, b) => b.share - a.share)
      .map((seg) => `${seg.category} ${percent(seg.share)}`)
      .join(', ');
    const label = truncateText(forecastLabel, Math.max(step, 90));
    const overflows = colCx(n) + textWidth(label) / 2 > width - 2;
    forecastColumn = {
      x0: round(colX0(n) + Math.min(4, step * 0.1)),
      x1: colX1(n),
      cx: colCx(n),
      label,
      labelX: overflows ? round(width - 2) : colCx(n),
      labelY: plot.top - 6,
      labelAnchor: overflows ? 'end' : 'middle',
      segments,
      summary: `${forecastLabel} (next window) · ${mix}`,
    };
  }

  // Drift strip: the divergence of each non-empty window from the previous one.
  let driftStrip: DriftStrip | null = null;
  if (hasDrift) {
    const driftY = (v: number) =>
      round(driftBottom - Math.max(0, Math.min(1, v)) * (driftBottom - driftTop));
    const points = columns.map((col) => {
      const v = driftAt(col.index);
      return { x: col.cx, y: v === null || col.empty ? null : driftY(v) };
    });
    const path =
      line<{ x: number; y: number | null }>()
        .defined((p) => p.y !== null)
        .x((p) => p.x)
        .y((p) => p.y as number)(points) ?? '';
    let peak = 0;
    for (let i = 0; i < n; i++) peak = Math.max(peak, driftAt(i) ?? 0);
    driftStrip = {
      top: driftTop,
      bottom: driftBottom,
      path,
      label: 'drift',
      labelX: plot.left - 6,
      labelY: round((driftTop + driftBottom) / 2 + 4),
      title: `Drift between consecutive windows (Jensen-Shannon divergence, 0 to 1 bit); largest ${formatMagnitude(peak, 2)}`,
    };
  }

  const labels = seriesLabels(series, columns, plot, step, colX1(n - 1));

  const entries: EvolutionLegendEntry[] = series.map((s) => {
    const fullLabel = s.isOther
      ? `other (${s.members.length} categor${s.members.length === 1 ? 'y' : 'ies'})`
      : s.category;
    return {
      kind: 'series',
      key: s.key,
      label: truncateText(fullLabel, 130),
      fullLabel,
      colour: s.colour,
    };
  });
  if (gaps.length) {
    entries.push({
      kind: 'gap',
      key: 'gap',
      label: 'no events',
      fullLabel: 'no events',
      colour: '#b4bac4',
    });
  }
  if (changePointMarks.length) {
    entries.push({
      kind: 'change',
      key: 'change',
      label: 'change point',
      fullLabel: 'change point',
      colour: '#1d2330',
    });
  }
  if (forecastColumn) {
    const label = truncateText(`${forecastLabel} (dashed)`, 160);
    entries.push({ kind: 'forecast', key: 'forecast', label, fullLabel: label, colour: '#1d2330' });
  }
  const legend = legendLayout(entries, {
    left: plot.left,
    right: plot.right,
    top: baseHeight + 14,
  });

  const notes: string[] = [];
  if (gaps.length) {
    notes.push(
      `${gaps.length} window${gaps.length === 1 ? '' : 's'} without categorised events ${gaps.length === 1 ? 'is' : 'are'} left as ${gaps.length === 1 ? 'a hatched gap' : 'hatched gaps'}.`,
    );
  }
  if (forecastColumn) {
    notes.push(`The last column, dashed, is the ${forecastLabel} mix of the next window.`);
  }

  return {
    width,
    height: Math.ceil(Math.max(baseHeight, legend.bottom) + 8),
    plot,
    series,
    columns,
    gaps,
    xTicks,
    xLabelY: plot.bottom + 15,
    yTicks,
    changePointMarks,
    forecastColumn,
    driftStrip,
    labels,
    legend: legend.entries,
    brushExtent: [
      [plot.left, plot.top],
      [n > 0 ? colX1(n - 1) : plot.left, plot.bottom],
    ],
    note: notes.join(' '),
    windowCount: n,
    empty: nonEmpty === 0,
  };
}

/**
 * Direct labels on the areas: each series' name where its band is thick enough for the text
 * over every column the text spans (and clear of labels already placed); a series with no such
 * place goes unlabelled (the legend and the readout still name it).
 */
function seriesLabels(
  series: readonly EvolutionSeries[],
  columns: readonly EvolutionColumn[],
  plot: PlotArea,
  step: number,
  right: number,
): SeriesLabel[] {
  const placed: { x0: number; x1: number; y0: number; y1: number }[] = [];
  const labels: SeriesLabel[] = [];
  series.forEach((s, si) => {
    const band = (col: EvolutionColumn) =>
      col.empty ? null : { bottom: col.segments[si].y0, top: col.segments[si].y1 };
    const candidates = columns
      .filter((col) => !col.empty)
      .map((col) => ({ col, thickness: col.segments[si].y0 - col.segments[si].y1 }))
      .filter((c) => c.thickness >= MIN_LABEL_BAND)
      .sort((a, b) => b.thickness - a.thickness || a.col.index - b.col.index)
      .slice(0, 6);
    for (const { col } of candidates) {
      const own = band(col);
      if (!own) continue;
      const text = truncateText(
        s.isOther ? 'other' : s.category,
        Math.min(140, (right - plot.left) / 3),
      );
      if (text.length < 4 && text.endsWith('…')) continue;
      const w = textWidth(text);
      const x0 = Math.max(plot.left + 2, Math.min(col.cx - w / 2, right - 2 - w));
      const x1 = x0 + w;
      if (x1 > right - 1) continue;
      const mid = (own.bottom + own.top) / 2;
      const box = { x0, x1, y0: mid - 6, y1: mid + 6 };
      const fits = columns
        .filter((c) => c.x1 > x0 && c.x0 < x1)
        .every((c) => {
          const b = band(c);
          return b !== null && b.top + 1 <= box.y0 && b.bottom - 1 >= box.y1;
        });
      if (!fits || step <= 0) continue;
      if (placed.some((p) => p.x0 < box.x1 && box.x0 < p.x1 && p.y0 < box.y1 && box.y0 < p.y1)) {
        continue;
      }
      placed.push(box);
      labels.push({ key: s.key, text, x: round(x0), y: round(mid + 4) });
      break;
    }
  });
  return labels;
}

/**
 * The windows a horizontal pixel range `[x0, x1]` (in any order) overlaps, as `[from, to]`
 * window indices, or null when it overlaps none (the forecast column is not a window).
 */
export function windowsInRange(
  layout: Pick<EvolutionLayout, 'columns'>,
  range: readonly [number, number],
): [number, number] | null {
  const lo = Math.min(range[0], range[1]);
  const hi = Math.max(range[0], range[1]);
  let from = -1;
  let to = -1;
  for (const col of layout.columns) {
    const overlaps = hi > lo ? col.x1 > lo && col.x0 < hi : lo >= col.x0 && lo < col.x1;
    if (!overlaps) continue;
    if (from < 0) from = col.index;
    to = col.index;
  }
  return from < 0 ? null : [from, to];
}

/** The window under pixel `x`, `'forecast'` over the forecast column, else null. */
export function windowAt(
  layout: Pick<EvolutionLayout, 'columns' | 'forecastColumn'>,
  x: number,
): number | 'forecast' | null {
  for (const col of layout.columns) if (x >= col.x0 && x < col.x1) return col.index;
  const f = layout.forecastColumn;
  if (f && x >= f.x0 && x <= f.x1) return 'forecast';
  return null;
}
