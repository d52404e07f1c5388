/**
 * Restoring a saved ALS model: its `hyper` (rank and, when given, λ, α and implicit) and its
 * weights, each refused with a {@link ModelFileError} naming what does not fit.
 */
import { ModelFileError } from '../models/modelFileError';
import type { WeightArray } from '../models/trained';
import type { HyperParameters } from '../models/types';
import { refuseExtraWeights, requireWeight } from '../models/weightArrays';
import { checkWeightBytes } from '../models/weightPlan';
import { createAlsRecommender } from './als';
import {
  ALS_ITEM_FACTORS,
  ALS_ITEM_GRAM,
  ALS_USER_FACTORS,
  ALS_USER_ROWS,
  type AlsParams,
  type AlsRecommender,
  MAX_ALS_RANK,
} from './alsTypes';

const invalid = (why: string): never => {
  throw new ModelFileError(
    'invalid-metadata',
    `The model file's settings do not describe a valid als model: ${why}`,
  );
};

/** The rank and ALS hyper-parameters of saved `hyper` (refused with a ModelFileError). */
export function alsHyper(hyper: HyperParameters): { rank: number; params: AlsParams | null } {
  const allowed = ['rank', 'implicit', 'lambda', 'alpha'];
  const unknown = Object.keys(hyper).filter((k) => !allowed.includes(k));
  if (unknown.length > 0) invalid(`unknown parameter ${unknown.join(', ')}.`);
  const rank = hyper.rank;
  if (typeof rank !== 'number' || !Number.isInteger(rank) || rank < 1 || rank > MAX_ALS_RANK) {
    invalid(`rank must be an integer in 1..${MAX_ALS_RANK}; got ${String(rank)}.`);
  }
  const given = ['implicit', 'lambda', 'alpha'].filter((k) => hyper[k] !== undefined);
  if (given.length === 0) return { rank: rank as number, params: null };
  if (given.length < 3) {
    invalid(`implicit, lambda and alpha come together; only ${given.join(', ')} given.`);
  }
  const { implicit, lambda, alpha } = hyper;
  if (typeof implicit !== 'boolean')
    invalid(`implicit must be true or false; got ${String(implicit)}.`);
  for (const [name, v] of [
    ['lambda', lambda],
    ['alpha', alpha],
  ] as const) {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
      invalid(`${name} must be a finite number ≥ 0; got ${String(v)}.`);
    }
  }
  return {
    rank: rank as number,
    params: { implicit: implicit as boolean, lambda: lambda as number, alpha: alpha as number },
  };
}

/** Refuses a weight whose data length differs from its shape, or that holds NaN/Infinity. */
function checkData(w: WeightArray, rank: number): void {
  const size = w.shape.reduce((a, b) => a * b, 1);
  if (w.data.length !== size) {
    throw new ModelFileError(
      'shape-mismatch',
      `Weight ${w.name} holds ${w.data.length} values; its shape [${w.shape.join(', ')}] needs ${size}.`,
    );
  }
  if (w.dtype !== 'float32') return;
  for (let v = 0; v < w.data.length; v++) {
    if (!Number.isFinite(w.data[v])) {
      throw new ModelFileError(
        'non-finite-weights',
        `Weight ${w.name} holds ${w.data[v]} in row ${Math.floor(v / rank)}.`,
      );
    }
  }
}

/**
 * Rebuilds an ALS model from {@link AlsRecommender.exportWeights} and its `hyper`, refusing
 * weights that do not fit (a missing, misshapen, non-finite or extra weight, user rows
 * pointing outside the user table) with a {@link ModelFileError} naming the weight.
 */
export function restoreAls(
  numItems: number,
  hyper: HyperParameters,
  weights: readonly WeightArray[],
): AlsRecommender {
  const { rank, params } = alsHyper(hyper);
  checkWeightBytes(weights.reduce((sum, w) => sum + 4 * w.shape.reduce((a, b) => a * b, 1), 0));
  const items = requireWeight(weights, 'als', ALS_ITEM_FACTORS, 'float32', [numItems, rank]);
  checkData(items, rank);
  const names = [ALS_ITEM_FACTORS];
  const hasUsers = weights.some((w) => w.name === ALS_USER_FACTORS);
  const hasRows = weights.some((w) => w.name === ALS_USER_ROWS);
  let userFactors: Float32Array | null = null;
  let userRows: Int32Array | null = null;
  if (hasUsers || hasRows) {
    const declared = weights.find((w) => w.name === ALS_USER_FACTORS)?.shape ?? [];
    if (declared.length !== 2 && hasUsers) {
      throw new ModelFileError(
        'shape-mismatch',
        `Weight ${ALS_USER_FACTORS} has shape [${declared.join(', ')}]; als needs [users, ${rank}].`,
      );
    }
    const users = requireWeight(weights, 'als', ALS_USER_FACTORS, 'float32', [
      declared[0] ?? 0,
      rank,
    ]);
    checkData(users, rank);
    const rows = requireWeight(weights, 'als', ALS_USER_ROWS, 'int32');
    checkData(rows, rank);
    const count = users.shape[0];
    rows.data.forEach((r, u) => {
      if (r < -1 || r >= count) {
        throw new ModelFileError(
          'shape-mismatch',
          `Weight ${ALS_USER_ROWS} gives user ${u} row ${r}, outside -1..${count - 1} of ${ALS_USER_FACTORS}.`,
        );
      }
    });
    userFactors = users.data as Float32Array;
    userRows = rows.data as Int32Array;
    names.push(ALS_USER_FACTORS, ALS_USER_ROWS);
  }
  let gram: Float64Array | null = null;
  if (params?.implicit) {
    const g = requireWeight(weights, 'als', ALS_ITEM_GRAM, 'float32', [rank, rank]);
    checkData(g, rank);
    gram = Float64Array.from(g.data);
    names.push(ALS_ITEM_GRAM);
  }
  refuseExtraWeights(weights, 'als', names);
  return createAlsRecommender({
    itemFactors: items.data as Float32Array,
    numItems,
    rank,
    userFactors,
    userRows,
    params,
    gram,
  });
}
