/**
 * `als`: a matrix-factorisation model trained by Spark MLlib's ALS (or anything writing the
 * same factor tables), imported as a {@link TrainedRecommender}. The score of item j for user u
 * is y_jᵀ x_u, where y_j is j's row of the item table.
 *
 * **With the ALS hyper-parameters** (implicit or explicit, λ = regParam, α) the user vector is
 * folded in from the history exactly as Spark's `ALS.computeFactors` solves a user given the
 * item factors, so a training user's history gives back the user factor Spark stored (up to
 * float32 rounding), and any other history (a new user, a what-if edit, an occlusion) gets the
 * vector Spark would give it:
 *
 *   implicit: A = YᵀY + Σ_i c_i y_i y_iᵀ + λ n I,   b = Σ_i (1 + c_i) y_i,   c_i = α r_i
 *   explicit: A = Σ_i y_i y_iᵀ + λ n I,             b = Σ_i r_i y_i
 *
 * over the distinct items i of the history that the table knows; n is their number (Spark
 * scales λ by the user's number of ratings, after the ALS-WR paper), r_i is how often i occurs
 * in the history (one interaction is a rating of 1; repeats add up, as the usual
 * `groupBy(user, item).count()` before `ALS.fit` makes them). YᵀY runs over every row of the
 * item table Spark solved with, including items the loaded data lacks (pass `gram`). A is
 * solved by Cholesky in float64; the non-negative (NNLS) variant of Spark is not reproduced.
 *
 * The score is then linear in b: with W = A⁻¹, score(j) = Σ_i w_i · y_jᵀ W y_i, w_i the weight
 * of y_i in b. Item i's term is its **exact contribution** (Hu, Koren and Volinsky 2008,
 * section 5: the prediction as a weighted sum over the user's past actions); the terms sum to
 * the score. YᵀY (implicit) sits in A only, so it shapes W but is no one's contribution. The
 * contribution is the drop of the score when i is removed *with W held fixed*; removing i and
 * folding in again also changes W (i's c_i y_i y_iᵀ and one λ leave A), so true re-fold-in
 * occlusion differs from it, mostly in magnitude (see als.test.ts for the measured agreement).
 *
 * **Without them** only the stored user factors score: x_u is the factor row of dataset user u
 * (`userRows`). The score does not depend on the history (`historyIndependent`); a user the
 * table lacks, and user -1 (a history with no known user: what-if edits, explanations), get
 * -Infinity for every item, and {@link TrainedRecommender.scorePairs} (which has histories, not
 * users) refuses. What remains to explain a recommendation then is the neighbourhood view:
 * {@link itemNeighbourContributions}, the cosine of each history item's factors with the item's.
 *
 * Items the item table lacks have a zero row and score -Infinity (never recommended); as
 * history items they are skipped by the fold-in (Spark never saw them) and contribute 0. A
 * zero row is how "unknown" is stored, so a saved model needs no extra mask.
 *
 * Scoring all items is one float32 product of the batch's user vectors with the item table,
 * tiled so a block of item rows stays in cache; nothing is allocated per item.
 */
import type { HistoryBatch, Scorer } from '../models/baseline-types';
import type { WeightArray } from '../models/trained';
import type { HyperParameters } from '../models/types';
import { choleskySolve, dot, FoldIn, gramOf } from './alsAlgebra';
import {
  ALS_ITEM_FACTORS,
  ALS_ITEM_GRAM,
  ALS_USER_FACTORS,
  ALS_USER_ROWS,
  type AlsInput,
  type AlsParams,
  type AlsRecommender,
  MAX_ALS_RANK,
} from './alsTypes';

// ---------------------------------------------------------------------------------------------
// The recommender

function checkInput(input: AlsInput): void {
  const { numItems, rank, itemFactors, userFactors, userRows, params } = input;
  if (!Number.isInteger(numItems) || numItems < 0) {
    throw new RangeError(`numItems must be a non-negative integer; got ${numItems}.`);
  }
  if (!Number.isInteger(rank) || rank < 1 || rank > MAX_ALS_RANK) {
    throw new RangeError(`The ALS rank must be an integer in 1..${MAX_ALS_RANK}; got ${rank}.`);
  }
  if (itemFactors.length !== numItems * rank) {
    throw new RangeError(
      `itemFactors holds ${itemFactors.length} values; ${numItems} items × rank ${rank} need ${numItems * rank}.`,
    );
  }
  if (userFactors && userFactors.length % rank !== 0) {
    throw new RangeError(
      `userFactors holds ${userFactors.length} values, not a multiple of rank ${rank}.`,
    );
  }
  if ((userFactors == null) !== (userRows == null)) {
    throw new RangeError('userFactors and userRows come together (or not at all).');
  }
  if (userFactors && userRows) {
    const users = userFactors.length / rank;
    for (let u = 0; u < userRows.length; u++) {
      if (userRows[u] < -1 || userRows[u] >= users) {
        throw new RangeError(`userRows[${u}] is ${userRows[u]}, outside -1..${users - 1}.`);
      }
    }
  }
  if (params) {
    if (!(Number.isFinite(params.lambda) && params.lambda >= 0)) {
      throw new RangeError(`λ (regParam) must be a finite number ≥ 0; got ${params.lambda}.`);
    }
    if (!(Number.isFinite(params.alpha) && params.alpha >= 0)) {
      throw new RangeError(`α must be a finite number ≥ 0; got ${params.alpha}.`);
    }
  }
  if (input.gram && input.gram.length !== rank * rank) {
    throw new RangeError(`gram must be rank × rank (${rank * rank} values).`);
  }
}

