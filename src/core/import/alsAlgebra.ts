/**
 * The linear algebra of the ALS recommender (row-major, float64 unless said): Cholesky, the
 * shared dot product, YᵀY, and the fold-in of one history as Spark's `ALS.computeFactors`
 * solves a user (see als.ts for the equations).
 */
import type { AlsParams } from './alsTypes';

// ---------------------------------------------------------------------------------------------
// Linear algebra (row-major, float64)

/**
 * In-place Cholesky of the symmetric `n x n` matrix `a` (its lower triangle is read): L with
 * L Lᵀ = a in the lower triangle. False when a pivot is not clearly positive.
 */
export function cholesky(a: Float64Array, n: number): boolean {
  for (let j = 0; j < n; j++) {
    const rowJ = j * n;
    const scale = Math.abs(a[rowJ + j]);
    let d = a[rowJ + j];
    for (let k = 0; k < j; k++) d -= a[rowJ + k] * a[rowJ + k];
    if (!(d > 1e-13 * scale) || !(d > 0)) return false;
    const ljj = Math.sqrt(d);
    a[rowJ + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      const rowI = i * n;
      let s = a[rowI + j];
      for (let k = 0; k < j; k++) s -= a[rowI + k] * a[rowJ + k];
      a[rowI + j] = s / ljj;
    }
  }
  return true;
}

/** Solves L Lᵀ x = b in place (`l` from {@link cholesky}). */
export function choleskySolve(l: Float64Array, n: number, b: Float64Array): void {
  for (let i = 0; i < n; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= l[i * n + k] * b[k];
    b[i] = s / l[i * n + i];
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i];
    for (let k = i + 1; k < n; k++) s -= l[k * n + i] * b[k];
    b[i] = s / l[i * n + i];
  }
}

/** Σ a[ao + k] b[bo + k]; the one dot product of every score, so all paths agree bit for bit. */
export function dot(a: Float32Array, ao: number, b: Float32Array, bo: number, n: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let k = 0;
  for (; k + 3 < n; k += 4) {
    s0 += a[ao + k] * b[bo + k];
    s1 += a[ao + k + 1] * b[bo + k + 1];
    s2 += a[ao + k + 2] * b[bo + k + 2];
    s3 += a[ao + k + 3] * b[bo + k + 3];
  }
  for (; k < n; k++) s0 += a[ao + k] * b[bo + k];
  return s0 + s1 + (s2 + s3);
}

/** YᵀY of a row-major `[rows, rank]` table (float64, full symmetric matrix). */
export function gramOf(factors: Float32Array, rank: number): Float64Array {
  const gram = new Float64Array(rank * rank);
  const rows = factors.length / rank;
  for (let r = 0; r < rows; r++) {
    const o = r * rank;
    for (let a = 0; a < rank; a++) {
      const ya = factors[o + a];
      if (ya === 0) continue;
      const row = a * rank;
      for (let c = 0; c <= a; c++) gram[row + c] += ya * factors[o + c];
    }
  }
  for (let a = 0; a < rank; a++) {
    for (let c = 0; c < a; c++) gram[c * rank + a] = gram[a * rank + c];
  }
  return gram;
}

// ---------------------------------------------------------------------------------------------
// Fold-in

/** The normal equations of one history and their solution; scratch reused across rows. */
export class FoldIn {
  private readonly stamp: Int32Array;
  private stampNow = 0;
  /** Occurrences of each distinct known item of the current history. */
  readonly counts: Int32Array;
  /** The distinct known items of the current history, `distinct[0..m)`. */
  readonly distinct: Int32Array;
  m = 0;
  /** A, then its Cholesky factor. */
  readonly a: Float64Array;
  /** b, then the solution x. */
  readonly x: Float64Array;

  constructor(
    private readonly numItems: number,
    private readonly rank: number,
    private readonly y: Float32Array,
    private readonly known: Uint8Array,
    private readonly params: AlsParams,
    private readonly gram: Float64Array | null,
  ) {
    this.stamp = new Int32Array(numItems).fill(-1);
    this.counts = new Int32Array(numItems);
    this.distinct = new Int32Array(numItems);
    this.a = new Float64Array(rank * rank);
    this.x = new Float64Array(rank);
  }

