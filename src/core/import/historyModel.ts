/**
 * An imported history-in model (a Keras GRU4Rec/SASRec-style model, or a TF.js graph model
 * with one sequence input) as a {@link NeuralRecommender} over the loaded dataset: our
 * left-padded tokens (dataset item i = token i + 1) are translated into the model's own ids,
 * padding side and padding id; its output columns are read back in dataset item order, and
 * dataset items the model does not know score -Infinity (never recommended).
 *
 * Gradient explanations need the model as a function of the embedded history. For a Keras
 * model whose layers after the item Embedding form a chain, {@link GradientPath} applies the
 * Embedding and then the chain (with the padding mask where the Embedding masks zeros); the
 * import checks that this path gives the model's own scores before offering it. Without it the
 * model is a black box: the perturbation methods still apply.
 */
import type * as tfl from '@tensorflow/tfjs-layers';
import type { Dataset } from '../data/types';
import { ModelFileError } from '../models/modelFileError';
import type { HistoryTokens, NeuralRecommender } from '../models/types';
import * as tf from '../tf';
import type { HistoryMapping } from './mapping';
import { checkFiniteScores, probeScores } from './weightCheck';

/** The model's forward pass: model ids `[batch, maxLen]` in, scores `[batch, columns]` out. */
export type Forward = (ids: tf.Tensor2D) => tf.Tensor2D;

/** The gradient path of a Keras chain model (see the module comment). */
export interface GradientPath {
  embedding: tfl.layers.Layer;
  chain: tfl.layers.Layer[];
  maskZero: boolean;
  dim: number;
}

export interface HistoryModelParts {
  id: 'keras' | 'graph';
  forward: Forward;
  /** Columns of the model's output. */
  columns: number;
  mapping: HistoryMapping;
  /** Dataset item → model id (-1: unknown to the model). */
  itemToModel: Int32Array;
  gradient: GradientPath | null;
  /** The model's weights by name (copies the caller owns), for export and profiles. */
  weights: () => Record<string, tf.Tensor>;
  dispose: () => void;
}

function notTrainable(): never {
  throw new Error('An imported model is not trained in Interest Lens; train it in its own engine.');
}

/**
 * The model's ids for our tokens: each row's known items, oldest first, placed on the model's
 * padding side. Items the model does not know are skipped (the rest close up): the model has
 * nothing learnt about them, and a padding id in their place would still move a model that
 * does not mask padding.
 */
export function modelIds(
  h: HistoryTokens,
  mapping: HistoryMapping,
  itemToModel: Int32Array,
): Int32Array {
  const { batch, maxLen, tokens } = h;
  const out = new Int32Array(batch * maxLen).fill(mapping.padValue);
  const known = new Int32Array(maxLen);
  for (let b = 0; b < batch; b++) {
    const row = b * maxLen;
    let n = 0;
    for (let j = 0; j < maxLen; j++) {
      const t = tokens[row + j];
      const id = t === 0 ? -1 : itemToModel[t - 1];
      if (id >= 0) known[n++] = id;
    }
    out.set(known.subarray(0, n), mapping.padding === 'left' ? row + maxLen - n : row);
  }
  return out;
}

/** Dataset users whose histories are run through a model at import (after one padded row). */
const PROBE_USERS = 7;

/**
 * Runs the model at import on one all-padding row and the last `maxLen` items of the first
 * dataset users, so that a graph that cannot run synchronously (control flow, dynamic ops), a
 * mapping the model rejects, an output that is not `[batch, columns]` or scores that are not
 * finite are refused in one sentence here, not at the first ranking.
 */
export function probeHistoryModel(
  forward: Forward,
  mapping: HistoryMapping,
  itemToModel: Int32Array,
  columns: number,
  dataset: Dataset,
): void {
  const { maxLen } = mapping;
  const users = Math.min(PROBE_USERS, dataset.userIds.length);
  const batch = 1 + users;
  const tokens = new Int32Array(batch * maxLen);
  for (let u = 0; u < users; u++) {
    const end = dataset.userOffsets[u + 1];
    const start = Math.max(dataset.userOffsets[u], end - maxLen);
    for (let p = start, q = (u + 2) * maxLen - (end - start); p < end; p++, q++) {
      tokens[q] = dataset.item[p] + 1;
    }
  }
  const ids = modelIds({ tokens, batch, maxLen }, mapping, itemToModel);
  const what = `a padded history of ${maxLen} items and ${users === 1 ? "the first user's history" : `the first ${users} users' histories`}`;
  const { shape, scores } = probeScores(
    () => forward(tf.tensor2d(ids, [batch, maxLen], 'int32')),
    what,
  );
  if (shape.length !== 2 || shape[0] !== batch || shape[1] !== columns) {
    throw new ModelFileError(
      'unsupported-model',
      `The model gives scores of shape [${shape.join(', ')}] for ${batch} histories, not [${batch}, ${columns}] (one score per item it knows).`,
    );
  }
  checkFiniteScores(scores, what);
}