function checkPairRows(histories: HistoryBatch, items: Int32Array, numItems: number): void {
  if (histories.offsets.length - 1 !== items.length) {
    throw new RangeError(
      `Batch sizes differ: ${histories.offsets.length - 1} histories, ${items.length} items.`,
    );
  }
  for (const item of items) {
    if (!(item >= 0 && item < numItems)) {
      throw new RangeError(`Item index ${item} is outside 0..${numItems - 1}.`);
    }
  }
}

/** Item rows per tile of the batch product: a tile of the item table stays in L1/L2. */
const tileItems = (rank: number) => Math.max(16, Math.floor(8192 / rank));

/**
 * Builds the ALS recommender from factors aligned with the dataset (see the module comment).
 * The arrays are kept, not copied: the caller must not change them afterwards.
 */
export function createAlsRecommender(input: AlsInput): AlsRecommender {
  checkInput(input);
  const { numItems, rank, itemFactors: y, params } = input;
  const userFactors = input.userFactors ?? null;
  const userRows = input.userRows ?? null;
  const known = new Uint8Array(numItems);
  let knownItems = 0;
  for (let j = 0; j < numItems; j++) {
    for (let k = 0; k < rank; k++) {
      if (y[j * rank + k] !== 0) {
        known[j] = 1;
        knownItems++;
        break;
      }
    }
  }
  // The gram as float32 values, so a model restored from its saved (float32) gram is the same.
  const gram =
    params?.implicit === true
      ? Float64Array.from(input.gram ?? gramOf(y, rank), (v) => Math.fround(v))
      : null;
  let folder: FoldIn | null = null;
  const fold = (): FoldIn => {
    if (!params) throw new Error('No ALS hyper-parameters: nothing is folded in.');
    folder ??= new FoldIn(numItems, rank, y, known, params, gram);
    return folder;
  };
  const xs = new Float32Array(rank);

  /** Rows `r` of `x` (float32 `[batch, rank]`) with `valid[r]`, times the item table. */
  const product = (x: Float32Array, valid: Uint8Array, batch: number): Float32Array => {
    const out = new Float32Array(batch * numItems);
    const tile = tileItems(rank);
    for (let j0 = 0; j0 < numItems; j0 += tile) {
      const j1 = Math.min(numItems, j0 + tile);
      for (let r = 0; r < batch; r++) {
        const base = r * numItems;
        if (!valid[r]) {
          out.fill(Number.NEGATIVE_INFINITY, base + j0, base + j1);
          continue;
        }
        const xo = r * rank;
        for (let j = j0; j < j1; j++) {
          out[base + j] = known[j] ? dot(x, xo, y, j * rank, rank) : Number.NEGATIVE_INFINITY;
        }
      }
    }
    return out;
  };

  const storedRow = (user: number): number => {
    if (!userRows || !(user >= 0 && user < userRows.length)) return -1;
    return userRows[user];
  };

  const score: Scorer = async (users, histories) => {
    const batch = users.length;
    if (histories.offsets.length - 1 !== batch) {
      throw new RangeError(
        `Batch sizes differ: ${batch} users, ${histories.offsets.length - 1} histories.`,
      );
    }
    const x = new Float32Array(batch * rank);
    const valid = new Uint8Array(batch);
    for (let r = 0; r < batch; r++) {
      if (params) {
        const solved = fold().solve(
          histories.items,
          histories.offsets[r],
          histories.offsets[r + 1],
        );
        for (let k = 0; k < rank; k++) x[r * rank + k] = solved[k];
        valid[r] = 1;
      } else {
        const row = storedRow(users[r]);
        if (row >= 0 && userFactors) {
          x.set(userFactors.subarray(row * rank, (row + 1) * rank), r * rank);
          valid[r] = 1;
        }
      }
    }
    return product(x, valid, batch);
  };

  const foldIn = (history: HistoryBatch, row = 0): Float64Array => {
    const solved = fold().solve(history.items, history.offsets[row], history.offsets[row + 1]);
    return Float64Array.from(solved);
  };

  const exportWeights = (): WeightArray[] => {
    const weights: WeightArray[] = [
      { name: ALS_ITEM_FACTORS, shape: [numItems, rank], dtype: 'float32', data: y.slice() },
    ];
    if (userFactors && userRows) {
      weights.push(
        {
          name: ALS_USER_FACTORS,
          shape: [userFactors.length / rank, rank],
          dtype: 'float32',
          data: userFactors.slice(),
        },
        { name: ALS_USER_ROWS, shape: [userRows.length], dtype: 'int32', data: userRows.slice() },
      );
    }
    if (gram) {
      weights.push({
        name: ALS_ITEM_GRAM,
        shape: [rank, rank],
        dtype: 'float32',
        data: Float32Array.from(gram),
      });
    }
    return weights;
  };

  const hyper: HyperParameters = params
    ? { rank, implicit: params.implicit, lambda: params.lambda, alpha: params.alpha }
    : { rank };

  const model: AlsRecommender = {
    id: 'als',
    numItems,
    rank,
    params,
    knownItems,
    hyper,
    score,
    neural: null,
    readLimit: Number.POSITIVE_INFINITY,
    historyIndependent: params === null,
    features: null,
    foldIn,
    userFactor(user) {
      const row = storedRow(user);
      return row >= 0 && userFactors ? userFactors.slice(row * rank, (row + 1) * rank) : null;
    },
    async scorePairs(histories, items) {
      checkPairRows(histories, items, numItems);
      if (!params) {
        throw new RangeError(
          'This ALS model has no hyper-parameters to fold a history in: it scores by stored user factors, and a history alone does not say whose they are.',
        );
      }
      const out = new Float32Array(items.length);
      const f = fold();
      for (let r = 0; r < items.length; r++) {
        const solved = f.solve(histories.items, histories.offsets[r], histories.offsets[r + 1]);
        const item = items[r];
        if (!known[item]) {
          out[r] = Number.NEGATIVE_INFINITY;
          continue;
        }
        for (let k = 0; k < rank; k++) xs[k] = solved[k];
        out[r] = dot(xs, 0, y, item * rank, rank);
      }
      return out;
    },
    exportWeights,
    dispose: () => {},
  };
  if (params) model.exactContributions = exactContributions;
  return model;

  /**
   * Item i's term w_i · y_itemᵀ W y_i of the score, W = A⁻¹ of the whole history, split over
   * i's positions: with `fixed` = 0 evenly; otherwise each position gets the part one
   * occurrence adds to w_i (α implicit, 1 explicit), and the part of i's mere presence (1
   * implicit) goes evenly to its positions after the first `fixed`, or to no one when i also
   * occurs among them (it is present either way), as itemknn does. The result lists the
   * positions after `fixed`; with `fixed` = 0 it sums to the score.
   */
  async function exactContributions(
    history: HistoryBatch,
    item: number,
    fixed = 0,
  ): Promise<Float64Array> {
    if (history.offsets.length < 2) throw new RangeError('The history batch has no row.');
    if (!(item >= 0 && item < numItems)) {
      throw new RangeError(`Item index ${item} is outside 0..${numItems - 1}.`);
    }
    const p = params as AlsParams;
    const from = history.offsets[0];
    const to = history.offsets[1];
    const n = to - from;
    const skip = Math.max(0, Math.min(fixed, n));
    const f = fold();
    f.collect(history.items, from, to);
    const out = new Float64Array(n - skip);
    if (!known[item] || !f.factor()) return out;
    // z = W y_item; item i's term is w_i (z · y_i).
    const z = new Float64Array(rank);
    for (let k = 0; k < rank; k++) z[k] = y[item * rank + k];
    choleskySolve(f.a, rank, z);
    const perOccurrence = p.implicit ? p.alpha : 1;
    const presence = p.implicit ? 1 : 0;
    const inFixed = new Set<number>();
    for (let q = from; q < from + skip; q++) inFixed.add(history.items[q]);
    const later = new Map<number, number>();
    for (let q = from + skip; q < to; q++) {
      const i = history.items[q];
      if (known[i]) later.set(i, (later.get(i) ?? 0) + 1);
    }
    const termOf = new Map<number, number>();
    for (let q = from + skip; q < to; q++) {
      const i = history.items[q];
      if (!known[i]) continue;
      let s = termOf.get(i);
      if (s === undefined) {
        s = 0;
        for (let k = 0; k < rank; k++) s += z[k] * y[i * rank + k];
        termOf.set(i, s);
      }
      const share = perOccurrence + (inFixed.has(i) ? 0 : presence / (later.get(i) as number));
      out[q - from - skip] = s * share;
    }
    return out;
  }
}
