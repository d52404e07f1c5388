/**
 * Whether a saved model fits the loaded dataset. The same data (same fingerprint) restores as
 * is. Other data is mapped by item id only when enough of it is known to the model, and then
 * explicitly: items the model never saw are scored -Infinity and never recommended, and
 * history items it never saw are skipped (it has nothing learnt about them).
 */
import type { Dataset } from '../data/types';
import type { HistoryBatch, Scorer } from '../models/baseline-types';
import type { TrainedRecommender } from '../models/trained';
import { datasetFingerprint } from './fingerprint';
import type { SavedModelMeta } from './format';

/** Share of the dataset's items the model must know before ids are mapped. */
export const MIN_KNOWN_ITEM_SHARE = 0.5;

export type DatasetMatch =
  | { status: 'same' }
  | {
      status: 'mapped';
      /** Dataset items the model knows (by id). */
      mappedItems: number;
      /** Dataset items the model never saw: scored -Infinity, never recommended. */
      unknownItems: number;
      /** Model items absent from this dataset: ignored. */
      absentItems: number;
      /** Saved item index -> dataset item index, or -1 when the dataset lacks it. */
      itemMap: Int32Array;
    }
  | { status: 'refused'; reason: string };

const percent = (share: number) => `${(100 * share).toFixed(1)} %`;

/**
 * Compares a saved model's training data with `dataset`: `same` when the fingerprints (and item
 * ids) agree; `mapped` when at least half of the dataset's items are known to the model by id;
 * otherwise `refused`, with a sentence saying how little overlaps.
 */
export function matchDataset(
  meta: SavedModelMeta,
  dataset: Dataset,
  minShare = MIN_KNOWN_ITEM_SHARE,
): DatasetMatch {
  const ids = dataset.itemIds;
  const sameIds =
    meta.itemIds.length === ids.length && meta.itemIds.every((id, i) => id === ids[i]);
  if (sameIds && meta.dataset.fingerprint === datasetFingerprint(dataset))
    return { status: 'same' };
  const index = new Map<string, number>();
  for (let i = 0; i < ids.length; i++) index.set(ids[i], i);
  const itemMap = new Int32Array(meta.numItems);
  let mappedItems = 0;
  for (let j = 0; j < meta.numItems; j++) {
    itemMap[j] = index.get(meta.itemIds[j]) ?? -1;
    if (itemMap[j] >= 0) mappedItems++;
  }
  const share = ids.length === 0 ? 0 : mappedItems / ids.length;
  if (share < minShare) {
    return {
      status: 'refused',
      reason:
        `This model was trained on other data ("${meta.dataset.name}"): it knows only ${mappedItems} of ` +
        `this dataset's ${ids.length} items (${percent(share)}), and at least ${percent(MIN_KNOWN_ITEM_SHARE)} are needed to map item ids.`,
    };
  }
  return {
    status: 'mapped',
    mappedItems,
    unknownItems: ids.length - mappedItems,
    absentItems: meta.numItems - mappedItems,
    itemMap,
  };
}

/** Keeps the history items the model knows, translated to its item indices. */
function toModelHistories(histories: HistoryBatch, toModel: Int32Array): HistoryBatch {
  const rows = histories.offsets.length - 1;
  const offsets = new Int32Array(rows + 1);
  const items: number[] = [];
  const timestamps: number[] = [];
  for (let r = 0; r < rows; r++) {
    for (let p = histories.offsets[r]; p < histories.offsets[r + 1]; p++) {
      const i = histories.items[p];
      const j = i >= 0 && i < toModel.length ? toModel[i] : -1;
      if (j < 0) continue;
      items.push(j);
      timestamps.push(histories.timestamps[p]);
    }
    offsets[r + 1] = items.length;
  }
  return { offsets, items: Int32Array.from(items), timestamps: Float64Array.from(timestamps) };
}

/**
 * A model restored in its own item space, seen through `itemMap` as a model of the dataset's
 * `numItems` items. It scores and evaluates like any model; `neural` is null (explainers need
 * the model in the dataset's item space) and it cannot be saved again (export the original).
 */
export function mapToDataset(
  model: TrainedRecommender,
  itemMap: Int32Array,
  numItems: number,
): TrainedRecommender {
  if (itemMap.length !== model.numItems) {
    throw new Error(
      `The item map covers ${itemMap.length} items; the model has ${model.numItems}.`,
    );
  }
  const toModel = new Int32Array(numItems).fill(-1);
  itemMap.forEach((i, j) => {
    if (i >= 0) toModel[i] = j;
  });
  const score: Scorer = async (users, histories) => {
    const inner = await model.score(users, toModelHistories(histories, toModel));
    const rows = users.length;
    const out = new Float32Array(rows * numItems).fill(Number.NEGATIVE_INFINITY);
    for (let r = 0; r < rows; r++) {
      for (let j = 0; j < itemMap.length; j++) {
        if (itemMap[j] >= 0) out[r * numItems + itemMap[j]] = inner[r * model.numItems + j];
      }
    }
    return out;
  };
  return {
    id: model.id,
    numItems,
    hyper: model.hyper,
    score,
    neural: null,
    mapped: true,
    readLimit: model.readLimit,
    historyIndependent: model.historyIndependent,
    // Perturbation explainers work through the mapping: items the model does not know are
    // dropped from the history (as in scoring) and score -Infinity as targets.
    scorePairs: async (histories, items) => {
      const known = Int32Array.from(items, (i) => (i >= 0 && i < numItems ? toModel[i] : -1));
      const asked = Int32Array.from(known, (j) => Math.max(j, 0));
      const inner = await model.scorePairs(toModelHistories(histories, toModel), asked);
      return Float32Array.from(inner, (v, r) => (known[r] < 0 ? Number.NEGATIVE_INFINITY : v));
    },
    features: null,
    exportWeights: () => {
      throw new Error(
        'A model mapped onto other data cannot be saved again; export the original model file instead.',
      );
    },
    dispose: () => model.dispose(),
  };
}
