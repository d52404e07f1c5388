/**
 * The bytes of a Parquet factor table checked where hyparquet would run or allocate by a count
 * they declare, before it parses or decodes them (factorParquet.ts's guardedSource): Thrift
 * (the footer, page headers) whose lists and binaries fit their bytes; then, after
 * ../data/parquetPages.ts's checkPages, pages whose Snappy blocks, level and dictionary-index runs (hyparquet writes
 * every value of an RLE run, even billions past its array: "invalid size" aborts the process;
 * it counts a negative bit-packed run down without end) and delta headers stay within the
 * values and bytes the page has, and a nested column whose pages hold no more values together
 * than their bytes can. Linear in the chunk's (decompressed) bytes.
 */
import type { CompressionCodec, PageHeader, SchemaTree } from 'hyparquet';
import { parquetHeader } from 'hyparquet/src/column.js';
import { decompressPage } from 'hyparquet/src/datapage.js';
import { deltaBinaryUnpack } from 'hyparquet/src/delta.js';
import { getMaxDefinitionLevel, getMaxRepetitionLevel } from 'hyparquet/src/schema.js';
import { readVarInt } from 'hyparquet/src/thrift.js';
import { COMPRESSORS } from '../data/parquetPages';
import type { ChunkPlan, ParquetGroup } from '../data/parquetTable';
import { errorReason } from '../models/fileText';
import { ModelFileError } from '../models/modelFileError';
import { count } from './factorBuilder';

/** What the content checks of one column chunk need to know. */
export interface ChunkCheck {
  chunk: ChunkPlan;
  group: ParquetGroup;
  /** hyparquet's schema path of the chunk's leaf (root first). */
  schemaPath: SchemaTree[];
  type: string;
}

/** A page's fault: a refusal naming the page's column and row group. */
export type Fail = (what: string) => never;

/**
 * Walks an RLE / bit-packed hybrid stream from `start` as hyparquet's readRleBitPackedHybrid
 * does, to `values` values: refuses a run past `end`, an RLE run longer than the values left,
 * a bit-packed run of a negative or too large count. Counts the values equal to `match`.
 */
function checkRuns(
  page: Uint8Array,
  start: number,
  end: number,
  width: number,
  values: number,
  match: number,
  fail: Fail,
): { matched: number; end: number } {
  if (!(Number.isInteger(width) && width >= 0 && width <= 32)) fail(`has a bit width of ${width}`);
  if (!(Number.isInteger(values) && values >= 0)) fail(`claims ${values} values`);
  const reader = { view: new DataView(page.buffer, page.byteOffset, end), offset: start };
  const valueBytes = (width + 7) >> 3;
  let seen = 0;
  let matched = 0;
  while (seen < values) {
    if (reader.offset >= end) fail('has fewer levels or indices than values');
    const header = readVarInt(reader);
    const left = values - seen;
    if (header & 1) {
      const run = (header >> 1) << 3; // hyparquet's int32 arithmetic
      if (run < 0 || run > left + 7) fail(`has a run of ${run} values where ${left} are left`);
      const base = reader.offset;
      // What hyparquet's readBitPacked consumes: a first byte whatever the width, then the run.
      const bytes = run === 0 || width === 0 ? (base < end ? 1 : 0) : (run * width) / 8;
      if (base + bytes > end) fail('has a run past its end');
      if (match >= 0) {
        const take = Math.min(run, left);
        for (let i = 0; i < take; i++) {
          let v = 0;
          for (let b = 0; b < width; b++) {
            const bit = i * width + b;
            v |= ((page[base + (bit >> 3)] >> (bit & 7)) & 1) << b;
          }
          if (v === match) matched++;
        }
      }
      reader.offset = base + bytes;
      seen += Math.min(run, left);
    } else {
      const run = header >>> 1;
      if (run > left) fail(`has a run of ${run} values where ${left} are left`);
      if (reader.offset + valueBytes > end) fail('has a run past its end');
      let v = 0;
      for (let b = 0; b < valueBytes; b++) v |= page[reader.offset + b] << (8 * b);
      if (v === match) matched += run;
      reader.offset += valueBytes;
      seen += run;
    }
  }
  return { matched, end: reader.offset };
}

