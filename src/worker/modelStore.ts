/**
 * Saved models in the browser's IndexedDB: list, save, load, rename, delete. A thin wrapper:
 * validation, summaries and renaming are the pure functions of `core/persist/summary`, tested
 * in Node. Two object stores keep listing cheap: `summaries` (small, listed) and `files`
 * (model.json + weights.bin, read only on load).
 *
 * Failures of the browser's storage are `storage` {@link LensError}s with one sentence saying
 * what to do: a full quota (Chrome's and the spec's `QuotaExceededError`, Firefox's older
 * `NS_ERROR_DOM_QUOTA_REACHED`) and a store the browser will not open (no IndexedDB, a
 * private window, storage disabled: `SecurityError`, `InvalidStateError`, ...) each have their
 * own. The IndexedDB factory is injectable so Node tests can play those browsers.
 */
import {
  checkModelName,
  renameModelJson,
  type SavedModelSummary,
  summarizeSavedModel,
} from '../core/persist/summary';
import { LensError } from './errors';

export type { SavedModelSummary };

const DB_VERSION = 1;
const FILES = 'files';
const SUMMARIES = 'summaries';

interface StoredFiles {
  modelJson: string;
  weightsBin: Uint8Array;
}

export interface ModelStore {
  /** Every saved model, newest first. */
  list(): Promise<SavedModelSummary[]>;
  /** Validates the files (a broken file is never stored) and saves them under a new key. */
  save(modelJson: string, weightsBin: Uint8Array): Promise<SavedModelSummary>;
  load(key: string): Promise<{ modelJson: string; weightsBin: Uint8Array }>;
  /** Renames in the list and inside the saved model.json, so an export carries the new name. */
  rename(key: string, name: string): Promise<void>;
  remove(key: string): Promise<void>;
}

/** Said when the origin's storage quota is used up. */
export const STORAGE_FULL =
  "The browser's storage for this page is full: delete saved models or free disk space, then save again.";
/** Said when the browser will not give the page a model store at all. */
export const STORAGE_UNAVAILABLE =
  'This browser does not let the page store models (private window or storage disabled): export the model files instead.';

/** True for the browsers' ways of saying the quota is used up. */
export function isQuotaError(error: unknown): boolean {
  const { name, code } = (error ?? {}) as { name?: unknown; code?: unknown };
  // 22 is the legacy DOMException.QUOTA_EXCEEDED_ERR code, still set by some engines.
  return name === 'QuotaExceededError' || name === 'NS_ERROR_DOM_QUOTA_REACHED' || code === 22;
}

/**
 * A storage failure as the sentence the UI shows: a full quota, or anything else the store
 * threw (an unknown failure keeps the browser's own words after ours).
 */
export function storageError(error: unknown): LensError {
  if (error instanceof LensError) return error;
  if (isQuotaError(error)) return new LensError('storage', STORAGE_FULL);
  const detail = error instanceof Error && error.message ? ` (${error.message})` : '';
  return new LensError('storage', `The browser's model store failed${detail}.`);
}

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(storageError(req.error));
  });
}

/** Resolves when the transaction commits; a quota failure becomes a sentence the UI can show. */
function committed(tx: IDBTransaction): Promise<void> {
  const done = new Promise<void>((resolve, reject) => {
    tx.oncomplete = () => resolve();
    const fail = () =>
      reject(
        tx.error
          ? storageError(tx.error)
          : new LensError('storage', 'The browser aborted the change to the saved models.'),
      );
    tx.onerror = fail;
    tx.onabort = fail;
  });
  // Awaited by the caller; marked handled so a put that throws before the await leaves no
  // unhandled rejection behind.
  done.catch(() => undefined);
  return done;
}

/** Runs one operation of the store; whatever it throws becomes a `storage` LensError. */
async function guarded<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw storageError(error);
  }
}

function newKey(): string {
  const random = globalThis.crypto?.randomUUID?.();
  return `model-${random ?? `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`}`;
}

function missing(key: string): LensError {
  return new LensError(
    'storage',
    `No saved model with key ${key}; it may have been deleted in another tab.`,
  );
}

