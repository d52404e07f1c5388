/**
 * The two next-item training losses. Both take the hidden states at the positions that have a
 * target, `[examples, d]`, already compacted (padding positions are never scored).
 */
import * as tf from '../tf';
import { embeddingLookup } from './embedding';
import { matMul } from './layers';

/**
 * Cross-entropy of the target against the whole catalogue: one `[examples, d] x [d, items]`
 * matmul, the shape wasm runs fastest (as a plain product: see `matMul` in layers.ts). Exact (no sampling bias); the right choice while the
 * catalogue is a few thousand items.
 *
 * @param catalogueByColumn item rows without padding, transposed: `[d, numItems]`
 * @param targets target tokens (1..numItems), `[examples]`
 */
export function fullSoftmaxLoss(
  hidden: tf.Tensor2D,
  catalogueByColumn: tf.Tensor2D,
  targets: tf.Tensor1D,
): tf.Scalar {
  return tf.tidy(() => {
    const logits = matMul(hidden, catalogueByColumn);
    const logProbabilities = tf.logSoftmax(logits);
    // int32 one-hot then a cast: the wasm OneHot kernel ignores a float32 dtype and returns
    // int32 bits labelled float32 (garbage scores), so never ask it for float32.
    const picked = tf.cast(
      tf.oneHot(tf.sub(targets, tf.scalar(1, 'int32')), catalogueByColumn.shape[1]),
      'float32',
    );
    return tf.neg(tf.mean(tf.sum(tf.mul(logProbabilities, picked), 1)));
  });
}

/**
 * Binary cross-entropy of the target against `negatives` sampled items per example (the SASRec
 * recipe): -log σ(s⁺) - Σ log(1 - σ(s⁻)), averaged over examples. Cost grows with the number
 * of negatives, not with the catalogue.
 *
 * @param table the full item table including the padding row, `[numItems + 1, d]`
 * @param negatives sampled tokens, `[examples, k]`
 */
export function sampledBinaryLoss(
  hidden: tf.Tensor2D,
  table: tf.Tensor,
  targets: tf.Tensor1D,
  negatives: tf.Tensor2D,
): tf.Scalar {
  return tf.tidy(() => {
    const positive = tf.sum(tf.mul(hidden, embeddingLookup(table, targets)), 1);
    const negativeRows = embeddingLookup(table, negatives);
    const negative = tf.sum(tf.mul(tf.expandDims(hidden, 1), negativeRows), 2);
    // -log σ(x) = softplus(-x); -log(1 - σ(x)) = softplus(x)
    const perExample = tf.add(tf.softplus(tf.neg(positive)), tf.sum(tf.softplus(negative), 1));
    return tf.mean(perExample);
  });
}

/**
 * `[examples, k]` additive mask: -1e9 where shared negative `k` is example `e`'s own target
 * (an "accidental hit"), 0 elsewhere. Built on the CPU from the batch: a broadcast int32
 * `equal` on wasm costs ~180 ms for 6,400 x 256, this loop well under a millisecond.
 */
export function accidentalHitMask(targets: Int32Array, negatives: Int32Array): Float32Array {
  const k = negatives.length;
  const mask = new Float32Array(targets.length * k);
  const slots = new Map<number, number[]>();
  for (let j = 0; j < k; j++) {
    const list = slots.get(negatives[j]);
    if (list) list.push(j);
    else slots.set(negatives[j], [j]);
  }
  for (let e = 0; e < targets.length; e++) {
    const hits = slots.get(targets[e]);
    if (hits) for (const j of hits) mask[e * k + j] = -1e9;
  }
  return mask;
}

/**
 * Cross-entropy of the target against itself plus `negatives` sampled once for the whole batch
 * (uniformly, so no log-Q correction is needed): one `[examples, d] x [d, k]` matmul instead of
 * the whole catalogue. `hitMask` (see {@link accidentalHitMask}) removes a shared negative that
 * is an example's own target from that example's softmax.
 *
 * @param table the full item table including the padding row, `[numItems + 1, d]`
 * @param negatives shared sampled tokens, `[k]`
 */
export function sampledSoftmaxLoss(
  hidden: tf.Tensor2D,
  table: tf.Tensor,
  targets: tf.Tensor1D,
  negatives: tf.Tensor1D,
  hitMask: tf.Tensor2D,
): tf.Scalar {
  return tf.tidy(() => {
    const positive = tf.sum(tf.mul(hidden, embeddingLookup(table, targets)), 1, true);
    const negativeByColumn = tf.transpose(embeddingLookup(table, negatives));
    const negative = tf.add(matMul(hidden, negativeByColumn), hitMask);
    const logProbabilities = tf.logSoftmax(tf.concat([positive, negative], 1));
    const first = tf.slice(logProbabilities, [0, 0], [-1, 1]);
    return tf.neg(tf.mean(first));
  });
}