/**
 * Walks the Thrift compact struct at `at` as hyparquet's deserializeTCompactProtocol does,
 * throwing at a list longer than the bytes left (hyparquet allocates it whole first: 30 million
 * elements take a second and 240 MB, a few nested ones more memory than there is) or such a
 * binary. Returns where the struct ends.
 */
export function checkThrift(bytes: Uint8Array, at: number, end: number): number {
  let pos = at;
  const byte = () => {
    if (pos >= end) throw new Error('it ends inside a Thrift struct');
    return bytes[pos++];
  };
  const varint = () => {
    let result = 0;
    let shift = 0;
    for (let b = byte(); ; b = byte(), shift += 7) {
      result |= (b & 0x7f) << shift; // hyparquet's readVarInt, int32 wrap included
      if (!(b & 0x80)) return result;
    }
  };
  const element = (type: number): void => {
    if (type === 3) byte();
    else if (type >= 4 && type <= 6) varint();
    else if (type === 7) for (let k = 0; k < 8; k++) byte();
    else if (type === 8 || type === 9) {
      const head = type === 9 ? byte() : 0;
      const n = type === 8 ? varint() : head >> 4 === 15 ? varint() : head >> 4;
      if (!(n >= 0 && n <= end - pos)) throw new Error(`a Thrift field claims ${n} items`);
      if (type === 8) pos += n;
      else
        for (let k = 0; k < n; k++) element((head & 15) === 1 || (head & 15) === 2 ? 3 : head & 15);
    } else if (type === 12) struct();
    else if (type !== 1 && type !== 2) throw new Error(`an unknown Thrift type ${type}`);
  };
  const struct = (): void => {
    for (let head = byte(); head & 15; head = byte()) {
      if (head >> 4 === 0) varint();
      element(head & 15);
    }
  };
  struct();
  return pos;
}

/**
 * Walks the Thrift of a column chunk's page headers before anything parses them, as far as
 * checkPages (and hyparquet) will read: each header's page size leads to the next, and a flat
 * column ends at its rows. What is wrong with a header's values checkPages says.
 */
export function checkHeaders(bytes: Uint8Array, c: ChunkCheck, fail: Fail): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 0;
  let values = 0;
  while (offset < bytes.length - 1 && !(c.chunk.flat && values >= c.group.rows)) {
    try {
      checkThrift(bytes, offset, bytes.length);
    } catch (error) {
      fail(`has a header that cannot be read (${errorReason(error, 100)})`);
    }
    const reader = { view, offset };
    const header = parquetHeader(reader);
    const size = header.compressed_page_size;
    const n = (header.data_page_header ?? header.data_page_header_v2)?.num_values ?? 0;
    if (!(Number.isInteger(size) && size >= 0 && Number.isInteger(n))) return;
    values += n;
    offset = reader.offset + size;
  }
}

/**
 * Walks a Snappy block as hyparquet's snappyUncompress does, refusing what it would loop on:
 * a literal whose length (a 4-byte length is an int32 there) is not positive moves its read
 * position backwards, over and over. Also a copy from before the start or past `size` bytes.
 */
function checkSnappy(input: Uint8Array, size: number, fail: Fail): void {
  let pos = 0;
  while (pos < input.length && input[pos++] >= 128); // the preamble (the length, as a varint)
  let out = 0;
  while (pos < input.length) {
    const c = input[pos++];
    let len: number;
    if ((c & 3) === 0) {
      len = (c >>> 2) + 1;
      if (len > 60) {
        const bytes = len - 60;
        len = 0;
        for (let k = 0; k < bytes; k++) len |= input[pos + k] << (8 * k);
        len = (len & [0, 0xff, 0xffff, 0xffffff, 0xffffffff][bytes]) + 1;
        pos += bytes;
      }
      if (!(len > 0 && pos + len <= input.length)) fail('has a Snappy literal out of its bounds');
      pos += len;
    } else {
      const kind = c & 3;
      const bytes = kind === 1 ? 1 : kind === 2 ? 2 : 4;
      len = kind === 1 ? ((c >>> 2) & 7) + 4 : (c >>> 2) + 1;
      let offset = kind === 1 ? (c >>> 5) << 8 : 0;
      for (let k = 0; k < bytes; k++) offset += input[pos + k] << (8 * k);
      pos += bytes;
      if (!(offset > 0 && offset <= out && pos <= input.length)) {
        fail('has a Snappy copy from before its start');
      }
    }
    out += len;
    if (out > size) fail(`has Snappy data for more than its ${count(size)} bytes`);
  }
}

