/**
 * The only module that creates the Web Worker. It wraps it with Comlink, imports only the
 * *type* of the API, and exposes plain async functions (not hooks) for src/state to call.
 *
 * Errors: every function rejects with a {@link LensError}. Its `code` tells a cancelled load
 * (`isCancelled(error)`, not a failure: say nothing or "Cancelled") from a real failure
 * (`not-a-table`, `empty`, `binary`, `no-user-item`, `no-dataset`, `no-file`,
 * `backend-unavailable`, `unknown-user`, `unknown-item`, `invalid-options`, `not-explainable`,
 * `internal`, ...; see errors.ts); its `message` is a sentence to show the user. The worker
 * puts the code in front of the message (`[cancelled] ...`) because Comlink keeps only
 * message/name/stack of a thrown Error; this module takes it off again (see errors.ts).
 *
 * Crash: a worker that dies (an uncaught error, a message it cannot read, or `killWorker()`,
 * the test hook's stand-in for an out-of-memory kill) is dropped: calls in flight reject with
 * `worker-crashed`, the next call starts a fresh worker, and every `onWorkerLost` listener is
 * told once, so src/state can restore the backend and the dataset (see state/recovery.ts).
 * There is no heartbeat: the worker is single-threaded and a long synchronous computation
 * (one wasm kernel, an item-kNN build) would read as a dead worker; the events are reliable.
 *
 * Cancel: `cancel()` is an ordinary call; the worker handles it between the awaits of the
 * running load, which then stops within one ~4 MiB chunk and rejects with `cancelled`. The
 * previous dataset stays loaded. A new load also cancels the running one first. Explanations
 * work the same way: `cancelExplanation()`, or a new `explain`/`explainHistory` call, stops the
 * running one between two of its steps and its promise rejects with `cancelled`.
 */
import * as Comlink from 'comlink';
import type {
  DatasetSummary,
  IngestProgress,
  ItemMetadataOptions,
  ParseOptions,
} from '../core/data/types';
import type { ModelId } from '../core/models/types';
import type {
  CompareAgreementOptions,
  CompareCallOptions,
  CompareProgress,
  EvolutionTrainCallOptions,
  ExplainCallOptions,
  ExplainEvent,
  ExplanationReport,
  ForeignModelProposal,
  LensWorkerApi,
  ModelCardSummary,
  TrainModelOptions,
  TrainProgress,
  WhatIfHistory,
} from './api';
import { decodeError, LensError } from './errors';

export { isCancelled, LensError, type LensErrorCode } from './errors';

/** What the client needs of a worker; a MessagePort plus `terminate` in tests. */
export interface WorkerLike extends Comlink.Endpoint {
  terminate(): void;
}

export type ProgressCallback = (progress: IngestProgress) => void;

/**
 * The functions the UI calls; one instance per worker. The worker's API as it is, except that
 * progress callbacks are optional, the cancels resolve once the worker has taken them, and a
 * hung worker can be restarted.
 */
