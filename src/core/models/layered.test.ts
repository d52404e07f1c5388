import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../random';
import * as tf from '../tf';
import { evaluate } from '../train/evaluate';
import { temporalLeaveLastOut } from '../train/split';
import { trainModel } from '../train/trainer';
import { createLayered, type LayeredModel } from './layered';
import { interestTargets } from './layeredTargets';
import { trainSteps } from './neuralChecks';
import { trainPop } from './pop';
import { cycleDataset, useBackend } from './tfTesting';
import type { ItemFeatures } from './trained';
import type { HistoryTokens, TrainingBatch } from './types';

// Planted layers: 4 categories of 8 items (category c = items 8c..8c+7). Each user's window is
// 7 items of a deep category D followed by a burst of 4 items of another category S (4 users
// per (D, S) pair).
const CATEGORIES = 4;
const PER_CATEGORY = 8;
const NUM_ITEMS = CATEGORIES * PER_CATEGORY;
const MAX_LEN = 10;
const features: ItemFeatures = {
  numCategories: CATEGORIES,
  categories: Array.from({ length: NUM_ITEMS }, (_, i) => [Math.floor(i / PER_CATEGORY)]),
  titleTokens: Array.from({ length: NUM_ITEMS }, () => []),
  titleBuckets: 1,
};
const hyper = { dim: 16, maxLen: MAX_LEN, dropout: 0.1, sharedNegatives: NUM_ITEMS };

/** Items (0-based) of a user: `deep` items of category d then `burst` items of category s. */
function plantedItems(
  rng: SeededRandom,
  d: number,
  s: number,
  deep: number,
  burst: number,
): number[] {
  const pick = (c: number) => c * PER_CATEGORY + rng.int(0, PER_CATEGORY - 1);
  return [
    ...Array.from({ length: deep }, () => pick(d)),
    ...Array.from({ length: burst }, () => pick(s)),
  ];
}

function plantedBatch(seed: number): TrainingBatch {
  const rng = new SeededRandom(seed, 'layered-test');
  const windows: number[][] = [];
  for (let d = 0; d < CATEGORIES; d++) {
    for (let s = 0; s < CATEGORIES; s++) {
      for (let copy = 0; copy < 4 && s !== d; copy++) windows.push(plantedItems(rng, d, s, 7, 4));
    }
  }
  const tokens = new Int32Array(windows.length * MAX_LEN);
  const positions: number[] = [];
  const targets: number[] = [];
  windows.forEach((items, b) => {
    for (let i = 0; i < MAX_LEN; i++) {
      tokens[b * MAX_LEN + i] = items[i] + 1;
      positions.push(b * MAX_LEN + i);
      targets.push(items[i + 1] + 1);
    }
  });
  return {
    inputs: { tokens, batch: windows.length, maxLen: MAX_LEN },
    targetPositions: Int32Array.from(positions),
    targetTokens: Int32Array.from(targets),
    negatives: Int32Array.from(targets, (t) => (t % NUM_ITEMS) + 1),
    numNegatives: 1,
    sharedNegatives: Int32Array.from({ length: NUM_ITEMS }, (_, i) => i + 1),
  };
}

const train = (model: LayeredModel, steps: number, batch = plantedBatch(1)) =>
  trainSteps(model, steps, 0.03, batch);

const argmax = (row: number[]) => row.indexOf(Math.max(...row));

describe('interestTargets', () => {
  it('derives surface, middle (masked near the window end) and deep targets from the window', () => {
    // Tokens 1, 2: category 0; 3, 4: category 1; 5: categories 1 and 2; 6: no category.
    const cats = [[], [0], [0], [1], [1], [1, 2], []];
    const batch: TrainingBatch = {
      inputs: { tokens: Int32Array.from([0, 1, 2, 1, 3, 4]), batch: 1, maxLen: 6 },
      targetPositions: Int32Array.from([1, 2, 3, 4, 5]),
      targetTokens: Int32Array.from([2, 1, 3, 4, 5]),
      negatives: new Int32Array(0),
      numNegatives: 0,
      sharedNegatives: new Int32Array(0),
    };
    const t = interestTargets(batch, cats, 3, 2);
    const rows = (x: Float32Array) =>
      Array.from({ length: 5 }, (_, e) => Array.from(x.slice(3 * e, 3 * e + 3)));
    expect(rows(t.surface.distribution)).toEqual([
      [1, 0, 0],
      [1, 0, 0],
      [0, 1, 0],
      [0, 1, 0],
      [0, 0.5, 0.5],
    ]);
    expect(Array.from(t.middle.mask)).toEqual([1, 1, 1, 1, 0]);
    expect(rows(t.middle.distribution)[1]).toEqual([0.5, 0.5, 0]);
    // Window 1, 2, 1, 3, 4, 5: category 0 x3, 1 x2.5, 2 x0.5 over 6 items, for every position.
    for (const row of rows(t.deep.distribution)) {
      [0.5, 2.5 / 6, 0.5 / 6].forEach((p, c) => {
        expect(row[c]).toBeCloseTo(p, 6);
      });
    }
    // An uncategorised next item gives no surface target rather than a made-up one.
    const t2 = interestTargets(
      { ...batch, targetTokens: Int32Array.from([2, 1, 3, 4, 6]) },
      cats,
      3,
      2,
    );
    expect(Array.from(t2.surface.mask)).toEqual([1, 1, 1, 1, 0]);
    expect(t2.surface.count).toBe(4);
  });
});

