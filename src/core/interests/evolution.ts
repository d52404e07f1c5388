/**
 * Interest evolution, x(t+Δt) = M(x(t), u(t), t, Δt): a small GRU reads a user's sequence of
 * window mixes (oldest first, empty windows included, so it sees the gaps) and predicts the mix
 * of the next window, drawn by the page as a dashed "predicted next interests" continuation.
 *
 * Per window the GRU is fed the distribution over categories (zeros when the window is empty)
 * and log1p(events); its state after a window is read out by a linear layer and a softmax over
 * the categories. Training targets exist only at windows whose next window is non-empty (the
 * mix of an empty window is undefined); the loss is KL(target || prediction) in nats (default)
 * or the mean squared error over categories. Each user's last non-empty window is held out of
 * training: {@link evaluateForecast} scores the model on it against two baselines, "last
 * window" (the previous non-empty window's mix) and "moving average" (the mean mix of the last
 * three non-empty windows).
 *
 * Trained with Adam in seeded, shuffled batches of users; the event loop gets a turn after
 * every batch, so an abort (the page's Cancel) stops training within one batch, throwing the
 * signal's reason. Every tensor is disposed, the optimizer's included.
 */
import { createYielder } from '../explain/yielding';
import { addGruLayerWeights, type GruWeights, gruStates } from '../models/gru';
import { dense } from '../models/layers';
import { SeedStream, WeightSet } from '../models/weights';
import { SeededRandom } from '../random';
import * as tf from '../tf';
import type { InterestWindow } from './types';

export type EvolutionLoss = 'kl' | 'mse';

export interface EvolutionTrainOptions {
  /** GRU units (default 16). */
  hidden: number;
  /** Passes over the users (default 30). */
  epochs: number;
  /** Adam's learning rate (default 0.01). */
  learningRate: number;
  /** Users per batch (default 64). */
  batchSize: number;
  /** Seeds the initial weights and the batch order (default 7). */
  seed: number;
  /** KL(target || prediction) (default) or mean squared error. */
  loss: EvolutionLoss;
  /** Only a user's last windows are read, in training and prediction (default 24). */
  maxWindows: number;
  signal?: AbortSignal;
  /** After every epoch, with the epoch's mean training loss (per target window). */
  onProgress?: (epoch: number, epochs: number, loss: number) => void;
}

export const DEFAULT_EVOLUTION_OPTIONS: Omit<EvolutionTrainOptions, 'signal' | 'onProgress'> = {
  hidden: 16,
  epochs: 30,
  learningRate: 0.01,
  batchSize: 64,
  seed: 7,
  loss: 'kl',
  maxWindows: 24,
};

export interface EvolutionModel {
  readonly numCategories: number;
  readonly hidden: number;
  /** Windows read per sequence (the last ones). */
  readonly maxWindows: number;
  /** The predicted mix of the window after the last one of `sequence` (sums to 1). */
  predict(sequence: readonly InterestWindow[]): number[];
  /** {@link predict} for many sequences in one batched pass. */
  predictBatch(sequences: readonly (readonly InterestWindow[])[]): number[][];
  /** Frees the weights; the model cannot predict afterwards. */
  dispose(): void;
}

/** Errors of one forecaster on the held-out windows: KL in nats (smoothed, see {@link smoothedKl}) and MSE. */
export interface ForecastError {
  kl: number;
  mse: number;
}

export interface ForecastEvaluation {
  /** Users scored: those with at least {@link MIN_EVALUATION_WINDOWS} non-empty windows. */
  users: number;
  /** Null when no model was given. */
  model: ForecastError | null;
  lastWindow: ForecastError;
  movingAverage: ForecastError & { windows: number };
}

/** Smoothing of every prediction before the KL is taken (see {@link smoothedKl}). */
export const KL_SMOOTHING = 1e-3;
/** Non-empty windows a user needs to be scored: the held-out one and at least two before it. */
export const MIN_EVALUATION_WINDOWS = 3;
/** Non-empty windows the moving-average baseline averages. */
export const MOVING_AVERAGE_WINDOWS = 3;

// ---------------------------------------------------------------------------------------------
// Input checks

function checkCategories(numCategories: number): void {
  if (!Number.isInteger(numCategories) || numCategories < 1) {
    throw new RangeError(
      `The number of categories must be a positive integer; got ${numCategories}.`,
    );
  }
}

