import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../models/tfTesting';
import { loadSampleDataset } from '../sample/sampleModelTesting';
import * as tf from '../tf';
import {
  evaluateForecast,
  forecastBaselines,
  KL_SMOOTHING,
  lastWindowForecast,
  movingAverageForecast,
  smoothedKl,
  trainEvolutionModel,
} from './evolution';
import { userWindows, windowOf } from './evolutionTesting';
import type { InterestWindow } from './types';

beforeAll(async () => {
  await useBackend('wasm');
});

const oneHot = (c: number, k: number) => Array.from({ length: c }, (_, i) => (i === k ? 1 : 0));
const empty = (index: number, c: number) => windowOf(index, new Array<number>(c).fill(0), 0);
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

/** Users alternating between two categories (A, B, A, B, ...), with varied phases and lengths. */
function periodicSequences(users: number, c: number): InterestWindow[][] {
  return Array.from({ length: users }, (_, u) => {
    const a = u % c;
    const b = (u + 1 + (u % 2)) % c;
    const length = 8 + (u % 5);
    return Array.from({ length }, (_, t) => windowOf(t, oneHot(c, (t + u) % 2 === 0 ? a : b)));
  });
}

describe('forecast baselines and errors', () => {
  const c = 3;
  const history = [
    windowOf(0, [1, 0, 0]),
    empty(1, c),
    windowOf(2, [0, 1, 0]),
    windowOf(3, [0, 0.5, 0.5]),
    empty(4, c),
  ];

  it('last window skips empty windows; the moving average means the last three non-empty ones', () => {
    expect(lastWindowForecast(history)).toEqual([0, 0.5, 0.5]);
    const ma = movingAverageForecast(history) as number[];
    expect(ma[0]).toBeCloseTo(1 / 3);
    expect(ma[1]).toBeCloseTo(1.5 / 3);
    expect(ma[2]).toBeCloseTo(0.5 / 3);
    expect(movingAverageForecast(history, 1)).toEqual([0, 0.5, 0.5]);
    expect(forecastBaselines([empty(0, c)])).toEqual({ lastWindow: null, movingAverage: null });
  });

  it('the KL is smoothed, so a zero-probability category costs about log(C / epsilon), not Infinity', () => {
    expect(smoothedKl([1, 0, 0], [1, 0, 0])).toBeCloseTo(
      -Math.log(1 - KL_SMOOTHING + KL_SMOOTHING / 3),
      6,
    );
    const miss = smoothedKl([0, 1, 0], [1, 0, 0]);
    expect(miss).toBeCloseTo(Math.log(3 / KL_SMOOTHING), 6);
  });

  it('scores only users with three non-empty windows, on their last non-empty one', () => {
    const sequences = [
      [...history, windowOf(5, [0, 1, 0]), empty(6, c)],
      [windowOf(0, [1, 0, 0]), windowOf(1, [1, 0, 0])], // too short: skipped
    ];
    const result = evaluateForecast(sequences, c, null);
    expect(result.users).toBe(1);
    expect(result.model).toBeNull();
    // Last window [0, .5, .5] against the target [0, 1, 0].
    expect(result.lastWindow.kl).toBeCloseTo(smoothedKl([0, 1, 0], [0, 0.5, 0.5]), 10);
    expect(result.lastWindow.mse).toBeCloseTo((0.25 + 0.25) / 3, 10);
    expect(result.movingAverage.windows).toBe(3);
  });
});

