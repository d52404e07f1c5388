/**
 * Reading a factor table from Parquet (see factorTable.ts for the layouts) through the
 * behaviour reader's checked path (../data/parquetTable.ts, parquetPages.ts, parquetRows.ts):
 * the footer is checked (its Thrift, size, schema, row counts, chunks inside the data, codecs,
 * every chunk a leaf of the schema: hyparquet starts reading some chunks before it fails to
 * resolve another, leaving a rejection unhandled), then the layout and declared size, then each
 * row group's chunks page by page (./factorParquetBounds.ts) before hyparquet decodes them.
 * Time stays linear in the bytes; every failure is one {@link ModelFileError} sentence.
 */
import { type ColumnMetaData, parquetMetadata, parquetSchema, type SchemaTree } from 'hyparquet';
import { getTreePath } from 'hyparquet/src/schema.js';
import { checkPages } from '../data/parquetPages';
import { readParquetRows } from '../data/parquetRows';
import { openParquet, type ParquetTable } from '../data/parquetTable';
import { bytesSource } from '../data/sources';
import { type ByteSource, IngestError } from '../data/types';
import { errorReason, fileText } from '../models/fileText';
import { ModelFileError } from '../models/modelFileError';
import { count, listed, refuse, shown, type TableBuilder } from './factorBuilder';
import {
  type ChunkCheck,
  checkChunk,
  checkHeaders,
  checkThrift,
  type Fail,
} from './factorParquetBounds';

/**
 * Bounds that keep the footer checks and hyparquet's planning (over every row group, for each
 * one read) linear: schema elements (a factor table has at most 1,024 factors and an id), row
 * groups, and column chunks × schema elements.
 */
export const MAX_SCHEMA_ELEMENTS = 4096;
export const MAX_ROW_GROUPS = 10_000;
export const MAX_FOOTER_WORK = 2 ** 27;

const CORRUPT =
  /^This file is a Parquet file, but it is corrupt or truncated: (its footer cannot be read \()?/;

/**
 * The ModelFileError for `error`, thrown reading the footer (`stage` 'footer') or the rows of
 * `source`: ours pass through; the behaviour reader's sentences are said of this file; any
 * other (hyparquet's) is quoted as one cleaned clause.
 */
function parquetRefusal(error: unknown, source: string, stage: 'footer' | 'data'): ModelFileError {
  if (error instanceof ModelFileError) return error;
  if (error instanceof IngestError && !CORRUPT.test(error.message)) {
    // Too large, another codec, data in another file: the reader's sentence, of this file.
    const said = errorReason(error, 400);
    const named = said.replace(/\bthis Parquet file/i, () => source);
    return new ModelFileError(
      error.code === 'too-large' ? 'too-large' : 'invalid-metadata',
      `${named === said ? `${source}: ${said}` : named}.`,
    );
  }
  const text = error instanceof IngestError ? error.message : null;
  const inner = text?.match(CORRUPT)?.[1] ? text.replace(CORRUPT, '').replace(/\)\.$/, '') : null;
  const reason = errorReason(text ? new Error(inner ?? text.replace(CORRUPT, '')) : error, 300);
  return new ModelFileError(
    'invalid-metadata',
    stage === 'footer'
      ? `${source} starts like a Parquet file but its footer cannot be read (${reason}): is it truncated?`
      : `${source} is a Parquet file, but it is corrupt or truncated: ${reason}.`,
  );
}

/**
 * Refuses a footer whose Thrift declares lists or binaries its bytes cannot hold (before
 * hyparquet allocates them), then, from a first parse, one whose schema or row groups are too
 * many for the checks and the planning to stay linear. A footer that does not parse is left to
 * openParquet, which says why.
 */
