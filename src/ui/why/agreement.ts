/**
 * How far the attribution methods agree on one explanation: Spearman's rank correlation of
 * every pair of methods over the history items both scored (average ranks for ties), and the
 * items every method puts in its top 3. Only methods that ran (`ok`) with at least 2 items
 * take part: a rank correlation of one item means nothing. Pure: tested in Node.
 */

import type { ExplanationReport, ReportAttribution } from '../../core/explain/report';
import { spearman } from '../../core/explain/stats';

export interface MethodAgreement {
  methods: string[];
  /** `spearman[i][j]`: rank correlation of methods i and j (1 on the diagonal). */
  spearman: number[][];
  /** Item ids every method puts in its top 3 (in the first method's order, no repeats). */
  commonTop3: string[];
  /** The history positions behind `commonTop3` (an item read twice has two positions). */
  commonTop3Positions: number[];
}

/**
 * The top 3 of an attribution list: largest value first (what pushes the item up most, as
 * the faithfulness curves order them), ties to the more recent item.
 */
export function top3(attributions: readonly ReportAttribution[]): ReportAttribution[] {
  return [...attributions]
    .filter((a) => Number.isFinite(a.value))
    .sort((a, b) => b.value - a.value || b.position - a.position)
    .slice(0, 3);
}

/** Spearman of two methods over the positions both have a finite value for. */
function pairSpearman(a: readonly ReportAttribution[], b: readonly ReportAttribution[]): number {
  const bByPosition = new Map(b.map((x) => [x.position, x.value]));
  const xs: number[] = [];
  const ys: number[] = [];
  for (const x of a) {
    const y = bByPosition.get(x.position);
    if (y !== undefined && Number.isFinite(x.value) && Number.isFinite(y)) {
      xs.push(x.value);
      ys.push(y);
    }
  }
  return xs.length < 2 ? 0 : spearman(xs, ys);
}

/** The agreement of the report's methods (a streamed, partial report works as well). */
export function methodAgreement(report: Pick<ExplanationReport, 'methods'>): MethodAgreement {
  const lists: [string, ReportAttribution[]][] = [];
  for (const [method, result] of Object.entries(report.methods)) {
    if (result && result.status === 'ok' && result.attributions.length >= 2) {
      lists.push([method, result.attributions]);
    }
  }
  const methods = lists.map(([m]) => m);
  const matrix = lists.map(([, a], i) =>
    lists.map(([, b], j) => (i === j ? 1 : pairSpearman(a, b))),
  );
  const tops = lists.map(([, a]) => top3(a));
  const common =
    tops.length === 0
      ? []
      : tops[0].filter((a) => tops.every((top) => top.some((b) => b.position === a.position)));
  return {
    methods,
    spearman: matrix,
    commonTop3: [...new Set(common.map((a) => a.item))],
    commonTop3Positions: common.map((a) => a.position),
  };
}
