/**
 * `weighted`: the glass-box interest model of the seed paper. The user's interest vector is
 * I = Σ_t w_t x_t over the history item embeddings x_t, with w_t = α f_t + β h_t:
 *   f_t  frequency: occurrences of position t's item among the real positions of the window,
 *        divided by the window length `maxLen` (a constant, so removing one item never rescales
 *        the others' weights);
 *   h_t  heat: recency exp(-age / τ), age = positions from the most recent one (0 = now). The
 *        paper's heat also multiplies an item popularity; a model factory only sees
 *        (numItems, hyper, seed, features), and a popularity read from the training data at
 *        creation would be a hidden, unsaved input, so heat here is pure recency (τ a hyper);
 *   α, β learned scalars. The score of item j is I · v_j with a separate output embedding v.
 *
 * Nothing normalises across the history, so position t's contribution to the score of j is
 * exactly c_t = w_t (x_t · v_j) and Σ_t c_t is the score ({@link WeightedRecommender.contributions}).
 * "Exact" under removal: masking position t (the others keep their positions, hence their
 * recency) lowers the score by c_t plus, when t's item occurs n > 1 times, α (n - 1)/maxLen ·
 * (x_t · v_j) (each other occurrence loses 1/maxLen of frequency). For an item that occurs once
 * the change is exactly c_t. Re-packing a shortened history moves older items one position
 * closer to now, which changes their recency: that is a different edit, not a removal.
 *
 * Frequency needs item identity. From tokens it is counted exactly; in
 * {@link WeightedRecommender.scorePairsFromEmbeddings} two real positions hold the same item
 * when their embeddings are parallel (cosine > 1 - 1e-5), which stays true along an
 * integrated-gradients path (every row scaled alike) and for masking; an explainer that adds
 * noise to one occurrence of a repeated item makes it a distinct item. f carries no gradient:
 * the score is linear in the embeddings, so gradient x input and integrated gradients from the
 * zero (padding) baseline recover c_t exactly.
 */
import * as tf from '../tf';
import { embeddingLookup } from './embedding';
import {
  checkItemIndexType,
  checkPairBatch,
  itemTokenTensor,
  pooledAtPositions,
} from './historyPooling';
import {
  candidateSampling,
  checkNumItems,
  describeNextItemLoss,
  type HyperSpec,
  resolveAutoLoss,
  resolveHyper,
  SEQUENCE_HYPER,
} from './hyper';
import { dropout, matMul, paddingMask, tokenTensor } from './layers';
import { catalogueByColumn, type NextItemLossKind, nextItemLoss } from './losses';
import type {
  CandidateSampling,
  HistoryTokens,
  HyperParameters,
  NeuralCapabilities,
  NeuralRecommender,
  TrainingBatch,
} from './types';
import { prefixFrequencyRecency, windowFrequency } from './weightedWindows';
import { glorotNormal, SeedStream, WeightSetModel } from './weights';

/** weighted's parameters: the shared sequence ones plus the recency decay τ. */
export const WEIGHTED_HYPER: Record<string, HyperSpec> = {
  ...SEQUENCE_HYPER,
  recencyDecay: {
    kind: 'number',
    default: 10,
    min: 0.1,
    max: 10_000,
    doc: 'τ of the heat term exp(-age / τ), in positions (age 0 = the most recent item).',
  },
};

/** Cosine above which two history embeddings count as the same item (see the module doc). */
const SAME_ITEM_COSINE = 1 - 1e-5;

export class WeightedRecommender extends WeightSetModel implements NeuralRecommender {
  readonly id = 'weighted' as const;
  readonly maxLen: number;
  readonly embeddingDim: number;
  readonly trainingNegatives: number;
  readonly trainingSharedNegatives = 0;
  readonly trainingCandidates: CandidateSampling | undefined;
  readonly lossDescription: string;
  private readonly dropoutSeeds: SeedStream;
  private readonly loss: NextItemLossKind;
  private readonly historyTable: tf.Variable;
  private readonly outputTable: tf.Variable;
  private readonly alpha: tf.Variable;
  private readonly beta: tf.Variable;
  /** exp(-age / τ) per position, `[maxLen]` (age 0 at the last position). */
  private readonly recency: Float32Array;