describe('layered on wasm', () => {
  it('recovers planted layers: deep head -> long-run category, surface head -> recent burst', async () => {
    await useBackend('wasm');
    const model = createLayered(NUM_ITEMS, { ...hyper, deepWeight: 2 }, 3, features);
    const losses = await train(model, 100);
    expect(losses[99]).toBeLessThan(losses[0] * 0.7);
    // Fresh users (not trained on): 7 items of d, then a burst of 3 of s.
    const rng = new SeededRandom(99, 'fresh');
    const pairs = [
      [0, 2],
      [1, 3],
      [3, 0],
      [2, 1],
    ];
    const tokens = Int32Array.from(
      pairs.flatMap(([d, s]) => plantedItems(rng, d, s, 7, 3).map((i) => i + 1)),
    );
    const h: HistoryTokens = { tokens, batch: pairs.length, maxLen: MAX_LEN };
    const before = tf.memory().numTensors;
    const layers = model.interestHeads(h);
    const [surface, deep, middle] = (await Promise.all(
      [layers.surface, layers.deep, layers.middle].map((t) => t.array()),
    )) as number[][][];
    tf.dispose([layers.surface, layers.middle, layers.deep]);
    expect(tf.memory().numTensors).toBe(before);
    pairs.forEach(([d, s], b) => {
      expect(argmax(deep[b])).toBe(d);
      expect(argmax(surface[b])).toBe(s);
      expect(surface[b].reduce((a, x) => a + x, 0)).toBeCloseTo(1, 5);
      expect(middle[b].length).toBe(CATEGORIES);
    });
    model.dispose();
  });

  it('scores consistently, round-trips weights and leaks nothing across train + score', async () => {
    await useBackend('wasm');
    const h: HistoryTokens = {
      tokens: plantedBatch(2).inputs.tokens.slice(0, 3 * MAX_LEN),
      batch: 3,
      maxLen: MAX_LEN,
    };
    h.tokens.fill(0, 0, 4); // a shorter, left-padded history
    const read = async <T>(t: tf.Tensor): Promise<T> => {
      const out = (await t.array()) as T;
      t.dispose();
      return out;
    };
    const cycle = async () => {
      const model = createLayered(NUM_ITEMS, { ...hyper, dim: 8, loss: 'bce' }, 5, features);
      await train(model, 3);
      const items = Int32Array.of(4, 0, 31);
      const all = await read<number[][]>(model.scoreAll(h));
      const pairs = await read<number[]>(model.scorePairs(h, items));
      const emb = model.embedHistory(h);
      const mask = tf.tensor2d(
        Array.from(h.tokens, (t) => (t === 0 ? 0 : 1)),
        [3, MAX_LEN],
      );
      const fromEmb = await read<number[]>(model.scorePairsFromEmbeddings(emb, mask, items));
      [4, 0, 31].forEach((item, b) => {
        expect(pairs[b]).toBeCloseTo(all[b][item], 4);
        expect(fromEmb[b]).toBeCloseTo(pairs[b], 5);
      });
      const copy = createLayered(NUM_ITEMS, { ...hyper, dim: 8, loss: 'bce' }, 6, features);
      const w = model.getWeights();
      copy.setWeights(w);
      expect(await read<number[][]>(copy.scoreAll(h))).toEqual(all);
      tf.dispose([emb, mask, ...Object.values(w)]);
      model.dispose();
      copy.dispose();
    };
    await cycle();
    const before = tf.memory().numTensors;
    await cycle();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses to be built without categories, with a clear reason', async () => {
    await useBackend('wasm');
    expect(() => createLayered(NUM_ITEMS, hyper, 1)).toThrow(
      /needs item categories; none were given/,
    );
    const none: ItemFeatures = {
      ...features,
      numCategories: 0,
      categories: features.categories.map(() => []),
    };
    expect(() => createLayered(NUM_ITEMS, hyper, 1, none)).toThrow(/this dataset has none/);
    expect(() => createLayered(NUM_ITEMS + 1, hyper, 1, features)).toThrow(
      /describe 32 items; the model has 33/,
    );
    const bad: ItemFeatures = { ...features, categories: [[7], ...features.categories.slice(1)] };
    expect(() => createLayered(NUM_ITEMS, hyper, 1, bad)).toThrow(
      /item 0 has category 7, outside 0..3/,
    );
  });

  it('beats pop on validation NDCG@10 on a planted cycle', async () => {
    await useBackend('wasm');
    const split = temporalLeaveLastOut(cycleDataset(40, 30, 9));
    const cycleFeatures: ItemFeatures = {
      numCategories: 3,
      categories: Array.from({ length: split.numItems }, (_, i) => [i % 3]),
      titleTokens: Array.from({ length: split.numItems }, () => []),
      titleBuckets: 1,
    };
    const pop = await evaluate(trainPop(split.train, split.numItems).score, split, {
      which: 'validation',
    });
    const model = createLayered(
      split.numItems,
      { dim: 16, maxLen: 8, dropout: 0.1 },
      5,
      cycleFeatures,
    );
    const result = await trainModel(model, split, {
      epochs: 10,
      batchSize: 16,
      learningRate: 0.02,
      seed: 11,
      patience: 3,
    });
    const ndcg = (r: { atK: { k: number; ndcg: number }[] } | null) =>
      r?.atK.find((m) => m.k === 10)?.ndcg ?? 0;
    expect(ndcg(result.bestValidation)).toBeGreaterThan(ndcg(pop.report) + 0.3);
    model.dispose();
  });
});
