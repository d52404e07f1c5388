/**
 * Small numerical routines the explainers share: ranks and rank correlation, a weighted ridge
 * regression (LIME's surrogate) and trapezoid areas. Plain arrays, double precision.
 */

/** Average ranks (1-based; ties share the mean of their ranks). */
export function averageRanks(values: ArrayLike<number>): Float64Array {
  const n = values.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => values[a] - values[b]);
  const ranks = new Float64Array(n);
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && values[order[j + 1]] === values[order[i]]) j++;
    const mean = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) ranks[order[k]] = mean;
    i = j + 1;
  }
  return ranks;
}

/** Pearson correlation; 0 when either side is constant (no order to agree on). */
export function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  if (n !== b.length) throw new RangeError(`Lengths differ: ${n} and ${b.length}.`);
  if (n < 2) return 0;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i];
    mb += b[i];
  }
  ma /= n;
  mb /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) ** 2;
    sbb += (b[i] - mb) ** 2;
  }
  return saa === 0 || sbb === 0 ? 0 : sab / Math.sqrt(saa * sbb);
}

/** Spearman's rank correlation (Pearson on average ranks). */
export function spearman(a: ArrayLike<number>, b: ArrayLike<number>): number {
  return pearson(averageRanks(a), averageRanks(b));
}

/** Area under y over x by the trapezoid rule. */
export function trapezoid(x: readonly number[], y: readonly number[]): number {
  let area = 0;
  for (let i = 1; i < x.length; i++) area += ((x[i] - x[i - 1]) * (y[i] + y[i - 1])) / 2;
  return area;
}

export interface RidgeFit {
  coefficients: Float64Array;
  intercept: number;
  /** Weighted R² on the fitted samples. */
  r2: number;
}

/**
 * Weighted ridge regression with an unpenalised intercept (centre by the weighted means, then
 * solve (Xcᵀ W Xc + αI) β = Xcᵀ W yc by Cholesky). `x` is row-major `[samples, features]`.
 * Cost O(samples · features² + features³): 1,000 × 200 is about 40 M multiply-adds.
 */
export function weightedRidge(
  x: Float64Array,
  y: Float64Array,
  w: Float64Array,
  features: number,
  alpha: number,
): RidgeFit {
  const samples = y.length;
  let wSum = 0;
  for (let s = 0; s < samples; s++) wSum += w[s];
  if (!(wSum > 0)) throw new RangeError('Every sample weight is zero: nothing to fit.');
  // Weighted means, shifted by the first sample so that a constant column (pop's target, which
  // no history changes) has its mean exactly and centres to exactly zero, not to rounding noise.
  const xm = new Float64Array(features);
  let ym = 0;
  for (let s = 0; s < samples; s++) {
    ym += w[s] * (y[s] - y[0]);
    for (let f = 0; f < features; f++) xm[f] += w[s] * (x[s * features + f] - x[f]);
  }
  ym = y[0] + ym / wSum;
  for (let f = 0; f < features; f++) xm[f] = x[f] + xm[f] / wSum;
  const a = new Float64Array(features * features);
  const rhs = new Float64Array(features);
  const xc = new Float64Array(features);
  for (let s = 0; s < samples; s++) {
    const ws = w[s];
    if (ws === 0) continue;
    for (let f = 0; f < features; f++) xc[f] = x[s * features + f] - xm[f];
    const yc = y[s] - ym;
    for (let f = 0; f < features; f++) {
      const v = ws * xc[f];
      if (v === 0) continue;
      rhs[f] += v * yc;
      const row = f * features;
      for (let g = f; g < features; g++) a[row + g] += v * xc[g];
    }
  }
  for (let f = 0; f < features; f++) {
    a[f * features + f] += alpha;
    for (let g = 0; g < f; g++) a[f * features + g] = a[g * features + f];
  }
  const coefficients = choleskySolve(a, rhs, features);
  let intercept = ym;
  for (let f = 0; f < features; f++) intercept -= coefficients[f] * xm[f];
  let ssRes = 0;
  let ssTot = 0;
  for (let s = 0; s < samples; s++) {
    let fit = intercept;
    for (let f = 0; f < features; f++) fit += coefficients[f] * x[s * features + f];
    ssRes += w[s] * (y[s] - fit) ** 2;
    ssTot += w[s] * (y[s] - ym) ** 2;
  }
  return { coefficients, intercept, r2: ssTot > 0 ? 1 - ssRes / ssTot : 1 };
}

/** Solves A x = b for a symmetric positive definite A (row-major n × n). */
export function choleskySolve(a: Float64Array, b: Float64Array, n: number): Float64Array {
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = a[i * n + j];
      for (let k = 0; k < j; k++) sum -= l[i * n + k] * l[j * n + k];
      if (i === j) {
        if (!(sum > 0)) throw new RangeError('The ridge system is not positive definite.');
        l[i * n + i] = Math.sqrt(sum);
      } else {
        l[i * n + j] = sum / l[j * n + j];
      }
    }
  }
  const z = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let sum = b[i];
    for (let k = 0; k < i; k++) sum -= l[i * n + k] * z[k];
    z[i] = sum / l[i * n + i];
  }
  const out = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let sum = z[i];
    for (let k = i + 1; k < n; k++) sum -= l[k * n + i] * out[k];
    out[i] = sum / l[i * n + i];
  }
  return out;
}

