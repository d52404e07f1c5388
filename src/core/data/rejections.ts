/**
 * Bookkeeping of rejected rows: exact counts per reason with the first line numbers, and the
 * rows themselves (up to a cap) for the downloadable list.
 */
import { csvLine } from '../csv';
import type { ReasonCount, RejectedRow, RejectReason } from './types';

/** Rejected rows kept for download; beyond this they are only counted. */
export const MAX_KEPT_REJECTED_ROWS = 100_000;
const FIRST_LINES = 10;

export class RejectionLog {
  readonly rows: RejectedRow[] = [];
  total = 0;
  private readonly counts = new Map<RejectReason, ReasonCount>();
  /**
   * Turns a rejected row's fields into the file's own, for the rows kept for download (a
   * Parquet load validates only the columns it reads and puts them back in place here).
   */
  fieldsOf: ((fields: string[]) => string[]) | null = null;

  constructor(private readonly cap = MAX_KEPT_REJECTED_ROWS) {}

  add(line: number, reason: RejectReason, detail: string, fields: string[]): void {
    this.total++;
    let entry = this.counts.get(reason);
    if (!entry) {
      entry = { count: 0, firstLines: [] };
      this.counts.set(reason, entry);
    }
    entry.count++;
    if (entry.firstLines.length < FIRST_LINES || line < entry.firstLines[FIRST_LINES - 1]) {
      insertSorted(entry.firstLines, line);
      if (entry.firstLines.length > FIRST_LINES) entry.firstLines.pop();
    }
    if (this.rows.length < this.cap) {
      this.rows.push({
        line,
        reason,
        detail,
        fields: this.fieldsOf ? this.fieldsOf(fields) : fields,
      });
    }
  }

  /** Rows not kept because of the cap. */
  get truncated(): number {
    return this.total - this.rows.length;
  }

  byReason(): Partial<Record<RejectReason, ReasonCount>> {
    const out: Partial<Record<RejectReason, ReasonCount>> = {};
    for (const [reason, entry] of this.counts)
      out[reason] = { count: entry.count, firstLines: [...entry.firstLines] };
    return out;
  }

  /** Kept rows in file order. */
  sortedRows(): RejectedRow[] {
    return [...this.rows].sort((a, b) => a.line - b.line);
  }
}

function insertSorted(lines: number[], line: number): void {
  let i = lines.length;
  while (i > 0 && lines[i - 1] > line) i--;
  lines.splice(i, 0, line);
}

/** Shortens a value for a message: long cells are cut with an ellipsis. */
export function quoteValue(value: string, max = 60): string {
  const v = value.length > max ? `${value.slice(0, max)}…` : value;
  return `"${v}"`;
}

/**
 * Short rows are padded to the widest row, up to this many fields. Padding every row to the
 * widest one made the output quadratic: one rejected line of 100,000 delimiters among 50,000
 * other rejected rows (a 1.7 MB file) padded each of them to 100,000 cells, gigabytes of
 * commas, then "Invalid string length". Rows wider than this are written as they are.
 */
export const MAX_PADDED_FIELDS = 64;

/**
 * The rejected rows as CSV, for the user to fix their file: `line,reason,detail` then the row's
 * own fields, quoted where needed. Short rows are padded so every line has the same width (up
 * to {@link MAX_PADDED_FIELDS} fields). Cells starting like a spreadsheet formula are defused
 * (src/core/csv.ts), since people open this in Excel; plain numbers keep their sign.
 */
export function rejectedRowsToCsv(rows: RejectedRow[]): string {
  const width = rows.reduce((max, row) => Math.max(max, row.fields.length), 0);
  const header = ['line', 'reason', 'detail'];
  for (let i = 1; i <= width; i++) header.push(`field ${i}`);
  const padded = 3 + Math.min(width, MAX_PADDED_FIELDS);
  const lines = [csvLine(header)];
  for (const row of rows) {
    const out: (string | number)[] = [row.line, row.reason, row.detail, ...row.fields];
    while (out.length < padded) out.push('');
    lines.push(csvLine(out));
  }
  return lines.join('\n');
}