/** The store could not be opened: full (some browsers say so on open) or not offered at all. */
function unavailable(error: unknown): LensError {
  return new LensError('storage', isQuotaError(error) ? STORAGE_FULL : STORAGE_UNAVAILABLE);
}

/**
 * Opens (creating on first use) the model store of this origin. `factory` is the browser's
 * IndexedDB unless a test passes a fake; undefined means the browser offers none.
 */
export function openModelStore(
  dbName = 'interest-lens',
  factory: IDBFactory | undefined = globalThis.indexedDB,
): Promise<ModelStore> {
  if (!factory) return Promise.reject(unavailable(null));
  return new Promise((resolve, reject) => {
    let open: IDBOpenDBRequest;
    try {
      // Throws SecurityError where storage is denied (opaque origins, some privacy settings).
      open = factory.open(dbName, DB_VERSION);
    } catch (error) {
      reject(unavailable(error));
      return;
    }
    open.onupgradeneeded = () => {
      const db = open.result;
      if (!db.objectStoreNames.contains(FILES)) db.createObjectStore(FILES);
      if (!db.objectStoreNames.contains(SUMMARIES)) db.createObjectStore(SUMMARIES);
    };
    // Private windows of some browsers fail the open itself (InvalidStateError, UnknownError).
    open.onerror = () => reject(unavailable(open.error));
    // Another tab holds an older version open and does not let go: nothing can be stored now.
    open.onblocked = () =>
      reject(
        new LensError(
          'storage',
          'Another tab of this page holds the model store open with an older version: close it, then try again.',
        ),
      );
    open.onsuccess = () => {
      const db = open.result;
      db.onversionchange = () => db.close();
      resolve(storeOn(db));
    };
  });
}

function storeOn(db: IDBDatabase): ModelStore {
  return {
    list: () =>
      guarded(async () => {
        const tx = db.transaction(SUMMARIES, 'readonly');
        const all = (await request(tx.objectStore(SUMMARIES).getAll())) as SavedModelSummary[];
        return all.sort((a, b) => b.savedAt.localeCompare(a.savedAt));
      }),

    async save(modelJson, weightsBin) {
      const key = newKey();
      // Outside `guarded`: a model file that does not validate keeps its own error.
      const summary = summarizeSavedModel(key, modelJson, weightsBin, new Date().toISOString());
      // Store exactly the bytes of the view, not a larger buffer behind it.
      const bin =
        weightsBin.byteOffset === 0 && weightsBin.byteLength === weightsBin.buffer.byteLength
          ? weightsBin
          : weightsBin.slice();
      return guarded(async () => {
        const tx = db.transaction([FILES, SUMMARIES], 'readwrite');
        const done = committed(tx);
        tx.objectStore(FILES).put({ modelJson, weightsBin: bin } satisfies StoredFiles, key);
        tx.objectStore(SUMMARIES).put(summary, key);
        await done;
        return summary;
      });
    },

    load: (key) =>
      guarded(async () => {
        const tx = db.transaction(FILES, 'readonly');
        const files = (await request(tx.objectStore(FILES).get(key))) as StoredFiles | undefined;
        if (!files) throw missing(key);
        return { modelJson: files.modelJson, weightsBin: files.weightsBin };
      }),

    async rename(key, name) {
      const checked = checkModelName(name);
      await guarded(async () => {
        const tx = db.transaction([FILES, SUMMARIES], 'readwrite');
        const done = committed(tx);
        const files = tx.objectStore(FILES);
        const summaries = tx.objectStore(SUMMARIES);
        const stored = (await request(files.get(key))) as StoredFiles | undefined;
        const summary = (await request(summaries.get(key))) as SavedModelSummary | undefined;
        if (!stored || !summary) {
          tx.abort();
          await done.catch(() => {});
          throw missing(key);
        }
        const modelJson = renameModelJson(stored.modelJson, checked);
        files.put({ ...stored, modelJson } satisfies StoredFiles, key);
        summaries.put({ ...summary, name: checked }, key);
        await done;
      });
    },

    remove: (key) =>
      guarded(async () => {
        const tx = db.transaction([FILES, SUMMARIES], 'readwrite');
        const done = committed(tx);
        tx.objectStore(FILES).delete(key);
        tx.objectStore(SUMMARIES).delete(key);
        await done;
      }),
  };
}
