/**
 * The classic baselines (`pop`, `itemknn`) as {@link TrainedRecommender}s: fitted in one pass,
 * exported as plain typed arrays (pop: interaction counts; itemknn: its sparse neighbour
 * lists) and restored from them with exactly the scores they had.
 */
import type { HistoryBatch, Scorer, UserSequences } from '../models/baseline-types';
import { type ItemKnnModel, itemKnnScorer, trainItemKnn } from '../models/itemknn';
import { ModelFileError } from '../models/modelFileError';
import { type PopModel, popFromCounts } from '../models/pop';
import type { TrainedRecommender, WeightArray } from '../models/trained';
import type { HyperParameters } from '../models/types';
import { refuseExtraWeights, requireWeight } from '../models/weightArrays';

const POP_COUNTS = 'pop/counts';
const KNN_OFFSETS = 'itemknn/offsets';
const KNN_TARGETS = 'itemknn/targets';
const KNN_SIMILARITIES = 'itemknn/similarities';

/** pop as a trained recommender; its one weight is the per-item interaction count. */
export function popRecommender(model: PopModel): TrainedRecommender {
  return {
    id: 'pop',
    numItems: model.numItems,
    hyper: {},
    score: model.score,
    neural: null,
    readLimit: Number.POSITIVE_INFINITY,
    historyIndependent: true,
    scorePairs: async (histories, items) => {
      checkPairRows(histories, items, model.numItems);
      return Float32Array.from(items, (item) => model.itemScores[item]);
    },
    features: null,
    exportWeights: () => [
      { name: POP_COUNTS, shape: [model.numItems], dtype: 'int32', data: model.counts.slice() },
    ],
    dispose: () => {},
  };
}

/** Rebuilds pop from its saved counts (the same ranking rule as training: {@link popFromCounts}). */
export function restorePop(numItems: number, weights: readonly WeightArray[]): TrainedRecommender {
  const counts = requireWeight(weights, 'pop', POP_COUNTS, 'int32', [numItems]).data as Int32Array;
  refuseExtraWeights(weights, 'pop', [POP_COUNTS]);
  for (let i = 0; i < numItems; i++) {
    if (counts[i] < 0) {
      throw new ModelFileError(
        'shape-mismatch',
        `pop count of item ${i} is negative (${counts[i]}).`,
      );
    }
  }
  return popRecommender(popFromCounts(counts));
}

/** The `neighbours` hyper-parameter as plain data ('all' for no limit; JSON has no Infinity). */
function neighboursHyper(neighbours: number): HyperParameters {
  return { neighbours: Number.isFinite(neighbours) ? neighbours : 'all' };
}

/** Reads `neighbours` from hyper-parameters: a positive integer, 'all', or absent (default). */
export function itemKnnNeighbours(hyper: HyperParameters | undefined): number | undefined {
  const value = hyper?.neighbours;
  const unknown = Object.keys(hyper ?? {}).filter((k) => k !== 'neighbours');
  if (unknown.length > 0) {
    throw new RangeError(
      `Invalid itemknn hyper-parameters: unknown parameter ${unknown.join(', ')}.`,
    );
  }
  if (value === undefined) return undefined;
  if (value === 'all') return Number.POSITIVE_INFINITY;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 1) return value;
  throw new RangeError(
    `itemknn neighbours must be a positive integer or 'all'; got ${String(value)}.`,
  );
}

/** Fits itemknn on the training part (see {@link trainItemKnn} for cost and memory). */
export function fitItemKnn(
  train: UserSequences,
  numItems: number,
  hyper: HyperParameters | undefined,
): TrainedRecommender {
  return itemKnnRecommender(
    trainItemKnn(train, numItems, { neighbours: itemKnnNeighbours(hyper) }),
  );
}

function itemKnnRecommender(model: ItemKnnModel): TrainedRecommender {
  return knnFromLists(model.numItems, neighboursHyper(model.neighbours), model.score, {
    offsets: model.offsets,
    targets: model.targets,
    similarities: model.similarities,
  });
}

interface NeighbourLists {
  offsets: Int32Array;
  targets: Int32Array;
  similarities: Float32Array;
}

function knnFromLists(
  numItems: number,
  hyper: HyperParameters,
  score: Scorer,
  lists: NeighbourLists,
): TrainedRecommender {
  return {
    id: 'itemknn',
    numItems,
    hyper,
    score,
    neural: null,
    readLimit: Number.POSITIVE_INFINITY,
    historyIndependent: false,
    ...knnContributions(numItems, lists),
    features: null,
    exportWeights: () => [
      { name: KNN_OFFSETS, shape: [numItems + 1], dtype: 'int32', data: lists.offsets.slice() },
      {
        name: KNN_TARGETS,
        shape: [lists.targets.length],
        dtype: 'int32',
        data: lists.targets.slice(),
      },
      {
        name: KNN_SIMILARITIES,
        shape: [lists.similarities.length],
        dtype: 'float32',
        data: lists.similarities.slice(),
      },
    ],
    dispose: () => {},
  };
}

