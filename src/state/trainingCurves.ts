/**
 * The points of a training curve as the store keeps them: plain numbers, capped so a long run
 * never grows the store (or the SVG) without bound. x is in epochs: batch b of B in epoch e
 * sits at `e - 1 + b / B`, the end of epoch e at `e`.
 */
import type { TrainingRecord } from '../core/models/trained';

export interface CurvePoint {
  x: number;
  value: number;
  /** How many batches the point stands for after merging (absent = 1). */
  weight?: number;
}

/** The three series a training card draws. */
export interface TrainingCurves {
  /** Training loss of each batch (possibly merged pairwise to stay under the cap). */
  batchLoss: CurvePoint[];
  /** Mean training loss of each epoch. */
  epochLoss: CurvePoint[];
  /** Validation NDCG@10 after each epoch. */
  validation: CurvePoint[];
}

/** Most batch points kept; beyond it neighbours are merged (the curve keeps its shape). */
export const MAX_BATCH_POINTS = 600;

export const emptyCurves = (): TrainingCurves => ({ batchLoss: [], epochLoss: [], validation: [] });

/** Weighted mean of two points (x and loss averaged by the batches each stands for). */
function mergePoints(a: CurvePoint, b: CurvePoint): CurvePoint {
  const wa = a.weight ?? 1;
  const wb = b.weight ?? 1;
  const weight = wa + wb;
  return {
    x: (a.x * wa + b.x * wb) / weight,
    value: (a.value * wa + b.value * wb) / weight,
    weight,
  };
}

/**
 * Appends a batch point keeping at most `max` points, each standing for the same number of
 * batches (the stride): a new batch joins the last point until that point holds a full
 * stride; at the cap, neighbouring pairs merge and the stride doubles. Memory stays bounded,
 * the whole run stays visible, and every point is the true mean of the batches it covers.
 * Returns a new array.
 */
export function appendBatchPoint(
  points: readonly CurvePoint[],
  point: CurvePoint,
  max = MAX_BATCH_POINTS,
): CurvePoint[] {
  const stride = points[0]?.weight ?? 1;
  const last = points[points.length - 1];
  if (last && (last.weight ?? 1) < stride) {
    return [...points.slice(0, -1), mergePoints(last, point)];
  }
  const next = [...points, point];
  if (next.length <= max) return next;
  const merged: CurvePoint[] = [];
  for (let i = 0; i + 1 < next.length; i += 2) merged.push(mergePoints(next[i], next[i + 1]));
  if (next.length % 2 === 1) merged.push(next[next.length - 1]);
  return merged;
}

/** Epoch curves of a finished (or loaded) model from its record; batch points from the run. */
export function curvesFromRecord(
  record: TrainingRecord,
  batchLoss: CurvePoint[] = [],
): TrainingCurves {
  return {
    batchLoss,
    epochLoss: record.lossCurve.map((value, i) => ({ x: i + 1, value })),
    validation: record.validationCurve.map((value, i) => ({ x: i + 1, value })),
  };
}
