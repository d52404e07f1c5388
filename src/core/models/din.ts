/**
 * `din`: Deep Interest Network (Zhou et al., 2018), target attention. Each history item x_t is
 * weighted by how relevant it is to the candidate item v, a_t = σ(MLP([x_t; v; x_t − v; x_t ⊙ v]
 * + p_t)), and the user's interest *for that candidate* is Σ_t a_t x_t / n (n items). The score is
 * `s · interest · v + b_v` (b_v a learned item bias, s a learned scale).
 *
 * Choices, and why:
 * - No softmax over the history, as in DIN: the weights do not compete, so a history with many
 *   items related to the candidate scores higher than one with a single related item (DIN's
 *   "intensity of interest"). Each weight is squashed to (0, 1) by a sigmoid so it reads as
 *   "how relevant is this history item to this candidate", and the weighted sum is divided by
 *   the history length n (interest = Σ_t a_t x_t / n): without it the score's scale grew with
 *   the history and training on the bundled sample diverged (tried).
 * - A learned per-position term p_t (recency) is added to the attention unit's hidden layer:
 *   DIN itself has no notion of order, and for next-item prediction recency matters. It costs
 *   nothing at scoring time (it depends only on the position).
 * - A dot-product score rather than DIN's final MLP: `interest · v = Σ_t a_t (x_t · v)`, so
 *   scoring every item needs no `[users, items, d]` interest tensor, only two 2-D products per
 *   chunk of items (see dinAttention.ts for the attention's exact decomposition).
 * - Trained with a sampled softmax per position over one candidate list per window: the
 *   window's own targets plus `sharedNegatives` items sampled per batch. The attention must be
 *   recomputed for every candidate, so candidates are scored once per window against every
 *   position and each prefix's score is a cumulative mean (see dinCandidates.ts): a full
 *   softmax over the catalogue, or separate negatives per position, would cost far more.
 */
import * as tf from '../tf';
import { type AttentionUnit, attendedContributions, attentionLogits } from './dinAttention';
import { rowCandidates } from './dinCandidates';
import {
  type ChunkLimits,
  checkTokens,
  DEFAULT_CHUNK_LIMITS,
  scoreAllItemsChunked,
} from './dinScoreAll';
import { embeddingLookup } from './embedding';
import { checkPairBatch, itemTokenTensor } from './historyPooling';
import {
  checkNumItems,
  embeddingWidth,
  type HyperSpec,
  historyLength,
  resolveHyper,
  SEQUENCE_HYPER,
} from './hyper';
import { dropout, matMul, paddingMask, tokenTensor } from './layers';
import { oneHotCrossEntropy } from './losses';
import type {
  HistoryTokens,
  HyperParameters,
  NeuralCapabilities,
  NeuralRecommender,
  TrainingBatch,
} from './types';
import { glorotNormal, SeedStream, WeightSetModel } from './weights';

/** din's parameters. */
export const DIN_HYPER: Record<string, HyperSpec> = {
  // Shorter histories, narrower embeddings and a smaller attention unit than the other models:
  // every candidate re-attends over every position, so training costs (targets + negatives) x
  // maxLen x dim per window. At maxLen 50, dim 64, 16 units an ml-100k epoch took ~50 s on
  // wasm (2 epochs in 2 minutes, test NDCG@10 0.041, below pop); at 20 / 32 / 8 ~14 s, and
  // validation / test NDCG@10 0.090 / 0.068 after 4 epochs (itemknn 0.056 on test).
  maxLen: historyLength(20),
  dim: embeddingWidth(32),
  dropout: SEQUENCE_HYPER.dropout,
  sharedNegatives: {
    kind: 'int',
    default: 128,
    min: 1,
    max: 1000,
    doc:
      "Negatives sampled once per batch; with the window's own targets they form the candidate " +
      "list of every position's softmax (training cost grows with it).",
  },
  attentionUnits: {
    kind: 'int',
    default: 8,
    min: 2,
    max: 128,
    doc: 'Hidden units of the attention MLP (scoring every item costs in proportion).',
  },
};

