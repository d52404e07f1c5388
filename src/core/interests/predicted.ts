/**
 * Predicted layers: what the `layered` model's three heads (softmax over categories, read from
 * the state after the most recent item) say the user's surface, middle and deep interests are,
 * and how well they fit each user's last window next to the plain baseline "the past mix".
 *
 * The fit ({@link headFit}): per user with at least two non-empty windows, the history before
 * the start of the last window goes in; the target is the category mix observed in that last
 * window; each head's prediction and the baseline (the user's whole past mix) are scored by
 * cross-entropy in bits against it (predictions smoothed with {@link CE_SMOOTHING} so an unseen
 * category is a finite cost).
 *
 * It is in-sample, not held out: the page's model was trained on the leave-last-out split,
 * whose train part holds all but each user's last two events, so most of that last window was
 * trained on. The leakage-free check (a global time cut, training on the past only, more
 * baselines and paired tests) is headsHeldOut.ts; on the bundled sample the heads there beat
 * the raw past mix on mean bits but not a smoothed past mix (docs/interests.md).
 */

import { createYielder } from '../explain/yielding';
import type { HistoryBatch } from '../models/baseline-types';
import type { TrainedRecommender } from '../models/trained';
import type * as tf from '../tf';
import { historyTokens } from '../train/batches';
import type { CategoryShare, InterestWindow } from './types';

export const LAYERS = ['surface', 'middle', 'deep'] as const;
export type Layer = (typeof LAYERS)[number];

/** Mixed into every prediction (uniform share) before its cross-entropy is taken. */
export const CE_SMOOTHING = 1e-3;
/** Histories run through the heads per batch. */
const BATCH = 128;

export type PredictedLayers = Record<Layer, CategoryShare[]>;

/** Whether a model offers interest heads (the `layered` variant, or its int8 version). */
export function hasInterestHeads(model: TrainedRecommender): boolean {
  return model.neural?.capabilities.interestHeads !== undefined;
}

/** The heads' probabilities for each history row: `[rows][layer] -> Float32Array(categories)`. */
export async function headProbabilities(
  model: TrainedRecommender,
  histories: HistoryBatch,
): Promise<Record<Layer, Float32Array>[]> {
  const neural = model.neural;
  const heads = neural?.capabilities.interestHeads;
  if (!neural || !heads) {
    throw new RangeError(
      `${model.id} has no interest heads: only the layered model predicts layers.`,
    );
  }
  const rows = histories.offsets.length - 1;
  const out: Record<Layer, Float32Array>[] = [];
  const pause = createYielder();
  for (let from = 0; from < rows; from += BATCH) {
    const to = Math.min(rows, from + BATCH);
    const start = histories.offsets[from];
    const slice: HistoryBatch = {
      offsets: histories.offsets.slice(from, to + 1).map((o) => o - start),
      items: histories.items.subarray(start, histories.offsets[to]),
      timestamps: histories.timestamps.subarray(start, histories.offsets[to]),
    };
    const tokens = historyTokens(slice, neural.maxLen);
    const layers = heads(tokens);
    try {
      const values = await Promise.all(
        LAYERS.map((l) => layers[l].data() as Promise<Float32Array>),
      );
      const width = layers.surface.shape[1];
      for (let r = 0; r < to - from; r++) {
        out.push({
          surface: values[0].slice(r * width, (r + 1) * width),
          middle: values[1].slice(r * width, (r + 1) * width),
          deep: values[2].slice(r * width, (r + 1) * width),
        });
      }
    } finally {
      for (const l of LAYERS) layers[l].dispose();
    }
    await pause();
  }
  return out;
}

/** A distribution as shares, largest first, the zeros left out. */
export function sharesOf(values: ArrayLike<number>, names: readonly string[]): CategoryShare[] {
  const shares: CategoryShare[] = [];
  for (let c = 0; c < values.length; c++) {
    if (values[c] > 0) shares.push({ category: names[c] ?? `category ${c}`, share: values[c] });
  }
  return shares.sort((a, b) => b.share - a.share || a.category.localeCompare(b.category));
}

