/**
 * The IndexedDB model store against a fake IndexedDB (fakeIndexedDb.ts) playing the browsers
 * that refuse storage: every refusal is a `storage` LensError with one sentence to show, and a
 * full store keeps what it held. The model files' own validation is core/persist's (tested
 * there), so here a summary is made from the text alone.
 */
import { describe, expect, it, vi } from 'vitest';
import type { SavedModelSummary } from '../core/persist/summary';
import { decodeError, encodeError, LensError } from './errors';
import { createFakeIndexedDb } from './fakeIndexedDb';
import {
  isQuotaError,
  openModelStore,
  STORAGE_FULL,
  STORAGE_UNAVAILABLE,
  storageError,
} from './modelStore';

// Not the real module: it would load TF.js for nothing here.
vi.mock('../core/persist/summary', () => ({
  checkModelName: (name: string) => name.trim(),
  summarizeSavedModel: (
    key: string,
    modelJson: string,
    weightsBin: Uint8Array,
    savedAt: string,
  ): SavedModelSummary => ({
    key,
    name: JSON.parse(modelJson).userDefinedMetadata.interestLens.name,
    modelId: 'pop',
    savedAt,
    bytes: modelJson.length + weightsBin.length,
    datasetName: 'x.csv',
    fingerprint: 'f',
    metrics: null,
  }),
  renameModelJson: (modelJson: string, name: string) => {
    const json = JSON.parse(modelJson);
    json.userDefinedMetadata.interestLens.name = name;
    return JSON.stringify(json);
  },
}));

const modelJson = (name: string) =>
  JSON.stringify({ userDefinedMetadata: { interestLens: { name } } });
const weights = (bytes: number) => new Uint8Array(bytes).fill(7);

/** The error a promise rejects with, as the page receives it (through the worker's encoding). */
async function failure(promise: Promise<unknown>): Promise<LensError> {
  const error = await promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (e: unknown) => e,
  );
  return decodeError(encodeError(error));
}

describe('openModelStore', () => {
  it('saves, lists newest first, loads, renames and removes', async () => {
    const store = await openModelStore('t', createFakeIndexedDb());
    const a = await store.save(modelJson('first'), weights(10));
    await new Promise((resolve) => setTimeout(resolve, 5));
    const b = await store.save(modelJson('second'), weights(20).subarray(5));
    expect((await store.list()).map((m) => m.name)).toEqual(['second', 'first']);
    expect((await store.load(b.key)).weightsBin.byteLength).toBe(15);
    await store.rename(a.key, 'renamed');
    expect(
      JSON.parse((await store.load(a.key)).modelJson).userDefinedMetadata.interestLens.name,
    ).toBe('renamed');
    await store.remove(b.key);
    expect((await store.list()).map((m) => m.name)).toEqual(['renamed']);
    const missing = await failure(store.load(b.key));
    expect(missing.code).toBe('storage');
    expect(missing.message).toMatch(/^No saved model with key model-/);
  });

  it('says the storage is full when a save exceeds the quota, and keeps what was saved', async () => {
    const store = await openModelStore('t', createFakeIndexedDb({ quotaBytes: 1_000 }));
    await store.save(modelJson('small'), weights(100));
    const error = await failure(store.save(modelJson('large'), weights(5_000)));
    expect(error).toMatchObject({ code: 'storage', message: STORAGE_FULL });
    expect(error.message).toBe(
      "The browser's storage for this page is full: delete saved models or free disk space, then save again.",
    );
    expect((await store.list()).map((m) => m.name)).toEqual(['small']);
  });

  it("reads Firefox's older quota error the same way", async () => {
    const fake = createFakeIndexedDb({
      quotaBytes: 10,
      quotaErrorName: 'NS_ERROR_DOM_QUOTA_REACHED',
    });
    const store = await openModelStore('t', fake);
    expect(await failure(store.save(modelJson('x'), weights(100)))).toMatchObject({
      code: 'storage',
      message: STORAGE_FULL,
    });
  });

  it('says the browser does not let the page store models when there is no IndexedDB', async () => {
    expect(await failure(openModelStore('t', undefined))).toMatchObject({
      code: 'storage',
      message:
        'This browser does not let the page store models (private window or storage disabled): export the model files instead.',
    });
  });

  it('says the same when opening throws (SecurityError) or fails (a private window)', async () => {
    const security = new DOMException('Access to storage is not allowed.', 'SecurityError');
    expect(
      await failure(openModelStore('t', createFakeIndexedDb({ openThrows: security }))),
    ).toMatchObject({ code: 'storage', message: STORAGE_UNAVAILABLE });
    const closed = new DOMException('A mutation operation was attempted.', 'InvalidStateError');
    expect(
      await failure(openModelStore('t', createFakeIndexedDb({ openError: closed }))),
    ).toMatchObject({ code: 'storage', message: STORAGE_UNAVAILABLE });
  });

  it('says when another tab blocks the store', async () => {
    const error = await failure(openModelStore('t', createFakeIndexedDb({ blocked: true })));
    expect(error.code).toBe('storage');
    expect(error.message).toBe(
      'Another tab of this page holds the model store open with an older version: close it, then try again.',
    );
  });
});

describe('storageError', () => {
  it('recognises quota errors by name or legacy code, and keeps other reasons in one sentence', () => {
    expect(isQuotaError(new DOMException('full', 'QuotaExceededError'))).toBe(true);
    expect(isQuotaError({ name: 'Error', code: 22 })).toBe(true);
    expect(isQuotaError(new DOMException('no', 'SecurityError'))).toBe(false);
    expect(storageError(new DOMException('disk broke', 'UnknownError'))).toMatchObject({
      code: 'storage',
      message: "The browser's model store failed (disk broke).",
    });
    const kept = new LensError('storage', 'Already said.');
    expect(storageError(kept)).toBe(kept);
  });
});
