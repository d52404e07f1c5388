/**
 * Evaluates any {@link Scorer} on a leave-last-out split: the same batches, the same exclusion
 * of seen items and the same metric code for every model variant.
 */
import type {
  EvaluationProtocol,
  EvaluationTarget,
  HistoryBatch,
  MetricReport,
  MetricsAtK,
  Scorer,
} from '../models/baseline-types';
import { SeededRandom } from '../random';
import {
  CoverageCounter,
  ndcgAtK,
  rankAmongCandidates,
  rankOfTargets,
  recallAtK,
  reciprocalRank,
  topKPerRow,
} from './metrics';
import type { HeldOutTargets, LeaveLastOutSplit } from './split';

/** Negatives per user under the `sampled-100` protocol. */
export const SAMPLED_NEGATIVES = 100;

export interface EvaluateOptions {
  /** Cut-offs; default [10, 20]. */
  k?: number[];
  which: EvaluationTarget;
  /** Default `full-ranking`. */
  protocol?: EvaluationProtocol;
  /** Users scored per scorer call; default 256. */
  batchSize?: number;
  /** Seed of the negative sampling (`sampled-100` only); default 42. */
  seed?: number;
  /**
   * Also return each user's top `keepTopK` unseen items (full ranking only): the lists the
   * comparison view matches across models, from the very scores the metrics come from.
   */
  keepTopK?: number;
  /** Checked between batches, so a cancel takes effect within one batch. */
  signal?: AbortSignal;
  onProgress?: (usersDone: number, usersTotal: number) => void;
}

export interface EvaluationResult {
  report: MetricReport;
  /** Evaluated users and the rank of each one's target (Infinity = cannot be hit), for paired comparisons. */
  users: Int32Array;
  ranks: Float64Array;
  /** Row-major `users.length x keepTopK` lists, best first, -1 padded; when asked for. */
  top?: Int32Array;
  /** Wall time spent in the scorer (ms), for latency per user. */
  scoringMs: number;
}

/**
 * The histories (everything before the target) of targets `from..to` as one CSR batch, as
 * passed to scorers. Copied out of the split, so editing them (what-if) cannot corrupt it.
 */
export function historyBatch(
  split: LeaveLastOutSplit,
  targets: HeldOutTargets,
  from: number,
  to: number,
): HistoryBatch {
  const offsets = new Int32Array(to - from + 1);
  for (let r = from; r < to; r++) {
    offsets[r - from + 1] = offsets[r - from] + targets.historyEnd[r] - targets.historyStart[r];
  }
  const items = new Int32Array(offsets[to - from]);
  const timestamps = new Float64Array(items.length);
  for (let r = from; r < to; r++) {
    const start = targets.historyStart[r];
    const end = targets.historyEnd[r];
    items.set(split.sequenceItems.subarray(start, end), offsets[r - from]);
    timestamps.set(split.sequenceTimestamps.subarray(start, end), offsets[r - from]);
  }
  return { offsets, items, timestamps };
}

/**
 * Draws up to `count` distinct items uniformly from those not marked with `stamp` (the
 * history and the target), seeded per user. Returns fewer when fewer are left.
 */
function sampleNegatives(
  numItems: number,
  mark: Int32Array,
  stamp: number,
  count: number,
  seed: number,
  scratch: Int32Array,
): Int32Array {
  let available = 0;
  for (let j = 0; j < numItems; j++) if (mark[j] !== stamp) scratch[available++] = j;
  const take = Math.min(count, available);
  // One stream per user (started from its raw seed), so batching does not matter.
  const rng = SeededRandom.fromState(seed);
  for (let i = 0; i < take; i++) {
    const pick = i + Math.floor(rng.next() * (available - i));
    const tmp = scratch[i];
    scratch[i] = scratch[pick];
    scratch[pick] = tmp;
  }
  return scratch.subarray(0, take);
}

function checkCutoffs(ks: number[]): number[] {
  if (ks.length === 0) throw new RangeError('At least one cut-off K is needed.');
  for (const k of ks) {
    if (!Number.isInteger(k) || k < 1)
      throw new RangeError(`Cut-off K must be a positive integer; got ${k}.`);
  }
  return [...new Set(ks)].sort((a, b) => a - b);
}

/**
 * Scores every evaluated user's validation or test target with `scorer` and reports HR@K,
 * NDCG@K, Recall@K, coverage@K and MRR, labelled with the protocol and user counts. Seen items
 * (the history before the target) are excluded from the ranking under both protocols.
 */
