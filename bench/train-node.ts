/**
 * Training in Node, for the training and accuracy benchmarks: the same ingest, split and
 * `trainVariant` the worker runs, under the product's time limit (`maxSeconds`: no epoch
 * starts that would end past the cap).
 *
 * Import this only after `allowTfjsBundlerImports()` (bench/run.ts installs it first).
 */
import { ingestInteractions, ingestItemMetadata } from '../src/core/data';
import { fileSource } from '../src/core/data/nodeSource';
import type { Dataset } from '../src/core/data/types';
import type { MetricReport } from '../src/core/models/baseline-types';
import { itemFeaturesFromDataset } from '../src/core/models/features';
import type { HyperParameters, ModelId } from '../src/core/models/types';
import { trainingWindows } from '../src/core/train/batches';
import { buildNeural } from '../src/core/train/neuralVariant';
import { type LeaveLastOutSplit, temporalLeaveLastOut } from '../src/core/train/split';
import { trainModel } from '../src/core/train/trainer';
import { DEFAULT_TRAINING, trainingDefaults, trainVariant } from '../src/core/train/variants';
import { round } from './stats';

export interface LoadedBenchData {
  dataset: Dataset;
  split: LeaveLastOutSplit;
  rows: { accepted: number; rejected: number };
}

/** Ingests `interactions` (and joins `items` when given) and splits it leave-last-out by time. */
export async function loadBenchData(
  interactions: string,
  items: string | null,
): Promise<LoadedBenchData> {
  const ingested = await ingestInteractions(await fileSource(interactions), null);
  let dataset = ingested.dataset;
  if (items) {
    dataset = (await ingestItemMetadata(await fileSource(items), null, dataset)).dataset;
  }
  return {
    dataset,
    split: temporalLeaveLastOut(dataset),
    rows: { accepted: ingested.report.accepted, rejected: ingested.report.rejected },
  };
}

/** The headline numbers of one report at K = 10. */
export interface Headline {
  hr10: number;
  ndcg10: number;
  mrr: number;
  coverage10: number | null;
  usersEvaluated: number;
}

export function headline(report: MetricReport): Headline {
  const at10 = report.atK.find((m) => m.k === 10);
  if (!at10) throw new Error('The report has no K = 10 row.');
  return {
    hr10: round(at10.hitRate, 4),
    ndcg10: round(at10.ndcg, 4),
    mrr: round(report.mrr, 4),
    coverage10: at10.coverage === null ? null : round(at10.coverage, 3),
    usersEvaluated: report.usersEvaluated,
  };
}

export interface EpochLog {
  epoch: number;
  loss: number;
  validationNdcg10: number;
  /** Seconds of training steps in this epoch (validation excluded). */
  stepSeconds: number;
  /** Seconds since training started when this epoch's validation finished. */
  atSeconds: number;
}

/** One model trained (or fitted) once, with what the benchmark reports. */
export interface BenchRun {
  model: ModelId;
  kind: 'baseline' | 'neural';
  backend: string;
  /** Wall time of training, validation passes included (not the final test evaluation). */
  trainSeconds: number;
  stoppedBy: string;
  epochsRun: number;
  bestEpoch: number;
  /** Seconds from the start until the best epoch's validation finished; null for baselines. */
  secondsToBestValidation: number | null;
  /** Median over finished epochs of next-item examples per second of training steps. */
  examplesPerSecond: number | null;
  examplesPerEpoch: number | null;
  /** Adam learning rate and windows per batch of a neural run (the model's defaults unless set); null for baselines. */
  learningRate: number | null;
  batchSize: number | null;
  validation: Headline | null;
  test: Headline;
  epochs: EpochLog[];
}

