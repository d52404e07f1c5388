/**
 * The training loop every neural variant shares: seeded shuffled windows, Adam, per-batch
 * progress, validation NDCG@10 after each epoch with early stopping and best-weight
 * restoration, and a cancel that takes effect within one batch.
 */

import type { MetricReport } from '../models/baseline-types';
import type { NeuralRecommender } from '../models/types';
import { SeededRandom } from '../random';
import * as tf from '../tf';
import { shuffledOrder, type TrainingWindows, trainingWindows, windowBatch } from './batches';
import { evaluate } from './evaluate';
import { neuralScorer } from './neuralScorer';
import type { LeaveLastOutSplit } from './split';

export interface BatchProgress {
  epoch: number;
  batch: number;
  batches: number;
  loss: number;
  /** Next-item predictions (training examples) per second over this epoch so far. */
  examplesPerSec: number;
}

export interface EpochProgress {
  epoch: number;
  /** Mean training loss of the epoch. */
  loss: number;
  validation: MetricReport;
  /** Seconds spent on this epoch's training steps (validation excluded). */
  trainSeconds: number;
}

export interface TrainOptions {
  epochs: number;
  batchSize: number;
  learningRate: number;
  /** Seeds window order and negative sampling (the model's own seed fixes its initial weights). */
  seed: number;
  /** Epochs without a better validation NDCG@10 before stopping; default: never stop early. */
  patience?: number;
  /**
   * Wall-clock budget in seconds (training and validation passes): no epoch starts that would,
   * at the pace of the previous one, end past it. The first epoch always runs, so the run ends
   * with a validated model; it is the time limit a person sets, not a cancel.
   */
  maxSeconds?: number;
  signal?: AbortSignal;
  onBatch?: (p: BatchProgress) => void;
  onEpoch?: (p: EpochProgress) => void;
}

export type StopReason = 'epochs' | 'patience' | 'time' | 'cancelled';

export interface TrainingResult {
  stoppedBy: StopReason;
  epochsRun: number;
  /** Epoch whose weights the model holds now (1-based); 0 = the starting weights. */
  bestEpoch: number;
  /** Validation report of `bestEpoch`; null when no epoch finished. */
  bestValidation: MetricReport | null;
  epochLosses: number[];
  windows: number;
  examplesPerEpoch: number;
  /** Users with fewer than 2 training interactions (nothing to learn from them; still evaluated). */
  usersWithoutTransitions: number;
}

/** Validation NDCG@10: the model-selection criterion. */
function ndcgAt10(report: MetricReport): number {
  const at10 = report.atK.find((m) => m.k === 10);
  if (!at10) throw new Error('Validation report lacks K = 10.');
  return at10.ndcg;
}

/** The windows of one batch: `order[from..to)` of `windows`, negatives drawn from `rng`. */
export interface StepWindows {
  windows: TrainingWindows;
  order: Int32Array;
  from: number;
  to: number;
  rng: SeededRandom;
}

/**
 * One optimizer step: builds the batch of `step` with the model's own negatives, minimises the
 * model's training loss over `variables` and reads the loss back (the loss tensor is disposed).
 * The training loop and the backend loss probe both take this step, so the probe checks the
 * very code real training runs. `examples` is the number of next-item targets in the batch.
 */
