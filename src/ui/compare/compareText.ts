/**
 * Words and colours of the compare view: one colour per compared model (by its position, kept
 * in every chart and table of the view), numbers with their intervals, p-values, and the one
 * sentence that says what a pair's difference means. Pure, tested in Node.
 */
import type { Cohort } from '../../core/compare/cohorts';
import type { ComparedPair } from '../../core/compare/compare';
import { CATEGORICAL, formatMagnitude, formatSigned } from '../charts/palette';

/** The colour of the model at `index` of the compared list (Okabe & Ito, colour-blind safe). */
export const modelColour = (index: number): string => CATEGORICAL[index % CATEGORICAL.length];

export const COHORT_LABELS: Record<Cohort, string> = {
  all: 'All users',
  'cold-users': 'Cold users (shortest 20 % of histories)',
  'heavy-users': 'Heavy users (longest 20 % of histories)',
  'head-items': 'Head items (test item among the 20 % most popular)',
  'tail-items': 'Tail items (test item outside the 20 % most popular)',
  'cold-items': 'Cold items (test item with ≤ 5 training interactions)',
};

/** A metric: 4 decimals (or 3 significant digits when tiny); "–" when not a number. */
export function metric(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  return Math.abs(value) >= 0.001 || value === 0 ? value.toFixed(4) : formatMagnitude(value);
}

/** "0.0451 [0.0337, 0.0577]". */
export function withInterval(value: number, lo: number, hi: number): string {
  return `${metric(value)} [${metric(lo)}, ${metric(hi)}]`;
}

/** A p-value as people read it: "< 0.001", "0.016", "1". */
export function pValueText(p: number): string {
  if (!Number.isFinite(p)) return '–';
  if (p < 0.001) return '< 0.001';
  if (p >= 0.9995) return '1';
  return p.toFixed(3);
}

/**
 * One sentence on a pair: which model is better on NDCG@10 and by how much, or that the
 * difference is within what resampling users gives (interval across 0).
 */
export function pairVerdict(pair: ComparedPair): string {
  const { a, b, deltaNdcg10: delta, deltaCi, pValue } = pair;
  if (pair.differingUsers === 0) return `${a} and ${b} rank every test item the same.`;
  const interval = `95 % CI ${formatSigned(deltaCi.lo, 2)} to ${formatSigned(deltaCi.hi, 2)}`;
  if (deltaCi.lo > 0 || deltaCi.hi < 0) {
    const [better, worse] = delta > 0 ? [a, b] : [b, a];
    return `${better} beats ${worse} by ${formatMagnitude(Math.abs(delta), 2)} NDCG@10 (${interval}, p ${pValueText(pValue)}).`;
  }
  return `No clear difference in NDCG@10 between ${a} and ${b} (${formatSigned(delta, 2)}, ${interval}, p ${pValueText(pValue)}).`;
}

/** Bytes as KB / MB; "–" when unknown. */
export function sizeText(bytes: number | null): string {
  if (bytes === null || !Number.isFinite(bytes)) return '–';
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  return `${(bytes / 1024).toFixed(1)} KB`;
}
