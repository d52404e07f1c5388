import { parquetWriteBuffer } from 'hyparquet-writer';
import { describe, expect, it } from 'vitest';
import { detectFormat } from './detect';
import { ingestInteractions } from './ingest';
import { ingestItemMetadata } from './itemMetadata';
import { cellText, plainDecimal } from './parquetCells';
import { isParquet } from './parquetMagic';
import { PARSERS } from './parquetPages';
import { behaviourTable, failure, recordingSource, table } from './parquetTestSupport';
import { bytesSource } from './sources';
import { plainDataset, textSource } from './testSupport';
import type { IngestReport, RejectedRow } from './types';

const rejectsOf = (rows: RejectedRow[]) =>
  rows.map(({ line, reason, detail }) => ({ line, reason, detail }));
const accountOf = (r: IngestReport) => ({
  dataRows: r.dataRows,
  accepted: r.accepted,
  rejected: r.rejected,
  rejectedByReason: r.rejectedByReason,
  suspicious: r.suspicious,
  options: r.options,
});

describe('Parquet interactions: the same dataset as the CSV of the same table', () => {
  it('gives identical datasets, reports and rejects, whatever the row groups', async () => {
    const { csv, parquet } = behaviourTable(64);
    const fromCsv = await ingestInteractions(textSource(csv, 'log.csv'), null);
    const fromParquet = await ingestInteractions(bytesSource(parquet, 'log.parquet'), null);
    expect(fromParquet.detection.mapping).toEqual(fromCsv.detection.mapping);
    expect(fromParquet.detection.timestampFormat).toBe('epoch-ms');
    expect(fromParquet.detection.format).toBe('parquet');
    expect(fromParquet.report.format).toBe('parquet');
    expect(plainDataset(fromParquet.dataset)).toEqual(plainDataset(fromCsv.dataset));
    expect(accountOf(fromParquet.report)).toEqual(accountOf(fromCsv.report));
    // BigInt ids beyond 2^53 keep every digit.
    expect(fromParquet.dataset.itemIds[0]).toBe('9007199254740993');
    expect(fromParquet.dataset.itemCategories.some((c) => c.length >= 2)).toBe(true);
    // Detection saw the same sample values.
    expect(fromParquet.detection.columns.map((c) => c.samples)).toEqual(
      fromCsv.detection.columns.map((c) => c.samples),
    );
    // One row group or many: the same.
    const oneGroup = await ingestInteractions(bytesSource(behaviourTable().parquet, 'x'), null);
    expect(plainDataset(oneGroup.dataset)).toEqual(plainDataset(fromParquet.dataset));
  });

  it('reads epoch seconds in an integer column and integer ids as a CSV does', async () => {
    const n = 50;
    const { csv, parquet } = table([
      { name: 'uid', type: 'INT32', values: Array.from({ length: n }, (_, i) => i % 7) },
      { name: 'sku', type: 'INT64', values: Array.from({ length: n }, (_, i) => BigInt(i % 11)) },
      {
        name: 'ts',
        type: 'INT64',
        values: Array.from({ length: n }, (_, i) => BigInt(1_700_000_000 + i)),
      },
    ]);
    const a = await ingestInteractions(textSource(csv), null);
    const b = await ingestInteractions(bytesSource(parquet, 'p'), null);
    expect(b.detection.timestampFormat).toBe('epoch-s');
    expect(plainDataset(b.dataset)).toEqual(plainDataset(a.dataset));
  });

  it('gives the same per-reason rejects, lines and details as the CSV for bad rows', async () => {
    const users = ['u1', null, 'u2', 'u3', 'u4', 'u1', 'u5', ' ', 'u6', 'u1'];
    const items = ['i1', 'i2', '', 'i3', 'i4', 'i1', 'i5', 'i6', 'i7', 'i1'];
    const times = [
      '2024-01-02T10:00:00Z',
      '2024-01-02T10:01:00Z',
      '2024-01-02T10:02:00Z',
      'yesterday',
      '2024-01-02T10:04:00Z',
      '2024-01-02T10:00:00Z', // duplicate of the first row
      '2024-01-02T10:06:00Z',
      '2024-01-02T10:07:00Z',
      '2024-01-02T10:08:00Z',
      '2024-01-02T10:00:00Z', // duplicate again
    ];
    const ratings = [
      '4',
      '3',
      '5',
      '2',
      'abc',
      '4',
      '1e39',
      '3',
      '340282366920938463463374607431768211456',
      '4',
    ];
    const { csv, parquet } = table([
      { name: 'user_id', type: 'STRING', values: users },
      { name: 'item_id', type: 'STRING', values: items },
      { name: 'timestamp', type: 'STRING', values: times },
      { name: 'rating', type: 'STRING', values: ratings },
    ]);
    const a = await ingestInteractions(textSource(csv), null);
    const b = await ingestInteractions(bytesSource(parquet, 'p'), null);
    expect(Object.keys(b.report.rejectedByReason).sort()).toEqual([
      'bad_timestamp',
      'bad_value',
      'duplicate',
      'missing_item',
      'missing_user',
      'value_out_of_range',
    ]);
    expect(accountOf(b.report)).toEqual(accountOf(a.report));
    expect(rejectsOf(b.rejectedRows)).toEqual(rejectsOf(a.rejectedRows));
    // Every column is mapped here, so the rows to download are the CSV's too.
    expect(b.rejectedRows.map((r) => r.fields)).toEqual(a.rejectedRows.map((r) => r.fields));
    expect(plainDataset(b.dataset)).toEqual(plainDataset(a.dataset));
  });

  it("reads only the mapped columns, and puts a rejected row's cells back at their columns", async () => {
    const n = 20_000;
    // A wide column of distinct text, in small pages: detection reads its first pages only.
    const notes = Array.from(
      { length: n },
      (_, i) => `${i}:${Math.sin(i).toString(36).repeat(20)}`,
    );
    const parquet = new Uint8Array(
      parquetWriteBuffer({
        columnData: [
          { name: 'notes', type: 'STRING', data: notes },
          {
            name: 'user',
            type: 'STRING',
            data: Array.from({ length: n }, (_, i) => (i === 3 ? '' : `u${i % 4}`)),
          },
          { name: 'item', type: 'STRING', data: Array.from({ length: n }, (_, i) => `i${i}`) },
        ],
        pageSize: 8192,
      }),
    );
    const { source, reads } = recordingSource(parquet);
    const result = await ingestInteractions(source, {
      delimiter: ',',
      hasHeader: true,
      encoding: 'utf-8',
      timestampFormat: 'none',
      mapping: {
        user: 1,
        item: 2,
        timestamp: null,
        action: null,
        value: null,
        category: null,
        title: null,
      },
    });
    expect(result.report.rejectedByReason.missing_user?.firstLines).toEqual([5]);
    expect(result.rejectedRows[0].fields).toEqual(['', '', 'i3']);
    const readBytes = reads.reduce((sum, [s, e]) => sum + (e - s), 0);
    expect(readBytes).toBeLessThan(parquet.length / 3);
  });
});

