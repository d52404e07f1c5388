/**
 * One API to train, evaluate and restore any model variant, baseline or neural. The worker and
 * the CLI call only this, so every variant is fitted on the same split and judged by the same
 * `evaluate()` (full ranking, seen items excluded, K = 10 and 20) on validation and test.
 */
import type { Dataset } from '../data/types';
import type { HistoryBatch, MetricReport } from '../models/baseline-types';
import type { HyperSpec } from '../models/hyper';
import { trainPop } from '../models/pop';
import { NEURAL_MODELS, neuralEntry } from '../models/registry';
import {
  type ItemFeatures,
  perUserRanks,
  type TrainedRecommender,
  type TrainingRecord,
  type WeightArray,
} from '../models/trained';
import type { HyperParameters, ModelId } from '../models/types';
import * as tf from '../tf';
import { fitItemKnn, popRecommender, restoreItemKnn, restorePop } from './baselineVariants';
import { evaluate } from './evaluate';
import { topKPerRow } from './metrics';
import { buildNeural, neuralRecommender, restoreNeural } from './neuralVariant';
import type { LeaveLastOutSplit } from './split';
import type { BatchProgress, EpochProgress } from './trainer';
import { trainModel } from './trainer';

export const BASELINE_IDS: readonly ModelId[] = ['pop', 'itemknn'];

/** Cut-offs of every report: the protocol's K = 10 and 20. */
const CUTOFFS = [10, 20];

/**
 * Training defaults shared by every neural model (each can be overridden per call); a model's
 * own tuned learning rate and batch size (its registry entry, see {@link trainingDefaults})
 * take precedence over these two.
 */
export const DEFAULT_TRAINING = {
  epochs: 20,
  batchSize: 128,
  learningRate: 0.002,
  patience: 3,
  seed: 42,
} as const;

const pickTraining = ({
  learningRate,
  batchSize,
}: {
  learningRate: number;
  batchSize: number;
}) => ({
  learningRate,
  batchSize,
});

/** The training settings `trainVariant` uses for `id` when the call names none. */
export function trainingDefaults(id: ModelId): {
  epochs: number;
  batchSize: number;
  learningRate: number;
  patience: number;
  seed: number;
} {
  const own = neuralEntry(id)?.training;
  return {
    ...DEFAULT_TRAINING,
    ...(own ? { batchSize: own.batchSize, learningRate: own.learningRate } : {}),
  };
}

const BASELINE_DESCRIPTIONS: Record<string, string> = {
  pop: 'Most interacted-with items in the training part; the floor every model must clear.',
  itemknn:
    'Item-item cosine similarity over who interacted with what; scores are sums of similarities to the history.',
};

export interface VariantInfo {
  id: ModelId;
  kind: 'baseline' | 'neural';
  description: string;
  /** Documented hyper-parameters; null for baselines (itemknn takes `neighbours`: n or 'all'). */
  hyper: Record<string, HyperSpec> | null;
  /** The model's default Adam learning rate and batch size; null for baselines. */
  training: { learningRate: number; batchSize: number } | null;
}

/** Every variant this build can train, baselines first, for the model picker and the CLI. */
export function availableVariants(): VariantInfo[] {
  const baselines: VariantInfo[] = BASELINE_IDS.map((id) => ({
    id,
    kind: 'baseline',
    description: BASELINE_DESCRIPTIONS[id],
    hyper: null,
    training: null,
  }));
  const neural: VariantInfo[] = Object.entries(NEURAL_MODELS).flatMap(([id, entry]) =>
    entry
      ? [
          {
            id: id as ModelId,
            kind: 'neural' as const,
            description: entry.description,
            hyper: entry.hyper,
            training: pickTraining(trainingDefaults(id as ModelId)),
          },
        ]
      : [],
  );
  return [...baselines, ...neural];
}