function checkSequences(
  sequences: readonly (readonly InterestWindow[])[],
  numCategories: number,
): void {
  checkCategories(numCategories);
  sequences.forEach((sequence, s) => {
    sequence.forEach((w, i) => {
      if (w.distribution.length !== numCategories) {
        throw new RangeError(
          `Window ${i} of sequence ${s} has ${w.distribution.length} categories where ${numCategories} are expected.`,
        );
      }
      if (!(w.events >= 0) || !Number.isFinite(w.events)) {
        throw new RangeError(
          `Window ${i} of sequence ${s} has ${w.events} events where a count of zero or more is expected.`,
        );
      }
      for (const p of w.distribution) {
        if (!(p >= 0) || !Number.isFinite(p)) {
          throw new RangeError(
            `Window ${i} of sequence ${s} has the share ${p} where finite shares of zero or more are expected.`,
          );
        }
      }
    });
  });
}

function checkOptions(o: EvolutionTrainOptions): void {
  for (const name of ['hidden', 'epochs', 'batchSize', 'maxWindows'] as const) {
    const v = o[name];
    if (!Number.isInteger(v) || v < 1) {
      throw new RangeError(`${name} must be a positive integer; got ${v}.`);
    }
  }
  if (!(o.learningRate > 0) || !Number.isFinite(o.learningRate)) {
    throw new RangeError(`learningRate must be a positive number; got ${o.learningRate}.`);
  }
  if (o.loss !== 'kl' && o.loss !== 'mse') {
    throw new RangeError(`loss must be 'kl' or 'mse'; got ${String(o.loss)}.`);
  }
  if (!Number.isSafeInteger(o.seed)) {
    throw new RangeError(`seed must be a safe integer; got ${o.seed}.`);
  }
}

// ---------------------------------------------------------------------------------------------
// Baselines and errors (plain arrays, double precision)

const isNonEmpty = (w: InterestWindow) => w.events > 0;

/** Index of the last non-empty window of `sequence`, or -1. */
export function lastNonEmptyIndex(sequence: readonly InterestWindow[]): number {
  for (let i = sequence.length - 1; i >= 0; i--) if (isNonEmpty(sequence[i])) return i;
  return -1;
}

/** `values` scaled to sum to 1 (uniform when they sum to 0). */
function normalised(values: ArrayLike<number>): number[] {
  let total = 0;
  for (let i = 0; i < values.length; i++) total += values[i];
  const out = new Array<number>(values.length);
  for (let i = 0; i < values.length; i++) {
    out[i] = total > 0 ? values[i] / total : 1 / values.length;
  }
  return out;
}

/** "Last window": the mix of the last non-empty window of `history`; null when all are empty. */
export function lastWindowForecast(history: readonly InterestWindow[]): number[] | null {
  const i = lastNonEmptyIndex(history);
  return i < 0 ? null : normalised(history[i].distribution);
}

/**
 * "Moving average": the mean mix of the last `windows` (default 3) non-empty windows of
 * `history` (of all of them when there are fewer); null when all are empty.
 */
export function movingAverageForecast(
  history: readonly InterestWindow[],
  windows = MOVING_AVERAGE_WINDOWS,
): number[] | null {
  let sum: number[] | null = null;
  let used = 0;
  for (let i = history.length - 1; i >= 0 && used < windows; i--) {
    const w = history[i];
    if (!isNonEmpty(w)) continue;
    const d = normalised(w.distribution);
    sum ??= new Array<number>(d.length).fill(0);
    for (let c = 0; c < d.length; c++) sum[c] += d[c];
    used++;
  }
  return sum && normalised(sum);
}

/** Both baselines' forecasts of the window after `history`, for the page to draw. */
export function forecastBaselines(
  history: readonly InterestWindow[],
  windows = MOVING_AVERAGE_WINDOWS,
): { lastWindow: number[] | null; movingAverage: number[] | null } {
  return {
    lastWindow: lastWindowForecast(history),
    movingAverage: movingAverageForecast(history, windows),
  };
}

/**
 * KL(target || prediction) in nats, with the prediction smoothed first:
 * p' = (1 - ε)·p + ε / C with ε = {@link KL_SMOOTHING} (1e-3). A baseline that gives a
 * category probability 0 (the last window lacked it) would otherwise score Infinity the first
 * time the category returns; smoothing caps that at about log(C / ε). Every forecaster,
 * the model included, is smoothed the same way.
 */
