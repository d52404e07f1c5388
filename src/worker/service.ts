/**
 * The worker's implementation of {@link LensWorkerApi}: holds the one source of truth for the
 * loaded file, dataset and backend, and runs one load at a time with cancel. The functions it
 * calls are injected, so the same code runs in the worker (real ingest and TF.js) and in Node
 * tests (fakes that can be paused and cancelled at will).
 */
import type { BackendName, BackendReport } from '../core/backend/types';
import type {
  ByteSource,
  Dataset,
  DatasetSummary,
  Detection,
  IngestProgress,
  IngestReport,
  ItemMetadataOptions,
  ItemMetadataSummary,
  Notice,
  ParseOptions,
  RejectedRow,
} from '../core/data/types';
import type { LensWorkerApi, SmokeResult } from './api';
import { encodeError, LensError } from './errors';
import { createModelService, type ModelServiceDeps } from './modelService';
import { throttleProgress } from './progress';

interface Hooks {
  onProgress?: (progress: IngestProgress) => void;
  signal?: AbortSignal;
}

/** Ingest hooks of an interaction file: the page loads a user sample rather than refuse. */
interface InteractionHooks extends Hooks {
  sampleIfTooLarge?: boolean;
}

/** What the service needs from src/core; shaped after src/core/data and src/core/backend. */
export interface LensServiceDeps {
  blobSource(blob: Blob, name: string): ByteSource;
  detectFormat(source: ByteSource): Promise<Detection>;
  ingestInteractions(
    source: ByteSource,
    options: ParseOptions | null,
    hooks?: InteractionHooks,
  ): Promise<{
    dataset: Dataset;
    report: IngestReport;
    detection: Detection;
    rejectedRows: RejectedRow[];
    rejectedRowsTruncated: number;
  }>;
  ingestItemMetadata(
    source: ByteSource,
    options: ItemMetadataOptions | null,
    dataset: Dataset,
    hooks?: Hooks,
  ): Promise<{ dataset: Dataset; summary: ItemMetadataSummary; rejectedRows: RejectedRow[] }>;
  summarizeDataset(
    dataset: Dataset,
    report: IngestReport,
    detection: Detection,
    fileName: string,
    metadata: ItemMetadataSummary | null,
  ): DatasetSummary;
  rejectedRowsToCsv(rows: RejectedRow[]): string;
  initBackend(preferred?: BackendName): Promise<BackendReport>;
  forceBackend(name: BackendName): Promise<BackendReport>;
  smokeValues(): Promise<number[]>;
  activeBackend(): BackendName | null;
}

/** The interaction file as loaded, and everything derived from it. */
interface Loaded {
  file: Blob;
  fileName: string;
  /** The interactions alone, before any metadata join (reapply/re-join start from here). */
  baseDataset: Dataset;
  dataset: Dataset;
  report: IngestReport;
  detection: Detection;
  rejectedRows: RejectedRow[];
  items: { file: Blob; fileName: string; summary: ItemMetadataSummary } | null;
}

const cancelledError = () => new LensError('cancelled', 'Loading was cancelled.');

/**
 * Builds the API object the worker exposes; every method rejects with an encoded error.
 * `modelDeps` wires training and persistence (see modelService.ts); without it the model
 * methods reject, which is all the ingest tests need.
 */
