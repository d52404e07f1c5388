/**
 * Item side information for the models that read it (twotower's item tower, layered's category
 * heads), derived from the dataset: each item's categories as given, and its title as a bag of
 * hashed word tokens. Hashing (rather than a vocabulary) keeps the feature space a fixed size
 * whatever the catalogue, needs no stored vocabulary to score a new title, and costs one pass.
 */
import type { Dataset } from '../data/types';
import { hashString } from '../random';
import type { ItemFeatures } from './trained';

/** Lower-cased word tokens (runs of Unicode letters and digits) of a title, in order. */
export function titleWords(title: string): string[] {
  return title.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

/**
 * The distinct hashed buckets (FNV-1a mod `titleBuckets`) of a title's words, in order of first
 * appearance. A repeated word counts once: the item tower averages a title's tokens as a set.
 */
export function titleTokenIds(title: string | null, titleBuckets: number): number[] {
  if (title === null) return [];
  const seen = new Set<number>();
  for (const word of titleWords(title)) seen.add(hashString(word) % titleBuckets);
  return [...seen];
}

/**
 * Per-item categories (from `dataset.itemCategories`) and hashed title tokens (from
 * `dataset.itemTitle`, see {@link titleTokenIds}). Items without a title or category get empty
 * lists: the models then use the item id alone for them.
 */
export function itemFeaturesFromDataset(dataset: Dataset, titleBuckets = 2048): ItemFeatures {
  if (!Number.isInteger(titleBuckets) || titleBuckets < 1) {
    throw new RangeError(`titleBuckets must be a positive integer; got ${titleBuckets}.`);
  }
  const numItems = dataset.itemIds.length;
  const numCategories = dataset.categoryNames.length;
  const categories: number[][] = [];
  for (let i = 0; i < numItems; i++) {
    const own = dataset.itemCategories[i] ?? [];
    for (const c of own) {
      if (!Number.isInteger(c) || c < 0 || c >= numCategories) {
        throw new RangeError(
          `Item ${dataset.itemIds[i]} has category index ${c}, outside 0..${numCategories - 1}.`,
        );
      }
    }
    categories.push([...new Set(own)]);
  }
  const titleTokens = Array.from({ length: numItems }, (_, i) =>
    titleTokenIds(dataset.itemTitle[i] ?? null, titleBuckets),
  );
  return { numCategories, categories, titleTokens, titleBuckets };
}