export interface LensClient
  extends Omit<
    LensWorkerApi,
    | 'loadInteractions'
    | 'reapply'
    | 'loadItems'
    | 'cancel'
    | 'trainModel'
    | 'cancelTraining'
    | 'explain'
    | 'explainHistory'
    | 'cancelExplanation'
    | 'compareModels'
    | 'compareExplanations'
    | 'cancelComparison'
    | 'trainEvolution'
    | 'interestMap'
    | 'cancelInterests'
  > {
  loadInteractions(
    file: Blob,
    fileName: string,
    options: ParseOptions | null,
    onProgress?: ProgressCallback,
  ): Promise<DatasetSummary>;
  reapply(options: ParseOptions, onProgress?: ProgressCallback): Promise<DatasetSummary>;
  loadItems(
    file: Blob,
    fileName: string,
    options: ItemMetadataOptions | null,
    onProgress?: ProgressCallback,
  ): Promise<DatasetSummary>;
  cancel(): Promise<void>;
  trainModel(
    id: ModelId,
    options: TrainModelOptions,
    onProgress?: (p: TrainProgress) => void,
  ): Promise<ModelCardSummary>;
  cancelTraining(): Promise<void>;
  explain(
    key: string,
    userId: string,
    itemId: string | null,
    options?: ExplainCallOptions,
    onProgress?: (event: ExplainEvent) => void,
  ): Promise<ExplanationReport>;
  explainHistory(
    key: string,
    history: WhatIfHistory,
    itemId: string | null,
    options?: ExplainCallOptions,
    onProgress?: (event: ExplainEvent) => void,
  ): Promise<ExplanationReport>;
  cancelExplanation(): Promise<void>;
  compareModels(
    keys: string[],
    options?: CompareCallOptions,
    onProgress?: (p: CompareProgress) => void,
  ): ReturnType<LensWorkerApi['compareModels']>;
  compareExplanations(
    keys: string[],
    options?: CompareAgreementOptions,
    onProgress?: (p: { done: number; total: number }) => void,
  ): ReturnType<LensWorkerApi['compareExplanations']>;
  cancelComparison(): Promise<void>;
  trainEvolution(
    modelKey: string | null,
    options?: EvolutionTrainCallOptions,
    onProgress?: (p: { epoch: number; epochs: number; loss: number }) => void,
  ): ReturnType<LensWorkerApi['trainEvolution']>;
  interestMap(
    modelKey: string,
    method: 'pca' | 'umap',
    include?: string[],
    onProgress?: (share: number) => void,
  ): ReturnType<LensWorkerApi['interestMap']>;
  cancelInterests(): Promise<void>;
  restartWorker(): void;
  /**
   * Terminates the worker and takes the crash path (`worker-crashed`, then `onWorkerLost`), as
   * if it had died: what the test hook calls to prove recovery without running out of memory.
   */
  killWorker(): void;
  /** Calls `listener` each time the worker dies (not on `restartWorker`); returns the unsubscribe. */
  onWorkerLost(listener: (error: LensError) => void): () => void;
}

const noProgress: ProgressCallback = () => undefined;

/**
 * Builds a client around `spawn` (called lazily on the first call, and again after
 * `restartWorker`). Calls in flight when the worker dies or is restarted reject instead of
 * hanging forever.
 */
