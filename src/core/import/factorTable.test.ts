import { parquetWriteBuffer } from 'hyparquet-writer';
import { describe, expect, it } from 'vitest';
import { ModelFileError } from '../models/modelFileError';
import { SeededRandom } from '../random';
import {
  flatCsv,
  flatParquet,
  gramRows,
  randomFactors,
  sparkCsv,
  sparkParquet,
} from './alsFixtures';
import { alignFactors, factorGram, gatherFactors } from './factorAlign';
import { type FactorTable, MAX_FACTOR_RANK, readFactorTable } from './factorTable';

const rng = new SeededRandom(11, 'factor-table');
const RANK = 10;
const N = 40;
const ids = Array.from({ length: N }, (_, r) => 1000 + 7 * r);
const rows = randomFactors(rng, N, RANK);

/** The refusal of reading `bytes` as `name`: a ModelFileError with one sentence. */
async function refusal(bytes: Uint8Array, name: string, budgetBytes?: number) {
  const error = await readFactorTable(bytes, name, { budgetBytes }).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ModelFileError);
  const { message, code } = error as ModelFileError;
  expect(message).toContain(name);
  expect(message).not.toContain('\n');
  expect(message).toMatch(/[.?]$/);
  return { message, code };
}

const text = (s: string) => new TextEncoder().encode(s);

function expectSameTable(a: FactorTable, b: FactorTable) {
  expect(a.ids).toEqual(b.ids);
  expect(a.rank).toBe(b.rank);
  expect(Array.from(a.factors)).toEqual(Array.from(b.factors));
}

