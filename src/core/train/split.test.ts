import { describe, expect, it } from 'vitest';
import { temporalLeaveLastOut } from './split';
import { makeDataset } from './testing';

// u1: 5 interactions given out of time order; u2: 2 (too few); u3: 3 with a timestamp tie.
const rows = [
  ['u1', 'a', 30],
  ['u2', 'a', 5],
  ['u1', 'b', 10],
  ['u3', 'c', 7],
  ['u1', 'c', 20],
  ['u3', 'd', 7], // same second as the line above: file order decides
  ['u1', 'd', 40],
  ['u2', 'e', 6],
  ['u1', 'e', 50],
  ['u3', 'a', 8],
] as const;

const itemsOf = (ds: ReturnType<typeof makeDataset>, idx: ArrayLike<number>) =>
  Array.from(idx, (i) => ds.itemIds[i]);

describe('makeDataset (test helper)', () => {
  it('sorts by user, then time, then file line, with CSR offsets', () => {
    const ds = makeDataset(rows);
    expect(ds.userIds).toEqual(['u1', 'u2', 'u3']);
    expect(Array.from(ds.userOffsets)).toEqual([0, 5, 7, 10]);
    expect(itemsOf(ds, ds.item.subarray(0, 5))).toEqual(['b', 'c', 'a', 'd', 'e']);
    expect(itemsOf(ds, ds.item.subarray(7, 10))).toEqual(['c', 'd', 'a']);
    expect(Array.from(ds.line.subarray(7, 10))).toEqual([4, 6, 10]);
  });
});

describe('temporalLeaveLastOut', () => {
  const ds = makeDataset(rows);
  const split = temporalLeaveLastOut(ds, { minInteractions: 3 });

  it('takes the last interaction as test and the second last as validation', () => {
    expect(Array.from(split.test.users)).toEqual([0, 2]);
    expect(itemsOf(ds, split.test.items)).toEqual(['e', 'a']);
    expect(Array.from(split.test.timestamps)).toEqual([50, 8]);
    expect(Array.from(split.validation.users)).toEqual([0, 2]);
    expect(itemsOf(ds, split.validation.items)).toEqual(['d', 'd']);
  });

  it('gives each target the history before it, and only that', () => {
    const hist = (t: typeof split.test, r: number) =>
      itemsOf(ds, split.sequenceItems.subarray(t.historyStart[r], t.historyEnd[r]));
    expect(hist(split.test, 0)).toEqual(['b', 'c', 'a', 'd']);
    expect(hist(split.validation, 0)).toEqual(['b', 'c', 'a']);
    expect(hist(split.test, 1)).toEqual(['c', 'd']);
    expect(hist(split.validation, 1)).toEqual(['c']);
  });

  it('reports users with too few interactions and still trains on them', () => {
    expect(Array.from(split.excludedUsers)).toEqual([1]);
    expect(Array.from(split.train.offsets)).toEqual([0, 3, 5, 6]);
    expect(itemsOf(ds, split.train.items.subarray(3, 5))).toEqual(['a', 'e']);
  });

  it('keeps the validation and test positions out of training', () => {
    expect(itemsOf(ds, split.train.items.subarray(0, 3))).toEqual(['b', 'c', 'a']);
    expect(itemsOf(ds, split.train.items.subarray(5, 6))).toEqual(['c']);
    expect(Array.from(split.train.timestamps.subarray(0, 3))).toEqual([10, 20, 30]);
    for (let r = 0; r < split.test.users.length; r++) {
      const u = split.test.users[r];
      const train = split.train.items.subarray(split.train.offsets[u], split.train.offsets[u + 1]);
      expect(train).not.toContain(split.test.items[r]);
      expect(train).not.toContain(split.validation.items[r]);
    }
    expect(split.train.items.length).toBe(ds.item.length - 2 * split.test.users.length);
  });

  it('counts repeat targets (already in the history, so never hittable)', () => {
    expect(split.test.repeatTargets).toBe(0);
    const repeat = makeDataset([
      ['u', 'x', 1],
      ['u', 'y', 2],
      ['u', 'x', 3],
      ['u', 'x', 4],
    ]);
    const s = temporalLeaveLastOut(repeat, { minInteractions: 3 });
    expect(s.test.repeatTargets).toBe(1);
    expect(s.validation.repeatTargets).toBe(1);
  });

  it('is deterministic', () => {
    const again = temporalLeaveLastOut(makeDataset(rows), { minInteractions: 3 });
    expect(again).toEqual(split);
  });

  it('honours a larger minimum', () => {
    const strict = temporalLeaveLastOut(ds, { minInteractions: 4 });
    expect(Array.from(strict.test.users)).toEqual([0]);
    expect(Array.from(strict.excludedUsers)).toEqual([1, 2]);
  });

  it('rejects a minimum below 3 and datasets that break the contract', () => {
    expect(() => temporalLeaveLastOut(ds, { minInteractions: 2 })).toThrow(/at least 3/);
    const unsorted = makeDataset(rows);
    unsorted.timestamp[0] = 99;
    expect(() => temporalLeaveLastOut(unsorted)).toThrow(/not in time order/);
    const badItem = makeDataset(rows);
    badItem.item[2] = 42;
    expect(() => temporalLeaveLastOut(badItem)).toThrow(/item index 42/);
  });

  it('uses file order when there are no timestamps', () => {
    const noTime = makeDataset([
      ['u', 'p', Number.NaN],
      ['u', 'q', Number.NaN],
      ['u', 'r', Number.NaN],
    ]);
    const s = temporalLeaveLastOut(noTime);
    expect(itemsOf(noTime, s.test.items)).toEqual(['r']);
    expect(itemsOf(noTime, s.validation.items)).toEqual(['q']);
  });
});
