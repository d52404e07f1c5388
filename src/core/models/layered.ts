/**
 * `layered`: layered interests (surface / middle / deep) as three softmax heads over a shared
 * sequence encoder, next to the usual next-item head.
 *
 * Encoder: the same GRU as `gru` (item embeddings -> gated recurrent state -> linear read-out);
 * the state after the most recent item is the user's interest now. Heads, each a softmax over
 * the dataset's categories read from that state (see layeredTargets.ts for the exact targets):
 * - item head: the next item, scored by dot product with the (tied) item table, as `gru`;
 * - surface head: the categories of the NEXT item (what the user is about to look at);
 * - middle head: the category mix of the next `middleHorizon` items (the current session or
 *   short phase of interest);
 * - deep head: the category mix of the user's whole training window (long-horizon, stable
 *   interests).
 * Loss = item loss + surfaceWeight·CE(surface) + middleWeight·CE(middle) + deepWeight·CE(deep).
 * The category heads only shape the shared state (multi-task); scores come from the item head.
 */
import * as tf from '../tf';
import { embeddingLookup } from './embedding';
import { addGruWeights, type GruWeights, gruStates } from './gru';
import { type HyperSpec, resolveAutoLoss, resolveHyper, SEQUENCE_HYPER } from './hyper';
import { type HeadTargets, interestTargets } from './layeredTargets';
import { dense, dropout, matMul, paddingMask, tokenTensor } from './layers';
import { type NextItemLossKind, nextItemLoss } from './losses';
import { SequenceRecommender } from './sequential';
import type { ItemFeatures } from './trained';
import type {
  HistoryTokens,
  HyperParameters,
  InterestLayers,
  NeuralCapabilities,
  NeuralRecommender,
  TrainingBatch,
} from './types';
import { glorotNormal } from './weights';

const weightSpec = (what: string): HyperSpec => ({
  kind: 'number',
  default: 0.5,
  min: 0,
  max: 10,
  doc: `Weight of the ${what} head's cross-entropy in the training loss (0 = not trained).`,
});

/** layered's parameters: the shared sequence ones plus the heads' weights and the middle horizon. */
export const LAYERED_HYPER: Record<string, HyperSpec> = {
  ...SEQUENCE_HYPER,
  surfaceWeight: weightSpec('surface (next item categories)'),
  middleWeight: weightSpec('middle (next middleHorizon items)'),
  deepWeight: weightSpec('deep (whole window)'),
  middleHorizon: {
    kind: 'int',
    default: 5,
    min: 2,
    max: 100,
    doc: 'Items ahead whose category mix the middle head predicts.',
  },
};

type Head = [tf.Variable, tf.Variable];

class LayeredRecommender extends SequenceRecommender {
  readonly numCategories: number;
  /** Items with no category: they carry no signal for the category heads. */
  readonly itemsWithoutCategory: number;
  private readonly categoriesOfToken: number[][];
  private readonly gru: GruWeights;
  private readonly heads: { surface: Head; middle: Head; deep: Head };

  constructor(numItems: number, hyper: HyperParameters, seed: number, features: ItemFeatures) {
    super('layered', numItems, hyper, seed);
    this.numCategories = features.numCategories;
    this.categoriesOfToken = [[], ...features.categories];
    this.itemsWithoutCategory = features.categories.filter((c) => c.length === 0).length;
    const d = this.embeddingDim;
    const w = this.weights;
    const s = this.initSeeds;
    // gru.ts's cell and linear read-out (its weight names too).
    this.gru = addGruWeights(w, d, s);
    const head = (name: string): Head => [
      w.add(`${name}_head_kernel`, glorotNormal([d, this.numCategories], s.next())),
      w.add(`${name}_head_bias`, tf.zeros([this.numCategories])),
    ];
    this.heads = { surface: head('surface'), middle: head('middle'), deep: head('deep') };
  }

  override readonly capabilities: NeuralCapabilities = {
    interestHeads: (h) => this.interestHeads(h),
  };

  protected encode(emb: tf.Tensor3D, mask: tf.Tensor2D, training: boolean): tf.Tensor3D {
    const drop = (x: tf.Tensor) =>
      training ? dropout(x, this.dropoutRate, this.dropoutSeeds.next()) : x;
    const hidden = drop(gruStates(drop(emb) as tf.Tensor3D, mask, this.gru));
    const { outputKernel, outputBias } = this.gru;
    return dense(hidden, outputKernel as tf.Tensor2D, outputBias as tf.Tensor1D) as tf.Tensor3D;
  }

