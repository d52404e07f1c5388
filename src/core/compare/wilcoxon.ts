/**
 * The Wilcoxon signed-rank test of paired per-user values (exact for small n, the normal
 * approximation above), and the standard normal tail it uses. Pure TypeScript in double
 * precision.
 */
import { averageRanks } from '../explain/stats';
import { checkFinite, checkSameLength } from './statChecks';

/**
 * Upper tail P(Z > z) of the standard normal with relative error below 1e-13 (checked against
 * scipy), so small p-values keep their digits. Below |z| = 3: Marsaglia's series
 * Φ(x) = ½ + φ(x)(x + x³/3 + x⁵/(3·5) + …), all terms positive; from 3 on: the Laplace
 * continued fraction Q(x) = φ(x) / (x + 1/(x + 2/(x + 3/(x + …)))), 60 terms evaluated backwards.
 */
export function normalSf(z: number): number {
  if (Number.isNaN(z)) return Number.NaN;
  const x = Math.abs(z);
  const density = Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
  let tail: number;
  if (x < 3) {
    const q = x * x;
    let sum = x;
    let term = x;
    for (let i = 3; ; i += 2) {
      term *= q / i;
      const next = sum + term;
      if (next === sum) break;
      sum = next;
    }
    tail = 0.5 - sum * density;
  } else {
    let fraction = x;
    for (let i = 60; i >= 1; i--) fraction = x + i / fraction;
    tail = density / fraction;
  }
  return z >= 0 ? tail : 1 - tail;
}

export interface WilcoxonOptions {
  /**
   * 'exact': the exact sign-flip distribution of W+ (ties included, see below); 'normal': the
   * normal approximation; 'auto' (default): exact up to {@link WILCOXON_EXACT_MAX_N} non-zero
   * differences, normal above.
   */
  method?: 'auto' | 'exact' | 'normal';
  /** Continuity correction of the normal approximation (default true, as scipy's). */
  correction?: boolean;
}

export interface WilcoxonResult {
  /** min(W+, W−), the two-sided statistic as scipy reports it. */
  statistic: number;
  /** Sum of the ranks of the positive differences (a > b). */
  wPlus: number;
  /**
   * Normal-approximation z of W+ with tie and continuity correction; positive when a tends to
   * exceed b. Reported whichever method gave the p-value (z / √n is the usual effect size r).
   */
  z: number;
  /** Two-sided p-value; 1 when no difference is non-zero. */
  pValue: number;
  /** Non-zero differences, the ones that were ranked. */
  n: number;
  /** Which distribution gave the p-value. */
  method: 'exact' | 'normal';
}

/**
 * Largest n for which 'auto' uses the exact distribution. The dynamic programme costs
 * O(n · n(n + 1)) additions (about 130,000 at n = 50); scipy's 'auto' also goes exact up to 50.
 */
export const WILCOXON_EXACT_MAX_N = 50;

/** Largest n for which 'exact' may be forced: the O(n³) programme takes about a second there. */
export const WILCOXON_EXACT_LIMIT = 1000;

/**
 * Two-sided exact p-value of a signed-rank sum: under the null each rank's sign is + or − with
 * probability ½ independently, so the distribution of W+ is built by a dynamic programme over
 * rank sums. Ranks are doubled so that tied (x.5) ranks are integers; with ties this is the
 * exact conditional (permutation) distribution given the observed ranks.
 */
function exactSignedRankP(doubledRanks: Int32Array, doubledWPlus: number): number {
  let total = 0;
  for (const r of doubledRanks) total += r;
  const dist = new Float64Array(total + 1);
  dist[0] = 1;
  let reach = 0;
  for (const r of doubledRanks) {
    reach += r;
    for (let s = reach; s >= 0; s--) dist[s] = 0.5 * (dist[s] + (s >= r ? dist[s - r] : 0));
  }
  let lower = 0;
  let upper = 0;
  for (let s = 0; s <= total; s++) {
    if (s <= doubledWPlus) lower += dist[s];
    if (s >= doubledWPlus) upper += dist[s];
  }
  return Math.min(1, 2 * Math.min(lower, upper));
}

/**
 * Wilcoxon signed-rank test of paired values (e.g. one metric of two models over the same
 * users). Zero differences are dropped before ranking (Wilcoxon's original method, scipy's
 * `zero_method='wilcox'`), so n counts only users where the models differ. Tied |differences|
 * share their average rank. The normal approximation uses the tie-corrected variance
 * n(n+1)(2n+1)/24 − Σ(t³ − t)/48 and, unless turned off, a continuity correction of ½ towards
 * the mean (never past it).
 */
export function wilcoxonSignedRank(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  options: WilcoxonOptions = {},
): WilcoxonResult {
  const { method = 'auto', correction = true } = options;
  checkSameLength(a, b);
  checkFinite(a, 'a');
  checkFinite(b, 'b');
  const diffs: number[] = [];
  for (let i = 0; i < a.length; i++) {
    const d = a[i] - b[i];
    if (d !== 0) diffs.push(d);
  }
  const n = diffs.length;
  if (n === 0) return { statistic: 0, wPlus: 0, z: 0, pValue: 1, n: 0, method: 'exact' };
  const magnitudes = Float64Array.from(diffs, Math.abs);
  const ranks = averageRanks(magnitudes);
  let wPlus = 0;
  for (let i = 0; i < n; i++) if (diffs[i] > 0) wPlus += ranks[i];
  const wMinus = (n * (n + 1)) / 2 - wPlus;

  // Tie groups from the sorted magnitudes, for the variance correction.
  const sorted = magnitudes.slice().sort();
  let tieTerm = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && sorted[j + 1] === sorted[i]) j++;
    const t = j - i + 1;
    tieTerm += t * t * t - t;
    i = j + 1;
  }
  const mean = (n * (n + 1)) / 4;
  const sd = Math.sqrt((n * (n + 1) * (2 * n + 1)) / 24 - tieTerm / 48);
  const offset = wPlus - mean;
  const z = (Math.sign(offset) * Math.max(0, Math.abs(offset) - (correction ? 0.5 : 0))) / sd;

  const exact = method === 'exact' || (method === 'auto' && n <= WILCOXON_EXACT_MAX_N);
  if (exact && n > WILCOXON_EXACT_LIMIT) {
    throw new RangeError(
      `The exact test is limited to ${WILCOXON_EXACT_LIMIT} non-zero differences (got ${n}); use the normal approximation.`,
    );
  }
  let pValue: number;
  if (exact) {
    const doubled = Int32Array.from(ranks, (r) => Math.round(2 * r));
    pValue = exactSignedRankP(doubled, Math.round(2 * wPlus));
  } else {
    pValue = Math.min(1, 2 * normalSf(Math.abs(z)));
  }
  return {
    statistic: Math.min(wPlus, wMinus),
    wPlus,
    z,
    pValue,
    n,
    method: exact ? 'exact' : 'normal',
  };
}