/** True when this build can train and restore `id`. */
export function isKnownVariant(id: string): id is ModelId {
  // Own keys only: `toString` or `__proto__` from a file must not pass as a model.
  return (BASELINE_IDS as readonly string[]).includes(id) || neuralEntry(id) !== undefined;
}

export interface VariantTrainOptions {
  hyper?: HyperParameters;
  epochs?: number;
  batchSize?: number;
  learningRate?: number;
  /** Seeds the initial weights, window order and negative sampling; default 42. */
  seed?: number;
  /** Early-stopping patience in epochs (validation NDCG@10); default 3. */
  patience?: number;
  /** Time limit in seconds: no epoch starts that would end past it (see `TrainOptions`). */
  maxSeconds?: number;
  signal?: AbortSignal;
  onBatch?: (p: BatchProgress) => void;
  onEpoch?: (p: EpochProgress) => void;
  /** Backend name written into the record; default the active TF.js backend. */
  backend?: string;
  /**
   * Item side information (`itemFeaturesFromDataset(dataset)`) for the models that read it
   * (twotower, layered); kept on the trained model and saved with it.
   */
  features?: ItemFeatures;
}

export interface TrainedVariant {
  model: TrainedRecommender;
  record: TrainingRecord;
}

function cancelled(signal: AbortSignal | undefined): Error {
  const reason = signal?.reason;
  if (reason instanceof Error && reason.name === 'AbortError') return reason;
  const error = new Error('Training was cancelled.');
  error.name = 'AbortError';
  return error;
}

const ndcgAt10 = (report: MetricReport) => report.atK.find((m) => m.k === 10)?.ndcg ?? Number.NaN;

/**
 * Fits variant `id` on `split.train` and evaluates it on validation and test. Baselines fit in
 * one pass; neural models train with early stopping on validation NDCG@10 and keep their best
 * epoch. A cancel (`signal`) rejects with an `AbortError` and frees the model; so does any
 * failure. The caller owns (and must dispose) the returned model.
 */
export async function trainVariant(
  dataset: Dataset,
  split: LeaveLastOutSplit,
  id: ModelId,
  options: VariantTrainOptions = {},
): Promise<TrainedVariant> {
  if (!isKnownVariant(id)) {
    const known = availableVariants()
      .map((v) => v.id)
      .join(', ');
    throw new Error(`No model variant named ${id}; available: ${known}.`);
  }
  if (split.numItems !== dataset.itemIds.length) {
    throw new Error(
      `The split has ${split.numItems} items but the dataset has ${dataset.itemIds.length}.`,
    );
  }
  const seed = options.seed ?? DEFAULT_TRAINING.seed;
  const started = performance.now();
  const lossCurve: number[] = [];
  const validationCurve: number[] = [];
  let model: TrainedRecommender;
  let epochs = 0;
  let bestEpoch = 0;
  let stoppedBy: TrainingRecord['stoppedBy'] = 'fitted';
  let validation: MetricReport | null = null;
  let training: TrainingRecord['training'];
  let lossDescription: string | undefined;

  options.signal?.throwIfAborted();
  if (id === 'pop' && Object.keys(options.hyper ?? {}).length > 0) {
    throw new RangeError('pop has no hyper-parameters.');
  }
  if (id === 'pop') model = popRecommender(trainPop(split.train, split.numItems));
  else if (id === 'itemknn') model = fitItemKnn(split.train, split.numItems, options.hyper);
  else {
    const neural = buildNeural(id, split.numItems, options.hyper ?? {}, seed, options.features);
    lossDescription = neural.lossDescription;
    const defaults = trainingDefaults(id);
    training = {
      learningRate: options.learningRate ?? defaults.learningRate,
      batchSize: options.batchSize ?? defaults.batchSize,
      patience: options.patience ?? defaults.patience,
    };
    try {
      const result = await trainModel(neural, split, {
        ...training,
        epochs: options.epochs ?? defaults.epochs,
        maxSeconds: options.maxSeconds,
        seed,
        signal: options.signal,
        onBatch: options.onBatch,
        onEpoch: (p) => {
          lossCurve.push(p.loss);
          validationCurve.push(ndcgAt10(p.validation));
          options.onEpoch?.(p);
        },
      });
      if (result.stoppedBy === 'cancelled') throw cancelled(options.signal);
      epochs = result.epochsRun;
      bestEpoch = result.bestEpoch;
      stoppedBy = result.stoppedBy;
      validation = result.bestValidation;
    } catch (error) {
      neural.dispose();
      throw error;
    }
    model = neuralRecommender(neural, options.features ?? null);
  }
  const trainSeconds = (performance.now() - started) / 1000;

  try {
    const evaluateOn = async (which: 'validation' | 'test') =>
      evaluate(model.score, split, { which, k: CUTOFFS, signal: options.signal });
    // The trainer's report of the kept epoch came from this same evaluate() call.
    validation ??= (await evaluateOn('validation')).report;
    const tested = await evaluateOn('test');
    const test = tested.report;
    const record: TrainingRecord = {
      modelId: id,
      hyper: { ...model.hyper },
      seed,
      ...(training ? { training } : {}),
      ...(lossDescription ? { lossDescription } : {}),
      epochs,
      bestEpoch,
      stoppedBy,
      trainSeconds,
      backend: options.backend ?? tf.getBackend() ?? 'none',
      protocol: test.protocol,
      validation,
      test,
      testRanks: perUserRanks(tested.users, tested.ranks),
      lossCurve,
      validationCurve,
      trainedAt: new Date().toISOString(),
    };
    return { model, record };
  } catch (error) {
    model.dispose();
    if (options.signal?.aborted) throw cancelled(options.signal);
    throw error;
  }
}

