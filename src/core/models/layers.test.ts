import { describe, expect, it } from 'vitest';
import * as tf from '../tf';
import { layerNorm, matMul } from './layers';
import { accidentalHitMask, fullSoftmaxLoss, sampledSoftmaxLoss } from './losses';
import { useBackend } from './tfTesting';

const close = async (a: tf.Tensor, b: tf.Tensor) => {
  const [x, y] = [await a.data(), await b.data()];
  expect(x.length).toBe(y.length);
  for (let i = 0; i < x.length; i++) expect(x[i]).toBeCloseTo(y[i], 4);
};

describe.each(['cpu', 'wasm'] as const)('layers on %s', (backend) => {
  it('matMul has the value and gradients of tf.matMul, 2-D and batched', async () => {
    await useBackend(backend);
    for (const [sa, sb] of [
      [
        [5, 3],
        [3, 4],
      ],
      [
        [2, 3, 5, 4],
        [2, 3, 4, 6],
      ],
    ]) {
      const a = tf.randomNormal(sa, 0, 1, 'float32', 1);
      const b = tf.randomNormal(sb, 0, 1, 'float32', 2);
      const w = tf.randomNormal([...sa.slice(0, -1), sb[sb.length - 1]], 0, 1, 'float32', 3);
      const loss = (f: (x: tf.Tensor, y: tf.Tensor) => tf.Tensor) => (x: tf.Tensor, y: tf.Tensor) =>
        tf.sum(tf.mul(f(x, y), w));
      const ours = tf.grads(loss(matMul))([a, b]);
      const reference = tf.grads(loss((x, y) => tf.matMul(x, y)))([a, b]);
      await close(matMul(a, b), tf.matMul(a, b));
      await close(ours[0], reference[0]);
      await close(ours[1], reference[1]);
      tf.dispose([a, b, w, ...ours, ...reference]);
    }
  });

  it('layerNorm gives zero mean, unit variance before gain and bias', async () => {
    await useBackend(backend);
    const x = tf.tensor2d([[1, 2, 3, 6]]);
    const y = Array.from(
      await layerNorm(x, tf.ones([4]) as tf.Tensor1D, tf.zeros([4]) as tf.Tensor1D).data(),
    );
    const mean = y.reduce((s, v) => s + v, 0) / 4;
    expect(mean).toBeCloseTo(0, 5);
    expect(y.reduce((s, v) => s + (v - mean) ** 2, 0) / 4).toBeCloseTo(1, 4);
  });

  it('sampled softmax equals the hand-computed cross-entropy and drops accidental hits', async () => {
    await useBackend(backend);
    // Table rows: 0 padding, items 1..3 as unit-ish vectors; one example with hidden h.
    const table = tf.tensor2d([
      [0, 0],
      [1, 0],
      [0, 1],
      [1, 1],
    ]);
    const hidden = tf.tensor2d([[2, 1]]);
    const targets = Int32Array.of(1);
    const negatives = Int32Array.of(2, 1, 3); // token 1 is the target: an accidental hit
    const mask = accidentalHitMask(targets, negatives);
    expect(Array.from(mask)).toEqual([0, -1e9, 0]);
    const loss = sampledSoftmaxLoss(
      hidden,
      table,
      tf.tensor1d(targets, 'int32'),
      tf.tensor1d(negatives, 'int32'),
      tf.tensor2d(mask, [1, 3]),
    );
    // logits: target 2, negatives 1 (item 2) and 3 (item 3); the hit is excluded.
    const expected = -(2 - Math.log(Math.exp(2) + Math.exp(1) + Math.exp(3)));
    expect((await loss.data())[0]).toBeCloseTo(expected, 4);
    // The full softmax over items 1..3 is the same here (all three items take part once).
    const full = fullSoftmaxLoss(
      hidden,
      tf.transpose(tf.slice(table, [1, 0], [3, 2])),
      tf.tensor1d(targets, 'int32'),
    );
    expect((await full.data())[0]).toBeCloseTo(expected, 4);
  });
});
