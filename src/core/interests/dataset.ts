/**
 * What the interest layers read of a loaded dataset, in one place for the worker, the CLI and
 * the tests: a user's history as an {@link InterestHistory}, the dataset's time range (so every
 * user's windows line up), and its categories, or ones derived from a model's item embeddings
 * when the data has none.
 */
import type { Dataset } from '../data/types';
import type { TrainedRecommender } from '../models/trained';
import { type DerivedCategories, deriveCategories } from './derived';
import { itemEmbeddings } from './map';
import type { TimeRange } from './observed';
import type { CategoryMap, InterestHistory } from './types';

/** User `user`'s events, oldest first (views into the dataset's arrays). */
export function interestHistory(dataset: Dataset, user: number): InterestHistory {
  const from = dataset.userOffsets[user];
  const to = dataset.userOffsets[user + 1];
  return {
    items: dataset.item.subarray(from, to),
    timestamps: dataset.timestamp.subarray(from, to),
    actions: dataset.action.subarray(from, to),
    actionNames: dataset.actionNames,
  };
}

/** The first and last timestamp (epoch ms), or undefined without timestamps. One pass. */
export function datasetTimeRange(dataset: Pick<Dataset, 'timestamp'>): TimeRange | undefined {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const t of dataset.timestamp) {
    if (t < min) min = t;
    if (t > max) max = t;
  }
  return Number.isFinite(min) ? { min, max } : undefined;
}

/** The dataset's own categories, or null when no item has one. */
export function datasetCategories(dataset: Dataset): CategoryMap | null {
  if (dataset.categoryNames.length === 0 || !dataset.itemCategories.some((c) => c.length > 0)) {
    return null;
  }
  return { itemCategories: dataset.itemCategories, names: dataset.categoryNames, derived: false };
}

/**
 * Categories derived from `model`'s item embeddings (seeded k-means, named by typical items),
 * or the sentence saying why the model cannot give them.
 */
export function derivedCategories(
  model: TrainedRecommender,
  dataset: Dataset,
): CategoryMap | string {
  const table = itemEmbeddings(model);
  if (typeof table === 'string') return table;
  const rows = table.items;
  if (!rows) {
    return deriveCategories(table.values, table.numItems, table.dim, {
      seed: 7,
      titles: dataset.itemTitle,
      ids: dataset.itemIds,
    });
  }
  // A table of some items (an imported model): clusters of those, none for the others.
  const derived = deriveCategories(table.values, table.numItems, table.dim, {
    seed: 7,
    titles: Array.from(rows, (i) => dataset.itemTitle[i] ?? null),
    ids: Array.from(rows, (i) => dataset.itemIds[i]),
  });
  const itemCategories: number[][] = Array.from({ length: dataset.itemIds.length }, () => []);
  rows.forEach((item, r) => {
    itemCategories[item] = [...derived.itemCategories[r]];
  });
  const typicalItems = derived.typicalItems.map((list) => list.map((r) => rows[r]));
  const mapped: DerivedCategories = { ...derived, itemCategories, typicalItems };
  return mapped;
}

/** What is said when the data has no categories and no model can derive them. */
export const NO_CATEGORIES =
  'This dataset has no item categories: load an item file with categories, or choose a trained neural model to derive interest clusters from its item embeddings.';
