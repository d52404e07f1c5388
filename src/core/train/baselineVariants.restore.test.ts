/**
 * Regression (found by the fuzz suite, src/core/fuzz): an itemknn model file whose
 * hyper-parameters are not itemknn's (an unknown name such as `blocks` or `__proto__`, or
 * `neighbours: 0`) escaped `loadSavedModel` as a bare RangeError, which the worker reports as
 * an internal error; it is now a ModelFileError (`invalid-metadata`) like a neural model's.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { testData } from '../explain/testing';
import { ModelFileError } from '../models/modelFileError';
import { decodeModel } from '../persist/decode';
import { encodeModel } from '../persist/format';
import { loadSavedModel } from '../persist/restore';
import { editModelJson } from '../persist/testModelFiles';
import { restoreVariant, trainVariant } from './variants';

let files: { modelJson: string; weightsBin: Uint8Array };

beforeAll(async () => {
  const { dataset, split } = testData();
  const { model, record } = await trainVariant(dataset, split, 'itemknn');
  files = encodeModel(model, record, dataset, 'test.csv', 'itemknn');
  model.dispose();
});

describe('itemknn files with settings that are not itemknn', () => {
  it.each([
    [
      'an unknown parameter',
      (h: Record<string, unknown>) => (h.blocks = 2),
      /unknown parameter blocks\.$/,
    ],
    [
      'an own __proto__ key',
      (h: Record<string, unknown>) =>
        Object.defineProperty(h, '__proto__', { value: 1, enumerable: true }),
      /unknown parameter __proto__\.$/,
    ],
    [
      'neighbours 0',
      (h: Record<string, unknown>) => (h.neighbours = 0),
      /neighbours must be a positive integer/,
    ],
  ])('%s is a ModelFileError, not a RangeError', (_, edit, message) => {
    const json = editModelJson(files.modelJson, (j) =>
      edit(j.userDefinedMetadata.interestLens.record.hyper),
    );
    const { dataset } = testData();
    let error: unknown;
    try {
      loadSavedModel(json, files.weightsBin, dataset).model.dispose();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ModelFileError);
    expect(error).toMatchObject({ code: 'invalid-metadata' });
    expect((error as Error).message).toMatch(
      /^The model file's settings do not describe a valid itemknn model: /,
    );
    expect((error as Error).message).toMatch(message);
    const { meta, weights } = decodeModel(json, files.weightsBin);
    expect(() => restoreVariant('itemknn', meta.numItems, meta.record.hyper, weights)).toThrow(
      ModelFileError,
    );
  });

  it('a valid file still loads', () => {
    const { dataset } = testData();
    const loaded = loadSavedModel(files.modelJson, files.weightsBin, dataset);
    expect(loaded.model.id).toBe('itemknn');
    loaded.model.dispose();
  });
});
