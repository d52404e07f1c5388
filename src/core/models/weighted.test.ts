import { describe, expect, it } from 'vitest';
import * as tf from '../tf';
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
  historyMask,
  trainSteps,
} from './neuralChecks';
import { trainPop } from './pop';
import { useBackend } from './tfTesting';
import type { HistoryTokens } from './types';
import { createWeighted, type WeightedRecommender } from './weighted';
import { prefixFrequencyRecency, windowFrequency } from './weightedWindows';

const tiny = { dim: 8, maxLen: CHECK_LEN, dropout: 0, recencyDecay: 3 };
const create = (seed: number, extra: Record<string, number | string> = {}) =>
  createWeighted(CHECK_ITEMS, { ...tiny, ...extra }, seed) as WeightedRecommender;

async function values(t: tf.Tensor): Promise<number[]> {
  const out = Array.from(await t.data());
  t.dispose();
  return out;
}

describe('weighted window statistics', () => {
  it('counts frequency over maxLen and gives each prefix its own window', () => {
    const tokens = Int32Array.from([0, 5, 3, 5, 5, 2]);
    expect(Array.from(windowFrequency(tokens, 1, 6))).toEqual(
      Array.from(Float32Array.from([0, 3, 1, 3, 3, 1], (c) => c / 6)),
    );
    const { frequency, recency } = prefixFrequencyRecency(tokens, 1, 6, 2);
    // Prefix ending at position 3 (items 5, 3, 5): item 5 occurs twice so far.
    expect(Array.from(frequency.subarray(18, 24))).toEqual(
      Array.from(Float32Array.from([0, 2, 1, 2, 0, 0], (c) => c / 6)),
    );
    const r = Array.from(recency.subarray(18, 24));
    expect(r[0]).toBe(0);
    expect(r[3]).toBe(1);
    expect(r[1]).toBeCloseTo(Math.exp(-1), 6);
    expect(Array.from(frequency.subarray(0, 6))).toEqual([0, 0, 0, 0, 0, 0]);
  });
});

describe.each(['sampled-softmax', 'bce', 'softmax'])('weighted (%s) on wasm', (loss) => {
  it('learns the cycle batch (loss falls)', async () => {
    await useBackend('wasm');
    const model = create(7, { loss });
    const losses = await trainSteps(model, 25);
    expect(losses[24]).toBeLessThan(losses[0] * 0.7);
    model.dispose();
  });
});

describe('weighted contract on wasm', () => {
  it('scores consistently on every path', async () => {
    await useBackend('wasm');
    const model = create(3);
    await trainSteps(model, 3);
    await expectConsistentScores(model);
    model.dispose();
  });

  it('round-trips weights and leaks nothing', async () => {
    await useBackend('wasm');
    await expectWeightRoundTrip((seed) => create(seed));
    await expectNoLeak(() => create(4));
  });
});

