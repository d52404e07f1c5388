import { describe, expect, it } from 'vitest';
import * as tf from '../tf';
import { embeddingLookup } from './embedding';
import { useBackend } from './tfTesting';

describe.each(['cpu', 'wasm'] as const)('embeddingLookup on %s', (backend) => {
  it('looks up rows and sums the gradient of duplicate ids (hand-computed)', async () => {
    await useBackend(backend);
    const before = tf.memory().numTensors;
    const init = tf.tensor2d([
      [1, 2],
      [3, 4],
      [5, 6],
      [7, 8],
    ]);
    const table = tf.variable(init);
    init.dispose();
    const ids = tf.tensor2d(
      [
        [1, 3],
        [1, 1],
      ],
      [2, 2],
      'int32',
    );
    // Weights per looked-up position so each position's gradient is distinct.
    const w = tf.tensor3d([
      [
        [1, 10],
        [2, 20],
      ],
      [
        [3, 30],
        [4, 40],
      ],
    ]);
    const { value, grads } = tf.variableGrads(
      () => tf.sum(tf.mul(embeddingLookup(table, ids), w)) as tf.Scalar,
      [table],
    );
    // Value: rows 1,3,1,1 = (3,4),(7,8),(3,4),(3,4) weighted.
    expect(await value.data()).toEqual(
      new Float32Array([3 * 1 + 4 * 10 + 7 * 2 + 8 * 20 + 3 * 3 + 4 * 30 + 3 * 4 + 4 * 40]),
    );
    // Row 1 was used at positions (0,0), (1,0), (1,1): 1+3+4 and 10+30+40; row 3 once; 0, 2 never.
    const grad = grads[table.name];
    expect(Array.from(await grad.data())).toEqual([0, 0, 8, 80, 0, 0, 2, 20]);
    const looked = embeddingLookup(table, ids);
    expect(looked.shape).toEqual([2, 2, 2]);
    tf.dispose([looked, value, grad, w, ids, table]);
    // The ids saved for the backward pass were released by it: nothing is left behind.
    expect(tf.memory().numTensors).toBe(before);
  });

  it('leaks nothing when no gradient is taken', async () => {
    await useBackend(backend);
    const table = tf.tensor2d([[1], [2]]);
    const ids = tf.tensor1d([1, 1, 0], 'int32');
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      embeddingLookup(table, ids);
    });
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([table, ids]);
  });

  it('refuses float ids and tables that are not 2-D', async () => {
    await useBackend(backend);
    const table = tf.tensor2d([[1], [2]]);
    expect(() => embeddingLookup(table, tf.tensor1d([0]))).toThrow(/int32 ids/);
    expect(() => embeddingLookup(tf.tensor1d([1]), tf.tensor1d([0], 'int32'))).toThrow(/2-D table/);
  });
});