class DinRecommender extends WeightSetModel implements NeuralRecommender {
  readonly id = 'din' as const;
  readonly maxLen: number;
  readonly embeddingDim: number;
  readonly trainingNegatives = 0;
  readonly trainingSharedNegatives: number;
  /** How {@link scoreAll} cuts users and items into chunks (memory bound; tests shrink it). */
  scoringLimits: ChunkLimits = DEFAULT_CHUNK_LIMITS;
  private readonly dropoutSeeds: SeedStream;
  private readonly dropoutRate: number;
  /** `[numItems + 1, d]`, row 0 = padding (zero, never trained). Shared by history and candidates. */
  private readonly itemTable: tf.Variable;
  /** `[numItems + 1, 1]` item bias (a column so the scatter-gradient lookup applies). */
  private readonly itemBias: tf.Variable;
  /** `[maxLen, H]` the recency term p_t of the attention unit. */
  private readonly positionTerm: tf.Variable;
  /** Learned scale of `interest · v` (starts at sqrt(d): small initial embeddings, usable logits). */
  private readonly scoreScale: tf.Variable;
  private readonly unit: AttentionUnit;

  constructor(
    readonly numItems: number,
    readonly hyper: HyperParameters,
    seed: number,
  ) {
    super();
    checkNumItems('din', numItems);
    this.maxLen = hyper.maxLen as number;
    this.embeddingDim = hyper.dim as number;
    this.dropoutRate = hyper.dropout as number;
    this.trainingSharedNegatives = hyper.sharedNegatives as number;
    const units = hyper.attentionUnits as number;
    const d = this.embeddingDim;
    const init = new SeedStream(seed, 'din:init');
    this.dropoutSeeds = new SeedStream(seed, 'din:dropout');
    const w = this.weights;
    const tableSeed = init.next();
    this.itemTable = w.add(
      'item_embedding',
      tf.tidy(() => tf.concat([tf.zeros([1, d]), glorotNormal([numItems, d], tableSeed)])),
    );
    this.itemBias = w.add('item_bias', tf.zeros([numItems + 1, 1]));
    this.positionTerm = w.add('attention_position', tf.zeros([this.maxLen, units]));
    this.scoreScale = w.add('score_scale', tf.fill([1], Math.sqrt(d)));
    this.unit = {
      kernel: w.add('attention_kernel', glorotNormal([4 * d, units], init.next())),
      bias: w.add('attention_bias', tf.zeros([units])),
      outputKernel: w.add('attention_output_kernel', glorotNormal([units, 1], init.next())),
      outputBias: w.add('attention_output_bias', tf.zeros([1])),
    };
  }

  readonly capabilities: NeuralCapabilities = {
    targetAttention: (h, items) => this.targetAttention(h, items),
  };

  scoreAll(h: HistoryTokens): tf.Tensor2D {
    checkTokens(h, this.numItems, this.maxLen);
    return scoreAllItemsChunked(
      h,
      {
        unit: this.unit,
        itemTable: this.itemTable,
        itemBias: this.itemBias,
        positionTerm: this.positionTerm,
        scoreScale: this.scoreScale,
        numItems: this.numItems,
      },
      this.scoringLimits,
    );
  }

  scorePairs(h: HistoryTokens, items: Int32Array): tf.Tensor1D {
    return tf.tidy(() => {
      const tokens = tokenTensor(h, this.numItems);
      const emb = embeddingLookup(this.itemTable, tokens) as tf.Tensor3D;
      return this.scorePairsFromEmbeddings(emb, paddingMask(tokens), items);
    });
  }

  embedHistory(h: HistoryTokens): tf.Tensor3D {
    return tf.tidy(
      () => embeddingLookup(this.itemTable, tokenTensor(h, this.numItems)) as tf.Tensor3D,
    );
  }

  scorePairsFromEmbeddings(emb: tf.Tensor3D, mask: tf.Tensor2D, items: Int32Array): tf.Tensor1D {
    return tf.tidy(() => {
      const { score } = this.attendPairs(emb, mask, items);
      return score;
    });
  }

  /**
   * DIN's attention weights a_t `[batch, maxLen]` of each history toward its candidate
   * `items[b]` (dataset index): the per-item relevance that makes up the interest vector
   * (0 at padding; not normalised, see the file comment).
   */
  targetAttention(h: HistoryTokens, items: Int32Array): tf.Tensor2D {
    return tf.tidy(() => {
      const tokens = tokenTensor(h, this.numItems);
      const emb = embeddingLookup(this.itemTable, tokens) as tf.Tensor3D;
      return this.attendPairs(emb, paddingMask(tokens), items).weights;
    });
  }

