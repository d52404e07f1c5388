/**
 * A factor table aligned with the loaded dataset: its rows matched to the dataset's ids, its
 * factors gathered in dataset order, and YᵀY over the whole table.
 */
import { ModelFileError } from '../models/modelFileError';
import { gramOf } from './alsAlgebra';
import { count, type FactorTable } from './factorBuilder';

/** Below this share of the dataset's ids found in the table, {@link alignFactors} refuses. */
export const MIN_MATCH_SHARE = 0.1;

export interface FactorAlignment {
  /** Per dataset index: the table row of its factors, or -1 when the table lacks the id. */
  rows: Int32Array;
  /** Dataset ids found in the table. */
  matched: number;
  /** Dataset ids the table lacks (they get no factors: -1). */
  unknown: number;
  /** Table ids the dataset lacks (their factors are not used to score, only kept out). */
  absent: number;
}

/**
 * Matches the table's ids with the dataset's (`datasetIds[d]` is dataset index d's id, as
 * text) and counts what matched, for a report like "1,650 of 1,682 items have factors; 32 do
 * not and are never recommended; 12 table rows are not in the data". Refuses when fewer than
 * `minMatchShare` of the dataset's ids (default 10 %) are in the table: the table was then
 * almost surely made from other data or with other ids.
 */
export function alignFactors(
  table: Pick<FactorTable, 'ids' | 'source'>,
  datasetIds: readonly string[],
  what = 'items',
  minMatchShare = MIN_MATCH_SHARE,
): FactorAlignment {
  const rowOf = new Map<string, number>();
  table.ids.forEach((id, r) => {
    rowOf.set(id, r);
  });
  const rows = new Int32Array(datasetIds.length).fill(-1);
  const used = new Uint8Array(table.ids.length);
  let matched = 0;
  datasetIds.forEach((id, d) => {
    const r = rowOf.get(id);
    if (r === undefined) return;
    rows[d] = r;
    if (!used[r]) {
      used[r] = 1;
      matched++;
    }
  });
  const found = rows.reduce((n, r) => n + (r >= 0 ? 1 : 0), 0);
  if (datasetIds.length > 0 && (found === 0 || found < minMatchShare * datasetIds.length)) {
    const sample = table.ids.slice(0, 3).join(', ');
    const theirs = datasetIds.slice(0, 3).join(', ');
    throw new ModelFileError(
      'dataset-mismatch',
      `${count(found)} of ${count(datasetIds.length)} ${what} match by id between ${table.source} (ids like ${sample}) and the data (ids like ${theirs}): are these ids from another dataset?`,
    );
  }
  return {
    rows,
    matched: found,
    unknown: datasetIds.length - found,
    absent: table.ids.length - matched,
  };
}

/**
 * The table's factors in dataset order: row d is the factors of dataset index d, zeros where
 * `rows[d]` is -1 (what `createAlsRecommender` reads as "unknown to the table").
 */
export function gatherFactors(
  table: Pick<FactorTable, 'rank' | 'factors'>,
  rows: Int32Array,
): Float32Array {
  const { rank, factors } = table;
  const out = new Float32Array(rows.length * rank);
  rows.forEach((r, d) => {
    if (r >= 0) out.set(factors.subarray(r * rank, (r + 1) * rank), d * rank);
  });
  return out;
}

/**
 * YᵀY over every row of the table, `[rank, rank]` row-major, in float64: what Spark's
 * implicit ALS adds to every user's normal equations. It is taken over the whole table, not
 * just the items the dataset has, because that is what Spark solved with.
 */
export function factorGram(table: Pick<FactorTable, 'rank' | 'factors'>): Float64Array {
  return gramOf(table.factors, table.rank);
}
