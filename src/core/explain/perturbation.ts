/**
 * The one place where an edited history is scored. Every perturbation method (occlusion,
 * LIME, SHAP, counterfactuals, faithfulness) describes its histories as keep-masks over the
 * items the model reads and asks this scorer for the target (one number per mask) or for the
 * item's rank; the scorer builds the histories, batches them in bounded chunks, caches the
 * target per mask (occlusion, SHAP, LIME and the curves share many masks: the full and empty
 * history, leave-one-out sets) and counts what it evaluated.
 */
import type { HistoryBatch } from '../models/baseline-types';
import type { TrainedRecommender } from '../models/trained';
import type { Removal } from './types';
import { createYielder } from './yielding';

/** Model rows × read positions per scoring call: bounds memory for long histories. */
const ROW_POSITION_BUDGET = 32_768;
/** Scores (rows × catalogue) held at once when ranking. */
const RANK_SCORE_BUDGET = 4_000_000;

/** A keep-mask over the read items: 1 = kept, 0 = removed. */
export type Mask = Uint8Array;

export interface PerturbationInput {
  model: TrainedRecommender;
  /** The read items (the last `readLimit` of the history), oldest first. */
  read: Int32Array;
  /** Older interactions the model does not read (still excluded from the ranking as seen). */
  unread: Int32Array;
  /** Read items older than the explained ones: present in every edited history, not attributed. */
  context: Int32Array;
  item: number;
  /** Subtracted from the item's score under the `margin` target; null under `score`. */
  competitor: number | null;
  removal: Removal;
  signal?: AbortSignal;
}

export class PerturbationScorer {
  readonly n: number;
  /** Model rows scored so far (cache hits excluded). */
  evaluations = 0;
  private readonly cache = new Map<string, number>();
  private readonly rankCache = new Map<string, number>();
  private readonly chunkRows: number;
  /** -1 marks an empty slot (padding token) under in-place removal of a sequence model. */
  private readonly holes: boolean;
  /** Lets the event loop run between chunks (a Cancel or Ctrl-C is read within ~20 ms). */
  readonly pause = createYielder();

  constructor(private readonly input: PerturbationInput) {
    this.n = input.read.length;
    // Every row carries the context too (a model without a window over a very long history).
    const span = Number.isFinite(input.model.readLimit)
      ? input.model.readLimit
      : input.context.length + this.n;
    this.chunkRows = Math.max(
      8,
      Math.min(1024, Math.floor(ROW_POSITION_BUDGET / Math.max(1, span))),
    );
    this.holes = input.removal === 'in-place' && input.model.neural !== null;
  }

  full(): Mask {
    return new Uint8Array(this.n).fill(1);
  }

  /** The target (score, or margin over the competitor) for each mask. */
  async targets(masks: readonly Mask[]): Promise<Float64Array> {
    const out = new Float64Array(masks.length);
    const missing: number[] = [];
    const keys = masks.map(maskKey);
    const firstOfKey = new Map<string, number>();
    for (let m = 0; m < masks.length; m++) {
      const hit = this.cache.get(keys[m]);
      if (hit !== undefined) out[m] = hit;
      else if (!firstOfKey.has(keys[m])) {
        firstOfKey.set(keys[m], m);
        missing.push(m);
      }
    }
    for (let from = 0; from < missing.length; from += this.chunkRows) {
      await this.pause();
      this.input.signal?.throwIfAborted();
      const chunk = missing.slice(from, from + this.chunkRows);
      const values = await this.scoreMasks(chunk.map((m) => masks[m]));
      chunk.forEach((m, i) => {
        this.cache.set(keys[m], values[i]);
      });
    }
    for (let m = 0; m < masks.length; m++) out[m] = this.cache.get(keys[m]) as number;
    return out;
  }

  /** One target. */
  async target(mask: Mask): Promise<number> {
    return (await this.targets([mask]))[0];
  }

