import { describe, expect, it } from 'vitest';
import * as tf from '../tf';
import { checkHistory, trainSteps } from './neuralChecks';
import { createModel } from './registry';
import { useBackend } from './tfTesting';
import type { ModelId } from './types';

const NUM_ITEMS = 12;
const MAX_LEN = 6;
const tiny = { dim: 8, maxLen: MAX_LEN, dropout: 0.1 };

const history = checkHistory;

const cases: [ModelId, 'cpu' | 'wasm', Record<string, number | string>][] = [
  ['gru', 'wasm', {}],
  ['sasrec', 'wasm', { blocks: 1, heads: 2 }],
  ['sasrec', 'wasm', { loss: 'softmax', blocks: 1 }],
  ['sasrec', 'wasm', { loss: 'bce', blocks: 1 }],
  ['gru', 'cpu', {}],
];

describe.each(cases)('%s on %s %o', (id, backend, extra) => {
  it('learns the cycle (loss falls), keeps padding at zero and leaks nothing', async () => {
    await useBackend(backend);
    const before = tf.memory().numTensors;
    const model = createModel(id, NUM_ITEMS, { ...tiny, ...extra }, 7);
    const losses = await trainSteps(model, 25);
    expect(losses[24]).toBeLessThan(losses[0] * 0.6);
    const padding = model.paddingEmbedding();
    expect(Array.from(await padding.data())).toEqual(new Array(8).fill(0));
    padding.dispose();
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('scores consistently: scoreAll = scorePairs = scorePairsFromEmbeddings', async () => {
    await useBackend(backend);
    const model = createModel(id, NUM_ITEMS, { ...tiny, ...extra }, 3);
    await trainSteps(model, 3);
    const before = tf.memory().numTensors;
    const items = Int32Array.of(2, 0, 11);
    const read = async <T>(t: tf.Tensor): Promise<T> => {
      const out = (await t.array()) as T;
      t.dispose();
      return out;
    };
    const all = await read<number[][]>(model.scoreAll(history));
    const pairs = await read<number[]>(model.scorePairs(history, items));
    const mask = tf.tensor2d(
      Array.from(history.tokens, (t) => (t === 0 ? 0 : 1)),
      [3, MAX_LEN],
    );
    const emb = model.embedHistory(history);
    expect(emb.shape).toEqual([3, MAX_LEN, 8]);
    const fromEmb = await read<number[]>(model.scorePairsFromEmbeddings(emb, mask, items));
    expect(all.length).toBe(3);
    expect(all[0].length).toBe(NUM_ITEMS);
    [2, 0, 11].forEach((item, b) => {
      expect(pairs[b]).toBeCloseTo(all[b][item], 4);
      expect(fromEmb[b]).toBeCloseTo(pairs[b], 5);
    });
    // The gradient explainers need d score / d embedding, with no gradient at padding.
    const grad = tf.grad((e: tf.Tensor) =>
      tf.sum(model.scorePairsFromEmbeddings(e as tf.Tensor3D, mask, items)),
    )(emb);
    const g = (await grad.array()) as number[][][];
    expect(g[0][0].every((v) => v === 0)).toBe(true);
    expect(g[0][5].some((v) => v !== 0)).toBe(true);
    tf.dispose([mask, emb, grad]);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});

describe('model construction', () => {
  it('refuses unknown or out-of-range hyper-parameters by name', async () => {
    await useBackend('wasm');
    expect(() => createModel('sasrec', 5, { depth: 3, dropout: 2 })).toThrow(
      /Invalid sasrec hyper-parameters: unknown parameter depth; dropout must be a number in 0..0.9; got 2\./,
    );
    expect(() => createModel('sasrec', 5, { dim: 10, heads: 3 })).toThrow(
      /heads \(3\) must divide dim/,
    );
    expect(() => createModel('pop', 5)).toThrow(
      /No neural model named pop; available: .*gru.*sasrec/,
    );
  });

  it('gives the same initial weights for the same seed and different ones otherwise', async () => {
    await useBackend('wasm');
    const read = async (seed: number) => {
      const m = createModel('sasrec', NUM_ITEMS, { ...tiny, blocks: 1 }, seed);
      const scores = m.scoreAll(history);
      const out = Array.from(await scores.data());
      scores.dispose();
      m.dispose();
      return out;
    };
    expect(await read(1)).toEqual(await read(1));
    expect(await read(1)).not.toEqual(await read(2));
  });

  it('exposes causal sasrec attention that ignores padding', async () => {
    await useBackend('wasm');
    const model = createModel('sasrec', NUM_ITEMS, { ...tiny, blocks: 2, heads: 2 }, 5);
    const blocks = model.capabilities.selfAttention?.(history) ?? [];
    expect(blocks.map((b) => b.shape)).toEqual([
      [3, 2, MAX_LEN, MAX_LEN],
      [3, 2, MAX_LEN, MAX_LEN],
    ]);
    for (const weights of blocks) {
      const w = (await weights.array()) as number[][][][];
      // Row 0 has 3 items (positions 3..5); query 4 attends only to keys 3 and 4.
      const row = w[0][1][4];
      expect(row[3] + row[4]).toBeCloseTo(1, 5);
      expect(row[5]).toBe(0);
      expect(row[0] + row[1] + row[2]).toBe(0);
    }
    tf.dispose(blocks);
    const gru = createModel('gru', NUM_ITEMS, tiny, 1);
    expect(gru.capabilities.selfAttention).toBeUndefined();
    gru.dispose();
    model.dispose();
  });
});