export function smoothedKl(target: ArrayLike<number>, prediction: ArrayLike<number>): number {
  const c = target.length;
  let kl = 0;
  for (let i = 0; i < c; i++) {
    const t = target[i];
    if (t <= 0) continue;
    const p = (1 - KL_SMOOTHING) * prediction[i] + KL_SMOOTHING / c;
    kl += t * Math.log(t / p);
  }
  return kl;
}

/** Mean over categories of the squared difference. */
export function squaredError(target: ArrayLike<number>, prediction: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < target.length; i++) sum += (target[i] - prediction[i]) ** 2;
  return sum / target.length;
}

/**
 * Scores the model (when given) and both baselines on every user's held-out window: the last
 * non-empty one, forecast from all the windows before it (empty ones included). Users with
 * fewer than {@link MIN_EVALUATION_WINDOWS} non-empty windows are skipped; errors are means
 * over the scored users (0 when there are none, with `users` 0).
 */
export function evaluateForecast(
  sequences: readonly (readonly InterestWindow[])[],
  numCategories: number,
  model: EvolutionModel | null,
): ForecastEvaluation {
  checkSequences(sequences, numCategories);
  if (model && model.numCategories !== numCategories) {
    throw new RangeError(
      `The model predicts ${model.numCategories} categories where ${numCategories} are expected.`,
    );
  }
  const histories: InterestWindow[][] = [];
  const targets: number[][] = [];
  for (const sequence of sequences) {
    if (sequence.filter(isNonEmpty).length < MIN_EVALUATION_WINDOWS) continue;
    const last = lastNonEmptyIndex(sequence);
    histories.push(sequence.slice(0, last));
    targets.push(normalised(sequence[last].distribution));
  }
  const users = histories.length;
  const sums = {
    model: { kl: 0, mse: 0 },
    lastWindow: { kl: 0, mse: 0 },
    movingAverage: { kl: 0, mse: 0 },
  };
  const add = (into: ForecastError, target: number[], prediction: number[]) => {
    into.kl += smoothedKl(target, prediction);
    into.mse += squaredError(target, prediction);
  };
  const predictions = model && users > 0 ? model.predictBatch(histories) : null;
  for (let u = 0; u < users; u++) {
    const { lastWindow, movingAverage } = forecastBaselines(histories[u]);
    // At least two non-empty windows precede the held-out one, so neither is null.
    add(sums.lastWindow, targets[u], lastWindow as number[]);
    add(sums.movingAverage, targets[u], movingAverage as number[]);
    if (predictions) add(sums.model, targets[u], predictions[u]);
  }
  const mean = (e: ForecastError): ForecastError => ({
    kl: users > 0 ? e.kl / users : 0,
    mse: users > 0 ? e.mse / users : 0,
  });
  return {
    users,
    model: model ? mean(sums.model) : null,
    lastWindow: mean(sums.lastWindow),
    movingAverage: { ...mean(sums.movingAverage), windows: MOVING_AVERAGE_WINDOWS },
  };
}

// ---------------------------------------------------------------------------------------------
// The GRU

/** Inputs per window: the mix (C values, zeros when empty) and log1p(events). */
const featureCount = (numCategories: number) => numCategories + 1;

/**
 * The GRU's weights (models/gru.ts's cell): `features` inputs, `hidden` units and a read-out
 * to the categories' logits, under unprefixed names (`input_kernel`, ...).
 */
function createWeights(
  weights: WeightSet,
  features: number,
  hidden: number,
  numCategories: number,
  seed: number,
): GruWeights {
  const seeds = new SeedStream(seed, 'evolution-init');
  return addGruLayerWeights(
    weights,
    { input: features, state: hidden, output: numCategories },
    seeds,
    '',
  );
}

/**
 * Log-probabilities of the next window's mix after every step `[batch, len, C]`. Sequences are
 * left-padded; a padding step (present 0) keeps the state, so padding changes nothing.
 */
function forward(x: tf.Tensor3D, present: tf.Tensor2D, w: GruWeights): tf.Tensor3D {
  const logits = dense(
    gruStates(x, present, w),
    w.outputKernel as tf.Tensor2D,
    w.outputBias as tf.Tensor1D,
  );
  return tf.logSoftmax(logits) as tf.Tensor3D;
}

/** Writes window `w`'s features at `offset` of `into`. */
function writeFeatures(into: Float32Array, offset: number, w: InterestWindow): void {
  if (isNonEmpty(w)) {
    const d = normalised(w.distribution);
    for (let c = 0; c < d.length; c++) into[offset + c] = d[c];
  }
  into[offset + w.distribution.length] = Math.log1p(w.events);
}

