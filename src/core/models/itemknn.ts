/**
 * `itemknn`: item-item cosine similarity over the binary user-item matrix of the training part;
 * a user's score for item j is Σ over distinct history items i of sim(i, j). Strong and
 * explainable (each history item's contribution is one term of the sum), and often as good as
 * neural models, so every comparison shows it.
 *
 * Memory: similarities are sparse. Each item j keeps only its `neighbours` most similar items i
 * (as RecBole's ItemKNN does per column, default 100); no dense items x items matrix is built.
 */
import { TopKHeap } from '../train/metrics';
import type { Scorer, UserSequences } from './baseline-types';

/** Above this catalogue size, keeping every non-zero similarity is refused (memory). */
export const ITEMKNN_KEEP_ALL_MAX_ITEMS = 5000;
/** Up to this catalogue size the default keeps every similarity (as our ml-100k reference does). */
export const ITEMKNN_DEFAULT_ALL_MAX_ITEMS = 2000;
/** Neighbours kept per item by default above {@link ITEMKNN_DEFAULT_ALL_MAX_ITEMS} items. */
export const ITEMKNN_DEFAULT_NEIGHBOURS = 100;

export interface ItemKnnOptions {
  /**
   * Neighbours kept per item. Infinity keeps all (catalogues up to 5,000 items). Default: all
   * up to 2,000 items (this reproduces the reference ml-100k numbers), 100 above that (cost and
   * memory stay O(items x 100)).
   */
  neighbours?: number;
}

export interface ItemKnnStats {
  /** Ordered item pairs (i ≠ j) with a non-zero similarity. */
  nonZeroSimilarities: number;
  /** Pairs kept as neighbours; the rest were cut by the neighbour limit (counted, not hidden). */
  kept: number;
  dropped: number;
  /** Items with no training interaction: they get score 0 from every history. */
  itemsWithoutUsers: number;
}

export interface ItemKnnModel {
  id: 'itemknn';
  numItems: number;
  neighbours: number;
  /**
   * Contributions in CSR form keyed by the history item i: `targets[offsets[i]..offsets[i+1])`
   * are the items j that keep i among their neighbours, with `similarities` sim(i, j).
   */
  offsets: Int32Array;
  targets: Int32Array;
  similarities: Float32Array;
  stats: ItemKnnStats;
  score: Scorer;
}

/** Distinct items per user and distinct users per item (the binary matrix, both ways). */
function binaryMatrix(train: UserSequences, numItems: number) {
  const numUsers = train.offsets.length - 1;
  const mark = new Int32Array(numItems).fill(-1);
  const userOffsets = new Int32Array(numUsers + 1);
  const userItems = new Int32Array(train.items.length);
  const itemDegree = new Int32Array(numItems);
  let n = 0;
  for (let u = 0; u < numUsers; u++) {
    for (let p = train.offsets[u]; p < train.offsets[u + 1]; p++) {
      const it = train.items[p];
      if (it < 0 || it >= numItems) {
        throw new RangeError(`Training item index ${it} is outside 0..${numItems - 1}.`);
      }
      if (mark[it] === u) continue;
      mark[it] = u;
      userItems[n++] = it;
      itemDegree[it]++;
    }
    userOffsets[u + 1] = n;
  }
  const itemOffsets = new Int32Array(numItems + 1);
  for (let i = 0; i < numItems; i++) itemOffsets[i + 1] = itemOffsets[i] + itemDegree[i];
  const fill = itemOffsets.slice(0, numItems);
  const itemUsers = new Int32Array(n);
  for (let u = 0; u < numUsers; u++) {
    for (let p = userOffsets[u]; p < userOffsets[u + 1]; p++) itemUsers[fill[userItems[p]]++] = u;
  }
  return { userOffsets, userItems, itemOffsets, itemUsers, itemDegree };
}

/**
 * Builds the model from the training part of a split. Cost is Σ over users of (distinct
 * items)², about 0.1 s for ml-100k; memory is O(items x neighbours).
 */
