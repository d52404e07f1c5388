/**
 * The explanation engine's vocabulary: what is asked (a model, a history, an item, options)
 * and what comes back (one attribution per history item the model reads, per method, with
 * each method's diagnostics). Plain data throughout, so a result crosses the worker boundary,
 * is written by the CLI as JSON and drawn by the page without conversion.
 *
 * Items and positions: `item` is a dataset item index (the CLI and the worker translate it to
 * the original id); `position` is the interaction's index in the user's whole history (0 =
 * oldest), so the same history item keeps its position across methods and what-if edits.
 */

/** Every attribution method, in the order the page draws them (fast first). */
export const ATTRIBUTION_METHODS = [
  'exact',
  'attention',
  'neighbours',
  'saliency',
  'gradxinput',
  'ig',
  'occlusion',
  'lime',
  'shap',
] as const;
export type AttributionMethod = (typeof ATTRIBUTION_METHODS)[number];

/** What a user may ask for: the attribution methods and the counterfactual search. */
export const EXPLAIN_METHODS = [...ATTRIBUTION_METHODS, 'counterfactual'] as const;
export type ExplainMethod = (typeof EXPLAIN_METHODS)[number];

/**
 * How an item is "removed" from a history. `close-up` (the default, and what a user means by
 * "without this"): the interaction did not happen, the remaining items close up in order and
 * the window is left-padded (older unread items do not slide in). `in-place`: the slot is left
 * empty (a padding token) and every other item keeps its position, which is the removal under
 * which a position-aware glass box such as `weighted` is exactly additive.
 */
export type Removal = 'close-up' | 'in-place';

/** One history item's attribution. */
export interface Attribution {
  item: number;
  position: number;
  value: number;
}

/**
 * The explained quantity: the item's score, or its margin over the item ranked K+1 in the
 * unedited ranking ("why is it in the top K"), a fixed competitor so the target stays one
 * function of the history.
 */
export interface ExplainTarget {
  kind: 'score' | 'margin';
  /** The competitor (rank K+1 of the original ranking) under `margin`; null under `score`. */
  competitor: number | null;
  /** K of the margin; null under `score`. */
  k: number | null;
  /** The target on the full history (what the attributions explain). */
  value: number;
  /** The target with every read history item removed, f(∅). */
  empty: number;
}

export interface IgOptions {
  /** `padding`: the padding embedding (default); `mean`: the mean item embedding of the history. */
  baseline: 'padding' | 'mean';
  minSteps: number;
  maxSteps: number;
  /** Relative completeness gap that stops the doubling. */
  tolerance: number;
}

export interface LimeOptions {
  /** Samples per seed (the most; sampling stops earlier once the coefficients are stable). */
  samples: number;
  /** Seeds whose fits give the spread. */
  seeds: number;
  kernelWidth: number;
  alpha: number;
}

export interface ShapOptions {
  /** Exact Shapley values up to this many read items (2^n coalitions). */
  exactMaxItems: number;
  /**
   * The sampling estimator above that. `kernel`: KernelSHAP on LIME's samples (free when LIME
   * runs in the same explanation); `permutation`: antithetic permutations (about 2-3x more
   * accurate per model evaluation, measured on a 10-item history); `auto` (default): kernel
   * when LIME runs too, permutation otherwise.
   */
  estimator: 'auto' | 'kernel' | 'permutation';
  /** Most model evaluations the sampling estimator may spend. */
  maxEvaluations: number;
  /** Sampling stops once every standard error is under this share of |f(x) − f(∅)|. */
  relativeStderr: number;
}

export interface ExplainOptions {
  /** Methods to run; default every one the model offers, plus the counterfactual. */
  methods: readonly ExplainMethod[];
  target: 'score' | 'margin';
  /** K of the top-K questions: counterfactual, margin and faithfulness's POS@K list. */
  k: number;
  removal: Removal;
  ig: IgOptions;
  lime: LimeOptions;
  shap: ShapOptions;
  /** Most removals the counterfactual search tries. */
  maxRemovals: number;
  /** Whether to draw the faithfulness curves (each costs full-catalogue rankings). */
  faithfulness: boolean;
  /** Orders averaged for the random baseline of the faithfulness curves. */
  randomOrders: number;
  seed: number;
}

