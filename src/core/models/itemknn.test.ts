import { describe, expect, it } from 'vitest';
import { evaluate } from '../train/evaluate';
import { temporalLeaveLastOut } from '../train/split';
import { type InteractionRow, makeDataset } from '../train/testing';
import type { HistoryBatch, UserSequences } from './baseline-types';
import { trainItemKnn } from './itemknn';
import { trainPop } from './pop';

const sequences = (rows: number[][]): UserSequences => {
  const offsets = new Int32Array(rows.length + 1);
  rows.forEach((r, i) => {
    offsets[i + 1] = offsets[i] + r.length;
  });
  const items = Int32Array.from(rows.flat());
  return { offsets, items, timestamps: new Float64Array(items.length) };
};
const history = (...rows: number[][]): HistoryBatch => sequences(rows);

// Users A {0,1}, B {0,1,2} (0 twice: binary matrix counts it once), C {2,3}; item 4 unused.
// Degrees: 0:2, 1:2, 2:2, 3:1. sim(0,1) = 2/2 = 1, sim(0,2) = sim(1,2) = 1/2,
// sim(2,3) = 1/sqrt(2), sim(0,3) = sim(1,3) = 0.
const train = sequences([
  [0, 1],
  [0, 1, 2, 0],
  [2, 3],
]);

describe('itemknn', () => {
  it('scores item j by Σ cosine(i, j) over distinct history items (hand-computed)', async () => {
    const model = trainItemKnn(train, 5);
    const scores = await model.score(Int32Array.of(0, 1, 2), history([0], [2], [0, 3, 3]));
    expect(Array.from(scores.subarray(0, 5))).toEqual([0, 1, 0.5, 0, 0]);
    const fromItem2 = Array.from(scores.subarray(5, 10));
    expect(fromItem2[0]).toBe(0.5);
    expect(fromItem2[1]).toBe(0.5);
    expect(fromItem2[2]).toBe(0); // an item is not its own neighbour
    expect(fromItem2[3]).toBeCloseTo(Math.SQRT1_2, 6);
    expect(fromItem2[4]).toBe(0);
    // {0, 3}: item 2 gets 1/2 + 1/sqrt(2); 3 repeated in the history counts once
    expect(scores[10 + 2]).toBeCloseTo(0.5 + Math.SQRT1_2, 6);
    expect(model.stats).toEqual({
      nonZeroSimilarities: 8,
      kept: 8,
      dropped: 0,
      itemsWithoutUsers: 1,
    });
  });

  it('recommends the co-occurring item first', async () => {
    const model = trainItemKnn(train, 5);
    const scores = await model.score(Int32Array.of(0), history([3]));
    const best = Array.from(scores).indexOf(Math.max(...scores));
    expect(best).toBe(2);
  });

  it('keeps only the top neighbours per item and counts what it dropped', async () => {
    const model = trainItemKnn(train, 5, { neighbours: 1 });
    // kept: 0 -> 1, 1 -> 0, 2 -> 3 (1/sqrt 2 beats 1/2), 3 -> 2
    expect(model.stats).toEqual({
      nonZeroSimilarities: 8,
      kept: 4,
      dropped: 4,
      itemsWithoutUsers: 1,
    });
    const scores = await model.score(Int32Array.of(0), history([0]));
    expect(Array.from(scores)).toEqual([0, 1, 0, 0, 0]);
  });

  it('refuses to keep every similarity of a large catalogue, and bad options', () => {
    expect(() => trainItemKnn(train, 6000, { neighbours: Number.POSITIVE_INFINITY })).toThrow(
      /too much memory/,
    );
    expect(trainItemKnn(train, 6000).neighbours).toBe(100);
    expect(trainItemKnn(train, 5).neighbours).toBe(Number.POSITIVE_INFINITY);
    expect(() => trainItemKnn(train, 5, { neighbours: 0 })).toThrow(/positive integer/);
    expect(() => trainItemKnn(train, 3)).toThrow(/outside 0..2/);
  });
});

/** Seeded LCG for the synthetic data. */
function lcg(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

describe('planted structure', () => {
  it('itemknn beats pop on NDCG@10 when items co-occur in clear groups', async () => {
    // 8 groups of 12 items; each user draws 8 distinct items of one group, in random order.
    const rnd = lcg(2024);
    const rows: InteractionRow[] = [];
    for (let u = 0; u < 240; u++) {
      const group = u % 8;
      const picked = new Set<number>();
      while (picked.size < 8) picked.add(group * 12 + Math.floor(rnd() * 12));
      let t = 0;
      for (const it of picked) rows.push([`u${u}`, `i${it}`, t++]);
    }
    const split = temporalLeaveLastOut(makeDataset(rows));
    const pop = await evaluate(trainPop(split.train, split.numItems).score, split, {
      which: 'test',
    });
    const knn = await evaluate(trainItemKnn(split.train, split.numItems).score, split, {
      which: 'test',
    });
    const ndcg = (r: typeof pop) => r.report.atK[0].ndcg;
    expect(ndcg(knn)).toBeGreaterThan(0.3);
    expect(ndcg(knn)).toBeGreaterThan(2 * ndcg(pop));
    expect(knn.report.atK[0].hitRate).toBe(1); // 10 candidates cover the 4 unseen group items
  });
});