/** Features and presence of `sequences` (each cut to its last `maxLen`), left-padded to one length. */
function inputTensors(
  sequences: readonly (readonly InterestWindow[])[],
  numCategories: number,
  maxLen: number,
): { x: tf.Tensor3D; present: tf.Tensor2D; len: number } {
  const f = featureCount(numCategories);
  // A loop, not a spread: a population can hold more sequences than the call stack has slots.
  let len = 1;
  for (const s of sequences) len = Math.max(len, Math.min(s.length, maxLen));
  const x = new Float32Array(sequences.length * len * f);
  const present = new Float32Array(sequences.length * len);
  sequences.forEach((sequence, b) => {
    const windows = sequence.slice(Math.max(0, sequence.length - maxLen));
    const pad = len - windows.length;
    windows.forEach((w, i) => {
      present[b * len + pad + i] = 1;
      writeFeatures(x, (b * len + pad + i) * f, w);
    });
  });
  return {
    x: tf.tensor3d(x, [sequences.length, len, f]),
    present: tf.tensor2d(present, [sequences.length, len]),
    len,
  };
}

/** One user's training sequence: the windows before the held-out one (the last maxWindows). */
interface TrainingSequence {
  windows: InterestWindow[];
  targets: number;
}

function trainingSequences(
  sequences: readonly (readonly InterestWindow[])[],
  maxWindows: number,
): TrainingSequence[] {
  const out: TrainingSequence[] = [];
  for (const sequence of sequences) {
    const heldOut = lastNonEmptyIndex(sequence);
    if (heldOut < 0) continue;
    const windows = sequence.slice(Math.max(0, heldOut - maxWindows), heldOut);
    // A target after window i when window i + 1 (still before the held-out one) is non-empty.
    let targets = 0;
    for (let i = 0; i + 1 < windows.length; i++) if (isNonEmpty(windows[i + 1])) targets++;
    if (targets > 0) out.push({ windows, targets });
  }
  return out;
}

/** A batch's inputs, targets (the next window's mix, per step) and which steps have a target. */
function trainingBatch(
  batch: readonly TrainingSequence[],
  numCategories: number,
  maxWindows: number,
): { x: tf.Tensor3D; present: tf.Tensor2D; target: tf.Tensor3D; targetMask: tf.Tensor2D } {
  const { x, present, len } = inputTensors(
    batch.map((s) => s.windows),
    numCategories,
    maxWindows,
  );
  const target = new Float32Array(batch.length * len * numCategories);
  const targetMask = new Float32Array(batch.length * len);
  batch.forEach(({ windows }, b) => {
    const pad = len - windows.length;
    for (let i = 0; i + 1 < windows.length; i++) {
      const next = windows[i + 1];
      if (!isNonEmpty(next)) continue;
      const step = b * len + pad + i;
      targetMask[step] = 1;
      target.set(normalised(next.distribution), step * numCategories);
    }
  });
  return {
    x,
    present,
    target: tf.tensor3d(target, [batch.length, len, numCategories]),
    targetMask: tf.tensor2d(targetMask, [batch.length, len]),
  };
}

/** Mean loss per target step: KL(target || prediction) in nats, or the MSE over categories. */
function batchLoss(
  logProbabilities: tf.Tensor3D,
  target: tf.Tensor3D,
  targetMask: tf.Tensor2D,
  loss: EvolutionLoss,
): tf.Scalar {
  let perStep: tf.Tensor;
  if (loss === 'kl') {
    // sum t·(log t - log p); t·log t is a constant (0 where t = 0) that makes it a true KL.
    const tLogT = tf.where(
      tf.greater(target, 0),
      tf.mul(target, tf.log(tf.maximum(target, 1e-30))),
      tf.zerosLike(target),
    );
    perStep = tf.sum(tf.sub(tLogT, tf.mul(target, logProbabilities)), -1);
  } else {
    perStep = tf.mean(tf.square(tf.sub(tf.exp(logProbabilities), target)), -1);
  }
  return tf.div(tf.sum(tf.mul(perStep, targetMask)), tf.maximum(tf.sum(targetMask), 1));
}

class GruEvolutionModel implements EvolutionModel {
  private disposed = false;

