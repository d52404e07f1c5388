/**
 * Agreement between two ranked lists of items, e.g. two models' top-k lists for one user:
 * Jaccard@k of their item sets and rank-biased overlap with its bounds. Lists may be padded
 * with -1 (any negative entry is padding), as `topKPerRow` writes them. Pure TypeScript in
 * double precision.
 */
import { checkK } from './statChecks';

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
