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
