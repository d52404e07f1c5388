/**
 * The one RPC surface of the Web Worker (exposed with Comlink in `lens.worker.ts`,
 * wrapped by `client.ts`). The UI imports only these *types*; the dataset, the File and
 * every tensor stay in the worker.
 */
import type { BackendName, BackendReport } from '../core/backend/types';
import type {
  DatasetSummary,
  Detection,
  IngestProgress,
  ItemMetadataOptions,
  ParseOptions,
} from '../core/data/types';

/** Result of the small computation used to compare backends (e.g. webgpu vs wasm). */
export interface SmokeResult {
  backend: BackendName;
  values: number[];
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
}
