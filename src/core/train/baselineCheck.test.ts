/**
 * The below-baselines check: a model made to be bad (untrained weights) is flagged below both
 * baselines with the numbers it was compared with; a trained glass box on data it can learn is
 * not; a baseline is never flagged; the fitted baselines are those `trainVariant` reports.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { testData, untrained } from '../explain/testing';
import type { MetricReport } from '../models/baseline-types';
import { useBackend } from '../models/tfTesting';
import type { TrainingRecord } from '../models/trained';
import { baselineScores, belowSentence, ndcg10Of, withBaselineCheck } from './baselineCheck';
import { evaluate } from './evaluate';
import { trainVariant } from './variants';

const record = (modelId: string, test: MetricReport | null): TrainingRecord =>
  ({ modelId, test }) as unknown as TrainingRecord;

beforeAll(async () => {
  await useBackend('cpu');
});

describe('below-baselines check', () => {
  it('fits the baselines once per split with the numbers trainVariant reports', async () => {
    const { dataset, split } = testData();
    const scores = await baselineScores(dataset, split);
    const pop = await trainVariant(dataset, split, 'pop');
    pop.model.dispose();
    expect(scores.pop).toBeCloseTo(ndcg10Of(pop.record.test), 12);
    expect(Number.isFinite(scores.itemknn)).toBe(true);
    // Given scores win and nothing is refitted.
    expect((await baselineScores(dataset, split, { given: { pop: 0.5 } })).pop).toBe(0.5);
  });

  it('flags an untrained model below both baselines and says so with the numbers', async () => {
    const { dataset, split } = testData();
    const model = untrained('sasrec');
    try {
      const { report } = await evaluate(model.score, split, { which: 'test', k: [10, 20] });
      const scores = await baselineScores(dataset, split);
      const checked = withBaselineCheck(record('sasrec', report), scores);
      expect(checked.belowBaselines).toEqual(['pop', 'itemknn']);
      expect(checked.baselineNdcg10).toEqual({ pop: scores.pop, itemknn: scores.itemknn });
      expect(belowSentence(checked)).toMatch(
        /^sasrec's test NDCG@10 \(0\.\d{4}\) is below pop's \(0\.\d{4}\) and itemknn's \(0\.\d{4}\) on the same split/,
      );
    } finally {
      model.dispose();
    }
  });

  it('does not flag a model above the baselines, nor a baseline, nor a record without a test', () => {
    const at10 = (ndcg: number) => ({ atK: [{ k: 10, ndcg }] }) as unknown as MetricReport;
    const scores = { pop: 0.1, itemknn: 0.2 };
    expect(withBaselineCheck(record('gru', at10(0.25)), scores).belowBaselines).toEqual([]);
    expect(withBaselineCheck(record('gru', at10(0.15)), scores).belowBaselines).toEqual([
      'itemknn',
    ]);
    expect(withBaselineCheck(record('pop', at10(0.01)), scores).belowBaselines).toEqual([]);
    expect(withBaselineCheck(record('gru', null), scores).belowBaselines).toEqual([]);
    expect(belowSentence(record('gru', at10(0.25)))).toBe('');
  });
});
