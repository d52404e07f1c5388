/**
 * The item catalogue of the sample: categories with uneven sizes and popularity, items with
 * non-contiguous ids, invented titles, 1-3 categories, and Zipf-like popularity within their
 * primary category plus a global boost for a small head of items.
 */
import type { SampleConfig } from './config';
import { cumulative, type SeededRandom } from './random';
import { generateTitle } from './titles';
import type { CategoryTruth, ItemTruth, SampleItem } from './types';
import { CATEGORY_NAMES } from './vocabulary';

export interface Catalog {
  categories: CategoryTruth[];
  /** Items in generation order (by category, then rank); `index` refers to this order. */
  items: SampleItem[];
  truth: ItemTruth[];
  /** Per category: item indices of its primary items, by rank. */
  byCategory: number[][];
  /** Per category: cumulative popularity weights over `byCategory[c]`. */
  categorySums: Float64Array[];
  /** Over all items: category popularity x within-category weight. */
  globalSums: Float64Array;
  /** Primary category index per item. */
  primary: number[];
}

/** Rounds to a fixed number of decimals, so the ground truth holds exactly what was used. */
export function roundTo(value: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
}

/** Item counts per category: at least 5 each, the rest in proportion to popularity. */
function categorySizes(total: number, popularity: number[]): number[] {
  const minimum = 5;
  const spare = total - minimum * popularity.length;
  const exact = popularity.map((p) => p * spare);
  const sizes = exact.map((x) => minimum + Math.floor(x));
  let left = total - sizes.reduce((a, b) => a + b, 0);
  const byRemainder = exact
    .map((x, i) => ({ i, r: x - Math.floor(x) }))
    .sort((a, b) => b.r - a.r || a.i - b.i);
  for (const { i } of byRemainder) {
    if (left <= 0) break;
    sizes[i]++;
    left--;
  }
  return sizes;
}

/**
 * Distinct ids `p` + 5 digits from 10000..99999 (`p` + 6 digits from 100000..999999 above
 * 60,000 items, so that draws stay sparse), in draw order (not sorted, not contiguous).
 */
function drawItemIds(rng: SeededRandom, count: number): string[] {
  const [lo, hi] = count > 60_000 ? [100_000, 999_999] : [10_000, 99_999];
  const used = new Set<number>();
  const ids: string[] = [];
  while (ids.length < count) {
    const n = rng.int(lo, hi);
    if (used.has(n)) continue;
    used.add(n);
    ids.push(`p${n}`);
  }
  return ids;
}

/**
 * Builds the catalogue from the configuration. Pure: the same configuration and stream give
 * the same catalogue.
 */
export function buildCatalog(config: SampleConfig, rng: SeededRandom): Catalog {
  const names = CATEGORY_NAMES.slice(0, config.categories);
  const raw = names.map(() => rng.uniform(0.5, 1.5));
  const rawTotal = raw.reduce((a, b) => a + b, 0);
  const popularity = raw.map((r) => roundTo(r / rawTotal, 4));
  const sizes = categorySizes(config.items, popularity);
  const ids = drawItemIds(rng, config.items);

  const items: SampleItem[] = [];
  const primary: number[] = [];
  const ranks: number[] = [];
  const byCategory: number[][] = names.map(() => []);
  const usedTitles = new Set<string>();
  for (let c = 0; c < names.length; c++) {
    for (let rank = 1; rank <= sizes[c]; rank++) {
      const index = items.length;
      const categories = [names[c]];
      if (rng.chance(config.secondCategoryProbability)) {
        const extra =
          config.thirdCategoryProbability > 0 && rng.chance(config.thirdCategoryProbability);
        while (categories.length < (extra ? 3 : 2)) {
          const other = rng.pick(names);
          if (!categories.includes(other)) categories.push(other);
        }
      }
      items.push({ id: ids[index], title: generateTitle(rng, names[c], usedTitles), categories });
      primary.push(c);
      ranks.push(rank);
      byCategory[c].push(index);
    }
  }

  const headCount = Math.round(config.items * config.headFraction);
  const head = new Set(
    rng.weightedSample(
      items.map(() => 1),
      headCount,
    ),
  );
  const raws = items.map(
    (_, i) => (1 / ranks[i] ** config.zipfExponent) * (head.has(i) ? config.headBoost : 1),
  );
  const weights: number[] = new Array(items.length);
  for (const members of byCategory) {
    const total = members.reduce((sum, i) => sum + raws[i], 0);
    for (const i of members) weights[i] = roundTo(raws[i] / total, 6);
  }

  const truth: ItemTruth[] = items.map((item, i) => ({
    item: item.id,
    category: names[primary[i]],
    rank: ranks[i],
    head: head.has(i),
    weight: weights[i],
  }));
  return {
    categories: names.map((name, c) => ({ name, popularity: popularity[c], items: sizes[c] })),
    items,
    truth,
    byCategory,
    categorySums: byCategory.map((members) => cumulative(members.map((i) => weights[i]))),
    globalSums: cumulative(items.map((_, i) => popularity[primary[i]] * weights[i])),
    primary,
  };
}
