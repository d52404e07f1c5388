/**
 * Reading the rows of a Parquet table: the wanted column chunks of one row group at a time
 * (whole, or only the leading pages for detection), each checked page by page, then decoded by
 * hyparquet column by column.
 */
import { type AsyncBuffer, parquetRead } from 'hyparquet';
import { COMPRESSORS, checkPages, chunkPrefix, PARSERS } from './parquetPages';
import {
  corruptParquet,
  count,
  firstLine,
  type ParquetGroup,
  type ParquetTable,
} from './parquetTable';
import { type ByteSource, IngestError } from './types';

/** The mapped columns of one row group are read into memory at once, up to this many bytes. */
export const MAX_GROUP_READ_BYTES = 512 << 20;
/** A row group with more rows than this is decoded in ranges of this many rows. */
export const READ_RANGE_ROWS = 1 << 19;

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
