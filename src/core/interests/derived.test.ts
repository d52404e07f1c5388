import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../random';
import { defaultClusterCount, deriveCategories } from './derived';

/** `clusters` planted directions in `dim`, `perCluster` noisy items each, of varied lengths. */
function clustered(clusters: number, perCluster: number, dim: number, noise: number, seed = 3) {
  const rng = new SeededRandom(seed, 'clusters');
  const centres = Array.from({ length: clusters }, () => {
    const c = Array.from({ length: dim }, () => rng.normal());
    const norm = Math.hypot(...c);
    return c.map((v) => v / norm);
  });
  const numItems = clusters * perCluster;
  const values = new Float32Array(numItems * dim);
  const truth: number[] = [];
  // Interleave the clusters so item order says nothing.
  for (let i = 0; i < numItems; i++) {
    const c = i % clusters;
    truth.push(c);
    const length = rng.uniform(0.5, 3);
    for (let d = 0; d < dim; d++)
      values[i * dim + d] = length * (centres[c][d] + noise * rng.normal());
  }
  return { values, numItems, truth };
}

/** min(purity, inverse purity): both high only when clusters and planted groups match. */
function adjustedPurity(found: number[], truth: number[]): number {
  const overlap = (a: number[], b: number[]) => {
    const table = new Map<number, Map<number, number>>();
    a.forEach((x, i) => {
      const row = table.get(x) ?? new Map<number, number>();
      row.set(b[i], (row.get(b[i]) ?? 0) + 1);
      table.set(x, row);
    });
    let sum = 0;
    for (const row of table.values()) sum += Math.max(...row.values());
    return sum / a.length;
  };
  return Math.min(overlap(found, truth), overlap(truth, found));
}

describe('deriveCategories (k-means++ on unit rows)', () => {
  const dim = 16;
  const { values, numItems, truth } = clustered(5, 60, dim, 0.25);
  const titles = Array.from({ length: numItems }, (_, i) => `Title ${i} of group ${truth[i]}`);
  const ids = Array.from({ length: numItems }, (_, i) => `item-${i}`);

  it('recovers planted clusters (adjusted purity >= 0.9) whatever the row lengths', () => {
    const map = deriveCategories(values, numItems, dim, { k: 5, seed: 1, titles, ids });
    const found = map.itemCategories.map((c) => c[0]);
    const purity = adjustedPurity(found, truth);
    console.log(
      `derived categories: adjusted purity ${purity.toFixed(3)} on 5 planted clusters, ${map.iterations} iterations`,
    );
    expect(purity).toBeGreaterThanOrEqual(0.9);
    expect(map.derived).toBe(true);
    expect(map.names).toHaveLength(5);
    expect(new Set(map.names).size).toBe(5);
    expect(map.sizes.reduce((a, b) => a + b, 0)).toBe(numItems);
    expect(map.itemCategories.every((c) => c.length === 1)).toBe(true);
  });

  it('names each cluster by its most typical items (their titles), all of that cluster', () => {
    const map = deriveCategories(values, numItems, dim, { k: 5, seed: 1, titles, ids });
    map.typicalItems.forEach((typical, j) => {
      expect(typical).toHaveLength(3);
      for (const i of typical) expect(map.itemCategories[i][0]).toBe(j);
      expect(map.names[j]).toBe(typical.map((i) => titles[i]).join(' · '));
    });
    // Without titles: ids; long titles are shortened.
    const byId = deriveCategories(values, numItems, dim, { k: 5, seed: 1, ids, nameItems: 2 });
    expect(byId.names[0]).toMatch(/^item-\d+ · item-\d+$/);
    const long = deriveCategories(values, numItems, dim, {
      k: 2,
      titles: titles.map((t) => `${t} with a very long subtitle indeed`),
    });
    expect(long.names[0]).toMatch(/…/);
  });

  it('is deterministic for a seed; euclidean metric also recovers the clusters', () => {
    const a = deriveCategories(values, numItems, dim, { k: 5, seed: 9 });
    const b = deriveCategories(values, numItems, dim, { k: 5, seed: 9 });
    expect(a).toEqual(b);
    const e = deriveCategories(values, numItems, dim, { k: 5, seed: 9, metric: 'euclidean' });
    expect(
      adjustedPurity(
        e.itemCategories.map((c) => c[0]),
        truth,
      ),
    ).toBeGreaterThanOrEqual(0.9);
  });

  it('defaults to min(12, round(sqrt(numItems / 2))) clusters', () => {
    expect(defaultClusterCount(1)).toBe(1);
    expect(defaultClusterCount(50)).toBe(5);
    expect(defaultClusterCount(300)).toBe(12);
    expect(defaultClusterCount(100_000)).toBe(12);
    expect(deriveCategories(values, numItems, dim).names).toHaveLength(12);
  });

  it('handles degenerate tables and refuses bad sizes', () => {
    expect(deriveCategories(new Float32Array(0), 0, 4).names).toEqual([]);
    const same = deriveCategories(new Float32Array(6 * 3).fill(1), 6, 3, { k: 3 });
    expect(same.itemCategories).toHaveLength(6);
    const zeros = deriveCategories(new Float32Array(4 * 2), 4, 2, { k: 2 });
    expect(zeros.itemCategories).toHaveLength(4);
    expect(() => deriveCategories(new Float32Array(5), 2, 3)).toThrow(RangeError);
    expect(() => deriveCategories(values, numItems, dim, { k: numItems + 1 })).toThrow(RangeError);
    expect(() => deriveCategories(values, numItems, dim, { k: 0 })).toThrow(RangeError);
    expect(() => deriveCategories(values, numItems, dim, { maxIterations: 0 })).toThrow(RangeError);
  });
});
