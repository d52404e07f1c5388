/**
 * Reading a factor table from Parquet (see factorTable.ts for the layouts): the schema is
 * checked and the size declared from the footer before any row group is decoded, then the
 * rows are read one row group at a time.
 */
import {
  type FileMetaData,
  parquetMetadata,
  parquetRead,
  parquetSchema,
  type SchemaTree,
} from 'hyparquet';
import { ModelFileError } from '../models/modelFileError';
import { count, listed, refuse, shown, type TableBuilder } from './factorBuilder';

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

export async function readParquet(bytes: Uint8Array, b: TableBuilder): Promise<void> {
  const file = {
    byteLength: bytes.byteLength,
    slice: (start: number, end?: number) =>
      bytes.buffer.slice(
        bytes.byteOffset + start,
        bytes.byteOffset + (end ?? bytes.byteLength),
      ) as ArrayBuffer,
  };
  let metadata: FileMetaData;
  try {
    metadata = parquetMetadata(bytes);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    refuse(
      'invalid-metadata',
      `${b.source} starts like a Parquet file but its footer cannot be read (${why}): is it truncated?`,
    );
  }
  const schema = parquetSchema(metadata);
  const columns = schema.children;
  const names = columns.map((c) => c.element.name);
  const idColumn = columns.find((c) => c.element.name.trim().toLowerCase() === 'id');
  if (!idColumn) {
    refuse(
      'invalid-metadata',
      `${b.source} has no id column (its columns: ${listed(names)}): Spark ALS writes id and features; a flat table needs an id column and one numeric column per factor.`,
    );
  }
  const idName = idColumn.element.name;
  if (idColumn.children.length > 0) {
    refuse('invalid-metadata', `The id column of ${b.source} is nested, not a plain value.`);
  }
  const rows = Number(metadata.num_rows);
  const featuresColumn = columns.find((c) => c.element.name.trim().toLowerCase() === 'features');
  let factorNames: string[];
  if (featuresColumn) {
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
        `The features column of ${b.source} holds ${leaf.element.type ?? 'no'} values, not numbers.`,
      );
    }
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
    const factors = columns.filter((c) => c !== idColumn);
    if (factors.length === 0) {
      refuse(
        'shape-mismatch',
        `${b.source} has an id column and no factor columns (rank 0): a factor table needs at least one factor per row.`,
      );
    }
    for (const c of factors) {
      if (c.children.length > 0 || !NUMERIC_LEAVES.has(c.element.type ?? '')) {
        refuse(
          'invalid-metadata',
          `Column ${shown(c.element.name)} of ${b.source} is ${c.children.length > 0 ? 'nested' : (c.element.type ?? 'untyped')}, not a number: a flat factor table holds an id and numeric factor columns only.`,
        );
      }
    }
    factorNames = factors.map((c) => c.element.name);
    b.declare(rows, factorNames.length, false);
  }

  let groupStart = 0;
  for (const group of metadata.row_groups) {
    const groupRows = Number(group.num_rows);
    const groupEnd = groupStart + groupRows;
    const data = new Map<string, unknown[]>();
    for (const name of [idName, ...factorNames]) data.set(name, new Array(groupRows));
    try {
      await parquetRead({
        file,
        metadata,
        columns: [idName, ...factorNames],
        rowStart: groupStart,
        rowEnd: groupEnd,
        onChunk: (chunk) => {
          const into = data.get(chunk.columnName);
          if (!into) return;
          for (let k = 0; k < chunk.columnData.length; k++) {
            const r = chunk.rowStart + k;
            if (r >= groupStart && r < groupEnd) into[r - groupStart] = chunk.columnData[k];
          }
        },
      });
    } catch (error) {
      if (error instanceof ModelFileError) throw error;
      const why = error instanceof Error ? error.message : String(error);
      refuse(
        'invalid-metadata',
        `${b.source} cannot be read from row ${count(groupStart + 1)} on (${why}): is it truncated or compressed with a codec other than Snappy?`,
      );
    }
    const ids = data.get(idName) as unknown[];
    const columnsData = factorNames.map((n) => data.get(n) as unknown[]);
    for (let r = 0; r < groupRows; r++) {
      const row = groupStart + r + 1;
      if (b.layout === 'spark') {
        const list = columnsData[0][r];
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
          b.set(at, k, present(columnsData[k][r], row, where), row, where);
        }
      }
    }
    groupStart = groupEnd;
  }

  function present(value: unknown, row: number, where: string): number {
    if (value === null || value === undefined) {
      refuse('invalid-metadata', `Row ${count(row)} of ${b.source} has no value in ${where}.`);
    }
    return numberOf(value);
  }
}
