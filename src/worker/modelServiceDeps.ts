/**
 * What the model service needs from src/core (and from the browser's model store), as an
 * injectable interface: the worker wires the real functions (modelDeps.ts), Node tests fakes.
 */
import type { BackendName } from '../core/backend/types';
import type { Dataset } from '../core/data/types';
import type { ExplainHooks, ExplainRequest } from '../core/explain/engine';
import type { ExplainOptions, ExplainOptionsInput, Explanation } from '../core/explain/types';
import type { ItemFeatures, TrainedRecommender, TrainingRecord } from '../core/models/trained';
import type { HyperParameters, ModelId } from '../core/models/types';
import type { LeaveLastOutSplit, userHistory } from '../core/train/split';
import type { BatchProgress, EpochProgress } from '../core/train/trainer';
import type { TrainModelOptions, VariantInfo } from './api';
import type { SavedModelSummary } from './modelStore';

/** The store of saved models as this service uses it (src/worker/modelStore.ts). */
export interface ModelStoreLike {
  list(): Promise<SavedModelSummary[]>;
  save(modelJson: string, weightsBin: Uint8Array): Promise<SavedModelSummary>;
  load(key: string): Promise<{ modelJson: string; weightsBin: Uint8Array }>;
  rename(key: string, name: string): Promise<void>;
  remove(key: string): Promise<void>;
}

/** A model restored from its files onto the current dataset. */
export interface RestoredModel {
  model: TrainedRecommender;
  record: TrainingRecord;
  name: string;
  datasetName: string;
  match: 'same' | 'mapped';
  matchNote: string | null;
}

/** Options passed on to the core's `trainVariant` (see src/core/train/variants.ts). */
export interface VariantRunOptions extends TrainModelOptions {
  signal: AbortSignal;
  onBatch: (p: BatchProgress) => void;
  onEpoch: (p: EpochProgress) => void;
  backend?: string;
  features?: ItemFeatures;
}

export interface ModelServiceDeps {
  availableVariants(): VariantInfo[];
  splitDataset(dataset: Dataset): LeaveLastOutSplit;
  itemFeatures(dataset: Dataset): ItemFeatures;
  trainVariant(
    dataset: Dataset,
    split: LeaveLastOutSplit,
    id: ModelId,
    options: VariantRunOptions,
  ): Promise<{ model: TrainedRecommender; record: TrainingRecord }>;
  topK(
    model: TrainedRecommender,
    history: ReturnType<typeof userHistory>,
    k: number,
    excludeSeen: boolean,
  ): Promise<{ item: number; score: number }[]>;
  /** model.json text and weights.bin bytes of a model trained (or restored) on `dataset`. */
  encode(
    model: TrainedRecommender,
    record: TrainingRecord,
    dataset: Dataset,
    datasetName: string,
    name: string,
  ): { modelJson: string; weightsBin: Uint8Array };
  /** Decodes and checks a model's files against `dataset`; throws a clear error when refused. */
  restore(
    modelJson: string,
    weightsBin: Uint8Array,
    dataset: Dataset,
    features: ItemFeatures,
  ): RestoredModel | Promise<RestoredModel>;
  openModelStore(): Promise<ModelStoreLike>;
  /** The int8 variant of a neural model, evaluated on `split` (see int8.ts). */
  deriveInt8(
    original: TrainedRecommender,
    record: TrainingRecord,
    split: LeaveLastOutSplit,
    features: ItemFeatures,
  ): Promise<{
    model: TrainedRecommender;
    record: TrainingRecord;
    bytes: { float32: number; int8: number };
  }>;
  lossTrajectory(
    split: LeaveLastOutSplit,
    id: ModelId,
    options: { hyper?: HyperParameters; seed?: number; batches: number; batchSize: number },
  ): Promise<number[]>;
  /**
   * The explanation engine (src/core/explain's `explainRecommendation`): checks `hooks.signal`
   * between its steps (throwing the signal's reason) and streams progress per method.
   */
  explain(
    request: ExplainRequest,
    options: ExplainOptionsInput,
    hooks: ExplainHooks,
  ): Promise<Explanation>;
  /** The engine's options with defaults filled in; throws naming what is out of range. */
  resolveExplainOptions(input: ExplainOptionsInput): ExplainOptions;
  activeBackend(): BackendName | null;
  /**
   * `record` with the below-baselines check written in (src/core/train/baselineCheck.ts),
   * fitting `pop` / `itemknn` on the split unless `given` has their test NDCG@10. Optional:
   * test fakes leave it out and records go unchecked.
   */
  checkBaselines?(
    dataset: Dataset,
    split: LeaveLastOutSplit,
    record: TrainingRecord,
    given: Record<string, number>,
  ): Promise<TrainingRecord>;
  /** Initialises TF.js when no backend is active yet (training before the badge settled). */
  ensureBackend(): Promise<void>;
}

/** What the model service needs of the ingest side: the current dataset, if any. */
export interface CurrentDataset {
  dataset: Dataset;
  /** The interactions alone: a new one invalidates the split and every live model. */
  baseDataset: Dataset;
  fileName: string;
}
