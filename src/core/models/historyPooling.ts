/**
 * Pooling of history item embeddings into one user vector, shared by the non-sequential
 * variants (twotower, ncf, weighted). Training predicts the next item at every position of a
 * window, so the user vector at position p pools the prefix up to p; the per-prefix weights are
 * built on the CPU from the tokens as a `[batch, maxLen, maxLen]` matrix (row p = weights over
 * positions t <= p) and applied in one batched product, instead of one pooling per position.
 */
import * as tf from '../tf';
import { embeddingLookup } from './embedding';
import { matMul } from './layers';

/**
 * Row p of batch row b holds 1 / (real items in positions 0..p) at every real position t <= p:
 * the masked mean of each prefix. Rows of padding positions are all zero.
 */
export function prefixMeanWeights(tokens: Int32Array, batch: number, maxLen: number): Float32Array {
  const out = new Float32Array(batch * maxLen * maxLen);
  for (let b = 0; b < batch; b++) {
    let count = 0;
    for (let p = 0; p < maxLen; p++) {
      if (tokens[b * maxLen + p] === 0) continue;
      count++;
      const row = (b * maxLen + p) * maxLen;
      for (let t = 0; t <= p; t++) if (tokens[b * maxLen + t] !== 0) out[row + t] = 1 / count;
    }
  }
  return out;
}

/**
 * The pooled vectors `[examples, d]` at the flat target positions (`b * maxLen + p`), from
 * per-prefix weights `[batch, maxLen, maxLen]` and the history embeddings `[batch, maxLen, d]`.
 */
export function pooledAtPositions(
  weights: tf.Tensor3D,
  emb: tf.Tensor3D,
  positions: Int32Array,
): tf.Tensor2D {
  const d = emb.shape[2];
  const pooled = tf.reshape(matMul(weights, emb), [-1, d]);
  return embeddingLookup(pooled, tf.tensor1d(positions, 'int32')) as tf.Tensor2D;
}

/** Mean of the embeddings at real positions (`mask` 1), `[batch, d]`; zero for an empty history. */
export function maskedMean(emb: tf.Tensor3D, mask: tf.Tensor2D): tf.Tensor2D {
  const m = tf.expandDims(mask, 2);
  const total = tf.sum(tf.mul(emb, m), 1);
  const count = tf.maximum(tf.sum(mask, 1, true), 1);
  return tf.div(total, count) as tf.Tensor2D;
}

/** Rows of `x` scaled to unit length (a zero row stays zero). */
export function unitRows(x: tf.Tensor2D): tf.Tensor2D {
  return tf.div(x, tf.sqrt(tf.add(tf.sum(tf.square(x), 1, true), 1e-12))) as tf.Tensor2D;
}

/** Refuses explainer inputs whose batch sizes disagree, naming all three. */
export function checkPairBatch(emb: tf.Tensor3D, mask: tf.Tensor2D, items: Int32Array): void {
  checkItemIndexType(items);
  if (emb.shape[0] !== items.length || mask.shape[0] !== emb.shape[0]) {
    throw new Error(
      `Batch sizes differ: ${emb.shape[0]} histories, ${mask.shape[0]} masks, ${items.length} items.`,
    );
  }
  if (mask.shape[1] !== emb.shape[1]) {
    throw new Error(`The mask has ${mask.shape[1]} positions; the embeddings ${emb.shape[1]}.`);
  }
}

/**
 * Dataset item indices `[n]` as model tokens (index + 1), refusing any outside the catalogue.
 * The indices arrive as a typed array and are checked here on the CPU: checking a tensor would
 * need a blocking read-back, which stalls the GPU pipeline on webgpu on every explainer step.
 */
export function itemTokensOf(items: Int32Array, numItems: number): Int32Array {
  checkItemIndexType(items);
  const tokens = new Int32Array(items.length);
  for (let i = 0; i < items.length; i++) {
    if (items[i] < 0 || items[i] >= numItems) {
      throw new RangeError(`Item index ${items[i]} is outside 0..${numItems - 1}.`);
    }
    tokens[i] = items[i] + 1;
  }
  return tokens;
}

/** {@link itemTokensOf} as an int32 tensor `[n]`, for an embedding lookup. */
export function itemTokenTensor(items: Int32Array, numItems: number): tf.Tensor1D {
  return tf.tensor1d(itemTokensOf(items, numItems), 'int32');
}

/** Refuses item indices that are not an Int32Array (a tensor would need a read-back to check). */
export function checkItemIndexType(items: unknown): void {
  if (!(items instanceof Int32Array)) {
    throw new Error(`Item indices must be int32 (an Int32Array); got ${describe(items)}.`);
  }
}

function describe(value: unknown): string {
  if (value instanceof tf.Tensor) return `a tensor (${value.dtype})`;
  return value === null ? 'null' : (value?.constructor?.name ?? typeof value);
}