/** What the heads say for one user's whole history. */
export async function predictedLayers(
  model: TrainedRecommender,
  history: HistoryBatch,
  names: readonly string[],
): Promise<PredictedLayers> {
  const [row] = await headProbabilities(model, history);
  return {
    surface: sharesOf(row.surface, names),
    middle: sharesOf(row.middle, names),
    deep: sharesOf(row.deep, names),
  };
}

/** Cross-entropy in bits of `target` under `prediction` (smoothed). */
export function crossEntropyBits(target: ArrayLike<number>, prediction: ArrayLike<number>): number {
  const n = prediction.length;
  let total = 0;
  for (let c = 0; c < n; c++) {
    if (target[c] > 0) {
      const p = (1 - CE_SMOOTHING) * prediction[c] + CE_SMOOTHING / n;
      total -= target[c] * Math.log2(p);
    }
  }
  return total;
}

export interface HeadFit {
  /** Users the check ran on (two or more non-empty windows). */
  users: number;
  /** Mean cross-entropy (bits) of each head against the last window's mix. */
  heads: Record<Layer, number>;
  /** The same for the user's past mix (the baseline a head must beat). */
  pastMix: number;
}

/** One user's input to {@link headFit}: their history, and their windows (oldest first). */
export interface FitUser {
  history: HistoryBatch;
  windows: readonly InterestWindow[];
}

/**
 * How well the heads fit the last window of each user (see the module comment: in-sample for a
 * model trained on the usual split; headsHeldOut.ts holds out by time). `signal` is checked
 * between batches.
 */
export async function headFit(
  model: TrainedRecommender,
  users: readonly FitUser[],
  options: { signal?: AbortSignal } = {},
): Promise<HeadFit> {
  const cut: HistoryBatch[] = [];
  const targets: number[][] = [];
  const past: Float64Array[] = [];
  for (const u of users) {
    const nonEmpty = u.windows.filter((w) => w.events > 0);
    if (nonEmpty.length < 2) continue;
    const last = nonEmpty[nonEmpty.length - 1];
    const { items, timestamps } = u.history;
    const end = u.history.offsets[1];
    let keep = 0;
    while (keep < end && timestamps[keep] < last.start) keep++;
    if (keep === 0) continue;
    cut.push({
      offsets: Int32Array.of(0, keep),
      items: items.subarray(0, keep),
      timestamps: timestamps.subarray(0, keep),
    });
    targets.push(last.distribution);
    const mix = new Float64Array(last.distribution.length);
    let events = 0;
    for (const w of nonEmpty.slice(0, -1)) {
      for (let c = 0; c < mix.length; c++) mix[c] += w.distribution[c] * w.events;
      events += w.events;
    }
    for (let c = 0; c < mix.length; c++) mix[c] /= events;
    past.push(mix);
  }
  const heads: Record<Layer, number> = { surface: 0, middle: 0, deep: 0 };
  if (cut.length === 0) return { users: 0, heads, pastMix: Number.NaN };
  options.signal?.throwIfAborted();
  const offsets = new Int32Array(cut.length + 1);
  for (let r = 0; r < cut.length; r++) offsets[r + 1] = offsets[r] + cut[r].items.length;
  const items = new Int32Array(offsets[cut.length]);
  const timestamps = new Float64Array(offsets[cut.length]);
  for (let r = 0; r < cut.length; r++) {
    items.set(cut[r].items, offsets[r]);
    timestamps.set(cut[r].timestamps, offsets[r]);
  }
  const probabilities = await headProbabilities(model, { offsets, items, timestamps });
  options.signal?.throwIfAborted();
  let pastMix = 0;
  for (let r = 0; r < cut.length; r++) {
    for (const l of LAYERS) heads[l] += crossEntropyBits(targets[r], probabilities[r][l]);
    pastMix += crossEntropyBits(targets[r], past[r]);
  }
  for (const l of LAYERS) heads[l] /= cut.length;
  return { users: cut.length, heads, pastMix: pastMix / cut.length };
}

/** Keeps TF.js imported for the type of the heads (their tensors are disposed above). */
export type HeadTensor = tf.Tensor2D;