export function trainItemKnn(
  train: UserSequences,
  numItems: number,
  options: ItemKnnOptions = {},
): ItemKnnModel {
  const neighbours =
    options.neighbours ??
    (numItems <= ITEMKNN_DEFAULT_ALL_MAX_ITEMS
      ? Number.POSITIVE_INFINITY
      : ITEMKNN_DEFAULT_NEIGHBOURS);
  if (!(neighbours >= 1) || (Number.isFinite(neighbours) && !Number.isInteger(neighbours))) {
    throw new RangeError(`neighbours must be a positive integer or Infinity; got ${neighbours}.`);
  }
  if (!Number.isFinite(neighbours) && numItems > ITEMKNN_KEEP_ALL_MAX_ITEMS) {
    throw new RangeError(
      `Keeping all similarities of ${numItems} items would need too much memory; ` +
        `use at most a finite number of neighbours (e.g. 100) above ${ITEMKNN_KEEP_ALL_MAX_ITEMS} items.`,
    );
  }
  const m = binaryMatrix(train, numItems);
  const keep = Math.min(neighbours, Math.max(numItems - 1, 0));
  const heap = new TopKHeap(keep);
  const co = new Float64Array(numItems);
  const touched = new Int32Array(numItems);
  const drainedItem = new Int32Array(keep);
  const drainedSim = new Float32Array(keep);
  // Kept neighbours i of each target item j, CSR by j; grown on demand, never items x items.
  const byTarget = new Int32Array(numItems + 1);
  let nbrItem = new Int32Array(Math.min(numItems * keep, 1 << 16));
  let nbrSim = new Float32Array(nbrItem.length);
  const stats: ItemKnnStats = { nonZeroSimilarities: 0, kept: 0, dropped: 0, itemsWithoutUsers: 0 };

  for (let j = 0; j < numItems; j++) {
    byTarget[j + 1] = byTarget[j];
    if (m.itemDegree[j] === 0) {
      stats.itemsWithoutUsers++;
      continue;
    }
    let nTouched = 0;
    for (let p = m.itemOffsets[j]; p < m.itemOffsets[j + 1]; p++) {
      const u = m.itemUsers[p];
      for (let q = m.userOffsets[u]; q < m.userOffsets[u + 1]; q++) {
        const i = m.userItems[q];
        if (i === j) continue;
        if (co[i] === 0) touched[nTouched++] = i;
        co[i]++;
      }
    }
    const normJ = Math.sqrt(m.itemDegree[j]);
    for (let t = 0; t < nTouched; t++) {
      const i = touched[t];
      heap.offer(i, co[i] / (normJ * Math.sqrt(m.itemDegree[i])));
      co[i] = 0;
    }
    stats.nonZeroSimilarities += nTouched;
    const kept = heap.drain(drainedItem, drainedSim);
    if (stats.kept + kept > nbrItem.length) {
      const capacity = Math.max(2 * nbrItem.length, stats.kept + kept);
      nbrItem = grow(nbrItem, new Int32Array(capacity));
      nbrSim = grow(nbrSim, new Float32Array(capacity));
    }
    nbrItem.set(drainedItem.subarray(0, kept), stats.kept);
    nbrSim.set(drainedSim.subarray(0, kept), stats.kept);
    stats.kept += kept;
    byTarget[j + 1] = stats.kept;
  }
  stats.dropped = stats.nonZeroSimilarities - stats.kept;

  // Transpose to lists keyed by the history item i, so scoring walks only the user's items.
  const offsets = new Int32Array(numItems + 1);
  for (let s = 0; s < stats.kept; s++) offsets[nbrItem[s] + 1]++;
  for (let i = 0; i < numItems; i++) offsets[i + 1] += offsets[i];
  const fill = offsets.slice(0, numItems);
  const targets = new Int32Array(stats.kept);
  const similarities = new Float32Array(stats.kept);
  for (let j = 0; j < numItems; j++) {
    for (let s = byTarget[j]; s < byTarget[j + 1]; s++) {
      const at = fill[nbrItem[s]]++;
      targets[at] = j;
      similarities[at] = nbrSim[s];
    }
  }

  const score = itemKnnScorer(numItems, offsets, targets, similarities);
  return { id: 'itemknn', numItems, neighbours, offsets, targets, similarities, stats, score };
}

/**
 * Scores from neighbour lists keyed by history item (CSR): item j scores Σ over the distinct
 * history items i of sim(i, j). Shared by training and by restoring a saved model, so both
 * score identically.
 */
export function itemKnnScorer(
  numItems: number,
  offsets: Int32Array,
  targets: Int32Array,
  similarities: Float32Array,
): Scorer {
  return async (users, histories) => {
    const mark = new Int32Array(numItems).fill(-1);
    const out = new Float32Array(users.length * numItems);
    for (let r = 0; r < users.length; r++) {
      const base = r * numItems;
      for (let p = histories.offsets[r]; p < histories.offsets[r + 1]; p++) {
        const i = histories.items[p];
        if (i < 0 || i >= numItems)
          throw new RangeError(`History item index ${i} is out of range.`);
        if (mark[i] === r) continue;
        mark[i] = r;
        for (let q = offsets[i]; q < offsets[i + 1]; q++) out[base + targets[q]] += similarities[q];
      }
    }
    return out;
  };
}

function grow<T extends Int32Array | Float32Array>(from: T, to: T): T {
  to.set(from);
  return to;
}
