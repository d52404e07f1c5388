/**
 * The metrics the CLI reports, flattened from a {@link MetricReport} under the names people
 * type in papers and spreadsheets (`hr@10`, `ndcg@10`, ...). Train and eval print the same
 * object, so a saved model's eval can be compared with its train run field by field.
 */
import type { MetricReport } from '../../core/models/baseline-types';
import { DataError } from '../errors';

/** Cut-offs the CLI evaluates at (the report's names below need both). */
export const CLI_CUTOFFS = [10, 20];

export interface CliMetrics {
  'hr@10': number;
  'ndcg@10': number;
  mrr: number;
  'recall@20': number;
  /** Distinct items in all top-10 lists / catalogue size; null under sampled protocols. */
  'coverage@10': number | null;
}

/** Who was evaluated: the denominators behind every average. */
export interface EvaluatedUsers {
  usersEvaluated: number;
  /** Users with fewer than `minInteractions` interactions: trained on, never evaluated. */
  usersExcluded: number;
  minInteractions: number;
  /** Targets already in the user's history: they can never be hit (seen items are excluded). */
  repeatTargets: number;
}

/** The five headline metrics of a report evaluated at K = 10 and 20. */
export function headlineMetrics(report: MetricReport): CliMetrics {
  const at = (k: number) => {
    const found = report.atK.find((m) => m.k === k);
    if (!found) throw new DataError(`The evaluation has no metrics at K = ${k}.`);
    return found;
  };
  return {
    'hr@10': at(10).hitRate,
    'ndcg@10': at(10).ndcg,
    mrr: report.mrr,
    'recall@20': at(20).recall,
    'coverage@10': at(10).coverage,
  };
}

/** The denominators of a report, printed next to its metrics so no number stands alone. */
export function evaluatedUsers(report: MetricReport): EvaluatedUsers {
  return {
    usersEvaluated: report.usersEvaluated,
    usersExcluded: report.usersExcluded,
    minInteractions: report.minInteractions,
    repeatTargets: report.repeatTargets,
  };
}
