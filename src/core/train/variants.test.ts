import { describe, expect, it } from 'vitest';
import type { MetricReport } from '../models/baseline-types';
import { cycleDataset, useBackend } from '../models/tfTesting';
import * as tf from '../tf';
import { evaluate, historyBatch } from './evaluate';
import { temporalLeaveLastOut } from './split';
import {
  availableVariants,
  BASELINE_IDS,
  DEFAULT_TRAINING,
  topK,
  trainingDefaults,
  trainVariant,
} from './variants';

// 40 users walking a 30-item cycle: the next item is fixed by the last one.
const dataset = cycleDataset(40, 30, 9);
const split = temporalLeaveLastOut(dataset);
const gruOptions = {
  hyper: { dim: 8, maxLen: 6, dropout: 0 },
  epochs: 2,
  batchSize: 32,
  learningRate: 0.02,
  seed: 7,
  backend: 'wasm',
};

const at = (report: MetricReport | null, k: number) => report?.atK.find((m) => m.k === k);

describe('availableVariants', () => {
  it('lists the baselines first, then every registered neural model with its hyper specs', () => {
    const variants = availableVariants();
    expect(variants.slice(0, 2).map((v) => [v.id, v.kind, v.hyper])).toEqual([
      ['pop', 'baseline', null],
      ['itemknn', 'baseline', null],
    ]);
    const gru = variants.find((v) => v.id === 'gru');
    expect(gru?.kind).toBe('neural');
    expect(gru?.hyper?.maxLen.default).toBe(50);
    expect(BASELINE_IDS).toEqual(['pop', 'itemknn']);
  });
});

describe('trainVariant: baselines', () => {
  it('fits pop and itemknn and reports validation and test at K = 10 and 20', async () => {
    for (const id of BASELINE_IDS) {
      const { model, record } = await trainVariant(dataset, split, id);
      expect(model.id).toBe(id);
      expect(model.numItems).toBe(30);
      expect(model.neural).toBeNull();
      expect(record).toMatchObject({ modelId: id, epochs: 0, bestEpoch: 0, stoppedBy: 'fitted' });
      expect(record.protocol).toBe('full-ranking');
      for (const report of [record.validation, record.test]) {
        expect(report?.atK.map((m) => m.k)).toEqual([10, 20]);
        expect(report?.usersEvaluated).toBe(40);
      }
      expect(record.validation?.which).toBe('validation');
      expect(record.test?.which).toBe('test');
      // The record holds exactly what evaluate() says about the same scorer.
      const again = await evaluate(model.score, split, { which: 'test' });
      expect(record.test).toEqual(again.report);
      // ...and every user's test rank, for the comparison view's paired statistics.
      expect(record.testRanks?.users).toEqual(Array.from(again.users));
      expect(record.testRanks?.ranks).toEqual(
        Array.from(again.ranks, (r) => (Number.isFinite(r) ? r : 0)),
      );
      expect(record.testRanks?.ranks.filter((r) => r >= 1 && r <= 10).length).toBe(
        Math.round((at(record.test, 10)?.hitRate ?? 0) * 40),
      );
      model.dispose();
    }
  });

  it('itemknn learns the cycle (the next item is its only co-occurring neighbour); pop does not', async () => {
    const knn = await trainVariant(dataset, split, 'itemknn');
    const pop = await trainVariant(dataset, split, 'pop');
    expect(at(knn.record.test, 10)?.hitRate).toBeGreaterThan(0.9);
    expect(at(pop.record.test, 10)?.hitRate).toBeLessThan(0.6);
  });

  it('records itemknn neighbours as plain data and refuses bad hyper-parameters', async () => {
    const all = await trainVariant(dataset, split, 'itemknn');
    expect(all.record.hyper).toEqual({ neighbours: 'all' });
    const five = await trainVariant(dataset, split, 'itemknn', { hyper: { neighbours: 5 } });
    expect(five.record.hyper).toEqual({ neighbours: 5 });
    await expect(
      trainVariant(dataset, split, 'itemknn', { hyper: { neighbours: 0 } }),
    ).rejects.toThrow(/neighbours must be a positive integer or 'all'/);
    await expect(trainVariant(dataset, split, 'pop', { hyper: { dim: 3 } })).rejects.toThrow(
      /pop has no hyper-parameters/,
    );
    await expect(trainVariant(dataset, split, 'nope' as 'pop')).rejects.toThrow(
      /No model variant named nope; available: pop, itemknn/,
    );
  });
});

