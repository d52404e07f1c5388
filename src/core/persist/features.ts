/**
 * Item features (categories, hashed title tokens) travel inside a model file as four int32
 * weights in CSR form, so a model that reads them (twotower, layered) is restored with exactly
 * the features it was trained with, whatever dataset is loaded at the time.
 */

import { ModelFileError } from '../models/modelFileError';
import type { ItemFeatures, WeightArray } from '../models/trained';
import { requireWeight } from '../models/weightArrays';

/** Prefix of the feature weights; no model weight uses it. */
export const FEATURE_PREFIX = 'features/';

/** The four feature weights' names. */
export const FEATURE_NAMES = {
  categoryOffsets: `${FEATURE_PREFIX}category_offsets`,
  categories: `${FEATURE_PREFIX}categories`,
  titleOffsets: `${FEATURE_PREFIX}title_offsets`,
  titleTokens: `${FEATURE_PREFIX}title_tokens`,
};

/** The scalars of {@link ItemFeatures}, kept in the file's metadata. */
export interface SavedFeatureSizes {
  numCategories: number;
  titleBuckets: number;
}

function toCsr(lists: number[][]): { offsets: Int32Array; values: Int32Array } {
  const offsets = new Int32Array(lists.length + 1);
  for (let i = 0; i < lists.length; i++) offsets[i + 1] = offsets[i] + lists[i].length;
  const values = new Int32Array(offsets[lists.length]);
  for (let i = 0; i < lists.length; i++) values.set(lists[i], offsets[i]);
  return { offsets, values };
}

/** Features as named weights; `numItems` lists each, one per item. */
export function featuresToWeights(features: ItemFeatures, numItems: number): WeightArray[] {
  if (features.categories.length !== numItems || features.titleTokens.length !== numItems) {
    throw new Error(
      `Item features cover ${features.categories.length} items; the model has ${numItems}.`,
    );
  }
  const categories = toCsr(features.categories);
  const titles = toCsr(features.titleTokens);
  const list = (name: string, data: Int32Array): WeightArray => ({
    name,
    shape: [data.length],
    dtype: 'int32',
    data,
  });
  return [
    list(FEATURE_NAMES.categoryOffsets, categories.offsets),
    list(FEATURE_NAMES.categories, categories.values),
    list(FEATURE_NAMES.titleOffsets, titles.offsets),
    list(FEATURE_NAMES.titleTokens, titles.values),
  ];
}

function fromCsr(offsets: Int32Array, values: Int32Array, bound: number, what: string): number[][] {
  const out: number[][] = [];
  if (offsets[0] !== 0 || offsets[offsets.length - 1] !== values.length) {
    throw new ModelFileError('shape-mismatch', `The saved ${what} lists are inconsistent.`);
  }
  for (let i = 0; i + 1 < offsets.length; i++) {
    if (offsets[i + 1] < offsets[i]) {
      throw new ModelFileError(
        'shape-mismatch',
        `The saved ${what} offsets decrease at item ${i}.`,
      );
    }
    const row = Array.from(values.subarray(offsets[i], offsets[i + 1]));
    if (row.some((v) => v < 0 || v >= bound)) {
      throw new ModelFileError(
        'shape-mismatch',
        `Item ${i} has a ${what} index outside 0..${bound - 1}.`,
      );
    }
    out.push(row);
  }
  return out;
}

/** Rebuilds and checks the features saved with a model (`sizes` from its metadata). */
export function featuresFromWeights(
  weights: readonly WeightArray[],
  sizes: SavedFeatureSizes,
  numItems: number,
): ItemFeatures {
  const get = (name: string, shape?: number[]) =>
    requireWeight(weights, 'item features', name, 'int32', shape).data as Int32Array;
  return {
    numCategories: sizes.numCategories,
    titleBuckets: sizes.titleBuckets,
    categories: fromCsr(
      get(FEATURE_NAMES.categoryOffsets, [numItems + 1]),
      get(FEATURE_NAMES.categories),
      sizes.numCategories,
      'category',
    ),
    titleTokens: fromCsr(
      get(FEATURE_NAMES.titleOffsets, [numItems + 1]),
      get(FEATURE_NAMES.titleTokens),
      sizes.titleBuckets,
      'title token',
    ),
  };
}
