import { describe, expect, it } from 'vitest';
import {
  CoverageCounter,
  hitAtK,
  ndcgAtK,
  rankAmongCandidates,
  rankOfTargets,
  recallAtK,
  reciprocalRank,
  TopKHeap,
  topKPerRow,
} from './metrics';

const lists = (rows: number[][]) => {
  const offsets = new Int32Array(rows.length + 1);
  rows.forEach((r, i) => {
    offsets[i + 1] = offsets[i] + r.length;
  });
  return { offsets, items: Int32Array.from(rows.flat()) };
};

/** A seeded LCG so the randomised checks are deterministic. */
function lcg(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

describe('rankOfTargets', () => {
  // item:            0    1    2    3    4
  const row = [0.1, 0.5, 0.3, 0.9, 0.3];

  it('counts a tie against the target (a model that cannot tell items apart is not flattered)', () => {
    const ranks = rankOfTargets(Float32Array.from(row), 5, Int32Array.of(2), lists([[]]));
    expect(ranks[0]).toBe(4); // 0.5 and 0.9 are above; item 4 ties at 0.3 and counts too
  });

  it('gives a constant scorer the worst rank, not the best', () => {
    const ranks = rankOfTargets(new Float32Array(5).fill(1), 5, Int32Array.of(2), lists([[]]));
    expect(ranks[0]).toBe(5);
  });

  it('leaves excluded (seen) items out of the ranking, duplicates once', () => {
    const ranks = rankOfTargets(Float32Array.from(row), 5, Int32Array.of(2), lists([[3, 3, 0]]));
    expect(ranks[0]).toBe(3); // item 1 above, item 4 ties; 3 and 0 are excluded
  });

  it('gives a target that is itself seen rank Infinity (it can never be recommended)', () => {
    const ranks = rankOfTargets(Float32Array.from(row), 5, Int32Array.of(3), lists([[1, 3]]));
    expect(ranks[0]).toBe(Number.POSITIVE_INFINITY);
    expect(hitAtK(ranks[0], 20)).toBe(0);
    expect(ndcgAtK([ranks[0]], 20)).toBe(0);
    expect(reciprocalRank(ranks[0])).toBe(0);
  });

  it('handles a batch of rows with their own exclusions', () => {
    const scores = Float32Array.from([...row, ...[0.9, 0.8, 0.7, 0.6, 0.5]]);
    const ranks = rankOfTargets(scores, 5, Int32Array.of(0, 4), lists([[], [0, 1]]));
    expect(Array.from(ranks)).toEqual([5, 3]);
  });

  it('matches a brute-force count on random scores with ties', () => {
    const rnd = lcg(7);
    const numItems = 50;
    const rows = 20;
    const scores = Float32Array.from({ length: rows * numItems }, () => Math.floor(rnd() * 10));
    const targets = Int32Array.from({ length: rows }, () => Math.floor(rnd() * numItems));
    const excl = Array.from({ length: rows }, () =>
      Array.from({ length: 5 }, () => Math.floor(rnd() * numItems)),
    );
    const ranks = rankOfTargets(scores, numItems, targets, lists(excl));
    for (let r = 0; r < rows; r++) {
      const t = targets[r];
      const ts = scores[r * numItems + t];
      const expected = excl[r].includes(t)
        ? Number.POSITIVE_INFINITY
        : 1 +
          Array.from({ length: numItems }, (_, j) => j).filter(
            (j) => j !== t && !excl[r].includes(j) && scores[r * numItems + j] >= ts,
          ).length;
      expect(ranks[r]).toBe(expected);
    }
  });

  it('rejects a score array of the wrong size and a NaN target score', () => {
    expect(() => rankOfTargets(new Float32Array(4), 5, Int32Array.of(0), lists([[]]))).toThrow(
      /expected 1 rows x 5 items/,
    );
    const nan = Float32Array.of(Number.NaN, 1, 2);
    expect(() => rankOfTargets(nan, 3, Int32Array.of(0), lists([[]]))).toThrow(/NaN/);
  });
});

describe('rankAmongCandidates', () => {
  it('ranks the target among the sampled candidates only', () => {
    const scores = Float32Array.of(0.1, 0.5, 0.3, 0.9, 0.3);
    expect(rankAmongCandidates(scores, 0, 2, [0, 4])).toBe(2); // item 4 ties and counts above
    expect(rankAmongCandidates(scores, 0, 2, [0, 1, 3])).toBe(3);
  });
});

describe('metric formulas (hand-computed)', () => {
  it('HR@K and NDCG@K = 1 / log2(rank + 1) for one target', () => {
    expect(hitAtK(10, 10)).toBe(1);
    expect(hitAtK(11, 10)).toBe(0);
    expect(ndcgAtK([1], 10)).toBe(1);
    expect(ndcgAtK([3], 10)).toBeCloseTo(0.5, 12);
    expect(ndcgAtK([7], 10)).toBeCloseTo(1 / 3, 12);
    expect(ndcgAtK([11], 10)).toBe(0);
  });

  it('MRR uses the full ranking, with no cut-off', () => {
    expect(reciprocalRank(4)).toBe(0.25);
    expect(reciprocalRank(500)).toBe(0.002);
  });

  it('Recall@K and NDCG@K with several targets', () => {
    expect(recallAtK([1, 5, 30], 10)).toBeCloseTo(2 / 3, 12);
    expect(recallAtK([5], 10)).toBe(hitAtK(5, 10));
    // DCG = 1 + 1/log2(4) = 1.5; ideal for 2 targets = 1 + 1/log2(3)
    expect(ndcgAtK([1, 3], 10)).toBeCloseTo(1.5 / (1 + 1 / Math.log2(3)), 12);
    // only one of three can be within K = 1: ideal DCG is 1
    expect(ndcgAtK([1, 2, 3], 1)).toBe(1);
    expect(ndcgAtK([], 10)).toBe(0);
  });
});

describe('TopKHeap and topKPerRow', () => {
  it('keeps the k best, best first, equal scores to the lower index', () => {
    const heap = new TopKHeap(3);
    for (const [i, s] of [
      [5, 0.2],
      [1, 0.7],
      [9, 0.7],
      [2, 0.1],
      [0, 0.2],
      [4, 0.9],
    ] as const)
      heap.offer(i, s);
    const idx = new Int32Array(3);
    const val = new Float32Array(3);
    expect(heap.drain(idx, val)).toBe(3);
    expect(Array.from(idx)).toEqual([4, 1, 9]);
    expect(Array.from(val)).toEqual([Math.fround(0.9), Math.fround(0.7), Math.fround(0.7)]);
  });

  it('agrees with a full sort on random data', () => {
    const rnd = lcg(11);
    const scores = Array.from({ length: 200 }, () => Math.floor(rnd() * 30));
    const heap = new TopKHeap(20);
    // offer in a shuffled order: the result must not depend on it
    const order = scores.map((_, i) => i).sort(() => rnd() - 0.5);
    for (const i of order) heap.offer(i, scores[i]);
    const idx = new Int32Array(20);
    heap.drain(idx, null);
    const expected = scores
      .map((s, i) => [s, i])
      .sort((a, b) => b[0] - a[0] || a[1] - b[1])
      .slice(0, 20)
      .map(([, i]) => i);
    expect(Array.from(idx)).toEqual(expected);
  });

  it('skips seen items and pads rows with fewer candidates than k', () => {
    const scores = Float32Array.of(0.1, 0.5, 0.3, 0.9, 0.3, /* row 2 */ 1, 2, 3, 4, 5);
    const top = topKPerRow(scores, 5, 3, lists([[3], [0, 1, 2]]));
    expect(Array.from(top)).toEqual([1, 2, 4, 4, 3, -1]);
  });
});

describe('CoverageCounter', () => {
  it('is distinct items in all top-K lists over the catalogue size', () => {
    const counter = new CoverageCounter(10, 2);
    counter.add(Int32Array.of(1, 2, 7, 3, 1, 9), 3); // stride 3, first 2 of each: {1,2,3,1}
    counter.add(Int32Array.of(4, -1, -1), 3);
    expect(counter.value).toBeCloseTo(4 / 10, 12);
  });
});
