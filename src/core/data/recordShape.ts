/**
 * The checks every record of a table file goes through before its fields are read, the same
 * for interaction files and item metadata files: blank lines, the header, quotes that never
 * close and rows with the wrong number of fields.
 */
import type { RecordBatch } from './recordStream';
import type { RejectionLog } from './rejections';
import { isBlankRecord } from './sampleTable';

export interface RowCounts {
  dataRows: number;
  blankLines: number;
  /** False until the header record (first non-blank record) has gone by. */
  headerSeen: boolean;
}

/**
 * Whether record `r` of `batch` is a data row whose fields can be read. A blank line is counted
 * and skipped; the header record is skipped; any other record is a data row (counted), rejected
 * into `log` when a quoted field in it never closes or it does not have `expected` fields (as
 * `truncated_last_line` when the file ends mid-row). With `describeSpans`, a wrong field count
 * on a row that spans several lines points at the likely unbalanced quote.
 */
export function isWellFormedRow(
  batch: RecordBatch,
  r: number,
  expected: number,
  counts: RowCounts,
  log: RejectionLog,
  describeSpans: boolean,
): boolean {
  const fields = batch.rows[r];
  const line = batch.lines[r];
  if (isBlankRecord(fields)) {
    counts.blankLines++;
    return false;
  }
  if (!counts.headerSeen) {
    counts.headerSeen = true;
    return false;
  }
  counts.dataRows++;
  if (batch.unterminated[r]) {
    log.add(
      line,
      'unterminated_quote',
      `a quoted field opened on line ${line} never closes`,
      fields,
    );
    return false;
  }
  if (fields.length !== expected) {
    if (r === batch.rows.length - 1 && batch.endsWithoutNewline && fields.length < expected) {
      log.add(
        line,
        'truncated_last_line',
        `the file ends mid-row: expected ${expected} fields, found ${fields.length}`,
        fields,
      );
    } else {
      const span = batch.spans[r];
      const hint =
        describeSpans && span > 1
          ? ` (the row spans lines ${line}-${line + span - 1}; check for an unbalanced quote)`
          : '';
      log.add(
        line,
        'wrong_field_count',
        `expected ${expected} fields, found ${fields.length}${hint}`,
        fields,
      );
    }
    return false;
  }
  return true;
}