export function createLensClient(spawn: () => WorkerLike): LensClient {
  let worker: WorkerLike | null = null;
  let remote: Comlink.Remote<LensWorkerApi> | null = null;
  const inFlight = new Set<(error: LensError) => void>();
  const lostListeners = new Set<(error: LensError) => void>();

  function failAll(error: LensError): void {
    for (const reject of [...inFlight]) reject(error);
    inFlight.clear();
  }

  /** Forgets the current worker (the next call spawns a fresh one) and rejects its calls. */
  function drop(error: LensError): void {
    // No releaseProxy: its round trip would never be answered by a terminated worker.
    const old = worker;
    worker = null;
    remote = null;
    old?.terminate();
    failAll(error);
  }

  /**
   * The crash path: `dead` stopped (or can no longer be trusted). A worker already replaced
   * is ignored, so one death is reported once even when it fires several events.
   */
  function lost(dead: WorkerLike, reason: string): void {
    if (dead !== worker) return;
    const error = new LensError('worker-crashed', `The background worker stopped (${reason}).`);
    drop(error);
    for (const listener of [...lostListeners]) listener(error);
  }

  function connection(): Comlink.Remote<LensWorkerApi> {
    if (remote) return remote;
    const spawned = spawn();
    // An uncaught error in the worker leaves its state unknown (a half-done load, a wasm
    // trap): it is treated as a death rather than trusted with the next call.
    spawned.addEventListener('error', (event) => {
      lost(spawned, (event as ErrorEvent).message || 'its script failed');
    });
    // A reply that cannot be deserialised would leave its call waiting forever.
    spawned.addEventListener('messageerror', () => {
      lost(spawned, 'a message from it could not be read');
    });
    worker = spawned;
    remote = Comlink.wrap<LensWorkerApi>(spawned);
    return remote;
  }

  function call<T>(invoke: (api: Comlink.Remote<LensWorkerApi>) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      inFlight.add(reject);
      let pending: Promise<T>;
      try {
        pending = invoke(connection());
      } catch (error) {
        pending = Promise.reject(error);
      }
      pending
        .then(resolve, (error: unknown) => reject(decodeError(error)))
        .finally(() => {
          inFlight.delete(reject);
        });
    });
  }

  const progressProxy = (onProgress: ProgressCallback | undefined) =>
    Comlink.proxy(onProgress ?? noProgress);

  return {
    initBackend: (preferred) => call((api) => api.initBackend(preferred)),
    setBackend: (name) => call((api) => api.setBackend(name)),
    smokeCompute: () => call((api) => api.smokeCompute()),
    detect: (file, fileName) => call((api) => api.detect(file, fileName)),
    loadInteractions: (file, fileName, options, onProgress) =>
      call((api) => api.loadInteractions(file, fileName, options, progressProxy(onProgress))),
    reapply: (options, onProgress) =>
      call((api) => api.reapply(options, progressProxy(onProgress))),
    loadItems: (file, fileName, options, onProgress) =>
      call((api) => api.loadItems(file, fileName, options, progressProxy(onProgress))),
    async cancel() {
      // Nothing to cancel before the worker exists; do not start one just for this.
      if (remote) await call((api) => api.cancel());
    },
    rejectedRowsCsv: () => call((api) => api.rejectedRowsCsv()),
    listVariants: () => call((api) => api.listVariants()),
    trainModel: (id, options, onProgress) =>
      call((api) => api.trainModel(id, options, Comlink.proxy(onProgress ?? (() => undefined)))),
    async cancelTraining() {
      if (remote) await call((api) => api.cancelTraining());
    },
    recommend: (key, userId, k) => call((api) => api.recommend(key, userId, k)),
    searchUsers: (query, limit) => call((api) => api.searchUsers(query, limit)),
    saveModel: (key, name) => call((api) => api.saveModel(key, name)),
    listSavedModels: () => call((api) => api.listSavedModels()),
    renameSavedModel: (key, name) => call((api) => api.renameSavedModel(key, name)),
    deleteSavedModel: (key) => call((api) => api.deleteSavedModel(key)),
    loadSavedModel: (key) => call((api) => api.loadSavedModel(key)),
    exportModel: (key) => call((api) => api.exportModel(key)),
    deriveInt8: (key) => call((api) => api.deriveInt8(key)),
    importModel: (modelJson, weightsBin, options) =>
      call((api) => api.importModel(modelJson, weightsBin, options)),
    proposeForeignModel: (files) =>
      call<ForeignModelProposal>(
        (api) => api.proposeForeignModel(files) as Promise<ForeignModelProposal>,
      ),
    importForeignModel: (files, options) => call((api) => api.importForeignModel(files, options)),
    userTimeline: (modelKey, userId) => call((api) => api.userTimeline(modelKey, userId)),
    searchItems: (query, limit) => call((api) => api.searchItems(query, limit)),
    recommendHistory: (key, history, k) => call((api) => api.recommendHistory(key, history, k)),
    rankItem: (key, userId, itemId, history) =>
      call((api) => api.rankItem(key, userId, itemId, history)),
    lossTrajectory: (id, options) => call((api) => api.lossTrajectory(id, options)),
    explain: (key, userId, itemId, options, onProgress) =>
      call((api) =>
        api.explain(
          key,
          userId,
          itemId,
          options ?? {},
          Comlink.proxy(onProgress ?? (() => undefined)),
        ),
      ),
    explainHistory: (key, history, itemId, options, onProgress) =>
      call((api) =>
        api.explainHistory(
          key,
          history,
          itemId,
          options ?? {},
          Comlink.proxy(onProgress ?? (() => undefined)),
        ),
      ),
    async cancelExplanation() {
      if (remote) await call((api) => api.cancelExplanation());
    },
    compareModels: (keys, options, onProgress) =>
      call((api) =>
        api.compareModels(keys, options ?? {}, Comlink.proxy(onProgress ?? (() => undefined))),
      ),
    compareLists: (keys, userId) => call((api) => api.compareLists(keys, userId)),
    compareExplanations: (keys, options, onProgress) =>
      call((api) =>
        api.compareExplanations(
          keys,
          options ?? {},
          Comlink.proxy(onProgress ?? (() => undefined)),
        ),
      ),
    async cancelComparison() {
      if (remote) await call((api) => api.cancelComparison());
    },
    userInterests: (userId, modelKey, options) =>
      call((api) => api.userInterests(userId, modelKey, options ?? {})),
    populationInterests: (cohort, modelKey, options) =>
      call((api) => api.populationInterests(cohort, modelKey, options ?? {})),
    trainEvolution: (modelKey, options, onProgress) =>
      call((api) =>
        api.trainEvolution(modelKey, options ?? {}, Comlink.proxy(onProgress ?? (() => undefined))),
      ),
    interestMap: (modelKey, method, include, onProgress) =>
      call((api) =>
        api.interestMap(
          modelKey,
          method,
          include ?? [],
          Comlink.proxy(onProgress ?? (() => undefined)),
        ),
      ),
    interestHeadFit: (modelKey, options) =>
      call((api) => api.interestHeadFit(modelKey, options ?? {})),
    async cancelInterests() {
      if (remote) await call((api) => api.cancelInterests());
    },
    restartWorker() {
      drop(
        new LensError(
          'worker-restarted',
          'The background worker was restarted; the loaded dataset is gone.',
        ),
      );
    },
    killWorker() {
      if (worker) lost(worker, 'it was terminated');
    },
    onWorkerLost(listener) {
      lostListeners.add(listener);
      return () => {
        lostListeners.delete(listener);
      };
    },
  };
}