/**
 * Rebuilds a trained model from saved weights (as {@link exportWeights} wrote them): pop from
 * its counts, itemknn from its neighbour lists, neural models by building the architecture
 * from `hyper` and loading the weights. `features` are those saved with the model. Malformed
 * weights throw a `ModelFileError` naming the weight.
 */
export function restoreVariant(
  id: ModelId,
  numItems: number,
  hyper: HyperParameters,
  weights: WeightArray[],
  features?: ItemFeatures,
): TrainedRecommender {
  if (!Number.isInteger(numItems) || numItems < 1) {
    throw new RangeError(`A model needs at least one item; got numItems = ${numItems}.`);
  }
  if (id === 'pop') return restorePop(numItems, weights);
  if (id === 'itemknn') return restoreItemKnn(numItems, hyper, weights);
  return restoreNeural(id, numItems, hyper, weights, features);
}

/**
 * The top-`k` items for one history (a {@link HistoryBatch} of exactly one row), best first,
 * with their scores. Seen items are skipped unless `excludeSeen` is false; items scored
 * -Infinity (unknown to a mapped model) are never listed. Uses the same top-k routine as the
 * coverage metric, so the list shown and the list measured agree.
 */
export async function topK(
  model: TrainedRecommender,
  history: HistoryBatch,
  k: number,
  excludeSeen = true,
): Promise<{ item: number; score: number }[]> {
  if (history.offsets.length !== 2) {
    throw new RangeError(`topK takes one history; got ${history.offsets.length - 1}.`);
  }
  if (!Number.isInteger(k) || k < 1)
    throw new RangeError(`k must be a positive integer; got ${k}.`);
  // Scorers read users only for the batch size; -1 says "no user index" to any that looked.
  const scores = await model.score(Int32Array.of(-1), history);
  const exclude = excludeSeen
    ? { offsets: history.offsets, items: history.items }
    : { offsets: Int32Array.of(0, 0), items: new Int32Array(0) };
  const top = topKPerRow(scores, model.numItems, Math.min(k, model.numItems), exclude);
  const out: { item: number; score: number }[] = [];
  for (const item of top) {
    if (item < 0 || scores[item] === Number.NEGATIVE_INFINITY) continue;
    out.push({ item, score: scores[item] });
  }
  return out;
}
