/**
 * Statistics for comparing recommender variants over the same users: bootstrap intervals and
 * paired tests of per-user metrics, the Wilcoxon signed-rank test, agreement between two
 * ranked lists (Jaccard@k, rank-biased overlap) and beyond-accuracy figures of top-k lists
 * (Gini index, long-tail share, intra-list diversity, novelty).
 *
 * Pure TypeScript in double precision. Every random draw comes from {@link SeededRandom}, so a
 * seed fixes every interval and p-value. Top-k lists are row-major `Int32Array`s with stride k,
 * padded with -1 (any negative entry is padding), as `topKPerRow` writes them.
 */
import { averageRanks } from '../explain/stats';
import { SeededRandom } from '../random';
import type { ItemLists } from '../train/metrics';

// ---------------------------------------------------------------------------------------------
// Input checks
// ---------------------------------------------------------------------------------------------

function checkFinite(values: ArrayLike<number>, name: string): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) {
      throw new RangeError(`Every value must be finite, but ${name}[${i}] is ${values[i]}.`);
    }
  }
}

function checkSameLength(a: ArrayLike<number>, b: ArrayLike<number>): void {
  if (a.length !== b.length) {
    throw new RangeError(`Paired values need equal lengths, got ${a.length} and ${b.length}.`);
  }
}

function checkK(k: number): void {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`k must be an integer >= 1, got ${k}.`);
}

function checkResamples(resamples: number): void {
  if (!Number.isInteger(resamples) || resamples < 1) {
    throw new RangeError(`resamples must be an integer >= 1, got ${resamples}.`);
  }
}

function checkLevel(level: number): void {
  if (!(level > 0 && level < 1)) {
    throw new RangeError(`The confidence level must lie strictly between 0 and 1, got ${level}.`);
  }
}

function checkTopLists(topLists: ArrayLike<number>, k: number): void {
  checkK(k);
  if (topLists.length % k !== 0) {
    throw new RangeError(`Top lists have length ${topLists.length}, not a multiple of k = ${k}.`);
  }
}

// ---------------------------------------------------------------------------------------------
// Bootstrap
// ---------------------------------------------------------------------------------------------

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

function sumOf(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i];
  return s;
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

// ---------------------------------------------------------------------------------------------
// Wilcoxon signed-rank test
// ---------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------
// Concentration and list agreement
// ---------------------------------------------------------------------------------------------

/**
 * Gini index of how recommendations spread over the catalogue: pass one count per catalogue
 * item, items never recommended included as 0, or the index understates concentration.
 * G = Σ_i (2i − n − 1) x_(i) / (n Σ x) over the counts sorted ascending (i = 1..n): 0 when all
 * items are recommended equally often, (n − 1)/n when one item takes every slot. 0 for an empty
 * catalogue or no recommendations.
 */
export function giniIndex(counts: ArrayLike<number>): number {
  const n = counts.length;
  for (let i = 0; i < n; i++) {
    if (!(counts[i] >= 0) || !Number.isFinite(counts[i])) {
      throw new RangeError(`Counts must be finite and >= 0, but counts[${i}] is ${counts[i]}.`);
    }
  }
  const sorted = Float64Array.from(counts).sort();
  const total = sumOf(sorted);
  if (n === 0 || total === 0) return 0;
  let weighted = 0;
  for (let i = 0; i < n; i++) weighted += (2 * (i + 1) - n - 1) * sorted[i];
  return weighted / (n * total);
}

/** The distinct non-negative entries among the first k of a list. */
function topSet(list: ArrayLike<number>, k: number): Set<number> {
  const set = new Set<number>();
  const end = Math.min(k, list.length);
  for (let i = 0; i < end; i++) if (list[i] >= 0) set.add(list[i]);
  return set;
}

/**
 * Jaccard similarity |A ∩ B| / |A ∪ B| of the item sets of the first k entries of two lists,
 * ignoring -1 padding. Two empty lists are identical (1).
 */
export function jaccardAtK(a: ArrayLike<number>, b: ArrayLike<number>, k: number): number {
  checkK(k);
  const setA = topSet(a, k);
  const setB = topSet(b, k);
  if (setA.size === 0 && setB.size === 0) return 1;
  let shared = 0;
  for (const x of setA) if (setB.has(x)) shared++;
  return shared / (setA.size + setB.size - shared);
}

