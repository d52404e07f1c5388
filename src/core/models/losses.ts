/**
 * The next-item training losses. Each takes the hidden states at the positions that have a
 * target, `[examples, d]`, already compacted (padding positions are never scored);
 * {@link nextItemLoss} picks one by the `loss` hyper-parameter for every model that scores by
 * dot product with an item table. The cross-entropy kernels below them (from logits or scores)
 * serve the models that build their logits their own way (din, ncf, twotower).
 */
import * as tf from '../tf';
import { embeddingLookup } from './embedding';
import { matMul, swapLastAxes } from './layers';
import type { SampledCandidates, TrainingBatch } from './types';

/** The `loss` values of the models that train through {@link nextItemLoss}. */
export type NextItemLossKind = 'sampled-softmax' | 'softmax' | 'bce';

/**
 * How the whole-catalogue softmax was once written: `one-hot`, the target's log-probability
 * read through a one-hot matrix; `log-sum-exp`, the target's score as its own dot product. Both
 * now run the same fused kernel ({@link productSoftmaxCrossEntropy}: the same mathematics, 1.9x
 * to 4x faster on wasm); the parameter stays for the models that name their form.
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
 * `sampled-softmax` against the batch's candidates with the log-Q correction
 * ({@link correctedSampledSoftmaxLoss}; the batch's `candidates`, or its `sharedNegatives` as
 * uniform draws when it has none), `softmax` against the whole catalogue (in the given
 * {@link SoftmaxForm}), `bce` against each example's own negatives.
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
      const numItems = table.shape[0] - 1;
      const drawn = batch.candidates ?? uniformCandidates(batch.sharedNegatives, numItems);
      return correctedSampledSoftmaxLoss(
        hidden,
        table,
        targets,
        tf.tensor1d(drawn.tokens, 'int32'),
        tf.tensor1d(drawn.logCorrection),
        tf.tensor2d(accidentalHitMask(batch.targetTokens, drawn.tokens), [
          batch.targetTokens.length,
          drawn.tokens.length,
        ]),
      );
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
 * Mean softmax cross-entropy of column `labels[e]` (0-based) in each row of the logits
 * `hidden · byColumn`, `[examples, items]`, with a hand-written gradient. Forward: one plain
 * product, the fused Softmax kernel, and the target's probability gathered from it. Backward,
 * from the saved probabilities P: `dLogits = (P - onehot) / examples`, without building the
 * one-hot matrix (its part is a gather of the targets' columns for `hidden` and a scatter of
 * the hidden rows into the targets' columns for `byColumn`), and the two products in the plain
 * form wasm runs fastest (see `matMul` in layers.ts). Autodiff through `logSoftmax` and a
 * one-hot product took 1,467 ms for 1,600 examples x 20,000 items on wasm; this takes 641 ms,
 * with the same values and gradients to float rounding. A target whose probability underflows to
 * 0 (a logit gap beyond ~87) gives an infinite loss, which the trainer reports as divergence.
 *
 * @param byColumn item rows without padding, transposed: `[d, items]`
 * @param labels 0-based item columns, int32 `[examples]`
 */
export function productSoftmaxCrossEntropy(
  hidden: tf.Tensor2D,
  byColumn: tf.Tensor2D,
  labels: tf.Tensor1D,
): tf.Scalar {
  const op = tf.customGrad((...inputs: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [x, y] = inputs as [tf.Tensor2D, tf.Tensor2D];
    const save = inputs[2] as tf.GradSaveFunc;
    const picked = labels;
    const [examples, items] = [x.shape[0], y.shape[1]];
    const probabilities = tf.softmax(tf.matMul(x, y));
    const flat = tf.add(
      tf.mul(tf.range(0, examples, 1, 'int32'), tf.scalar(items, 'int32')),
      picked,
    );
    const value = tf.neg(tf.mean(tf.log(tf.gather(tf.reshape(probabilities, [-1]), flat))));
    save([x, y, probabilities, picked]);
    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sx, sy, p, columns] = saved as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor1D];
      const scale = tf.div(dy, examples);
      const scaled = tf.mul(p, scale);
      const rows = swapLastAxes(sy) as tf.Tensor2D;
      const dx = tf.sub(tf.matMul(scaled, rows), tf.mul(tf.gather(rows, columns), scale));
      const hits = tf.scatterND(tf.reshape(columns, [examples, 1]), tf.mul(sx, scale), [
        items,
        sx.shape[1],
      ]);
      const dyy = tf.sub(tf.matMul(swapLastAxes(sx), scaled), swapLastAxes(hits));
      return [dx, dyy];
    };
    return { value: value as tf.Scalar, gradFunc };
  });
  return op(hidden, byColumn) as tf.Scalar;
}

