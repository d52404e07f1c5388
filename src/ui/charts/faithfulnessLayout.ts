/**
 * Lays out the faithfulness curves (LXR-style): deletion (remove the most important read items
 * first: a faithful order makes the target fall fast, a low area) and insertion (keep only the
 * most important: a high area) side by side, one line per method against the random order
 * (grey, dashed). Each method also has its own marker shape, so lines are told apart without
 * colour. Pure: tested in Node.
 */
import { extent, line, scaleLinear, symbol, symbolsFill } from 'd3';
import type { FaithfulnessCurves } from '../../core/explain/types';
import { type AxisTick, type PlotArea, roundPixel as round } from './chartFrame';
import { legendLayout, type Placed } from './legendLayout';
import { CATEGORICAL, formatMagnitude } from './palette';

export type FaithfulnessInput = Partial<Record<string, FaithfulnessCurves>>;

export interface FaithfulnessSeries {
  method: string;
  colour: string;
  /** SVG stroke-dasharray; '' for solid. */
  dash: string;
  /** Marker path (centred on 0,0), drawn at each point. */
  marker: string;
  deletionPath: string;
  insertionPath: string;
  deletionPoints: { x: number; y: number; fraction: number; value: number }[];
  insertionPoints: { x: number; y: number; fraction: number; value: number }[];
  deletionAuc: number;
  insertionAuc: number;
}

export interface FaithfulnessPanel {
  kind: 'deletion' | 'insertion';
  title: string;
  xLabel: string;
  plot: PlotArea;
  xTicks: AxisTick[];
}

export interface PosRow {
  method: string;
  deletion: Record<string, number>;
  insertion: Record<string, number>;
}

export interface FaithfulnessLayout {
  width: number;
  height: number;
  panels: FaithfulnessPanel[];
  yTicks: AxisTick[];
  series: FaithfulnessSeries[];
  legend: Placed<{ label: string; series: FaithfulnessSeries }>[];
  posRows: PosRow[];
  /** The K of POS@K, in order (5, 10, 20). */
  posK: string[];
  description: string;
  empty: boolean;
}

const SYMBOLS = symbolsFill;
const PANEL_HEIGHT = 150;

/** Methods to draw: the given ones that have curves (default: all), random last. */
export function faithfulnessMethods(
  input: FaithfulnessInput,
  methods?: readonly string[],
): string[] {
  const names = (methods ?? Object.keys(input)).filter((m) => m !== 'random' && input[m]);
  return input.random ? [...names, 'random'] : names;
}

/** Both panels, every series, the AUC legend and the POS@K rows of `input`. */
export function faithfulnessLayout(
  input: FaithfulnessInput,
  options: { width: number; methods?: readonly string[] },
): FaithfulnessLayout {
  const { width } = options;
  const methods = faithfulnessMethods(input, options.methods);
  const curves = methods.map((m) => [m, input[m] as FaithfulnessCurves] as const);
  const gap = 44;
  const left = 48;
  const panelWidth = (width - left - gap - 12) / 2;
  const top = 24;
  const bottom = top + PANEL_HEIGHT;
  const plots: PlotArea[] = [0, 1].map((k) => ({
    left: round(left + k * (panelWidth + gap)),
    right: round(left + k * (panelWidth + gap) + panelWidth),
    top,
    bottom,
  }));
  const values = curves.flatMap(([, c]) => [...c.deletion, ...c.insertion]).filter(Number.isFinite);
  const [lo = 0, hi = 1] = extent(values);
  const y = scaleLinear()
    .domain(lo === hi ? [lo - 1, hi + 1] : [lo, hi])
    .nice(4)
    .range([bottom, top]);
  const yFormat = y.tickFormat(4);
  const yTicks = y.ticks(4).map((t) => ({ position: round(y(t)), label: yFormat(t) }));

  const xScales = plots.map((p) => scaleLinear().domain([0, 1]).range([p.left, p.right]));
  const points = (values: number[], fractions: number[], k: number) =>
    fractions
      .map((fraction, i) => ({ fraction, value: values[i] }))
      .filter((p) => Number.isFinite(p.value) && Number.isFinite(p.fraction))
      .map((p) => ({ ...p, x: round(xScales[k](p.fraction)), y: round(y(p.value)) }));
  const path = (pts: { x: number; y: number }[]) =>
    pts.length
      ? (line<{ x: number; y: number }>()
          .x((p) => p.x)
          .y((p) => p.y)(pts) ?? '')
      : '';

  let colourIndex = 0;
  const series = curves.map(([method, c]): FaithfulnessSeries => {
    const random = method === 'random';
    const k = random ? 0 : colourIndex++;
    const deletionPoints = points(c.deletion, c.fractions, 0);
    const insertionPoints = points(c.insertion, c.fractions, 1);
    return {
      method,
      colour: random ? '#6b7280' : CATEGORICAL[k % CATEGORICAL.length],
      dash: random ? '5 4' : '',
      marker: random ? '' : (symbol(SYMBOLS[k % SYMBOLS.length], 28)() ?? ''),
      deletionPath: path(deletionPoints),
      insertionPath: path(insertionPoints),
      deletionPoints,
      insertionPoints,
      deletionAuc: c.deletionAuc,
      insertionAuc: c.insertionAuc,
    };
  });

  const xTicksOf = (k: number) =>
    [0, 0.5, 1].map((f) => ({ position: round(xScales[k](f)), label: `${f * 100}%` }));
  const panels: FaithfulnessPanel[] = [
    {
      kind: 'deletion',
      title: 'Deletion (lower area = more faithful)',
      xLabel: 'share of read items removed, most important first',
      plot: plots[0],
      xTicks: xTicksOf(0),
    },
    {
      kind: 'insertion',
      title: 'Insertion (higher area = more faithful)',
      xLabel: 'share kept, most important first',
      plot: plots[1],
      xTicks: xTicksOf(1),
    },
  ];
  const legend = legendLayout(
    series.map((s) => ({
      label: `${s.method}: deletion AUC ${formatMagnitude(s.deletionAuc)}, insertion AUC ${formatMagnitude(s.insertionAuc)}`,
      series: s,
    })),
    { left: 8, right: width - 8, top: bottom + 44, swatch: 30, rowHeight: 16 },
  );
  const posK = curves.length ? Object.keys(curves[0][1].posAtK.deletion) : [];
  const posRows = curves.map(([method, c]) => ({
    method,
    deletion: c.posAtK.deletion,
    insertion: c.posAtK.insertion,
  }));
  const random = input.random;
  const description = curves.length
    ? `Faithfulness of ${methods.length - (random ? 1 : 0)} method order${methods.length - (random ? 1 : 0) === 1 ? '' : 's'} against random: ${series
        .map(
          (s) =>
            `${s.method} deletion AUC ${formatMagnitude(s.deletionAuc)}, insertion AUC ${formatMagnitude(s.insertionAuc)}`,
        )
        .join(
          '; ',
        )}. Lower deletion and higher insertion areas than random mean a more faithful order.`
    : 'No faithfulness curves.';
  return {
    width,
    height: Math.ceil(curves.length ? legend.bottom + 6 : bottom + 40),
    panels,
    yTicks,
    series,
    legend: legend.entries,
    posRows,
    posK,
    description,
    empty: curves.length === 0,
  };
}
