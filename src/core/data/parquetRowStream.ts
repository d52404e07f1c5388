/**
 * The mapped columns of a Parquet file as a {@link RowStream} of text records: each cell the
 * text a CSV of the same table would hold, numbered as that CSV's lines.
 */
import type { IngestHooks } from './ingest';
import type { RowStream } from './ingestRun';
import { cellText } from './parquetCells';
import type { ParquetLayout } from './parquetDetect';
import { readParquetRows } from './parquetRows';
import { throwIfCancelled, yieldToEventLoop } from './recordStream';
import type { ParseOptions } from './types';

/**
 * The mapped columns of a Parquet file as batches of text records, one per decoded range.
 * Records hold only the mapped columns (each once), and are validated with the mapping onto
 * them; a rejected row's fields are put back at the file's column positions.
 */
export function parquetStream(
  layout: ParquetLayout,
  options: ParseOptions,
  hooks: IngestHooks,
): RowStream {
  const { table } = layout;
  const read = [
    ...new Set(Object.values(options.mapping).filter((c): c is number => c !== null)),
  ].sort((a, b) => a - b);
  const position = new Map(read.map((column, i) => [column, i]));
  const mapping = { ...options.mapping };
  for (const role of Object.keys(mapping) as (keyof typeof mapping)[]) {
    const column = mapping[role];
    mapping[role] = column === null ? null : (position.get(column) as number);
  }
  const width = layout.fieldCount;
  const checkpoint = async () => {
    throwIfCancelled(hooks.signal);
    await yieldToEventLoop();
    throwIfCancelled(hooks.signal);
  };
  return {
    rowOptions: { ...options, mapping },
    rowWidth: read.length,
    header: false,
    fileFields: (fields) => {
      const out = new Array<string>(width).fill('');
      for (let i = 0; i < read.length; i++) out[read[i]] = fields[i];
      return out;
    },
    run: (onBatch, onBytes) =>
      readParquetRows(
        table,
        read,
        (columns, n, firstRow) => {
          // Cells as text column by column, then records of the mapped columns.
          const k = columns.length;
          const texts: string[][] = new Array(k);
          for (let c = 0; c < k; c++) {
            const values = columns[c];
            const text = new Array<string>(n);
            for (let r = 0; r < n; r++) {
              const v = values[r];
              text[r] = typeof v === 'string' ? v : cellText(v);
            }
            texts[c] = text;
          }
          const records: string[][] = new Array(n);
          const lines = new Int32Array(n);
          for (let r = 0; r < n; r++) {
            const fields = new Array<string>(k);
            for (let c = 0; c < k; c++) fields[c] = texts[c][r];
            records[r] = fields;
            lines[r] = firstRow + r + 2; // as the same table written as CSV with a header
          }
          onBatch({
            rows: records,
            lines,
            spans: new Int32Array(n).fill(1),
            unterminated: new Uint8Array(n),
            endsWithoutNewline: false,
          });
          onBytes(Math.round((table.source.size * (firstRow + n)) / table.rows));
        },
        checkpoint,
        hooks.parquetRangeRows,
      ),
  };
}
