/**
 * The below-baselines verdict, pure (the page draws it without loading TF.js): which baselines
 * a record's test NDCG@10 falls below, written into the record, and said in one sentence.
 * Fitting the baselines is baselineCheck.ts's job.
 */
import type { MetricReport } from '../models/baseline-types';
import type { TrainingRecord } from '../models/trained';

/** The baselines every model is checked against (the ids of `pop` and `itemknn`). */
export const CHECKED_BASELINES = ['pop', 'itemknn'] as const;

/** Test NDCG@10 of each baseline on a split. */
export type BaselineScores = Record<string, number>;

export const ndcg10Of = (report: MetricReport | null | undefined): number =>
  report?.atK.find((m) => m.k === 10)?.ndcg ?? Number.NaN;

/** The baselines `record` falls below on test NDCG@10 (none for a baseline itself). */
export function belowBaselines(record: TrainingRecord, scores: BaselineScores): string[] {
  if ((CHECKED_BASELINES as readonly string[]).includes(record.modelId)) return [];
  const own = ndcg10Of(record.test);
  if (!Number.isFinite(own)) return [];
  return CHECKED_BASELINES.filter((id) => Number.isFinite(scores[id]) && own < scores[id]);
}

/** `record` with the check written into it (`belowBaselines`, `baselineNdcg10`). */
export function withBaselineCheck(record: TrainingRecord, scores: BaselineScores): TrainingRecord {
  return {
    ...record,
    belowBaselines: belowBaselines(record, scores),
    baselineNdcg10: Object.fromEntries(CHECKED_BASELINES.map((id) => [id, scores[id]])),
  };
}

/** The warning in one sentence (empty when the model is not below any baseline). */
export function belowSentence(record: TrainingRecord): string {
  const below = record.belowBaselines ?? [];
  if (below.length === 0) return '';
  const scores = record.baselineNdcg10 ?? {};
  const names = below.map((id) => `${id}'s (${(scores[id] ?? Number.NaN).toFixed(4)})`);
  const list = names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names.at(-1)}` : names[0];
  return `${record.modelId}'s test NDCG@10 (${ndcg10Of(record.test).toFixed(4)}) is below ${list} on the same split: a baseline recommends better here; train longer or with other settings before trusting it.`;
}