describe('trainVariant: neural (gru on wasm)', () => {
  it('is seeded: two runs give identical curves and metrics, and the record says how it trained', async () => {
    await useBackend('wasm');
    const run = async () => {
      const epochs: number[] = [];
      const { model, record } = await trainVariant(dataset, split, 'gru', {
        ...gruOptions,
        onEpoch: (p) => epochs.push(p.epoch),
      });
      model.dispose();
      return { record, epochs };
    };
    const first = await run();
    const second = await run();
    expect(first.epochs).toEqual([1, 2]);
    const { trainSeconds: _a, trainedAt: _b, ...a } = first.record;
    const { trainSeconds: _c, trainedAt: _d, ...b } = second.record;
    expect(a).toEqual(b);
    expect(a).toMatchObject({ modelId: 'gru', seed: 7, epochs: 2, backend: 'wasm' });
    // loss 'auto' is kept as the loss it chose: the exact softmax for this small catalogue.
    expect(a.hyper).toMatchObject({ dim: 8, maxLen: 6, loss: 'softmax' });
    expect(a.training).toEqual({
      learningRate: 0.02,
      batchSize: 32,
      patience: DEFAULT_TRAINING.patience,
    });
    expect(a.lossCurve).toHaveLength(2);
    expect(a.validationCurve).toHaveLength(2);
    expect(a.bestEpoch).toBeGreaterThanOrEqual(1);
    // The kept epoch's validation NDCG@10 is the best of the curve.
    expect(at(a.validation, 10)?.ndcg).toBeCloseTo(Math.max(...a.validationCurve), 6);
    expect(at(a.test, 20)).toBeDefined();
  });

  it("trains with the model's own tuned learning rate and batch size unless the call sets them", async () => {
    await useBackend('wasm');
    const own = trainingDefaults('gru');
    expect(own).not.toEqual(DEFAULT_TRAINING);
    const { model, record } = await trainVariant(dataset, split, 'gru', {
      hyper: gruOptions.hyper,
      epochs: 1,
      seed: 7,
    });
    model.dispose();
    expect(record.training).toEqual({
      learningRate: own.learningRate,
      batchSize: own.batchSize,
      patience: own.patience,
    });
    expect(availableVariants().find((v) => v.id === 'gru')?.training).toEqual({
      learningRate: own.learningRate,
      batchSize: own.batchSize,
    });
    expect(availableVariants().find((v) => v.id === 'pop')?.training).toBeNull();
  });

  it('rejects with an AbortError and leaks nothing when cancelled', async () => {
    await useBackend('wasm');
    const before = tf.memory().numTensors;
    const controller = new AbortController();
    const promise = trainVariant(dataset, split, 'gru', {
      ...gruOptions,
      signal: controller.signal,
      onBatch: () => controller.abort(),
    });
    await expect(promise).rejects.toMatchObject({ name: 'AbortError' });
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('topK', () => {
  it('lists the best unseen items of one history, best first, and can include seen ones', async () => {
    const { model } = await trainVariant(dataset, split, 'itemknn');
    const history = historyBatch(split, split.test, 0, 1);
    const seen = new Set(history.items);
    const top = await topK(model, history, 5);
    expect(top).toHaveLength(5);
    expect(top.some((t) => seen.has(t.item))).toBe(false);
    for (let i = 1; i < top.length; i++)
      expect(top[i - 1].score).toBeGreaterThanOrEqual(top[i].score);
    // The same list as a brute-force sort of the unseen items (ties: lower index first).
    const scores = await model.score(Int32Array.of(0), history);
    const expected = Array.from(scores, (score, item) => ({ item, score }))
      .filter((t) => !seen.has(t.item))
      .sort((x, y) => y.score - x.score || x.item - y.item)
      .slice(0, 5);
    expect(top).toEqual(expected);
    const withSeen = await topK(model, history, 30, false);
    expect(withSeen).toHaveLength(30);
    await expect(topK(model, historyBatch(split, split.test, 0, 2), 5)).rejects.toThrow(
      /topK takes one history; got 2/,
    );
  });
});