function checkFooterSize(bytes: Uint8Array, source: string): void {
  const size = bytes.length;
  const length =
    size >= 12 ? new DataView(bytes.buffer, bytes.byteOffset + size - 8).getUint32(0, true) : size;
  if (length > size - 12) return;
  try {
    checkThrift(bytes, size - 8 - length, size - 8);
  } catch (error) {
    refuse(
      'invalid-metadata',
      `${source} starts like a Parquet file but its footer cannot be read (${errorReason(error)}): is it truncated?`,
    );
  }
  let schema: unknown[];
  let groups: { columns?: unknown[] }[];
  try {
    const metadata = parquetMetadata(bytes);
    schema = metadata.schema;
    groups = metadata.row_groups;
  } catch {
    return;
  }
  if (!Array.isArray(schema) || !Array.isArray(groups)) return;
  if (schema.length > MAX_SCHEMA_ELEMENTS) {
    refuse(
      'invalid-metadata',
      `${source} declares ${count(schema.length)} schema elements, more than the ${count(MAX_SCHEMA_ELEMENTS)} a factor table can have: is this a factor table?`,
    );
  }
  let chunks = 0;
  for (const g of groups) chunks += Array.isArray(g?.columns) ? g.columns.length : 0;
  if (groups.length > MAX_ROW_GROUPS || chunks * schema.length > MAX_FOOTER_WORK) {
    refuse(
      'too-large',
      `${source} has ${count(groups.length)} row groups of ${count(schema.length)} schema elements, more than a factor table is read in: write it with fewer, larger row groups.`,
    );
  }
}

/** Every leaf of `tree` by its path (as JSON), refusing nameless elements and two of one name. */
function leavesOf(tree: SchemaTree, source: string): Map<string, SchemaTree> {
  const leaves = new Map<string, SchemaTree>();
  const stack = [tree];
  while (stack.length > 0) {
    const node = stack.pop() as SchemaTree;
    const names = new Set<string>();
    for (const child of node.children) {
      const name = child.element.name as unknown;
      if (typeof name !== 'string' || names.has(name)) {
        refuse(
          'invalid-metadata',
          typeof name === 'string'
            ? `${source} has two columns named "${shown(child.path.join('.'))}" in its schema.`
            : `${source} has a schema element without a name: is it truncated?`,
        );
      }
      names.add(name);
      if (child.children.length > 0) stack.push(child);
      else leaves.set(JSON.stringify(child.path), child);
    }
  }
  return leaves;
}

/**
 * Checks what openParquet leaves to hyparquet: every column chunk names a leaf of the schema
 * (all of its path, not only the top column) of the leaf's type, and each leaf once per row
 * group.
 */
function checkTable(table: ParquetTable, source: string): void {
  const leaves = leavesOf(parquetSchema(table.metadata), source);
  table.metadata.row_groups.forEach((group, g) => {
    const seen = new Set<string>();
    for (const chunk of group.columns) {
      const meta = chunk.meta_data;
      const key = JSON.stringify(meta?.path_in_schema ?? null);
      const leaf = leaves.get(key);
      const wrong =
        !meta || !leaf
          ? 'a column chunk its schema does not have'
          : seen.has(key)
            ? 'a column chunk twice'
            : meta.type !== leaf.element.type
              ? 'a column chunk whose type differs from its schema'
              : null;
      if (wrong) {
        refuse(
          'invalid-metadata',
          `${source} is a Parquet file, but it is corrupt or truncated: row group ${count(g + 1)} holds ${wrong}.`,
        );
      }
      seen.add(key);
    }
  });
}

/**
 * The file as readParquetRows reads it: each column chunk it reads whole is checked page by
 * page (checkPages, then what the pages hold) before it is handed on, so hyparquet decodes
 * only pages whose every count is backed by their bytes.
 */