/** Builds the recommender; `numItems` is the dataset's catalogue. */
export function historyRecommender(parts: HistoryModelParts, numItems: number): NeuralRecommender {
  const { mapping, itemToModel, forward, gradient } = parts;
  const maxLen = mapping.maxLen;
  // Dataset item → output column, and the -Infinity of items the model cannot score.
  const column = new Int32Array(numItems);
  const penalty = new Float32Array(numItems);
  for (let i = 0; i < numItems; i++) {
    const c = itemToModel[i] >= 0 ? itemToModel[i] - mapping.outputOffset : -1;
    const ok = c >= 0 && c < parts.columns;
    column[i] = ok ? c : 0;
    penalty[i] = ok ? 0 : Number.NEGATIVE_INFINITY;
  }

  const idTensor = (h: HistoryTokens) =>
    tf.tensor2d(modelIds(h, mapping, itemToModel), [h.batch, maxLen], 'int32');

  /**
   * Scores of `out` `[batch, columns]` at each row's item (dataset index), `[batch]`.
   * `differentiable`: a one-hot product instead of a gather, whose gradient
   * (UnsortedSegmentSum) the wasm backend lacks.
   */
  function pairsOf(out: tf.Tensor2D, items: Int32Array, differentiable = false): tf.Tensor1D {
    if (differentiable) {
      const cols = Int32Array.from(items, (i) => column[i]);
      const pen = Float32Array.from(items, (i) => penalty[i]);
      const picked = tf.sum(tf.mul(out, tf.oneHot(tf.tensor1d(cols, 'int32'), parts.columns)), 1);
      return tf.add(picked, tf.tensor1d(pen)) as tf.Tensor1D;
    }
    const flat = new Int32Array(items.length);
    const pen = new Float32Array(items.length);
    for (let r = 0; r < items.length; r++) {
      flat[r] = r * parts.columns + column[items[r]];
      pen[r] = penalty[items[r]];
    }
    return tf.add(tf.gather(tf.reshape(out, [-1]), tf.tensor1d(flat, 'int32')), tf.tensor1d(pen));
  }

  /** Embeddings of our token slots (unknown and padding slots get the padding id's). */
  function embedSlots(h: HistoryTokens): tf.Tensor3D {
    if (!gradient) throw new Error('This imported model has no gradient path.');
    const ids = new Int32Array(h.tokens.length);
    for (let j = 0; j < ids.length; j++) {
      const t = h.tokens[j];
      const id = t === 0 ? -1 : itemToModel[t - 1];
      ids[j] = id >= 0 ? id : mapping.padValue;
    }
    const input = tf.tensor2d(ids, [h.batch, h.maxLen], 'int32');
    return gradient.embedding.apply(input) as tf.Tensor3D;
  }

  /** Our left-padded slots in the model's order, and the model-side mask. */
  function toModelOrder(emb: tf.Tensor3D, mask: tf.Tensor2D): { x: tf.Tensor3D; m: tf.Tensor2D } {
    if (mapping.padding === 'left') return { x: emb, m: mask };
    const [batch, len, dim] = emb.shape;
    const counts = tf.sum(mask, 1).dataSync();
    const index = new Int32Array(batch * len);
    for (let b = 0; b < batch; b++) {
      const n = Math.round(counts[b]);
      for (let s = 0; s < len; s++) index[b * len + s] = b * len + ((s + len - n) % len);
    }
    const gather = tf.tensor1d(index, 'int32');
    const x = tf.reshape(tf.gather(tf.reshape(emb, [batch * len, dim]), gather), [batch, len, dim]);
    const m = tf.reshape(tf.gather(tf.reshape(mask, [batch * len]), gather), [batch, len]);
    return { x: x as tf.Tensor3D, m: m as tf.Tensor2D };
  }

  function fromEmbeddings(emb: tf.Tensor3D, mask: tf.Tensor2D): tf.Tensor2D {
    if (!gradient) throw new Error('This imported model has no gradient path.');
    const { x, m } = toModelOrder(emb, mask);
    let h: tf.Tensor = x;
    let keep: tf.Tensor | undefined = gradient.maskZero ? tf.cast(m, 'bool') : undefined;
    for (const layer of gradient.chain) {
      const next = layer.apply(h, keep ? { mask: keep } : {}) as tf.Tensor;
      const propagated = keep ? layer.computeMask(h, keep) : null;
      keep = Array.isArray(propagated) ? propagated[0] : (propagated ?? undefined);
      h = next;
    }
    return tf.reshape(h, [emb.shape[0], parts.columns]) as tf.Tensor2D;
  }

  return {
    id: parts.id,
    hyper: { maxLen, padding: mapping.padding, padValue: mapping.padValue },
    numItems,
    maxLen,
    embeddingDim: gradient?.dim ?? 0,
    trainingNegatives: 0,
    trainingSharedNegatives: 0,
    scoreAll: (h) =>
      tf.tidy(() => {
        const out = forward(idTensor(h));
        return tf.add(tf.gather(out, tf.tensor1d(column, 'int32'), 1), tf.tensor1d(penalty));
      }) as tf.Tensor2D,
    scorePairs: (h, items) => tf.tidy(() => pairsOf(forward(idTensor(h)), items)),
    embedHistory: (h) => tf.tidy(() => embedSlots(h)),
    scorePairsFromEmbeddings: (emb, mask, items) =>
      tf.tidy(() => pairsOf(fromEmbeddings(emb, mask), items, true)),
    paddingEmbedding: () =>
      tf.tidy(() => {
        if (!gradient) throw new Error('This imported model has no gradient path.');
        // A whole padded row: an Embedding with an input length refuses any other.
        const pad = tf.fill([1, maxLen], mapping.padValue, 'int32');
        const row = gradient.embedding.apply(pad) as tf.Tensor;
        return tf.reshape(tf.slice(row, [0, 0, 0], [1, 1, -1]), [-1]) as tf.Tensor1D;
      }),
    capabilities: {},
    trainingLoss: notTrainable,
    trainableVariables: () => [],
    getWeights: parts.weights,
    setWeights: notTrainable,
    dispose: parts.dispose,
  };
}
