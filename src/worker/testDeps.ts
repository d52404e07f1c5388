/**
 * Fake src/core functions for the worker tests: an ingest that reports progress over several
 * "chunks", honours the abort signal between them like the real one, and can be told to fail.
 * Test support only; nothing in the app imports it.
 */
import type { BackendName, BackendReport } from '../core/backend/types';
import {
  type ByteSource,
  type Dataset,
  type DatasetSummary,
  type Detection,
  IngestError,
  type IngestProgress,
  type IngestReport,
  type ItemMetadataSummary,
  type RejectedRow,
} from '../core/data/types';
import { decodeError, type LensError } from './errors';
import type { LensServiceDeps } from './service';

export interface FakeControls {
  /** Chunks per ingest; each waits `chunkMs`. */
  chunks: number;
  chunkMs: number;
  /** When set, the next ingest of a file with this name fails with this IngestError code. */
  failWith: { fileName: string; code: 'not-a-table' | 'empty' } | null;
  ingestCalls: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function chunked(
  source: ByteSource,
  controls: FakeControls,
  hooks: { onProgress?: (p: IngestProgress) => void; signal?: AbortSignal } | undefined,
): Promise<void> {
  for (let chunk = 1; chunk <= controls.chunks; chunk++) {
    if (hooks?.signal?.aborted) throw new IngestError('Loading was cancelled.', 'cancelled');
    await sleep(controls.chunkMs);
    hooks?.onProgress?.({
      phase: 'reading',
      bytesRead: Math.round((source.size * chunk) / controls.chunks),
      totalBytes: source.size,
      rows: chunk * 10,
    });
  }
  if (hooks?.signal?.aborted) throw new IngestError('Loading was cancelled.', 'cancelled');
}

/** A dataset whose only meaningful field is the file it came from (in `userIds[0]`). */
function fakeDataset(fileName: string, titles: string | null = null): Dataset {
  return { userIds: [fileName], itemTitle: [titles] } as unknown as Dataset;
}

export function createFakeDeps(): { deps: LensServiceDeps; controls: FakeControls } {
  const controls: FakeControls = { chunks: 5, chunkMs: 2, failWith: null, ingestCalls: 0 };
  let backend: BackendName | null = null;
  const report = (name: BackendName): BackendReport => ({
    backend: name,
    reason: `${name}: fake`,
    forced: false,
    candidates: [],
    adapter: null,
    smoke: { ok: true, ms: 1, maxAbsError: 0 },
  });
  const deps: LensServiceDeps = {
    blobSource: (blob, name) => ({
      name,
      size: blob.size,
      read: async (start, end) => new Uint8Array(await blob.slice(start, end).arrayBuffer()),
    }),
    detectFormat: async (source) =>
      ({
        delimiter: ',',
        notices: [],
        columns: [{ index: 0, name: source.name, samples: [] }],
      }) as unknown as Detection,
    async ingestInteractions(source, options, hooks) {
      controls.ingestCalls++;
      if (controls.failWith?.fileName === source.name) {
        throw new IngestError(`${source.name} is not a table.`, controls.failWith.code);
      }
      await chunked(source, controls, hooks);
      const rejectedRows: RejectedRow[] = [
        { line: 3, reason: 'missing_user', detail: `in ${source.name}`, fields: ['', 'i1'] },
      ];
      return {
        dataset: fakeDataset(source.name),
        report: { notices: [], options, bytes: source.size } as unknown as IngestReport,
        detection: {} as Detection,
        rejectedRows,
        rejectedRowsTruncated: 0,
      };
    },
    async ingestItemMetadata(source, _options, dataset, hooks) {
      await chunked(source, controls, hooks);
      const summary = { fileName: source.name, options: { item: 0 } } as ItemMetadataSummary;
      return { dataset: fakeDataset(dataset.userIds[0], source.name), summary, rejectedRows: [] };
    },
    summarizeDataset: (dataset, report, _detection, fileName, metadata) =>
      ({
        fileName,
        users: dataset.userIds.length,
        report,
        metadata,
        itemsWithTitle: dataset.itemTitle.filter((t) => t !== null).length,
      }) as unknown as DatasetSummary,
    rejectedRowsToCsv: (rows) => rows.map((r) => `${r.line},${r.reason},${r.detail}`).join('\n'),
    initBackend: async (preferred) => {
      backend = preferred ?? 'wasm';
      return report(backend);
    },
    forceBackend: async (name) => {
      backend = name;
      return report(name);
    },
    smokeValues: async () => [0.25, 0.75],
    activeBackend: () => backend,
  };
  return { deps, controls };
}

/**
 * The error a worker call rejects with, decoded as the page decodes it; a call that resolves
 * gives an error saying a rejection was expected (so the test's assertions on it fail).
 */
export async function failure(promise: Promise<unknown>): Promise<LensError> {
  const error = await promise.then(
    () => new Error('expected a rejection'),
    (e: unknown) => e,
  );
  return decodeError(error);
}