function guardedSource(
  table: ParquetTable,
  bytes: Uint8Array,
  source: string,
  columns: readonly number[],
): ByteSource {
  const tree = parquetSchema(table.metadata);
  const wanted = new Set(columns);
  const checks = new Map<string, ChunkCheck[]>();
  for (const group of table.groups) {
    const metas = table.metadata.row_groups[group.index].columns;
    group.chunks.forEach((chunk, k) => {
      if (!wanted.has(chunk.column)) return;
      const meta = metas[k].meta_data as ColumnMetaData;
      const schemaPath = getTreePath(tree, meta.path_in_schema);
      const key = `${chunk.start}:${chunk.end}`;
      const list = checks.get(key) ?? [];
      list.push({ chunk, group, schemaPath, type: meta.type });
      checks.set(key, list);
    });
  }
  const plain = bytesSource(bytes, source);
  return {
    name: source,
    size: bytes.length,
    read: async (start, end) => {
      const read = await plain.read(start, end);
      const key = `${start}:${end}`;
      // Every chunk of these bytes (row groups may share them) at once, then never again.
      const list = read.length === end - start ? (checks.get(key) ?? []) : [];
      checks.delete(key);
      for (const c of list) {
        const where = `a page of column "${fileText(c.chunk.path, 60)}" of row group ${count(c.group.index + 1)}`;
        const fail: Fail = (what) =>
          refuse(
            'invalid-metadata',
            `${source} is a Parquet file, but it is corrupt or truncated: ${where} ${what}.`,
          );
        checkHeaders(read, c, fail);
        try {
          checkPages(read, c.chunk, c.group);
        } catch (error) {
          // Anything but its own refusal (a header field of an odd type) is a damaged header.
          if (error instanceof IngestError) throw error;
          fail('has a header without its value count or size');
        }
        checkChunk(read, c, fail);
      }
      return read;
    },
  };
}

const NUMERIC_LEAVES = new Set(['FLOAT', 'DOUBLE', 'INT32', 'INT64']);

/** The one primitive leaf under `node`, or null for a struct (several leaves). */
function onlyLeaf(node: SchemaTree): SchemaTree | null {
  let at = node;
  while (at.children.length === 1) at = at.children[0];
  return at.children.length === 0 ? at : null;
}

function isList(node: SchemaTree): boolean {
  const e = node.element;
  return (
    e.converted_type === 'LIST' ||
    e.logical_type?.type === 'LIST' ||
    e.repetition_type === 'REPEATED' ||
    node.children.some((c) => c.element.repetition_type === 'REPEATED')
  );
}

function idText(value: unknown): string {
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (value instanceof Uint8Array) return new TextDecoder().decode(value).trim();
  return value === null || value === undefined ? '' : String(value).trim();
}

function numberOf(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  return Number.NaN;
}

/** Opens and checks the footer: anything wrong is one sentence saying what. */
async function openTable(bytes: Uint8Array, b: TableBuilder): Promise<ParquetTable> {
  checkFooterSize(bytes, b.source);
  let table: ParquetTable;
  try {
    table = await openParquet(bytesSource(bytes, b.source));
  } catch (error) {
    throw parquetRefusal(error, b.source, 'footer');
  }
  checkTable(table, b.source);
  return table;
}

