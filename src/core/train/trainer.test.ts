import { describe, expect, it } from 'vitest';
import { trainPop } from '../models/pop';
import { createModel } from '../models/registry';
import { cycleDataset, useBackend } from '../models/tfTesting';
import type { ModelId } from '../models/types';
import * as tf from '../tf';
import { evaluate } from './evaluate';
import { neuralScorer } from './neuralScorer';
import { temporalLeaveLastOut } from './split';
import { type TrainOptions, trainModel } from './trainer';

// 40 users walking a 30-item cycle: the next item is fixed by the last one, popularity is flat.
const split = temporalLeaveLastOut(cycleDataset(40, 30, 9));
const hyper = { dim: 16, maxLen: 8, dropout: 0.1 };
const options: TrainOptions = { epochs: 3, batchSize: 16, learningRate: 0.02, seed: 11 };

const ndcg10 = (r: { atK: { k: number; ndcg: number }[] }) =>
  r.atK.find((m) => m.k === 10)?.ndcg ?? Number.NaN;

describe('trainModel on wasm', () => {
  it('is deterministic: the same seeds give the same loss trajectory', async () => {
    await useBackend('wasm');
    const run = async () => {
      const model = createModel('sasrec', split.numItems, { ...hyper, blocks: 1 }, 3);
      const losses: number[] = [];
      await trainModel(model, split, {
        ...options,
        epochs: 2,
        onBatch: (p) => losses.push(p.loss),
      });
      model.dispose();
      return losses;
    };
    const first = await run();
    expect(first.length).toBe(2 * Math.ceil(40 / 16));
    expect(await run()).toEqual(first);
  });

  it('beats pop on validation NDCG@10 by a wide margin (gru and sasrec)', async () => {
    await useBackend('wasm');
    const pop = await evaluate(trainPop(split.train, split.numItems).score, split, {
      which: 'validation',
    });
    for (const id of ['gru', 'sasrec'] as ModelId[]) {
      const extra: Record<string, number> = id === 'sasrec' ? { blocks: 1 } : {};
      const model = createModel(id, split.numItems, { ...hyper, ...extra }, 5);
      const epochs: number[] = [];
      const result = await trainModel(model, split, {
        ...options,
        epochs: 12,
        patience: 3,
        onEpoch: (p) => epochs.push(ndcg10(p.validation)),
      });
      // The model keeps the best epoch's weights: re-evaluating reproduces the best report.
      const again = await evaluate(neuralScorer(model), split, { which: 'validation' });
      expect(ndcg10(again.report)).toBeCloseTo(Math.max(...epochs), 5);
      expect(result.bestValidation && ndcg10(result.bestValidation)).toBeCloseTo(
        Math.max(...epochs),
        5,
      );
      expect(ndcg10(again.report)).toBeGreaterThan(ndcg10(pop.report) + 0.3);
      model.dispose();
    }
  });

  it('leaks no tensors across train + evaluate + dispose, twice', async () => {
    await useBackend('wasm');
    const cycle = async () => {
      const model = createModel('gru', split.numItems, hyper, 1);
      await trainModel(model, split, { ...options, epochs: 1 });
      await evaluate(neuralScorer(model), split, { which: 'test' });
      model.dispose();
    };
    await cycle();
    const before = tf.memory().numTensors;
    await cycle();
    await cycle();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('cancels within one batch and keeps the starting weights when no epoch finished', async () => {
    await useBackend('wasm');
    const model = createModel('gru', split.numItems, hyper, 2);
    const start = await model
      .scoreAll({ tokens: new Int32Array(8).fill(1), batch: 1, maxLen: 8 })
      .data();
    const controller = new AbortController();
    let batchesSeen = 0;
    const result = await trainModel(model, split, {
      ...options,
      signal: controller.signal,
      onBatch: () => {
        batchesSeen++;
        if (batchesSeen === 2) controller.abort();
      },
    });
    expect(result.stoppedBy).toBe('cancelled');
    expect(batchesSeen).toBe(2);
    expect(result.bestEpoch).toBe(0);
    const after = await model
      .scoreAll({ tokens: new Int32Array(8).fill(1), batch: 1, maxLen: 8 })
      .data();
    expect(Array.from(after)).toEqual(Array.from(start));
    model.dispose();
  });

  it('refuses a model built for another catalogue and bad options', async () => {
    await useBackend('wasm');
    const model = createModel('gru', split.numItems + 1, hyper, 2);
    await expect(trainModel(model, split, options)).rejects.toThrow(
      /31 items but the split has 30/,
    );
    model.dispose();
    const ok = createModel('gru', split.numItems, hyper, 2);
    await expect(trainModel(ok, split, { ...options, batchSize: 0 })).rejects.toThrow(/batchSize/);
    await expect(trainModel(ok, split, { ...options, maxSeconds: 0 })).rejects.toThrow(
      /maxSeconds must be a positive number/,
    );
    ok.dispose();
  });

  it('a time limit never cuts an epoch: one always runs, and none starts that would overrun', async () => {
    await useBackend('wasm');
    const run = async (maxSeconds: number) => {
      const model = createModel('gru', split.numItems, hyper, 4);
      const validated: number[] = [];
      const result = await trainModel(model, split, {
        ...options,
        maxSeconds,
        onEpoch: (p) => validated.push(p.epoch),
      });
      model.dispose();
      return { result, validated };
    };
    // A limit shorter than any epoch: the first runs (a run always ends validated), no second.
    const tight = await run(1e-6);
    expect(tight.result).toMatchObject({ stoppedBy: 'time', epochsRun: 1, bestEpoch: 1 });
    expect(tight.validated).toEqual([1]);
    expect(tight.result.bestValidation).not.toBeNull();
    // A limit far beyond the run changes nothing.
    const loose = await run(3600);
    expect(loose.result).toMatchObject({ stoppedBy: 'epochs', epochsRun: options.epochs });
    expect(loose.validated).toEqual([1, 2, 3]);
  });
});