/** Vite bundles the worker because of this exact `new Worker(new URL(...))` pattern. */
function spawnLensWorker(): WorkerLike {
  return new Worker(new URL('./lens.worker.ts', import.meta.url), {
    type: 'module',
    name: 'interest-lens',
  });
}

const client = createLensClient(spawnLensWorker);

/** Starts TF.js in the worker on the best backend here; `preferred` is tried first. */
export const initBackend = client.initBackend;
/** Switches to the backend the user picked; rejects (`backend-unavailable`) if it cannot run. */
export const setBackend = client.setBackend;
/** The fixed matmul + softmax on the current backend, for comparing backends. */
export const smokeCompute = client.smokeCompute;
/** Detects delimiter, header, encoding and column roles from the first bytes of a file. */
export const detect = client.detect;
/** Loads an interaction file (detected options when `options` is null), with progress. */
export const loadInteractions = client.loadInteractions;
/** Re-parses the last interaction file with edited options, without re-uploading it. */
export const reapply = client.reapply;
/** Joins an item metadata file onto the loaded dataset; rejects `no-dataset` without one. */
export const loadItems = client.loadItems;
/** Cancels the running load; its promise rejects with a cancelled LensError. */
export const cancel = client.cancel;
/** Every rejected row of the current interaction file, as CSV text for download. */
export const rejectedRowsCsv = client.rejectedRowsCsv;
/** The model variants the worker can train. */
export const listVariants = client.listVariants;
/** Trains a variant on the shared split, with throttled progress; rejects `cancelled` on cancel. */
export const trainModel = client.trainModel;
/** Stops the running training within one batch; the previous model of that variant stays. */
export const cancelTraining = client.cancelTraining;
/** Top-K unseen items for a user (original id) from a live model. */
export const recommend = client.recommend;
/** User ids matching a query, most active first; an empty query lists the most active users. */
export const searchUsers = client.searchUsers;
/** Saves a live model in the browser (IndexedDB). */
export const saveModel = client.saveModel;
/** The models saved in this browser. */
export const listSavedModels = client.listSavedModels;
/** Renames a saved model. */
export const renameSavedModel = client.renameSavedModel;
/** Deletes a saved model. */
export const deleteSavedModel = client.deleteSavedModel;
/** Restores a saved model onto the loaded dataset (refused with the reason when it does not fit). */
export const loadSavedModel = client.loadSavedModel;
/** A live model's `model.json` text and `weights.bin` bytes, for download. */
export const exportModel = client.exportModel;
/** Derives and evaluates the int8 variant of a live neural model (live as `<key>-int8`). */
export const deriveInt8 = client.deriveInt8;
/** Restores a model from its two files (`bundled`: the model shipped for the sample). */
export const importModel = client.importModel;
/** Reads a model from another engine (Keras, graph, ALS tables) and proposes its mapping. */
export const proposeForeignModel = client.proposeForeignModel;
/** Imports a model from another engine onto the loaded data (evaluated, live). */
export const importForeignModel = client.importForeignModel;
/** A user's whole history for the timeline, with the items the model reads marked. */
export const userTimeline = client.userTimeline;
/** Items matching an id or title, most interacted first (the what-if "add" search). */
export const searchItems = client.searchItems;
/** Top-K unseen items for an edited history (what-if). */
export const recommendHistory = client.recommendHistory;
/** Score and rank of one item for a user's history or an edited one. */
export const rankItem = client.rankItem;
/** Per-batch losses of a short seeded training run on the current backend (test hook). */
export const lossTrajectory = client.lossTrajectory;
/**
 * Why a live model recommends an item (null: its top-1) to a user, over the user's whole
 * history: streams `started`, then each method as it finishes, the counterfactual and the
 * faithfulness curves, and resolves with the whole report (item ids, the CLI's JSON). A newer
 * explain call cancels this one (it rejects with `cancelled`).
 */
