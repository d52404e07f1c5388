/**
 * The one RPC surface of the Web Worker (exposed with Comlink in `lens.worker.ts`,
 * wrapped by `client.ts`). The UI imports only these *types*; the dataset, the File and
 * every tensor stay in the worker.
 */
import type { BackendName, BackendReport } from '../core/backend/types';
import type { MethodAgreement, ModelFaithfulness } from '../core/compare/agreement';
import type { Cohort } from '../core/compare/cohorts';
import type { ComparisonReport } from '../core/compare/compare';
import type {
  DatasetSummary,
  Detection,
  IngestProgress,
  ItemMetadataOptions,
  ParseOptions,
} from '../core/data/types';
import type { ExplanationReport, ReportMethod } from '../core/explain/report';
import type {
  AttributionMethod,
  ExplainMethod,
  IgOptions,
  LimeOptions,
  Removal,
} from '../core/explain/types';
import type { ForeignModelSummary, ModelMapping } from '../core/import/index';
import type { AlsParams } from '../core/import/types';
import type { TrainingRecord } from '../core/models/trained';
import type { HyperParameters, ModelId } from '../core/models/types';
import type { VariantInfo } from '../core/train/variants';
import type {
  EvolutionSummary,
  EvolutionTrainCallOptions,
  InterestOptionsInput,
  PageHeadFit,
  PageInterestMap,
  PagePopulation,
  PageUserInterests,
  PopulationCohort,
} from './interestsApi';
import type { SavedModelSummary } from './modelStore';

export type { MethodAgreement, ModelFaithfulness } from '../core/compare/agreement';
export type { Cohort } from '../core/compare/cohorts';
export type {
  AccuracyMetric,
  ComparedModel,
  ComparedPair,
  ComparisonReport,
} from '../core/compare/compare';
export type {
  ExplanationReport,
  ReportAttribution,
  ReportHistoryItem,
  ReportMethod,
} from '../core/explain/report';
export type { AttributionMethod, ExplainMethod, Removal } from '../core/explain/types';
export type { ForeignModelSummary, ModelMapping } from '../core/import/index';
export type { AlsParams } from '../core/import/types';
/** A model variant the worker can train, as listed on the Models panel (the core's own type). */
export type { VariantInfo } from '../core/train/variants';
export type * from './interestsApi';
export type { SavedModelSummary } from './modelStore';

/** Result of the small computation used to compare backends (e.g. webgpu vs wasm). */
export interface SmokeResult {
  backend: BackendName;
  values: number[];
}

/** What the page may choose for one training run; everything else takes the variant's defaults. */
export interface TrainModelOptions {
  epochs?: number;
  seed?: number;
  hyper?: HyperParameters;
  batchSize?: number;
  learningRate?: number;
  patience?: number;
  /** Time limit in seconds: no epoch starts that would end past it; the best epoch is kept. */
  maxSeconds?: number;
}

/**
 * Training progress, throttled like ingest progress: `batch` at most ~20 a second (the newest
 * wins), every `epoch` always (it carries the validation point of the curve).
 */
export type TrainProgress =
  | {
      kind: 'batch';
      epoch: number;
      batch: number;
      batches: number;
      loss: number;
      examplesPerSec: number;
    }
  | {
      kind: 'epoch';
      epoch: number;
      loss: number;
      validationNdcg10: number;
      validationHr10: number;
    };

/**
 * Where the live model behind a card came from. A saved or imported model says on which data
 * it was trained and whether its items were the same as the loaded dataset's (`same`) or were
 * matched by item id (`mapped`, with what could not be matched).
 */
export type ModelSource =
  | { kind: 'trained' }
  | {
      /** Derived in the page from the live model `from` by int8 post-training quantisation. */
      kind: 'int8';
      from: string;
      float32Bytes: number;
      int8Bytes: number;
    }
  | {
      /**
       * `bundled`: a model shipped with the app for its bundled sample (imported from the
       * page's own origin on first run); otherwise saved in this browser or imported by the user.
       */
      kind: 'saved' | 'imported' | 'bundled';
      name: string;
      datasetName: string;
      match: 'same' | 'mapped';
      /** One sentence on the mapping (e.g. unmatched items); null when the dataset is the same. */
      matchNote: string | null;
      /**
       * A model trained by another engine: where from ("Keras 2.15.0 via TensorFlow.js
       * Converter v2.0.0") and what the user should know (the id mapping, which explanations
       * apply and why).
       */
      engine?: { source: string; notes: string[] };
    };

/**
 * What the page shows before importing a model from another engine: a TF.js model with its
 * proposed mapping, or factor tables (ALS), which need their hyper-parameters (or none).
 */
