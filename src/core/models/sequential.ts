/**
 * What every sequential next-item model shares: a tied item table (token 0 = padding, kept at
 * zero), scoring by dot product with the encoder's last hidden state, the explainers' entry
 * points, and the two training losses. A variant only says how it encodes a history.
 */
import * as tf from '../tf';
import { embeddingLookup } from './embedding';
import { checkItemIndexType, checkPairBatch, itemTokenTensor } from './historyPooling';
import { candidateSampling, checkNumItems, describeNextItemLoss } from './hyper';
import { matMul, paddingMask, tokenTensor } from './layers';
import { catalogueByColumn, type NextItemLossKind, nextItemLoss } from './losses';
import type {
  CandidateSampling,
  HistoryTokens,
  HyperParameters,
  ModelId,
  NeuralCapabilities,
  NeuralRecommender,
  TrainingBatch,
} from './types';
import { glorotNormal, SeedStream, WeightSetModel } from './weights';

export abstract class SequenceRecommender extends WeightSetModel implements NeuralRecommender {
  readonly maxLen: number;
  readonly embeddingDim: number;
  readonly trainingNegatives: number;
  readonly trainingSharedNegatives = 0;
  readonly trainingCandidates: CandidateSampling | undefined;
  readonly lossDescription: string;
  /** Seeds of the dropout masks: a fresh mask per step, the same sequence for the same seed. */
  protected readonly dropoutSeeds: SeedStream;
  protected readonly initSeeds: SeedStream;
  protected readonly dropoutRate: number;
  private readonly loss: NextItemLossKind;
  /** `[numItems + 1, d]`; row 0 (padding) starts at zero and never receives a gradient. */
  protected readonly itemTable: tf.Variable;
  /** None beyond history embeddings unless a variant overrides this. */
  readonly capabilities: NeuralCapabilities = {};

  constructor(
    readonly id: ModelId,
    readonly numItems: number,
    readonly hyper: HyperParameters,
    seed: number,
  ) {
    super();
    checkNumItems(id, numItems);
    this.maxLen = hyper.maxLen as number;
    this.embeddingDim = hyper.dim as number;
    this.dropoutRate = hyper.dropout as number;
    this.loss = hyper.loss as NextItemLossKind;
    this.trainingNegatives = this.loss === 'bce' ? (hyper.negatives as number) : 0;
    this.trainingCandidates = candidateSampling(hyper);
    this.lossDescription = describeNextItemLoss(hyper, numItems);
    this.initSeeds = new SeedStream(seed, `${id}:init`);
    this.dropoutSeeds = new SeedStream(seed, `${id}:dropout`);
    const d = this.embeddingDim;
    const itemSeed = this.initSeeds.next();
    const table = tf.tidy(() =>
      tf.concat([tf.zeros([1, d]), glorotNormal([numItems, d], itemSeed)]),
    );
    this.itemTable = this.weights.add('item_embedding', table);
  }

  /**
   * Hidden states `[batch, maxLen, d]` from history embeddings and the padding mask. `training`
   * switches dropout on. Position `maxLen - 1` summarises the whole history.
   */
  protected abstract encode(emb: tf.Tensor3D, mask: tf.Tensor2D, training: boolean): tf.Tensor3D;

  /**
   * The hidden state at the most recent position `[batch, d]` (inference: no dropout), what
   * scoring and every explainer read. A variant may compute it without the other positions'
   * outputs (sasrec's last block), as long as the numbers are those of {@link encode}.
   */
  protected lastHidden(emb: tf.Tensor3D, mask: tf.Tensor2D): tf.Tensor2D {
    const [batch, len, d] = emb.shape;
    const hidden = this.encode(emb, mask, false);
    return tf.reshape(tf.slice(hidden, [0, len - 1, 0], [batch, 1, d]), [batch, d]);
  }

  /**
   * {@link lastHidden} of token histories (no gradient needed): what scoring reads. A variant
   * may override it with a cheaper exact form (sasrec's gathered key/value projections).
   */
  protected lastHiddenFromTokens(h: HistoryTokens): tf.Tensor2D {
    const tokens = tokenTensor(h, this.numItems);
    const emb = embeddingLookup(this.itemTable, tokens) as tf.Tensor3D;
    return this.lastHidden(emb, paddingMask(tokens));
  }

  scoreAll(h: HistoryTokens): tf.Tensor2D {
    return tf.tidy(
      () => matMul(this.lastHiddenFromTokens(h), catalogueByColumn(this.itemTable)) as tf.Tensor2D,
    );
  }

  scorePairs(h: HistoryTokens, items: Int32Array): tf.Tensor1D {
    checkItemIndexType(items);
    if (items.length !== h.batch) {
      throw new Error(`Batch sizes differ: ${h.batch} histories, ${items.length} items.`);
    }
    return tf.tidy(() => {
      const itemRows = embeddingLookup(this.itemTable, itemTokenTensor(items, this.numItems));
      return tf.sum(tf.mul(this.lastHiddenFromTokens(h), itemRows), 1) as tf.Tensor1D;
    });
  }

  embedHistory(h: HistoryTokens): tf.Tensor3D {
    return tf.tidy(
      () => embeddingLookup(this.itemTable, tokenTensor(h, this.numItems)) as tf.Tensor3D,
    );
  }

  scorePairsFromEmbeddings(emb: tf.Tensor3D, mask: tf.Tensor2D, items: Int32Array): tf.Tensor1D {
    checkPairBatch(emb, mask, items);
    return tf.tidy(() => {
      const itemRows = embeddingLookup(this.itemTable, itemTokenTensor(items, this.numItems));
      return tf.sum(tf.mul(this.lastHidden(emb, mask), itemRows), 1) as tf.Tensor1D;
    });
  }

  paddingEmbedding(): tf.Tensor1D {
    return tf.tidy(() =>
      tf.reshape(tf.slice(this.itemTable, [0, 0], [1, this.embeddingDim]), [this.embeddingDim]),
    );
  }

  trainingLoss(batch: TrainingBatch): tf.Scalar {
    return tf.tidy(() => {
      const tokens = tokenTensor(batch.inputs, this.numItems);
      const emb = embeddingLookup(this.itemTable, tokens) as tf.Tensor3D;
      const hidden = this.encode(emb, paddingMask(tokens), true);
      const flat = tf.reshape(hidden, [-1, this.embeddingDim]);
      const positions = tf.tensor1d(batch.targetPositions, 'int32');
      const atTargets = embeddingLookup(flat, positions) as tf.Tensor2D;
      return nextItemLoss(this.loss, atTargets, this.itemTable, batch);
    });
  }
}
