/**
 * Regression (found by the fuzz suite, src/core/fuzz): one very wide rejected row used to pad
 * every other rejected row to its width, so the rejected-rows CSV grew as rows x widest row:
 * a 1.7 MB file (a line of 75,000 fields, 52,000 short rejected rows) made gigabytes and then
 * "RangeError: Invalid string length". Padding now stops at MAX_PADDED_FIELDS.
 */
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { MAX_PADDED_FIELDS, rejectedRowsToCsv } from './rejections';
import type { RejectedRow } from './types';

const short = (line: number): RejectedRow => ({
  line,
  reason: 'wrong_field_count',
  detail: 'expected 3 fields, found 2',
  fields: ['u', 'i'],
});

describe('rejectedRowsToCsv width', () => {
  it('stays linear in its input when one rejected row is very wide', () => {
    const wide: RejectedRow = {
      line: 1,
      reason: 'wrong_field_count',
      detail: 'expected 3 fields, found 100000',
      fields: new Array(100_000).fill('a'),
    };
    const rows = [wide, ...Array.from({ length: 20_000 }, (_, k) => short(k + 2))];
    const csv = rejectedRowsToCsv(rows);
    // Was 20,000 x 100,000 commas (2 GB, then "Invalid string length").
    expect(csv.length).toBeLessThan(5_000_000);
    const parsed = Papa.parse<string[]>(csv, { delimiter: ',', newline: '\n' }).data;
    expect(parsed).toHaveLength(rows.length + 1);
    expect(parsed[0]).toHaveLength(3 + 100_000);
    expect(parsed[1]).toEqual([
      '1',
      'wrong_field_count',
      'expected 3 fields, found 100000',
      ...wide.fields,
    ]);
    expect(parsed[2]).toHaveLength(3 + MAX_PADDED_FIELDS);
    expect(parsed[2].slice(0, 5)).toEqual([
      '2',
      'wrong_field_count',
      'expected 3 fields, found 2',
      'u',
      'i',
    ]);
    expect(parsed[2].slice(5).every((c) => c === '')).toBe(true);
  });

  it('still pads every line to the same width up to the cap', () => {
    const rows = [{ ...short(1), fields: new Array(MAX_PADDED_FIELDS).fill('x') }, short(2)];
    const parsed = Papa.parse<string[]>(rejectedRowsToCsv(rows), {
      delimiter: ',',
      newline: '\n',
    }).data;
    expect(parsed.map((r) => r.length)).toEqual([
      3 + MAX_PADDED_FIELDS,
      3 + MAX_PADDED_FIELDS,
      3 + MAX_PADDED_FIELDS,
    ]);
  });
});