export function createLensService(
  deps: LensServiceDeps,
  modelDeps: ModelServiceDeps | null = null,
): LensWorkerApi {
  let loaded: Loaded | null = null;
  const models = createModelService(modelDeps ?? missingModelDeps(), () =>
    loaded
      ? { dataset: loaded.dataset, baseDataset: loaded.baseDataset, fileName: loaded.fileName }
      : null,
  );
  let running: { controller: AbortController; done: Promise<unknown> } | null = null;

  /** Runs one load: cancels and waits out the previous one, and never commits if cancelled. */
  async function exclusiveLoad<T>(
    onProgress: ((p: IngestProgress) => void) | null | undefined,
    work: (hooks: Hooks) => Promise<T>,
  ): Promise<T> {
    // Claim the slot synchronously, so a third load waits for this one, not the one before.
    const previous = running;
    previous?.controller.abort();
    const controller = new AbortController();
    const progress = throttleProgress(onProgress);
    const task = (async () => {
      if (previous) await previous.done.catch(() => undefined);
      if (controller.signal.aborted) throw cancelledError();
      // `work` checks the signal right before it commits, with no await in between.
      const result = await work({ onProgress: progress.update, signal: controller.signal });
      progress.flush();
      return result;
    })();
    const mine = { controller, done: task };
    running = mine;
    try {
      return await task;
    } finally {
      if (running === mine) running = null;
    }
  }

  function summarize(state: Loaded): DatasetSummary {
    return deps.summarizeDataset(
      state.dataset,
      state.report,
      state.detection,
      state.fileName,
      state.items?.summary ?? null,
    );
  }

  /** Parses `file` and, when a metadata file was joined before, joins it again. */
  async function parseInteractions(
    file: Blob,
    fileName: string,
    options: ParseOptions | null,
    items: Loaded['items'],
    hooks: Hooks,
  ): Promise<DatasetSummary> {
    // Above what a tab holds, a user-hash sample that fits is loaded instead of refusing the
    // file; the summary's report and notice say which share of users was kept, and how.
    const result = await deps.ingestInteractions(deps.blobSource(file, fileName), options, {
      ...hooks,
      sampleIfTooLarge: true,
    });
    const next: Loaded = {
      file,
      fileName,
      baseDataset: result.dataset,
      dataset: result.dataset,
      report: result.report,
      detection: result.detection,
      rejectedRows: result.rejectedRows,
      items: null,
    };
    const notices: Notice[] = [];
    if (result.rejectedRowsTruncated > 0) {
      notices.push({
        level: 'warning',
        code: 'rejected-rows-truncated',
        message: `${result.rejectedRowsTruncated} further rejected rows are counted but not listed in the download.`,
      });
    }
    if (items) {
      try {
        const joined = await deps.ingestItemMetadata(
          deps.blobSource(items.file, items.fileName),
          items.summary.options,
          result.dataset,
          hooks,
        );
        next.dataset = joined.dataset;
        next.items = { ...items, summary: joined.summary };
      } catch (error) {
        if (hooks.signal?.aborted) throw error;
        notices.push({
          level: 'warning',
          code: 'metadata-dropped',
          message: `Item metadata from ${items.fileName} could not be joined again: ${(error as Error).message}`,
        });
      }
    }
    if (hooks.signal?.aborted) throw cancelledError();
    next.report = { ...next.report, notices: [...next.report.notices, ...notices] };
    const summary = summarize(next);
    loaded = next;
    return summary;
  }

  const api: LensWorkerApi = {
    initBackend: (preferred) => deps.initBackend(preferred),
    setBackend: (name) => deps.forceBackend(name),
    async smokeCompute(): Promise<SmokeResult> {
      if (deps.activeBackend() === null) await deps.initBackend();
      const values = await deps.smokeValues();
      return { backend: deps.activeBackend() ?? 'cpu', values };
    },
    detect: (file, fileName) => deps.detectFormat(deps.blobSource(file, fileName)),
    loadInteractions: (file, fileName, options, onProgress) =>
      // A new file starts without metadata: it was joined onto the old file's items.
      exclusiveLoad(onProgress, (hooks) => parseInteractions(file, fileName, options, null, hooks)),
    reapply: (options, onProgress) =>
      exclusiveLoad(onProgress, (hooks) => {
        const current = loaded;
        if (!current) {
          throw new LensError(
            'no-file',
            'There is no interaction file to re-parse: load one first.',
          );
        }
        return parseInteractions(current.file, current.fileName, options, current.items, hooks);
      }),
    loadItems: (file, fileName, options, onProgress) =>
      exclusiveLoad(onProgress, async (hooks) => {
        const current = loaded;
        if (!current) {
          throw new LensError(
            'no-dataset',
            'Load an interaction file before joining item metadata to it.',
          );
        }
        const joined = await deps.ingestItemMetadata(
          deps.blobSource(file, fileName),
          options,
          current.baseDataset,
          hooks,
        );
        if (hooks.signal?.aborted) throw cancelledError();
        const next: Loaded = {
          ...current,
          dataset: joined.dataset,
          items: { file, fileName, summary: joined.summary },
        };
        const summary = summarize(next);
        loaded = next;
        return summary;
      }),
    cancel() {
      running?.controller.abort();
    },
    async rejectedRowsCsv() {
      if (!loaded) throw new LensError('no-dataset', 'No dataset is loaded yet.');
      return deps.rejectedRowsToCsv(loaded.rejectedRows);
    },
    ...models,
  };
  return withEncodedErrors(api);
}

/** Model deps for a service built without them: every model call says so. */
function missingModelDeps(): ModelServiceDeps {
  const fail = (): never => {
    throw new LensError('internal', 'This worker was built without model training.');
  };
  return new Proxy({} as ModelServiceDeps, { get: () => fail });
}

/** Wraps every async method so what it throws keeps its code across Comlink (see errors.ts). */
function withEncodedErrors(api: LensWorkerApi): LensWorkerApi {
  const wrapped = {} as Record<string, unknown>;
  for (const [name, method] of Object.entries(api) as [string, (...args: unknown[]) => unknown][]) {
    wrapped[name] = (...args: unknown[]) => {
      try {
        const result = method(...args);
        return result instanceof Promise
          ? result.catch((error: unknown) => Promise.reject(encodeError(error)))
          : result;
      } catch (error) {
        throw encodeError(error);
      }
    };
  }
  return wrapped as unknown as LensWorkerApi;
}
