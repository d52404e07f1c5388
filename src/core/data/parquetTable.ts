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
 *
 * This module opens and checks the footer; parquetPages.ts checks pages before they are
 * decoded, and parquetRows.ts reads and decodes the rows.
 */
import {
  type ColumnMetaData,
  type FileMetaData,
  parquetMetadata,
  parquetSchema,
  type SchemaElement,
  type SchemaTree,
} from 'hyparquet';
import { type ByteSource, IngestError } from './types';

/** A footer above this is refused: parsed, it would take several times as much memory. */
export const MAX_FOOTER_BYTES = 64 << 20;
/**
 * Rows a file can plausibly hold per byte: even a behaviour log whose ids repeat in long runs
 * spends more than 1/8 of a bit per row. More than this and the footer is lying.
 */
export const MAX_ROWS_PER_BYTE = 64;
/** Rows are numbered like lines of the same table as CSV (first row = 2) in an Int32Array. */
export const MAX_PARQUET_ROWS = 2 ** 31 - 3;

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
export interface ChunkPlan {
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

/** A count for a message; a damaged header's missing or odd field is named, not thrown on. */
export const count = (n: number | bigint | undefined) =>
  typeof n === 'number' || typeof n === 'bigint'
    ? n.toLocaleString('en-US')
    : 'an unreadable number of';

function safeNumber(value: bigint | number | undefined, what: string): number {
  const n = typeof value === 'bigint' ? Number(value) : (value ?? Number.NaN);
  if (!Number.isSafeInteger(n) || n < 0) throw corruptParquet(`${what} is ${String(value)}`);
  return n;
}

export function firstLine(error: unknown): string {
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
