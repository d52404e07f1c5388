/**
 * DIN's attention unit (Zhou et al., 2018), computed without ever building the `[pairs, 4d]`
 * concatenation, in the form each use runs fastest on wasm.
 *
 * The unit is an MLP over `[x; v; x − v; x ⊙ v]` (history item x, candidate v) with a ReLU
 * hidden layer of `H` units and one output. Splitting its first kernel W into the four `[d, H]`
 * blocks W1..W4, the pre-activation of hidden unit h is exactly
 *
 *   Σ_k v_k (x_k W4[k, h] + W2[k, h] − W3[k, h])  +  (x(W1 + W3))_h + b_h + p_t,h
 *
 * i.e. linear in v. Scoring every item ({@link keyedLogits}): each (history position t, unit h)
 * becomes one "key" column `[x_t ⊙ W4[:, h] + (W2 − W3)[:, h] ; (x_t(W1 + W3))_h + b_h + p_t,h]`
 * of length d + 1, and every pre-activation of every candidate is ONE wide 2-D product
 * `[v; 1] · keys` (`C × (d+1) × T·H` multiply-adds, no broadcast additions). No exact form is
 * cheaper: the ReLU needs every (t, h, c) value. Training and pair scoring
 * ({@link attentionLogits}), where each history row has its own candidates, use the pairwise
 * products instead (see there for why). p is DIN's missing notion of order: a learned
 * per-position term, see din.ts.
 */
import * as tf from '../tf';
import { dense, matMul, swapLastAxes } from './layers';

/** The trainable pieces of the attention unit. */
export interface AttentionUnit {
  /** `[4d, H]` over `[x; v; x − v; x ⊙ v]`, DIN's own parametrisation. */
  kernel: tf.Tensor;
  /** `[H]` */
  bias: tf.Tensor;
  /** `[H, 1]` */
  outputKernel: tf.Tensor;
  /** `[1]` */
  outputBias: tf.Tensor;
}

/**
 * The attention keys of history rows: `[B, d + 1, T·H]`, column `t·H + h` as in the file
 * comment. Computed once per history and reused for every candidate.
 *
 * @param x history embeddings `[B, T, d]`
 * @param positionTerm per-position term `[T, H]` (or `[B, T, H]`)
 */
export function attentionKeys(
  unit: AttentionUnit,
  x: tf.Tensor3D,
  positionTerm: tf.Tensor,
): tf.Tensor3D {
  const [batch, len, d] = x.shape;
  const units = unit.kernel.shape[1] as number;
  const block = (i: number) => tf.slice(unit.kernel, [i * d, 0], [d, units]);
  const [w1, w2, w3, w4] = [0, 1, 2, 3].map(block);
  const historyOnly = tf.add(
    dense(x, tf.add(w1, w3) as tf.Tensor2D, unit.bias as tf.Tensor1D),
    positionTerm,
  ); // [B, T, H]
  // [B, T, H, d]: x_t ⊙ W4[:, h] + (W2 − W3)[:, h]
  const linearInV = tf.add(
    tf.mul(tf.expandDims(x, 2), tf.reshape(tf.transpose(w4), [1, 1, units, d])),
    tf.reshape(tf.transpose(tf.sub(w2, w3)), [1, 1, units, d]),
  );
  const keys = tf.concat(
    [
      tf.reshape(linearInV, [batch, len * units, d]),
      tf.reshape(historyOnly, [batch, len * units, 1]),
    ],
    2,
  );
  return swapLastAxes(keys) as tf.Tensor3D;
}

/** `[B, C, T]` logits from the hidden layer's pre-activations `[B, C, T, H]`. */
function logitsFromPreActivation(unit: AttentionUnit, pre: tf.Tensor): tf.Tensor3D {
  const [batch, candidates, len, units] = pre.shape;
  const hidden = tf.relu(tf.reshape(pre, [-1, units]));
  const out = tf.add(matMul(hidden, unit.outputKernel), unit.outputBias);
  return tf.reshape(out, [batch, candidates, len]) as tf.Tensor3D;
}