export interface RboOptions {
  /**
   * Persistence p in (0, 1): the weight of the first d ranks is 1 − p^d, so 0.9 puts about
   * 86 % of the weight on the top 10 (default 0.9).
   */
  p?: number;
  /** Only the first `depth` entries of each list count (default: all). */
  depth?: number;
}

export interface RboBounds {
  /** RBO_min (eq. 11 generalised to uneven lists): no overlap beyond what is seen. */
  min: number;
  /** RBO_res (eq. 30): the most that unseen ranks could still add. */
  residual: number;
  /** RBO_ext (eq. 32): the point estimate, extrapolating the seen agreement. */
  ext: number;
}

/** The list's first `depth` non-padding entries; throws on a repeated item (not a ranking). */
function rankingOf(list: ArrayLike<number>, depth: number, name: string): number[] {
  const out: number[] = [];
  const seen = new Set<number>();
  const end = Math.min(depth, list.length);
  for (let i = 0; i < end; i++) {
    const x = list[i];
    if (x < 0) continue;
    if (seen.has(x))
      throw new RangeError(`A ranking lists each item once, but ${name} repeats item ${x}.`);
    seen.add(x);
    out.push(x);
  }
  return out;
}

/**
 * Rank-biased overlap of two finite rankings (Webber, Moffat & Zobel, "A similarity measure
 * for indefinite rankings", ACM TOIS 2010), with its bounds. Let S be the shorter list (length
 * s), L the longer (length l), X_d the overlap of their first d items (S counts in full for
 * d > s) and A_d = X_d / d. Then (eq. 32)
 *
 *   RBO_ext = (1−p)/p · [ Σ_{d=1..l} A_d p^d + Σ_{d=s+1..l} X_s (d − s)/(s d) p^d ]
 *             + [ (X_l − X_s)/l + X_s/s ] p^l,
 *
 * which assumes that S, had it gone on, would have kept agreeing with L at its rate at depth s.
 * Identical lists, and a list that is a prefix of the other, give 1; disjoint lists give 0;
 * two empty lists give 1 and one empty list 0. Negative entries (-1 padding) are skipped.
 * O(l) time.
 */
export function rankBiasedOverlapBounds(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  options: RboOptions = {},
): RboBounds {
  const { p = 0.9, depth = Number.POSITIVE_INFINITY } = options;
  if (!(p > 0 && p < 1))
    throw new RangeError(`RBO's p must lie strictly between 0 and 1, got ${p}.`);
  if (depth !== Number.POSITIVE_INFINITY) checkK(depth);
  const listA = rankingOf(a, depth, 'the first list');
  const listB = rankingOf(b, depth, 'the second list');
  const [short, long] = listA.length <= listB.length ? [listA, listB] : [listB, listA];
  const s = short.length;
  const l = long.length;
  if (l === 0) return { min: 1, residual: 0, ext: 1 };
  if (s === 0) return { min: 0, residual: 0, ext: 0 };

  // X_d for d = 1..l in one pass: an item adds to the overlap when it meets its twin.
  const overlap = new Float64Array(l + 1);
  const seenShort = new Set<number>();
  const seenLong = new Set<number>();
  let x = 0;
  for (let d = 1; d <= l; d++) {
    const fromLong = long[d - 1];
    if (d <= s) {
      const fromShort = short[d - 1];
      if (fromLong === fromShort) {
        x++;
      } else {
        if (seenShort.has(fromLong)) x++;
        if (seenLong.has(fromShort)) x++;
      }
      seenShort.add(fromShort);
    } else if (seenShort.has(fromLong)) {
      x++;
    }
    seenLong.add(fromLong);
    overlap[d] = x;
  }
  const xs = overlap[s];
  const xl = overlap[l];
  const scale = (1 - p) / p;

  let agreement = 0; // Σ_{d=1..l} A_d p^d
  let extrapolated = 0; // Σ_{d=s+1..l} X_s (d − s)/(s d) p^d
  let belowFinal = 0; // Σ_{d=1..l} (X_d − X_l)/d p^d
  let pd = 1;
  for (let d = 1; d <= l; d++) {
    pd *= p;
    agreement += (overlap[d] / d) * pd;
    if (d > s) extrapolated += ((xs * (d - s)) / (s * d)) * pd;
    belowFinal += ((overlap[d] - xl) / d) * pd;
  }
  const pl = pd;
  const ps = p ** s;
  const ext = scale * (agreement + extrapolated) + ((xl - xs) / l + xs / s) * pl;

  // RBO_min: beyond depth l nothing more overlaps, so X_d = X_l and Σ_{d>l} p^d/d is the tail
  // of −ln(1 − p).
  const logTerm = -Math.log1p(-p);
  const min = scale * (belowFinal + xl * logTerm);

  // RBO_res (eq. 30): every unseen item could still match, up to depth f = l + s − X_l.
  const f = l + s - xl;
  let sumS = 0; // Σ_{d=s+1..f} p^d/d
  let sumL = 0; // Σ_{d=l+1..f} p^d/d
  let sumAll = 0; // Σ_{d=1..f} p^d/d
  let pf = 1;
  for (let d = 1; d <= f; d++) {
    pf *= p;
    const term = pf / d;
    sumAll += term;
    if (d > s) sumS += term;
    if (d > l) sumL += term;
  }
  const residual = ps + pl - pf - scale * (s * sumS + l * sumL + xl * (logTerm - sumAll));

  return { min, residual: Math.max(0, residual), ext: Math.min(1, Math.max(0, ext)) };
}