export const DEFAULT_EXPLAIN_OPTIONS: ExplainOptions = {
  methods: EXPLAIN_METHODS,
  target: 'score',
  k: 10,
  removal: 'close-up',
  ig: { baseline: 'padding', minSteps: 32, maxSteps: 512, tolerance: 0.01 },
  lime: { samples: 1000, seeds: 3, kernelWidth: 25, alpha: 1 },
  shap: { exactMaxItems: 12, estimator: 'auto', maxEvaluations: 4000, relativeStderr: 0.01 },
  maxRemovals: 10,
  faithfulness: true,
  randomOrders: 10,
  seed: 7,
};

/** Options as a caller may give them: any subset, nested groups too. */
export type ExplainOptionsInput = Partial<Omit<ExplainOptions, 'ig' | 'lime' | 'shap'>> & {
  ig?: Partial<IgOptions>;
  lime?: Partial<LimeOptions>;
  shap?: Partial<ShapOptions>;
};

/**
 * What an attribution value means. `score`: a share of the target (attributions of an additive
 * method sum to about f(x) − f(baseline)); `weight`: an attention or pooling weight (what the
 * model looked at, not how much the score moved); `gradient-norm`: a sensitivity magnitude;
 * `similarity`: a cosine between item vectors (alike, not influential).
 */
export type AttributionUnit = 'score' | 'weight' | 'gradient-norm' | 'similarity';

interface MethodBase {
  method: AttributionMethod;
  /** Wall time of this method in milliseconds. */
  ms: number;
}

/** A method the model cannot offer, with the reason in one sentence. */
export interface UnavailableMethod extends MethodBase {
  status: 'unavailable';
  reason: string;
}

export interface MethodResultBase extends MethodBase {
  status: 'ok';
  unit: AttributionUnit;
  /** One per read history item, oldest first. */
  attributions: Attribution[];
  /** Model rows evaluated (forward passes of one history each). */
  evaluations: number;
  /** A plain-language note where the numbers need one (pop's zeros, a fallback taken). */
  note?: string;
}

export interface ExactResult extends MethodResultBase {
  method: 'exact';
}

export interface AttentionResult extends MethodResultBase {
  method: 'attention';
  source: 'self-attention' | 'target-attention' | 'pooling';
  /** sasrec: attention rollout across blocks (last query), next to the last block's weights. */
  rollout?: Attribution[];
  blocks?: number;
  heads?: number;
}

/**
 * Cosine similarity of each history item's vector (its input embedding, item factors) to the
 * explained item's: which history items the model sees as alike. Not how much each moved the
 * score; the one view left for a model whose score does not read the history.
 */
export interface NeighboursResult extends MethodResultBase {
  method: 'neighbours';
  /** Where the vectors come from, e.g. "input embedding" or "ALS item factors". */
  source: string;
}

export interface GradientResult extends MethodResultBase {
  method: 'saliency' | 'gradxinput';
}

export interface IgResult extends MethodResultBase {
  method: 'ig';
  baseline: IgOptions['baseline'];
  steps: number;
  /** |Σ attributions − (f(x) − f(baseline))| / |f(x) − f(baseline)|. */
  completenessGap: number;
  completenessGapAbsolute: number;
  /** f(baseline): the target with every read item's embedding at the baseline. */
  baselineValue: number;
  /** True when the gap was still above the tolerance at the most steps allowed. */
  converged: boolean;
}

export interface OcclusionResult extends MethodResultBase {
  method: 'occlusion';
}

export interface LimeResult extends MethodResultBase {
  method: 'lime';
  /** Weighted R² of the surrogate of the first seed. */
  r2: number;
  intercept: number;
  /** Mean over items of the standard deviation of the coefficient across seeds, over mean |coefficient|. */
  seedSpread: number;
  /** Smallest Spearman correlation between two seeds' coefficients. */
  seedRankAgreement: number;
  seeds: number;
  /** Samples each seed used (fewer than asked once the coefficients were stable). */
  samplesPerSeed: number[];
}

