/**
 * Bootstrap statistics of per-user metrics for comparing recommender variants over the same
 * users: the mean with a percentile interval, and the paired bootstrap of a difference with its
 * two-sided p-value.
 *
 * Pure TypeScript in double precision. Every random draw comes from {@link SeededRandom}, so a
 * seed fixes every interval and p-value.
 */
import { SeededRandom } from '../random';
import { checkFinite, checkLevel, checkResamples, checkSameLength, sumOf } from './statChecks';

export interface BootstrapOptions {
  /** Number of bootstrap resamples (default 1000). */
  resamples?: number;
  /** Seed of the resampling stream (default 42). */
  seed?: number;
  /** Two-sided confidence level of the interval (default 0.95). */
  level?: number;
}

export interface MeanInterval {
  mean: number;
  lo: number;
  hi: number;
}

export interface PairedBootstrapResult {
  /** mean(a) − mean(b) = mean(a − b) over the users. */
  delta: number;
  /** Percentile bootstrap interval of `delta`. */
  lo: number;
  hi: number;
  /**
   * Two-sided p-value of "no difference" (shifted null). 0 means no resample was as extreme,
   * i.e. p < 1 / resamples; 1 when every difference is zero.
   */
  pValue: number;
  /** Number of paired users. */
  n: number;
}

/** Linear-interpolation quantile (Hyndman & Fan type 7) of an ascending array. */
function sortedQuantile(sorted: Float64Array, q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/**
 * Means of `resamples` bootstrap resamples (n draws with replacement) of `values`, ascending.
 * O(resamples · n) time; the only allocation is the output.
 */
function bootstrapMeans(
  values: ArrayLike<number>,
  resamples: number,
  seed: number,
  stream: string,
): Float64Array {
  const n = values.length;
  const rng = new SeededRandom(seed, stream);
  const means = new Float64Array(resamples);
  for (let b = 0; b < resamples; b++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += values[Math.floor(rng.next() * n)];
    means[b] = s / n;
  }
  return means.sort();
}

/**
 * Mean of per-user values with a percentile bootstrap interval (users resampled with
 * replacement). Empty input gives NaN throughout.
 *
 * The interval is not clamped to contain the mean: on realistic per-user metrics (hundreds of
 * users) it always does, but with very few, very skewed values and few resamples the
 * percentile interval can exclude the point estimate by sampling noise alone. Clamping would
 * hide that the interval is unreliable there, so it is left as the percentiles say.
 */
export function bootstrapMeanCI(
  values: ArrayLike<number>,
  options: BootstrapOptions = {},
): MeanInterval {
  const { resamples = 1000, seed = 42, level = 0.95 } = options;
  checkResamples(resamples);
  checkLevel(level);
  checkFinite(values, 'values');
  const n = values.length;
  if (n === 0) return { mean: Number.NaN, lo: Number.NaN, hi: Number.NaN };
  const means = bootstrapMeans(values, resamples, seed, 'bootstrap-mean');
  const alpha = (1 - level) / 2;
  return {
    mean: sumOf(values) / n,
    lo: sortedQuantile(means, alpha),
    hi: sortedQuantile(means, 1 - alpha),
  };
}

/**
 * Paired bootstrap of mean(a − b): each resample draws users with replacement and keeps both
 * models' values of a drawn user together, which is what makes it paired (the per-user
 * correlation between models shrinks the interval). Two-sided p-value by the shifted null
 * (Efron & Tibshirani 1993, §16.4): the share of resampled means m* with
 * |m* − delta| ≥ |delta|, i.e. how often a distribution centred on 0 would lie as far out.
 */
export function pairedBootstrap(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  options: BootstrapOptions = {},
): PairedBootstrapResult {
  const { resamples = 1000, seed = 42, level = 0.95 } = options;
  checkSameLength(a, b);
  checkResamples(resamples);
  checkLevel(level);
  checkFinite(a, 'a');
  checkFinite(b, 'b');
  const n = a.length;
  if (n === 0) return { delta: Number.NaN, lo: Number.NaN, hi: Number.NaN, pValue: 1, n };
  const diffs = new Float64Array(n);
  for (let i = 0; i < n; i++) diffs[i] = a[i] - b[i];
  const delta = sumOf(diffs) / n;
  const means = bootstrapMeans(diffs, resamples, seed, 'bootstrap-paired');
  const size = Math.abs(delta);
  let extreme = 0;
  for (let r = 0; r < resamples; r++) if (Math.abs(means[r] - delta) >= size) extreme++;
  const alpha = (1 - level) / 2;
  return {
    delta,
    lo: sortedQuantile(means, alpha),
    hi: sortedQuantile(means, 1 - alpha),
    pValue: extreme / resamples,
    n,
  };
}