export type ForeignModelProposal = TfjsModelProposal | FactorTablesProposal;

export interface FactorTablesProposal {
  kind: 'factors';
  /** Each file and what it was taken for. */
  files: { name: string; role: 'items' | 'users' }[];
  notes: string[];
}

export interface TfjsModelProposal {
  kind: 'tfjs';
  summary: ForeignModelSummary;
  /** The proposed mapping (editable), with the reason for each choice. */
  mapping: ModelMapping;
  notes: string[];
  /** True when the model's ids need a mapping file (the dataset's ids are not integers). */
  needsIdFile: { items: boolean; users: boolean };
}

/** How to import it: the mapping (default the proposal) and the id files it names. */
export interface ForeignImportOptions {
  mapping?: ModelMapping;
  /** Line k = the dataset item id of model item id k (or `index,item_id` rows). */
  itemIdsFile?: File;
  userIdsFile?: File;
  /**
   * Factor tables: Spark ALS's hyper-parameters to fold histories in, or null when unknown
   * (then the stored user factors score). Ignored for TF.js models.
   */
  als?: AlsParams | null;
  /** The name on the card and when saved. */
  name?: string;
}

/** A trained (or loaded) model as the page sees it: ids and numbers, no tensors. */
export interface ModelCardSummary {
  /** The live model's key; recommend/save/export take it. One live model per key. */
  key: string;
  id: ModelId;
  status: 'trained';
  record: TrainingRecord;
  source: ModelSource;
  /** Mean training throughput (examples per second) of the run; null for baselines and loaded models. */
  examplesPerSec: number | null;
}

/** One recommended item for a user, in rank order. */
export interface RecommendedItem {
  itemId: string;
  title: string | null;
  categories: string[];
  score: number;
}

/**
 * One interaction of a user's history as the timeline draws it: the item (original id, title,
 * category names), when (epoch ms; null when the data has no times), its position in the whole
 * history (0 = oldest) and whether the model reads it (its last `readLimit` items; every one
 * for itemknn and pop, and when no model is chosen).
 */
export interface TimelineItem {
  itemId: string;
  title: string | null;
  categories: string[];
  time: number | null;
  position: number;
  read: boolean;
}

/** A user's whole history, oldest first, with how many recent items the model reads. */
export interface UserTimeline {
  userId: string;
  /** The model the read flags are for; null when none was given. */
  modelKey: string | null;
  items: TimelineItem[];
  /** Most recent items the model reads; null when every interaction counts (or no model). */
  readLimit: number | null;
}

/** An item that matched a search (what-if "add"), with how many interactions it has. */
export interface ItemMatch {
  itemId: string;
  title: string | null;
  categories: string[];
  interactions: number;
}

/** The score and rank (full ranking, seen items excluded, ties against) of one item. */
export interface ItemRank {
  itemId: string;
  score: number;
  rank: number;
}

/** A user id that matched a search, with its number of interactions. */
export interface UserMatch {
  id: string;
  interactions: number;
}

/** The bytes of a model in the files a user downloads: `model.json` and `weights.bin`. */
export interface ModelFiles {
  modelJson: string;
  weightsBin: ArrayBuffer;
}

/** Per-batch losses of a short, fixed training run (for comparing backends numerically). */
export interface LossTrajectory {
  backend: BackendName;
  losses: number[];
}

/** Options of {@link LensWorkerApi.lossTrajectory}: a few batches of a small model. */
export interface LossTrajectoryOptions {
  hyper?: HyperParameters;
  seed?: number;
  batches: number;
  batchSize: number;
  learningRate?: number;
}

/**
 * What the page may choose for one explanation (a plain-data subset of the engine's options);
 * everything else takes the engine's defaults. An unknown key or an out-of-range value is
 * refused with `invalid-options` and one sentence naming it.
 */
export interface ExplainCallOptions {
  /** Methods to run; default every one the model offers, plus the counterfactual. */
  methods?: ExplainMethod[];
  /** `score` (default) or the margin over the item ranked K+1 ("why is it in the top K"). */
  target?: 'score' | 'margin';
  /** K of the top-K questions (counterfactual, margin, POS@K); default 10. */
  k?: number;
  /** How "without this item" is simulated; default `close-up` (the interaction did not happen). */
  removal?: Removal;
  /** LIME: most samples per seed (default 1,000). */
  lime?: Pick<Partial<LimeOptions>, 'samples'>;
  /** Seeds LIME, SHAP sampling and the random faithfulness orders (a safe integer; default 7). */
  seed?: number;
  /** Integrated gradients' step grid (default 32 doubling up to 512). */
  ig?: Pick<Partial<IgOptions>, 'minSteps' | 'maxSteps'>;
  /** Whether to draw the faithfulness curves (default true; they cost catalogue rankings). */
  faithfulness?: boolean;
}

