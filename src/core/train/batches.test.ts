import { describe, expect, it } from 'vitest';
import type { UserSequences } from '../models/baseline-types';
import { SeededRandom } from '../random';
import { historyTokens, shuffledOrder, trainingWindows, windowBatch } from './batches';

const sequences = (rows: number[][]): UserSequences => {
  const offsets = new Int32Array(rows.length + 1);
  rows.forEach((r, i) => {
    offsets[i + 1] = offsets[i] + r.length;
  });
  const items = Int32Array.from(rows.flat());
  return { offsets, items, timestamps: new Float64Array(items.length) };
};

describe('historyTokens', () => {
  it('left-pads, shifts items to tokens and keeps the most recent maxLen', () => {
    const h = historyTokens(sequences([[4, 5], [], [1, 2, 3, 4]]), 3);
    expect(Array.from(h.tokens)).toEqual([0, 5, 6, 0, 0, 0, 3, 4, 5]);
    expect([h.batch, h.maxLen, h.truncated]).toEqual([3, 3, 1]);
  });
});

describe('trainingWindows', () => {
  it('cuts each user from the most recent end, overlapping by one, every transition once', () => {
    // user 0: 7 items, maxLen 3 -> windows [3..7) and [0..4); user 1: 1 item (no transition).
    const w = trainingWindows(sequences([[0, 1, 2, 3, 4, 5, 6], [9], [7, 8]]), 3);
    expect(Array.from(w.start)).toEqual([3, 0, 8]);
    expect(Array.from(w.end)).toEqual([7, 4, 10]);
    expect(w.examples).toBe(6 + 1);
    expect(w.usersWithoutTransitions).toBe(1);
  });

  it('builds batches whose targets are the next items, with seeded negatives', () => {
    const w = trainingWindows(
      sequences([
        [0, 1, 2, 3, 4, 5, 6],
        [7, 8],
      ]),
      3,
    );
    const rng = new SeededRandom(1, 'test');
    const b = windowBatch(w, Int32Array.of(2, 0), 0, 2, 3, 10, 2, rng);
    // window 2 = items 7, 8 -> input [0, 0, 8], target 9 at flat 2; window 0 = 3,4,5,6.
    expect(Array.from(b.inputs.tokens)).toEqual([0, 0, 8, 4, 5, 6]);
    expect(Array.from(b.targetPositions)).toEqual([2, 3, 4, 5]);
    expect(Array.from(b.targetTokens)).toEqual([9, 5, 6, 7]);
    expect(b.negatives.length).toBe(8);
    for (let e = 0; e < 4; e++) {
      for (const n of b.negatives.subarray(2 * e, 2 * e + 2)) {
        expect(n).toBeGreaterThanOrEqual(1);
        expect(n).toBeLessThanOrEqual(10);
        expect(n).not.toBe(b.targetTokens[e]);
      }
    }
    const again = windowBatch(w, Int32Array.of(2, 0), 0, 2, 3, 10, 2, new SeededRandom(1, 'test'));
    expect(Array.from(again.negatives)).toEqual(Array.from(b.negatives));
  });

  it('shuffles as a seeded permutation', () => {
    const a = shuffledOrder(50, new SeededRandom(3, 's'));
    expect([...a].sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(Array.from(shuffledOrder(50, new SeededRandom(3, 's')))).toEqual(Array.from(a));
    expect(Array.from(shuffledOrder(50, new SeededRandom(4, 's')))).not.toEqual(Array.from(a));
  });

  it('refuses a non-positive maxLen', () => {
    expect(() => trainingWindows(sequences([[1, 2]]), 0)).toThrow(
      /maxLen must be a positive integer/,
    );
  });
});
