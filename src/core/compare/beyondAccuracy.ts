/**
 * Beyond-accuracy figures of top-k lists against the catalogue: how recommendations spread
 * over the items (counts, Gini index), how many slots go to the long tail, intra-list
 * diversity over item categories and novelty.
 *
 * Pure TypeScript in double precision. Top-k lists are row-major `Int32Array`s with stride k,
 * padded with -1 (any negative entry is padding), as `topKPerRow` writes them.
 */
import type { ItemLists } from '../train/metrics';
import { checkTopLists, sumOf } from './statChecks';

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