/** A stream hyparquet reads with its length first (v1 levels, booleans): where it ends. */
function checkPrefixedRuns(
  page: Uint8Array,
  at: number,
  width: number,
  values: number,
  match: number,
  fail: Fail,
): { matched: number; end: number } {
  if (at + 4 > page.length) fail('ends before its levels');
  const length = new DataView(page.buffer, page.byteOffset + at, 4).getUint32(0, true);
  if (at + 4 + length > page.length) fail('has levels past its end');
  const { matched } = checkRuns(page, at + 4, at + 4 + length, width, values, match, fail);
  return { matched, end: at + 4 + length };
}

const DICTIONARY = new Set(['PLAIN_DICTIONARY', 'RLE_DICTIONARY', 'RLE']);
const SAFE = new Set(['PLAIN', 'BYTE_STREAM_SPLIT']);

/**
 * The values of a data page from `at` (decompressed), as hyparquet decodes `n` of them with
 * `encoding`: dictionary indices' runs, the delta encodings' block headers and (for
 * DELTA_BYTE_ARRAY) the prefix lengths, which hyparquet allocates from.
 */
function checkValues(
  page: Uint8Array,
  at: number,
  n: number,
  encoding: string | undefined,
  c: ChunkCheck,
  v2: boolean,
  fail: Fail,
): void {
  if (!(Number.isInteger(n) && n >= 0)) fail(`claims ${n} values`);
  if (!encoding) fail('is encoded in a way Parquet does not define');
  if (SAFE.has(encoding) || n === 0) return;
  if (encoding === 'RLE' && (v2 || c.type === 'BOOLEAN')) {
    checkPrefixedRuns(page, at, 1, n, -1, fail); // booleans, their length first
    return;
  }
  if (DICTIONARY.has(encoding)) {
    if (at >= page.length) fail('ends before its values');
    const width = page[at];
    if (width > 0 || v2) checkRuns(page, at + 1, page.length, width, n, -1, fail);
    return;
  }
  if (encoding.startsWith('DELTA_')) {
    const reader = { view: new DataView(page.buffer, page.byteOffset, page.length), offset: at };
    const block = readVarInt(reader);
    const miniblocks = readVarInt(reader);
    if (
      !(block > 0 && block % 128 === 0 && miniblocks > 0 && miniblocks <= page.length) ||
      block % miniblocks !== 0 ||
      (block / miniblocks) % 32 !== 0
    ) {
      fail(`has a ${encoding} block header no writer writes`);
    }
    if (encoding !== 'DELTA_BYTE_ARRAY') return;
    // hyparquet allocates prefix + suffix bytes per value: the prefixes must be of the value
    // before, the suffixes in the page, and all of it a bounded multiple of the page's bytes.
    reader.offset = at;
    const prefixes = new Int32Array(n);
    const suffixes = new Int32Array(n);
    deltaBinaryUnpack(reader, n, prefixes);
    deltaBinaryUnpack(reader, n, suffixes);
    let previous = 0;
    let room = page.length - reader.offset;
    let total = 0;
    for (let i = 0; i < n; i++) {
      const p = prefixes[i];
      const s = suffixes[i];
      total += p + s;
      if (p < 0 || p > previous || s < 0 || s > room || total > 256 * page.length + 4096) {
        fail('has string lengths its bytes cannot hold');
      }
      room -= s;
      previous = p + s;
    }
    return;
  }
  fail(`is encoded with ${encoding}, which factor tables are not read in`);
}