export async function evaluate(
  scorer: Scorer,
  split: LeaveLastOutSplit,
  options: EvaluateOptions,
): Promise<EvaluationResult> {
  const ks = checkCutoffs(options.k ?? [10, 20]);
  const protocol = options.protocol ?? 'full-ranking';
  const batchSize = options.batchSize ?? 256;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new RangeError(`batchSize must be a positive integer; got ${batchSize}.`);
  }
  const seed = options.seed ?? 42;
  const targets = split[options.which];
  const { numItems } = split;
  const n = targets.users.length;
  if (n === 0) {
    throw new Error(
      `No user has at least ${split.minInteractions} interactions, so there is nothing to evaluate ` +
        `(${split.excludedUsers.length} users excluded).`,
    );
  }
  const keepTopK = options.keepTopK ?? 0;
  if (!Number.isInteger(keepTopK) || keepTopK < 0) {
    throw new RangeError(`keepTopK must be a non-negative integer; got ${keepTopK}.`);
  }
  if (keepTopK > 0 && protocol !== 'full-ranking') {
    throw new RangeError('Top-K lists are kept only under the full-ranking protocol.');
  }
  const maxK = Math.max(ks[ks.length - 1], keepTopK);
  const kept = keepTopK > 0 ? new Int32Array(n * keepTopK) : undefined;
  let scoringMs = 0;
  const coverage = ks.map((k) => new CoverageCounter(numItems, k));
  const ranks = new Float64Array(n);
  const mark = new Int32Array(numItems).fill(-1);
  const scratch = new Int32Array(protocol === 'sampled-100' ? numItems : 0);
  let negativesShortfall = 0;

  for (let from = 0; from < n; from += batchSize) {
    options.signal?.throwIfAborted();
    const to = Math.min(n, from + batchSize);
    const histories = historyBatch(split, targets, from, to);
    // The scorer owns what it is given (it may keep, edit or transfer it): give it copies.
    const scoringStarted = performance.now();
    const scores = await scorer(targets.users.slice(from, to), {
      offsets: histories.offsets.slice(),
      items: histories.items.slice(),
      timestamps: histories.timestamps.slice(),
    });
    scoringMs += performance.now() - scoringStarted;
    checkScores(scores, to - from, numItems, from);
    const batchTargets = targets.items.subarray(from, to);
    if (protocol === 'full-ranking') {
      ranks.set(rankOfTargets(scores, numItems, batchTargets, histories), from);
      const top = topKPerRow(scores, numItems, maxK, histories);
      for (const counter of coverage) counter.add(top, maxK);
      if (kept) {
        for (let r = 0; r < to - from; r++) {
          kept.set(top.subarray(r * maxK, r * maxK + keepTopK), (from + r) * keepTopK);
        }
      }
    } else {
      for (let r = 0; r < to - from; r++) {
        const target = batchTargets[r];
        let repeat = false;
        for (let p = histories.offsets[r]; p < histories.offsets[r + 1]; p++) {
          mark[histories.items[p]] = from + r;
          if (histories.items[p] === target) repeat = true;
        }
        mark[target] = from + r;
        const user = targets.users[from + r];
        const negatives = sampleNegatives(
          numItems,
          mark,
          from + r,
          SAMPLED_NEGATIVES,
          (seed ^ Math.imul(user + 1, 0x9e3779b1)) >>> 0,
          scratch,
        );
        if (negatives.length < SAMPLED_NEGATIVES) negativesShortfall++;
        ranks[from + r] = repeat
          ? Number.POSITIVE_INFINITY
          : rankAmongCandidates(scores, r * numItems, target, negatives);
      }
    }
    options.onProgress?.(to, n);
  }

  const atK: MetricsAtK[] = ks.map((k, i) => {
    let hits = 0;
    let ndcg = 0;
    let recall = 0;
    for (let r = 0; r < n; r++) {
      if (ranks[r] <= k) hits++;
      ndcg += ndcgAtK([ranks[r]], k);
      recall += recallAtK([ranks[r]], k);
    }
    return {
      k,
      hitRate: hits / n,
      ndcg: ndcg / n,
      recall: recall / n,
      coverage: protocol === 'full-ranking' ? coverage[i].value : null,
    };
  });
  let mrr = 0;
  for (let r = 0; r < n; r++) mrr += reciprocalRank(ranks[r]);

  return {
    report: {
      protocol,
      which: options.which,
      tieRule: 'ties-count-against',
      atK,
      mrr: mrr / n,
      usersEvaluated: n,
      usersExcluded: split.excludedUsers.length,
      minInteractions: split.minInteractions,
      repeatTargets: targets.repeatTargets,
      numItems,
      seed: protocol === 'sampled-100' ? seed : null,
      negativesShortfall,
    },
    users: targets.users.slice(),
    ranks,
    top: kept,
    scoringMs,
  };
}

/** Rejects a scorer output of the wrong size or with NaN, naming the batch. */
function checkScores(scores: Float32Array, rows: number, numItems: number, from: number): void {
  if (!(scores instanceof Float32Array) || scores.length !== rows * numItems) {
    throw new Error(
      `Scorer returned ${scores?.length ?? 'nothing'} scores for users ${from}..${from + rows - 1}; ` +
        `expected ${rows} x ${numItems} = ${rows * numItems}.`,
    );
  }
  let nan = 0;
  for (let j = 0; j < scores.length; j++) if (Number.isNaN(scores[j])) nan++;
  if (nan > 0) {
    throw new Error(
      `Scorer returned ${nan} NaN scores for users ${from}..${from + rows - 1}; the model has diverged.`,
    );
  }
}
