/**
 * Test-only checks of the {@link NeuralRecommender} contract that every variant must pass
 * (loss falls, the three scoring paths agree, weights round-trip, nothing leaks), and a planted
 * "interest cluster" dataset on which a history-pooling model must beat popularity.
 */
import { expect } from 'vitest';
import type { Dataset } from '../data/types';
import { SeededRandom } from '../random';
import * as tf from '../tf';
import { type InteractionRow, makeDataset } from '../train/testing';
import type { HistoryTokens, NeuralRecommender, TrainingBatch } from './types';

export const CHECK_ITEMS = 12;
export const CHECK_LEN = 6;

/** Three histories over 12 items: a short one (left padding), one with a repeat, a full one. */
export const checkHistory: HistoryTokens = {
  tokens: Int32Array.from([0, 0, 0, 3, 4, 5, 0, 7, 8, 7, 10, 11, 1, 2, 3, 4, 5, 6]),
  batch: 3,
  maxLen: CHECK_LEN,
};

/** Windows of the cycle k -> k+1 (mod 12) as a training batch with both kinds of negatives. */
export function cycleTrainingBatch(numNegatives: number): TrainingBatch {
  const starts = [0, 3, 6, 9, 2, 5, 8, 11];
  const lengths = [6, 6, 4, 6, 3, 6, 5, 6];
  const tokens = new Int32Array(starts.length * CHECK_LEN);
  const positions: number[] = [];
  const targets: number[] = [];
  starts.forEach((s, b) => {
    for (let i = 0; i < lengths[b]; i++) {
      const p = b * CHECK_LEN + CHECK_LEN - lengths[b] + i;
      tokens[p] = ((s + i) % CHECK_ITEMS) + 1;
      positions.push(p);
      targets.push(((s + i + 1) % CHECK_ITEMS) + 1);
    }
  });
  const negatives = new Int32Array(targets.length * numNegatives);
  targets.forEach((t, e) => {
    for (let k = 0; k < numNegatives; k++)
      negatives[e * numNegatives + k] = ((t + 2 + k * 3) % CHECK_ITEMS) + 1;
  });
  return {
    inputs: { tokens, batch: starts.length, maxLen: CHECK_LEN },
    targetPositions: Int32Array.from(positions),
    targetTokens: Int32Array.from(targets),
    negatives,
    numNegatives,
    sharedNegatives: Int32Array.from({ length: CHECK_ITEMS }, (_, i) => i + 1),
  };
}

/** `steps` Adam steps on `batch` (default: the cycle batch); returns the losses. */
export async function trainSteps(
  model: NeuralRecommender,
  steps: number,
  lr = 0.05,
  batch: TrainingBatch = cycleTrainingBatch(Math.max(1, model.trainingNegatives)),
): Promise<number[]> {
  const optimizer = tf.train.adam(lr);
  const losses: number[] = [];
  for (let s = 0; s < steps; s++) {
    const loss = optimizer.minimize(
      () => model.trainingLoss(batch),
      true,
      model.trainableVariables(),
    );
    losses.push((await (loss as tf.Scalar).data())[0]);
    loss?.dispose();
  }
  optimizer.dispose();
  return losses;
}

/** Reads a tensor back and disposes it. */
export async function read<T>(t: tf.Tensor): Promise<T> {
  const out = (await t.array()) as T;
  t.dispose();
  return out;
}

export function historyMask(h: HistoryTokens): tf.Tensor2D {
  return tf.tensor2d(
    Array.from(h.tokens, (t) => (t === 0 ? 0 : 1)),
    [h.batch, h.maxLen],
  );
}

/**
 * scoreAll[b, item] = scorePairs = scorePairsFromEmbeddings(embedHistory), and the gradient of
 * the score w.r.t. the history embeddings is zero at padding and non-zero at a real position.
 */