/**
 * Attention logits `[1, C, T]` of C candidates against ONE stack of history positions, from
 * its {@link attentionKeys}: one wide 2-D product (the "score every item" path).
 *
 * @param keys `[1, d + 1, T·H]`
 * @param v candidate embeddings `[C, d]`
 */
export function keyedLogits(unit: AttentionUnit, keys: tf.Tensor3D, v: tf.Tensor2D): tf.Tensor3D {
  const candidates = v.shape[0];
  const units = unit.kernel.shape[1] as number;
  const len = keys.shape[2] / units;
  const withOne = tf.concat([v, tf.ones([candidates, 1])], 1);
  const product = matMul(withOne, tf.reshape(keys, [keys.shape[1], -1]));
  return logitsFromPreActivation(unit, tf.reshape(product, [1, candidates, len, units]));
}

/**
 * Attention logits `[B, C, T]`: history position t of row b scored for candidate c of row b
 * (training and pair scoring). Here the rows differ, so the keys' product would be a batched
 * matmul, which wasm runs ~10x slower than a 2-D one of the same size (measured: 435 ms for
 * [64, 82, 65] x [64, 65, 800]); instead the pairwise products x_t ⊙ v_c `[B·C·T, d]` go through
 * ONE 2-D product with W4, and the history-only and candidate-only terms are broadcast-added.
 *
 * @param x history embeddings `[B, T, d]`
 * @param positionTerm per-position term `[T, H]` (or `[B, T, H]`)
 * @param v candidate embeddings `[B, C, d]`
 */
export function attentionLogits(
  unit: AttentionUnit,
  x: tf.Tensor3D,
  positionTerm: tf.Tensor,
  v: tf.Tensor3D,
): tf.Tensor3D {
  const d = x.shape[2];
  const units = unit.kernel.shape[1] as number;
  const block = (i: number) => tf.slice(unit.kernel, [i * d, 0], [d, units]) as tf.Tensor2D;
  const [w1, w2, w3, w4] = [0, 1, 2, 3].map(block);
  const historyOnly = tf.add(
    dense(x, tf.add(w1, w3) as tf.Tensor2D, unit.bias as tf.Tensor1D),
    positionTerm,
  );
  const candidateOnly = dense(v, tf.sub(w2, w3) as tf.Tensor2D);
  const pairs = tf.mul(tf.expandDims(v, 2), tf.expandDims(x, 1)); // [B, C, T, d]
  // One broadcast sum of the two single-sided terms, then a same-shape add (wasm's broadcast
  // adds over a middle axis are slow; doing one instead of two saves ~100 ms a step).
  const sides = tf.add(tf.expandDims(historyOnly, 1), tf.expandDims(candidateOnly, 2));
  const pre = tf.add(dense(pairs, w4), sides);
  return logitsFromPreActivation(unit, pre);
}

/**
 * Each position's contribution `a_t (x_t · v)` to the candidate's score, `[B, C, T]`, with
 * `a_t = σ(logit) · visible` (also returned). Summed over t this is `interest · v` with the
 * interest vector `Σ_t a_t x_t`, without forming a `[B, C, d]` interest per candidate.
 *
 * @param visible broadcastable to `[B, C, T]`: 1 where the position holds a visible item
 */
export function attendedContributions(
  logits: tf.Tensor3D,
  x: tf.Tensor3D,
  v: tf.Tensor3D,
  visible: tf.Tensor,
): { contributions: tf.Tensor3D; weights: tf.Tensor3D } {
  const weights = tf.mul(tf.sigmoid(logits), visible) as tf.Tensor3D;
  const dots = matMul(v, swapLastAxes(x)); // [B, C, T]
  return { contributions: tf.mul(weights, dots) as tf.Tensor3D, weights };
}
