/**
 * Test fixtures for factor tables and ALS, generated here rather than stored: factor tables
 * written as Spark writes them (Parquet with `id` + `features` array<float>, via
 * hyparquet-writer) and as flat or bracketed CSV, random interaction histories, and a small
 * reference ALS. The reference is written independently of `als.ts` (plain number arrays,
 * Gaussian elimination with pivoting, straight from Spark's `ALS.computeFactors`), so that
 * agreeing with it means something. Used by tests only (hyparquet-writer is a dev dependency).
 */
import { parquetWriteBuffer } from 'hyparquet-writer';
import type { HistoryBatch } from '../models/baseline-types';
import { SeededRandom } from '../random';
import type { AlsParams } from './alsTypes';

export type FactorId = number | bigint | string;

/** Spark's schema: `id` (int, bigint or string) and `features` = array<float>. */
export function sparkParquet(
  ids: readonly FactorId[],
  rows: readonly number[][],
  options: { rowGroupSize?: number; idType?: 'INT32' | 'INT64' | 'STRING' } = {},
): Uint8Array {
  const idType = options.idType ?? (typeof ids[0] === 'string' ? 'STRING' : 'INT32');
  const idElement =
    idType === 'STRING'
      ? { name: 'id', type: 'BYTE_ARRAY' as const, converted_type: 'UTF8' as const }
      : { name: 'id', type: idType };
  const buffer = parquetWriteBuffer({
    columnData: [
      { name: 'id', data: ids as FactorId[] as never },
      { name: 'features', data: rows.map((r) => [...r]) },
    ],
    schema: [
      { name: 'spark_schema', num_children: 2 },
      { ...idElement, repetition_type: 'REQUIRED' },
      { name: 'features', repetition_type: 'OPTIONAL', converted_type: 'LIST', num_children: 1 },
      { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
      { name: 'element', type: 'FLOAT', repetition_type: 'REQUIRED' },
    ],
    rowGroupSize: options.rowGroupSize ?? 100_000,
  });
  return new Uint8Array(buffer);
}

/** Flat columns: `id` then one FLOAT (or DOUBLE) column per factor, named `names`. */
export function flatParquet(
  ids: readonly FactorId[],
  rows: readonly number[][],
  options: { names?: string[]; type?: 'FLOAT' | 'DOUBLE'; rowGroupSize?: number } = {},
): Uint8Array {
  const rank = rows[0]?.length ?? 0;
  const names = options.names ?? Array.from({ length: rank }, (_, k) => `f${k}`);
  const idType =
    typeof ids[0] === 'bigint' ? 'INT64' : typeof ids[0] === 'string' ? 'STRING' : 'INT32';
  const buffer = parquetWriteBuffer({
    columnData: [
      { name: 'id', data: ids as FactorId[] as never, type: idType },
      ...names.map((name, k) => ({
        name,
        data: rows.map((r) => r[k]),
        type: options.type ?? ('FLOAT' as const),
      })),
    ],
    rowGroupSize: options.rowGroupSize ?? 100_000,
  });
  return new Uint8Array(buffer);
}

const bytes = (text: string) => new TextEncoder().encode(text);

/** `id,features` with `"[0.1, 0.2]"` cells (what `to_json(features)` gives). */
export function sparkCsv(
  ids: readonly FactorId[],
  rows: readonly number[][],
  options: { header?: boolean } = {},
): Uint8Array {
  const lines = ids.map((id, r) => `${id},"[${rows[r].join(', ')}]"`);
  return bytes([...(options.header === false ? [] : ['id,features']), ...lines].join('\n'));
}

/** `id,f0,f1,...` (or other names), one factor per column. */
export function flatCsv(
  ids: readonly FactorId[],
  rows: readonly number[][],
  options: { header?: boolean; names?: string[] } = {},
): Uint8Array {
  const rank = rows[0]?.length ?? 0;
  const names = options.names ?? Array.from({ length: rank }, (_, k) => `f${k}`);
  const lines = ids.map((id, r) => [id, ...rows[r]].join(','));
  return bytes(
    [...(options.header === false ? [] : [['id', ...names].join(',')]), ...lines].join('\r\n'),
  );
}

/** `rows` random factor rows in [-1, 1), rounded to float32 (as Spark stores them). */
export function randomFactors(rng: SeededRandom, rows: number, rank: number): number[][] {
  return Array.from({ length: rows }, () =>
    Array.from({ length: rank }, () => Math.fround(rng.uniform(-1, 1))),
  );
}

/**
 * Random histories: each user draws 3..maxLength interactions from a popularity-skewed
 * catalogue, with repeats (so ratings are counts above 1 for some items).
 */
export function randomHistories(
  rng: SeededRandom,
  users: number,
  numItems: number,
  maxLength: number,
): number[][] {
  return Array.from({ length: users }, () => {
    const n = rng.int(3, maxLength);
    return Array.from({ length: n }, () => Math.floor(numItems * rng.next() ** 2));
  });
}

// ---------------------------------------------------------------------------------------------
// Reference ALS (independent of als.ts)

/** Ratings of one history: item -> number of occurrences. */
export function ratingsOf(history: readonly number[]): Map<number, number> {
  const ratings = new Map<number, number>();
  for (const i of history) ratings.set(i, (ratings.get(i) ?? 0) + 1);
  return ratings;
}

/** x solving A x = b by Gaussian elimination with partial pivoting (A, b not modified). */
export function solveDense(a: readonly number[][], b: readonly number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r][col]) > Math.abs(m[pivot][col])) pivot = r;
    [m[col], m[pivot]] = [m[pivot], m[col]];
    for (let r = col + 1; r < n; r++) {
      const f = m[r][col] / m[col][col];
      for (let c = col; c <= n; c++) m[r][c] -= f * m[col][c];
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = m[r][n];
    for (let c = r + 1; c < n; c++) s -= m[r][c] * x[c];
    x[r] = s / m[r][r];
  }
  return x;
}

