import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../random';
import { createAlsRecommender } from './als';
import { itemNeighbourContributions } from './alsAlgebra';
import { batch, dotRows, IMPLICIT, randomFactors } from './alsFixtures';

describe('ALS without hyper-parameters', () => {
  const rng = new SeededRandom(21, 'no-params');
  const items = randomFactors(rng, 12, 4);
  items[5] = [0, 0, 0, 0];
  const users = randomFactors(rng, 3, 4);
  const userRows = Int32Array.of(2, -1, 0, 1);
  const model = createAlsRecommender({
    itemFactors: Float32Array.from(items.flat()),
    numItems: 12,
    rank: 4,
    userFactors: Float32Array.from(users.flat()),
    userRows,
    params: null,
  });

  it('scores by the stored user factor, whatever the history', async () => {
    const scores = await model.score(
      Int32Array.of(0, 1, 2, 3, -1, 9),
      batch([1], [], [2, 3], [0, 0], [4], [5]),
    );
    for (const [r, u] of [0, 1, 2, 3].entries()) {
      const row = userRows[u];
      for (let j = 0; j < 12; j++) {
        const got = scores[r * 12 + j];
        if (row < 0 || j === 5) expect(got).toBe(Number.NEGATIVE_INFINITY);
        else expect(got).toBeCloseTo(dotRows(users[row], items[j]), 5);
      }
    }
    // User -1 (no user) and a user outside the table: -Infinity everywhere.
    expect(Array.from(scores.subarray(4 * 12)).every((v) => v === Number.NEGATIVE_INFINITY)).toBe(
      true,
    );
    const again = await model.score(Int32Array.of(0), batch([7, 8, 9]));
    expect(Array.from(again)).toEqual(Array.from(scores.subarray(0, 12)));
    expect(model.historyIndependent).toBe(true);
    expect(model.exactContributions).toBeUndefined();
    expect(model.hyper).toEqual({ rank: 4 });
    expect(model.userFactor(1)).toBeNull();
    expect(Array.from(model.userFactor(0) ?? [])).toEqual(users[2]);
    await expect(model.scorePairs(batch([1]), Int32Array.of(2))).rejects.toThrow(
      /no hyper-parameters to fold a history in/,
    );
  });

  it('explains by item-factor cosine (the neighbourhood view)', () => {
    const c = itemNeighbourContributions(Float32Array.from(items.flat()), 4, [0, 5, 3, 3], 3);
    const cos = (a: number[], b: number[]) =>
      dotRows(a, b) / Math.sqrt(dotRows(a, a) * dotRows(b, b));
    expect(c[0]).toBeCloseTo(cos(items[0], items[3]), 6);
    expect(c[1]).toBe(0);
    expect(c[2]).toBeCloseTo(1, 6);
    expect(c[3]).toBeCloseTo(1, 6);
  });
});

describe('ALS scoring cost', () => {
  it('scores large catalogues in one tiled product per batch (measured)', async () => {
    const rng = new SeededRandom(41, 'cost');
    for (const [numItems, rank, users, params] of [
      [10_000, 32, 100, IMPLICIT],
      [100_000, 64, 32, IMPLICIT],
      [100_000, 64, 32, null],
    ] as const) {
      const itemFactors = new Float32Array(numItems * rank).map(() => rng.uniform(-0.3, 0.3));
      const userFactors = new Float32Array(users * rank).map(() => rng.uniform(-0.3, 0.3));
      const started = performance.now();
      const model = createAlsRecommender({
        itemFactors,
        numItems,
        rank,
        params,
        userFactors,
        userRows: Int32Array.from({ length: users }, (_, u) => u),
      });
      const built = performance.now() - started;
      const histories = batch(
        ...Array.from({ length: users }, () =>
          Array.from({ length: 50 }, () => rng.int(0, numItems - 1)),
        ),
      );
      const who = Int32Array.from({ length: users }, (_, u) => u);
      await model.score(who, histories); // warm-up (and the fold-in scratch)
      const t0 = performance.now();
      const scores = await model.score(who, histories);
      const ms = performance.now() - t0;
      console.info(
        `ALS ${params ? 'fold-in' : 'stored users'}: ${users} users × ${numItems.toLocaleString('en')} items at rank ${rank}: ${ms.toFixed(0)} ms (model built in ${built.toFixed(0)} ms)`,
      );
      expect(scores.length).toBe(users * numItems);
      expect(Number.isFinite(scores[numItems - 1])).toBe(true);
      expect(ms).toBeLessThan(20_000);
    }
  });
});
