import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '../tf';
import { buildNeural } from '../train/neuralVariant';
import { ModelFileError } from './modelFileError';
import { NEURAL_MODELS } from './registry';
import { useBackend } from './tfTesting';
import type { ItemFeatures } from './trained';
import type { HyperParameters, ModelId } from './types';
import {
  checkNeuralRestore,
  checkPlanBudget,
  checkWeightBytes,
  featureLayout,
  MAX_MODEL_BYTES,
  planNeuralModel,
} from './weightPlan';

const ITEMS = 9;

/** Every item in one or two categories and title buckets (item 4 has no title). */
const features: ItemFeatures = {
  numCategories: 5,
  titleBuckets: 7,
  categories: Array.from({ length: ITEMS }, (_, i) => (i % 2 ? [i % 5] : [i % 5, (i + 1) % 5])),
  titleTokens: Array.from({ length: ITEMS }, (_, i) => (i === 4 ? [] : [i % 7])),
};
/** Items without any category or title: the item tower adds no feature table. */
const emptyFeatures: ItemFeatures = {
  numCategories: 5,
  titleBuckets: 7,
  categories: Array.from({ length: ITEMS }, () => []),
  titleTokens: Array.from({ length: ITEMS }, () => []),
};

/** Settings that change which weights a model has, or their shapes. */
const CASES: [ModelId, HyperParameters, ItemFeatures | undefined][] = [
  ['gru', { dim: 6, maxLen: 3 }, undefined],
  ['sasrec', { dim: 8, maxLen: 5, blocks: 2, heads: 2 }, undefined],
  ['twotower', { dim: 5, pooling: 'attention' }, features],
  ['twotower', { dim: 4, pooling: 'mean' }, undefined],
  ['twotower', { dim: 4 }, emptyFeatures],
  ['ncf', { dim: 7, mlpLayers: 2 }, features],
  ['ncf', { dim: 4, mlpLayers: 1 }, undefined],
  ['weighted', { dim: 4, maxLen: 3 }, undefined],
  ['din', { dim: 4, maxLen: 3, attentionUnits: 3 }, undefined],
  ['layered', { dim: 4, maxLen: 3 }, features],
];

beforeAll(async () => {
  await useBackend('wasm');
});

describe('planNeuralModel', () => {
  it('covers every neural model of the registry', () => {
    const planned = new Set(CASES.map(([id]) => id));
    expect(Object.keys(NEURAL_MODELS).filter((id) => !planned.has(id as ModelId))).toEqual([]);
  });

  it.each(CASES)('%s %j: exactly the weights the built model has', (id, hyper, itemFeatures) => {
    const model = buildNeural(id, ITEMS, hyper, 0, itemFeatures);
    const built = model.getWeights();
    try {
      const actual = Object.entries(built).map(([name, t]) => ({
        name,
        shape: [...t.shape],
        dtype: t.dtype as 'float32' | 'int32',
      }));
      const plan = planNeuralModel(
        id,
        ITEMS,
        hyper,
        itemFeatures ? featureLayout(itemFeatures) : null,
      );
      const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
      expect([...plan.weights].sort(byName)).toEqual(actual.sort(byName));
      expect(() =>
        checkNeuralRestore(
          id,
          ITEMS,
          hyper,
          actual,
          itemFeatures ? featureLayout(itemFeatures) : null,
        ),
      ).not.toThrow();
    } finally {
      for (const t of Object.values(built)) t.dispose();
      model.dispose();
    }
  });

  it('refuses settings the model refuses, as a file error, without building anything', () => {
    const before = tf.memory().numTensors;
    expect(() => planNeuralModel('sasrec', 10, { dim: 8, heads: 3 }, null)).toThrow(
      new ModelFileError(
        'invalid-metadata',
        "The model file's settings do not describe a valid sasrec model: sasrec: heads (3) must divide dim (8).",
      ),
    );
    expect(() => planNeuralModel('gru', 10, { dim: 1e9 }, null)).toThrow(
      /^The model file's settings do not describe a valid gru model: dim must be an integer in 4\.\.512; got 1000000000\.$/,
    );
    expect(() => planNeuralModel('layered', 10, {}, null)).toThrow(/layered needs item categories/);
    expect(() => planNeuralModel('toString' as ModelId, 10, {}, null)).toThrow(
      expect.objectContaining({ code: 'unknown-model' }),
    );
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('the memory budget', () => {
  it('names the largest declared size in one sentence', () => {
    const layout = { numCategories: 5_000_000, titleBuckets: 10, categoryWidth: 1, titleWidth: 0 };
    const plan = planNeuralModel('twotower', 1000, { dim: 64 }, layout);
    expect(() => checkPlanBudget(plan)).toThrow(
      new ModelFileError(
        'too-large',
        'This model declares 5,000,000 categories × 64 dims = 1.19 GiB, more than the 0.50 GiB this page can hold.',
      ),
    );
    const items = planNeuralModel('weighted', 1_000_000, { dim: 128 }, null);
    expect(() => checkPlanBudget(items)).toThrow(
      'This model declares 1,000,000 items × 128 dims = 0.48 GiB (0.95 GiB in all), more than the 0.50 GiB this page can hold.',
    );
  });

  it('counts the padded feature lists, whose width is the longest list', () => {
    const layout = { numCategories: 10, titleBuckets: 10, categoryWidth: 1000, titleWidth: 0 };
    expect(() => checkPlanBudget(planNeuralModel('ncf', 70_000, { dim: 4 }, layout))).toThrow(
      /^This model declares 70,000 items × 1,000 categories each = 0\.52 GiB, more than/,
    );
  });

  it('lets a million items at 128 dims through (one item table)', () => {
    const plan = planNeuralModel('gru', 1_000_000, { dim: 128 }, null);
    expect(plan.bytes).toBeLessThan(MAX_MODEL_BYTES);
    expect(() => checkPlanBudget(plan)).not.toThrow();
  });

  it('also bounds the bytes a manifest declares', () => {
    expect(() => checkWeightBytes(MAX_MODEL_BYTES)).not.toThrow();
    expect(() => checkWeightBytes(2 * 1024 ** 3)).toThrow(
      'This model file declares 2.00 GiB of weights, more than the 0.50 GiB this page can hold.',
    );
  });
});

describe('checkNeuralRestore', () => {
  const plan = planNeuralModel('gru', 3, { dim: 4 }, null);
  const weights = plan.weights.map((w) => ({ ...w, shape: [...w.shape] }));

  it('names a missing, misshapen, mistyped or unknown weight', () => {
    const check = (edited: typeof weights) => () =>
      checkNeuralRestore('gru', 3, { dim: 4 }, edited, null);
    const prefix = 'The saved weights do not fit a gru model with these hyper-parameters: ';
    expect(check(weights.slice(1))).toThrow(`${prefix}Weights to restore lack item_embedding.`);
    expect(
      check(weights.map((w) => (w.name === 'item_embedding' ? { ...w, shape: [4, 5] } : w))),
    ).toThrow(`${prefix}Weight item_embedding has shape [4, 5]; the model needs [4, 4].`);
    expect(
      check(weights.map((w) => (w.name === 'gru_output_bias' ? { ...w, dtype: 'int32' } : w))),
    ).toThrow(`${prefix}Weight gru_output_bias is int32; the model needs float32.`);
    expect(check([...weights, { name: 'extra', shape: [1], dtype: 'float32' }])).toThrow(
      `${prefix}Unknown weights: extra.`,
    );
  });
});
