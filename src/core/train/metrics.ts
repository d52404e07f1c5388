/**
 * Ranking metrics for next-item evaluation, computed without sorting the catalogue: the rank
 * of a target is 1 + the number of other candidates scoring at least as high, which one pass
 * over the scores gives (O(items) per user, not O(items log items)).
 *
 * Tie rule: candidates whose score equals the target's push it down (the conservative
 * "ties count against the target" rule). The optimistic "strictly greater" rule used by many
 * evaluators rewards degenerate models: one that gives every item the same score would rank
 * every target first. With float scores ties are rare, so the two rules differ only where a
 * model really cannot tell items apart (e.g. itemknn's zero-similarity tail).
 */

/** Per-row lists of item indices (CSR), e.g. the histories whose items are excluded. */
export interface ItemLists {
  offsets: Int32Array;
  items: Int32Array;
}

function checkShape(scores: Float32Array, numItems: number, rows: number): void {
  if (scores.length !== rows * numItems) {
    throw new Error(
      `Scores have length ${scores.length}; expected ${rows} rows x ${numItems} items = ${rows * numItems}.`,
    );
  }
}

/**
 * Rank of each row's target among all items not excluded for that row (1 = best); other items
 * with an equal score count as above it. A target that is itself excluded (already in the history) cannot be
 * recommended and gets rank Infinity, which every metric below turns into a miss.
 *
 * @param scores row-major `targets.length x numItems`
 * @param exclude per row, the items to leave out of the ranking (duplicates allowed)
 */
export function rankOfTargets(
  scores: Float32Array,
  numItems: number,
  targets: Int32Array,
  exclude: ItemLists,
): Float64Array {
  const rows = targets.length;
  checkShape(scores, numItems, rows);
  const ranks = new Float64Array(rows);
  const mark = new Int32Array(numItems).fill(-1);
  for (let r = 0; r < rows; r++) {
    const base = r * numItems;
    const target = targets[r];
    const t = scores[base + target];
    if (Number.isNaN(t)) throw new Error(`Score of the target item ${target} in row ${r} is NaN.`);
    let targetExcluded = false;
    let excludedAbove = 0;
    for (let p = exclude.offsets[r]; p < exclude.offsets[r + 1]; p++) {
      const it = exclude.items[p];
      if (mark[it] === r) continue;
      mark[it] = r;
      if (it === target) targetExcluded = true;
      else if (scores[base + it] >= t) excludedAbove++;
    }
    if (targetExcluded) {
      ranks[r] = Number.POSITIVE_INFINITY;
      continue;
    }
    // Counts the target itself too (its score equals t), hence no "1 +".
    let atLeast = 0;
    for (let j = base, end = base + numItems; j < end; j++) if (scores[j] >= t) atLeast++;
    ranks[r] = atLeast - excludedAbove;
  }
  return ranks;
}

/**
 * Rank of a target among a given candidate set only (the sampled protocol): 1 + the number of
 * candidates scoring at least as high. `candidates` must not contain the target.
 */
export function rankAmongCandidates(
  scores: Float32Array,
  rowOffset: number,
  target: number,
  candidates: ArrayLike<number>,
): number {
  const t = scores[rowOffset + target];
  if (Number.isNaN(t)) throw new Error(`Score of the target item ${target} is NaN.`);
  let above = 0;
  for (let c = 0; c < candidates.length; c++) if (scores[rowOffset + candidates[c]] >= t) above++;
  return 1 + above;
}

/**
 * Keeps the k best (index, score) pairs seen so far, in O(log k) per offer. Better = higher
 * score; equal scores are ordered by lower index, so results are deterministic.
 */
export class TopKHeap {
  private readonly idx: Int32Array;
  private readonly val: Float64Array;
  private size = 0;

  constructor(readonly k: number) {
    this.idx = new Int32Array(k);
    this.val = new Float64Array(k);
  }

  /** a is worse than b */
  private worse(a: number, b: number): boolean {
    const va = this.val[a];
    const vb = this.val[b];
    return va < vb || (va === vb && this.idx[a] > this.idx[b]);
  }

  private swap(a: number, b: number): void {
    const i = this.idx[a];
    this.idx[a] = this.idx[b];
    this.idx[b] = i;
    const v = this.val[a];
    this.val[a] = this.val[b];
    this.val[b] = v;
  }

  offer(index: number, score: number): void {
    if (this.k === 0) return;
    if (this.size < this.k) {
      let c = this.size++;
      this.idx[c] = index;
      this.val[c] = score;
      while (c > 0) {
        const parent = (c - 1) >> 1;
        if (!this.worse(c, parent)) break;
        this.swap(c, parent);
        c = parent;
      }
      return;
    }
    const rootScore = this.val[0];
    if (score < rootScore || (score === rootScore && index > this.idx[0])) return;
    this.idx[0] = index;
    this.val[0] = score;
    this.siftDown(0);
  }