/** RBO_ext of two rankings (see {@link rankBiasedOverlapBounds}); 1 = identical, 0 = disjoint. */
export function rankBiasedOverlap(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  options: RboOptions = {},
): number {
  return rankBiasedOverlapBounds(a, b, options).ext;
}

// ---------------------------------------------------------------------------------------------
// Beyond accuracy: top-k lists against the catalogue
// ---------------------------------------------------------------------------------------------

/**
 * How often each catalogue item appears in the top-k lists (one count per item, never
 * recommended = 0): the input of {@link giniIndex} and of coverage (share of counts > 0).
 */
export function recommendationCounts(
  topLists: ArrayLike<number>,
  k: number,
  numItems: number,
): Float64Array {
  checkTopLists(topLists, k);
  if (!Number.isInteger(numItems) || numItems < 0) {
    throw new RangeError(`numItems must be an integer >= 0, got ${numItems}.`);
  }
  const counts = new Float64Array(numItems);
  for (let j = 0; j < topLists.length; j++) {
    const item = topLists[j];
    if (item < 0) continue;
    if (item >= numItems) {
      throw new RangeError(`Item index ${item} is outside the catalogue 0..${numItems - 1}.`);
    }
    counts[item]++;
  }
  return counts;
}

/**
 * Marks the head of the catalogue: the ceil(headShare · n) items with the highest training
 * popularity, ties broken by lower index so the head always has that exact size.
 */
export function popularityHead(itemPopularity: ArrayLike<number>, headShare = 0.2): Uint8Array {
  if (!(headShare >= 0 && headShare <= 1)) {
    throw new RangeError(`headShare must lie in [0, 1], got ${headShare}.`);
  }
  const n = itemPopularity.length;
  const order = Int32Array.from({ length: n }, (_, i) => i).sort(
    (x, y) => itemPopularity[y] - itemPopularity[x] || x - y,
  );
  const head = new Uint8Array(n);
  const size = Math.ceil(headShare * n);
  for (let r = 0; r < size; r++) head[order[r]] = 1;
  return head;
}

function checkItem(item: number, numItems: number): void {
  if (item >= numItems) {
    throw new RangeError(`Item index ${item} is outside the catalogue 0..${numItems - 1}.`);
  }
}

/**
 * Share of the filled (non-padding) recommendation slots that hold a long-tail item, one not in
 * the {@link popularityHead} (the top `headShare` of items by training popularity). Slots are
 * pooled over users. NaN when no slot is filled.
 */
export function longTailShare(
  topLists: ArrayLike<number>,
  k: number,
  itemPopularity: ArrayLike<number>,
  headShare = 0.2,
): number {
  checkTopLists(topLists, k);
  const head = popularityHead(itemPopularity, headShare);
  let filled = 0;
  let tail = 0;
  for (let j = 0; j < topLists.length; j++) {
    const item = topLists[j];
    if (item < 0) continue;
    checkItem(item, head.length);
    filled++;
    if (head[item] === 0) tail++;
  }
  return filled === 0 ? Number.NaN : tail / filled;
}

/**
 * Each item's categories: an array indexed by item (`Dataset.itemCategories`), a function, or
 * CSR lists (`offsets` of length numItems + 1).
 */