/**
 * Cross-entropy of the target against the whole catalogue: one `[examples, d] x [d, items]`
 * product and the fused softmax of {@link productSoftmaxCrossEntropy}. Exact (no sampling bias);
 * the right choice while the catalogue is a few thousand items (see `AUTO_SOFTMAX_MAX_ITEMS`).
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
    productSoftmaxCrossEntropy(hidden, catalogueByColumn, tf.sub(targets, tf.scalar(1, 'int32'))),
  );
}

/**
 * The same cross-entropy as {@link fullSoftmaxLoss} from the full item table.
 *
 * @param table the full item table including the padding row, `[numItems + 1, d]`
 */
export function logSumExpSoftmaxLoss(
  hidden: tf.Tensor2D,
  table: tf.Tensor,
  targets: tf.Tensor1D,
): tf.Scalar {
  return tf.tidy(() => fullSoftmaxLoss(hidden, catalogueByColumn(table), targets));
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
 * Cross-entropy of the target against itself plus `negatives` sampled once for the whole batch,
 * without correction: one `[examples, d] x [d, k]` matmul instead of the whole catalogue.
 * `hitMask` (see {@link accidentalHitMask}) removes a shared negative that is an example's own
 * target from that example's softmax. For uniform draws the missing log-Q correction is the same
 * `log(numItems / k)` on every negative, so this weighs the catalogue's normaliser `k / numItems`
 * times too lightly (the next-item models use {@link correctedSampledSoftmaxLoss}; twotower keeps
 * this one).
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

/**
 * `draws` tokens drawn uniformly from a catalogue of `numItems` as corrected candidates: each
 * distinct token once, with `log m_c - log(draws / numItems)` (how often it was drawn over how
 * often it was expected to be). A batch built without a proposal (`sharedNegatives` only) trains
 * the sampled softmax through this.
 */
export function uniformCandidates(draws: Int32Array, numItems: number): SampledCandidates {
  if (draws.length === 0) {
    throw new Error(
      "The sampled softmax needs candidates, and the batch has none: build it with the model's trainingCandidates.",
    );
  }
  const multiplicity = new Map<number, number>();
  for (const token of draws) multiplicity.set(token, (multiplicity.get(token) ?? 0) + 1);
  const tokens = new Int32Array(multiplicity.size);
  const logCorrection = new Float32Array(multiplicity.size);
  const expected = Math.log(draws.length / numItems);
  let c = 0;
  for (const [token, count] of multiplicity) {
    tokens[c] = token;
    logCorrection[c] = Math.log(count) - expected;
    c++;
  }
  return { tokens, logCorrection };
}

/**
 * The large-catalogue next-item loss: softmax cross-entropy of the target against itself and
 * the batch's shared candidates, each candidate's logit corrected by `logCorrection` (log-Q:
 * `log m_c - log E[m_c]`, see `train/candidates.ts`), the example's own target masked out of its
 * row by `hitMask` ({@link accidentalHitMask}). Then `log Σ` over the row estimates the whole
 * catalogue's log-normaliser (an unbiased estimate inside the log), and the gradient is a
 * self-normalised importance-sampling estimate of the exact softmax's. One
 * `[examples, d] x [d, candidates]` product.
 *
 * @param table the full item table including the padding row, `[numItems + 1, d]`
 * @param candidates distinct candidate tokens, `[c]`
 * @param logCorrection added to each candidate's logit, `[c]`
 * @param hitMask `[examples, c]`: -1e9 where the candidate is the example's own target
 */
export function correctedSampledSoftmaxLoss(
  hidden: tf.Tensor2D,
  table: tf.Tensor,
  targets: tf.Tensor1D,
  candidates: tf.Tensor1D,
  logCorrection: tf.Tensor1D,
  hitMask: tf.Tensor2D,
): tf.Scalar {
  return tf.tidy(() => {
    const positive = tf.sum(tf.mul(hidden, embeddingLookup(table, targets)), 1, true);
    const byColumn = tf.transpose(embeddingLookup(table, candidates));
    const negative = tf.add(tf.add(matMul(hidden, byColumn), logCorrection), hitMask);
    return firstColumnCrossEntropy(tf.concat([positive, negative], 1));
  });
}