describe('readFactorTable', () => {
  it('reads Spark Parquet, flat Parquet, bracketed CSV and flat CSV of one table identically', async () => {
    const spark = await readFactorTable(sparkParquet(ids, rows, { rowGroupSize: 16 }), 'a.parquet');
    expect(spark.format).toBe('parquet');
    expect(spark.layout).toBe('spark');
    expect(spark.rank).toBe(RANK);
    expect(spark.ids).toEqual(ids.map(String));
    expect(Array.from(spark.factors)).toEqual(rows.flat());
    const variants = [
      await readFactorTable(flatParquet(ids, rows, { rowGroupSize: 7 }), 'b.parquet'),
      await readFactorTable(flatParquet(ids, rows, { type: 'DOUBLE' }), 'b64.parquet'),
      await readFactorTable(sparkCsv(ids, rows), 'c.csv'),
      await readFactorTable(sparkCsv(ids, rows, { header: false }), 'c-headerless.csv'),
      await readFactorTable(flatCsv(ids, rows), 'd.csv'),
      await readFactorTable(flatCsv(ids, rows, { header: false }), 'd-headerless.csv'),
      await readFactorTable(
        flatCsv(ids, rows, { names: rows[0].map((_, k) => `latent ${k}`) }),
        'e.csv',
      ),
    ];
    for (const v of variants) expectSameTable(v, spark);
    expect(variants.map((v) => v.layout)).toEqual([
      'flat',
      'flat',
      'spark',
      'spark',
      'flat',
      'flat',
      'flat',
    ]);
  });

  it('keeps BigInt and text ids as text; reads unquoted brackets, a BOM and extra columns', async () => {
    const big = [2n ** 60n, 5n, 2n ** 62n + 1n];
    const small = rows.slice(0, 3);
    const t = await readFactorTable(sparkParquet(big, small, { idType: 'INT64' }), 'big.parquet');
    expect(t.ids).toEqual(big.map((b) => b.toString()));
    const names = ['tt0111161', 'tt0068646', 'tt0468569'];
    const s = await readFactorTable(flatParquet(names, small), 'names.parquet');
    expect(s.ids).toEqual(names);
    const unquoted = text(
      `\ufeffID,Features,comment\n${names.map((n, r) => `${n},[${small[r].join(',')}],x`).join('\n')}`,
    );
    // "Features" is not last here: an unquoted list would split; quoted it reads.
    const quoted = text(
      `\ufeffID,Features,comment\n${names.map((n, r) => `${n},"[${small[r].join(',')}]",x`).join('\n')}`,
    );
    expectSameTable(await readFactorTable(quoted, 'q.csv'), s);
    await refusal(unquoted, 'unquoted-middle.csv');
    const last = text(
      `id,features\n${names.map((n, r) => `${n},[${small[r].join(', ')}]`).join('\n')}`,
    );
    expectSameTable(await readFactorTable(last, 'last.csv'), s);
    const spaces = text(
      `id,features\n${names.map((n, r) => `${n},[${small[r].join(' ')}]`).join('\n')}`,
    );
    expectSameTable(await readFactorTable(spaces, 'spaces.csv'), s);
  });

  it('refuses mixed widths with the row and both widths', async () => {
    const mixed = rows.map((r, i) => (i === 16 ? r.slice(0, 9) : r));
    expect(
      (await refusal(sparkParquet(ids, mixed, { rowGroupSize: 8 }), 't.parquet')).message,
    ).toBe('Row 17 of t.parquet has 9 factors, the first row 10.');
    expect((await refusal(sparkCsv(ids, mixed), 't.csv')).message).toBe(
      'Row 17 of t.csv has 9 factors, the first row 10.',
    );
    expect((await refusal(flatCsv(ids, mixed), 'flat.csv')).message).toBe(
      'Row 17 of flat.csv has 9 factors, the header 10.',
    );
    expect((await refusal(flatCsv(ids, mixed, { header: false }), 'nohead.csv')).message).toBe(
      'Row 17 of nohead.csv has 9 factors, the first row 10.',
    );
  });

  it('refuses non-finite and non-numeric factors, naming row and column', async () => {
    const bad = rows.map((r) => [...r]);
    bad[4][3] = Number.NaN;
    expect((await refusal(flatParquet(ids, bad), 'nan.parquet')).message).toBe(
      'Row 5 of nan.parquet has a non-finite factor (NaN) in column f3.',
    );
    expect((await refusal(sparkParquet(ids, bad), 'nan-spark.parquet')).message).toBe(
      'Row 5 of nan-spark.parquet has a non-finite factor (NaN) in features[3].',
    );
    const inf = rows.map((r) => [...r]);
    inf[2][0] = Number.POSITIVE_INFINITY;
    const csv = new TextDecoder().decode(flatCsv(ids, inf)).replace('Infinity', 'inf');
    const r1 = await refusal(text(csv), 'inf.csv');
    expect(r1.message).toBe('Row 3 of inf.csv has a non-finite factor (Infinity) in column f0.');
    expect(r1.code).toBe('non-finite-weights');
    const huge = new TextDecoder()
      .decode(flatCsv(ids, rows))
      .replace(/\n(\d+),[^,]+,/, '\n$1,1e39,');
    expect((await refusal(text(huge), 'huge.csv')).message).toBe(
      'Row 1 of huge.csv has factor 1e+39 in column f0, outside the float32 range.',
    );
    const word = new TextDecoder().decode(sparkCsv(ids, rows)).replace(/\[[^,]+,/, '[abc,');
    expect((await refusal(text(word), 'word.csv')).message).toBe(
      "Row 1 of word.csv has 'abc' in features[0], not a number.",
    );
    const empty = new TextDecoder().decode(flatCsv(ids, rows)).replace(/\n(\d+),[^,]+,/, '\n$1,,');
    expect((await refusal(text(empty), 'hole.csv')).message).toBe(
      'Row 1 of hole.csv has an empty factor in column f0.',
    );
  });

  it('refuses missing values and binary junk', async () => {
    const holes = rows.map((r) => [...r]) as (number | null)[][];
    holes[6][2] = null;
    expect((await refusal(flatParquet(ids, holes as number[][]), 'null.parquet')).message).toBe(
      'Row 7 of null.parquet has no value in column f2.',
    );
    const junk = new Uint8Array(4096).map((_, k) => (k * 2654435761) >>> 24);
    const j = await refusal(junk, 'junk.bin');
    expect(j.message).toMatch(/^junk\.bin has no id column/);
    expect(j.message.length).toBeLessThan(400);
  });

  it('refuses duplicate and missing ids', async () => {
    const dup = [...ids];
    dup[20] = dup[3];
    expect((await refusal(sparkParquet(dup, rows), 'dup.parquet')).message).toBe(
      `Row 21 of dup.parquet repeats id ${ids[3]} of row 4: every id must appear once.`,
    );
    expect((await refusal(flatCsv(dup, rows), 'dup.csv')).message).toBe(
      `Row 21 of dup.csv repeats id ${ids[3]} of row 4: every id must appear once.`,
    );
    const noId = new TextDecoder().decode(flatCsv(ids, rows)).replace(/\n\d+,/, '\n,');
    expect((await refusal(text(noId), 'blank.csv')).message).toBe('Row 1 of blank.csv has no id.');
  });

  it('refuses a table without an id column', async () => {
    const buffer = parquetWriteBuffer({
      columnData: [
        { name: 'user', data: [1, 2], type: 'INT32' },
        { name: 'f0', data: [0.5, 0.25], type: 'FLOAT' },
      ],
    });
    const p = await refusal(new Uint8Array(buffer), 'noid.parquet');
    expect(p.message).toMatch(/^noid\.parquet has no id column \(its columns: user, f0\)/);
    const c = await refusal(text('user,f0\n1,0.5\n'), 'noid.csv');
    expect(c.message).toMatch(/^noid\.csv has no id column \(its header: user, f0\)/);
  });

  it('refuses empty tables, rank 0 and absurd ranks', async () => {
    expect((await refusal(new Uint8Array(0), 'zero.csv')).message).toBe('zero.csv is empty.');
    expect((await refusal(text('id,features\n'), 'header.csv')).message).toBe(
      'header.csv has no rows: there are no factors to read.',
    );
    expect((await refusal(sparkParquet([], []), 'none.parquet')).message).toBe(
      'none.parquet has no rows: there are no factors to read.',
    );
    expect((await refusal(text('id\n1\n2\n'), 'idonly.csv')).message).toMatch(
      /^idonly\.csv has an id column and no factor columns \(rank 0\)/,
    );
    expect((await refusal(sparkParquet([1, 2], [[], []]), 'empty.parquet')).message).toMatch(
      /^Row 1 of empty\.parquet has no factors \(rank 0\)/,
    );
    const wide = MAX_FACTOR_RANK + 1;
    const wideRows = [Array.from({ length: wide }, (_, k) => k / wide)];
    expect((await refusal(sparkParquet([1], wideRows), 'wide.parquet')).message).toMatch(
      /^wide\.parquet has about 1,025 factors per row, more than the 1,024 any ALS model has/,
    );
    expect((await refusal(flatCsv([1], wideRows), 'wide.csv')).message).toMatch(
      /^wide\.csv has 1,025 factors per row/,
    );
  });

  it('checks the declared size against the budget before allocating', async () => {
    const p = await refusal(sparkParquet(ids, rows), 'big.parquet', 1000);
    expect(p.code).toBe('too-large');
    expect(p.message).toMatch(/^big\.parquet declares 40 rows × about 10 factors = 0\.00 GiB/);
    const f = await refusal(flatParquet(ids, rows), 'bigflat.parquet', 1000);
    expect(f.message).toMatch(/^bigflat\.parquet declares 40 rows × 10 factors/);
    const c = await refusal(flatCsv(ids, rows), 'big.csv', 1000);
    expect(c.code).toBe('too-large');
    expect(c.message).toMatch(/^big\.csv holds more than \d+ rows × 10 factors/);
  });

  it('refuses a truncated Parquet file in one sentence', async () => {
    const whole = sparkParquet(ids, rows);
    const r = await refusal(whole.slice(0, whole.length >> 1), 'cut.parquet');
    expect(r.message).toMatch(
      /^cut\.parquet starts like a Parquet file but its footer cannot be read/,
    );
    // Footer intact, data pages damaged: refused too (whatever hyparquet says, in our sentence).
    const damaged = whole.slice();
    damaged.fill(0xff, 4, Math.min(200, damaged.length - 400));
    const d = await readFactorTable(damaged, 'damaged.parquet').then(
      () => null,
      (e: unknown) => e,
    );
    if (d !== null) expect(d).toBeInstanceOf(ModelFileError);
  });

  it('stops at the first bad row of a long file (linear, bounded)', async () => {
    const n = 200_000;
    const lines = ['id,f0,f1'];
    for (let r = 0; r < n; r++) lines.push(`${r},${r === 1 ? 'x' : 0.5},0.25`);
    const started = performance.now();
    const r = await refusal(text(lines.join('\n')), 'long.csv');
    const ms = performance.now() - started;
    expect(r.message).toBe("Row 2 of long.csv has 'x' in column f0, not a number.");
    expect(ms).toBeLessThan(2000);
  });
});

describe('alignFactors', () => {
  const table = {
    source: 'items.parquet',
    ids: ids.map(String),
    rank: RANK,
    factors: new Float32Array(rows.flat()),
  };

  it('maps dataset ids to table rows and counts matched, unknown and absent', () => {
    // Dataset: table ids 5..34 in reverse, plus 4 ids the table lacks.
    const datasetIds = [
      ...ids.slice(5, 35).reverse().map(String),
      'new-1',
      'new-2',
      'new-3',
      'new-4',
    ];
    const a = alignFactors(table, datasetIds);
    expect(a.matched).toBe(30);
    expect(a.unknown).toBe(4);
    expect(a.absent).toBe(10);
    datasetIds.forEach((id, d) => {
      expect(a.rows[d]).toBe(table.ids.indexOf(id));
    });
    const gathered = gatherFactors(table, a.rows);
    expect(gathered.length).toBe(datasetIds.length * RANK);
    expect(Array.from(gathered.subarray(0, RANK))).toEqual(rows[34]);
    expect(Array.from(gathered.subarray(30 * RANK))).toEqual(new Array(4 * RANK).fill(0));
  });

  it('refuses ids from another dataset in one sentence', () => {
    const datasetIds = Array.from({ length: 1682 }, (_, d) => `${d + 1}`);
    const three = { ...table, ids: ['1', '2', '3', ...ids.slice(3).map((i) => `x${i}`)] };
    expect(() => alignFactors(three, datasetIds)).toThrow(ModelFileError);
    expect(() => alignFactors(three, datasetIds)).toThrow(
      /^3 of 1,682 items match by id between items\.parquet \(ids like 1, 2, 3\) and the data \(ids like 1, 2, 3\): are these ids from another dataset\?$/,
    );
    expect(() => alignFactors(table, ['a', 'b'], 'users')).toThrow(/^0 of 2 users match by id/);
  });

  it('factorGram is YᵀY over every table row', () => {
    const g = factorGram(table);
    const ref = gramRows(rows, RANK);
    for (let p = 0; p < RANK; p++) {
      for (let q = 0; q < RANK; q++) expect(g[p * RANK + q]).toBeCloseTo(ref[p][q], 10);
    }
  });
});
