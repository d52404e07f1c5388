/**
 * Damaged Parquet factor tables (the foreign fuzz's parquet-hang, parquet-crash,
 * parquet-unhandled-rejection, parquet-slow and parquet-error-text, and the hazards like them):
 * each is the fuzz bases' layout (./alsFixtures.ts) with the damage written in at the byte
 * where it does harm. hyparquet alone spins forever on the hang, snappy and negative-run
 * files, aborts the process on the crash file ("invalid size"), leaves a rejection unhandled on
 * the rejection file, quotes NULs on the text file and spends a second or more on the Thrift
 * bombs; read here, in this process, each is one ModelFileError sentence within milliseconds.
 */
import { parquetMetadata } from 'hyparquet';
import { parquetHeader } from 'hyparquet/src/column.js';
import { type ColumnSource, parquetWriteBuffer } from 'hyparquet-writer';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sentenceProblem } from '../fuzz/foreignKnownIssues';
import { ModelFileError } from '../models/modelFileError';
import { SeededRandom } from '../random';
import { flatParquet, sparkParquet } from './alsFixtures';
import { readFactorTable } from './factorTable';

const ids = Array.from({ length: 34 }, (_, k) => k + 1);
const rows = ids.map((id) => Array.from({ length: 4 }, (_, k) => Math.sin(id * 31 + k) / 2));
const strIds = Array.from({ length: 30 }, (_, k) => `i${k + 1}`);
const flatRows = strIds.map((_, r) => Array.from({ length: 5 }, (_, k) => Math.cos(r * 17 + k)));

/** Spark's item table as the fuzz's als-parquet-csv base writes it (one row group). */
const spark = () => sparkParquet(ids.map(String), rows, { idType: 'STRING' });
/** The flat DOUBLE table of the fuzz's als-flat-parquet base (row groups of 10 rows). */
const flat = () => flatParquet(strIds, flatRows, { type: 'DOUBLE', rowGroupSize: 10 });

/** The first data page of `path` in row group `group`: where its header starts, its body, its header. */
function firstPage(bytes: Uint8Array, path: string, group = 0) {
  const chunk = parquetMetadata(bytes).row_groups[group].columns.find(
    (c) => c.meta_data?.path_in_schema.join('.') === path,
  )?.meta_data;
  if (!chunk) throw new Error(`no column ${path}`);
  const start = Number(chunk.dictionary_page_offset ?? chunk.data_page_offset);
  const reader = { view: new DataView(bytes.buffer, bytes.byteOffset), offset: start };
  let header = parquetHeader(reader);
  let at = start;
  if (header.type === 'DICTIONARY_PAGE') {
    at = reader.offset += header.compressed_page_size;
    header = parquetHeader(reader);
  }
  return { start: at, body: reader.offset, header };
}

function patched(bytes: Uint8Array, at: number, patch: ArrayLike<number>): Uint8Array {
  const out = bytes.slice();
  out.set(patch, at);
  return out;
}

const footerLength = (bytes: Uint8Array) =>
  new DataView(bytes.buffer, bytes.byteOffset).getUint32(bytes.length - 8, true);

/** `bytes` with its footer replaced by `footer`. */
function withFooter(bytes: Uint8Array, footer: ArrayLike<number>): Uint8Array {
  const data = bytes.subarray(0, bytes.length - 8 - footerLength(bytes));
  const out = new Uint8Array(data.length + footer.length + 8);
  out.set(data);
  out.set(footer, data.length);
  new DataView(out.buffer).setUint32(data.length + footer.length, footer.length, true);
  out.set([0x50, 0x41, 0x52, 0x31], out.length - 4);
  return out;
}

/** `bytes` with occurrence `nth` of `from` in the footer replaced by `to` (as long). */
function footerText(bytes: Uint8Array, from: string, to: string, nth = 0): Uint8Array {
  const text = Buffer.from(bytes).toString('latin1');
  let at = bytes.length - 8 - footerLength(bytes) - 1;
  for (let k = 0; k <= nth; k++) at = text.indexOf(from, at + 1);
  return patched(bytes, at, Buffer.from(to, 'latin1'));
}

function varint(n: number): number[] {
  const out: number[] = [];
  for (let v = n; v >= 128; v = Math.floor(v / 128)) out.push((v % 128) | 128);
  return [...out, Math.floor(n / 128 ** out.length)];
}

/** Thrift: field 1, a list of lists ... `depth` deep, each declaring `n` elements. */
const listBomb = (n: number, depth: number) => [
  0x19,
  ...Array.from({ length: depth }, () => [0xf9, ...varint(n)]).flat(),
];

/** The refusal of reading `bytes` as `name`: a ModelFileError of one sentence, within `ms`. */
async function refusal(bytes: Uint8Array, name: string, ms = 200) {
  const started = performance.now();
  const error = await readFactorTable(bytes, name).then(
    () => null,
    (e: unknown) => e,
  );
  expect(performance.now() - started).toBeLessThan(ms);
  expect(error).toBeInstanceOf(ModelFileError);
  const { message, code } = error as ModelFileError;
  expect(sentenceProblem(message), message).toBeNull();
  expect(message).toContain(name);
  return { message, code };
}

