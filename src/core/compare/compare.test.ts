/**
 * The comparison over hand-made profiles (where every figure can be worked out) and over real
 * models on the explanation tests' small dataset: identical models agree completely, the
 * metrics equal the evaluation's, every interval holds its estimate, cohorts partition users
 * as they claim, and bad requests are refused in one sentence.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { testData, trained } from '../explain/testing';
import { useBackend } from '../models/tfTesting';
import type { TrainedRecommender } from '../models/trained';
import { evaluate } from '../train/evaluate';
import { ndcgAtK } from '../train/metrics';
import { COHORTS, selectCohort, trainPopularity } from './cohorts';
import { ACCURACY_METRICS, compareProfiles, perUserNdcg } from './compare';
import { COMPARE_TOP_K, type ModelProfile, profileModel } from './profile';

function fakeProfile(key: string, ranks: number[], top: number[][]): ModelProfile {
  const n = ranks.length;
  const flat = new Int32Array(n * COMPARE_TOP_K).fill(-1);
  for (const [r, list] of top.entries()) flat.set(list.slice(0, COMPARE_TOP_K), r * COMPARE_TOP_K);
  return {
    key,
    modelId: 'pop',
    users: Int32Array.from({ length: n }, (_, i) => i),
    ranks: Float64Array.from(ranks),
    top: flat,
    latencyMsPerUser: 1,
    trainSeconds: null,
    sizeBytes: null,
  };
}

let models: Record<string, TrainedRecommender>;

beforeAll(async () => {
  await useBackend('cpu');
  models = {
    pop: await trained('pop'),
    itemknn: await trained('itemknn'),
    weighted: await trained('weighted', 3),
  };
}, 60_000);

describe('compareProfiles on real models', () => {
  it('reports the evaluation metrics of each model, each inside its bootstrap interval', async () => {
    const { split } = testData();
    const profiles = await Promise.all(
      Object.entries(models).map(([key, model]) => profileModel(model, split, { key })),
    );
    const { report } = compareProfiles(profiles, split, { resamples: 500 });
    expect(report.users).toBe(split.test.users.length);
    for (const [key, model] of Object.entries(models)) {
      const reference = await evaluate(model.score, split, { which: 'test', k: [10, 20] });
      const at10 = reference.report.atK.find((m) => m.k === 10);
      const at20 = reference.report.atK.find((m) => m.k === 20);
      const row = report.models.find((m) => m.key === key);
      expect(row?.metrics.ndcg10).toBeCloseTo(at10?.ndcg ?? Number.NaN, 10);
      expect(row?.metrics.hr10).toBeCloseTo(at10?.hitRate ?? Number.NaN, 10);
      expect(row?.metrics.recall20).toBeCloseTo(at20?.recall ?? Number.NaN, 10);
      expect(row?.metrics.mrr).toBeCloseTo(reference.report.mrr, 10);
      expect(row?.beyond.coverage10).toBeCloseTo(at10?.coverage ?? Number.NaN, 10);
      for (const metric of ACCURACY_METRICS) {
        const value = row?.metrics[metric] ?? Number.NaN;
        expect(row?.ci[metric].lo).toBeLessThanOrEqual(value);
        expect(row?.ci[metric].hi).toBeGreaterThanOrEqual(value);
      }
    }
    // Diversity needs categories: this dataset has four, so it is a number in [0, 1].
    const categories = compareProfiles(profiles, split, {
      resamples: 100,
      itemCategories: testData().dataset.itemCategories,
    }).report;
    for (const m of categories.models) {
      expect(m.beyond.diversity10).toBeGreaterThanOrEqual(0);
      expect(m.beyond.diversity10).toBeLessThanOrEqual(1);
    }
    expect(report.models.every((m) => m.beyond.diversity10 === null)).toBe(true);
  });

  it('gives a model compared with itself delta 0, p-value 1, overlap 1 and RBO 1', async () => {
    const { split } = testData();
    const a = await profileModel(models.itemknn, split, { key: 'a' });
    const b = await profileModel(models.itemknn, split, { key: 'b' });
    const pair = compareProfiles([a, b], split).report.pairwise[0];
    expect(pair).toMatchObject({ a: 'a', b: 'b', deltaNdcg10: 0, pValue: 1, wilcoxonP: 1 });
    expect(pair.jaccard10).toBe(1);
    expect(pair.rbo).toBeCloseTo(1, 12);
    expect(pair.differingUsers).toBe(0);
    expect(pair.sharedHistogram[COMPARE_TOP_K]).toBe(split.test.users.length);
  });

  it('is deterministic for a seed and pairs users (a - b = -(b - a))', async () => {
    const { split } = testData();
    const p = await profileModel(models.pop, split, { key: 'pop' });
    const w = await profileModel(models.weighted, split, { key: 'weighted' });
    const ab = compareProfiles([p, w], split, { seed: 3 }).report.pairwise[0];
    const again = compareProfiles([p, w], split, { seed: 3 }).report.pairwise[0];
    const ba = compareProfiles([w, p], split, { seed: 3 }).report.pairwise[0];
    expect(again).toEqual(ab);
    expect(ba.deltaNdcg10).toBeCloseTo(-ab.deltaNdcg10, 12);
    expect(ba.jaccard10).toBeCloseTo(ab.jaccard10, 12);
    expect(ab.deltaCi.lo).toBeLessThanOrEqual(ab.deltaNdcg10);
    expect(ab.deltaCi.hi).toBeGreaterThanOrEqual(ab.deltaNdcg10);
  });
});

describe('compareProfiles on hand-made profiles', () => {
  // Three test users of testData's split are needed: use the first three rows' shape.
  const { split } = testData();
  const n = split.test.users.length;
  const ranks = (r: number) => Array.from({ length: n }, (_, i) => (i === 0 ? r : 50));

  it('computes NDCG@10 per user as 1 / log2(rank + 1) and Jaccard / shared counts per list', () => {
    const lists = Array.from({ length: n }, () => [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const shifted = Array.from({ length: n }, () => [0, 1, 2, 3, 4, 10, 11, 12, 13, 14]);
    const a = fakeProfile('a', ranks(1), lists);
    const b = fakeProfile('b', ranks(3), shifted);
    const { report, selection } = compareProfiles([a, b], split, { resamples: 200 });
    expect(report.models[0].metrics.ndcg10).toBeCloseTo(1 / n, 12);
    expect(report.models[1].metrics.ndcg10).toBeCloseTo(ndcgAtK([3], 10) / n, 12);
    const pair = report.pairwise[0];
    // 5 shared of 10: Jaccard 5 / 15.
    expect(pair.jaccard10).toBeCloseTo(5 / 15, 12);
    expect(pair.sharedHistogram[5]).toBe(n);
    expect(pair.differingUsers).toBe(1);
    const perUser = perUserNdcg([a, b], selection);
    expect(perUser.ndcg10.a[0]).toBe(1);
    expect(perUser.ndcg10.b[0]).toBeCloseTo(0.5, 12);
  });

  it('refuses one model, five models, a repeated key and profiles of another split', () => {
    const lists = Array.from({ length: n }, () => [0]);
    const p = (key: string) => fakeProfile(key, ranks(1), lists);
    expect(() => compareProfiles([p('a')], split)).toThrow(/2 to 4 models; got 1/);
    expect(() => compareProfiles(['a', 'b', 'c', 'd', 'e'].map(p), split)).toThrow(/got 5/);
    expect(() => compareProfiles([p('a'), p('a')], split)).toThrow(/listed twice/);
    const short = fakeProfile('s', [1], [[0]]);
    expect(() => compareProfiles([p('a'), short], split)).toThrow(/same data/);
  });
});

describe('cohorts', () => {
  it('select the users they describe, and the item cohorts split every user once', () => {
    const { split } = testData();
    const popularity = trainPopularity(split);
    const all = selectCohort(split, 'all', popularity).rows;
    expect(all.length).toBe(split.test.users.length);
    const head = selectCohort(split, 'head-items', popularity).rows;
    const tail = selectCohort(split, 'tail-items', popularity).rows;
    expect(head.length + tail.length).toBe(all.length);
    expect([...head].some((r) => tail.includes(r))).toBe(false);
    const length = (r: number) => split.test.historyEnd[r] - split.test.historyStart[r];
    const cold = selectCohort(split, 'cold-users', popularity);
    const heavy = selectCohort(split, 'heavy-users', popularity);
    const maxCold = Math.max(...Array.from(cold.rows, length));
    const minHeavy = Math.min(...Array.from(heavy.rows, length));
    expect(cold.definition).toContain(`at most ${maxCold} interactions`);
    expect(heavy.definition).toContain(`at least ${minHeavy} interactions`);
    for (const r of all) {
      expect(cold.rows.includes(r)).toBe(length(r) <= maxCold);
      expect(heavy.rows.includes(r)).toBe(length(r) >= minHeavy);
    }
    const coldItems = selectCohort(split, 'cold-items', popularity).rows;
    for (const r of all) {
      expect(coldItems.includes(r)).toBe(popularity[split.test.items[r]] <= 5);
    }
    for (const cohort of COHORTS) expect(selectCohort(split, cohort).cohort).toBe(cohort);
  });
});
