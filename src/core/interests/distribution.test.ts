import { describe, expect, it } from 'vitest';
import {
  addItem,
  argmax,
  countCategories,
  emptyCounts,
  entropy,
  jensenShannon,
  mergeCounts,
  normalize,
  rankedIndices,
  riseScores,
  subtractCounts,
  topShares,
} from './distribution';
import type { CategoryMap } from './types';

const names = ['A', 'B', 'C'];
// Items: 0 -> A, 1 -> B, 2 -> A+B, 3 -> A+B+C, 4 -> none.
const map: CategoryMap = {
  itemCategories: [[0], [1], [0, 1], [0, 1, 2], []],
  names,
  derived: false,
};

describe('category counting', () => {
  it('counts 1/|categories| per category and tallies uncategorised events', () => {
    const counts = countCategories([0, 2, 3, 4, 4], map);
    expect(Array.from(counts.mass)).toEqual(
      [1 + 1 / 2 + 1 / 3, 1 / 2 + 1 / 3, 1 / 3].map((x) => expect.closeTo(x, 12)),
    );
    expect(counts.total).toBe(3);
    expect(counts.uncategorised).toBe(2);
    expect(counts.events).toBe(5);
  });

  it('weights events, counts a range, and treats unknown items as uncategorised', () => {
    const counts = countCategories([0, 1, 1, 9], map, 1, 4, [10, 2, 3, 1]);
    expect(Array.from(counts.mass)).toEqual([0, 5, 0]);
    expect(counts.uncategorised).toBe(1);
    const c = emptyCounts(3);
    addItem(c, map, -1);
    expect(c.uncategorised).toBe(1);
  });

  it('merges and subtracts counts', () => {
    const a = countCategories([0, 1], map);
    const b = countCategories([1, 2], map);
    mergeCounts(a, b);
    expect(Array.from(a.mass)).toEqual([1.5, 2.5, 0]);
    expect(a.events).toBe(4);
    const rest = subtractCounts(a, b);
    expect(Array.from(rest.mass)).toEqual([1, 1, 0]);
    expect(rest.total).toBe(2);
  });
});

describe('normalise, entropy, top shares', () => {
  it('normalises to 1, and leaves an all-zero mass at zero', () => {
    expect(Array.from(normalize([1, 3]))).toEqual([0.25, 0.75]);
    expect(Array.from(normalize([0, 0]))).toEqual([0, 0]);
  });

  it('entropy in bits', () => {
    expect(entropy([1, 1])).toBeCloseTo(1, 12);
    expect(entropy([1, 1, 1, 1])).toBeCloseTo(2, 12);
    expect(entropy([5, 0])).toBe(0);
  });

  it('lists positive shares largest first, ties by name, cut at k', () => {
    expect(topShares([1, 3, 0], names)).toEqual([
      { category: 'B', share: 0.75 },
      { category: 'A', share: 0.25 },
    ]);
    expect(topShares([2, 2, 1], ['Z', 'Y', 'X'], 2)).toEqual([
      { category: 'Y', share: 0.4 },
      { category: 'Z', share: 0.4 },
    ]);
    expect(topShares([0, 0, 0], names)).toEqual([]);
    expect(rankedIndices([0.1, 0.5, 0], names)).toEqual([1, 0]);
    expect(argmax([0, 0, 0], names)).toBe(-1);
    expect(argmax([-1, 2, 2], ['a', 'c', 'b'])).toBe(2);
  });
});

describe('Jensen-Shannon divergence (bits)', () => {
  it('is 0 for equal mixes (raw masses are normalised) and 1 for disjoint ones', () => {
    expect(jensenShannon([1, 2, 3], [2, 4, 6])).toBeCloseTo(0, 12);
    expect(jensenShannon([1, 0], [0, 1])).toBeCloseTo(1, 12);
    expect(jensenShannon([1, 1, 0, 0], [0, 0, 3, 1])).toBeCloseTo(1, 12);
  });

  it('matches a hand computation', () => {
    // P = (1, 0), Q = (1/2, 1/2), M = (3/4, 1/4):
    // KL(P||M) = log2(4/3); KL(Q||M) = 1/2 log2(2/3) + 1/2 log2(2); JSD = the mean.
    const expected = (Math.log2(4 / 3) + 0.5 * Math.log2(2 / 3) + 0.5) / 2;
    expect(jensenShannon([1, 0], [1, 1])).toBeCloseTo(expected, 12);
    expect(expected).toBeCloseTo(0.3113, 4);
  });

  it('is symmetric, bounded, and 0 when a side is empty', () => {
    const a = [0.2, 0.5, 0.3];
    const b = [0.6, 0.1, 0.3];
    expect(jensenShannon(a, b)).toBeCloseTo(jensenShannon(b, a), 14);
    expect(jensenShannon(a, b)).toBeGreaterThan(0);
    expect(jensenShannon(a, b)).toBeLessThan(1);
    expect(jensenShannon([0, 0], [1, 0])).toBe(0);
  });

  it('refuses distributions of different lengths', () => {
    expect(() => jensenShannon([1], [1, 0])).toThrow(RangeError);
  });
});

describe('rise scores (two-proportion z)', () => {
  it('is positive for the category over-represented in the first mix', () => {
    const a = countCategories([0, 0, 0, 0, 1, 1], map);
    const b = countCategories([1, 1, 1, 1, 0, 0], map);
    const z = riseScores(a, b);
    // Shares 4/6 vs 2/6, pooled 1/2: z = (1/3) / sqrt(1/4 · 1/3) = 2/sqrt(3).
    expect(z[0]).toBeCloseTo(2 / Math.sqrt(3), 12);
    expect(z[1]).toBeCloseTo(-2 / Math.sqrt(3), 12);
    expect(z[2]).toBe(0);
  });

  it('is all zeros when either side is empty', () => {
    const z = riseScores(countCategories([0], map), emptyCounts(3));
    expect(Array.from(z)).toEqual([0, 0, 0]);
  });
});