describe('Parquet types map as CSV cells would', () => {
  it('writes numbers in plain decimal notation and values as text', () => {
    expect(plainDecimal(1e-7)).toBe('0.0000001');
    expect(plainDecimal(-1.5e-9)).toBe('-0.0000000015');
    expect(plainDecimal(1e21)).toBe('1000000000000000000000');
    expect(plainDecimal(1.25e22)).toBe('12500000000000000000000');
    expect(plainDecimal(4.5)).toBe('4.5');
    expect(Number(plainDecimal(Math.fround(0.1)))).toBe(Math.fround(0.1));
    expect(cellText(null)).toBe('');
    expect(cellText(undefined)).toBe('');
    expect(cellText(12345678901234567890n)).toBe('12345678901234567890');
    expect(cellText(true)).toBe('true');
    expect(cellText(['Drama', null, 'Comedy'])).toBe('Drama|Comedy');
    expect(cellText({ a: 1n, b: 'x' })).toBe('{"a":"1","b":"x"}');
    expect(cellText(new TextEncoder().encode('héllo'))).toBe('héllo');
  });

  it('turns every time type into epoch milliseconds (floored), INT96 included', () => {
    const ms = Date.UTC(2023, 5, 1, 12, 0, 0, 123);
    expect(PARSERS.timestampFromMilliseconds?.(BigInt(ms))).toBe(ms);
    expect(PARSERS.timestampFromMicroseconds?.(BigInt(ms) * 1000n + 999n)).toBe(ms);
    expect(PARSERS.timestampFromMicroseconds?.(-1n)).toBe(-1);
    // INT96 (Impala/Spark) reaches this parser as nanoseconds since the epoch.
    expect(PARSERS.timestampFromNanoseconds?.(BigInt(ms) * 1_000_000n + 456_789n)).toBe(ms);
    expect(PARSERS.dateFromDays?.(19_509)).toBe(Date.UTC(2023, 5, 1));
  });

  it('reads DATE, TIMESTAMP_MICROS and nullable columns from a file', async () => {
    const days = [19_509, 19_510, 19_511];
    const parquet = new Uint8Array(
      parquetWriteBuffer({
        columnData: [
          { name: 'customer', data: ['a', 'b', 'a'] },
          { name: 'product', data: [1, 2, null] },
          { name: 'day', data: days },
          {
            name: 'seen_at',
            data: [1n, 2n, 3n].map((k) => BigInt(Date.UTC(2023, 0, 1)) * 1000n + k * 1_000_000n),
          },
        ],
        schema: [
          { name: 'root', num_children: 4 },
          {
            name: 'customer',
            type: 'BYTE_ARRAY',
            converted_type: 'UTF8',
            repetition_type: 'REQUIRED',
          },
          { name: 'product', type: 'INT32', repetition_type: 'OPTIONAL' },
          { name: 'day', type: 'INT32', converted_type: 'DATE', repetition_type: 'REQUIRED' },
          {
            name: 'seen_at',
            type: 'INT64',
            converted_type: 'TIMESTAMP_MICROS',
            repetition_type: 'REQUIRED',
          },
        ],
      }),
    );
    const detection = await detectFormat(bytesSource(parquet, 'p'));
    expect(detection.columns.map((c) => c.samples)).toEqual([
      ['a', 'b', 'a'],
      ['1', '2', ''],
      days.map((d) => String(d * 86_400_000)),
      [1, 2, 3].map((k) => String(Date.UTC(2023, 0, 1) + k * 1000)),
    ]);
    // Two time columns, neither named as one: the first the file types as time is taken.
    expect(detection.mapping).toMatchObject({ user: 0, item: 1, timestamp: 2 });
    expect(detection.timestampFormat).toBe('epoch-ms');
    const { report, dataset } = await ingestInteractions(bytesSource(parquet, 'p'), null);
    expect(report.rejectedByReason.missing_item?.firstLines).toEqual([4]);
    expect([...dataset.timestamp]).toEqual([days[0] * 86_400_000, days[1] * 86_400_000]);
  });
});