export interface CappedOptions {
  capSeconds: number;
  epochs: number;
  patience: number;
  batchSize?: number;
  learningRate?: number;
  seed?: number;
  /** Hyper-parameters of the neural model (the rest take the registry's defaults). */
  hyper?: HyperParameters;
  backend: string;
  log?: (line: string) => void;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/**
 * Fits a baseline, or trains a neural variant with early stopping on validation NDCG@10 under
 * the time limit `capSeconds`, both through `trainVariant` (which evaluates the kept weights on
 * test), and adds the per-epoch timings the benchmarks report.
 */
export async function trainCapped(
  data: LoadedBenchData,
  id: ModelId,
  kind: 'baseline' | 'neural',
  options: CappedOptions,
): Promise<BenchRun> {
  const { dataset, split } = data;
  if (kind === 'baseline') {
    const { model, record } = await trainVariant(dataset, split, id);
    model.dispose();
    if (!record.test) throw new Error(`${id} produced no test report.`);
    return {
      model: id,
      kind,
      backend: 'none (plain TypeScript)',
      trainSeconds: round(record.trainSeconds, 2),
      stoppedBy: record.stoppedBy ?? 'fitted',
      epochsRun: 0,
      bestEpoch: 0,
      secondsToBestValidation: null,
      examplesPerSecond: null,
      examplesPerEpoch: null,
      learningRate: null,
      batchSize: null,
      validation: record.validation ? headline(record.validation) : null,
      test: headline(record.test),
      epochs: [],
    };
  }
  const epochs: EpochLog[] = [];
  const started = performance.now();
  // The cap is the product's own time limit: no epoch starts that would end past it.
  const { model, record } = await trainVariant(dataset, split, id, {
    epochs: options.epochs,
    batchSize: options.batchSize,
    learningRate: options.learningRate,
    patience: options.patience,
    seed: options.seed,
    hyper: options.hyper,
    maxSeconds: options.capSeconds,
    backend: options.backend,
    features: itemFeaturesFromDataset(dataset),
    onEpoch: (p) => {
      const at10 = p.validation.atK.find((m) => m.k === 10);
      const entry: EpochLog = {
        epoch: p.epoch,
        loss: round(p.loss, 4),
        validationNdcg10: round(at10?.ndcg ?? Number.NaN, 4),
        stepSeconds: round(p.trainSeconds, 2),
        atSeconds: round((performance.now() - started) / 1000, 2),
      };
      epochs.push(entry);
      options.log?.(
        `  ${id} epoch ${p.epoch}: loss ${entry.loss}, val ndcg@10 ${entry.validationNdcg10}, ` +
          `${entry.stepSeconds} s steps, ${entry.atSeconds} s total`,
      );
    },
  });
  model.dispose();
  if (!record.test || !record.training) throw new Error(`${id} produced no test report.`);
  // Every training transition is one example per epoch, whatever the history length.
  const examplesPerEpoch = trainingWindows(split.train, Number(record.hyper.maxLen)).examples;
  const best = epochs.find((e) => e.epoch === record.bestEpoch);
  const rates = epochs.map((e) => examplesPerEpoch / Math.max(e.stepSeconds, 1e-9));
  return {
    model: id,
    kind,
    backend: options.backend,
    trainSeconds: round(record.trainSeconds, 2),
    stoppedBy: record.stoppedBy === 'time' ? 'time limit' : (record.stoppedBy ?? 'epochs'),
    epochsRun: record.epochs,
    bestEpoch: record.bestEpoch,
    secondsToBestValidation: best ? best.atSeconds : null,
    examplesPerSecond: rates.length > 0 ? Math.round(median(rates)) : null,
    examplesPerEpoch,
    learningRate: record.training.learningRate,
    batchSize: record.training.batchSize,
    validation: record.validation ? headline(record.validation) : null,
    test: headline(record.test),
    epochs,
  };
}

/**
 * Examples per second of `batches` training steps of `id` on the active backend (no
 * validation): the throughput probe used where a full epoch would take too long (the cpu
 * backend).
 */
export async function stepThroughput(
  data: LoadedBenchData,
  id: ModelId,
  capSeconds: number,
): Promise<{ examplesPerSecond: number; batches: number; seconds: number }> {
  const features = itemFeaturesFromDataset(data.dataset);
  const neural = buildNeural(id, data.split.numItems, {}, DEFAULT_TRAINING.seed, features);
  const controller = new AbortController();
  let last = { examplesPerSec: 0, batch: 0 };
  let warm = false;
  const started = performance.now();
  const timer = setTimeout(() => controller.abort(), capSeconds * 1000);
  try {
    await trainModel(neural, data.split, {
      epochs: 1,
      batchSize: trainingDefaults(id).batchSize,
      learningRate: trainingDefaults(id).learningRate,
      seed: DEFAULT_TRAINING.seed,
      signal: controller.signal,
      onBatch: (p) => {
        warm = true;
        last = { examplesPerSec: p.examplesPerSec, batch: p.batch };
      },
    });
  } finally {
    clearTimeout(timer);
    neural.dispose();
  }
  if (!warm) throw new Error(`${id}: no training step finished within ${capSeconds} s.`);
  return {
    examplesPerSecond: Math.round(last.examplesPerSec),
    batches: last.batch,
    seconds: round((performance.now() - started) / 1000, 1),
  };
}
