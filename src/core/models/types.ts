/**
 * The contract every neural recommender implements. Training, evaluation and every explainer
 * (gradients, integrated gradients, LIME, SHAP, attention views) talk to a model only through
 * {@link NeuralRecommender}, so a new variant plugs into all of them by implementing it.
 *
 * Token convention: dataset item `i` is model token `i + 1`; token 0 is padding. Histories are
 * left-padded to `maxLen`, most recent item last (so position `maxLen - 1` is "now").
 */
import type * as tf from '../tf';
import type { ItemFeatures } from './trained';

export type ModelId = TrainableModelId | ImportedModelId;

/** The variants Interest Lens trains itself. */
export type TrainableModelId =
  | 'pop'
  | 'itemknn'
  | 'twotower'
  | 'ncf'
  | 'weighted'
  | 'gru'
  | 'din'
  | 'sasrec'
  | 'layered';

/**
 * Models trained by another engine and imported (see `core/import`): a Keras model converted to
 * the TF.js layers format, a TF.js graph model, and ALS factor tables (Spark MLlib's schema).
 * They are never trained here.
 */
export type ImportedModelId = 'keras' | 'graph' | 'als';

export const IMPORTED_MODEL_IDS: readonly ImportedModelId[] = ['keras', 'graph', 'als'];

/** Hyper-parameters as plain data (they cross the worker boundary and are saved with a model). */
export type HyperParameters = Record<string, number | string | boolean>;

/**
 * A batch of histories as model tokens, row-major `[batch, maxLen]`, left-padded with 0.
 * Plain typed arrays (not tensors) so they can be built, edited (what-if) and transferred
 * without touching a TF.js backend.
 */
export interface HistoryTokens {
  tokens: Int32Array;
  batch: number;
  maxLen: number;
}

/**
 * One training batch of windows. `inputs` are the histories; the model predicts, at flat
 * position `targetPositions[e]` (`b * maxLen + p`), the token `targetTokens[e]`. Only positions
 * with a target are listed (padding is never trained on). `negatives` holds `numNegatives`
 * sampled tokens per example (`[examples, numNegatives]` row-major) for the `bce` loss;
 * `sharedNegatives` holds tokens sampled once for the whole batch (the sampled softmax).
 */
export interface TrainingBatch {
  inputs: HistoryTokens;
  targetPositions: Int32Array;
  targetTokens: Int32Array;
  negatives: Int32Array;
  numNegatives: number;
  sharedNegatives: Int32Array;
  /**
   * The corrected sampled softmax's candidates (see `train/candidates.ts`), present when the
   * model asks for them ({@link NeuralRecommender.trainingCandidates}).
   */
  candidates?: SampledCandidates;
}

/**
 * Distinct candidate tokens of one batch, shared by every example, each with the log-Q
 * correction added to its logit (`log m_c - log E[m_c]`: how often it was drawn over how often
 * it was expected to be).
 */
export interface SampledCandidates {
  tokens: Int32Array;
  logCorrection: Float32Array;
}

/** How the large-catalogue sampled softmax draws its candidates per batch. */
export interface CandidateSampling {
  /** Negatives drawn per batch from the proposal, shared by every example. */
  negatives: number;
  /**
   * Share of the proposal drawn by popularity (training-target counts^0.75); the rest is
   * uniform over the catalogue.
   */
  popularity: number;
  /** Also score every example against the batch's other targets (in-batch negatives). */
  inBatch: boolean;
}

export interface NeuralRecommender {
  readonly id: ModelId;
  readonly hyper: HyperParameters;
  /** Catalogue size (dataset items); scores have this many columns. */
  readonly numItems: number;
  /** History length the model reads; longer histories keep their most recent `maxLen` items. */
  readonly maxLen: number;
  /** Embedding width of the history items (the last axis of {@link embedHistory}). */
  readonly embeddingDim: number;
  /** Sampled negatives its loss needs per training example (`bce`), else 0. */
  readonly trainingNegatives: number;
  /** Sampled negatives its loss needs per batch, shared by all examples (sampled softmax), else 0. */
  readonly trainingSharedNegatives: number;
  /**
   * The corrected sampled softmax's candidate sampling when its loss uses it (the trainer then
   * attaches {@link TrainingBatch.candidates} to every batch); absent otherwise.
   */
  readonly trainingCandidates?: CandidateSampling;
  /**
   * One line saying which training loss the model resolved to (exact softmax or the sampled
   * one, with its candidates), for the training record; absent for models that do not say.
   */
  readonly lossDescription?: string;

