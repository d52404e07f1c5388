/**
 * A trained recommender of any kind (baseline or neural), as the worker, the CLI, evaluation
 * and persistence see it. Baselines and neural models differ in how they learn; once trained
 * they all score histories, export their state as named typed arrays, and are restored from it.
 */
import type { ImportedModelInfo } from '../import/types';
import type { HistoryBatch, MetricReport, Scorer } from './baseline-types';
import type { HyperParameters, ModelId, NeuralRecommender } from './types';

/** One named weight: plain typed data, so it crosses the worker boundary and is saved as-is. */
export interface WeightArray {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32';
  data: Float32Array | Int32Array;
}

/**
 * Item side information a model may use (twotower item tower, layered category heads).
 * Built from the Dataset (itemCategories, itemTitle) by `itemFeaturesFromDataset`.
 */
export interface ItemFeatures {
  numCategories: number;
  /** Per item: category indices. */
  categories: number[][];
  /** Per item: hashed title-token ids in [0, titleBuckets). */
  titleTokens: number[][];
  titleBuckets: number;
}

export interface TrainedRecommender {
  readonly id: ModelId;
  readonly numItems: number;
  readonly hyper: HyperParameters;
  /** Scores all items for a batch of histories (same contract as the evaluation's Scorer). */
  readonly score: Scorer;
  /** The differentiable model behind it, for explanations; null for baselines. */
  readonly neural: NeuralRecommender | null;
  /**
   * True for a model seen through an item-id mapping onto other data: it scores (and is
   * explained by perturbation) in this data's item space, but its embeddings are not.
   */
  readonly mapped?: boolean;
  /**
   * How many of a history's most recent items the model reads (a neural model's `maxLen`);
   * Infinity when every interaction counts (itemknn, pop). Older ones have no influence.
   */
  readonly readLimit: number;
  /**
   * True when the score does not depend on the history at all (pop: the history only decides
   * which items are excluded as seen). Explanations then say so instead of implying influence.
   */
  readonly historyIndependent: boolean;
  /**
   * The score of item `items[r]` for history `r`, one number per row: what every perturbation
   * explainer (occlusion, LIME, SHAP, counterfactuals, faithfulness) evaluates, without
   * scoring the whole catalogue. The same numbers as {@link score}'s columns.
   */
  scorePairs(histories: HistoryBatch, items: Int32Array): Promise<Float32Array>;
  /**
   * Exact additive contribution of each item the model reads (the last `readLimit` of the
   * one-row `history`, oldest first) to the score of `item`, where the model has them
   * (weighted: w_t (x_t · v); itemknn: sim(i, item), split evenly over repeats of i: its
   * Shapley value). The first `fixed` items (default 0) are held present and get no share:
   * the result lists the others only (an item repeating one of them then contributes 0).
   */
  exactContributions?(history: HistoryBatch, item: number, fixed?: number): Promise<Float64Array>;
  /**
   * Item side information the model was built with (twotower, layered), or null. Saved with
   * the weights, so restoring a model needs no dataset and cannot silently pair it with
   * another dataset's categories.
   */
  readonly features?: ItemFeatures | null;
  /**
   * Cosine similarity of each of `items` to `item` in the model's own item space (item
   * factors, an item embedding table), for the `neighbours` explanation, with where the
   * vectors come from. Absent where a neural model's input embeddings serve, or there is none.
   */
  itemSimilarity?(items: Int32Array, item: number): { values: Float64Array; source: string };
  /**
   * The model's own item vectors for the dataset items it knows (an imported model's item
   * embedding or factor table), for the interest map and derived categories. Absent for
   * models trained here (their `item_embedding` weight serves) and where there is none.
   */
  itemTable?(): ItemTable;
  /**
   * The model as seen for one dataset user, for models whose score depends on who the user is
   * rather than on the history (an imported ids-in model, ALS from stored user factors): its
   * `score` and `scorePairs` then score that user whatever user index they are given. Absent
   * for models that read only the history.
   */
  forUser?(user: number): TrainedRecommender;
  /**
   * A model trained by another engine and imported (core/import): its provenance, id mapping
   * and files. Absent for models trained here.
   */
  readonly imported?: ImportedModelInfo;
  /** Everything needed to restore the model (copies; the caller owns them). */
  exportWeights(): WeightArray[];
  dispose(): void;
}

/** Item vectors of the dataset items a model knows: row r is dataset item `rows[r]`. */
export interface ItemTable {
  rows: Int32Array;
  /** Row-major `rows.length x dim`. */
  values: Float32Array;
  dim: number;
  /** Where the vectors come from ("ALS item factors", "item embedding (embedding_1)"). */
  source: string;
}

/** Per-user ranks of one evaluation, as plain JSON-safe data (0 = cannot be hit). */
export interface PerUserRanks {
  users: number[];
  ranks: number[];
}

/** {@link PerUserRanks} from an evaluation's users and ranks (Infinity becomes 0). */
export function perUserRanks(users: Int32Array, ranks: Float64Array): PerUserRanks {
  return {
    users: Array.from(users),
    ranks: Array.from(ranks, (r) => (Number.isFinite(r) ? r : 0)),
  };
}

/** What is known about how and on what a model was trained; saved with its weights. */
export interface TrainingRecord {
  modelId: ModelId;
  hyper: HyperParameters;
  seed: number;
  /**
   * Optimiser settings of a neural model's training run (Adam), so a saved model says how to
   * reproduce it; absent for baselines and in records saved before it was kept.
   */
  training?: { learningRate: number; batchSize: number; patience: number };
  /**
   * The training loss the model resolved to, in one line (e.g. "softmax over all 1,682 items
   * (exact)", or the sampled softmax with its negatives and proposal); absent for models that do
   * not describe theirs and in older records.
   */
  lossDescription?: string;
  epochs: number;
  /** Epoch whose weights are kept (early stopping); 0 for baselines. */
  bestEpoch: number;
  /**
   * Why training ended: all epochs ran, early stopping (no better validation NDCG@10 for
   * `patience` epochs), the time limit (the next epoch would have ended past it), or a
   * baseline fitted in one pass. Optional: older records lack it.
   */
  stoppedBy?: 'epochs' | 'patience' | 'time' | 'fitted';
  trainSeconds: number;
  backend: string;
  protocol: MetricReport['protocol'];
  validation: MetricReport | null;
  test: MetricReport | null;
  /**
   * Rank of each evaluated user's test target (full ranking, ties against the target; 0 = the
   * target was already in the history and cannot be hit), by user index in the dataset the
   * model was trained on: the comparison view pairs two models user by user. Optional: older
   * records lack it.
   */
  testRanks?: PerUserRanks;
  /**
   * The baselines (`pop`, `itemknn`) whose test NDCG@10 on the same split is above this model's:
   * a warning shown on the card and in the CLI's JSON. Absent when not checked (older records).
   */
  belowBaselines?: string[];
  /** The baselines' test NDCG@10 the check compared with. */
  baselineNdcg10?: Record<string, number>;
  /** Loss per epoch and validation NDCG@10 per epoch (the curves shown on the card). */
  lossCurve: number[];
  validationCurve: number[];
  trainedAt: string;
}