  /**
   * What each head predicts for each history, at its most recent position: probabilities over
   * categories (rows sum to 1). The caller owns the three tensors.
   */
  interestHeads(h: HistoryTokens): InterestLayers {
    return tf.tidy(() => {
      const tokens = tokenTensor(h, this.numItems);
      const emb = embeddingLookup(this.itemTable, tokens) as tf.Tensor3D;
      const hidden = this.encode(emb, paddingMask(tokens), false);
      const last = tf.reshape(tf.slice(hidden, [0, h.maxLen - 1, 0], [h.batch, 1, -1]), [
        h.batch,
        this.embeddingDim,
      ]);
      const probabilities = ([kernel, bias]: Head) =>
        tf.softmax(tf.add(matMul(last, kernel), bias)) as tf.Tensor2D;
      return {
        surface: probabilities(this.heads.surface),
        middle: probabilities(this.heads.middle),
        deep: probabilities(this.heads.deep),
      };
    });
  }

  override trainingLoss(batch: TrainingBatch): tf.Scalar {
    return tf.tidy(() => {
      const tokens = tokenTensor(batch.inputs, this.numItems);
      const emb = embeddingLookup(this.itemTable, tokens) as tf.Tensor3D;
      const hidden = this.encode(emb, paddingMask(tokens), true);
      const flat = tf.reshape(hidden, [-1, this.embeddingDim]);
      const atTargets = embeddingLookup(
        flat,
        tf.tensor1d(batch.targetPositions, 'int32'),
      ) as tf.Tensor2D;
      const targets = interestTargets(
        batch,
        this.categoriesOfToken,
        this.numCategories,
        this.hyper.middleHorizon as number,
      );
      let loss = nextItemLoss(
        this.hyper.loss as NextItemLossKind,
        atTargets,
        this.itemTable,
        batch,
      );
      for (const layer of ['surface', 'middle', 'deep'] as const) {
        const weight = this.hyper[`${layer}Weight`] as number;
        if (weight === 0 || targets[layer].count === 0) continue;
        const ce = headCrossEntropy(atTargets, this.heads[layer], targets[layer]);
        loss = tf.add(loss, tf.mul(ce, weight));
      }
      return loss;
    });
  }
}

/** Soft-label cross-entropy −Σ q log p, averaged over the examples that have a target. */
function headCrossEntropy(
  hidden: tf.Tensor2D,
  [kernel, bias]: Head,
  target: HeadTargets,
): tf.Scalar {
  const numCategories = kernel.shape[1] as number;
  const examples = hidden.shape[0];
  const logProbabilities = tf.logSoftmax(tf.add(matMul(hidden, kernel), bias));
  const q = tf.tensor2d(target.distribution, [examples, numCategories]);
  const perExample = tf.neg(tf.sum(tf.mul(logProbabilities, q), 1));
  return tf.div(tf.sum(tf.mul(perExample, tf.tensor1d(target.mask))), target.count) as tf.Scalar;
}

/** A layered model: a {@link NeuralRecommender} that also reports its interest layers. */
export type { InterestLayers } from './types';

export interface LayeredModel extends NeuralRecommender {
  readonly numCategories: number;
  readonly itemsWithoutCategory: number;
  interestHeads(h: HistoryTokens): InterestLayers;
}

/**
 * Builds a seeded `layered` model. It needs item categories: `features` from
 * `itemFeaturesFromDataset`, for this catalogue, with at least one categorised item.
 */
export function createLayered(
  numItems: number,
  hyper: HyperParameters,
  seed: number,
  features?: ItemFeatures,
): LayeredModel {
  checkFeatures(numItems, features);
  return new LayeredRecommender(
    numItems,
    resolveAutoLoss(resolveHyper('layered', LAYERED_HYPER, hyper), numItems),
    seed,
    features,
  );
}

function checkFeatures(
  numItems: number,
  features?: ItemFeatures,
): asserts features is ItemFeatures {
  const advice =
    'map a category column (or load item metadata with categories), or train another model';
  if (!features) {
    throw new Error(
      `layered predicts category interests and needs item categories; none were given (${advice}).`,
    );
  }
  if (features.numCategories < 1 || features.categories.every((c) => c.length === 0)) {
    throw new Error(`layered needs item categories, but this dataset has none: ${advice}.`);
  }
  if (features.categories.length !== numItems) {
    throw new Error(
      `layered: item features describe ${features.categories.length} items; the model has ${numItems}.`,
    );
  }
  features.categories.forEach((cats, item) => {
    for (const c of cats) {
      if (!Number.isInteger(c) || c < 0 || c >= features.numCategories) {
        throw new RangeError(
          `layered: item ${item} has category ${c}, outside 0..${features.numCategories - 1}.`,
        );
      }
    }
  });
}
