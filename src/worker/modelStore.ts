/**
 * Saved models in the browser's IndexedDB: list, save, load, rename, delete. A thin wrapper:
 * validation, summaries and renaming are the pure functions of `core/persist/summary`, tested
 * in Node. Two object stores keep listing cheap: `summaries` (small, listed) and `files`
 * (model.json + weights.bin, read only on load).
 */
import {
  checkModelName,
  renameModelJson,
  type SavedModelSummary,
  summarizeSavedModel,
} from '../core/persist/summary';

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

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

/** Resolves when the transaction commits; a quota failure becomes a sentence the UI can show. */
function committed(tx: IDBTransaction, bytes = 0): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    const fail = () => {
      const error = tx.error;
      if (error?.name === 'QuotaExceededError') {
        const mb = (bytes / 1e6).toFixed(1);
        reject(
          new Error(
            `The browser refused to store ${mb} MB (storage quota full); delete saved models or export this one to files.`,
          ),
        );
      } else reject(error ?? new Error('The browser aborted the model store transaction.'));
    };
    tx.onerror = fail;
    tx.onabort = fail;
  });
}

function newKey(): string {
  const random = globalThis.crypto?.randomUUID?.();
  return `model-${random ?? `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`}`;
}

function missing(key: string): Error {
  return new Error(`No saved model with key ${key}; it may have been deleted in another tab.`);
}

/** Opens (creating on first use) the model store of this origin. */
export function openModelStore(dbName = 'interest-lens'): Promise<ModelStore> {
  if (typeof indexedDB === 'undefined') {
    return Promise.reject(
      new Error(
        'This browser offers no IndexedDB, so models cannot be saved here; export them to files instead.',
      ),
    );
  }
  return new Promise((resolve, reject) => {
    const open = indexedDB.open(dbName, DB_VERSION);
    open.onupgradeneeded = () => {
      const db = open.result;
      if (!db.objectStoreNames.contains(FILES)) db.createObjectStore(FILES);
      if (!db.objectStoreNames.contains(SUMMARIES)) db.createObjectStore(SUMMARIES);
    };
    open.onerror = () => reject(open.error);
    open.onblocked = () =>
      reject(
        new Error(
          'The model store is blocked by another tab with an older version; close it and retry.',
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
    async list() {
      const tx = db.transaction(SUMMARIES, 'readonly');
      const all = (await request(tx.objectStore(SUMMARIES).getAll())) as SavedModelSummary[];
      return all.sort((a, b) => b.savedAt.localeCompare(a.savedAt));
    },

    async save(modelJson, weightsBin) {
      const key = newKey();
      const summary = summarizeSavedModel(key, modelJson, weightsBin, new Date().toISOString());
      // Store exactly the bytes of the view, not a larger buffer behind it.
      const bin =
        weightsBin.byteOffset === 0 && weightsBin.byteLength === weightsBin.buffer.byteLength
          ? weightsBin
          : weightsBin.slice();
      const tx = db.transaction([FILES, SUMMARIES], 'readwrite');
      const done = committed(tx, summary.bytes);
      tx.objectStore(FILES).put({ modelJson, weightsBin: bin } satisfies StoredFiles, key);
      tx.objectStore(SUMMARIES).put(summary, key);
      await done;
      return summary;
    },

    async load(key) {
      const tx = db.transaction(FILES, 'readonly');
      const files = (await request(tx.objectStore(FILES).get(key))) as StoredFiles | undefined;
      if (!files) throw missing(key);
      return { modelJson: files.modelJson, weightsBin: files.weightsBin };
    },

    async rename(key, name) {
      const checked = checkModelName(name);
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
    },

    async remove(key) {
      const tx = db.transaction([FILES, SUMMARIES], 'readwrite');
      const done = committed(tx);
      tx.objectStore(FILES).delete(key);
      tx.objectStore(SUMMARIES).delete(key);
      await done;
    },
  };
}
