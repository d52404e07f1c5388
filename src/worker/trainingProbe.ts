/**
 * A short, fully seeded training run that returns every batch's loss: the numeric check that a
 * backend (WebGPU on a user's GPU, SwiftShader in CI) trains the same model the same way as
 * wasm. It builds the model through the registry and the batches through the trainer's own
 * functions, and takes the trainer's own step, so what it checks is the code path real
 * training takes, only shorter.
 */

import { createModel } from '../core/models/registry';
import type { ModelId } from '../core/models/types';
import { SeededRandom } from '../core/sample/random';
import * as tf from '../core/tf';
import { shuffledOrder, trainingWindows } from '../core/train/batches';
import type { LeaveLastOutSplit } from '../core/train/split';
import { trainingStep } from '../core/train/trainer';
import type { LossTrajectoryOptions } from './api';

/** Most batches one probe may run: it is a check, not a training. */
export const MAX_PROBE_BATCHES = 50;

/**
 * Trains a fresh model of `id` for `batches` batches of `batchSize` windows (Adam) and returns
 * the loss of each. Use `dropout: 0` in `hyper` for a trajectory that depends on nothing but
 * the seed. Every tensor (model, optimizer, batches) is disposed before it returns.
 */
export async function lossTrajectory(
  split: LeaveLastOutSplit,
  id: ModelId,
  options: LossTrajectoryOptions,
): Promise<number[]> {
  const { batches, batchSize } = options;
  if (!Number.isInteger(batches) || batches < 1 || batches > MAX_PROBE_BATCHES) {
    throw new RangeError(`batches must be an integer in 1..${MAX_PROBE_BATCHES}; got ${batches}.`);
  }
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new RangeError(`batchSize must be a positive integer; got ${batchSize}.`);
  }
  const seed = options.seed ?? 42;
  const model = createModel(id, split.numItems, options.hyper ?? {}, seed);
  const optimizer = tf.train.adam(options.learningRate ?? 0.001);
  try {
    const windows = trainingWindows(split.train, model.maxLen);
    const count = windows.start.length;
    if (count === 0) throw new Error('No user has two training interactions to learn from.');
    const rng = new SeededRandom(seed, 'training');
    const order = shuffledOrder(count, rng);
    const variables = model.trainableVariables();
    const losses: number[] = [];
    for (let b = 0; b < batches; b++) {
      const from = (b * batchSize) % count;
      const to = Math.min(count, from + batchSize);
      const { loss } = await trainingStep(model, optimizer, variables, {
        windows,
        order,
        from,
        to,
        rng,
      });
      losses.push(loss);
    }
    return losses;
  } finally {
    optimizer.dispose();
    model.dispose();
  }
}