/**
 * A history for a what-if explanation: item ids (the dataset's original ids) oldest first,
 * typically the user's history with items removed, added or moved.
 */
export interface WhatIfHistory {
  items: string[];
  /**
   * Epoch milliseconds per item (null where unknown, e.g. an added item), same length as
   * `items`. Only the roll-ups by time window use them; omitted = no times.
   */
  times?: (number | null)[];
}

/**
 * Streamed while an explanation runs, in this order: `started` (score and rank known), one
 * `method` per attribution method as it finishes (fast ones first; `done` of `total`), then
 * `counterfactual` (when asked for) and `faithfulness`. Items are the dataset's ids, and each
 * part has the shape it has in the final {@link ExplanationReport}, so the page can draw it at
 * once and replace it with the report when the call resolves. Not throttled (a dozen at most);
 * nothing is sent for a call once it is cancelled.
 */
export type ExplainEvent =
  | {
      kind: 'started';
      item: string;
      score: number;
      /** Rank in the full ranking, seen items excluded (1 = best). */
      rank: number;
      /** History items the model reads, and the older ones it does not read at all. */
      read: number;
      unread: number;
    }
  | {
      kind: 'method';
      method: AttributionMethod;
      result: ReportMethod;
      done: number;
      total: number;
    }
  | { kind: 'counterfactual'; result: NonNullable<ExplanationReport['counterfactual']> }
  | { kind: 'faithfulness'; result: ExplanationReport['faithfulness'] };

/** What the page may choose for a comparison; the rest takes the defaults. */
export interface CompareCallOptions {
  /** Restrict every figure to one cohort of test users (default `all`). */
  cohort?: Cohort;
  /** Bootstrap resamples (100..100,000; default 1,000). */
  resamples?: number;
  /** Seed of the bootstrap (default 42). */
  seed?: number;
}

/** Which model is being scored for the comparison (throttled). */
export interface CompareProgress {
  model: string;
  modelsDone: number;
  modelsTotal: number;
  usersDone: number;
  usersTotal: number;
}

/** The comparison plus per-user NDCG@10 for the scatter (dataset user ids). */
export interface PageComparison {
  report: ComparisonReport;
  perUser: {
    /** At most 5,000 users (a seeded sample of the cohort when it holds more; see `total`). */
    userIds: string[];
    /** Per model key, one NDCG@10 per listed user. */
    ndcg10: Record<string, number[]>;
    /** Users in the cohort. */
    total: number;
  };
}

/** One user's top-10 of each model (from the comparison's scoring pass), for the bump chart. */
export interface CompareLists {
  userId: string;
  /** The held-out test item the lists are judged on. */
  testItem: { itemId: string; title: string | null };
  /** Rank of the test item per model (null: it was already in the history). */
  ranks: Record<string, number | null>;
  lists: Record<string, { itemId: string; title: string | null; hit: boolean }[]>;
}

/** Options of the explanation agreement. */
export interface CompareAgreementOptions {
  cohort?: Cohort;
  /** Users sampled from the cohort (default 50). */
  users?: number;
  seed?: number;
  /** Explain this one user instead of a sample (the side-by-side view). */
  userId?: string | null;
}

/** One attribution of the agreement's samples, in dataset ids. */
export interface AgreementAttribution {
  position: number;
  itemId: string;
  title: string | null;
  value: number;
}

/** Whether the models explain alike (src/core/compare/agreement.ts), in dataset ids. */
export interface CompareAgreement {
  cohort: Cohort;
  users: number;
  seed: number;
  methods: AttributionMethod[];
  pairs: MethodAgreement[];
  faithfulness: ModelFaithfulness[];
  ms: number;
  samples: {
    userId: string;
    itemId: string;
    models: Record<
      string,
      { rank: number; methods: Partial<Record<AttributionMethod, AgreementAttribution[]>> }
    >;
  }[];
}

export interface LensWorkerApi {
  /** Initialise TF.js: choose the backend by what the hardware is, verify it with a smoke run. */
  initBackend(preferred?: BackendName): Promise<BackendReport>;
  /** Force a backend (user override); rejects with a clear message if it cannot be used. */
  setBackend(name: BackendName): Promise<BackendReport>;
  /** A fixed, deterministic computation (matmul + softmax) on the current backend. */
  smokeCompute(): Promise<SmokeResult>;

