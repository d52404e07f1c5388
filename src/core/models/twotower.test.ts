import { describe, expect, it } from 'vitest';
import type * as tf from '../tf';
import { evaluate } from '../train/evaluate';
import { neuralScorer } from '../train/neuralScorer';
import { temporalLeaveLastOut } from '../train/split';
import { trainModel } from '../train/trainer';
import {
  CHECK_ITEMS,
  CHECK_LEN,
  checkHistory,
  clusterDataset,
  expectConsistentScores,
  expectNoLeak,
  expectWeightRoundTrip,
  trainSteps,
} from './neuralChecks';
import { trainPop } from './pop';
import { useBackend } from './tfTesting';
import type { ItemFeatures } from './trained';
import { createTwoTower } from './twotower';

/** Items 0..11: category = item mod 3 (item 4 has none), a title word shared by item pairs. */
const features: ItemFeatures = {
  numCategories: 3,
  categories: Array.from({ length: CHECK_ITEMS }, (_, i) => (i === 4 ? [] : [i % 3])),
  titleTokens: Array.from({ length: CHECK_ITEMS }, (_, i) => (i === 7 ? [] : [i >> 1, 10 + i])),
  titleBuckets: 32,
};

const cases: [string, Record<string, string | number>, ItemFeatures | undefined][] = [
  ['mean pooling, in-batch loss, with features', { pooling: 'mean', loss: 'in-batch' }, features],
  [
    'attention pooling, sampled softmax, no features',
    { pooling: 'attention', loss: 'sampled-softmax' },
    undefined,
  ],
];

describe.each(cases)('twotower (%s) on wasm', (_name, extra, itemFeatures) => {
  const create = (seed: number) =>
    createTwoTower(
      CHECK_ITEMS,
      { dim: 8, maxLen: CHECK_LEN, dropout: 0.1, ...extra },
      seed,
      itemFeatures,
    );

  it('learns the cycle batch (loss falls)', async () => {
    await useBackend('wasm');
    const model = create(7);
    const losses = await trainSteps(model, 25);
    expect(losses[24]).toBeLessThan(losses[0] * 0.7);
    model.dispose();
  });

  it('scores consistently on every path', async () => {
    await useBackend('wasm');
    const model = create(3);
    await trainSteps(model, 3);
    await expectConsistentScores(model);
    // Cosine over a temperature: every score lies within ±1/temperature.
    const all = model.scoreAll(checkHistory);
    expect(Math.max(...Array.from(await all.data()).map(Math.abs))).toBeLessThanOrEqual(10 + 1e-4);
    all.dispose();
    model.dispose();
  });

  it('round-trips weights and leaks nothing', async () => {
    await useBackend('wasm');
    await expectWeightRoundTrip(create);
    await expectNoLeak(() => create(4));
  });
});

describe('twotower details', () => {
  it('exposes attention pooling weights that sum to 1 over real positions only', async () => {
    await useBackend('wasm');
    const model = createTwoTower(
      CHECK_ITEMS,
      { dim: 8, maxLen: CHECK_LEN, pooling: 'attention' },
      5,
    );
    const pooling = model.capabilities.poolingWeights;
    expect(pooling).toBeDefined();
    const weights = pooling?.(checkHistory) as tf.Tensor;
    expect(weights.shape).toEqual([3, CHECK_LEN]);
    const w = (await weights.array()) as number[][];
    expect(w[0].slice(3).reduce((s, v) => s + v, 0)).toBeCloseTo(1, 5);
    expect(w[0].slice(0, 3)).toEqual([0, 0, 0]);
    weights.dispose();
    // Mean pooling: 1/n at each of the n real items.
    const mean = createTwoTower(CHECK_ITEMS, { dim: 8, maxLen: CHECK_LEN }, 5);
    const uniform = mean.capabilities.poolingWeights?.(checkHistory) as tf.Tensor;
    const u = (await uniform.array()) as number[][];
    const real = CHECK_LEN - 3;
    for (const v of u[0].slice(3)) expect(v).toBeCloseTo(1 / real, 6);
    uniform.dispose();
    mean.dispose();
    model.dispose();
  });

  it('refuses features that do not cover the catalogue', async () => {
    await useBackend('wasm');
    const short = { ...features, categories: features.categories.slice(1) };
    expect(() => createTwoTower(CHECK_ITEMS, {}, 1, short)).toThrow(
      /Item features cover 11 items \(categories\) and 12 \(titles\); the model has 12/,
    );
    const outside = { ...features, titleBuckets: 8 };
    expect(() => createTwoTower(CHECK_ITEMS, {}, 1, outside)).toThrow(
      /title token 10, outside 0\.\.7/,
    );
  });

  it('beats pop on validation NDCG@10 on planted interests', async () => {
    await useBackend('wasm');
    const split = temporalLeaveLastOut(clusterDataset(48, 4, 10, 9));
    const ndcg = (r: { atK: { k: number; ndcg: number }[] }) =>
      r.atK.find((m) => m.k === 10)?.ndcg ?? Number.NaN;
    const pop = await evaluate(trainPop(split.train, split.numItems).score, split, {
      which: 'validation',
    });
    const model = createTwoTower(split.numItems, { dim: 16, maxLen: 8, dropout: 0 }, 3);
    await trainModel(model, split, { epochs: 10, batchSize: 16, learningRate: 0.03, seed: 1 });
    const report = await evaluate(neuralScorer(model), split, { which: 'validation' });
    expect(ndcg(report.report)).toBeGreaterThan(ndcg(pop.report) + 0.2);
    model.dispose();
  });
});
