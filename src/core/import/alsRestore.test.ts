import { describe, expect, it } from 'vitest';
import { ModelFileError } from '../models/modelFileError';
import type { WeightArray } from '../models/trained';
import { SeededRandom } from '../random';
import { createAlsRecommender } from './als';
import { batch, EXPLICIT, IMPLICIT, randomFactors } from './alsFixtures';
import { restoreAls } from './alsRestore';
import { ALS_ITEM_FACTORS, ALS_ITEM_GRAM, ALS_USER_FACTORS, ALS_USER_ROWS } from './alsTypes';
import { factorGram } from './factorAlign';

describe('ALS export and restore', () => {
  it('round-trips every kind with exactly the same scores', async () => {
    const rng = new SeededRandom(31, 'restore');
    const items = Float32Array.from(randomFactors(rng, 20, 5).flat());
    items.fill(0, 5 * 5, 6 * 5); // item 5 unknown
    const users = Float32Array.from(randomFactors(rng, 4, 5).flat());
    const userRows = Int32Array.of(3, -1, 0, 1, 2);
    const gram = factorGram({
      rank: 5,
      factors: Float32Array.from(randomFactors(rng, 25, 5).flat()),
    });
    const kinds = [
      { params: IMPLICIT, gram },
      { params: EXPLICIT },
      { params: IMPLICIT, userFactors: users, userRows },
      { params: null, userFactors: users, userRows },
    ];
    const h = batch([1, 2, 2, 5, 7], [3], [], [9, 9, 9, 0], [4, 11]);
    const who = Int32Array.of(0, 1, 2, 3, 4);
    for (const kind of kinds) {
      const model = createAlsRecommender({ itemFactors: items, numItems: 20, rank: 5, ...kind });
      const weights = model.exportWeights();
      const restored = restoreAls(20, model.hyper, weights);
      expect(Array.from(await restored.score(who, h))).toEqual(
        Array.from(await model.score(who, h)),
      );
      expect(restored.hyper).toEqual(model.hyper);
      expect(weights.map((w) => w.name).sort()).toEqual(
        [
          ALS_ITEM_FACTORS,
          ...(kind.userFactors ? [ALS_USER_FACTORS, ALS_USER_ROWS] : []),
          ...(kind.params?.implicit ? [ALS_ITEM_GRAM] : []),
        ].sort(),
      );
      if (kind.params) {
        const c = await model.exactContributions?.(batch([1, 2, 2, 7]), 3);
        const r = await restored.exactContributions?.(batch([1, 2, 2, 7]), 3);
        expect(Array.from(r ?? [])).toEqual(Array.from(c ?? []));
      }
    }
  });

  it('refuses inconsistent weights and settings, naming them', () => {
    const rng = new SeededRandom(32, 'refuse');
    const items = Float32Array.from(randomFactors(rng, 6, 3).flat());
    const model = createAlsRecommender({
      itemFactors: items,
      numItems: 6,
      rank: 3,
      userFactors: Float32Array.from(randomFactors(rng, 2, 3).flat()),
      userRows: Int32Array.of(1, 0, -1),
      params: IMPLICIT,
    });
    const good = model.exportWeights();
    const hyper = model.hyper;
    const edit = (name: string, change: (w: WeightArray) => WeightArray | null) =>
      good.flatMap((w) => {
        if (w.name !== name) return [w];
        const c = change({ ...w, data: w.data.slice() });
        return c ? [c] : [];
      });
    const refusals: [string, () => unknown, RegExp][] = [
      [
        'missing',
        () =>
          restoreAls(
            6,
            hyper,
            edit(ALS_ITEM_FACTORS, () => null),
          ),
        /lack als\/item_factors/,
      ],
      [
        'shape',
        () => restoreAls(7, hyper, good),
        /Weight als\/item_factors has shape \[6, 3\]; als needs \[7, 3\]/,
      ],
      [
        'non-finite',
        () =>
          restoreAls(
            6,
            hyper,
            edit(ALS_ITEM_FACTORS, (w) => {
              w.data[4] = Number.NaN;
              return w;
            }),
          ),
        /Weight als\/item_factors holds NaN in row 1/,
      ],
      [
        'truncated',
        () =>
          restoreAls(
            6,
            hyper,
            edit(ALS_ITEM_FACTORS, (w) => ({ ...w, data: w.data.slice(1) })),
          ),
        /holds 17 values; its shape \[6, 3\] needs 18/,
      ],
      [
        'user rows',
        () =>
          restoreAls(
            6,
            hyper,
            edit(ALS_USER_ROWS, (w) => {
              w.data[2] = 2;
              return w;
            }),
          ),
        /als\/user_rows gives user 2 row 2, outside -1\.\.1 of als\/user_factors/,
      ],
      [
        'rows alone',
        () =>
          restoreAls(
            6,
            hyper,
            edit(ALS_USER_FACTORS, () => null),
          ),
        /lack als\/user_factors/,
      ],
      [
        'no gram',
        () =>
          restoreAls(
            6,
            hyper,
            edit(ALS_ITEM_GRAM, () => null),
          ),
        /lack als\/item_gram/,
      ],
      [
        'extra',
        () =>
          restoreAls(6, hyper, [
            ...good,
            { name: 'als/bias', shape: [6], dtype: 'float32', data: new Float32Array(6) },
          ]),
        /unexpected entries: als\/bias/,
      ],
      [
        'rank',
        () => restoreAls(6, { ...hyper, rank: 0 }, good),
        /rank must be an integer in 1\.\.1024; got 0/,
      ],
      [
        'lambda',
        () => restoreAls(6, { ...hyper, lambda: -1 }, good),
        /lambda must be a finite number ≥ 0; got -1/,
      ],
      [
        'partial',
        () => restoreAls(6, { rank: 3, implicit: true }, good),
        /implicit, lambda and alpha come together/,
      ],
      [
        'unknown',
        () => restoreAls(6, { ...hyper, nonnegative: true }, good),
        /unknown parameter nonnegative/,
      ],
    ];
    for (const [, restore, message] of refusals) {
      expect(restore).toThrow(ModelFileError);
      expect(restore).toThrow(message);
    }
  });
});