/**
 * Weighted ridge over binary (0/1) features, accumulated sample by sample: LIME and KernelSHAP
 * refit after every round of samples, and refitting from scratch costs samples × features² each
 * time. Keeping the sufficient statistics (Σw, Σw·x, Σw·x·xᵀ, Σw·y, Σw·x·y, Σw·y²) makes a round
 * cost only its new samples (and only over their kept features), and a fit one Cholesky
 * solve. Centring is applied to the sums; targets are shifted by the first one seen, so a
 * constant target centres to exactly zero (pop's all-zero attributions stay exactly zero).
 */
export class BinaryRidgeAccumulator {
  private w = 0;
  private readonly wx: Float64Array;
  private readonly wxx: Float64Array;
  private wy = 0;
  private readonly wxy: Float64Array;
  private wyy = 0;
  private shift: number | null = null;
  samples = 0;

  constructor(readonly features: number) {
    this.wx = new Float64Array(features);
    this.wxx = new Float64Array(features * features);
    this.wxy = new Float64Array(features);
  }

  /** Adds one sample: `kept` lists the features that are 1 (ascending), `y` its target. */
  add(kept: ArrayLike<number>, y: number, weight: number): void {
    if (this.shift === null) this.shift = y;
    const yc = y - this.shift;
    const n = this.features;
    this.samples++;
    if (weight === 0) return;
    this.w += weight;
    this.wy += weight * yc;
    this.wyy += weight * yc * yc;
    for (let a = 0; a < kept.length; a++) {
      const i = kept[a];
      this.wx[i] += weight;
      this.wxy[i] += weight * yc;
      const row = i * n;
      for (let b = a; b < kept.length; b++) this.wxx[row + kept[b]] += weight;
    }
  }

  /** Adds every sample of `other` (same features). */
  merge(other: BinaryRidgeAccumulator): void {
    if (other.features !== this.features) throw new RangeError('Feature counts differ.');
    if (other.shift === null) return;
    if (this.shift === null) this.shift = other.shift;
    // Re-express other's targets around this shift: y - s = (y - s') + (s' - s).
    const d = other.shift - this.shift;
    this.samples += other.samples;
    this.wyy += other.wyy + 2 * d * other.wy + d * d * other.w;
    this.wy += other.wy + d * other.w;
    this.w += other.w;
    for (let i = 0; i < this.features; i++) {
      this.wx[i] += other.wx[i];
      this.wxy[i] += other.wxy[i] + d * other.wx[i];
    }
    for (let k = 0; k < this.wxx.length; k++) this.wxx[k] += other.wxx[k];
  }

  /** The ridge fit of everything added (alpha on the coefficients, free intercept). */
  fit(alpha: number): RidgeFit {
    const n = this.features;
    if (!(this.w > 0)) throw new RangeError('Every sample weight is zero: nothing to fit.');
    const shift = this.shift ?? 0;
    const xm = Float64Array.from(this.wx, (v) => v / this.w);
    const ym = this.wy / this.w;
    const a = new Float64Array(n * n);
    const rhs = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      rhs[i] = this.wxy[i] - this.wx[i] * ym;
      for (let j = i; j < n; j++) {
        const v = this.wxx[i * n + j] - this.wx[i] * xm[j];
        a[i * n + j] = v;
        a[j * n + i] = v;
      }
      a[i * n + i] += alpha;
    }
    const coefficients = choleskySolve(a, rhs, n);
    let intercept = ym + shift;
    for (let i = 0; i < n; i++) intercept -= coefficients[i] * xm[i];
    // Weighted residual and total sums of squares from the centred statistics.
    const ssTot = this.wyy - this.w * ym * ym;
    let explained = 0;
    let quadratic = 0;
    for (let i = 0; i < n; i++) {
      explained += coefficients[i] * rhs[i];
      let row = 0;
      for (let j = 0; j < n; j++) row += (a[i * n + j] - (i === j ? alpha : 0)) * coefficients[j];
      quadratic += coefficients[i] * row;
    }
    const ssRes = Math.max(0, ssTot - 2 * explained + quadratic);
    return { coefficients, intercept, r2: ssTot > 0 ? 1 - ssRes / ssTot : 1 };
  }

  /**
   * KernelSHAP's constrained fit (no intercept): Σ_i φ_i z_i ≈ y − `empty` with Σ φ = `delta`,
   * solved by eliminating φ_n (y − empty − z_n Δ = Σ_{i<n} φ_i (z_i − z_n)), all from the
   * binary sums. `ridge` keeps the system positive definite when a feature was never varied.
   */
  fitShapley(empty: number, delta: number, ridge = 1e-9): Float64Array {
    const n = this.features;
    const out = new Float64Array(n);
    if (n === 0) return out;
    const m = n - 1;
    const last = m;
    const pair = (i: number, j: number) => (i <= j ? this.wxx[i * n + j] : this.wxx[j * n + i]);
    const c = (this.shift ?? 0) - empty;
    const a = new Float64Array(m * m);
    const b = new Float64Array(m);
    const snn = pair(last, last);
    for (let i = 0; i < m; i++) {
      const sin = pair(i, last);
      b[i] = this.wxy[i] - this.wxy[last] + c * (this.wx[i] - this.wx[last]) - delta * (sin - snn);
      for (let j = i; j < m; j++) {
        const v = pair(i, j) - sin - pair(j, last) + snn;
        a[i * m + j] = v;
        a[j * m + i] = v;
      }
      a[i * m + i] += ridge;
    }
    const head = m > 0 ? choleskySolve(a, b, m) : new Float64Array(0);
    let rest = delta;
    for (let i = 0; i < m; i++) {
      out[i] = head[i];
      rest -= head[i];
    }
    out[last] = rest;
    return out;
  }
}
