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
  it('scores the whole catalogue in chunks with the same result as pair by pair', async () => {
    await useBackend('wasm');
    // 30,000 items x 3 users x 64 units is over the pair budget: two catalogue chunks.
    const numItems = 30_000;
    const model = createNcf(numItems, { dim: 64, maxLen: CHECK_LEN }, 2);
    const all = model.scoreAll(checkHistory);
    expect(all.shape).toEqual([3, numItems]);
    const picked = [0, 21_845, 29_999];
    const items = tf.tensor1d(picked, 'int32');
    const pairTensor = model.scorePairs(checkHistory, items);
    const pairs = Array.from(await pairTensor.data());
    const rows = (await all.array()) as number[][];
    picked.forEach((item, b) => {
      expect(rows[b][item]).toBeCloseTo(pairs[b], 4);
    });
    tf.dispose([all, items, pairTensor]);
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
