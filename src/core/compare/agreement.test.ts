/**
 * The explanation agreement: a model compared with itself explains identically (ρ = 1 for
 * every method it offers), a history-independent model's attributions are said to be flat,
 * a cancel stops it, and repeated runs leave no tensors behind. The float-vs-int8 figure on
 * the shipped sample model is measured here too (its top-10 lists must nearly coincide).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dataset } from '../data/types';
import { explainRecommendation } from '../explain/engine';
import { testData, trained, untrained } from '../explain/testing';
import { quantizedVariant } from '../models/quantizedRecommender';
import { NEURAL_MODELS } from '../models/registry';
import { useBackend } from '../models/tfTesting';
import type { TrainedRecommender } from '../models/trained';
import { loadSavedModel } from '../persist';
import { loadSampleDataset, readSampleModelFiles } from '../sample/sampleModelTesting';
import * as tf from '../tf';
import { neuralRecommender } from '../train/neuralVariant';
import { temporalLeaveLastOut } from '../train/split';
import { explanationAgreement, sampleRows, withAgreement } from './agreement';
import { selectCohort } from './cohorts';
import { compareProfiles } from './compare';
import { profileModel } from './profile';

let sasrec: TrainedRecommender;
let itemknn: TrainedRecommender;

beforeAll(async () => {
  await useBackend('cpu');
  sasrec = untrained('sasrec');
  itemknn = await trained('itemknn');
}, 60_000);

afterAll(() => {
  sasrec.dispose();
  itemknn.dispose();
});

const context = () => {
  const { dataset } = testData();
  return {
    explain: explainRecommendation,
    itemCategories: dataset.itemCategories,
    categoryNames: dataset.categoryNames,
  };
};

describe('explanationAgreement', () => {
  it('finds a model in perfect agreement with itself, for every method it offers', async () => {
    const { split } = testData();
    const rows = selectCohort(split, 'all').rows;
    const report = await explanationAgreement(
      [
        { key: 'a', model: sasrec },
        { key: 'b', model: sasrec },
      ],
      split,
      rows,
      { ...context(), users: 4, seed: 3 },
    );
    expect(report.users).toBe(4);
    const offered = report.pairs.filter((p) => p.users > 0);
    expect(offered.map((p) => p.method).sort()).toEqual(['attention', 'ig', 'occlusion']);
    for (const p of offered) expect(p.rho).toBeCloseTo(1, 9);
    // sasrec has no exact contributions: no users, no number.
    expect(report.pairs.find((p) => p.method === 'exact')).toMatchObject({ rho: null, users: 0 });
    const occlusion = report.faithfulness.find((f) => f.model === 'a' && f.method === 'occlusion');
    expect(occlusion?.users).toBeGreaterThan(0);
    expect(Number.isFinite(occlusion?.deletionAuc)).toBe(true);
    expect(Number.isFinite(occlusion?.randomDeletionAuc)).toBe(true);
    // Samples hold each model's attributions for the same user and item.
    const first = report.samples[0];
    expect(first.models.a.methods.occlusion).toEqual(first.models.b.methods.occlusion);
    // The headline (occlusion) agreement lands on the comparison's pair.
    const profiles = [
      await profileModel(sasrec, split, { key: 'a' }),
      await profileModel(sasrec, split, { key: 'b' }),
    ];
    const merged = withAgreement(compareProfiles(profiles, split).report, report);
    expect(merged.pairwise[0].attributionAgreement).toBeCloseTo(1, 9);
  });

  it('compares occlusion across model kinds over the positions both read', async () => {
    const { split } = testData();
    const report = await explanationAgreement(
      [
        { key: 'sasrec', model: sasrec },
        { key: 'itemknn', model: itemknn },
      ],
      split,
      selectCohort(split, 'all').rows,
      { ...context(), users: 5, seed: 1 },
    );
    const occlusion = report.pairs.find((p) => p.method === 'occlusion');
    expect(occlusion?.users).toBeGreaterThan(0);
    expect(occlusion?.rho).toBeGreaterThanOrEqual(-1);
    expect(occlusion?.rho).toBeLessThanOrEqual(1);
    // Only itemknn offers exact contributions: nothing to correlate.
    expect(report.pairs.find((p) => p.method === 'exact')?.users).toBe(0);
    expect(
      report.faithfulness.find((f) => f.model === 'itemknn' && f.method === 'exact')?.users,
    ).toBeGreaterThan(0);
  });

  it('samples users deterministically, without repeats, and refuses an empty sample size', async () => {
    const rows = Int32Array.from({ length: 100 }, (_, i) => i * 2);
    const a = sampleRows(rows, 10, 5);
    expect(Array.from(a)).toEqual(Array.from(sampleRows(rows, 10, 5)));
    expect(new Set(a).size).toBe(10);
    expect(Array.from(a).every((r) => r % 2 === 0)).toBe(true);
    expect(Array.from(sampleRows(rows, 500, 5))).toEqual(Array.from(rows));
    const { split } = testData();
    await expect(
      explanationAgreement([{ key: 'a', model: sasrec }], split, rows, { ...context(), users: 0 }),
    ).rejects.toThrow(/1\.\.1000 users; got 0/);
  });

  it('stops on a cancel and leaves no tensors behind over repeated runs', async () => {
    const { split } = testData();
    const rows = selectCohort(split, 'all').rows;
    const run = (signal?: AbortSignal) =>
      explanationAgreement(
        [
          { key: 'a', model: sasrec },
          { key: 'b', model: itemknn },
        ],
        split,
        rows,
        { ...context(), users: 3, seed: 9, signal },
      );
    await run();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) await run();
    expect(tf.memory().numTensors).toBe(before);
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    await expect(run(controller.signal)).rejects.toThrow('stop');
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('float vs int8 on the shipped sample model', () => {
  let dataset: Dataset;
  beforeAll(async () => {
    await useBackend('wasm');
    dataset = await loadSampleDataset();
  }, 60_000);

  it('keeps nearly the same top-10 lists (mean Jaccard@10 above 0.9) and NDCG@10 within its CI', async () => {
    const files = readSampleModelFiles();
    const loaded = loadSavedModel(files.modelJson, files.weightsBin, dataset);
    const neural = loaded.model.neural;
    const entry = NEURAL_MODELS[loaded.model.id];
    if (!neural || !entry) throw new Error('the sample model is neural');
    const quantized = quantizedVariant(neural, entry.factory, {});
    const int8 = neuralRecommender(quantized, loaded.model.features ?? null);
    try {
      const split = temporalLeaveLastOut(dataset);
      const a = await profileModel(loaded.model, split, { key: 'float' });
      const b = await profileModel(int8, split, { key: 'int8' });
      const { report } = compareProfiles([a, b], split);
      const pair = report.pairwise[0];
      console.log(
        `sample sasrec float vs int8: Jaccard@10 ${pair.jaccard10.toFixed(3)}, RBO ${pair.rbo.toFixed(3)}, ` +
          `delta NDCG@10 ${pair.deltaNdcg10.toFixed(4)} (p ${pair.pValue.toFixed(3)})`,
      );
      expect(pair.jaccard10).toBeGreaterThan(0.9);
      expect(pair.rbo).toBeGreaterThan(0.9);
      const float = report.models[0];
      expect(report.models[1].metrics.ndcg10).toBeGreaterThanOrEqual(float.ci.ndcg10.lo);
      expect(report.models[1].metrics.ndcg10).toBeLessThanOrEqual(float.ci.ndcg10.hi);
    } finally {
      int8.dispose();
      loaded.model.dispose();
    }
  }, 120_000);
});
