/**
 * The pages of a Parquet column chunk, checked before hyparquet decodes anything from them:
 * each header's sizes lie within the chunk and are ones the codec can produce, and its value
 * count fits the row group. Also hyparquet's conversions and decompressors as Interest Lens
 * uses them (times as epoch milliseconds, Snappy with its size checked).
 */
import {
  type Compressors,
  type PageHeader,
  type ParquetParsers,
  snappyUncompress,
} from 'hyparquet';
import { parquetHeader } from 'hyparquet/src/column.js';
import {
  type ChunkPlan,
  corruptParquet,
  count,
  firstLine,
  type ParquetGroup,
} from './parquetTable';
import type { ByteSource } from './types';

/** Snappy emits at most 64 bytes per 3 input bytes (a copy with a 2-byte offset). */
const SNAPPY_MAX_RATIO = 22;

/**
 * hyparquet's conversions, changed so that every time arrives as epoch milliseconds (a
 * number, as a CSV would write it) rather than a Date; sub-millisecond parts are floored.
 */
export const PARSERS: Partial<ParquetParsers> = {
  timestampFromMilliseconds: (millis: bigint) => Number(millis),
  timestampFromMicroseconds: (micros: bigint) => Number(floorDiv(micros, 1000n)),
  timestampFromNanoseconds: (nanos: bigint) => Number(floorDiv(nanos, 1_000_000n)),
  dateFromDays: (days: number) => days * 86_400_000,
};

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a < 0n && q * b !== a ? q - 1n : q;
}

/** Snappy through hyparquet, after checking the declared size is one Snappy can produce. */
export const COMPRESSORS: Compressors = {
  SNAPPY: (input: Uint8Array, outputLength: number) => {
    if (outputLength > SNAPPY_MAX_RATIO * input.length + 64) {
      throw corruptParquet(
        `a page claims ${count(outputLength)} bytes uncompressed from ${count(input.length)} Snappy bytes`,
      );
    }
    const output = new Uint8Array(outputLength);
    snappyUncompress(input, output);
    return output;
  },
};

/** How far a walk over a column chunk's pages has got. */
interface PageWalk {
  /** Values of the data pages so far. */
  values: number;
}

/**
 * Checks one page header before anything is decoded from it: its bytes lie within the chunk
 * (`room` bytes from the header's end), its uncompressed size is one the codec can produce,
 * and its value count fits the row group (a flat column holds exactly one value per row).
 * Returns the page's bytes after the header.
 */
function checkPage(
  header: PageHeader,
  room: number,
  chunk: ChunkPlan,
  group: ParquetGroup,
  walk: PageWalk,
): number {
  const where = `column "${chunk.path}" of row group ${group.index + 1}`;
  const compressed = header.compressed_page_size;
  const uncompressed = header.uncompressed_page_size;
  if (!(Number.isInteger(compressed) && compressed >= 0 && compressed <= room)) {
    throw corruptParquet(`a page of ${where} runs past the end of its column chunk`);
  }
  const maxRatio = chunk.codec === 'SNAPPY' ? SNAPPY_MAX_RATIO : 1;
  if (
    !(Number.isInteger(uncompressed) && uncompressed >= 0) ||
    uncompressed > maxRatio * compressed + 64
  ) {
    throw corruptParquet(
      `a page of ${where} claims ${count(uncompressed)} bytes uncompressed from ${count(compressed)} bytes`,
    );
  }
  if (header.type === 'DATA_PAGE' || header.type === 'DATA_PAGE_V2') {
    // Nested and repeated columns hold a value per list element: bound them by the page bytes.
    const maxValues = chunk.flat ? group.rows - walk.values : group.rows + 8 * uncompressed + 8;
    const v1 = header.data_page_header;
    const v2 = header.data_page_header_v2;
    const n = v1 ? v1.num_values : v2 ? v2.num_values : Number.NaN;
    if (!(Number.isInteger(n) && n >= 0 && n <= maxValues)) {
      throw corruptParquet(
        `a page of ${where} claims ${count(n)} values, more than its ${count(group.rows)} rows hold`,
      );
    }
    if (v2) {
      const levels = v2.definition_levels_byte_length + v2.repetition_levels_byte_length;
      if (!(v2.num_rows >= 0 && v2.num_rows <= n && levels >= 0 && levels <= compressed)) {
        throw corruptParquet(`a page header of ${where} is inconsistent`);
      }
    }
    walk.values += n;
  } else if (header.type === 'DICTIONARY_PAGE') {
    const n = header.dictionary_page_header?.num_values ?? Number.NaN;
    if (!(Number.isInteger(n) && n >= 0 && n <= 8 * uncompressed + 8)) {
      throw corruptParquet(`the dictionary of ${where} claims ${count(n)} values`);
    }
  }
  return compressed;
}

