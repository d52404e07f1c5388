/**
 * The next-item training losses. Each takes the hidden states at the positions that have a
 * target, `[examples, d]`, already compacted (padding positions are never scored);
 * {@link nextItemLoss} picks one by the `loss` hyper-parameter for every model that scores by
 * dot product with an item table. The cross-entropy kernels below them (from logits or scores)
 * serve the models that build their logits their own way (din, ncf, twotower).
 */
import * as tf from '../tf';
import { embeddingLookup } from './embedding';
import { matMul } from './layers';
import type { TrainingBatch } from './types';

/** The `loss` values of the models that train through {@link nextItemLoss}. */
export type NextItemLossKind = 'sampled-softmax' | 'softmax' | 'bce';

/**
 * How the whole-catalogue softmax reads the target's score: `one-hot`, from the logits through
 * a one-hot matrix ({@link fullSoftmaxLoss}); `log-sum-exp`, as a separate dot product with the
 * target's row ({@link logSumExpSoftmaxLoss}). The same mathematics, rounded differently; each
 * model keeps the form it was tuned with.
 */
export type SoftmaxForm = 'one-hot' | 'log-sum-exp';

/**
 * The rows of an item table `[numItems + 1, d]` without the padding row, transposed for a plain
 * `[*, d] x [d, numItems]` product (scoring the whole catalogue).
 */
export function catalogueByColumn(table: tf.Tensor): tf.Tensor2D {
  const [rows, d] = table.shape as [number, number];
  return tf.transpose(tf.slice(table as tf.Tensor2D, [1, 0], [rows - 1, d]));
}

/**
 * The next-item loss of `kind` for a model whose score of item token `t` is `hidden · table[t]`:
 * `sampled-softmax` against the batch's shared negatives (accidental hits masked), `softmax`
 * against the whole catalogue (in the given {@link SoftmaxForm}), `bce` against each example's
 * own negatives.
 *
 * @param hidden hidden states at the batch's target positions, `[examples, d]`
 * @param table the full item table including the padding row, `[numItems + 1, d]`
 */
export function nextItemLoss(
  kind: NextItemLossKind,
  hidden: tf.Tensor2D,
  table: tf.Tensor,
  batch: TrainingBatch,
  softmax: SoftmaxForm = 'one-hot',
): tf.Scalar {
  return tf.tidy(() => {
    const targets = tf.tensor1d(batch.targetTokens, 'int32');
    if (kind === 'sampled-softmax') {
      const shared = tf.tensor1d(batch.sharedNegatives, 'int32');
      return sampledSoftmaxLoss(hidden, table, targets, shared, sharedNegativeHits(batch));
    }
    if (kind === 'softmax') {
      return softmax === 'one-hot'
        ? fullSoftmaxLoss(hidden, catalogueByColumn(table), targets)
        : logSumExpSoftmaxLoss(hidden, table, targets);
    }
    const negatives = tf.tensor2d(
      batch.negatives,
      [batch.targetTokens.length, batch.numNegatives],
      'int32',
    );
    return sampledBinaryLoss(hidden, table, targets, negatives);
  });
}

/**
 * Cross-entropy of class `labels[e]` (0-based) in each row of `logits`, `[examples, classes]`,
 * through a one-hot matrix.
 */
export function oneHotCrossEntropy(logits: tf.Tensor2D, labels: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    const logProbabilities = tf.logSoftmax(logits);
    // int32 one-hot then a cast: the wasm OneHot kernel ignores a float32 dtype and returns
    // int32 bits labelled float32 (garbage scores), so never ask it for float32.
    const picked = tf.cast(tf.oneHot(labels, logits.shape[1]), 'float32');
    return tf.neg(tf.mean(tf.sum(tf.mul(logProbabilities, picked), 1)));
  });
}

/**
 * Cross-entropy `log Σ_j exp(logits_j) - positive` per row, averaged: the target's own score
 * `positive` `[examples]` is given apart from the row's `logits` `[examples, columns]` (which
 * include it), so no one-hot matrix is built.
 */
export function logSumExpCrossEntropy(logits: tf.Tensor, positive: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.mean(tf.sub(tf.logSumExp(logits, 1), positive)));
}

/** Cross-entropy of column 0 (the target) in each row of `logits`, `[examples, 1 + k]`. */
export function firstColumnCrossEntropy(logits: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.neg(tf.mean(tf.slice(tf.logSoftmax(logits), [0, 0], [-1, 1]))));
}

/**
 * Binary cross-entropy of the target's score `positive` `[examples]` against its negatives'
 * `negative` `[examples, k]`: -log σ(s⁺) - Σ log(1 - σ(s⁻)), averaged over examples.
 */
export function binaryCrossEntropy(positive: tf.Tensor, negative: tf.Tensor): tf.Scalar {
  // -log σ(x) = softplus(-x); -log(1 - σ(x)) = softplus(x)
  return tf.tidy(() =>
    tf.mean(tf.add(tf.softplus(tf.neg(positive)), tf.sum(tf.softplus(negative), 1))),
  );
}

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
  return tf.tidy(() =>
    oneHotCrossEntropy(
      matMul(hidden, catalogueByColumn) as tf.Tensor2D,
      tf.sub(targets, tf.scalar(1, 'int32')),
    ),
  );
}

/**
 * The same cross-entropy as {@link fullSoftmaxLoss}, with the target's score taken as its own
 * dot product instead of through a one-hot matrix.
 *
 * @param table the full item table including the padding row, `[numItems + 1, d]`
 */
export function logSumExpSoftmaxLoss(
  hidden: tf.Tensor2D,
  table: tf.Tensor,
  targets: tf.Tensor1D,
): tf.Scalar {
  return tf.tidy(() => {
    const positive = tf.sum(tf.mul(hidden, embeddingLookup(table, targets)), 1);
    return logSumExpCrossEntropy(matMul(hidden, catalogueByColumn(table)), positive);
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
    return binaryCrossEntropy(positive, negative);
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

/** {@link accidentalHitMask} of a batch's targets and shared negatives, as a tensor. */
export function sharedNegativeHits(batch: TrainingBatch): tf.Tensor2D {
  return tf.tensor2d(accidentalHitMask(batch.targetTokens, batch.sharedNegatives), [
    batch.targetTokens.length,
    batch.sharedNegatives.length,
  ]);
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
    return firstColumnCrossEntropy(tf.concat([positive, negative], 1));
  });
}