export interface ShapResult extends MethodResultBase {
  method: 'shap';
  estimator: 'exact' | 'kernel' | 'permutation';
  /** Largest standard error of one value (0 when exact). */
  stderr: number;
  stderrPerItem: number[];
  /** Permutations sampled (antithetic pairs count twice); 0 otherwise. */
  permutations: number;
  /** Coalitions the kernel estimator was fitted on; 0 otherwise. */
  samples: number;
  /** |Σ φ − (f(x) − f(∅))|: efficiency, which both estimators satisfy up to rounding. */
  efficiencyGap: number;
}

export type AttributionResult =
  | ExactResult
  | AttentionResult
  | NeighboursResult
  | GradientResult
  | IgResult
  | OcclusionResult
  | LimeResult
  | ShapResult;

export type MethodOutcome = AttributionResult | UnavailableMethod;

/** One faithfulness curve set of one attribution order (LXR-style, 10 % bins). */
export interface FaithfulnessCurves {
  /** Share of read items removed (deletion) or kept (insertion) after each bin, 0 first. */
  fractions: number[];
  /** Target after removing the top bins, most important first. */
  deletion: number[];
  /** Target when only the top bins are kept. */
  insertion: number[];
  /** Trapezoid area under each curve over the fraction axis (lower deletion = more faithful). */
  deletionAuc: number;
  insertionAuc: number;
  /** Share of the bins after which the item stays in the top K, for K = 5, 10, 20. */
  posAtK: { deletion: Record<string, number>; insertion: Record<string, number> };
}

export interface CounterfactualResult {
  status: 'found' | 'none' | 'unavailable';
  /** Items whose removal drops the explained item out of the top K (history order). */
  removed: Attribution[];
  /** Rank of the item without them; null when none was found. */
  newRank: number | null;
  k: number;
  /** True when no smaller set exists (every smaller set was checked exhaustively). */
  minimal: boolean;
  /** Subset sizes searched exhaustively. */
  exhaustiveUpTo: number;
  /** Candidate sets re-scored over the whole catalogue. */
  candidatesScored: number;
  /** The attribution method whose order seeded the greedy search. */
  order: AttributionMethod | null;
  reason?: string;
  ms: number;
}

export interface RollupEntry {
  key: string;
  label: string;
  value: number;
  items: number;
}

export interface Rollups {
  /** Summed attributions per category (a multi-category item's value is split evenly). */
  category: Record<string, RollupEntry[]>;
  /** Summed attributions per time window before the most recent interaction. */
  window: Record<string, RollupEntry[]>;
}

/** The whole answer for one (model, history, item). */
export interface Explanation {
  model: string;
  item: number;
  score: number;
  /** Rank in the full ranking, seen items excluded, ties counted against the item. */
  rank: number;
  target: ExplainTarget;
  /** Items the model reads (the most recent ones) and the older interactions it does not. */
  read: number;
  unread: number;
  /**
   * Read items older than the explained ones, held fixed in every edited history (a model
   * without a window over a very long history; see MAX_EXPLAINED_ITEMS); usually 0.
   */
  heldFixed: number;
  /** The read history: item, position and timestamp (ms, NaN without timestamps), oldest first. */
  history: { item: number; position: number; timestamp: number }[];
  removal: Removal;
  /** True when the model's score does not depend on the history (pop). */
  historyIndependent: boolean;
  methods: Partial<Record<AttributionMethod, MethodOutcome>>;
  faithfulness: Partial<Record<AttributionMethod | 'random', FaithfulnessCurves>>;
  counterfactual: CounterfactualResult | null;
  rollups: Rollups;
  /** Model rows evaluated by the whole explanation (cache hits excluded). */
  evaluations: number;
  latencyMs: { total: number } & Partial<Record<ExplainMethod | 'faithfulness', number>>;
}

/** Streamed while an explanation runs, so a view can draw the fast methods first. */
export type ExplainProgress =
  | { kind: 'started'; item: number; score: number; rank: number; read: number; unread: number }
  | {
      kind: 'method';
      method: AttributionMethod;
      result: MethodOutcome;
      done: number;
      total: number;
    }
  | { kind: 'counterfactual'; result: CounterfactualResult }
  | { kind: 'faithfulness'; result: Explanation['faithfulness'] };
