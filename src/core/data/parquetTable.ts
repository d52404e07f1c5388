/**
 * A Parquet file as a table of named columns, read with hyparquet from any {@link ByteSource}
 * (a Blob in the worker, a file handle in Node): only the footer and the chunks of the columns
 * asked for are read, one row group (or one range of a large row group) at a time.
 *
 * Nothing is allocated from a size the file declares before that size is checked against the
 * file: the footer's length, row counts (which must add up, fit the file's bytes and the
 * 2^31 rows a load can number), every column chunk's byte range, and, before hyparquet decodes
 * a chunk, each page's sizes and value counts. A file that fails a check gets one sentence
 * saying it is a corrupt or truncated Parquet file, and what is wrong.
 */
import {
  type AsyncBuffer,
  type ColumnMetaData,
  type Compressors,
  type FileMetaData,
  type PageHeader,
  type ParquetParsers,
  parquetMetadata,
  parquetRead,
  parquetSchema,
  type SchemaElement,
  type SchemaTree,
  snappyUncompress,
} from 'hyparquet';
import { parquetHeader } from 'hyparquet/src/column.js';
import { type ByteSource, IngestError } from './types';

/** A footer above this is refused: parsed, it would take several times as much memory. */
export const MAX_FOOTER_BYTES = 64 << 20;
/** The mapped columns of one row group are read into memory at once, up to this many bytes. */
export const MAX_GROUP_READ_BYTES = 512 << 20;
/**
 * Rows a file can plausibly hold per byte: even a behaviour log whose ids repeat in long runs
 * spends more than 1/8 of a bit per row. More than this and the footer is lying.
 */
export const MAX_ROWS_PER_BYTE = 64;
/** Rows are numbered like lines of the same table as CSV (first row = 2) in an Int32Array. */
export const MAX_PARQUET_ROWS = 2 ** 31 - 3;
/** A row group with more rows than this is decoded in ranges of this many rows. */
export const READ_RANGE_ROWS = 1 << 19;
/** Snappy emits at most 64 bytes per 3 input bytes (a copy with a 2-byte offset). */
const SNAPPY_MAX_RATIO = 22;

const SUPPORTED_CODECS = new Set(['UNCOMPRESSED', 'SNAPPY']);

/** One top-level column of the table, as the mapping step shows it. */
export interface ParquetColumn {
  index: number;
  name: string;
  /** Typed as time by the file (TIMESTAMP, DATE, INT96): its cells read as epoch milliseconds. */
  nativeTime: boolean;
  /** A one-line description of its Parquet type, for notices. */
  typeName: string;
}

/** One column chunk: where its bytes lie and how to check its pages. */
interface ChunkPlan {
  column: number;
  path: string;
  start: number;
  end: number;
  codec: string;
  /** A plain (non-nested, non-repeated) column: one value per row. */
  flat: boolean;
}

export interface ParquetGroup {
  index: number;
  /** First row of the group in the file (0-based). */
  rowStart: number;
  rows: number;
  chunks: ChunkPlan[];
  /** The end of the group's last column chunk: what "bytes read" reports after it. */
  byteEnd: number;
}

export interface ParquetTable {
  source: ByteSource;
  metadata: FileMetaData;
  columns: ParquetColumn[];
  rows: number;
  groups: ParquetGroup[];
}

/** The one-sentence error for a file that is Parquet but cannot be read as such. */
export function corruptParquet(detail: string): IngestError {
  return new IngestError(
    `This file is a Parquet file, but it is corrupt or truncated: ${detail}.`,
    'not-a-table',
  );
}

const count = (n: number) => n.toLocaleString('en-US');

function safeNumber(value: bigint | number | undefined, what: string): number {
  const n = typeof value === 'bigint' ? Number(value) : (value ?? Number.NaN);
  if (!Number.isSafeInteger(n) || n < 0) throw corruptParquet(`${what} is ${String(value)}`);
  return n;
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const line = message.split('\n')[0].replace(/\.$/, '');
  return line.length > 100 ? `${line.slice(0, 100)}…` : line;
}