  private siftDown(start: number): void {
    let c = start;
    for (;;) {
      const l = 2 * c + 1;
      const r = l + 1;
      let m = c;
      if (l < this.size && this.worse(l, m)) m = l;
      if (r < this.size && this.worse(r, m)) m = r;
      if (m === c) return;
      this.swap(c, m);
      c = m;
    }
  }

  /**
   * Writes the kept pairs best first into the outputs (from `at`), empties the heap and
   * returns how many were written.
   */
  drain(outIndex: Int32Array, outScore: Float32Array | null, at = 0): number {
    const n = this.size;
    for (let pos = n - 1; pos >= 0; pos--) {
      outIndex[at + pos] = this.idx[0];
      if (outScore) outScore[at + pos] = this.val[0];
      this.size--;
      if (this.size > 0) {
        this.idx[0] = this.idx[this.size];
        this.val[0] = this.val[this.size];
        this.siftDown(0);
      }
    }
    return n;
  }
}

/**
 * The top-k items of each row, best first, skipping excluded items; ties go to the lower item
 * index. Rows with fewer than k candidates are padded with -1. Used for coverage and for the
 * recommendation lists the UI shows, so both agree.
 */
export function topKPerRow(
  scores: Float32Array,
  numItems: number,
  k: number,
  exclude: ItemLists,
): Int32Array {
  const rows = exclude.offsets.length - 1;
  checkShape(scores, numItems, rows);
  const out = new Int32Array(rows * k).fill(-1);
  const mark = new Int32Array(numItems).fill(-1);
  const heap = new TopKHeap(k);
  for (let r = 0; r < rows; r++) {
    for (let p = exclude.offsets[r]; p < exclude.offsets[r + 1]; p++) mark[exclude.items[p]] = r;
    const base = r * numItems;
    for (let j = 0; j < numItems; j++) {
      if (mark[j] !== r) heap.offer(j, scores[base + j]);
    }
    heap.drain(out, null, r * k);
  }
  return out;
}

/** 1 when the target ranks within k, else 0. */
export function hitAtK(rank: number, k: number): number {
  return rank <= k ? 1 : 0;
}

/** 1 / rank; 0 for a target that cannot be ranked (rank Infinity). */
export function reciprocalRank(rank: number): number {
  return 1 / rank;
}

/**
 * NDCG@k with binary relevance for one list: DCG = Σ over relevant items ranked within k of
 * 1 / log2(rank + 1), divided by the ideal DCG for min(#relevant, k) items. With one target it
 * is 1 / log2(rank + 1) or 0. Ranks are 1-based positions of the relevant items in the list;
 * the result is capped at 1 in case tied relevant items share a rank.
 */
export function ndcgAtK(ranks: ArrayLike<number>, k: number): number {
  if (ranks.length === 0) return 0;
  let dcg = 0;
  for (let i = 0; i < ranks.length; i++) if (ranks[i] <= k) dcg += 1 / Math.log2(ranks[i] + 1);
  let ideal = 0;
  for (let i = 1; i <= Math.min(ranks.length, k); i++) ideal += 1 / Math.log2(i + 1);
  return Math.min(1, dcg / ideal);
}

/** Share of the relevant items (given by their ranks) that rank within k. */
export function recallAtK(ranks: ArrayLike<number>, k: number): number {
  if (ranks.length === 0) return 0;
  let hits = 0;
  for (let i = 0; i < ranks.length; i++) if (ranks[i] <= k) hits++;
  return hits / ranks.length;
}

/**
 * Distinct items that appear in the first k entries of any top list, over the catalogue size.
 * Feed it every batch's top lists with `add`, read `value` at the end.
 */
export class CoverageCounter {
  private readonly seen: Uint8Array;
  private distinct = 0;

  constructor(
    readonly numItems: number,
    readonly k: number,
  ) {
    this.seen = new Uint8Array(numItems);
  }

  /** @param topLists row-major lists of `stride` entries (stride >= k), -1 for padding. */
  add(topLists: Int32Array, stride: number): void {
    for (let base = 0; base < topLists.length; base += stride) {
      for (let j = base; j < base + this.k; j++) {
        const it = topLists[j];
        if (it >= 0 && this.seen[it] === 0) {
          this.seen[it] = 1;
          this.distinct++;
        }
      }
    }
  }

  get value(): number {
    return this.numItems === 0 ? 0 : this.distinct / this.numItems;
  }
}
