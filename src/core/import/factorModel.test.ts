import { describe, expect, it } from 'vitest';
import type { Dataset } from '../data/types';
import { explainRecommendation } from '../explain/engine';
import { ModelFileError } from '../models/modelFileError';
import type { TrainedRecommender } from '../models/trained';
import { encodeModel } from '../persist/format';
import { loadModelFile, loadSavedModel } from '../persist/restore';
import { SeededRandom } from '../random';
import { temporalLeaveLastOut } from '../train/split';
import { makeDataset } from '../train/testing';
import { topK } from '../train/variants';
import { randomFactors, sparkCsv, sparkParquet } from './alsFixtures';
import { importFactorModel } from './factorModel';
import { importedRecord } from './index';

const ITEMS = 25;
const USERS = 10;
const RANK = 4;

function dataset(): Dataset {
  const rows: [string, string, number][] = [];
  for (let u = 0; u < USERS; u++) {
    for (let t = 0; t < 5 + (u % 4); t++) rows.push([`u${u}`, `i${(u * 5 + t * 2) % ITEMS}`, t]);
  }
  return makeDataset(rows);
}

function tables() {
  const rng = new SeededRandom(11, 'als-import');
  const itemIds = Array.from({ length: ITEMS }, (_, k) => `i${k}`);
  const userIds = Array.from({ length: USERS }, (_, k) => `u${k}`);
  return {
    items: {
      name: 'itemFactors.parquet',
      bytes: sparkParquet(itemIds, randomFactors(rng, ITEMS, RANK)),
    },
    users: { name: 'userFactors.csv', bytes: sparkCsv(userIds, randomFactors(rng, USERS, RANK)) },
  };
}

const historyOf = (data: Dataset, u: number) => {
  const s = data.userOffsets[u];
  const e = data.userOffsets[u + 1];
  return {
    offsets: Int32Array.of(0, e - s),
    items: data.item.slice(s, e),
    timestamps: new Float64Array(e - s),
  };
};

async function explained(model: TrainedRecommender, data: Dataset, u: number) {
  const history = historyOf(data, u);
  const [best] = await topK(model, history, 1);
  return explainRecommendation(
    {
      model,
      history,
      item: best.item,
      itemCategories: data.itemCategories,
      categoryNames: data.categoryNames,
    },
    { methods: ['exact', 'occlusion'], faithfulness: false, removal: 'in-place' },
  );
}

describe('ALS factor tables imported onto a dataset', () => {
  it('folds histories in, explains exactly, and saves and reloads unchanged', async () => {
    const data = dataset();
    const { items } = tables();
    const model = await importFactorModel([items], data, { implicit: true, lambda: 0.1, alpha: 2 });
    try {
      expect(model.id).toBe('als');
      expect(model.historyIndependent).toBe(false);
      const e = await explained(model, data, 3);
      const exact = e.methods.exact;
      expect(exact?.status).toBe('ok');
      if (exact?.status !== 'ok') return;
      const sum = exact.attributions.reduce((s, a) => s + a.value, 0);
      expect(Math.abs(sum - e.target.value)).toBeLessThan(
        1e-4 * Math.max(1, Math.abs(e.target.value)),
      );
      const record = await importedRecord(
        model,
        temporalLeaveLastOut(data, { minInteractions: 3 }),
        'als',
      );
      const saved = encodeModel(model, record, data, 'fixture', 'als fixture');
      const loaded = loadSavedModel(saved.modelJson, saved.weightsBin, data);
      try {
        expect(loaded.meta.imported?.als).toEqual({ implicit: true, lambda: 0.1, alpha: 2 });
        const h = historyOf(data, 3);
        expect(Array.from(await loaded.model.score(Int32Array.of(-1), h))).toEqual(
          Array.from(await model.score(Int32Array.of(-1), h)),
        );
        const again = await explained(loaded.model, data, 3);
        expect(again.methods.exact).toMatchObject({ status: 'ok' });
      } finally {
        loaded.model.dispose();
      }
    } finally {
      model.dispose();
    }
  });

  it('without hyper-parameters scores each user by the stored factor, history-independent', async () => {
    const data = dataset();
    const { items, users } = tables();
    const model = await importFactorModel([users, items], data, null);
    try {
      expect(model.historyIndependent).toBe(true);
      expect(model.imported?.notes.join(' ')).toMatch(/neighbourhood/);
      const u1 = model.forUser?.(1) as TrainedRecommender;
      const h = historyOf(data, 1);
      const [best] = await topK(u1, h, 1);
      const pair = await u1.scorePairs(h, Int32Array.of(best.item));
      expect(pair[0]).toBeCloseTo(best.score, 5);
      const view = await explainRecommendation(
        {
          model: u1,
          history: h,
          item: best.item,
          itemCategories: data.itemCategories,
          categoryNames: data.categoryNames,
        },
        { methods: ['neighbours', 'exact'], faithfulness: false },
      );
      expect(view.methods.neighbours).toMatchObject({
        status: 'ok',
        unit: 'similarity',
        source: 'ALS item factors',
      });
      // The history contributes nothing to a stored user factor's score: exactly zero each.
      const exact = view.methods.exact;
      expect(exact?.status === 'ok' && exact.attributions.every((a) => a.value === 0)).toBe(true);
      const record = await importedRecord(
        model,
        temporalLeaveLastOut(data, { minInteractions: 3 }),
        'als',
      );
      const saved = encodeModel(model, record, data, 'fixture', 'als stored');
      const loaded = await loadModelFile(saved.modelJson, saved.weightsBin, data);
      expect(Array.from(await loaded.model.score(Int32Array.of(1), h))).toEqual(
        Array.from(await model.score(Int32Array.of(1), h)),
      );
      loaded.model.dispose();
    } finally {
      model.dispose();
    }
  });

  it('refuses a Parquet table with a damaged footer in one sentence', async () => {
    const { items } = tables();
    const n = items.bytes.length;
    // Every byte of the footer-length field and the bytes before it, flipped in turn.
    for (let at = n - 8; at >= n - 40; at--) {
      const bytes = items.bytes.slice();
      bytes[at] ^= 0xff;
      const outcome = await importFactorModel([{ ...items, bytes }], dataset(), {
        implicit: true,
        lambda: 0.1,
        alpha: 1,
      }).then(
        (model) => {
          model.dispose();
          return null;
        },
        (error: unknown) => error,
      );
      if (outcome !== null) expect(outcome, `byte ${at}`).toBeInstanceOf(ModelFileError);
    }
  });

  it('refuses what cannot make a model, in one sentence', async () => {
    const data = dataset();
    const { users } = tables();
    await expect(importFactorModel([users], data, null)).rejects.toThrow(ModelFileError);
    const other = makeDataset([
      ['a', 'x', 1],
      ['a', 'y', 2],
    ]);
    await expect(
      importFactorModel([tables().items], other, { implicit: false, lambda: 0.1, alpha: 0 }),
    ).rejects.toThrow(/match/);
  });
});