/** YᵀY of factor rows, as plain arrays. */
export function gramRows(rows: readonly (readonly number[])[], rank: number): number[][] {
  const g = Array.from({ length: rank }, () => new Array<number>(rank).fill(0));
  for (const y of rows) {
    for (let p = 0; p < rank; p++) for (let q = 0; q < rank; q++) g[p][q] += y[p] * y[q];
  }
  return g;
}

/**
 * Spark's normal equations for one solve: `other[i]` are the fixed side's factors, `ratings`
 * the solved entity's ratings (other index -> rating), `gram` YᵀY of the fixed side (implicit).
 */
export function normalEquations(
  other: readonly (readonly number[])[],
  ratings: ReadonlyMap<number, number>,
  params: AlsParams,
  gram: readonly (readonly number[])[] | null,
): { a: number[][]; b: number[] } {
  const rank = other[0].length;
  const a = gram
    ? gram.map((row) => [...row])
    : Array.from({ length: rank }, () => new Array<number>(rank).fill(0));
  const b = new Array<number>(rank).fill(0);
  let n = 0;
  for (const [i, r] of ratings) {
    const y = other[i];
    if (params.implicit) {
      const c1 = params.alpha * Math.abs(r);
      if (r > 0) n++;
      for (let p = 0; p < rank; p++) {
        if (r > 0) b[p] += (1 + c1) * y[p];
        for (let q = 0; q < rank; q++) a[p][q] += c1 * y[p] * y[q];
      }
    } else {
      n++;
      for (let p = 0; p < rank; p++) {
        b[p] += r * y[p];
        for (let q = 0; q < rank; q++) a[p][q] += y[p] * y[q];
      }
    }
  }
  for (let p = 0; p < rank; p++) a[p][p] += params.lambda * n;
  return { a, b };
}

/** One Spark half-step: every row of the solved side given the fixed side, float32-rounded. */
function solveSide(
  other: number[][],
  ratings: readonly Map<number, number>[],
  params: AlsParams,
): number[][] {
  const rank = other[0].length;
  const gram = params.implicit ? gramRows(other, rank) : null;
  return ratings.map((r) => {
    if (r.size === 0) return new Array<number>(rank).fill(0);
    const { a, b } = normalEquations(other, r, params, gram);
    return solveDense(a, b).map(Math.fround);
  });
}

/**
 * A tiny ALS as Spark runs it: random item factors, then `iterations` rounds of "items given
 * users, users given items"... ending, as Spark does, with the users solved from the final
 * item factors. Returns both tables as float32 values.
 */
export function fitReferenceAls(
  histories: readonly number[][],
  numItems: number,
  rank: number,
  params: AlsParams,
  iterations: number,
  seed: number,
): { users: number[][]; items: number[][] } {
  const rng = new SeededRandom(seed, 'als-init');
  const userRatings = histories.map(ratingsOf);
  const itemRatings = Array.from({ length: numItems }, () => new Map<number, number>());
  userRatings.forEach((r, u) => {
    for (const [i, c] of r) itemRatings[i].set(u, c);
  });
  let items = randomFactors(rng, numItems, rank).map((y) => y.map((v) => Math.fround(v / 4)));
  let users = solveSide(items, userRatings, params);
  for (let it = 0; it < iterations; it++) {
    items = solveSide(users, itemRatings, params);
    users = solveSide(items, userRatings, params);
  }
  return { users, items };
}

/** Spearman rank correlation of two equally long samples (average ranks for ties). */
export function spearman(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const ranks = (v: ArrayLike<number>) => {
    const order = Array.from({ length: v.length }, (_, i) => i).sort((i, j) => v[i] - v[j]);
    const r = new Array<number>(v.length);
    for (let s = 0; s < order.length; ) {
      let e = s;
      while (e + 1 < order.length && v[order[e + 1]] === v[order[s]]) e++;
      for (let t = s; t <= e; t++) r[order[t]] = (s + e) / 2;
      s = e + 1;
    }
    return r;
  };
  const ra = ranks(a);
  const rb = ranks(b);
  const mean = (ra.length - 1) / 2;
  let num = 0;
  let da = 0;
  let db = 0;
  for (let i = 0; i < ra.length; i++) {
    num += (ra[i] - mean) * (rb[i] - mean);
    da += (ra[i] - mean) ** 2;
    db += (rb[i] - mean) ** 2;
  }
  return num / Math.sqrt(da * db);
}

/** Spark ALS settings the tests fold in with. */
export const IMPLICIT: AlsParams = { implicit: true, lambda: 0.1, alpha: 2 };
export const EXPLICIT: AlsParams = { implicit: false, lambda: 0.05, alpha: 0 };

/** A history batch of `rows` (no timestamps). */
export const batch = (...rows: number[][]): HistoryBatch => {
  const offsets = new Int32Array(rows.length + 1);
  rows.forEach((r, i) => {
    offsets[i + 1] = offsets[i] + r.length;
  });
  const items = Int32Array.from(rows.flat());
  return { offsets, items, timestamps: new Float64Array(items.length).fill(Number.NaN) };
};

export const dotRows = (a: readonly number[], b: readonly number[]) =>
  a.reduce((s, v, k) => s + v * b[k], 0);
