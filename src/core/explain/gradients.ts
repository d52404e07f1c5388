/**
 * The target as a differentiable function of history embeddings, and its gradient: shared by
 * saliency, gradient × input and integrated gradients. Built on the model contract's
 * `scorePairsFromEmbeddings` (the padding mask stays as it is: only the embeddings move).
 */
import type { NeuralRecommender } from '../models/types';
import * as tf from '../tf';
import { type ExplainSubject, targetItems } from './subject';

/**
 * The target for each row of `emb` `[rows, maxLen, d]` (score, or margin over the competitor),
 * `[rows]`, differentiable with respect to `emb`.
 */
export function targetFromEmbeddings(
  model: NeuralRecommender,
  subject: ExplainSubject,
  emb: tf.Tensor3D,
  mask: tf.Tensor2D,
): tf.Tensor1D {
  const rows = emb.shape[0];
  const items = targetItems(subject, rows);
  if (subject.competitor === null) return model.scorePairsFromEmbeddings(emb, mask, items);
  const scores = model.scorePairsFromEmbeddings(
    tf.concat([emb, emb]) as tf.Tensor3D,
    tf.concat([mask, mask]) as tf.Tensor2D,
    items,
  );
  const [own, other] = tf.split(scores, 2);
  return tf.sub(own, other) as tf.Tensor1D;
}

/** The padding mask `[rows, maxLen]` of the subject's token row, repeated. */
export function repeatedMask(subject: ExplainSubject, rows: number): tf.Tensor2D {
  const tokens = subject.tokens;
  if (!tokens) throw new Error('Gradient methods need a neural model.');
  const row = Float32Array.from(tokens.tokens, (t) => (t === 0 ? 0 : 1));
  return tf.tile(tf.tensor2d(row, [1, tokens.maxLen]), [rows, 1]) as tf.Tensor2D;
}

/** Gradients of the target at the embeddings `emb` `[rows, maxLen, d]`, same shape; the caller owns them. */
export function targetGradient(
  model: NeuralRecommender,
  subject: ExplainSubject,
  emb: tf.Tensor3D,
): tf.Tensor3D {
  return tf.tidy(() => {
    const mask = repeatedMask(subject, emb.shape[0]);
    const f = (e: tf.Tensor) =>
      tf.sum(targetFromEmbeddings(model, subject, e as tf.Tensor3D, mask)) as tf.Scalar;
    return tf.grad(f)(emb) as tf.Tensor3D;
  });
}

/** The target at each row of `emb` `[rows, maxLen, d]` (a forward pass, read back). */
export async function targetValues(
  model: NeuralRecommender,
  subject: ExplainSubject,
  emb: tf.Tensor3D,
): Promise<Float64Array> {
  const values = tf.tidy(() =>
    targetFromEmbeddings(model, subject, emb, repeatedMask(subject, emb.shape[0])),
  );
  try {
    return Float64Array.from(await values.data());
  } finally {
    values.dispose();
  }
}
