/**
 * Every registered neural model must train on every backend the app can select. In Node that
 * is wasm (the fast path the worker prefers) and cpu (the plain-JS fallback); webgl and webgpu
 * need a browser and are covered by the end-to-end tests. Tiny shapes keep cpu fast.
 */
import { describe, expect, it } from 'vitest';
import type { BackendName } from '../backend/types';
import { SeededRandom } from '../random';
import * as tf from '../tf';
import { shuffledOrder, trainingWindows, windowBatch } from '../train/batches';
import { temporalLeaveLastOut } from '../train/split';
import { clusterDataset } from './neuralChecks';
import { createModel, NEURAL_MODELS } from './registry';
import { useBackend } from './tfTesting';
import type { ItemFeatures } from './trained';
import type { HistoryTokens, ModelId, NeuralRecommender, TrainingBatch } from './types';

const BACKENDS: BackendName[] = ['wasm', 'cpu'];
const MODEL_IDS = Object.keys(NEURAL_MODELS) as ModelId[];
const MAX_LEN = 8;
const STEPS = 12;

/** Tiny shapes for any model: only the parameters it declares (others would be refused). */
function tinyHyper(id: ModelId): Record<string, number> {
  const hyper: Record<string, number> = { dim: 8, maxLen: MAX_LEN, dropout: 0 };
  if ('sharedNegatives' in (NEURAL_MODELS[id]?.hyper ?? {})) hyper.sharedNegatives = numItems;
  return hyper;
}

// 4 planted interest groups of 6 items; 16 users each read 8 items of their group.
const split = temporalLeaveLastOut(clusterDataset(16, 4, 6, 8));
const numItems = split.numItems;
/** One category per item (its index mod 4) and no title words: enough for layered and twotower. */
const features: ItemFeatures = {
  numCategories: 4,
  categories: Array.from({ length: numItems }, (_, i) => [i % 4]),
  titleTokens: Array.from({ length: numItems }, () => []),
  titleBuckets: 1,
};

/** All training windows as one batch, built by the trainer's own batching for this model. */
function fullBatch(model: NeuralRecommender): TrainingBatch {
  const windows = trainingWindows(split.train, MAX_LEN);
  const count = windows.start.length;
  const rng = new SeededRandom(3, 'backends');
  return windowBatch(
    windows,
    shuffledOrder(count, rng),
    0,
    count,
    MAX_LEN,
    numItems,
    model.trainingNegatives,
    rng,
    model.trainingSharedNegatives,
  );
}

const probe: HistoryTokens = {
  tokens: Int32Array.from([0, 0, 0, 0, 0, 1, 2, 3, 7, 8, 9, 10, 11, 12, 7, 8]),
  batch: 2,
  maxLen: MAX_LEN,
};

describe.each(BACKENDS)('neural models on the %s backend', (backend) => {
  it.each(MODEL_IDS)(
    '%s trains: finite falling loss, finite scores, no leaked tensors',
    async (id) => {
      await useBackend(backend);
      expect(tf.getBackend()).toBe(backend);
      const before = tf.memory().numTensors;
      const model = createModel(id, numItems, tinyHyper(id), 11, features);
      const batch = fullBatch(model);
      const optimizer = tf.train.adam(0.03);
      const losses: number[] = [];
      const tensorsAfterStep: number[] = [];
      for (let s = 0; s < STEPS; s++) {
        const loss = optimizer.minimize(
          () => model.trainingLoss(batch),
          true,
          model.trainableVariables(),
        ) as tf.Scalar;
        losses.push((await loss.data())[0]);
        loss.dispose();
        tensorsAfterStep.push(tf.memory().numTensors);
      }
      expect(losses.every(Number.isFinite), `losses ${losses.join(', ')}`).toBe(true);
      // The same batch every step: Adam must bring the loss clearly down on any backend.
      expect(losses[STEPS - 1]).toBeLessThan(losses[0] * 0.9);
      // The optimizer creates its slots on the first step; after that nothing accumulates.
      expect(tensorsAfterStep[STEPS - 1]).toBe(tensorsAfterStep[1]);

      const scores = model.scoreAll(probe);
      expect(scores.shape).toEqual([probe.batch, numItems]);
      const values = await scores.data();
      expect(Array.from(values).every(Number.isFinite)).toBe(true);
      scores.dispose();

      optimizer.dispose();
      model.dispose();
      expect(tf.memory().numTensors).toBe(before);
    },
  );
});
