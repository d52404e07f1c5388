import { describe, expect, it } from 'vitest';
import { evaluate } from '../train/evaluate';
import { temporalLeaveLastOut } from '../train/split';
import { makeDataset } from '../train/testing';
import type { UserSequences } from './baseline-types';
import { trainPop } from './pop';

const sequences = (rows: number[][]): UserSequences => {
  const offsets = new Int32Array(rows.length + 1);
  rows.forEach((r, i) => {
    offsets[i + 1] = offsets[i] + r.length;
  });
  const items = Int32Array.from(rows.flat());
  return { offsets, items, timestamps: new Float64Array(items.length) };
};

describe('pop', () => {
  // counts: item0 1, item1 3, item2 3, item3 0, item4 2 (one repeat counted)
  const model = trainPop(
    sequences([
      [1, 2, 4],
      [2, 1, 4],
      [1, 2, 0],
    ]),
    5,
  );

  it('counts training interactions per item', () => {
    expect(Array.from(model.counts)).toEqual([1, 3, 3, 0, 2]);
  });

  it('ranks by count, ties by lower item index, with distinct scores', () => {
    // order: 1, 2 (tie, lower index first), 4, 0, 3
    expect(Array.from(model.itemScores)).toEqual([2, 5, 4, 1, 3]);
  });

  it('gives every user the same scores', async () => {
    const h = {
      offsets: Int32Array.of(0, 1, 1),
      items: Int32Array.of(1),
      timestamps: new Float64Array(1),
    };
    const scores = await model.score(Int32Array.of(0, 7), h);
    expect(Array.from(scores)).toEqual([2, 5, 4, 1, 3, 2, 5, 4, 1, 3]);
  });

  it('recommends the most popular unseen item under the evaluation protocol', async () => {
    const ds = makeDataset([
      ['a', 'x', 1],
      ['a', 'y', 2],
      ['a', 'z', 3],
      ['b', 'x', 1],
      ['b', 'y', 2],
      ['b', 'w', 3],
      ['b', 'x', 4],
      ['c', 'y', 1],
      ['c', 'x', 2],
      ['c', 'w', 3],
      ['c', 'z', 4],
    ]);
    const split = temporalLeaveLastOut(ds);
    const pop = trainPop(split.train, split.numItems);
    const { ranks } = await evaluate(pop.score, split, { which: 'test' });
    // train: a [x], b [x, y], c [y, x] -> x 3, y 2, z 0, w 0 (z has the lower index: first seen).
    // a: test z, seen x y -> candidates z, w: z first. b: test x, seen -> repeat, Infinity.
    // c: test z, seen y x w -> rank 1.
    expect(Array.from(ranks)).toEqual([1, Number.POSITIVE_INFINITY, 1]);
  });

  it('rejects an empty catalogue and out-of-range items', () => {
    expect(() => trainPop(sequences([]), 0)).toThrow(/at least one item/);
    expect(() => trainPop(sequences([[5]]), 3)).toThrow(/outside 0..2/);
  });
});