  constructor(
    readonly numItems: number,
    readonly hyper: HyperParameters,
    seed: number,
  ) {
    super();
    checkNumItems('weighted', numItems);
    this.maxLen = hyper.maxLen as number;
    this.embeddingDim = hyper.dim as number;
    this.loss = hyper.loss as NextItemLossKind;
    this.trainingNegatives = this.loss === 'bce' ? (hyper.negatives as number) : 0;
    this.trainingCandidates = candidateSampling(hyper);
    this.lossDescription = describeNextItemLoss(hyper, numItems);
    const init = new SeedStream(seed, 'weighted:init');
    this.dropoutSeeds = new SeedStream(seed, 'weighted:dropout');
    const d = this.embeddingDim;
    const table = (s: number) =>
      tf.tidy(() => tf.concat([tf.zeros([1, d]), glorotNormal([numItems, d], s)]));
    this.historyTable = this.weights.add('history_embedding', table(init.next()));
    this.outputTable = this.weights.add('item_embedding', table(init.next()));
    this.alpha = this.weights.add('alpha', tf.scalar(1));
    this.beta = this.weights.add('beta', tf.scalar(1));
    const tau = hyper.recencyDecay as number;
    this.recency = Float32Array.from({ length: this.maxLen }, (_, t) =>
      Math.exp(-(this.maxLen - 1 - t) / tau),
    );
  }

  /** w_t = (α f_t + β h_t) at real positions, from frequency `[batch, maxLen]` and the mask. */
  private positionWeights(frequency: tf.Tensor2D, mask: tf.Tensor2D): tf.Tensor2D {
    const heat = tf.mul(mask, tf.tensor1d(this.recency));
    return tf.add(tf.mul(this.alpha, frequency), tf.mul(this.beta, heat)) as tf.Tensor2D;
  }

  /** I = Σ_t w_t x_t, `[batch, d]`. */
  private interest(emb: tf.Tensor3D, w: tf.Tensor2D): tf.Tensor2D {
    return tf.sum(tf.mul(emb, tf.expandDims(w, 2)), 1) as tf.Tensor2D;
  }

  private tokenWeights(h: HistoryTokens): { emb: tf.Tensor3D; w: tf.Tensor2D } {
    const tokens = tokenTensor(h, this.numItems);
    const frequency = tf.tensor2d(windowFrequency(h.tokens, h.batch, h.maxLen), [
      h.batch,
      h.maxLen,
    ]);
    const emb = embeddingLookup(this.historyTable, tokens) as tf.Tensor3D;
    return { emb, w: this.positionWeights(frequency, paddingMask(tokens)) };
  }

  private outputRows(items: Int32Array): tf.Tensor2D {
    return embeddingLookup(this.outputTable, itemTokenTensor(items, this.numItems)) as tf.Tensor2D;
  }

  scoreAll(h: HistoryTokens): tf.Tensor2D {
    return tf.tidy(() => {
      const { emb, w } = this.tokenWeights(h);
      return matMul(this.interest(emb, w), catalogueByColumn(this.outputTable)) as tf.Tensor2D;
    });
  }

  scorePairs(h: HistoryTokens, items: Int32Array): tf.Tensor1D {
    return tf.tidy(() => tf.sum(this.contributions(h, items), 1) as tf.Tensor1D);
  }

  /**
   * Exact contribution of every history position to the score of `items[b]`, `[batch, maxLen]`:
   * w_t (x_t · v_item); zero at padding; each row sums to {@link scorePairs}.
   */
  contributions(h: HistoryTokens, items: Int32Array): tf.Tensor2D {
    checkItemIndexType(items);
    if (items.length !== h.batch) {
      throw new Error(`Batch sizes differ: ${h.batch} histories, ${items.length} items.`);
    }
    return tf.tidy(() => {
      const { emb, w } = this.tokenWeights(h);
      const rows = tf.expandDims(this.outputRows(items), 1);
      return tf.mul(w, tf.sum(tf.mul(emb, rows), 2)) as tf.Tensor2D;
    });
  }

