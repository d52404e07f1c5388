/** Roll-ups keep the attributions' total: by category (split evenly) and by time window. */
import { describe, expect, it } from 'vitest';
import { categoryRollup, windowRollup } from './rollups';
import type { Attribution } from './types';

const DAY = 86_400_000;
const at = (values: number[], items: number[]): Attribution[] =>
  values.map((value, k) => ({ item: items[k], position: k, value }));

describe('categoryRollup', () => {
  it('splits a multi-category item evenly, keeps the total and sorts by |sum|', () => {
    const ctx = {
      itemCategories: [[0], [0, 1], [], [1]],
      categoryNames: ['drama', 'comedy'],
      timestamps: [],
    };
    const rollup = categoryRollup(at([1, 2, 0.5, -4], [0, 1, 2, 3]), ctx);
    expect(rollup).toEqual([
      { key: '1', label: 'comedy', value: -3, items: 2 },
      { key: '0', label: 'drama', value: 2, items: 2 },
      { key: '', label: '(no category)', value: 0.5, items: 1 },
    ]);
    expect(rollup.reduce((t, r) => t + r.value, 0)).toBeCloseTo(-0.5, 12);
  });
});

describe('windowRollup', () => {
  it('buckets by time before the most recent read item', () => {
    const latest = 400 * DAY;
    const timestamps = [
      latest - 500 * DAY,
      latest - 20 * DAY,
      latest - 3 * DAY,
      latest - DAY / 2,
      latest,
    ];
    const rollup = windowRollup(at([1, 2, 3, 4, 5], [0, 1, 2, 3, 4]), {
      itemCategories: [],
      categoryNames: [],
      timestamps,
    });
    expect(rollup.map((r) => [r.key, r.value, r.items])).toEqual([
      ['day', 9, 2],
      ['week', 3, 1],
      ['month', 2, 1],
      ['older', 1, 1],
    ]);
  });

  it('buckets by recency rank without timestamps', () => {
    const values = Array.from({ length: 8 }, (_, k) => k + 1);
    const rollup = windowRollup(at(values, values), {
      itemCategories: [],
      categoryNames: [],
      timestamps: values.map(() => Number.NaN),
    });
    // The 5 most recent (values 4..8) and the 3 before them.
    expect(rollup.map((r) => [r.key, r.value, r.items])).toEqual([
      ['last5', 30, 5],
      ['last20', 6, 3],
    ]);
  });
});