export async function expectConsistentScores(model: NeuralRecommender): Promise<void> {
  const before = tf.memory().numTensors;
  const chosen = [2, 0, 11];
  const items = Int32Array.from(chosen);
  const all = await read<number[][]>(model.scoreAll(checkHistory));
  const pairs = await read<number[]>(model.scorePairs(checkHistory, items));
  const mask = historyMask(checkHistory);
  const emb = model.embedHistory(checkHistory);
  expect(emb.shape).toEqual([3, CHECK_LEN, model.embeddingDim]);
  const fromEmb = await read<number[]>(model.scorePairsFromEmbeddings(emb, mask, items));
  expect(all.length).toBe(3);
  expect(all[0].length).toBe(model.numItems);
  chosen.forEach((item, b) => {
    expect(pairs[b]).toBeCloseTo(all[b][item], 4);
    expect(fromEmb[b]).toBeCloseTo(pairs[b], 4);
  });
  const grad = tf.grad((e: tf.Tensor) =>
    tf.sum(model.scorePairsFromEmbeddings(e as tf.Tensor3D, mask, items)),
  )(emb);
  const g = await read<number[][][]>(grad);
  expect(g[0][0].every((v) => v === 0)).toBe(true);
  expect(g[0][5].some((v) => v !== 0)).toBe(true);
  const padding = await read<number[]>(model.paddingEmbedding());
  expect(padding).toEqual(new Array(model.embeddingDim).fill(0));
  // Item indices are checked on the CPU (no read-back): out of range, or a tensor, is refused.
  const outside = Int32Array.of(0, 1, model.numItems);
  expect(() => model.scorePairs(checkHistory, outside)).toThrow(
    new RangeError(`Item index ${model.numItems} is outside 0..${model.numItems - 1}.`),
  );
  expect(() => model.scorePairsFromEmbeddings(emb, mask, Int32Array.of(0, -1, 2))).toThrow(
    /Item index -1 is outside/,
  );
  const asTensor = tf.tensor1d(chosen, 'int32');
  expect(() => model.scorePairs(checkHistory, asTensor as unknown as Int32Array)).toThrow(
    /Item indices must be int32 \(an Int32Array\); got a tensor \(int32\)/,
  );
  tf.dispose([mask, emb, asTensor]);
  expect(tf.memory().numTensors).toBe(before);
}

/** Weights copied into a differently seeded model reproduce the scores exactly. */
export async function expectWeightRoundTrip(
  create: (seed: number) => NeuralRecommender,
): Promise<void> {
  const a = create(1);
  await trainSteps(a, 2);
  const b = create(2);
  const scoresA = await read<number[][]>(a.scoreAll(checkHistory));
  expect(await read<number[][]>(b.scoreAll(checkHistory))).not.toEqual(scoresA);
  const weights = a.getWeights();
  b.setWeights(weights);
  tf.dispose(Object.values(weights));
  expect(await read<number[][]>(b.scoreAll(checkHistory))).toEqual(scoresA);
  a.dispose();
  b.dispose();
}

/** Train + score + dispose twice more leaves the tensor count where the first cycle left it. */
export async function expectNoLeak(create: () => NeuralRecommender): Promise<void> {
  const cycle = async () => {
    const model = create();
    await trainSteps(model, 2);
    const items = Int32Array.of(1, 2, 3);
    tf.dispose([model.scoreAll(checkHistory), model.scorePairs(checkHistory, items)]);
    model.dispose();
  };
  await cycle();
  const before = tf.memory().numTensors;
  await cycle();
  await cycle();
  expect(tf.memory().numTensors).toBe(before);
}

/**
 * Planted interest clusters: `groups` equal groups of `perGroup` items; user u draws `length`
 * distinct items of group u mod groups in a seeded order. Popularity is flat (pop near chance),
 * while the history says which group the held-out items come from.
 */
export function clusterDataset(
  users: number,
  groups: number,
  perGroup: number,
  length: number,
): Dataset {
  const rng = new SeededRandom(17, 'clusters');
  const rows: InteractionRow[] = [];
  for (let u = 0; u < users; u++) {
    const g = u % groups;
    const items = Array.from({ length: perGroup }, (_, i) => g * perGroup + i);
    for (let i = items.length - 1; i > 0; i--) {
      const j = rng.int(0, i);
      [items[i], items[j]] = [items[j], items[i]];
    }
    for (let t = 0; t < length; t++) rows.push([`u${u}`, `i${items[t]}`, 1000 * t]);
  }
  return makeDataset(rows);
}
