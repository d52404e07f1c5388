/**
 * The beyond-accuracy figures of top-k lists against cases worked out by hand, plus seeded
 * property checks.
 */
import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../random';
import {
  giniIndex,
  intraListDiversity,
  longTailShare,
  novelty,
  popularityHead,
  recommendationCounts,
} from './beyondAccuracy';

describe('giniIndex', () => {
  it('matches hand-computed cases', () => {
    expect(giniIndex([])).toBe(0);
    expect(giniIndex([0, 0, 0])).toBe(0);
    expect(giniIndex([5, 5, 5, 5])).toBe(0);
    // All mass on one of four items: (n − 1) / n.
    expect(giniIndex([0, 0, 0, 7])).toBeCloseTo(3 / 4, 15);
    // [1, 2, 3, 4]: Σ (2i − 5) x_i = −3 − 2 + 3 + 12 = 10, over n Σx = 40.
    expect(giniIndex([4, 1, 3, 2])).toBeCloseTo(0.25, 15);
  });

  it('equals the mean-absolute-difference form and lies in [0, 1) on random counts', () => {
    const rng = new SeededRandom(10, 'counts');
    for (let t = 0; t < 50; t++) {
      const n = rng.int(1, 40);
      const counts = Float64Array.from({ length: n }, () => (rng.chance(0.3) ? 0 : rng.int(0, 50)));
      const g = giniIndex(counts);
      let total = 0;
      let absDiff = 0;
      for (const x of counts) {
        total += x;
        for (const y of counts) absDiff += Math.abs(x - y);
      }
      const expected = total === 0 ? 0 : absDiff / (2 * n * total);
      expect(g).toBeCloseTo(expected, 12);
      expect(g).toBeGreaterThanOrEqual(0);
      expect(g).toBeLessThan(1);
      expect(giniIndex(counts.map((x) => 3 * x))).toBeCloseTo(g, 12);
    }
  });

  it('rejects negative counts', () => {
    expect(() => giniIndex([1, -1])).toThrow(/counts\[1\] is -1/);
  });
});

describe('recommendationCounts and popularityHead', () => {
  it('counts each item over the lists, skipping padding', () => {
    const top = Int32Array.of(0, 1, 2, 1, 2, -1);
    expect(Array.from(recommendationCounts(top, 3, 5))).toEqual([1, 2, 2, 0, 0]);
    expect(giniIndex(recommendationCounts(top, 3, 5))).toBeCloseTo(
      // Sorted 0, 0, 1, 2, 2: (−4·0 − 2·0 + 0·1 + 2·2 + 4·2) / (5 · 5) = 12 / 25.
      12 / 25,
      15,
    );
  });

  it('rejects lists that do not match k or the catalogue', () => {
    expect(() => recommendationCounts(Int32Array.of(0, 1, 2), 2, 5)).toThrow(/multiple of k = 2/);
    expect(() => recommendationCounts(Int32Array.of(0, 5), 2, 5)).toThrow(/outside the catalogue/);
  });

  it('takes the most popular ceil(share · n) items as the head, ties to the lower index', () => {
    expect(Array.from(popularityHead([5, 1, 5, 0, 3], 0.4))).toEqual([1, 0, 1, 0, 0]);
    expect(Array.from(popularityHead([5, 1, 5, 0, 3], 0.2))).toEqual([1, 0, 0, 0, 0]);
    // ceil(0.2 · 6) = 2.
    expect(Array.from(popularityHead([0, 0, 0, 0, 0, 0]))).toEqual([1, 1, 0, 0, 0, 0]);
  });
});

describe('longTailShare', () => {
  const popularity = [10, 8, 6, 4, 2, 0, 0, 0, 0, 0]; // head (20 % of 10) = items 0 and 1

  it('counts filled slots outside the head', () => {
    // Filled: 0, 5, 6, 1, 2; in the tail: 5, 6, 2.
    expect(longTailShare(Int32Array.of(0, 5, 6, 1, 2, -1), 3, popularity)).toBeCloseTo(3 / 5, 15);
    expect(longTailShare(Int32Array.of(0, 1), 2, popularity)).toBe(0);
    expect(longTailShare(Int32Array.of(0, 1, 2, 3), 2, popularity, 0.5)).toBe(0);
  });

  it('is NaN when nothing is recommended', () => {
    expect(longTailShare(Int32Array.of(-1, -1), 2, popularity)).toBeNaN();
  });
});

describe('intraListDiversity', () => {
  // Items 0: {0, 1}, 1: {1, 2}, 2: {3}, 3: none.
  const categories = [[0, 1], [1, 2], [3], []];

  it('averages pairwise category distances per list, then over users', () => {
    // User 1 [0, 1, 2]: 1 − ⅓, 1, 1 → 8/9. User 2 [0, 1, 3]: item 3 has no categories, only
    // the pair (0, 1) counts → ⅔. User 3 [3, 2, -1]: no pair with data on both sides, skipped.
    const top = Int32Array.of(0, 1, 2, 0, 1, 3, 3, 2, -1);
    const expected = (8 / 9 + 2 / 3) / 2;
    expect(intraListDiversity(top, 3, categories)).toBeCloseTo(expected, 15);
    // The same through a function and through CSR lists.
    expect(intraListDiversity(top, 3, (i) => categories[i])).toBeCloseTo(expected, 15);
    const csr = { offsets: Int32Array.of(0, 2, 4, 5, 5), items: Int32Array.of(0, 1, 1, 2, 3) };
    expect(intraListDiversity(top, 3, csr)).toBeCloseTo(expected, 15);
  });

  it("treats an item's repeated categories as one and identical sets as distance 0", () => {
    expect(
      intraListDiversity(Int32Array.of(0, 1), 2, [
        [1, 1, 2],
        [2, 1],
      ]),
    ).toBe(0);
  });

  it('is NaN without category data', () => {
    expect(intraListDiversity(Int32Array.of(0, 1), 2, [[], []])).toBeNaN();
    expect(intraListDiversity(Int32Array.of(0, 1), 2, [])).toBeNaN();
  });
});

describe('novelty', () => {
  it('averages −log2((pop + 1) / (users + 1)) over filled slots', () => {
    // 9 users; items seen by 9, 0 and 3 users carry 0, log2 10 and log2 2.5 bits.
    const value = novelty(Int32Array.of(0, 1, 2, -1), 2, [9, 0, 3], 9);
    expect(value).toBeCloseTo((Math.log2(10) + Math.log2(2.5)) / 3, 14);
  });

  it('gives popular items fewer bits and never goes negative', () => {
    const popularity = [100, 1];
    expect(novelty(Int32Array.of(0), 1, popularity, 50)).toBe(0);
    expect(novelty(Int32Array.of(1), 1, popularity, 50)).toBeGreaterThan(
      novelty(Int32Array.of(0), 1, [40, 1], 50),
    );
  });

  it('is NaN with no slot filled and rejects a bad user count', () => {
    expect(novelty(Int32Array.of(-1), 1, [1], 5)).toBeNaN();
    expect(() => novelty(Int32Array.of(0), 1, [1], 0)).toThrow(RangeError);
  });
});
