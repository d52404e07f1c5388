import { describe, expect, it } from 'vitest';
import { isWellFormedRow, type RowCounts } from './recordShape';
import type { RecordBatch } from './recordStream';
import { RejectionLog } from './rejections';

function batchOf(
  rows: string[][],
  spans: number[],
  unterminated: number[],
  endsWithoutNewline = false,
): RecordBatch {
  return {
    rows,
    lines: Int32Array.from(rows.map((_, i) => i + 1)),
    spans: Int32Array.from(spans),
    unterminated: Uint8Array.from(unterminated),
    endsWithoutNewline,
  };
}

function check(batch: RecordBatch, describeSpans: boolean) {
  const counts: RowCounts = { dataRows: 0, blankLines: 0, headerSeen: false };
  const log = new RejectionLog();
  const kept = batch.rows.map((_, r) => isWellFormedRow(batch, r, 2, counts, log, describeSpans));
  return { kept, counts, log };
}

describe('isWellFormedRow', () => {
  const batch = batchOf(
    [[''], ['user', 'item'], ['u1', 'i1'], ['u2', 'i2', 'x'], ['u3', '"i3'], ['u4']],
    [1, 1, 1, 3, 1, 1],
    [0, 0, 0, 0, 1, 0],
    true,
  );

  it('skips blank lines and the header, counts data rows, keeps only well-formed ones', () => {
    const { kept, counts, log } = check(batch, true);
    expect(kept).toEqual([false, false, true, false, false, false]);
    expect(counts).toEqual({ dataRows: 4, blankLines: 1, headerSeen: true });
    expect(log.byReason()).toMatchObject({
      wrong_field_count: { count: 1 },
      unterminated_quote: { count: 1 },
      truncated_last_line: { count: 1 },
    });
  });

  it('points at an unbalanced quote on a multi-line row only when asked to', () => {
    const detail = (describeSpans: boolean) =>
      check(batch, describeSpans).log.rows.find((row) => row.reason === 'wrong_field_count')
        ?.detail;
    expect(detail(true)).toBe(
      'expected 2 fields, found 3 (the row spans lines 4-6; check for an unbalanced quote)',
    );
    expect(detail(false)).toBe('expected 2 fields, found 3');
  });
});