  constructor(
    private readonly weights: WeightSet,
    private readonly w: GruWeights,
    readonly numCategories: number,
    readonly hidden: number,
    readonly maxWindows: number,
  ) {}

  predict(sequence: readonly InterestWindow[]): number[] {
    return this.predictBatch([sequence])[0];
  }

  predictBatch(sequences: readonly (readonly InterestWindow[])[]): number[][] {
    if (this.disposed) throw new Error('The evolution model has been disposed.');
    checkSequences(sequences, this.numCategories);
    if (sequences.length === 0) return [];
    const c = this.numCategories;
    const values = tf.tidy(() => {
      const { x, present, len } = inputTensors(sequences, c, this.maxWindows);
      const logP = forward(x, present, this.w);
      // The last step: the next window after each sequence (an empty sequence: the prior).
      const last = tf.slice(logP, [0, len - 1, 0], [sequences.length, 1, c]);
      return tf.exp(tf.reshape(last, [sequences.length, c]));
    });
    const flat = values.dataSync();
    values.dispose();
    return sequences.map((_, b) => normalised(flat.subarray(b * c, (b + 1) * c)));
  }

  dispose(): void {
    this.disposed = true;
    this.weights.dispose();
  }
}

/**
 * Trains a GRU on every user's windows before their held-out (last non-empty) window. Users
 * without a target (no non-empty window after their first before the held-out one) are skipped.
 * Throws the signal's reason on abort, a RangeError on malformed input or options.
 */
export async function trainEvolutionModel(
  sequences: readonly (readonly InterestWindow[])[],
  numCategories: number,
  options: Partial<EvolutionTrainOptions> = {},
): Promise<EvolutionModel> {
  const o: EvolutionTrainOptions = { ...DEFAULT_EVOLUTION_OPTIONS, ...options };
  checkOptions(o);
  checkSequences(sequences, numCategories);
  const signal = o.signal;
  if (signal?.aborted) throw signal.reason;
  const data = trainingSequences(sequences, o.maxWindows);
  if (data.length === 0) {
    throw new Error(
      'No user has a non-empty window between their first window and their last non-empty one, so there is no next window to learn from.',
    );
  }
  const weights = new WeightSet();
  const rng = new SeededRandom(o.seed, 'evolution-batches');
  const optimizer = tf.train.adam(o.learningRate);
  const yieldTurn = createYielder(0);
  let trained = false;
  try {
    const w = createWeights(weights, featureCount(numCategories), o.hidden, numCategories, o.seed);
    const variables = weights.trainable();
    const batches = Math.ceil(data.length / o.batchSize);
    for (let epoch = 1; epoch <= o.epochs; epoch++) {
      const order = shuffled(data.length, rng);
      let lossSum = 0;
      let targetSum = 0;
      for (let b = 0; b < batches; b++) {
        await yieldTurn();
        if (signal?.aborted) throw signal.reason;
        const batch = order.slice(b * o.batchSize, (b + 1) * o.batchSize).map((i) => data[i]);
        const inputs = trainingBatch(batch, numCategories, o.maxWindows);
        let lossTensor: tf.Scalar | null = null;
        try {
          lossTensor = optimizer.minimize(
            () =>
              batchLoss(
                forward(inputs.x, inputs.present, w),
                inputs.target,
                inputs.targetMask,
                o.loss,
              ),
            true,
            variables,
          );
        } finally {
          tf.dispose([inputs.x, inputs.present, inputs.target, inputs.targetMask]);
        }
        if (!lossTensor) throw new Error('The optimizer returned no loss.');
        const loss = (await lossTensor.data())[0];
        lossTensor.dispose();
        if (!Number.isFinite(loss)) {
          throw new Error(
            `Training diverged at epoch ${epoch}, batch ${b + 1} (loss ${loss}); lower the learning rate.`,
          );
        }
        const targets = batch.reduce((n, s) => n + s.targets, 0);
        lossSum += loss * targets;
        targetSum += targets;
      }
      o.onProgress?.(epoch, o.epochs, lossSum / targetSum);
    }
    trained = true;
    return new GruEvolutionModel(weights, w, numCategories, o.hidden, o.maxWindows);
  } finally {
    optimizer.dispose();
    if (!trained) weights.dispose();
  }
}

/** 0..count-1 in a seeded random order (Fisher-Yates). */
function shuffled(count: number, rng: SeededRandom): number[] {
  const order = Array.from({ length: count }, (_, i) => i);
  for (let i = count - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}
