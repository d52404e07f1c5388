/**
 * The ALS recommender's contract: the weight names a saved model uses, the hyper-parameters,
 * what {@link createAlsRecommender} takes and what it returns (see als.ts for the model).
 */
import type { HistoryBatch } from '../models/baseline-types';
import type { TrainedRecommender } from '../models/trained';

/** Factors per row above which a table or a saved model is refused: no ALS model is that wide. */
export const MAX_ALS_RANK = 1024;

export const ALS_ITEM_FACTORS = 'als/item_factors';
export const ALS_USER_FACTORS = 'als/user_factors';
export const ALS_USER_ROWS = 'als/user_rows';
/** YᵀY of the whole item table, saved with an implicit model (float32, `[rank, rank]`). */
export const ALS_ITEM_GRAM = 'als/item_gram';

/** Spark ALS's hyper-parameters: `implicitPrefs`, `regParam` (λ) and `alpha`. */
export interface AlsParams {
  implicit: boolean;
  lambda: number;
  alpha: number;
}

export interface AlsInput {
  /** Row-major `[numItems, rank]`, aligned with the dataset's items; zero rows: unknown. */
  itemFactors: Float32Array;
  numItems: number;
  rank: number;
  /** Row-major `[users, rank]`: the user table, in its own row order. */
  userFactors?: Float32Array | null;
  /** Per dataset user index: its row of `userFactors`, or -1 when the table lacks it. */
  userRows?: Int32Array | null;
  /** The ALS hyper-parameters; null when unknown (then the stored user factors score). */
  params: AlsParams | null;
  /**
   * YᵀY (`[rank, rank]`, row-major) over the whole item table Spark trained, when it holds
   * items the dataset lacks (`factorGram` of the table). Default: over `itemFactors`. Used by
   * the implicit fold-in only; kept rounded to float32 so a restored model scores identically.
   */
  gram?: Float64Array | null;
}

export interface AlsRecommender extends TrainedRecommender {
  readonly id: 'als';
  readonly rank: number;
  readonly params: AlsParams | null;
  /** Dataset items with a factor row (the others score -Infinity). */
  readonly knownItems: number;
  /** The user vector folded in from history row `row` (params only), float64. */
  foldIn(history: HistoryBatch, row?: number): Float64Array;
  /** The stored factor of dataset user `user`, or null when there is none. */
  userFactor(user: number): Float32Array | null;
}