export async function readParquet(bytes: Uint8Array, b: TableBuilder): Promise<void> {
  const table = await openTable(bytes, b);
  const { metadata } = table;
  const schema = parquetSchema(metadata);
  const columns = schema.children;
  const names = columns.map((c) => c.element.name);
  const idIndex = columns.findIndex((c) => c.element.name.trim().toLowerCase() === 'id');
  if (idIndex < 0) {
    refuse(
      'invalid-metadata',
      `${b.source} has no id column (its columns: ${listed(names)}): Spark ALS writes id and features; a flat table needs an id column and one numeric column per factor.`,
    );
  }
  const idColumn = columns[idIndex];
  if (idColumn.children.length > 0) {
    refuse('invalid-metadata', `The id column of ${b.source} is nested, not a plain value.`);
  }
  const rows = table.rows;
  const featuresIndex = columns.findIndex(
    (c) => c.element.name.trim().toLowerCase() === 'features',
  );
  let factorIndices: number[];
  let factorNames: string[];
  if (featuresIndex >= 0) {
    const featuresColumn = columns[featuresIndex];
    b.layout = 'spark';
    const leaf = onlyLeaf(featuresColumn);
    if (!leaf || !isList(featuresColumn)) {
      refuse(
        'invalid-metadata',
        `The features column of ${b.source} is ${leaf ? 'not a list' : 'a struct (an ML Vector?)'}, not an array of floats as Spark ALS writes it.`,
      );
    }
    if (!NUMERIC_LEAVES.has(leaf.element.type ?? '')) {
      refuse(
        'invalid-metadata',
        `The features column of ${b.source} holds ${shown(String(leaf.element.type ?? 'no'))} values, not numbers.`,
      );
    }
    factorIndices = [featuresIndex];
    factorNames = [featuresColumn.element.name];
    // Leaf values over all row groups: about rows × rank, known before anything is decoded.
    const path = leaf.path.join('.');
    let values = 0;
    for (const group of metadata.row_groups) {
      for (const chunk of group.columns) {
        if (chunk.meta_data?.path_in_schema.join('.') === path) {
          values += Number(chunk.meta_data.num_values);
        }
      }
    }
    if (rows > 0) b.declare(rows, values / rows, true);
  } else {
    factorIndices = columns.map((_, k) => k).filter((k) => k !== idIndex);
    if (factorIndices.length === 0) {
      refuse(
        'shape-mismatch',
        `${b.source} has an id column and no factor columns (rank 0): a factor table needs at least one factor per row.`,
      );
    }
    for (const k of factorIndices) {
      const c = columns[k];
      if (c.children.length > 0 || !NUMERIC_LEAVES.has(c.element.type ?? '')) {
        refuse(
          'invalid-metadata',
          `Column ${shown(c.element.name)} of ${b.source} is ${c.children.length > 0 ? 'nested' : shown(String(c.element.type ?? 'untyped'))}, not a number: a flat factor table holds an id and numeric factor columns only.`,
        );
      }
    }
    factorNames = factorIndices.map((k) => columns[k].element.name);
    b.declare(rows, factorNames.length, false);
  }

  const spark = b.layout === 'spark';
  const present = (value: unknown, row: number, where: string): number => {
    if (value === null || value === undefined) {
      refuse('invalid-metadata', `Row ${count(row)} of ${b.source} has no value in ${where}.`);
    }
    return numberOf(value);
  };
  const onRows = (data: ArrayLike<unknown>[], n: number, firstRow: number) => {
    const ids = data[0];
    for (let r = 0; r < n; r++) {
      const row = firstRow + r + 1;
      if (spark) {
        const list = data[1][r];
        if (list !== null && list !== undefined && !Array.isArray(list)) {
          refuse(
            'invalid-metadata',
            `Row ${count(row)} of ${b.source} has features that are not a list.`,
          );
        }
        const values = (list ?? []) as unknown[];
        b.width(row, values.length);
        const at = b.begin(row, idText(ids[r]));
        for (let k = 0; k < values.length; k++) {
          b.set(at, k, present(values[k], row, `features[${k}]`), row, `features[${k}]`);
        }
      } else {
        b.width(row, factorNames.length);
        const at = b.begin(row, idText(ids[r]));
        for (let k = 0; k < factorNames.length; k++) {
          const where = `column ${shown(factorNames[k])}`;
          b.set(at, k, present(data[k + 1][r], row, where), row, where);
        }
      }
    }
  };
  try {
    await readParquetRows(
      { ...table, source: guardedSource(table, bytes, b.source, [idIndex, ...factorIndices]) },
      [idIndex, ...factorIndices],
      onRows,
      () => {},
    );
  } catch (error) {
    if (error instanceof ModelFileError) throw error;
    throw parquetRefusal(error, b.source, 'data');
  }
}