describe('weighted contributions are exact', () => {
  const items = [2, 0, 11];

  it('sum to the score and equal gradient x input (what explainers must recover)', async () => {
    await useBackend('wasm');
    const model = create(5);
    await trainSteps(model, 5);
    const itemIndices = Int32Array.from(items);
    const c = await values(model.contributions(checkHistory, itemIndices));
    const scores = await values(model.scorePairs(checkHistory, itemIndices));
    const emb = model.embedHistory(checkHistory);
    const mask = historyMask(checkHistory);
    const grad = tf.grad((e: tf.Tensor) =>
      tf.sum(model.scorePairsFromEmbeddings(e as tf.Tensor3D, mask, itemIndices)),
    )(emb);
    const gradTimesInput = await values(tf.sum(tf.mul(grad, emb), 2));
    for (let b = 0; b < 3; b++) {
      const row = c.slice(b * CHECK_LEN, (b + 1) * CHECK_LEN);
      expect(row.reduce((s, v) => s + v, 0)).toBeCloseTo(scores[b], 4);
      row.forEach((v, t) => {
        expect(gradTimesInput[b * CHECK_LEN + t]).toBeCloseTo(v, 4);
        if (checkHistory.tokens[b * CHECK_LEN + t] === 0) expect(v).toBe(0);
      });
    }
    tf.dispose([emb, mask, grad]);
    model.dispose();
  });

  it('removing (masking) a position changes the score by its contribution, plus the repeat term', async () => {
    await useBackend('wasm');
    const model = create(6);
    await trainSteps(model, 5);
    const { alpha, beta } = model.mixing();
    const itemIndices = Int32Array.from(items);
    const c = await values(model.contributions(checkHistory, itemIndices));
    const scores = await values(model.scorePairs(checkHistory, itemIndices));
    const recency = (t: number) => Math.exp(-(CHECK_LEN - 1 - t) / tiny.recencyDecay);
    let repeatsChecked = 0;
    for (let b = 0; b < 3; b++) {
      for (let t = 0; t < CHECK_LEN; t++) {
        const token = checkHistory.tokens[b * CHECK_LEN + t];
        if (token === 0) continue;
        const edited: HistoryTokens = { ...checkHistory, tokens: checkHistory.tokens.slice() };
        edited.tokens[b * CHECK_LEN + t] = 0;
        const after = await values(model.scorePairs(edited, itemIndices));
        const row = Array.from(checkHistory.tokens.subarray(b * CHECK_LEN, (b + 1) * CHECK_LEN));
        const n = row.filter((x) => x === token).length;
        const weight = (alpha * n) / CHECK_LEN + beta * recency(t);
        const similarity = c[b * CHECK_LEN + t] / weight;
        const expected = c[b * CHECK_LEN + t] + ((alpha * (n - 1)) / CHECK_LEN) * similarity;
        if (n > 1) repeatsChecked++;
        expect(scores[b] - after[b]).toBeCloseTo(expected, 4);
        // The other rows are untouched.
        expect(after[(b + 1) % 3]).toBeCloseTo(scores[(b + 1) % 3], 5);
      }
    }
    expect(repeatsChecked).toBe(2);
    model.dispose();
  });

  it('reads item identity from the embeddings: masking one repeat matches removing its token', async () => {
    await useBackend('wasm');
    const model = create(8);
    await trainSteps(model, 5);
    const itemIndices = Int32Array.from(items);
    // Row 1 holds token 7 at positions 1 and 3; mask position 1 but keep its embedding.
    const mask = historyMask(checkHistory);
    const edited = mask.bufferSync();
    edited.set(0, 1, 1);
    const masked = edited.toTensor() as tf.Tensor2D;
    const emb = model.embedHistory(checkHistory);
    const viaMask = await values(model.scorePairsFromEmbeddings(emb, masked, itemIndices));
    const removed: HistoryTokens = { ...checkHistory, tokens: checkHistory.tokens.slice() };
    removed.tokens[CHECK_LEN + 1] = 0;
    const viaTokens = await values(model.scorePairs(removed, itemIndices));
    expect(viaMask[1]).toBeCloseTo(viaTokens[1], 4);
    tf.dispose([mask, masked, emb]);
    model.dispose();
  });
});

describe('weighted learns planted interests', () => {
  it('beats pop on validation NDCG@10', async () => {
    await useBackend('wasm');
    const split = temporalLeaveLastOut(clusterDataset(48, 4, 10, 9));
    const ndcg = (r: { atK: { k: number; ndcg: number }[] }) =>
      r.atK.find((m) => m.k === 10)?.ndcg ?? Number.NaN;
    const pop = await evaluate(trainPop(split.train, split.numItems).score, split, {
      which: 'validation',
    });
    const model = createWeighted(split.numItems, { dim: 16, maxLen: 8, dropout: 0 }, 3);
    await trainModel(model, split, { epochs: 10, batchSize: 16, learningRate: 0.03, seed: 1 });
    const report = await evaluate(neuralScorer(model), split, { which: 'validation' });
    expect(ndcg(report.report)).toBeGreaterThan(ndcg(pop.report) + 0.2);
    model.dispose();
  });
});
