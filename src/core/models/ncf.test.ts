import { describe, expect, it } from 'vitest';
import * as tf from '../tf';
import { evaluate } from '../train/evaluate';
import { neuralScorer } from '../train/neuralScorer';
import { temporalLeaveLastOut } from '../train/split';
import { trainModel } from '../train/trainer';
import { createNcf } from './ncf';
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

async function read(t: tf.Tensor): Promise<unknown> {
  const out = await t.array();
  t.dispose();
  return out;
}

const cases: Record<string, string | number>[] = [
  { loss: 'bce', mlpLayers: 1, negatives: 3 },
  { loss: 'sampled-softmax', mlpLayers: 2, negatives: 4 },
];

describe.each(cases)('ncf %o on wasm', (extra) => {
  const create = (seed: number) =>
    createNcf(CHECK_ITEMS, { dim: 8, maxLen: CHECK_LEN, dropout: 0.1, ...extra }, seed);

  it('learns the cycle batch (loss falls) and asks for its negatives', async () => {
    await useBackend('wasm');
    const model = create(7);
    expect(model.trainingNegatives).toBe(extra.negatives);
    expect(model.trainingSharedNegatives).toBe(0);
    const losses = await trainSteps(model, 25);
    expect(losses[24]).toBeLessThan(losses[0] * 0.7);
    model.dispose();
  });

  it('scores consistently on every path', async () => {
    await useBackend('wasm');
    const model = create(3);
    await trainSteps(model, 3);
    await expectConsistentScores(model);
    model.dispose();
  });

  it('round-trips weights and leaks nothing', async () => {
    await useBackend('wasm');
    await expectWeightRoundTrip(create);
    await expectNoLeak(() => create(4));
  });
});

describe('ncf details', () => {
  it('reads item categories and titles when given, and refuses features of another catalogue', async () => {
    await useBackend('wasm');
    const features: ItemFeatures = {
      numCategories: 3,
      categories: Array.from({ length: CHECK_ITEMS }, (_, i) => [i % 3]),
      titleTokens: Array.from({ length: CHECK_ITEMS }, (_, i) => [i % 5, 7]),
      titleBuckets: 8,
    };
    const model = createNcf(CHECK_ITEMS, { dim: 8, maxLen: CHECK_LEN }, 1, features);
    const weights = model.getWeights();
    expect(weights.category_embedding.shape).toEqual([3, 8]);
    expect(weights.title_token_embedding.shape).toEqual([8, 8]);
    tf.dispose(Object.values(weights));
    await expectConsistentScores(model);
    model.dispose();
    const short = { ...features, categories: features.categories.slice(1) };
    expect(() => createNcf(CHECK_ITEMS, {}, 1, short)).toThrow(/Item features cover 11 items/);
  });

  it('starts with a live GMF branch: initial scores spread across items', async () => {
    await useBackend('wasm');
    // Regression: with un-normalised mean-pooled histories, u ⊙ v began near zero and the
    // initial scores of a history's items differed by ~1e-3, so little but popularity trained.
    const model = createNcf(200, { dim: 32, maxLen: CHECK_LEN }, 5);
    const scores = (await read(model.scoreAll(checkHistory))) as number[][];
    for (const row of scores) {
      const mean = row.reduce((a, b) => a + b, 0) / row.length;
      const std = Math.sqrt(row.reduce((a, b) => a + (b - mean) ** 2, 0) / row.length);
      expect(std).toBeGreaterThan(0.1);
    }
    model.dispose();
  });

  it('scores the whole catalogue in chunks with the same result as pair by pair', async () => {
    await useBackend('wasm');
    // 30,000 items x 3 users x 64 units is over the pair budget: two catalogue chunks.
    const numItems = 30_000;
    const model = createNcf(numItems, { dim: 64, maxLen: CHECK_LEN }, 2);
    const all = model.scoreAll(checkHistory);
    expect(all.shape).toEqual([3, numItems]);
    const picked = [0, 21_845, 29_999];
    const items = Int32Array.from(picked);
    const pairTensor = model.scorePairs(checkHistory, items);
    const pairs = Array.from(await pairTensor.data());
    const rows = (await all.array()) as number[][];
    picked.forEach((item, b) => {
      expect(rows[b][item]).toBeCloseTo(pairs[b], 4);
    });
    tf.dispose([all, pairTensor]);
    model.dispose();
  });

  it('beats pop on validation NDCG@10 on planted interests', async () => {
    await useBackend('wasm');
    const split = temporalLeaveLastOut(clusterDataset(48, 4, 10, 9));
    const ndcg = (r: { atK: { k: number; ndcg: number }[] }) =>
      r.atK.find((m) => m.k === 10)?.ndcg ?? Number.NaN;
    const pop = await evaluate(trainPop(split.train, split.numItems).score, split, {
      which: 'validation',
    });
    const model = createNcf(split.numItems, { dim: 16, maxLen: 8, dropout: 0 }, 3);
    await trainModel(model, split, { epochs: 10, batchSize: 16, learningRate: 0.03, seed: 1 });
    const report = await evaluate(neuralScorer(model), split, { which: 'validation' });
    expect(ndcg(report.report)).toBeGreaterThan(ndcg(pop.report) + 0.2);
    model.dispose();
  });
});