function readHeader(
  view: DataView,
  offset: number,
  where: string,
): { header: PageHeader; end: number } {
  const reader = { view, offset };
  try {
    const header = parquetHeader(reader);
    return { header, end: reader.offset };
  } catch (error) {
    throw corruptParquet(`a page header of ${where} cannot be read (${firstLine(error)})`);
  }
}

/** Checks every page header of a whole column chunk (linear in its pages), as hyparquet walks it. */
export function checkPages(bytes: Uint8Array, chunk: ChunkPlan, group: ParquetGroup): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const where = `column "${chunk.path}" of row group ${group.index + 1}`;
  const walk: PageWalk = { values: 0 };
  let offset = 0;
  while (offset < bytes.length - 1) {
    const { header, end } = readHeader(view, offset, where);
    offset = end + checkPage(header, bytes.length - end, chunk, group, walk);
    if (chunk.flat && walk.values >= group.rows) return;
  }
  if (walk.values < group.rows) {
    throw corruptParquet(
      `${where} holds ${count(walk.values)} values for ${count(group.rows)} rows`,
    );
  }
}

/**
 * The leading pages of a column chunk that hold its first `rows` rows (and its dictionary),
 * each header checked as it is read: what detection needs, without reading the whole chunk.
 */
export async function chunkPrefix(
  source: ByteSource,
  chunk: ChunkPlan,
  group: ParquetGroup,
  rows: number,
): Promise<Uint8Array> {
  const where = `column "${chunk.path}" of row group ${group.index + 1}`;
  const length = chunk.end - chunk.start;
  const walk: PageWalk = { values: 0 };
  // The chunk's leading bytes, read in growing steps (so the reads add up to at most twice
  // what is needed, plus 64 KiB).
  let buffer = await source.read(chunk.start, chunk.start + Math.min(length, 1 << 16));
  const extendTo = async (needed: number) => {
    const size = Math.min(length, Math.max(needed, 2 * buffer.length));
    const more = await source.read(chunk.start + buffer.length, chunk.start + size);
    const grown = new Uint8Array(buffer.length + more.length);
    grown.set(buffer);
    grown.set(more, buffer.length);
    buffer = grown;
  };
  let offset = 0;
  while (offset < length - 1 && walk.values < rows) {
    let parsed: { header: PageHeader; end: number } | null = null;
    while (parsed === null) {
      const view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
      const reader = { view, offset };
      try {
        parsed = { header: parquetHeader(reader), end: reader.offset };
      } catch (error) {
        // A header cut off by what has been read so far: read on (a real header, statistics
        // included, is far below 4 MiB).
        if (buffer.length >= length || buffer.length - offset >= 1 << 22) {
          throw corruptParquet(`a page header of ${where} cannot be read (${firstLine(error)})`);
        }
        await extendTo(offset + (1 << 16));
      }
    }
    const pageEnd = parsed.end + checkPage(parsed.header, length - parsed.end, chunk, group, walk);
    if (pageEnd > buffer.length) await extendTo(pageEnd);
    offset = pageEnd;
  }
  if (walk.values < Math.min(rows, group.rows)) {
    throw corruptParquet(
      `${where} holds ${count(walk.values)} values for ${count(group.rows)} rows`,
    );
  }
  return buffer.subarray(0, offset);
}
