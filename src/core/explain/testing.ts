/**
 * Test-only helpers for the explanation engine's tests: tiny models of every kind (seeded,
 * untrained unless training matters), one-row histories, an explanation request, and an
 * independent re-ranking that shares no code with the engine's perturbation scorer.
 */
import type { Dataset } from '../data/types';
import type { HistoryBatch } from '../models/baseline-types';
import { itemFeaturesFromDataset } from '../models/features';
import { quantizedVariant } from '../models/quantizedRecommender';
import { NEURAL_MODELS } from '../models/registry';
import { cycleDataset } from '../models/tfTesting';
import type { ItemFeatures, TrainedRecommender } from '../models/trained';
import type { HyperParameters, ModelId } from '../models/types';
import { SeededRandom } from '../sample/random';
import * as tf from '../tf';
import { buildNeural, neuralRecommender } from '../train/neuralVariant';
import { type LeaveLastOutSplit, temporalLeaveLastOut } from '../train/split';
import { trainVariant } from '../train/variants';
import { type ExplainRequest, explainRecommendation } from './engine';
import { type Attribution, EXPLAIN_METHODS, type ExplainOptionsInput } from './types';

export const NUM_ITEMS = 20;
export const MAX_LEN = 8;
export const CATEGORY_NAMES = ['drama', 'comedy', 'horror', 'news'];

/** Tiny hyper-parameters per neural model (dim 8, maxLen 8, no dropout). */
export const TINY_HYPER: Record<string, HyperParameters> = {
  weighted: { dim: 8, maxLen: MAX_LEN, dropout: 0, recencyDecay: 3 },
  gru: { dim: 8, maxLen: MAX_LEN, dropout: 0 },
  sasrec: { dim: 8, maxLen: MAX_LEN, dropout: 0, blocks: 2, heads: 2 },
  din: { dim: 8, maxLen: MAX_LEN, dropout: 0, attentionUnits: 4 },
  twotower: { dim: 8, maxLen: MAX_LEN, dropout: 0, pooling: 'attention' },
  ncf: { dim: 8, maxLen: MAX_LEN, dropout: 0 },
  layered: { dim: 8, maxLen: MAX_LEN, dropout: 0 },
};

/** The cycle dataset (12 users, 20 items) with four categories: item i is in category i mod 4. */
export function categorisedDataset(): Dataset {
  const base = cycleDataset(12, NUM_ITEMS, 8);
  return {
    ...base,
    categoryNames: CATEGORY_NAMES,
    itemCategories: base.itemIds.map((_, i) => [i % CATEGORY_NAMES.length]),
  };
}

let shared: { dataset: Dataset; split: LeaveLastOutSplit; features: ItemFeatures } | null = null;

/** One categorised dataset, its split and item features, built once per test file. */
export function testData() {
  if (!shared) {
    const dataset = categorisedDataset();
    shared = {
      dataset,
      split: temporalLeaveLastOut(dataset),
      features: itemFeaturesFromDataset(dataset, 16),
    };
  }
  return shared;
}

/** A seeded, untrained neural model of `id` as a trained recommender (the test's to dispose). */
export function untrained(id: ModelId, seed = 3, extra: HyperParameters = {}): TrainedRecommender {
  const { features } = testData();
  const neural = buildNeural(id, NUM_ITEMS, { ...TINY_HYPER[id], ...extra }, seed, features);
  return neuralRecommender(neural, features);
}

/** Model `id` fitted on the test data: baselines in one pass, neural models for `epochs`. */
export async function trained(id: ModelId, epochs = 2, seed = 5): Promise<TrainedRecommender> {
  const { dataset, split, features } = testData();
  const { model } = await trainVariant(dataset, split, id, {
    hyper: id === 'pop' || id === 'itemknn' ? undefined : TINY_HYPER[id],
    epochs,
    seed,
    patience: epochs,
    batchSize: 16,
    features,
  });
  return model;
}

/** The int8 variant of a seeded, untrained `id` model (the caller disposes both). */
export function int8(
  id: ModelId,
  seed = 3,
  extra: HyperParameters = {},
): { model: TrainedRecommender; dispose: () => void } {
  const { features } = testData();
  const entry = NEURAL_MODELS[id];
  if (!entry) throw new Error(`no neural model ${id}`);
  const original = buildNeural(id, NUM_ITEMS, { ...TINY_HYPER[id], ...extra }, seed, features);
  const quantized = quantizedVariant(original, entry.factory, { features });
  return {
    model: neuralRecommender(quantized, features),
    dispose: () => {
      quantized.dispose();
      original.dispose();
    },
  };
}

/** One history row; timestamps one day apart unless given (NaN = no timestamps). */
export function oneHistory(items: readonly number[], timestamps?: readonly number[]): HistoryBatch {
  return {
    offsets: Int32Array.of(0, items.length),
    items: Int32Array.from(items),
    timestamps: Float64Array.from(items, (_, k) => timestamps?.[k] ?? k * 86_400_000),
  };
}