/**
 * Checks one data page's body (`body`, as stored) as hyparquet will decode it: its level runs
 * and its values' runs and headers. Returns the page's value count.
 */
function checkDataPage(header: PageHeader, body: Uint8Array, c: ChunkCheck, fail: Fail): number {
  const maxRep = getMaxRepetitionLevel(c.schemaPath);
  const maxDef = getMaxDefinitionLevel(c.schemaPath);
  const bitWidth = (level: number) => 32 - Math.clz32(level);
  const unpack = (bytes: Uint8Array, size: number) => {
    if (c.chunk.codec === 'SNAPPY') checkSnappy(bytes, size, fail);
    try {
      return decompressPage(bytes, size, c.chunk.codec as CompressionCodec, COMPRESSORS);
    } catch (error) {
      return fail(`cannot be decompressed (${errorReason(error, 100)})`);
    }
  };
  const v1 = header.data_page_header;
  if (header.type === 'DATA_PAGE' && v1) {
    const n = v1.num_values;
    const page = unpack(body, header.uncompressed_page_size);
    let at = 0;
    if (maxRep) at = checkPrefixedRuns(page, at, bitWidth(maxRep), n, -1, fail).end;
    let nulls = 0;
    if (maxDef) {
      const levels = checkPrefixedRuns(page, at, bitWidth(maxDef), n, maxDef, fail);
      nulls = n - levels.matched;
      at = levels.end;
    }
    checkValues(page, at, n - nulls, v1.encoding, c, false, fail);
    return n;
  }
  const v2 = header.data_page_header_v2;
  if (header.type === 'DATA_PAGE_V2' && v2) {
    const n = v2.num_values;
    const repBytes = v2.repetition_levels_byte_length;
    const defBytes = v2.definition_levels_byte_length;
    if (!(Number.isInteger(v2.num_nulls) && v2.num_nulls >= 0 && v2.num_nulls <= n)) {
      fail(`claims ${v2.num_nulls} nulls among ${n} values`);
    }
    if (!(repBytes >= 0 && defBytes >= 0)) fail('has levels of a negative length');
    if (maxRep) checkRuns(body, 0, repBytes, bitWidth(maxRep), n, -1, fail);
    if (maxDef) checkRuns(body, repBytes, repBytes + defBytes, bitWidth(maxDef), n, -1, fail);
    const at = maxDef ? repBytes + defBytes : repBytes;
    const size = header.uncompressed_page_size - repBytes - defBytes;
    if (size < 0) fail('claims fewer bytes uncompressed than its levels take');
    let page = body.subarray(at);
    if (v2.is_compressed !== false && size) page = unpack(page, size);
    checkValues(page, 0, n - v2.num_nulls, v2.encoding, c, true, fail);
    return n;
  }
  if (header.type === 'DICTIONARY_PAGE') unpack(body, header.uncompressed_page_size);
  return 0;
}

/**
 * Checks what the pages of one column chunk hold, page by page, after checkPages has checked
 * their headers: runs, delta headers, and (a nested column's values are bound by the rows and
 * the bytes of each page, not of the chunk) that all its pages' values together fit the chunk.
 */
export function checkChunk(bytes: Uint8Array, c: ChunkCheck, fail: Fail): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 0;
  let values = 0;
  let unpacked = 0;
  while (offset < bytes.length - 1) {
    const reader = { view, offset };
    const header = parquetHeader(reader);
    const body = bytes.subarray(reader.offset, reader.offset + header.compressed_page_size);
    offset = reader.offset + header.compressed_page_size;
    unpacked += header.uncompressed_page_size;
    try {
      values += checkDataPage(header, body, c, fail);
    } catch (error) {
      if (error instanceof ModelFileError) throw error;
      fail(`cannot be read (${errorReason(error, 100)})`);
    }
    if (c.chunk.flat && values >= c.group.rows) return;
    if (!c.chunk.flat && values > c.group.rows + 8 * unpacked + 8) {
      fail(`holds ${count(values)} values with the pages before it, more than their bytes can`);
    }
  }
}