  /** Distinct known items of `items[from..to)` with their counts; range-checks every item. */
  collect(items: Int32Array, from: number, to: number): void {
    const s = ++this.stampNow;
    let m = 0;
    for (let p = from; p < to; p++) {
      const i = items[p];
      if (!(i >= 0 && i < this.numItems)) {
        throw new RangeError(`History item index ${i} is out of range.`);
      }
      if (!this.known[i]) continue;
      if (this.stamp[i] !== s) {
        this.stamp[i] = s;
        this.counts[i] = 0;
        this.distinct[m++] = i;
      }
      this.counts[i]++;
    }
    this.m = m;
  }

  /** Weight of y_i in b: 1 + α r_i (implicit), r_i (explicit). */
  weight(i: number): number {
    const r = this.counts[i];
    return this.params.implicit ? 1 + this.params.alpha * r : r;
  }

  /**
   * Builds A and b of the collected history and factors A (Cholesky); b is left in `x`.
   * False when there is nothing to solve (no known item: x = 0). A matrix that is not
   * positive definite (λ = 0 and fewer items than the rank) gets the smallest ridge, from
   * 1e-10 of its mean diagonal up, that makes it so; the contributions stay exact for the W
   * that is used.
   */
  factor(): boolean {
    const { rank, a, x, y } = this;
    x.fill(0);
    if (this.m === 0) return false;
    for (let t = 0; t < this.m; t++) {
      const i = this.distinct[t];
      const w = this.weight(i);
      for (let p = 0; p < rank; p++) x[p] += w * y[i * rank + p];
    }
    const ridge = this.params.lambda * this.m;
    this.buildA(ridge);
    if (cholesky(a, rank)) return true;
    this.buildA(0);
    let trace = 0;
    for (let p = 0; p < rank; p++) trace += a[p * rank + p];
    const scale = trace / rank > 0 ? trace / rank : 1;
    for (let jitter = 1e-10; jitter <= 1; jitter *= 100) {
      this.buildA(ridge + jitter * scale);
      if (cholesky(a, rank)) return true;
    }
    throw new RangeError('The ALS normal equations of this history cannot be solved.');
  }

  /** A = (YᵀY if implicit) + Σ_i c_i y_i y_iᵀ + ridge I, lower triangle. */
  private buildA(ridge: number): void {
    const { rank, a, y, params } = this;
    if (params.implicit && this.gram) a.set(this.gram);
    else a.fill(0);
    for (let t = 0; t < this.m; t++) {
      const i = this.distinct[t];
      const o = i * rank;
      const c = params.implicit ? params.alpha * this.counts[i] : 1;
      if (c === 0) continue;
      for (let p = 0; p < rank; p++) {
        const cp = c * y[o + p];
        const row = p * rank;
        for (let q = 0; q <= p; q++) a[row + q] += cp * y[o + q];
      }
    }
    for (let p = 0; p < rank; p++) a[p * rank + p] += ridge;
  }

  /** Folds in `items[from..to)`: x = A⁻¹ b (zero for a history of no known item). */
  solve(items: Int32Array, from: number, to: number): Float64Array {
    this.collect(items, from, to);
    if (this.factor()) choleskySolve(this.a, this.rank, this.x);
    return this.x;
  }
}

/**
 * The neighbourhood explanation that needs no hyper-parameters: for each history item (in
 * order), the cosine of its factors with `item`'s; 0 where either has no factors.
 */
export function itemNeighbourContributions(
  itemFactors: Float32Array,
  rank: number,
  history: ArrayLike<number>,
  item: number,
): Float64Array {
  const numItems = itemFactors.length / rank;
  const norm = (i: number) => Math.sqrt(dot(itemFactors, i * rank, itemFactors, i * rank, rank));
  if (!(item >= 0 && item < numItems)) {
    throw new RangeError(`Item index ${item} is outside 0..${numItems - 1}.`);
  }
  const itemNorm = norm(item);
  return Float64Array.from(history, (i) => {
    if (!(i >= 0 && i < numItems)) throw new RangeError(`History item index ${i} is out of range.`);
    const ni = norm(i);
    if (ni === 0 || itemNorm === 0) return 0;
    return dot(itemFactors, i * rank, itemFactors, item * rank, rank) / (ni * itemNorm);
  });
}
