/**
 * The contract between recommenders and the evaluation code. Every model variant (the classic
 * baselines here, the neural models later) is evaluated through the same {@link Scorer}, on the
 * same split, with the same metric code, so that their numbers can be compared fairly.
 */

/**
 * Per-user interaction sequences in CSR form: user u's interactions are
 * `items[offsets[u] .. offsets[u+1])`, in time order (then file order).
 * Used for the training part of a split, which is what models learn from.
 */
export interface UserSequences {
  /** length users + 1, non-decreasing, offsets[0] === 0. */
  offsets: Int32Array;
  /** Item index per interaction. */
  items: Int32Array;
  /** Epoch ms per interaction; NaN when the dataset has no timestamps. */
  timestamps: Float64Array;
}

/**
 * The histories of one batch of users, in CSR form aligned with the batch: row r's history is
 * `items[offsets[r] .. offsets[r+1])`, oldest first. A history is everything the user did before
 * the target being predicted, so sequential models can read it directly and the evaluation can
 * exclude exactly these items from the ranking.
 */
export interface HistoryBatch {
  /** length batch + 1. */
  offsets: Int32Array;
  items: Int32Array;
  timestamps: Float64Array;
}

/**
 * Scores every item for every user of a batch. Returns a row-major `batch x numItems` array:
 * higher means more recommended. Scores must be finite or ±Infinity; NaN is rejected by the
 * evaluation (a model that produces NaN has diverged and its metrics would mean nothing).
 *
 * Async because neural models score on a TF.js backend (`await tensor.data()`); the history is
 * passed explicitly (not looked up by user) so that what-if edits and evaluation use one path.
 */
export type Scorer = (users: Int32Array, histories: HistoryBatch) => Promise<Float32Array>;

/**
 * How the ranking is done. `full-ranking` ranks the target among all items not in the history
 * (our default, and the only honest one). `sampled-100` ranks it among 100 seeded random
 * unseen items, only for comparison with older papers: sampled metrics can reorder models
 * (Krichene and Rendle, 2020).
 */
export type EvaluationProtocol = 'full-ranking' | 'sampled-100';

/** Which held-out target to evaluate: the second last (model selection) or the last. */
export type EvaluationTarget = 'validation' | 'test';

/** Metrics at one cut-off K, averaged over evaluated users. */
export interface MetricsAtK {
  k: number;
  /** Hit rate: share of users whose target ranks within K. */
  hitRate: number;
  /** 1 / log2(rank + 1) when rank <= K, else 0 (one target, so the ideal DCG is 1). */
  ndcg: number;
  /** Share of a user's targets within K; with one target per user it equals the hit rate. */
  recall: number;
  /**
   * Distinct items in all users' top-K lists / number of items. null under `sampled-100`,
   * where the top-K of 101 candidates says nothing about the catalogue.
   */
  coverage: number | null;
}

/**
 * One evaluation, self-describing: a metric table is never shown without the protocol, the
 * tie rule and how many users it covers. Plain data, so it can cross the worker boundary.
 */
export interface MetricReport {
  protocol: EvaluationProtocol;
  which: EvaluationTarget;
  /**
   * Rank = 1 + number of other candidates with a greater or equal score (ties count against
   * the target, so a model that cannot tell items apart is not flattered). Stated so a reader
   * can compare with tools that break ties differently.
   */
  tieRule: 'ties-count-against';
  atK: MetricsAtK[];
  /** Mean reciprocal rank over the full candidate list (no cut-off). */
  mrr: number;
  /** Users with a target that were scored. */
  usersEvaluated: number;
  /** Users with fewer interactions than the split's minimum: no target, reported not dropped. */
  usersExcluded: number;
  /** The split's minimum interactions per evaluated user (the reason for `usersExcluded`). */
  minInteractions: number;
  /**
   * Targets whose item already occurs in the user's history. Seen items are excluded from the
   * ranking, so these can never be hit; they still count (as misses) in every average.
   */
  repeatTargets: number;
  numItems: number;
  /** Seed of the negative sampling; null under `full-ranking`. */
  seed: number | null;
  /**
   * Under `sampled-100`: users with fewer than 100 unseen items, ranked among all of them.
   * Always 0 under `full-ranking`.
   */
  negativesShortfall: number;
}