function describeType(element: SchemaElement, tree: SchemaTree): string {
  if (tree.children.length > 0) {
    const logical = element.logical_type?.type ?? element.converted_type;
    return logical ? `${logical.toLowerCase()} (nested)` : 'struct (nested)';
  }
  const logical = element.logical_type?.type ?? element.converted_type;
  return logical ? `${element.type} ${logical}` : String(element.type);
}

function isNativeTime(element: SchemaElement, tree: SchemaTree): boolean {
  if (tree.children.length > 0) return false;
  const logical = element.logical_type?.type;
  const converted = element.converted_type;
  return (
    logical === 'TIMESTAMP' ||
    logical === 'DATE' ||
    converted === 'TIMESTAMP_MILLIS' ||
    converted === 'TIMESTAMP_MICROS' ||
    converted === 'DATE' ||
    (element.type === 'INT96' && !converted)
  );
}

/**
 * Reads and checks the footer of a Parquet file: schema, row groups and where each column
 * chunk lies. Reads only the last bytes of the file.
 */
export async function openParquet(source: ByteSource): Promise<ParquetTable> {
  const size = source.size;
  if (size < 12) {
    throw corruptParquet(`it is only ${size} bytes long, too short to hold a Parquet footer`);
  }
  const tail = await source.read(size - 8, size);
  if (tail[4] !== 0x50 || tail[5] !== 0x41 || tail[6] !== 0x52 || tail[7] !== 0x31) {
    throw corruptParquet(
      'it does not end with the Parquet footer, so it was probably cut short while being copied or downloaded',
    );
  }
  const footerBytes = (tail[0] | (tail[1] << 8) | (tail[2] << 16) | (tail[3] << 24)) >>> 0;
  if (footerBytes > size - 12) {
    throw corruptParquet(
      `its footer claims ${count(footerBytes)} bytes, more than the ${count(size)}-byte file holds`,
    );
  }
  if (footerBytes > MAX_FOOTER_BYTES) {
    throw new IngestError(
      `This Parquet file's footer (its schema and row-group index) is ${(footerBytes / 2 ** 20).toFixed(0)} MiB, above the ${MAX_FOOTER_BYTES / 2 ** 20} MiB we read: write it with fewer, larger row groups.`,
      'too-large',
    );
  }
  const dataEnd = size - 8 - footerBytes;
  const footer = await source.read(dataEnd, size);
  let metadata: FileMetaData;
  let schema: SchemaTree;
  try {
    metadata = parquetMetadata(footer);
    schema = parquetSchema(metadata);
  } catch (error) {
    throw corruptParquet(`its footer cannot be read (${firstLine(error)})`);
  }
  if (!Array.isArray(metadata.row_groups) || !Array.isArray(schema.children)) {
    throw corruptParquet('its footer has no schema or row groups');
  }

  const columns: ParquetColumn[] = schema.children.map((child, index) => ({
    index,
    name: String(child.element.name),
    nativeTime: isNativeTime(child.element, child),
    typeName: describeType(child.element, child),
  }));
  const topIndex = new Map(columns.map((c) => [c.name, c.index]));
  const leaves = leafPaths(schema);

  const rows = safeNumber(metadata.num_rows, 'its row count');
  if (rows > MAX_ROWS_PER_BYTE * size + 1024) {
    throw corruptParquet(
      `its footer declares ${count(rows)} rows, impossible in a file of ${count(size)} bytes`,
    );
  }
  const groups: ParquetGroup[] = [];
  let rowStart = 0;
  for (let g = 0; g < metadata.row_groups.length; g++) {
    const group = metadata.row_groups[g];
    const groupRows = safeNumber(group.num_rows, `the row count of row group ${g + 1}`);
    if (!Array.isArray(group.columns) || group.columns.length !== leaves.length) {
      throw corruptParquet(
        `row group ${g + 1} has ${group.columns?.length ?? 0} column chunks for the schema's ${leaves.length} columns`,
      );
    }
    const chunks: ChunkPlan[] = [];
    let byteEnd = 0;
    for (let c = 0; c < group.columns.length; c++) {
      const chunk = group.columns[c];
      if (chunk.file_path) {
        throw new IngestError(
          `This Parquet file keeps its data in another file ("${chunk.file_path}"), which cannot be read from here: write it as one self-contained file.`,
          'not-a-table',
        );
      }
      const meta = chunk.meta_data as ColumnMetaData | undefined;
      if (!meta || !Array.isArray(meta.path_in_schema)) {
        throw corruptParquet(`column chunk ${c + 1} of row group ${g + 1} has no metadata`);
      }
      const path = meta.path_in_schema.join('.');
      const column = topIndex.get(meta.path_in_schema[0]);
      if (column === undefined) {
        throw corruptParquet(
          `row group ${g + 1} holds a column "${path}" the schema does not have`,
        );
      }
      const start = safeNumber(
        meta.dictionary_page_offset || meta.data_page_offset,
        `the offset of column "${path}" in row group ${g + 1}`,
      );
      const length = safeNumber(
        meta.total_compressed_size,
        `the size of column "${path}" in row group ${g + 1}`,
      );
      if (start < 4 || start + length > dataEnd) {
        throw corruptParquet(`column "${path}" of row group ${g + 1} lies outside the file's data`);
      }
      const values = safeNumber(meta.num_values, `the value count of column "${path}"`);
      if (values < groupRows) {
        throw corruptParquet(
          `column "${path}" of row group ${g + 1} holds ${count(values)} values for ${count(groupRows)} rows`,
        );
      }
      if (!SUPPORTED_CODECS.has(meta.codec)) {
        throw new IngestError(
          `This Parquet file is compressed with ${meta.codec}, which Interest Lens cannot read yet: write it with Snappy or without compression (for example pyarrow's write_table(..., compression="snappy")).`,
          'not-a-table',
        );
      }
      const leaf = leaves.find((l) => l.path === path);
      chunks.push({
        column,
        path,
        start,
        end: start + length,
        codec: meta.codec,
        flat: leaf?.flat ?? false,
      });
      byteEnd = Math.max(byteEnd, start + length);
    }
    groups.push({ index: g, rowStart, rows: groupRows, chunks, byteEnd });
    rowStart += groupRows;
  }
  if (rowStart !== rows) {
    throw corruptParquet(
      `its footer declares ${count(rows)} rows but its row groups hold ${count(rowStart)}`,
    );
  }
  if (rows > MAX_PARQUET_ROWS) {
    throw new IngestError(
      `This Parquet file has ${count(rows)} rows, more than the ${count(MAX_PARQUET_ROWS)} one load can number: split it into smaller files.`,
      'too-large',
    );
  }
  return { source, metadata, columns, rows, groups };
}