  /** Sniff the first bytes of an interaction file: delimiter, header, encoding, column roles. */
  detect(file: Blob, fileName: string): Promise<Detection>;
  /**
   * Stream, validate and index an interaction file with the given (or detected) options.
   * Replaces the current dataset only on success; a cancelled or failed load leaves it intact.
   * The file is kept so `reapply` can re-parse it with an edited mapping.
   */
  loadInteractions(
    file: Blob,
    fileName: string,
    options: ParseOptions | null,
    onProgress: (p: IngestProgress) => void,
  ): Promise<DatasetSummary>;
  /** Re-parse the last file with edited options, without re-uploading. */
  reapply(options: ParseOptions, onProgress: (p: IngestProgress) => void): Promise<DatasetSummary>;
  /** Join an item metadata file (titles, categories) onto the current dataset. */
  loadItems(
    file: Blob,
    fileName: string,
    options: ItemMetadataOptions | null,
    onProgress: (p: IngestProgress) => void,
  ): Promise<DatasetSummary>;
  /** Stop the running load within one chunk; the promise of that load rejects with `cancelled`. */
  cancel(): void;
  /** Every rejected row of the current dataset as CSV (line, reason, detail, fields...). */
  rejectedRowsCsv(): Promise<string>;

  /** The model variants that can be trained, with their descriptions and hyper-parameters. */
  listVariants(): Promise<VariantInfo[]>;
  /**
   * Trains variant `id` on the current dataset's temporal leave-last-out split (computed once
   * per dataset and shared by every variant) and evaluates it on validation and test. Replaces
   * (and disposes) the previous model of that id only on success; a cancelled run rejects
   * with `cancelled` and leaves the previous model intact.
   */
  trainModel(
    id: ModelId,
    options: TrainModelOptions,
    onProgress: (p: TrainProgress) => void,
  ): Promise<ModelCardSummary>;
  /** Stops the running training within one batch. */
  cancelTraining(): void;
  /** Top-`k` unseen items for user `userId` (original id) from the live model `key`. */
  recommend(key: string, userId: string, k?: number): Promise<RecommendedItem[]>;
  /** User ids matching `query` (prefix matches first, then substrings; most active first). */
  searchUsers(query: string, limit?: number): Promise<UserMatch[]>;
  /**
   * User `userId`'s whole history, oldest first, for the timeline, with which items the live
   * model `modelKey` reads (null: no model, every item marked read). Rejects `unknown-user`.
   */
  userTimeline(modelKey: string | null, userId: string): Promise<UserTimeline>;
  /**
   * Items whose id or title matches `query` (exact id, then id prefix, then title or id
   * substring; most interacted first), for the what-if "add" search; empty query = most popular.
   */
  searchItems(query: string, limit?: number): Promise<ItemMatch[]>;
  /** Top-`k` unseen items for an edited history (what-if), from the live model `key`. */
  recommendHistory(key: string, history: WhatIfHistory, k?: number): Promise<RecommendedItem[]>;
  /**
   * Score and rank of `itemId` for user `userId`'s history, or for `history` when given (a
   * what-if); the same rank the explanation reports.
   */
  rankItem(
    key: string,
    userId: string | null,
    itemId: string,
    history?: WhatIfHistory | null,
  ): Promise<ItemRank>;
  /** Saves the live model `key` in the browser (IndexedDB) under `name`. */
  saveModel(key: string, name: string): Promise<SavedModelSummary>;
  listSavedModels(): Promise<SavedModelSummary[]>;
  renameSavedModel(key: string, name: string): Promise<SavedModelSummary>;
  deleteSavedModel(key: string): Promise<void>;
  /** Restores a saved model onto the current dataset (refused, with the reason, if it does not fit). */
  loadSavedModel(key: string): Promise<ModelCardSummary>;
  /**
   * Derives the int8-quantised variant of the live neural model `key` (live as `<key>-int8`)
   * and evaluates it on the same split, for comparison with its float original.
   */
  deriveInt8(key: string): Promise<ModelCardSummary>;
  /** The live model `key` as `model.json` text and `weights.bin` bytes (transferred). */
  exportModel(key: string): Promise<ModelFiles>;
  /**
   * Restores a model from its two files (clear errors for corrupt or truncated files). `bundled`
   * marks the model shipped with the app for its sample (its card says so).
   */
  importModel(
    modelJson: Blob,
    weightsBin: Blob,
    options?: { bundled?: boolean },
  ): Promise<ModelCardSummary>;
  /**
   * Reads a model trained by another engine (a Keras or graph model.json with its .bin shards,
   * or ALS factor tables as Parquet or CSV) and proposes how it maps onto the loaded data.
   * Nothing is kept.
   */
  proposeForeignModel(files: File[]): Promise<ForeignModelProposal>;
  /**
   * Imports it with the mapping, evaluates it on the loaded data by the protocol and makes it
   * a live model (its card says where it came from); refused in one sentence when it cannot be
   * mapped.
   */
  importForeignModel(files: File[], options?: ForeignImportOptions): Promise<ModelCardSummary>;
  /**
   * Trains a fresh model of `id` for a few batches on the current dataset and returns each
   * batch's loss. Deterministic for a seed (dropout should be 0), so two backends can be
   * compared; nothing is kept.
   */
  lossTrajectory(id: ModelId, options: LossTrajectoryOptions): Promise<LossTrajectory>;

