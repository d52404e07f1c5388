/**
 * `ig`: integrated gradients (Sundararajan et al., 2017) over the read items' embeddings, from
 * a baseline (the padding embedding, or the history's mean item embedding) to the input, with
 * the padding mask unchanged. The path integral uses the trapezoid rule on a grid that doubles
 * (32, 64, ... steps): the doubled grid contains the previous one, so each round evaluates only
 * the new midpoints, and rounds stop once the completeness gap
 * |Σ attributions − (f(x) − f(baseline))| is under `tolerance` × |f(x) − f(baseline)| (or at
 * `maxSteps`, reported as not converged). Path points go through the model as batches of
 * bounded size (rows × maxLen ≤ 32k).
 */
import * as tf from '../tf';
import { targetGradient, targetValues } from './gradients';
import { type ExplainSubject, readSlots, toAttributions, withoutEmbeddings } from './subject';
import type { IgResult, UnavailableMethod } from './types';

const ROW_POSITION_BUDGET = 32_768;

export async function integratedGradients(
  subject: ExplainSubject,
): Promise<IgResult | UnavailableMethod> {
  const started = performance.now();
  const model = subject.model.neural;
  const tokens = subject.tokens;
  if (!model || !tokens) {
    return {
      method: 'ig',
      status: 'unavailable',
      reason: withoutEmbeddings(subject, 'integrated gradients'),
      ms: 0,
    };
  }
  const { baseline, minSteps, maxSteps, tolerance } = subject.options.ig;
  const { first, count } = readSlots(subject);
  const maxLen = tokens.maxLen;
  const chunk = Math.max(1, Math.floor(ROW_POSITION_BUDGET / maxLen));
  // x and baseline `[1, maxLen, d]`; delta = x − baseline (zero outside the read slots).
  const { x, base, delta } = tf.tidy(() => {
    const emb = model.embedHistory(tokens);
    const pad = tf.reshape(model.paddingEmbedding(), [1, 1, -1]);
    const real = tf.reshape(
      tf.tensor1d(Float32Array.from(tokens.tokens, (t) => (t === 0 ? 0 : 1))),
      [1, maxLen, 1],
    );
    let b: tf.Tensor = tf.add(tf.mul(tf.sub(1, real), emb), tf.mul(real, pad));
    if (baseline === 'mean') {
      const mean = tf.div(tf.sum(tf.mul(emb, real), 1, true), Math.max(1, count));
      b = tf.add(tf.mul(tf.sub(1, real), emb), tf.mul(real, mean));
    }
    return {
      x: tf.keep(emb),
      base: tf.keep(b as tf.Tensor3D),
      delta: tf.keep(tf.sub(emb, b) as tf.Tensor3D),
    };
  });
  // Per path point α: the gradient dotted with delta, per read slot (a `count` vector).
  const perPoint = new Map<number, Float64Array>();
  let evaluations = 0;
  const evaluate = async (alphas: number[]) => {
    for (let from = 0; from < alphas.length; from += chunk) {
      await subject.scorer.pause();
      subject.signal?.throwIfAborted();
      const part = alphas.slice(from, from + chunk);
      const dots = tf.tidy(() => {
        const a = tf.reshape(tf.tensor1d(part), [part.length, 1, 1]);
        const path = tf.add(base, tf.mul(a, delta)) as tf.Tensor3D;
        const grad = targetGradient(model, subject, path);
        return tf.slice(tf.sum(tf.mul(grad, delta), 2), [0, first], [part.length, count]);
      });
      const values = await dots.data();
      dots.dispose();
      evaluations += part.length;
      part.forEach((alpha, r) => {
        perPoint.set(alpha, Float64Array.from(values.subarray(r * count, (r + 1) * count)));
      });
    }
  };
  try {
    const endpoints = tf.concat([x, base]) as tf.Tensor3D;
    const ends = await targetValues(model, subject, endpoints).finally(() => endpoints.dispose());
    evaluations += 2;
    const fx = ends[0];
    const fBase = ends[1];
    const difference = fx - fBase;
    let steps = Math.max(1, minSteps);
    await evaluate(Array.from({ length: steps + 1 }, (_, k) => k / steps));
    let attributions = trapezoidSum(perPoint, steps, count);
    let gap = completenessGap(attributions, difference);
    while (gap.relative > tolerance && steps * 2 <= maxSteps) {
      const next = steps * 2;
      await evaluate(Array.from({ length: steps }, (_, k) => (2 * k + 1) / next));
      steps = next;
      attributions = trapezoidSum(perPoint, steps, count);
      gap = completenessGap(attributions, difference);
    }
    return {
      method: 'ig',
      status: 'ok',
      unit: 'score',
      attributions: toAttributions(subject, attributions),
      evaluations,
      baseline,
      steps,
      completenessGap: gap.relative,
      completenessGapAbsolute: gap.absolute,
      baselineValue: fBase,
      converged: gap.relative <= tolerance,
      ms: performance.now() - started,
    };
  } finally {
    tf.dispose([x, base, delta]);
  }
}

/** Σ_k w_k g(α_k) on the grid k / steps (trapezoid weights: 1/steps, halved at the ends). */
function trapezoidSum(points: Map<number, Float64Array>, steps: number, count: number) {
  const out = new Float64Array(count);
  for (let k = 0; k <= steps; k++) {
    const g = points.get(k / steps);
    if (!g) throw new Error(`Integrated gradients: path point ${k}/${steps} is missing.`);
    const w = (k === 0 || k === steps ? 0.5 : 1) / steps;
    for (let i = 0; i < count; i++) out[i] += w * g[i];
  }
  return out;
}

function completenessGap(attributions: Float64Array, difference: number) {
  let total = 0;
  for (const a of attributions) total += a;
  const absolute = Math.abs(total - difference);
  // A target that does not move (f(x) = f(baseline)) has nothing to distribute.
  const relative = Math.abs(difference) > 1e-12 ? absolute / Math.abs(difference) : absolute;
  return { absolute, relative };
}