describe('telling Parquet from text by content', () => {
  it('reads a Parquet file whatever its name, and a text file starting with PAR1 as text', async () => {
    const { parquet } = behaviourTable();
    expect(await isParquet(bytesSource(parquet, 'export.csv'))).toBe(true);
    const named = await ingestInteractions(bytesSource(parquet, 'export.csv'), null);
    expect(named.report.format).toBe('parquet');
    const text = 'PAR1,item\nu1,i1\nu2,i2\n';
    expect(await isParquet(textSource(text))).toBe(false);
    const csv = await ingestInteractions(textSource('PAR1,user,item\nx,u1,i1\ny,u2,i2\n'), null);
    expect(csv.report.format).toBe('delimited');
  });

  it('says an item metadata file in Parquet must be exported as CSV', async () => {
    const { parquet } = behaviourTable();
    const { dataset } = await ingestInteractions(bytesSource(parquet, 'log.parquet'), null);
    const error = await failure(
      ingestItemMetadata(bytesSource(parquet, 'items.parquet'), null, dataset),
    );
    expect(error.message).toMatch(
      /found binary data \(a Parquet file: item metadata is read from delimited text only, so export it as CSV\)\.$/,
    );
  });
});
describe('streaming row groups', () => {
  const { parquet } = behaviourTable(50); // 12 row groups

  it('reports progress group by group, ending at the file size', async () => {
    const progress: { bytesRead: number; rows: number }[] = [];
    await ingestInteractions(bytesSource(parquet, 'p'), null, {
      parquetRangeRows: 20,
      onProgress: (p) => {
        if (p.phase === 'reading') progress.push({ bytesRead: p.bytesRead, rows: p.rows });
      },
    });
    expect(progress.length).toBe(36); // 12 groups of 50 rows, read 20 + 20 + 10
    for (let i = 1; i < progress.length; i++) {
      expect(progress[i].rows).toBeGreaterThan(progress[i - 1].rows);
      expect(progress[i].bytesRead).toBeGreaterThanOrEqual(progress[i - 1].bytesRead);
    }
    expect(progress.at(-1)).toEqual({ bytesRead: parquet.length, rows: 600 });
  });

  it('stops within one range when cancelled, with the cancel error', async () => {
    const controller = new AbortController();
    let ranges = 0;
    const error = await ingestInteractions(bytesSource(parquet, 'p'), null, {
      signal: controller.signal,
      onProgress: (p) => {
        if (p.phase === 'reading' && ++ranges === 3) controller.abort();
      },
    }).catch((e) => e);
    expect(error.code).toBe('cancelled');
    expect(ranges).toBe(3);
  });

  it('samples users of a Parquet file exactly as of the same CSV', async () => {
    const both = behaviourTable(50);
    const sample = { fraction: 0.3, seed: 11 };
    const a = await ingestInteractions(textSource(both.csv), null, { sample });
    const b = await ingestInteractions(bytesSource(both.parquet, 'p'), null, { sample });
    expect(plainDataset(b.dataset)).toEqual(plainDataset(a.dataset));
    expect(b.report.sample).toEqual(a.report.sample);
    expect(b.report.sample?.droppedUsers).toBeGreaterThan(0);
  });
});