export async function trainingStep(
  model: NeuralRecommender,
  optimizer: tf.Optimizer,
  variables: tf.Variable[],
  step: StepWindows,
): Promise<{ loss: number; examples: number }> {
  const batch = windowBatch(
    step.windows,
    step.order,
    step.from,
    step.to,
    model.maxLen,
    model.numItems,
    model.trainingNegatives,
    step.rng,
    model.trainingSharedNegatives,
    model.trainingCandidates,
  );
  const lossTensor = optimizer.minimize(() => model.trainingLoss(batch), true, variables);
  if (!lossTensor) throw new Error('The optimizer returned no loss.');
  const loss = (await lossTensor.data())[0];
  lossTensor.dispose();
  return { loss, examples: batch.targetTokens.length };
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

function checkOptions(o: TrainOptions): void {
  const positiveInt = (name: string, v: number) => {
    if (!Number.isInteger(v) || v < 1)
      throw new RangeError(`${name} must be a positive integer; got ${v}.`);
  };
  positiveInt('epochs', o.epochs);
  positiveInt('batchSize', o.batchSize);
  if (o.patience !== undefined) positiveInt('patience', o.patience);
  if (o.maxSeconds !== undefined && !(o.maxSeconds > 0 && Number.isFinite(o.maxSeconds))) {
    throw new RangeError(`maxSeconds must be a positive number; got ${o.maxSeconds}.`);
  }
  if (!(o.learningRate > 0) || !Number.isFinite(o.learningRate)) {
    throw new RangeError(`learningRate must be a positive number; got ${o.learningRate}.`);
  }
}

/**
 * Trains `model` in place on `split.train` and leaves it holding the weights of the epoch with
 * the best validation NDCG@10. On cancel (`signal` aborted) it stops within one batch and
 * restores the best weights so far, or the starting weights when no epoch finished, then
 * resolves with `stoppedBy: 'cancelled'` (it does not throw). A non-finite loss throws after
 * restoring those same weights. Every tensor it creates is disposed, the optimizer included.
 */
export async function trainModel(
  model: NeuralRecommender,
  split: LeaveLastOutSplit,
  options: TrainOptions,
): Promise<TrainingResult> {
  checkOptions(options);
  if (split.numItems !== model.numItems) {
    throw new Error(`The model has ${model.numItems} items but the split has ${split.numItems}.`);
  }
  const windows = trainingWindows(split.train, model.maxLen);
  const count = windows.start.length;
  if (count === 0)
    throw new Error('No user has two training interactions: nothing to learn a next item from.');
  const rng = new SeededRandom(options.seed, 'training');
  const optimizer = tf.train.adam(options.learningRate);
  const variables = model.trainableVariables();
  let best = { epoch: 0, ndcg: Number.NEGATIVE_INFINITY, weights: model.getWeights() };
  let bestValidation: MetricReport | null = null;
  const epochLosses: number[] = [];
  let stoppedBy: StopReason = 'epochs';
  let sinceBest = 0;
  const batches = Math.ceil(count / options.batchSize);
  const cancelled = () => options.signal?.aborted === true;
  const runStarted = performance.now();
  let lastEpochSeconds = 0;

  try {
    for (let epoch = 1; epoch <= options.epochs && stoppedBy === 'epochs'; epoch++) {
      const elapsed = (performance.now() - runStarted) / 1000;
      if (
        options.maxSeconds !== undefined &&
        epoch > 1 &&
        elapsed + lastEpochSeconds > options.maxSeconds
      ) {
        stoppedBy = 'time';
        break;
      }
      const order = shuffledOrder(count, rng);
      const started = performance.now();
      let examplesDone = 0;
      let lossSum = 0;
      for (let b = 0; b < batches; b++) {
        if (cancelled()) break;
        const from = b * options.batchSize;
        const to = Math.min(count, from + options.batchSize);
        const step = { windows, order, from, to, rng };
        const { loss, examples } = await trainingStep(model, optimizer, variables, step);
        if (!Number.isFinite(loss)) {
          throw new Error(
            `Training diverged at epoch ${epoch}, batch ${b + 1} (loss ${loss}); lower the learning rate.`,
          );
        }
        lossSum += loss * examples;
        examplesDone += examples;
        const seconds = (performance.now() - started) / 1000;
        options.onBatch?.({
          epoch,
          batch: b + 1,
          batches,
          loss,
          examplesPerSec: examplesDone / Math.max(seconds, 1e-9),
        });
        await yieldToEventLoop();
      }
      if (cancelled()) {
        stoppedBy = 'cancelled';
        break;
      }
      const trainSeconds = (performance.now() - started) / 1000;
      epochLosses.push(lossSum / examplesDone);
      let validation: MetricReport;
      try {
        validation = (
          await evaluate(neuralScorer(model), split, {
            which: 'validation',
            k: [10, 20],
            signal: options.signal,
          })
        ).report;
      } catch (error) {
        if (cancelled()) {
          stoppedBy = 'cancelled';
          break;
        }
        throw error;
      }
      options.onEpoch?.({
        epoch,
        loss: epochLosses[epochLosses.length - 1],
        validation,
        trainSeconds,
      });
      lastEpochSeconds = (performance.now() - started) / 1000;
      const ndcg = ndcgAt10(validation);
      if (ndcg > best.ndcg) {
        disposeAll(best.weights);
        best = { epoch, ndcg, weights: model.getWeights() };
        bestValidation = validation;
        sinceBest = 0;
      } else if (options.patience !== undefined && ++sinceBest >= options.patience) {
        stoppedBy = 'patience';
      }
    }
    model.setWeights(best.weights);
  } catch (error) {
    model.setWeights(best.weights);
    throw error;
  } finally {
    disposeAll(best.weights);
    optimizer.dispose();
  }
  return {
    stoppedBy,
    epochsRun: epochLosses.length,
    bestEpoch: best.epoch,
    bestValidation,
    epochLosses,
    windows: count,
    examplesPerEpoch: windows.examples,
    usersWithoutTransitions: windows.usersWithoutTransitions,
  };
}

function disposeAll(weights: Record<string, tf.Tensor>): void {
  for (const t of Object.values(weights)) t.dispose();
}
