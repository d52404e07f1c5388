/** Parquet files for tests, with the CSV of the same table, and sources that record their reads. */
import { type ColumnSource, parquetWriteBuffer } from 'hyparquet-writer';
import type { ByteSource } from './types';

/** A Parquet file of `columns`, in row groups of `rowGroupSize` rows. */
function parquetBytes(columns: ColumnSource[], rowGroupSize = 10_000): Uint8Array {
  return new Uint8Array(parquetWriteBuffer({ columnData: columns, rowGroupSize }));
}

/** A source that records every read, to prove what was (not) read. */
export function recordingSource(bytes: Uint8Array, name = 'log.parquet') {
  const reads: [number, number][] = [];
  const source: ByteSource = {
    name,
    size: bytes.length,
    read: async (start, end) => {
      reads.push([start, end]);
      return bytes.slice(start, Math.min(end, bytes.length));
    },
  };
  return { source, reads };
}

/** The error a load or detection fails with (the test fails if it succeeds). */
export async function failure(promise: Promise<unknown>): Promise<Error & { code?: string }> {
  const outcome = await promise.then(
    () => null,
    (error: Error) => error,
  );
  if (outcome === null) throw new Error('expected a failure');
  return outcome;
}

/** A CSV cell: quoted when it needs to be. */
const csvCell = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/** One table as CSV text (header first) and as Parquet columns of the given types. */
export function table(
  spec: {
    name: string;
    type: ColumnSource['type'];
    values: unknown[];
    csv?: (v: unknown) => string;
  }[],
  rowGroupSize?: number,
) {
  const rows = spec[0].values.length;
  const lines = [spec.map((c) => c.name).join(',')];
  for (let r = 0; r < rows; r++) {
    lines.push(
      spec
        .map((c) => {
          const v = c.values[r];
          return csvCell(v === null || v === undefined ? '' : c.csv ? c.csv(v) : String(v));
        })
        .join(','),
    );
  }
  const parquet = parquetBytes(
    spec.map((c) => ({ name: c.name, type: c.type, data: c.values as never[], nullable: true })),
    rowGroupSize,
  );
  return { csv: `${lines.join('\n')}\n`, parquet };
}
const T0 = Date.UTC(2024, 0, 15, 9, 30);
const ACTIONS = ['view', 'click', 'cart', 'buy'];

/** 600 interactions of 40 users: strings, BigInt ids, times, actions, ratings, categories, titles. */
export function behaviourTable(rowGroupSize?: number) {
  const n = 600;
  const at = (f: (i: number) => unknown) => Array.from({ length: n }, (_, i) => f(i));
  return table(
    [
      { name: 'user_id', type: 'STRING', values: at((i) => `user-${(i * 7) % 40}`) },
      {
        name: 'item_id',
        type: 'INT64',
        values: at((i) => 9_007_199_254_740_993n + BigInt((i * 13) % 97)),
      },
      {
        name: 'timestamp',
        type: 'TIMESTAMP',
        values: at((i) => new Date(T0 + i * 61_000)),
        csv: (v) => String((v as Date).getTime()),
      },
      { name: 'event_type', type: 'STRING', values: at((i) => ACTIONS[i % 4]) },
      { name: 'rating', type: 'DOUBLE', values: at((i) => (i % 9) / 2 + 0.5) },
      {
        name: 'genres',
        type: 'STRING',
        values: at((i) => (i % 3 === 0 ? 'Drama|Comedy' : 'Horror')),
      },
      {
        name: 'title',
        type: 'STRING',
        values: at((i) => `Film "${(i * 13) % 97}", part ${i % 2}`),
      },
    ],
    rowGroupSize,
  );
}