  /**
   * Why the live model `key` scores `itemId` (null: the user's top-1 recommendation) for user
   * `userId`'s whole history: score, rank, every method's attributions, the counterfactual,
   * faithfulness and roll-ups, in the dataset's ids (the CLI's JSON). Progress streams per
   * method. One explanation runs at a time: a new `explain`/`explainHistory` call cancels the
   * running one, which rejects with `cancelled`. Rejects `unknown-user`, `unknown-item`,
   * `no-model`, `invalid-options` or `not-explainable` (one sentence each).
   */
  explain(
    key: string,
    userId: string,
    itemId: string | null,
    options: ExplainCallOptions,
    onProgress: (event: ExplainEvent) => void,
  ): Promise<ExplanationReport>;
  /**
   * What-if: the same as {@link explain} for an arbitrary history (item ids oldest first; an
   * unknown id is refused with `unknown-item`). The report's `user` is null.
   */
  explainHistory(
    key: string,
    history: WhatIfHistory,
    itemId: string | null,
    options: ExplainCallOptions,
    onProgress: (event: ExplainEvent) => void,
  ): Promise<ExplanationReport>;
  /** Stops the running explanation between two steps; its promise rejects with `cancelled`. */
  cancelExplanation(): void;

  /**
   * Compares 2 to 4 live models on the test split: metrics with bootstrap CIs, paired tests,
   * beyond-accuracy figures and top-10 overlap, over a cohort. Each model is scored once and
   * cached, so another cohort is quick. Rejects `no-model`, `invalid-options`, `cancelled`.
   */
  compareModels(
    keys: string[],
    options: CompareCallOptions,
    onProgress: (p: CompareProgress) => void,
  ): Promise<PageComparison>;
  /** One user's top-10 per model and the rank of their test item (`unknown-user` if not evaluated). */
  compareLists(keys: string[], userId: string): Promise<CompareLists>;
  /**
   * Whether the models explain alike: each explains the same (history, test item) pair for a
   * seeded sample of the cohort's users (or one user); progress per explanation, cancellable.
   */
  compareExplanations(
    keys: string[],
    options: CompareAgreementOptions,
    onProgress: (p: { done: number; total: number }) => void,
  ): Promise<CompareAgreement>;
  /** Stops the running comparison and agreement; their promises reject with `cancelled`. */
  cancelComparison(): void;

  /**
   * User `userId`'s observed layers (surface, middle, deep), their evolution, the forecast of
   * the next window, and the layered model `modelKey`'s predicted layers (null: none). Without
   * item categories, the categories are derived from `modelKey`'s item embeddings.
   */
  userInterests(
    userId: string,
    modelKey: string | null,
    options: InterestOptionsInput,
  ): Promise<PageUserInterests>;
  /** The evolution of all users or a cohort (heavy / light: top / bottom 20 % by activity). */
  populationInterests(
    cohort: PopulationCohort,
    modelKey: string | null,
    options: InterestOptionsInput,
  ): Promise<PagePopulation>;
  /**
   * Trains the evolution model (a GRU over every user's window sequence) and checks it on each
   * user's held-out last window against "last window" and "moving average"; progress per
   * epoch, cancellable with {@link cancelInterests}.
   */
  trainEvolution(
    modelKey: string | null,
    options: EvolutionTrainCallOptions,
    onProgress: (p: { epoch: number; epochs: number; loss: number }) => void,
  ): Promise<EvolutionSummary>;
  /** The live model `modelKey`'s item embeddings in 2-D (PCA, or UMAP with progress). */
  interestMap(
    modelKey: string,
    method: 'pca' | 'umap',
    include: string[],
    onProgress: (share: number) => void,
  ): Promise<PageInterestMap>;
  /** How well the layered model's heads predict each user's next window, next to the past mix. */
  interestHeadFit(modelKey: string, options: InterestOptionsInput): Promise<PageHeadFit>;
  /** Stops the running evolution training, map or head check. */
  cancelInterests(): void;
}
