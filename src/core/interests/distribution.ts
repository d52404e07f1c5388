/**
 * Category distributions: counting a run of events into per-category mass (an item with several
 * categories counts 1/|categories| for each; an item without one counts for nothing but is
 * tallied), normalising, the Jensen-Shannon divergence between two mixes (bits, 0..1) and the
 * largest shares as {@link CategoryShare}s. Plain arrays, double precision.
 */
import type { CategoryMap, CategoryShare } from './types';

/** Per-category mass of a run of events, and how many events had no category. */
export interface CategoryCounts {
  /** Mass per category (index into the names); sums to the categorised events' weight. */
  mass: Float64Array;
  /** Total weight of the categorised events (the sum of `mass`). */
  total: number;
  /** Events (unweighted) whose item has no category. */
  uncategorised: number;
  /** Events (unweighted) counted, categorised or not. */
  events: number;
}

export function emptyCounts(categories: number): CategoryCounts {
  return { mass: new Float64Array(categories), total: 0, uncategorised: 0, events: 0 };
}

/**
 * Adds one event of `item` with `weight` (default 1) to `counts`. Items outside the map (an
 * index past its end) count as uncategorised.
 */
export function addItem(
  counts: CategoryCounts,
  categories: CategoryMap,
  item: number,
  weight = 1,
): void {
  counts.events++;
  const cats = item >= 0 ? categories.itemCategories[item] : undefined;
  if (!cats || cats.length === 0) {
    counts.uncategorised++;
    return;
  }
  const each = weight / cats.length;
  for (const c of cats) counts.mass[c] += each;
  counts.total += weight;
}

/**
 * Counts the events `from` (inclusive) to `to` (exclusive) of `items`, optionally weighted per
 * event (`weights[i]` for event i).
 */
export function countCategories(
  items: ArrayLike<number>,
  categories: CategoryMap,
  from = 0,
  to = items.length,
  weights?: ArrayLike<number>,
): CategoryCounts {
  const counts = emptyCounts(categories.names.length);
  for (let i = from; i < to; i++) addItem(counts, categories, items[i], weights ? weights[i] : 1);
  return counts;
}

/** Adds `b` into `a` (same number of categories). */
export function mergeCounts(a: CategoryCounts, b: CategoryCounts): void {
  for (let c = 0; c < a.mass.length; c++) a.mass[c] += b.mass[c];
  a.total += b.total;
  a.uncategorised += b.uncategorised;
  a.events += b.events;
}

/** Shares summing to 1; all zeros when the mass is zero (nothing to normalise). */
export function normalize(mass: ArrayLike<number>): Float64Array {
  let total = 0;
  for (let i = 0; i < mass.length; i++) total += mass[i];
  const out = new Float64Array(mass.length);
  if (!(total > 0)) return out;
  for (let i = 0; i < mass.length; i++) out[i] = mass[i] / total;
  return out;
}

/** Σ p·log2(p / m) over the entries where p > 0. */
function klToMixture(p: ArrayLike<number>, m: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < p.length; i++) if (p[i] > 0) sum += p[i] * Math.log2(p[i] / m[i]);
  return sum;
}

/**
 * Jensen-Shannon divergence in bits between two distributions (normalised here, so raw masses
 * may be passed): 0 for equal mixes, 1 for disjoint ones. 0 when either side is empty (no mix
 * to compare).
 */
export function jensenShannon(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) {
    throw new RangeError(`Distributions need equal lengths, got ${a.length} and ${b.length}.`);
  }
  const p = normalize(a);
  const q = normalize(b);
  let pSum = 0;
  let qSum = 0;
  for (let i = 0; i < p.length; i++) {
    pSum += p[i];
    qSum += q[i];
  }
  if (pSum === 0 || qSum === 0) return 0;
  const m = new Float64Array(p.length);
  for (let i = 0; i < p.length; i++) m[i] = (p[i] + q[i]) / 2;
  const jsd = (klToMixture(p, m) + klToMixture(q, m)) / 2;
  // Rounding can leave a hair below 0 or above 1.
  return Math.min(1, Math.max(0, jsd));
}

/** Shannon entropy in bits of a distribution (normalised here). */
export function entropy(mass: ArrayLike<number>): number {
  const p = normalize(mass);
  let h = 0;
  for (let i = 0; i < p.length; i++) if (p[i] > 0) h -= p[i] * Math.log2(p[i]);
  return h;
}

/**
 * The categories with a positive share, largest first (ties by name), at most `k` of them
 * (default all). Shares are of the whole distribution, so a cut list sums to less than 1.
 */
export function topShares(
  mass: ArrayLike<number>,
  names: readonly string[],
  k = Number.POSITIVE_INFINITY,
): CategoryShare[] {
  const p = normalize(mass);
  return rankedIndices(p, names)
    .slice(0, k)
    .map((i) => ({ category: names[i], share: p[i] }));
}

/** Indices of the positive entries, largest first (ties by name). */
export function rankedIndices(values: ArrayLike<number>, names: readonly string[]): number[] {
  const order: number[] = [];
  for (let i = 0; i < values.length; i++) if (values[i] > 0) order.push(i);
  return order.sort((a, b) => values[b] - values[a] || compareNames(names[a], names[b]));
}

/** The index of the largest positive entry (ties: the smallest name), or -1 when none is positive. */
export function argmax(values: ArrayLike<number>, names: readonly string[]): number {
  let best = -1;
  for (let i = 0; i < values.length; i++) {
    if (!(values[i] > 0)) continue;
    if (
      best < 0 ||
      values[i] > values[best] ||
      (values[i] === values[best] && compareNames(names[i], names[best]) < 0)
    ) {
      best = i;
    }
  }
  return best;
}

function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * How far each category's share in `a` stands above its share in `b`: the two-proportion z
 * (pooled variance) over the two totals. All zeros when either side is empty.
 */
export function riseScores(a: CategoryCounts, b: CategoryCounts): Float64Array {
  const k = a.mass.length;
  const z = new Float64Array(k);
  const na = a.total;
  const nb = b.total;
  if (!(na > 0 && nb > 0)) return z;
  const scale = 1 / na + 1 / nb;
  for (let c = 0; c < k; c++) {
    const p = (a.mass[c] + b.mass[c]) / (na + nb);
    const variance = p * (1 - p) * scale;
    if (!(variance > 0)) continue;
    z[c] = (a.mass[c] / na - b.mass[c] / nb) / Math.sqrt(variance);
  }
  return z;
}

/** `a` minus `b`, per category and in the totals (b a part of a). */
export function subtractCounts(a: CategoryCounts, b: CategoryCounts): CategoryCounts {
  const mass = new Float64Array(a.mass.length);
  for (let c = 0; c < mass.length; c++) mass[c] = Math.max(0, a.mass[c] - b.mass[c]);
  return {
    mass,
    total: Math.max(0, a.total - b.total),
    uncategorised: a.uncategorised - b.uncategorised,
    events: a.events - b.events,
  };
}