export type ItemCategories =
  | readonly (readonly number[])[]
  | ((item: number) => ArrayLike<number>)
  | ItemLists;

function categoryReader(categories: ItemCategories): (item: number) => ArrayLike<number> {
  if (typeof categories === 'function') return categories;
  if (Array.isArray(categories)) {
    const lists = categories as readonly (readonly number[])[];
    return (item) => lists[item] ?? [];
  }
  const csr = categories as ItemLists;
  return (item) =>
    item + 1 < csr.offsets.length
      ? csr.items.subarray(csr.offsets[item], csr.offsets[item + 1])
      : new Int32Array(0);
}

/** Size of the intersection of two ascending, duplicate-free arrays. */
function sharedSorted(x: Int32Array, y: Int32Array): number {
  let i = 0;
  let j = 0;
  let shared = 0;
  while (i < x.length && j < y.length) {
    if (x[i] === y[j]) {
      shared++;
      i++;
      j++;
    } else if (x[i] < y[j]) {
      i++;
    } else {
      j++;
    }
  }
  return shared;
}

/**
 * Intra-list diversity: for each user, the mean over pairs of listed items of the category
 * distance 1 − Jaccard(categories of i, categories of j); then the mean over users. Pairs in
 * which an item has no categories are skipped (no data, not "maximally different"), and so are
 * users left without a pair. NaN when no pair anywhere has category data on both sides.
 * O(users · k² · categories per item).
 */
export function intraListDiversity(
  topLists: ArrayLike<number>,
  k: number,
  itemCategories: ItemCategories,
): number {
  checkTopLists(topLists, k);
  const read = categoryReader(itemCategories);
  const cache = new Map<number, Int32Array>();
  const setOf = (item: number): Int32Array => {
    let set = cache.get(item);
    if (!set) {
      const sorted = Int32Array.from(read(item)).sort();
      set = sorted.filter((c, i) => i === 0 || c !== sorted[i - 1]);
      cache.set(item, set);
    }
    return set;
  };
  const row: Int32Array[] = [];
  let userSum = 0;
  let users = 0;
  for (let base = 0; base < topLists.length; base += k) {
    row.length = 0;
    for (let j = base; j < base + k; j++) {
      const item = topLists[j];
      if (item < 0) continue;
      const set = setOf(item);
      if (set.length > 0) row.push(set);
    }
    if (row.length < 2) continue;
    let pairSum = 0;
    let pairs = 0;
    for (let i = 0; i < row.length; i++) {
      for (let j = i + 1; j < row.length; j++) {
        const shared = sharedSorted(row[i], row[j]);
        pairSum += 1 - shared / (row[i].length + row[j].length - shared);
        pairs++;
      }
    }
    userSum += pairSum / pairs;
    users++;
  }
  return users === 0 ? Number.NaN : userSum / users;
}

/**
 * Novelty: the mean self-information −log2((pop + 1) / (numUsers + 1)) bits of the recommended
 * items, pooled over the filled slots (Zhou et al., PNAS 2010, with add-one smoothing so an
 * item nobody interacted with in training gets log2(numUsers + 1) bits, not infinity).
 * `itemPopularity` should count the training users of each item; interaction counts (which
 * can exceed numUsers when users repeat items) also work, and any item whose count reaches
 * numUsers is treated as seen by everyone (0 bits). NaN when no slot is filled.
 */
export function novelty(
  topLists: ArrayLike<number>,
  k: number,
  itemPopularity: ArrayLike<number>,
  numUsers: number,
): number {
  checkTopLists(topLists, k);
  if (!Number.isInteger(numUsers) || numUsers < 1) {
    throw new RangeError(`numUsers must be an integer >= 1, got ${numUsers}.`);
  }
  let filled = 0;
  let bits = 0;
  for (let j = 0; j < topLists.length; j++) {
    const item = topLists[j];
    if (item < 0) continue;
    checkItem(item, itemPopularity.length);
    const pop = itemPopularity[item];
    if (!(pop >= 0)) throw new RangeError(`Popularity must be >= 0, but item ${item} has ${pop}.`);
    filled++;
    bits -= Math.log2(Math.min(1, (pop + 1) / (numUsers + 1)));
  }
  return filled === 0 ? Number.NaN : bits / filled;
}