// Unhandled rejections while a test runs (vitest would report them too, after the fact).
const rejections: unknown[] = [];
const onRejection = (reason: unknown) => rejections.push(reason);
beforeEach(() => {
  rejections.length = 0;
  process.on('unhandledRejection', onRejection);
});
afterEach(async () => {
  await new Promise((resolve) => setTimeout(resolve, 10));
  process.off('unhandledRejection', onRejection);
  expect(rejections).toEqual([]);
});

describe('a damaged Parquet factor table is one refusal, in linear time', () => {
  it('parquet-hang: a v2 page header without its level lengths (hyparquet: spins forever)', async () => {
    const b = flat();
    const bytes = patched(b, firstPage(b, 'f1', 1).body - 4, new Uint8Array(55));
    expect(await refusal(bytes, 'part-00000.parquet')).toEqual({
      code: 'invalid-metadata',
      message:
        'part-00000.parquet is a Parquet file, but it is corrupt or truncated: a page header of column "f1" of row group 2 is inconsistent.',
    });
  });

  it('parquet-crash: an RLE run of 2^30 levels in a page of 136 values (hyparquet: "invalid size")', async () => {
    const b = spark();
    const at = firstPage(b, 'features.list.element').body;
    const bytes = patched(b, at, [0x80, 0x80, 0x80, 0x80, 0x08, 0x00]);
    expect(await refusal(bytes, 'item_factors.parquet')).toEqual({
      code: 'invalid-metadata',
      message:
        'item_factors.parquet is a Parquet file, but it is corrupt or truncated: a page of column "features.list.element" of row group 1 has a run of 1073741824 values where 136 are left.',
    });
  });

  it('parquet-slow: a Snappy literal of negative length, and random bytes inserted in a row group', async () => {
    const b = flat();
    const at = firstPage(b, 'f2', 1).body + 3; // after 2 bytes of levels and the Snappy preamble
    const literal = await refusal(patched(b, at, [0xfc, 0xf0, 0xff, 0xff, 0xff]), 'p.parquet');
    expect(literal.message).toBe(
      'p.parquet is a Parquet file, but it is corrupt or truncated: a page of column "f2" of row group 2 has a Snappy literal out of its bounds.',
    );
    const rng = new SeededRandom(7, 'parquet-slow');
    const start = firstPage(b, 'id', 1).start;
    for (let k = 0; k < 40; k++) {
      const at = rng.int(start, b.length - 600);
      const inserted = Uint8Array.from({ length: 25 }, () => rng.int(0, 255));
      const bytes = new Uint8Array(b.length + 25);
      bytes.set(b.subarray(0, at));
      bytes.set(inserted, at);
      bytes.set(b.subarray(at), at + 25);
      const error = await readFactorTable(bytes, 'p.parquet').catch((e: unknown) => e);
      if (!(error instanceof ModelFileError)) throw error ?? new Error('inserted bytes were read');
      expect(sentenceProblem(error.message), error.message).toBeNull();
    }
  });

  it('parquet-unhandled-rejection: a column the schema lacks and a broken page of another', async () => {
    const b = footerText(spark(), 'list', '\x03ist');
    const bytes = patched(b, firstPage(b, 'id').body + 1, [0x01, 0xff]);
    expect(await refusal(bytes, 'item_factors.parquet')).toEqual({
      code: 'invalid-metadata',
      message:
        'item_factors.parquet is a Parquet file, but it is corrupt or truncated: row group 1 holds a column chunk its schema does not have.',
    });
  });

  it('parquet-error-text: names and bytes from the file are not quoted raw', async () => {
    const nul = await refusal(footerText(spark(), 'element', 'ele\0\0\0t', 1), 'n.parquet');
    expect(nul.message).toBe(
      'n.parquet is a Parquet file, but it is corrupt or truncated: row group 1 holds a column chunk its schema does not have.',
    );
    const named = (name: string, data: ColumnSource['data'], type: ColumnSource['type']) =>
      new Uint8Array(
        parquetWriteBuffer({
          columnData: [
            { name: 'id', data: [1, 2], type: 'INT32' },
            { name, data, type },
          ],
        }),
      );
    const column = await refusal(named('f\u0000\n\u001b1', ['a', 'b'], 'STRING'), 'c.parquet');
    expect(column.message).toBe(
      'Column f? ?1 of c.parquet is BYTE_ARRAY, not a number: a flat factor table holds an id and numeric factor columns only.',
    );
    const twice = await refusal(named('id', [3, 4], 'INT32'), 'd.parquet');
    expect(twice.message).toBe('d.parquet has two columns named "id" in its schema.');
  });

  it('refuses Thrift that declares lists of 30 million elements, in the footer or a page header', async () => {
    const footer = await refusal(
      withFooter(spark(), [...listBomb(30_000_000, 6), 0, 0]),
      'f.parquet',
      50,
    );
    expect(footer.message).toBe(
      'f.parquet starts like a Parquet file but its footer cannot be read (a Thrift field claims 30000000 items): is it truncated?',
    );
    const b = flat();
    const page = firstPage(b, 'f0', 1);
    const bomb = listBomb(30_000_000, 3);
    const header = patched(b, page.start, [
      ...bomb,
      ...new Array(page.body - page.start - bomb.length).fill(0),
    ]);
    expect((await refusal(header, 'h.parquet', 50)).message).toBe(
      'h.parquet is a Parquet file, but it is corrupt or truncated: a page of column "f0" of row group 2 has a header that cannot be read (a Thrift field claims 30000000 items).',
    );
  });

  it('refuses a bit-packed run of -8 dictionary indices of width 0 (hyparquet: counts down forever)', async () => {
    const b = new Uint8Array(
      parquetWriteBuffer({
        columnData: [
          { name: 'id', data: strIds, type: 'STRING' },
          {
            name: 'f0',
            data: strIds.map((_, r) => (r % 3) / 4),
            type: 'DOUBLE',
            encoding: 'RLE_DICTIONARY',
          },
        ],
        codec: 'UNCOMPRESSED',
      }),
    );
    const page = firstPage(b, 'f0');
    const levels = page.header.data_page_header_v2?.definition_levels_byte_length ?? 0;
    const bytes = patched(b, page.body + levels, [0, 0xff, 0xff, 0xff, 0xff, 0x0f]);
    expect((await refusal(bytes, 'r.parquet')).message).toBe(
      'r.parquet is a Parquet file, but it is corrupt or truncated: a page of column "f0" of row group 1 has a run of -8 values where 30 are left.',
    );
  });

  it('any flipped byte of the data pages: a table or one refusal, each within milliseconds', async () => {
    for (const base of [spark(), flat()]) {
      const dataEnd = base.length - 8 - footerLength(base);
      for (let at = 4; at < dataEnd; at += 5) {
        const bytes = patched(base, at, [base[at] ^ (at % 2 ? 0xff : 0x80)]);
        const started = performance.now();
        const error = await readFactorTable(bytes, 'x.parquet').then(
          () => null,
          (e: unknown) => e,
        );
        expect(performance.now() - started).toBeLessThan(100);
        if (error === null) continue;
        if (!(error instanceof ModelFileError)) throw error;
        expect(sentenceProblem(error.message), error.message).toBeNull();
      }
    }
  });
});

