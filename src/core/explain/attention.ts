/**
 * `attention`: the model's own attention over the history, where it has one. sasrec: the last
 * position's attention in the last block, averaged over heads, plus attention rollout across
 * blocks (Abnar and Zuidema, 2020: each block's head-averaged weights mixed half-and-half with
 * the identity for the residual path, rows renormalised, multiplied from the first block to
 * the last). din: its target attention toward the explained item. twotower: the user tower's
 * pooling weights. Weights say where the model looked, not how much each item moved the score
 * (`unit: 'weight'`); the faithfulness curves test how far they can be trusted.
 */
import type { NeuralCapabilities } from '../models/types';
import * as tf from '../tf';
import { type ExplainSubject, readSlots, toAttributions, withoutEmbeddings } from './subject';
import type { AttentionResult, UnavailableMethod } from './types';

export async function attention(
  subject: ExplainSubject,
): Promise<AttentionResult | UnavailableMethod> {
  const started = performance.now();
  const views: NeuralCapabilities = subject.model.neural?.capabilities ?? {};
  const tokens = subject.tokens;
  const unavailable = (reason: string): UnavailableMethod => ({
    method: 'attention',
    status: 'unavailable',
    reason,
    ms: 0,
  });
  if (!tokens) return unavailable(withoutEmbeddings(subject, 'attention weights'));
  const { first, count } = readSlots(subject);
  const done = (
    values: ArrayLike<number>,
    source: AttentionResult['source'],
    extra: Partial<AttentionResult> = {},
  ): AttentionResult => ({
    method: 'attention',
    status: 'ok',
    unit: 'weight',
    source,
    attributions: toAttributions(subject, Array.from(values).slice(first, first + count)),
    evaluations: 1,
    ...extra,
    ms: performance.now() - started,
  });
  if (views.targetAttention) {
    const weights = views.targetAttention(tokens, Int32Array.of(subject.item));
    const values = await readAndDispose(weights);
    return done(values, 'target-attention');
  }
  if (views.poolingWeights) {
    return done(await readAndDispose(views.poolingWeights(tokens)), 'pooling');
  }
  if (views.selfAttention) {
    const blocks = views.selfAttention(tokens);
    const maxLen = tokens.maxLen;
    const heads = blocks[0]?.shape[1] ?? 0;
    const [last, rollout] = tf.tidy(() => {
      const averaged = blocks.map((b) => tf.reshape(tf.mean(b, 1), [maxLen, maxLen]));
      const eye = tf.eye(maxLen);
      let product: tf.Tensor2D = eye;
      for (const a of averaged) {
        const mixed = tf.add(tf.mul(a, 0.5), tf.mul(eye, 0.5));
        const normed = tf.div(mixed, tf.sum(mixed, 1, true)) as tf.Tensor2D;
        product = tf.matMul(normed, product);
      }
      const lastRow = (m: tf.Tensor2D) =>
        tf.reshape(tf.slice(m, [maxLen - 1, 0], [1, maxLen]), [maxLen]);
      return [lastRow(averaged[averaged.length - 1] as tf.Tensor2D), lastRow(product)];
    });
    tf.dispose(blocks);
    const lastValues = await readAndDispose(last);
    const rolloutValues = await readAndDispose(rollout);
    return done(lastValues, 'self-attention', {
      rollout: toAttributions(subject, rolloutValues.slice(first, first + count)),
      blocks: blocks.length,
      heads,
    });
  }
  return unavailable(
    `${subject.model.id} has no attention over the history (attention is offered by sasrec, din and twotower).`,
  );
}

async function readAndDispose(t: tf.Tensor): Promise<Float32Array> {
  try {
    return (await t.data()) as Float32Array;
  } finally {
    t.dispose();
  }
}