/**
 * Rebuilds itemknn from its neighbour lists, after checking they are a well-formed CSR over
 * `numItems` items. The scorer is the one of {@link trainItemKnn} (Σ over distinct history
 * items of sim(i, j)); the round-trip test pins the two to identical scores.
 */
export function restoreItemKnn(
  numItems: number,
  hyper: HyperParameters,
  weights: readonly WeightArray[],
): TrainedRecommender {
  const offsets = requireWeight(weights, 'itemknn', KNN_OFFSETS, 'int32', [numItems + 1])
    .data as Int32Array;
  const kept = offsets[numItems];
  const targets = requireWeight(weights, 'itemknn', KNN_TARGETS, 'int32', [kept])
    .data as Int32Array;
  const similarities = requireWeight(weights, 'itemknn', KNN_SIMILARITIES, 'float32', [kept])
    .data as Float32Array;
  refuseExtraWeights(weights, 'itemknn', [KNN_OFFSETS, KNN_TARGETS, KNN_SIMILARITIES]);
  if (offsets[0] !== 0) {
    throw new ModelFileError('shape-mismatch', 'itemknn offsets must start at 0.');
  }
  for (let i = 0; i < numItems; i++) {
    if (offsets[i + 1] < offsets[i]) {
      throw new ModelFileError('shape-mismatch', `itemknn offsets decrease at item ${i}.`);
    }
  }
  for (let s = 0; s < kept; s++) {
    if (targets[s] < 0 || targets[s] >= numItems) {
      throw new ModelFileError(
        'shape-mismatch',
        `itemknn neighbour ${s} points to item ${targets[s]}, outside 0..${numItems - 1}.`,
      );
    }
  }
  try {
    itemKnnNeighbours(hyper);
  } catch (error) {
    // A saved file's settings: refused as the file's fault, like a neural model's (weightPlan.ts).
    const why = error instanceof Error ? error.message : String(error);
    throw new ModelFileError(
      'invalid-metadata',
      `The model file's settings do not describe a valid itemknn model: ${why.replace(/^Invalid itemknn hyper-parameters: /, '')}`,
    );
  }
  const score = itemKnnScorer(numItems, offsets, targets, similarities);
  return knnFromLists(numItems, hyper, score, { offsets, targets, similarities });
}

/** Refuses pair inputs whose row counts differ or whose items are outside the catalogue. */
function checkPairRows(histories: HistoryBatch, items: Int32Array, numItems: number): void {
  if (histories.offsets.length - 1 !== items.length) {
    throw new RangeError(
      `Batch sizes differ: ${histories.offsets.length - 1} histories, ${items.length} items.`,
    );
  }
  for (const item of items) {
    if (!(item >= 0 && item < numItems)) {
      throw new RangeError(`Item index ${item} is outside 0..${numItems - 1}.`);
    }
  }
}

/**
 * itemknn's pair scores and exact contributions. The score of j is Σ over the distinct
 * history items i of sim(i, j); sim(·, j) is gathered once per target j (one pass over the
 * neighbour lists, O(kept)) and kept for the next call, since an explanation asks about one
 * target thousands of times.
 */
function knnContributions(
  numItems: number,
  lists: NeighbourLists,
): Pick<TrainedRecommender, 'scorePairs' | 'exactContributions'> {
  let cached: { target: number; sim: Float32Array } | null = null;
  const similarityTo = (target: number): Float32Array => {
    if (cached?.target === target) return cached.sim;
    const sim = new Float32Array(numItems);
    for (let i = 0; i < numItems; i++) {
      for (let q = lists.offsets[i]; q < lists.offsets[i + 1]; q++) {
        if (lists.targets[q] === target) sim[i] = lists.similarities[q];
      }
    }
    cached = { target, sim };
    return sim;
  };
  const mark = new Int32Array(numItems).fill(-1);
  let stamp = 0;
  return {
    async scorePairs(histories, items) {
      checkPairRows(histories, items, numItems);
      const out = new Float32Array(items.length);
      for (let r = 0; r < items.length; r++) {
        const sim = similarityTo(items[r]);
        stamp++;
        let total = 0;
        for (let p = histories.offsets[r]; p < histories.offsets[r + 1]; p++) {
          const i = histories.items[p];
          if (i < 0 || i >= numItems)
            throw new RangeError(`History item index ${i} is out of range.`);
          if (mark[i] === stamp) continue;
          mark[i] = stamp;
          total += sim[i];
        }
        out[r] = total;
      }
      return out;
    },
    async exactContributions(history, item, fixed = 0) {
      checkPairRows(history, Int32Array.of(item), numItems);
      const sim = similarityTo(item);
      const all = history.items.subarray(history.offsets[0], history.offsets[1]);
      // Items of the fixed prefix are always present: another occurrence adds nothing.
      const always = new Set(all.subarray(0, fixed));
      const items = all.subarray(fixed);
      const repeats = new Map<number, number>();
      for (const i of items) repeats.set(i, (repeats.get(i) ?? 0) + 1);
      return Float64Array.from(items, (i) => (always.has(i) ? 0 : sim[i] / (repeats.get(i) ?? 1)));
    },
  };
}
