import { extent, line, max, type ScaleLinear, scaleLinear } from 'd3';
import type { CurvePoint, TrainingCurves } from '../../state/trainingCurves';
import {
  type AxisTick,
  type ChartSize,
  type PlotArea,
  plotArea,
  roundPixel as round,
} from './chartFrame';

export interface TrainingCurveLayoutOptions extends ChartSize {
  /** Epochs planned for the run, so the x axis does not rescale as it advances. */
  epochs?: number;
}

export interface CurveDot {
  x: number;
  y: number;
  epoch: number;
  value: number;
}

export interface TrainingCurveLayout {
  width: number;
  height: number;
  plot: PlotArea;
  /** Training loss per batch (path `d`), empty when there are no batch points. */
  batchLossPath: string;
  /** Mean training loss per epoch: a line through the dots. */
  epochLossPath: string;
  epochLossDots: CurveDot[];
  /** Validation NDCG@10 per epoch, on the right axis. */
  validationPath: string;
  validationDots: CurveDot[];
  xTicks: AxisTick[];
  /** Left axis: loss. */
  lossTicks: AxisTick[];
  /** Right axis: NDCG@10. */
  ndcgTicks: AxisTick[];
  empty: boolean;
}

/** Ticks labelled with just enough decimals to tell them apart (d3's tickFormat precision). */
function valueTicks(scale: ScaleLinear<number, number>): AxisTick[] {
  const format = scale.tickFormat(4);
  return scale.ticks(4).map((t) => ({ position: round(scale(t)), label: format(t) }));
}

/** d3's path string with coordinates rounded to 2 decimals (small, stable in tests). */
function pathOf(points: readonly CurvePoint[], x: (v: number) => number, y: (v: number) => number) {
  if (points.length === 0) return '';
  return (
    line<CurvePoint>()
      .x((p) => round(x(p.x)))
      .y((p) => round(y(p.value)))(points as CurvePoint[]) ?? ''
  );
}

const finite = (points: readonly CurvePoint[]) =>
  points.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.value));

/**
 * Lays out a training curve: loss per batch (thin line) and per epoch (line with dots) on the
 * left axis, validation NDCG@10 per epoch on the right axis, epochs along x. Pure (no DOM), so
 * it is tested in Node; the component renders what it returns. Non-finite points are left out.
 */
export function trainingCurveLayout(
  curves: TrainingCurves,
  options: TrainingCurveLayoutOptions,
): TrainingCurveLayout {
  const { width, height, margin } = options;
  const plot = plotArea(width, height, margin);
  const batchLoss = finite(curves.batchLoss);
  const epochLoss = finite(curves.epochLoss);
  const validation = finite(curves.validation);
  const losses = [...batchLoss, ...epochLoss];
  const empty = losses.length === 0 && validation.length === 0;

  const lastX = max([...losses, ...validation], (p) => p.x) ?? 0;
  const xMax = Math.max(1, options.epochs ?? 0, Math.ceil(lastX));
  const x = scaleLinear().domain([0, xMax]).range([plot.left, plot.right]);

  const [lo, hi] = extent(losses, (p) => p.value);
  const lossDomain: [number, number] =
    lo === undefined || hi === undefined
      ? [0, 1]
      : lo === hi
        ? [lo * 0.9, hi * 1.1 || 1]
        : [lo, hi];
  const yLoss = scaleLinear().domain(lossDomain).nice(4).range([plot.bottom, plot.top]);
  const ndcgMax = max(validation, (p) => p.value) ?? 0;
  const yNdcg = scaleLinear()
    .domain([0, Math.max(0.01, ndcgMax)])
    .nice(4)
    .range([plot.bottom, plot.top]);

  const dots = (points: CurvePoint[], y: (v: number) => number): CurveDot[] =>
    points.map((p) => ({ x: round(x(p.x)), y: round(y(p.value)), epoch: p.x, value: p.value }));

  const xTickValues = x.ticks(Math.min(xMax, 8)).filter(Number.isInteger);
  return {
    width,
    height,
    plot,
    batchLossPath: pathOf(batchLoss, x, yLoss),
    epochLossPath: pathOf(epochLoss, x, yLoss),
    epochLossDots: dots(epochLoss, yLoss),
    validationPath: pathOf(validation, x, yNdcg),
    validationDots: dots(validation, yNdcg),
    xTicks: xTickValues.map((t) => ({ position: round(x(t)), label: String(t) })),
    lossTicks: losses.length ? valueTicks(yLoss) : [],
    ndcgTicks: validation.length ? valueTicks(yNdcg) : [],
    empty,
  };
}