describe('trainEvolutionModel', () => {
  it('beats "last window" on the sample’s held-out windows, deterministically', async () => {
    const dataset = await loadSampleDataset();
    const sequences = userWindows(dataset);
    const c = dataset.categoryNames.length;
    const run = async () => {
      const started = performance.now();
      const losses: number[] = [];
      const model = await trainEvolutionModel(sequences, c, {
        seed: 7,
        onProgress: (_epoch, _epochs, loss) => losses.push(loss),
      });
      const seconds = (performance.now() - started) / 1000;
      try {
        return { result: evaluateForecast(sequences, c, model), losses, seconds };
      } finally {
        model.dispose();
      }
    };
    const first = await run();
    const { result, losses, seconds } = first;
    console.log(
      `evolution on the sample (${result.users} users, weekly windows, ${seconds.toFixed(1)} s training): ` +
        `KL model ${result.model?.kl.toFixed(3)}, last window ${result.lastWindow.kl.toFixed(3)}, ` +
        `moving average ${result.movingAverage.kl.toFixed(3)}; MSE model ${result.model?.mse.toFixed(5)}, ` +
        `last window ${result.lastWindow.mse.toFixed(5)}, moving average ${result.movingAverage.mse.toFixed(5)}`,
    );
    expect(losses).toHaveLength(30);
    expect(losses[29]).toBeLessThan(losses[0]);
    expect(result.users).toBeGreaterThan(400);
    const model = result.model as { kl: number; mse: number };
    expect(model.kl).toBeLessThan(result.lastWindow.kl);
    expect(model.mse).toBeLessThan(result.lastWindow.mse);
    const second = await run();
    expect(second.result).toEqual(result);
    expect(second.losses).toEqual(losses);
  }, 60_000);

  it('learns a periodic sequence (A, B, A, B, ...) that "last window" always gets wrong', async () => {
    const c = 4;
    const sequences = periodicSequences(48, c);
    const model = await trainEvolutionModel(sequences, c, { seed: 3, epochs: 60, batchSize: 16 });
    try {
      const result = evaluateForecast(sequences, c, model);
      console.log(
        `periodic: KL model ${result.model?.kl.toFixed(3)}, last window ${result.lastWindow.kl.toFixed(3)}`,
      );
      expect(result.users).toBe(48);
      expect(result.lastWindow.kl).toBeGreaterThan(7);
      expect(result.model?.kl).toBeLessThan(0.3);
      // The prediction after ..., A is B.
      const next = model.predict(sequences[0]);
      expect(next).toHaveLength(c);
      expect(sum(next)).toBeCloseTo(1, 5);
    } finally {
      model.dispose();
    }
  }, 60_000);

  it('stops on abort within a batch, throws the reason and leaks no tensors', async () => {
    const c = 4;
    const sequences = periodicSequences(48, c);
    const before = tf.memory().numTensors;

    const already = new AbortController();
    already.abort(new Error('cancelled before'));
    await expect(trainEvolutionModel(sequences, c, { signal: already.signal })).rejects.toThrow(
      'cancelled before',
    );

    const after1 = new AbortController();
    await expect(
      trainEvolutionModel(sequences, c, {
        signal: after1.signal,
        batchSize: 8,
        onProgress: () => after1.abort(new Error('cancelled after epoch 1')),
      }),
    ).rejects.toThrow('cancelled after epoch 1');

    // An abort from another task of the event loop (the page's Cancel) is seen between batches.
    const later = new AbortController();
    const started = performance.now();
    setTimeout(() => later.abort(new Error('cancelled from a timer')), 30);
    await expect(
      trainEvolutionModel(sequences, c, { signal: later.signal, epochs: 100_000, batchSize: 8 }),
    ).rejects.toThrow('cancelled from a timer');
    expect(performance.now() - started).toBeLessThan(5_000);

    expect(tf.memory().numTensors).toBe(before);
  }, 60_000);

  it('leaves no tensor behind after train, predict and dispose, repeated', async () => {
    const c = 4;
    const sequences = periodicSequences(12, c);
    const before = tf.memory().numTensors;
    for (const loss of ['kl', 'mse', 'kl'] as const) {
      const model = await trainEvolutionModel(sequences, c, { epochs: 2, loss, hidden: 8 });
      expect(model.hidden).toBe(8);
      expect(model.numCategories).toBe(c);
      const prior = model.predict([]);
      expect(sum(prior)).toBeCloseTo(1, 5);
      expect(model.predictBatch(sequences)).toHaveLength(12);
      evaluateForecast(sequences, c, model);
      model.dispose();
      expect(tf.memory().numTensors).toBe(before);
    }
  }, 60_000);

  it('refuses malformed input with a RangeError of one sentence', async () => {
    const oneSentence = /^[A-Z][^.]*\.$/;
    const good = periodicSequences(4, 3);
    const mismatched = [[windowOf(0, [1, 0, 0]), windowOf(1, [0, 1])]];
    await expect(trainEvolutionModel(mismatched, 3)).rejects.toThrow(RangeError);
    await expect(trainEvolutionModel(mismatched, 3)).rejects.toThrow(oneSentence);
    await expect(trainEvolutionModel(good, 0)).rejects.toThrow(RangeError);
    await expect(trainEvolutionModel(good, 0)).rejects.toThrow(oneSentence);
    await expect(trainEvolutionModel(good, 3, { hidden: 0 })).rejects.toThrow(RangeError);
    expect(() => evaluateForecast(mismatched, 3, null)).toThrow(RangeError);
    expect(() => evaluateForecast(good, 0, null)).toThrow(oneSentence);
    expect(() => evaluateForecast([[windowOf(0, [1, Number.NaN, 0])]], 3, null)).toThrow(
      RangeError,
    );
    const model = await trainEvolutionModel(good, 3, { epochs: 1 });
    try {
      expect(() => model.predict([windowOf(0, [1, 0])])).toThrow(RangeError);
      expect(() => evaluateForecast(periodicSequences(4, 4), 4, model)).toThrow(RangeError);
    } finally {
      model.dispose();
    }
  }, 60_000);
});
