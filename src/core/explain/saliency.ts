/**
 * `saliency` and `gradxinput`: the gradient of the target with respect to each read item's
 * embedding, as its L2 norm (how sensitive the target is to that item, unsigned) or dotted
 * with the embedding (a first-order estimate of the item's share of the target, signed).
 * One forward and one backward pass of a single history.
 */
import * as tf from '../tf';
import { targetGradient } from './gradients';
import { type ExplainSubject, readSlots, toAttributions, withoutEmbeddings } from './subject';
import type { GradientResult, UnavailableMethod } from './types';

/** Both gradient views from one backward pass. */
export async function gradientAttributions(
  subject: ExplainSubject,
): Promise<{ saliency: GradientResult; gradxinput: GradientResult } | UnavailableMethod> {
  const started = performance.now();
  const model = subject.model.neural;
  if (!model || !subject.tokens) {
    return {
      method: 'saliency',
      status: 'unavailable',
      reason: withoutEmbeddings(subject, 'gradients'),
      ms: 0,
    };
  }
  const { first, count } = readSlots(subject);
  const [norms, dots] = tf.tidy(() => {
    const emb = model.embedHistory(subject.tokens as NonNullable<typeof subject.tokens>);
    const grad = targetGradient(model, subject, emb);
    const slot = (t: tf.Tensor3D) => tf.slice(t, [0, first, 0], [1, count, -1]);
    const g = slot(grad);
    return [tf.sqrt(tf.sum(tf.square(g), 2)), tf.sum(tf.mul(g, slot(emb)), 2)];
  });
  try {
    const [saliency, gradxinput] = await Promise.all([norms.data(), dots.data()]);
    const ms = performance.now() - started;
    return {
      saliency: {
        method: 'saliency',
        status: 'ok',
        unit: 'gradient-norm',
        attributions: toAttributions(subject, saliency),
        evaluations: 1,
        ms,
      },
      gradxinput: {
        method: 'gradxinput',
        status: 'ok',
        unit: 'score',
        attributions: toAttributions(subject, gradxinput),
        evaluations: 1,
        ms,
      },
    };
  } finally {
    norms.dispose();
    dots.dispose();
  }
}
