/**
 * `pop`: recommend what was most often interacted with in the training window. The floor every
 * personalised model must clear; shown next to every variant.
 */
import type { Scorer, UserSequences } from './baseline-types';

export interface PopModel {
  id: 'pop';
  numItems: number;
  /** Interactions per item in the training part (repeats counted). */
  counts: Int32Array;
  /**
   * Score per item: numItems - position in the popularity order (count descending, then item
   * index ascending). Distinct by construction, so the tie rule of the
   * metrics cannot flatter pop on its many tied tail items.
   */
  itemScores: Float32Array;
  /** Same scores for every user; the history only matters through the exclusion of seen items. */
  score: Scorer;
}

/** Counts interactions per item in `train` and ranks items by that count (ties: lower index first). */
export function trainPop(train: UserSequences, numItems: number): PopModel {
  if (!Number.isInteger(numItems) || numItems < 1) {
    throw new RangeError(`pop needs at least one item; got numItems = ${numItems}.`);
  }
  const counts = new Int32Array(numItems);
  for (let p = 0; p < train.items.length; p++) {
    const it = train.items[p];
    if (it < 0 || it >= numItems) {
      throw new RangeError(`Training item index ${it} is outside 0..${numItems - 1}.`);
    }
    counts[it]++;
  }
  return popFromCounts(counts);
}

/**
 * pop from per-item interaction counts (training, or a saved model): ranks items by count,
 * ties by lower index. The one place the ranking rule lives.
 */
export function popFromCounts(counts: Int32Array): PopModel {
  const numItems = counts.length;
  const order = Array.from({ length: numItems }, (_, i) => i);
  order.sort((a, b) => counts[b] - counts[a] || a - b);
  const itemScores = new Float32Array(numItems);
  for (let pos = 0; pos < numItems; pos++) itemScores[order[pos]] = numItems - pos;

  const score: Scorer = async (users) => {
    const out = new Float32Array(users.length * numItems);
    for (let r = 0; r < users.length; r++) out.set(itemScores, r * numItems);
    return out;
  };
  return { id: 'pop', numItems, counts, itemScores, score };
}