  /**
   * The item's rank (1 = best) under each mask, in the full ranking with seen items excluded:
   * the unread interactions and the kept read items are seen; removed ones are not (the
   * interaction did not happen). Ties count against the item, as in the metrics.
   */
  async ranks(masks: readonly Mask[]): Promise<Int32Array> {
    const keys = masks.map(maskKey);
    const missing: Mask[] = [];
    const missingKeys: string[] = [];
    const queued = new Set<string>();
    keys.forEach((key, m) => {
      if (this.rankCache.has(key) || queued.has(key)) return;
      queued.add(key);
      missing.push(masks[m]);
      missingKeys.push(key);
    });
    const { model, item } = this.input;
    const numItems = model.numItems;
    const rows = Math.max(1, Math.min(this.chunkRows, Math.floor(RANK_SCORE_BUDGET / numItems)));
    const seen = new Uint8Array(numItems);
    for (let from = 0; from < missing.length; from += rows) {
      await this.pause();
      this.input.signal?.throwIfAborted();
      const chunk = missing.slice(from, from + rows);
      const scores = await model.score(
        new Int32Array(chunk.length).fill(-1),
        this.histories(chunk),
      );
      this.evaluations += chunk.length;
      chunk.forEach((mask, r) => {
        seen.fill(0);
        for (const i of this.input.unread) seen[i] = 1;
        for (const i of this.input.context) seen[i] = 1;
        mask.forEach((keep, p) => {
          if (keep) seen[this.input.read[p]] = 1;
        });
        seen[item] = 0;
        this.rankCache.set(
          missingKeys[from + r],
          rankIn(scores, r * numItems, numItems, item, seen),
        );
      });
    }
    return Int32Array.from(keys, (key) => this.rankCache.get(key) as number);
  }

  private async scoreMasks(masks: readonly Mask[]): Promise<Float64Array> {
    const { model, item, competitor } = this.input;
    const histories = this.histories(masks);
    const rows = masks.length;
    if (competitor === null) {
      const scores = await model.scorePairs(histories, new Int32Array(rows).fill(item));
      this.evaluations += rows;
      return Float64Array.from(scores);
    }
    const twice = stackTwice(histories);
    const items = new Int32Array(2 * rows);
    items.fill(item, 0, rows);
    items.fill(competitor, rows);
    const scores = await model.scorePairs(twice, items);
    this.evaluations += rows;
    return Float64Array.from({ length: rows }, (_, r) => scores[r] - scores[rows + r]);
  }

  /** The read-window histories of `masks` (never the unread items: they must not slide in). */
  histories(masks: readonly Mask[]): HistoryBatch {
    const { read, context } = this.input;
    const offsets = new Int32Array(masks.length + 1);
    const items: number[] = [];
    masks.forEach((mask, r) => {
      for (const i of context) items.push(i);
      for (let p = 0; p < this.n; p++) {
        if (mask[p]) items.push(read[p]);
        else if (this.holes) items.push(-1);
      }
      offsets[r + 1] = items.length;
    });
    return {
      offsets,
      items: Int32Array.from(items),
      timestamps: new Float64Array(items.length).fill(Number.NaN),
    };
  }
}

/** 1 + the unseen items other than `item` scoring at least as high (ties against the item). */
export function rankIn(
  scores: Float32Array,
  base: number,
  numItems: number,
  item: number,
  seen: Uint8Array,
): number {
  const s = scores[base + item];
  if (Number.isNaN(s)) return numItems;
  let rank = 1;
  for (let j = 0; j < numItems; j++) {
    if (j !== item && !seen[j] && scores[base + j] >= s) rank++;
  }
  return rank;
}

function stackTwice(h: HistoryBatch): HistoryBatch {
  const rows = h.offsets.length - 1;
  const total = h.items.length;
  const offsets = new Int32Array(2 * rows + 1);
  for (let r = 0; r <= rows; r++) {
    offsets[r] = h.offsets[r];
    offsets[rows + r] = total + h.offsets[r];
  }
  const items = new Int32Array(2 * total);
  items.set(h.items);
  items.set(h.items, total);
  const timestamps = new Float64Array(2 * total);
  timestamps.set(h.timestamps);
  timestamps.set(h.timestamps, total);
  return { offsets, items, timestamps };
}

function maskKey(mask: Mask): string {
  let key = '';
  for (let i = 0; i < mask.length; i += 16) {
    let word = 0;
    for (let b = 0; b < 16 && i + b < mask.length; b++) if (mask[i + b]) word |= 1 << b;
    key += String.fromCharCode(word);
  }
  return key;
}

/** A mask keeping every item except those at `removed`. */
export function withoutPositions(n: number, removed: Iterable<number>): Mask {
  const mask = new Uint8Array(n).fill(1);
  for (const p of removed) mask[p] = 0;
  return mask;
}