export const explain = client.explain;
/** The same as {@link explain} for an edited history (what-if; item ids oldest first). */
export const explainHistory = client.explainHistory;
/** Stops the running explanation; its promise rejects with a cancelled LensError. */
export const cancelExplanation = client.cancelExplanation;
/** Compares 2-4 live models (metrics with CIs, paired tests, overlap), over a cohort. */
export const compareModels = client.compareModels;
/** One user's top-10 of each compared model, for the bump chart. */
export const compareLists = client.compareLists;
/** Whether the compared models explain alike, over a seeded sample of users (cancellable). */
export const compareExplanations = client.compareExplanations;
/** Stops the running comparison and explanation agreement. */
export const cancelComparison = client.cancelComparison;
/** A user's observed and predicted interest layers, their evolution and forecast. */
export const userInterests = client.userInterests;
/** The evolution of all users or a cohort. */
export const populationInterests = client.populationInterests;
/** Trains the evolution model with progress; cancel with `cancelInterests`. */
export const trainEvolution = client.trainEvolution;
/** A model's item embeddings in 2-D (PCA or UMAP). */
export const interestMap = client.interestMap;
/** How well the layered model's heads predict each user's next window. */
export const interestHeadFit = client.interestHeadFit;
/** Stops the running evolution training, map or head check. */
export const cancelInterests = client.cancelInterests;
/**
 * Last resort for a hung worker: terminates it and starts a fresh one on the next call.
 * Everything the worker held is lost: the dataset, trained models and the TF.js backend; call
 * `initBackend` again and reload the file. Calls in flight reject with `worker-restarted`.
 */
export const restartWorker = client.restartWorker;
/** Terminates the worker as a crash would (test hook); `onWorkerLost` listeners are told. */
export const killWorker = client.killWorker;
/** Subscribes to the worker's deaths (not to `restartWorker`); returns the unsubscribe. */
export const onWorkerLost = client.onWorkerLost;
