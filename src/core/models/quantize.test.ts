import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../random';
import * as tf from '../tf';
import { dequantizeRows, type Int8Matrix, quantizeRows, quantizeWeights } from './quantize';
import { quantizedVariant } from './quantizedRecommender';
import { createModel, NEURAL_MODELS } from './registry';
import { useBackend } from './tfTesting';
import type { HistoryTokens, ModelFactory } from './types';

const NUM_ITEMS = 300;
const MAX_LEN = 10;
const gruFactory = NEURAL_MODELS.gru?.factory as ModelFactory;

function histories(batch: number): HistoryTokens {
  const rng = new SeededRandom(5, 'histories');
  const tokens = new Int32Array(batch * MAX_LEN);
  for (let b = 0; b < batch; b++) {
    const len = rng.int(1, MAX_LEN);
    for (let t = MAX_LEN - len; t < MAX_LEN; t++) tokens[b * MAX_LEN + t] = rng.int(1, NUM_ITEMS);
  }
  return { tokens, batch, maxLen: MAX_LEN };
}

/** Spearman rank correlation of two score vectors (no ties in continuous scores). */
function spearman(a: number[], b: number[]): number {
  const ranks = (x: number[]) => {
    const order = x.map((_, i) => i).sort((i, j) => x[i] - x[j]);
    const r = new Array<number>(x.length);
    order.forEach((i, k) => {
      r[i] = k;
    });
    return r;
  };
  const ra = ranks(a);
  const rb = ranks(b);
  const n = a.length;
  const d2 = ra.reduce((s, r, i) => s + (r - rb[i]) ** 2, 0);
  return 1 - (6 * d2) / (n * (n * n - 1));
}

const top10 = (x: number[]) =>
  x
    .map((s, i) => [s, i])
    .sort((p, q) => q[0] - p[0])
    .slice(0, 10)
    .map((p) => p[1]);

describe('quantizeRows', () => {
  it('bounds the reconstruction error by half a step per row and keeps zero rows exact', () => {
    const rng = new SeededRandom(3, 'rows');
    const rows = 6;
    const cols = 33;
    const values = Float32Array.from({ length: rows * cols }, (_, i) =>
      i < cols ? 0 : rng.uniform(-1, 1) * 10 ** (i % 4),
    );
    const { codes, scales } = quantizeRows(values, rows, cols);
    const m: Int8Matrix = { kind: 'int8', name: 'w', shape: [rows, cols], codes, scales };
    const back = dequantizeRows(m);
    expect(scales[0]).toBe(0);
    expect(Array.from(back.slice(0, cols))).toEqual(new Array(cols).fill(0));
    for (let r = 1; r < rows; r++) {
      let biggest = 0;
      for (let c = 0; c < cols; c++) {
        const i = r * cols + c;
        expect(Math.abs(values[i] - back[i])).toBeLessThanOrEqual(scales[r] / 2 + 1e-6 * scales[r]);
        biggest = Math.max(biggest, Math.abs(codes[i]));
      }
      expect(biggest).toBe(127); // the row's largest magnitude uses the full range
    }
    expect(() => quantizeRows(Float32Array.from([1, Number.NaN]), 1, 2)).toThrow(/non-finite/);
  });
});

describe('quantizedVariant on wasm', () => {
  it('saves ~4x on the embedding table and keeps small tensors float32', async () => {
    await useBackend('wasm');
    const model = createModel('gru', NUM_ITEMS, { dim: 64, maxLen: MAX_LEN }, 1);
    const weights = model.getWeights();
    const q = quantizeWeights(weights);
    const table = q.entries.find((e) => e.name === 'item_embedding');
    const bias = q.entries.find((e) => e.name === 'gru_input_bias');
    expect(table?.kind).toBe('int8');
    expect(bias?.kind).toBe('float32');
    const tableBefore = (NUM_ITEMS + 1) * 64 * 4;
    const tableAfter = (NUM_ITEMS + 1) * (64 + 4);
    expect(tableBefore / tableAfter).toBeGreaterThan(3.7);
    // Every 2-D kernel here is large enough to be quantised: the whole model shrinks ~3.7x.
    expect(q.bytesBefore / q.bytesAfter).toBeGreaterThan(3.5);
    // Plain WeightArrays give the same result as tensors.
    const arrays = Object.entries(weights).map(([name, t]) => ({
      name,
      shape: [...t.shape],
      dtype: 'float32' as const,
      data: t.dataSync() as Float32Array,
    }));
    expect(quantizeWeights(arrays)).toEqual(q);
    tf.dispose(Object.values(weights));
    model.dispose();
  });

  it('scores close to the float original (rank correlation, top-10 overlap)', async () => {
    await useBackend('wasm');
    const model = createModel('gru', NUM_ITEMS, { dim: 32, maxLen: MAX_LEN }, 2);
    const variant = quantizedVariant(model, gruFactory);
    const h = histories(16);
    const read = async (t: tf.Tensor) => {
      const out = (await t.array()) as number[][];
      t.dispose();
      return out;
    };
    const original = await read(model.scoreAll(h));
    const quantised = await read(variant.scoreAll(h));
    let overlap = 0;
    original.forEach((row, b) => {
      expect(spearman(row, quantised[b])).toBeGreaterThan(0.99);
      const mine = new Set(top10(quantised[b]));
      overlap += top10(row).filter((i) => mine.has(i)).length;
    });
    expect(overlap / (10 * h.batch)).toBeGreaterThan(0.9);
    expect(variant.id).toBe('gru');
    expect(variant.bytes.float32 / variant.bytes.int8).toBeGreaterThan(3);
    expect(() => variant.trainingLoss({} as never)).toThrow(/train the float original/);
    expect(variant.trainableVariables()).toEqual([]);
    expect(() => quantizedVariant(variant, gruFactory)).toThrow(/already quantised/);
    variant.dispose();
    model.dispose();
  });

  it('leaks nothing across quantise + score + unload + dispose, and setWeights re-quantises', async () => {
    await useBackend('wasm');
    const h = histories(4);
    const cycle = async () => {
      const model = createModel('gru', NUM_ITEMS, { dim: 16, maxLen: MAX_LEN }, 3);
      const variant = quantizedVariant(model, gruFactory);
      for (let round = 0; round < 2; round++) {
        const scores = variant.scoreAll(h);
        await scores.data();
        scores.dispose();
        variant.unload(); // the second round rebuilds the float copy from the int8 codes
      }
      const other = createModel('gru', NUM_ITEMS, { dim: 16, maxLen: MAX_LEN }, 4);
      const w = other.getWeights();
      variant.setWeights(w);
      const expected = quantizeWeights(w);
      expect(variant.quantized).toEqual(expected);
      tf.dispose(Object.values(w));
      for (const m of [variant, model, other]) m.dispose();
    };
    await cycle();
    const before = tf.memory().numTensors;
    await cycle();
    expect(tf.memory().numTensors).toBe(before);
  });
});