  paddingEmbedding(): tf.Tensor1D {
    return tf.tidy(() =>
      tf.reshape(tf.slice(this.itemTable, [0, 0], [1, this.embeddingDim]), [this.embeddingDim]),
    );
  }

  trainingLoss(batch: TrainingBatch): tf.Scalar {
    return tf.tidy(() => {
      const rows = batch.inputs.batch;
      const examples = batch.targetTokens.length;
      const cand = rowCandidates(batch);
      const tokens = tokenTensor(batch.inputs, this.numItems);
      const raw = embeddingLookup(this.itemTable, tokens) as tf.Tensor3D;
      const x = dropout(raw, this.dropoutRate, this.dropoutSeeds.next()) as tf.Tensor3D;
      const candTokens = tf.tensor2d(cand.tokens, [rows, cand.perRow], 'int32');
      const v = embeddingLookup(this.itemTable, candTokens) as tf.Tensor3D;
      const logits = attentionLogits(this.unit, this.checkedLength(x), this.positionTerm, v);
      const mask = paddingMask(tokens);
      const { contributions } = attendedContributions(logits, x, v, tf.expandDims(mask, 1));
      // Score of every candidate at every prefix 0..p: a cumulative sum over positions divided by
      // the prefix's item count, as products with the upper-triangular ones matrix (U[t, p] = 1
      // for t <= p).
      const prefix = tf.linalg.bandPart(tf.ones([this.maxLen, this.maxLen]), 0, -1);
      const sums = matMul(tf.reshape(contributions, [-1, this.maxLen]), prefix);
      const counts = tf.maximum(matMul(mask, prefix), 1);
      const atPrefix = tf.mul(
        tf.div(tf.reshape(sums, [rows, cand.perRow, this.maxLen]), tf.expandDims(counts, 1)),
        this.scoreScale,
      );
      const biased = tf.add(atPrefix, embeddingLookup(this.itemBias, candTokens));
      const byPosition = tf.reshape(tf.transpose(biased, [0, 2, 1]), [-1, cand.perRow]);
      const atTargets = embeddingLookup(byPosition, tf.tensor1d(batch.targetPositions, 'int32'));
      const masked = tf.add(atTargets, tf.tensor2d(cand.exclusions, [examples, cand.perRow]));
      return oneHotCrossEntropy(masked as tf.Tensor2D, tf.tensor1d(cand.labels, 'int32'));
    });
  }

  private checkedLength(x: tf.Tensor3D): tf.Tensor3D {
    if (x.shape[1] !== this.maxLen) {
      throw new Error(
        `din reads histories of exactly ${this.maxLen} positions; got ${x.shape[1]}.`,
      );
    }
    return x;
  }

  private attendPairs(
    emb: tf.Tensor3D,
    mask: tf.Tensor2D,
    items: Int32Array,
  ): { score: tf.Tensor1D; weights: tf.Tensor2D } {
    checkPairBatch(emb, mask, items);
    const batch = emb.shape[0];
    const itemTokens = itemTokenTensor(items, this.numItems);
    const v = tf.expandDims(embeddingLookup(this.itemTable, itemTokens), 1) as tf.Tensor3D;
    const logits = attentionLogits(this.unit, this.checkedLength(emb), this.positionTerm, v);
    const visible = tf.expandDims(mask, 1);
    const { contributions, weights } = attendedContributions(logits, emb, v, visible);
    const mean = tf.div(tf.sum(contributions, 2), tf.maximum(tf.sum(mask, 1, true), 1));
    const score = tf.mul(mean, this.scoreScale);
    const bias = tf.reshape(embeddingLookup(this.itemBias, itemTokens), [batch]);
    return {
      score: tf.add(tf.reshape(score, [batch]), bias) as tf.Tensor1D,
      weights: tf.reshape(weights, [batch, emb.shape[1]]) as tf.Tensor2D,
    };
  }
}

/** A din model: a {@link NeuralRecommender} with its candidate-dependent attention. */
export interface DinModel extends NeuralRecommender {
  targetAttention(h: HistoryTokens, items: Int32Array): tf.Tensor2D;
  scoringLimits: ChunkLimits;
}

/** Builds a seeded `din` model; `hyper` is checked against {@link DIN_HYPER}. */
export function createDin(numItems: number, hyper: HyperParameters, seed: number): DinModel {
  return new DinRecommender(numItems, resolveHyper('din', DIN_HYPER, hyper), seed);
}