describe('valid tables read as before', () => {
  const expectTable = async (bytes: Uint8Array, wantIds: unknown[], wantRows: number[][]) => {
    const t = await readFactorTable(bytes, 't.parquet');
    expect(t.ids).toEqual(wantIds.map(String));
    expect(Array.from(t.factors)).toEqual(wantRows.flat().map(Math.fround));
  };

  it('reads the fuzz layouts, and dictionary, delta and byte-stream-split encodings, over several pages', async () => {
    await expectTable(spark(), ids, rows);
    await expectTable(flat(), strIds, flatRows);
    await expectTable(sparkParquet(ids, rows, { rowGroupSize: 8, idType: 'INT32' }), ids, rows);
    const many = Array.from({ length: 600 }, (_, r) => r * 3 + 1);
    const values = many.map((r) => [(r % 5) / 4, Math.sin(r), (r % 2) - 0.5]);
    const columns = (
      idEncoding: ColumnSource['encoding'],
      idType: ColumnSource['type'],
    ): ColumnSource[] => [
      {
        name: 'id',
        data: idType === 'STRING' ? many.map(String) : many,
        type: idType,
        encoding: idEncoding,
      },
      { name: 'a', data: values.map((v) => v[0]), type: 'DOUBLE', encoding: 'RLE_DICTIONARY' },
      { name: 'b', data: values.map((v) => v[1]), type: 'FLOAT', encoding: 'BYTE_STREAM_SPLIT' },
      { name: 'c', data: values.map((v) => v[2]), type: 'DOUBLE' },
    ];
    for (const [encoding, type] of [
      ['DELTA_BINARY_PACKED', 'INT32'],
      ['DELTA_BYTE_ARRAY', 'STRING'],
      ['DELTA_LENGTH_BYTE_ARRAY', 'STRING'],
      ['RLE_DICTIONARY', 'STRING'],
    ] as const) {
      for (const codec of ['SNAPPY', 'UNCOMPRESSED'] as const) {
        const bytes = parquetWriteBuffer({
          columnData: columns(encoding, type),
          codec,
          pageSize: 500,
          rowGroupSize: 250,
        });
        await expectTable(new Uint8Array(bytes), many, values);
      }
    }
  });
});