  /** Scores for every dataset item, `[batch, numItems]` (no padding column). */
  scoreAll(h: HistoryTokens): tf.Tensor2D;
  /** Score of dataset item `items[b]` (0-based, not a token) for history `b`, `[batch]`. */
  scorePairs(h: HistoryTokens, items: Int32Array): tf.Tensor1D;
  /** History item embeddings `[batch, maxLen, d]`; padding positions hold the padding embedding. */
  embedHistory(h: HistoryTokens): tf.Tensor3D;
  /**
   * The same score as {@link scorePairs}, from (possibly perturbed or interpolated) history
   * embeddings and the padding mask `[batch, maxLen]` (1 = real item, 0 = padding).
   * Differentiable with respect to `emb`: gradient explainers take their gradients here.
   */
  scorePairsFromEmbeddings(emb: tf.Tensor3D, mask: tf.Tensor2D, items: Int32Array): tf.Tensor1D;
  /** The padding embedding `[d]`: the integrated-gradients baseline. */
  paddingEmbedding(): tf.Tensor1D;
  /**
   * What the model offers the explainers beyond history embeddings (which every neural model
   * has): each view is present only where the architecture has it, so an explainer asks for
   * it by name and never by class.
   */
  readonly capabilities: NeuralCapabilities;

  /**
   * The training loss of one batch (dropout active), a scalar the trainer minimises over
   * {@link trainableVariables}. Every intermediate tensor is released by the caller's tidy.
   */
  trainingLoss(batch: TrainingBatch): tf.Scalar;
  trainableVariables(): tf.Variable[];
  /** Copies of all weights by name; the caller owns (and must dispose) them. */
  getWeights(): Record<string, tf.Tensor>;
  /** Overwrites the weights with copies of `w`; every name and shape must match. */
  setWeights(w: Record<string, tf.Tensor>): void;
  dispose(): void;
}

/**
 * Model-specific views the explainers read. Every function returns tensors the caller owns.
 * An int8 variant passes its original's views through (computed on its dequantised weights).
 */
export interface NeuralCapabilities {
  /**
   * Self-attention weights of every block, first block first, each `[batch, heads, maxLen
   * (query), maxLen (key)]` (sasrec). Rows of padding queries are meaningless.
   */
  selfAttention?(h: HistoryTokens): tf.Tensor4D[];
  /**
   * Attention of every history position toward the candidate `items[b]` (dataset index),
   * `[batch, maxLen]`, 0 at padding (din's target attention).
   */
  targetAttention?(h: HistoryTokens, items: Int32Array): tf.Tensor2D;
  /** Pooling weights of the user vector over the history `[batch, maxLen]` (twotower). */
  poolingWeights?(h: HistoryTokens): tf.Tensor2D;
  /**
   * Exact additive contribution of every history position to the score of `items[b]`,
   * `[batch, maxLen]`; each row sums to the score (weighted, the glass box).
   */
  exactContributions?(h: HistoryTokens, items: Int32Array): tf.Tensor2D;
  /** Category probabilities of the surface / middle / deep heads at the last position (layered). */
  interestHeads?(h: HistoryTokens): InterestLayers;
}

/** Category probabilities `[batch, numCategories]` of each interest layer at the most recent position. */
export interface InterestLayers {
  surface: tf.Tensor2D;
  middle: tf.Tensor2D;
  deep: tf.Tensor2D;
}

/**
 * Builds a fresh, seeded model: the same (numItems, hyper, seed) gives the same initial weights.
 * `features` carries item side information (categories, hashed title tokens) for the models
 * that use it (twotower's item tower, layered's category heads); sequence models ignore it.
 */
export type ModelFactory = (
  numItems: number,
  hyper: HyperParameters,
  seed: number,
  features?: ItemFeatures,
) => NeuralRecommender;
