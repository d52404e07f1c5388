/**
 * Model files whose declared sizes cost memory before they are refused (tracker "Hardening"
 * items 3 and 4): every one is now refused by `decodeModel` from its metadata alone, in
 * milliseconds and with one sentence, and a failed restore leaves TF.js as it found it.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ModelFileError } from '../models/modelFileError';
import { useBackend } from '../models/tfTesting';
import type { ItemFeatures } from '../models/trained';
import type { ModelId } from '../models/types';
import * as tf from '../tf';
import { buildNeural } from '../train/neuralVariant';
import { isKnownVariant, restoreVariant, topK } from '../train/variants';
import { decodeModel } from './decode';
import { craftModelFiles, editModelJson } from './testModelFiles';

function failure(run: () => unknown): ModelFileError {
  try {
    run();
  } catch (error) {
    if (error instanceof ModelFileError) return error;
    throw error;
  }
  throw new Error('expected a ModelFileError');
}

/** Decodes and restores (as an import does), and disposes what it got. */
function importFiles(modelJson: string, weightsBin: Uint8Array): void {
  const { meta, weights, features } = decodeModel(modelJson, weightsBin);
  const model = restoreVariant(
    meta.record.modelId,
    meta.numItems,
    meta.record.hyper,
    weights,
    features ?? undefined,
  );
  model.dispose();
}

/** Runs `run`, which must fail, and requires TF.js to be exactly as before and still working. */
function refusedCleanly(run: () => unknown): { error: ModelFileError; ms: number } {
  const before = tf.memory();
  const started = performance.now();
  const error = failure(run);
  const ms = performance.now() - started;
  const after = tf.memory();
  expect(after.numTensors).toBe(before.numTensors);
  expect(after.numBytes).toBe(before.numBytes);
  expect(after.numDataBuffers).toBe(before.numDataBuffers);
  const sum = tf.add(tf.scalar(1), tf.scalar(2));
  expect(sum.dataSync()[0]).toBe(3);
  sum.dispose();
  return { error, ms };
}

const ITEMS = 10;
const features: ItemFeatures = {
  numCategories: 3,
  titleBuckets: 8,
  categories: Array.from({ length: ITEMS }, (_, i) => [i % 3]),
  titleTokens: Array.from({ length: ITEMS }, (_, i) => [i % 8]),
};

beforeAll(async () => {
  await useBackend('wasm');
});

type Files = { modelJson: string; weightsBin: Uint8Array };

describe('declared sizes are checked before anything is allocated', () => {
  let twotower: Files;
  beforeAll(() => {
    twotower = craftModelFiles('twotower', ITEMS, { dim: 64 }, features);
  });

  it('a twotower file declaring 5,000,000 categories (was 2.6 GB and 20 s)', () => {
    const json = editModelJson(twotower.modelJson, (j) => {
      j.userDefinedMetadata.interestLens.features.numCategories = 5_000_000;
    });
    const { error, ms } = refusedCleanly(() => importFiles(json, twotower.weightsBin));
    expect(error).toMatchObject({
      code: 'too-large',
      message:
        'This model declares 5,000,000 categories × 64 dims = 1.19 GiB, more than the 0.50 GiB this page can hold.',
    });
    expect(ms).toBeLessThan(500);
  });

  it('numCategories 1e9 is one clear sentence, not "Invalid typed array length"', () => {
    const json = editModelJson(twotower.modelJson, (j) => {
      j.userDefinedMetadata.interestLens.features.numCategories = 1e9;
    });
    const { error } = refusedCleanly(() => importFiles(json, twotower.weightsBin));
    expect(error.message).toBe(
      'This model declares 1,000,000,000 categories × 64 dims = 238.42 GiB, more than the 0.50 GiB this page can hold.',
    );
  });

  it('more categories than the file holds, within the budget: the weight is named', () => {
    const json = editModelJson(twotower.modelJson, (j) => {
      j.userDefinedMetadata.interestLens.features.numCategories = 50_000;
    });
    const { error } = refusedCleanly(() => importFiles(json, twotower.weightsBin));
    expect(error).toMatchObject({
      code: 'shape-mismatch',
      message:
        'The saved weights do not fit a twotower model with these hyper-parameters: Weight category_embedding has shape [3, 64]; the model needs [50000, 64].',
    });
  });

  describe('a 10 MB file listing 1,000,000 item ids (was 6.1 GB, 63 s, then a broken backend)', () => {
    const ids = Array.from({ length: 1_000_000 }, (_, i) => `item-${i}`);
    const millionItems = (dim: number) =>
      editModelJson(twotower.modelJson, (j) => {
        const meta = j.userDefinedMetadata.interestLens;
        meta.numItems = ids.length;
        meta.itemIds = ids;
        meta.features = null;
        meta.record.hyper.dim = dim;
      });

    it('at 512 dims: over the budget', () => {
      const json = millionItems(512);
      expect(json.length).toBeGreaterThan(10_000_000);
      const { error, ms } = refusedCleanly(() => importFiles(json, twotower.weightsBin));
      expect(error).toMatchObject({
        code: 'too-large',
        message:
          'This model declares 1,000,000 items × 512 dims = 1.91 GiB, more than the 0.50 GiB this page can hold.',
      });
      expect(ms).toBeLessThan(3000);
    });

    it('at 64 dims: within the budget, but not what the file holds', () => {
      const { error } = refusedCleanly(() => importFiles(millionItems(64), twotower.weightsBin));
      expect(error.code).toBe('shape-mismatch');
      expect(error.message).toMatch(
        /Weight item_embedding has shape \[11, 64\]; the model needs \[1000001, 64\]\.$/,
      );
    });
  });

  it('feature lists whose padded width is past the budget are refused at restore', () => {
    const n = 70_000;
    const wide: ItemFeatures = {
      numCategories: 1000,
      titleBuckets: 1,
      categories: Array.from({ length: n }, (_, i) => [i % 1000]),
      titleTokens: Array.from({ length: n }, () => []),
    };
    const files = craftModelFiles('twotower', n, { dim: 4 }, wide);
    const decoded = decodeModel(files.modelJson, files.weightsBin);
    // One item in every category: the packed lists become 70,001 x 1,000 (twice).
    const widened = {
      ...wide,
      categories: [Array.from({ length: 1000 }, (_, c) => c), ...wide.categories.slice(1)],
    };
    const { error } = refusedCleanly(() =>
      restoreVariant('twotower', n, decoded.meta.record.hyper, decoded.weights, widened),
    );
    expect(error.message).toMatch(
      /^This model declares 70,000 items × 1,000 categories each = 0\.52 GiB, more than the 0\.50 GiB/,
    );
  });
});