/** An explanation request for `items` over the test data's categories. */
export function request(
  model: TrainedRecommender,
  items: readonly number[],
  item: number | null = null,
): ExplainRequest {
  const { dataset } = testData();
  return {
    model,
    history: oneHistory(items),
    item,
    itemCategories: dataset.itemCategories,
    categoryNames: dataset.categoryNames,
  };
}

/** `count` distinct items drawn with `seed` (a history without repeats). */
export function distinctItems(count: number, seed: number, numItems = NUM_ITEMS): number[] {
  const rng = new SeededRandom(seed, 'explain-test-history');
  const pool = Array.from({ length: numItems }, (_, i) => i);
  for (let i = pool.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  return pool.slice(0, count);
}

/**
 * Independently of the engine: the rank of `item` after scoring each of `histories` with the
 * model's full-catalogue `score`, excluding the items of that history (except `item`), ties
 * counted against the item.
 */
export async function independentRanks(
  model: TrainedRecommender,
  histories: readonly (readonly number[])[],
  item: number,
): Promise<number[]> {
  const offsets = new Int32Array(histories.length + 1);
  histories.forEach((h, r) => {
    offsets[r + 1] = offsets[r] + h.length;
  });
  const items = Int32Array.from(histories.flat());
  const scores = await model.score(new Int32Array(histories.length).fill(-1), {
    offsets,
    items,
    timestamps: new Float64Array(items.length).fill(Number.NaN),
  });
  const n = model.numItems;
  return histories.map((h, r) => {
    const seen = new Set(h);
    const own = scores[r * n + item];
    let rank = 1;
    for (let j = 0; j < n; j++) {
      if (j === item || seen.has(j)) continue;
      if (scores[r * n + j] >= own) rank++;
    }
    return rank;
  });
}

/** Attribution values, oldest first. */
export const valuesOf = (list: readonly Attribution[]): number[] => list.map((a) => a.value);

/** Largest |a − b| over max |b| (relative error on the scale of `b`). */
export function relativeError(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length) throw new Error(`lengths differ: ${a.length} vs ${b.length}`);
  const scale = b.reduce((m, v) => Math.max(m, Math.abs(v)), 1e-12);
  return a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0) / scale;
}

/** Every subset of 0..n-1 with fewer than `size` members. */
export function subsetsSmallerThan(n: number, size: number): number[][] {
  const out: number[][] = [];
  for (let bits = 0; bits < 1 << n; bits++) {
    const set: number[] = [];
    for (let i = 0; i < n; i++) if (bits & (1 << i)) set.push(i);
    if (set.length < size) out.push(set);
  }
  return out;
}

const CHEAP_METHODS = ['exact', 'attention', 'saliency', 'gradxinput', 'ig', 'occlusion'] as const;

/**
 * The options of call `i` of a leak check: one cheap method per call (rotating through all of
 * them), under the score and margin targets, both removals and both IG baselines; every 50th
 * call runs every method and the counterfactual (SHAP exact, then by permutations).
 */
export function loopOptions(i: number): ExplainOptionsInput {
  const all = i % 50 === 49;
  return {
    methods: all ? EXPLAIN_METHODS : [CHEAP_METHODS[i % CHEAP_METHODS.length]],
    k: 3,
    target: i % 2 === 0 ? 'score' : 'margin',
    removal: i % 3 === 0 ? 'in-place' : 'close-up',
    ig: { minSteps: 8, maxSteps: 32, baseline: i % 4 < 2 ? 'padding' : 'mean' },
    lime: { samples: 100, seeds: 2 },
    shap: { exactMaxItems: i % 100 === 49 ? 4 : 12, maxEvaluations: 400 },
    randomOrders: 1,
  };
}

/** The leak checks' window: short, so 200 calls stay cheap; their long history exceeds it. */
export const LOOP_HYPER = { maxLen: 4 };

/** Calls run before the baseline count: each option variant and history at least once. */
const WARMUP = [...Array.from({ length: 12 }, (_, i) => i), 49, 99];

/**
 * Runs the warm-up calls, then `calls` explanations of `model` (a short history and one longer
 * than a neural window; the top item or a fixed other one) and returns the live tensor counts
 * before and after the counted calls.
 */
export async function tensorCountsOverCalls(
  model: TrainedRecommender,
  calls: number,
): Promise<{ before: number; after: number }> {
  const histories = [distinctItems(3, 31), distinctItems(7, 32)];
  const run = async (i: number) => {
    const history = histories[Math.floor(i / CHEAP_METHODS.length) % 2];
    const other = Array.from({ length: model.numItems }, (_, j) => j).find(
      (j) => !history.includes(j),
    ) as number;
    await explainRecommendation(
      request(model, history, i % 4 === 1 ? other : null),
      loopOptions(i),
    );
  };
  for (const i of WARMUP) await run(i);
  const before = tf.memory().numTensors;
  for (let i = 0; i < calls; i++) await run(i);
  return { before, after: tf.memory().numTensors };
}
