/**
 * The comparison as the files a user keeps: JSON (the CLI's `compare --json` and the compare
 * view's export are this same object) and CSV (one row per model, then one per pair).
 */
import type { AgreementReport } from './agreement';
import { withAgreement } from './agreement';
import { ACCURACY_METRICS, type ComparisonReport } from './compare';

/** The explanation agreement without its per-user samples (those stay in the page). */
export type AgreementSummary = Pick<
  AgreementReport,
  'users' | 'seed' | 'methods' | 'pairs' | 'faithfulness'
>;

export interface ComparisonExport extends ComparisonReport {
  /** Whether the models explain alike; null when it was not run. */
  agreement: AgreementSummary | null;
}

/** The exported comparison: the report with the agreement merged in (each pair's ρ too). */
export function comparisonExport(
  report: ComparisonReport,
  agreement: AgreementSummary | null,
): ComparisonExport {
  const merged = agreement ? withAgreement(report, agreement) : report;
  return {
    ...merged,
    agreement: agreement
      ? {
          users: agreement.users,
          seed: agreement.seed,
          methods: agreement.methods,
          pairs: agreement.pairs,
          faithfulness: agreement.faithfulness,
        }
      : null,
  };
}

const MODEL_COLUMNS = [
  'kind',
  'model',
  'other',
  'cohort',
  'users',
  ...ACCURACY_METRICS.flatMap((m) => [m, `${m}_lo`, `${m}_hi`]),
  'coverage10',
  'gini10',
  'long_tail10',
  'diversity10',
  'novelty10',
  'train_seconds',
  'size_bytes',
  'latency_ms_per_user',
  'delta_ndcg10',
  'delta_lo',
  'delta_hi',
  'p_value',
  'wilcoxon_p',
  'jaccard10',
  'rbo',
  'attribution_rho',
] as const;

/**
 * The comparison as CSV rows (header first): `kind` is `model` (metrics, intervals, beyond
 * accuracy, cost) or `pair` (`model` minus `other`: delta, tests, overlap, agreement). Cells are
 * numbers or model keys; `cell` quotes and neutralises them (the project's CSV writer).
 */
export function comparisonRows(data: ComparisonExport): (string | number | null)[][] {
  const rows: (string | number | null)[][] = [[...MODEL_COLUMNS]];
  const blank = (n: number) => new Array<null>(n).fill(null);
  for (const m of data.models) {
    rows.push([
      'model',
      m.key,
      null,
      data.cohort,
      data.users,
      ...ACCURACY_METRICS.flatMap((k) => [m.metrics[k], m.ci[k].lo, m.ci[k].hi]),
      m.beyond.coverage10,
      m.beyond.gini10,
      m.beyond.longTail10,
      m.beyond.diversity10,
      m.beyond.novelty10,
      m.trainSeconds,
      m.sizeBytes,
      m.latencyMsPerUser,
      ...blank(8),
    ]);
  }
  for (const p of data.pairwise) {
    rows.push([
      'pair',
      p.a,
      p.b,
      data.cohort,
      data.users,
      ...blank(ACCURACY_METRICS.length * 3 + 8),
      p.deltaNdcg10,
      p.deltaCi.lo,
      p.deltaCi.hi,
      p.pValue,
      p.wilcoxonP,
      p.jaccard10,
      p.rbo,
      p.attributionAgreement,
    ]);
  }
  return rows;
}