describe('a failed restore leaves TF.js exactly as it was', () => {
  it('when the model constructor throws part way (features for another catalogue)', () => {
    const files = craftModelFiles('twotower', ITEMS, { dim: 4 }, features);
    const { meta, weights } = decodeModel(files.modelJson, files.weightsBin);
    const short: ItemFeatures = {
      ...features,
      categories: features.categories.slice(1),
      titleTokens: features.titleTokens.slice(1),
    };
    const before = tf.memory().numTensors;
    expect(() => restoreVariant('twotower', ITEMS, meta.record.hyper, weights, short)).toThrow(
      /Item features cover 9 items/,
    );
    expect(tf.memory().numTensors).toBe(before);
  });

  it('when building a model throws after its first weights (no restore involved)', () => {
    const before = tf.memory().numTensors;
    expect(() => buildNeural('sasrec', 50, { dim: 8, heads: 3 }, 0)).toThrow(/must divide dim/);
    expect(tf.memory().numTensors).toBe(before);
    expect(tf.add(tf.scalar(1), tf.scalar(2)).dataSync()[0]).toBe(3);
  });

  it('over repeated failed imports of every kind', () => {
    const files = craftModelFiles('gru', ITEMS, { dim: 4 });
    const broken = [
      editModelJson(
        files.modelJson,
        (j) => (j.userDefinedMetadata.interestLens.record.hyper.dim = 8),
      ),
      editModelJson(
        files.modelJson,
        (j) => (j.userDefinedMetadata.interestLens.record.hyper.dim = 512),
      ),
      editModelJson(files.modelJson, (j) => (j.weightsManifest[0].weights[1].dtype = 'int32')),
      editModelJson(
        files.modelJson,
        (j) => (j.userDefinedMetadata.interestLens.record.hyper.maxLen = 1),
      ),
    ];
    for (let round = 0; round < 3; round++) {
      for (const json of broken) refusedCleanly(() => importFiles(json, files.weightsBin));
    }
  });
});

describe('model ids that are Object.prototype keys', () => {
  let files: Files;
  beforeAll(() => {
    files = craftModelFiles('gru', ITEMS, { dim: 4 });
  });

  it.each(['toString', 'constructor', '__proto__', 'hasOwnProperty', 'valueOf'])(
    '%s is an unknown model, not "entry.factory is not a function"',
    (id) => {
      expect(isKnownVariant(id)).toBe(false);
      const json = editModelJson(files.modelJson, (j) => {
        j.userDefinedMetadata.interestLens.record.modelId = id;
      });
      const { error } = refusedCleanly(() => importFiles(json, files.weightsBin));
      expect(error.code).toBe('unknown-model');
      expect(error.message).toMatch(
        new RegExp(`^The model file is for an unknown model id "${id}"; this build knows pop, `),
      );
      const { weights, meta } = decodeModel(files.modelJson, files.weightsBin);
      expect(() => restoreVariant(id as ModelId, ITEMS, meta.record.hyper, weights)).toThrow(
        `${id} is not a neural model of this build.`,
      );
    },
  );
});

describe('a well-formed twotower model over 200,000 items', () => {
  it('restores and recommends (no "Maximum call stack size exceeded")', async () => {
    const n = 200_000;
    const big: ItemFeatures = {
      numCategories: 20,
      titleBuckets: 64,
      categories: Array.from({ length: n }, (_, i) => (i % 7 === 0 ? [] : [i % 20, (i + 3) % 20])),
      titleTokens: Array.from({ length: n }, (_, i) => [i % 64]),
    };
    const files = craftModelFiles('twotower', n, { dim: 4, maxLen: 4 }, big);
    const { meta, weights, features: saved } = decodeModel(files.modelJson, files.weightsBin);
    expect(meta.numItems).toBe(n);
    const model = restoreVariant('twotower', n, meta.record.hyper, weights, saved ?? undefined);
    try {
      const history = {
        offsets: Int32Array.of(0, 3),
        items: Int32Array.of(5, 150_000, 199_999),
        timestamps: Float64Array.of(1, 2, 3),
      };
      const top = await topK(model, history, 5);
      expect(top).toHaveLength(5);
      expect(top.every((t) => t.item >= 0 && t.item < n && Number.isFinite(t.score))).toBe(true);
    } finally {
      model.dispose();
    }
  });
});