/** Every leaf column's dotted path, and whether it is flat (one value per row). */
function leafPaths(schema: SchemaTree): { path: string; flat: boolean }[] {
  const out: { path: string; flat: boolean }[] = [];
  const walk = (node: SchemaTree, depth: number, repeated: boolean) => {
    for (const child of node.children) {
      const rep = repeated || child.element.repetition_type === 'REPEATED';
      if (child.children.length > 0) walk(child, depth + 1, rep);
      else out.push({ path: child.path.join('.'), flat: depth === 0 && !rep });
    }
  };
  walk(schema, 0, false);
  return out;
}

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
const COMPRESSORS: Compressors = {
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
function checkPages(bytes: Uint8Array, chunk: ChunkPlan, group: ParquetGroup): void {
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
async function chunkPrefix(
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

function asArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength) {
    return bytes.buffer as ArrayBuffer;
  }
  return bytes.slice().buffer as ArrayBuffer;
}

/** Bytes of column chunks (whole or leading pages), checked, kept for hyparquet to decode. */
interface Piece {
  start: number;
  end: number;
  bytes: Uint8Array;
}

/**
 * hyparquet's AsyncBuffer over checked pieces of the file. Ranges outside them are read from
 * the source; with `prefixes`, a range that starts in a piece ends where the piece does (the
 * rest of that chunk is not needed: hyparquet stops once it has the rows it was asked for).
 */
function piecesBuffer(source: ByteSource, pieces: Piece[], prefixes: boolean): AsyncBuffer {
  const sorted = [...pieces].sort((a, b) => a.start - b.start);
  const slice = async (start: number, end: number): Promise<ArrayBuffer> => {
    const inside = sorted.find(
      (p) => p.start <= start && start < p.end && (prefixes || end <= p.end),
    );
    if (inside) {
      const to = Math.min(end, inside.end);
      return asArrayBuffer(inside.bytes.subarray(start - inside.start, to - inside.start));
    }
    // A range over several chunks (hyparquet joins neighbours): the pieces plus the gaps.
    const out = new Uint8Array(end - start);
    let at = start;
    for (const p of sorted) {
      if (p.end <= at || p.start >= end) continue;
      if (p.start > at) out.set(await source.read(at, p.start), at - start);
      const from = Math.max(at, p.start);
      const to = Math.min(end, p.end);
      out.set(p.bytes.subarray(from - p.start, to - p.start), from - start);
      at = to;
    }
    if (at < end) out.set(await source.read(at, end), at - start);
    return out.buffer;
  };
  return { byteLength: source.size, slice: (start, end = source.size) => slice(start, end) };
}

/** Reads one row group's chunks of the wanted columns, whole, each checked page by page. */
async function readGroupPieces(
  table: ParquetTable,
  group: ParquetGroup,
  columns: ReadonlySet<number>,
): Promise<Piece[]> {
  const chunks = group.chunks.filter((c) => columns.has(c.column));
  let total = 0;
  for (const c of chunks) total += c.end - c.start;
  if (total > MAX_GROUP_READ_BYTES) {
    throw new IngestError(
      `Row group ${group.index + 1} of this Parquet file holds ${(total / 2 ** 20).toFixed(0)} MiB of the chosen columns, above the ${MAX_GROUP_READ_BYTES / 2 ** 20} MiB read at once: write it with smaller row groups (for example 1,000,000 rows each).`,
      'too-large',
    );
  }
  const pieces: Piece[] = [];
  for (const chunk of chunks) {
    const bytes = await table.source.read(chunk.start, chunk.end);
    if (bytes.length !== chunk.end - chunk.start) {
      throw corruptParquet(`column "${chunk.path}" of row group ${group.index + 1} is cut short`);
    }
    checkPages(bytes, chunk, group);
    pieces.push({ start: chunk.start, end: chunk.end, bytes });
  }
  return pieces;
}

/** One column's decoded values over a range of rows, in row order. */
export type ColumnValues = ArrayLike<unknown>;

/** The values of rows [start, end) from the chunks hyparquet emitted (absolute row starts). */
function gather(
  pieces: { rowStart: number; data: ArrayLike<unknown> }[],
  start: number,
  end: number,
  where: string,
): ColumnValues {
  pieces.sort((a, b) => a.rowStart - b.rowStart);
  if (pieces.length === 1) {
    const { rowStart, data } = pieces[0];
    if (rowStart <= start && rowStart + data.length >= end) {
      if (rowStart === start && data.length === end - start) return data;
      const from = start - rowStart;
      const sliceable = data as { slice?: (a: number, b: number) => ArrayLike<unknown> };
      if (typeof sliceable.slice === 'function') return sliceable.slice(from, from + end - start);
    }
  }
  const out = new Array<unknown>(end - start);
  let covered = start;
  for (const { rowStart, data } of pieces) {
    const from = Math.max(covered, rowStart);
    const to = Math.min(end, rowStart + data.length);
    if (from > covered) break; // a gap: reported below
    for (let r = from; r < to; r++) out[r - start] = data[r - rowStart];
    covered = Math.max(covered, to);
  }
  if (covered < end) {
    throw corruptParquet(
      `${where} decoded to ${count(covered - start)} rows instead of ${count(end - start)}`,
    );
  }
  return out;
}

/**
 * Decodes rows [start, end) of the named columns from `file`, column by column (no row
 * objects: the caller reads the columns it needs), with hyparquet's errors made ours.
 */
async function decodeColumns(
  table: ParquetTable,
  file: AsyncBuffer,
  names: string[],
  group: ParquetGroup,
  start: number,
  end: number,
): Promise<ColumnValues[]> {
  const index = new Map(names.map((name, i) => [name, i]));
  const pieces = names.map(() => [] as { rowStart: number; data: ArrayLike<unknown> }[]);
  try {
    await parquetRead({
      file,
      metadata: table.metadata,
      columns: names,
      rowStart: start,
      rowEnd: end,
      parsers: PARSERS,
      compressors: COMPRESSORS,
      onChunk: (chunk) => {
        const i = index.get(chunk.columnName);
        if (i !== undefined) pieces[i].push({ rowStart: chunk.rowStart, data: chunk.columnData });
      },
    });
  } catch (error) {
    if (error instanceof IngestError) throw error;
    throw corruptParquet(`row group ${group.index + 1} cannot be decoded (${firstLine(error)})`);
  }
  return pieces.map((list, c) =>
    gather(list, start, end, `column "${names[c]}" of row group ${group.index + 1}`),
  );
}

/**
 * Reads every row of the given columns (by index; each once, in that order) group by group,
 * handing each range's columns (values as hyparquet decodes them, times as epoch ms) to
 * `onRows`.
 * `checkpoint` runs before each range (and may throw to cancel). Memory: one row group's
 * chunks of these columns, and one range of decoded rows.
 */
export async function readParquetRows(
  table: ParquetTable,
  columnIndices: number[],
  onRows: (
    columns: ColumnValues[],
    rows: number,
    firstRow: number,
    group: ParquetGroup,
  ) => void | Promise<void>,
  checkpoint: () => void | Promise<void>,
  rangeRows = READ_RANGE_ROWS,
): Promise<void> {
  const names = columnIndices.map((c) => table.columns[c].name);
  const wanted = new Set(columnIndices);
  for (const group of table.groups) {
    if (group.rows === 0) continue;
    await checkpoint();
    const file = piecesBuffer(table.source, await readGroupPieces(table, group, wanted), false);
    const groupEnd = group.rowStart + group.rows;
    for (let start = group.rowStart; start < groupEnd; ) {
      const end = Math.min(groupEnd, start + rangeRows);
      if (start > group.rowStart) await checkpoint();
      const columns = await decodeColumns(table, file, names, group, start, end);
      await onRows(columns, end - start, start, group);
      start = end;
    }
  }
}

/**
 * The first rows (up to `maxRows`, from the first row group that has any) of every column, for
 * detection: each column reads only the leading pages that hold them.
 */
export async function sampleParquetRows(
  table: ParquetTable,
  maxRows: number,
): Promise<unknown[][]> {
  const group = table.groups.find((g) => g.rows > 0);
  if (!group) return [];
  const n = Math.min(maxRows, group.rows);
  const rows: unknown[][] = Array.from({ length: n }, () => new Array(table.columns.length));
  for (const column of table.columns) {
    const chunks = group.chunks.filter((c) => c.column === column.index);
    let file: AsyncBuffer;
    if (chunks.length === 1 && chunks[0].flat) {
      // One flat column per read, so no range joins two chunks: its leading pages suffice.
      const [chunk] = chunks;
      const bytes = await chunkPrefix(table.source, chunk, group, n);
      file = piecesBuffer(
        table.source,
        [{ start: chunk.start, end: chunk.start + bytes.length, bytes }],
        true,
      );
    } else {
      // Nested columns (lists, structs) are read whole: their leaves are decoded together.
      file = piecesBuffer(
        table.source,
        await readGroupPieces(table, group, new Set([column.index])),
        false,
      );
    }
    const [values] = await decodeColumns(
      table,
      file,
      [column.name],
      group,
      group.rowStart,
      group.rowStart + n,
    );
    for (let r = 0; r < n; r++) rows[r][column.index] = values[r];
  }
  return rows;
}