  embedHistory(h: HistoryTokens): tf.Tensor3D {
    return tf.tidy(
      () => embeddingLookup(this.historyTable, tokenTensor(h, this.numItems)) as tf.Tensor3D,
    );
  }

  scorePairsFromEmbeddings(emb: tf.Tensor3D, mask: tf.Tensor2D, items: Int32Array): tf.Tensor1D {
    checkPairBatch(emb, mask, items);
    return tf.tidy(() => {
      const w = this.positionWeights(embeddingFrequency(emb, mask, this.maxLen), mask);
      return tf.sum(tf.mul(this.interest(emb, w), this.outputRows(items)), 1) as tf.Tensor1D;
    });
  }

  readonly capabilities: NeuralCapabilities = {
    exactContributions: (h, items) => this.contributions(h, items),
  };

  paddingEmbedding(): tf.Tensor1D {
    return tf.zeros([this.embeddingDim]);
  }

  /**
   * The learned (α, β) of w_t = α f_t + β h_t, for display next to the contributions: two
   * scalars read back (blocking) once per view, not on a scoring or training path.
   */
  mixing(): { alpha: number; beta: number } {
    return { alpha: this.alpha.dataSync()[0], beta: this.beta.dataSync()[0] };
  }

  trainingLoss(batch: TrainingBatch): tf.Scalar {
    return tf.tidy(() => {
      const { batch: rows, maxLen } = batch.inputs;
      const { frequency, recency } = prefixFrequencyRecency(
        batch.inputs.tokens,
        rows,
        maxLen,
        this.hyper.recencyDecay as number,
      );
      const shape: [number, number, number] = [rows, maxLen, maxLen];
      const w = tf.add(
        tf.mul(this.alpha, tf.tensor3d(frequency, shape)),
        tf.mul(this.beta, tf.tensor3d(recency, shape)),
      ) as tf.Tensor3D;
      const tokens = tokenTensor(batch.inputs, this.numItems);
      const emb = dropout(
        embeddingLookup(this.historyTable, tokens),
        this.hyper.dropout as number,
        this.dropoutSeeds.next(),
      ) as tf.Tensor3D;
      const hidden = pooledAtPositions(w, emb, batch.targetPositions);
      return nextItemLoss(this.loss, hidden, this.outputTable, batch, 'log-sum-exp');
    });
  }
}

/**
 * f_t from embeddings: real positions whose embeddings are parallel to position t's (its own
 * included), over `maxLen`; zero at padding. Item identity is a fact about the input, not a
 * function to differentiate: the count runs inside a custom gradient that returns zero (ops
 * inside a custom gradient's forward pass are not recorded, so the comparison, which has no
 * gradient in TF.js, never reaches the tape).
 */
function embeddingFrequency(emb: tf.Tensor3D, mask: tf.Tensor2D, maxLen: number): tf.Tensor2D {
  const count = tf.customGrad((...inputs: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [x, m] = inputs as [tf.Tensor3D, tf.Tensor2D];
    const norms = tf.sqrt(tf.add(tf.sum(tf.square(x), 2, true), 1e-12));
    const unit = tf.div(x, norms);
    const cosine = tf.matMul(unit, unit, false, true);
    const same = tf.cast(tf.greater(cosine, SAME_ITEM_COSINE), 'float32');
    const identical = tf.maximum(same, tf.expandDims(tf.eye(x.shape[1]), 0));
    const counted = tf.mul(tf.sum(tf.mul(identical, tf.expandDims(m, 1)), 2), m);
    return {
      value: tf.div(counted, maxLen),
      gradFunc: () => [tf.zeros(x.shape), tf.zeros(m.shape)],
    };
  });
  return count(emb, mask) as tf.Tensor2D;
}

/** Builds a seeded `weighted` model; `hyper` is checked against {@link WEIGHTED_HYPER}. */
export function createWeighted(
  numItems: number,
  hyper: HyperParameters,
  seed: number,
): NeuralRecommender {
  const resolved = resolveAutoLoss(resolveHyper('weighted', WEIGHTED_HYPER, hyper), numItems);
  return new WeightedRecommender(numItems, resolved, seed);
}
