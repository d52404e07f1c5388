/**
 * Detection for Parquet files: the same role inference as for delimited text (header
 * synonyms, then the content of the first rows, read as the text a CSV of the same table
 * would hold), with column names taken as the header and the file's own time types trusted.
 */
import { type LayoutSample, proposeRoles } from './detect';
import { cellText } from './parquetCells';
import { sampleParquetRows } from './parquetRows';
import { openParquet, type ParquetTable } from './parquetTable';
import {
  type ByteSource,
  type DetectedColumn,
  type Detection,
  IngestError,
  type Notice,
} from './types';

/** Rows detection looks at (as many as for delimited text). */
const SAMPLE_ROWS = 200;

export interface ParquetLayout extends LayoutSample {
  table: ParquetTable;
  header: string[];
  fieldCount: number;
  /** Columns the file types as time (their cells are epoch milliseconds). */
  nativeTime: Set<number>;
}

/** Opens the file, checks it is a table of at least two columns with rows, and samples it. */
export async function readParquetLayout(source: ByteSource): Promise<ParquetLayout> {
  const table = await openParquet(source);
  if (table.columns.length < 2) {
    const only = table.columns[0] ? ` ("${table.columns[0].name}")` : '';
    throw new IngestError(
      `This Parquet file does not look like a table of user behaviour: expected at least a user column and an item column, but found only ${table.columns.length === 0 ? 'no columns' : `one column${only}`}.`,
      'not-a-table',
    );
  }
  if (table.rows === 0) {
    throw new IngestError(
      'This Parquet file has no data rows: expected at least one row with a user and an item.',
      'empty',
    );
  }
  const sample = await sampleParquetRows(table, SAMPLE_ROWS);
  const dataRows = sample.map((row) => row.map(cellText));
  const header = table.columns.map((c) => c.name);
  const columns: DetectedColumn[] = table.columns.map((c) => ({
    index: c.index,
    name: c.name.trim() === '' ? `column ${c.index + 1}` : c.name,
    samples: dataRows.slice(0, 5).map((row) => row[c.index].trim()),
  }));
  const nativeTime = new Set(table.columns.filter((c) => c.nativeTime).map((c) => c.index));
  return { table, header, columns, dataRows, fieldCount: columns.length, nativeTime };
}

/** Says the file was read as Parquet, and how its rows are numbered in rejects. */
export function parquetNotice(table: ParquetTable): Notice {
  const groups = table.groups.length;
  return {
    level: 'info',
    code: 'parquet',
    message: `Read as Parquet: ${table.rows.toLocaleString('en-US')} rows in ${groups} row group${groups === 1 ? '' : 's'}; rows are numbered like the lines of the same table written as CSV with a header, so the first row is line 2.`,
  };
}

/** Sniffs a Parquet interaction file: column roles and timestamp format, as a Detection. */
export async function detectParquet(
  source: ByteSource,
): Promise<{ layout: ParquetLayout; detection: Detection }> {
  const layout = await readParquetLayout(source);
  const proposal = proposeRoles(layout, { headerless: false, nativeTime: layout.nativeTime });
  return {
    layout,
    detection: {
      delimiter: ',',
      hasHeader: true,
      encoding: 'utf-8',
      bom: false,
      columns: layout.columns,
      mapping: proposal.mapping,
      timestampFormat: proposal.timestampFormat,
      notices: [parquetNotice(layout.table), ...proposal.notices],
      format: 'parquet',
    },
  };
}
