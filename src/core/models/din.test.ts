import { describe, expect, it } from 'vitest';
import * as tf from '../tf';
import { evaluate } from '../train/evaluate';
import { neuralScorer } from '../train/neuralScorer';
import { temporalLeaveLastOut } from '../train/split';
import { trainModel } from '../train/trainer';
import { createDin } from './din';
import { cycleTrainingBatch, historyMask, read, trainSteps as trainCycle } from './neuralChecks';
import { trainPop } from './pop';
import { cycleDataset, useBackend } from './tfTesting';
import type { HistoryTokens, NeuralRecommender, TrainingBatch } from './types';

const NUM_ITEMS = 12;
const MAX_LEN = 6;
const tiny = { dim: 8, maxLen: MAX_LEN, dropout: 0.1, sharedNegatives: 4, attentionUnits: 4 };

/** The shared cycle windows, trained against 4 shared negatives (din's `sharedNegatives`). */
const dinBatch = (): TrainingBatch => ({
  ...cycleTrainingBatch(1),
  negatives: new Int32Array(0),
  numNegatives: 0,
  sharedNegatives: Int32Array.from([1, 5, 9, 12]),
});

const history: HistoryTokens = {
  tokens: Int32Array.from([
    0, 0, 0, 3, 4, 5, 0, 7, 8, 9, 10, 11, 1, 2, 3, 4, 5, 6, 0, 0, 0, 0, 0, 0,
  ]),
  batch: 4,
  maxLen: MAX_LEN,
};

const trainSteps = (model: NeuralRecommender, steps: number) =>
  trainCycle(model, steps, 0.05, dinBatch());

describe('din on wasm', () => {
  it('learns (loss falls), keeps padding at zero and leaks nothing across train + score', async () => {
    await useBackend('wasm');
    const cycle = async () => {
      const model = createDin(NUM_ITEMS, tiny, 7);
      const losses = await trainSteps(model, 40);
      expect(losses[39]).toBeLessThan(losses[0] * 0.6);
      const padding = model.paddingEmbedding();
      expect(Array.from(await padding.data())).toEqual(new Array(8).fill(0));
      padding.dispose();
      model.scoreAll(history).dispose();
      model.capabilities.targetAttention?.(history, Int32Array.of(2, 0, 11, 5)).dispose();
      model.dispose();
    };
    await cycle();
    const before = tf.memory().numTensors;
    await cycle();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('scores consistently: scoreAll = scorePairs = scorePairsFromEmbeddings, zero gradient at padding', async () => {
    await useBackend('wasm');
    const model = createDin(NUM_ITEMS, tiny, 3);
    await trainSteps(model, 3);
    const before = tf.memory().numTensors;
    const items = Int32Array.of(2, 0, 11, 5);
    const all = await read<number[][]>(model.scoreAll(history));
    const pairs = await read<number[]>(model.scorePairs(history, items));
    const mask = historyMask(history);
    const emb = model.embedHistory(history);
    const fromEmb = await read<number[]>(model.scorePairsFromEmbeddings(emb, mask, items));
    // Cut into several user and item chunks (one user chunk is the empty history): same scores.
    model.scoringLimits = { chunkFloats: 64, positionsPerChunk: 5 };
    const chunked = await read<number[][]>(model.scoreAll(history));
    chunked.forEach((row, b) => {
      row.forEach((s, j) => {
        expect(s).toBeCloseTo(all[b][j], 4);
      });
    });
    expect(all.length).toBe(4);
    expect(all[0].length).toBe(NUM_ITEMS);
    [2, 0, 11, 5].forEach((item, b) => {
      expect(pairs[b]).toBeCloseTo(all[b][item], 4);
      expect(fromEmb[b]).toBeCloseTo(pairs[b], 5);
    });
    const grad = tf.grad((e: tf.Tensor) =>
      tf.sum(model.scorePairsFromEmbeddings(e as tf.Tensor3D, mask, items)),
    )(emb);
    const g = (await grad.array()) as number[][][];
    expect(g[0][0].every((v) => v === 0)).toBe(true);
    expect(g[0][5].some((v) => v !== 0)).toBe(true);
    // Target attention: one weight in (0, 1) per real position, 0 at padding.
    const weights = await read<number[][]>(model.targetAttention(history, items));
    expect(weights[0].slice(0, 3)).toEqual([0, 0, 0]);
    for (const w of weights[1].slice(1)) expect(w > 0 && w < 1).toBe(true);
    expect(weights[3]).toEqual(new Array(MAX_LEN).fill(0));
    const viaCapability = model.capabilities.targetAttention?.(history, items) as tf.Tensor;
    expect(await read<number[][]>(viaCapability)).toEqual(weights);
    tf.dispose([mask, emb, grad]);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('refuses a batch without shared negatives', async () => {
    await useBackend('wasm');
    const model = createDin(NUM_ITEMS, tiny, 1);
    const batch = { ...dinBatch(), sharedNegatives: new Int32Array(0) };
    expect(() => model.trainingLoss(batch)).toThrow(/din trains against shared negatives/);
    model.dispose();
  });

  it('round-trips its weights and refuses a mismatched set', async () => {
    await useBackend('wasm');
    const a = createDin(NUM_ITEMS, tiny, 1);
    const b = createDin(NUM_ITEMS, tiny, 2);
    await trainSteps(a, 2);
    const w = a.getWeights();
    b.setWeights(w);
    expect(await read<number[][]>(b.scoreAll(history))).toEqual(
      await read<number[][]>(a.scoreAll(history)),
    );
    const c = createDin(NUM_ITEMS + 1, tiny, 1);
    expect(() => c.setWeights(w)).toThrow(
      /item_embedding has shape \[13, 8\]; the model needs \[14, 8\]/,
    );
    tf.dispose(Object.values(w));
    for (const m of [a, b, c]) m.dispose();
    expect(() => createDin(NUM_ITEMS, { attentionUnits: 1 }, 1)).toThrow(/attentionUnits must be/);
  });

  it('beats pop on validation NDCG@10 on a planted cycle', async () => {
    await useBackend('wasm');
    const split = temporalLeaveLastOut(cycleDataset(40, 30, 9));
    const pop = await evaluate(trainPop(split.train, split.numItems).score, split, {
      which: 'validation',
    });
    const model = createDin(
      split.numItems,
      { dim: 16, maxLen: 8, dropout: 0.1, sharedNegatives: 8 },
      5,
    );
    const result = await trainModel(model, split, {
      epochs: 12,
      batchSize: 16,
      learningRate: 0.02,
      seed: 11,
      patience: 4,
    });
    const ndcg = (r: { atK: { k: number; ndcg: number }[] }) =>
      r.atK.find((m) => m.k === 10)?.ndcg ?? 0;
    const again = await evaluate(neuralScorer(model), split, { which: 'validation' });
    expect(ndcg(again.report)).toBeCloseTo(ndcg(result.bestValidation ?? again.report), 5);
    expect(ndcg(again.report)).toBeGreaterThan(ndcg(pop.report) + 0.3);
    model.dispose();
  });
});
