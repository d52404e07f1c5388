import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { RejectionLog, rejectedRowsToCsv } from './rejections';

describe('rejected rows', () => {
  it('keeps up to the cap and counts the rest', () => {
    const log = new RejectionLog(3);
    for (let line = 10; line > 0; line--)
      log.add(line, 'missing_user', 'user id is empty', ['', 'x']);
    expect(log.total).toBe(10);
    expect(log.rows).toHaveLength(3);
    expect(log.truncated).toBe(7);
    expect(log.byReason().missing_user?.firstLines).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('writes a CSV that parses back to the same fields, with formulas defused', () => {
    const rows = [
      {
        line: 3,
        reason: 'bad_value' as const,
        detail: '"x" is not a number',
        fields: ['a,b', 'say "hi"', 'two\nlines'],
      },
      {
        line: 9,
        reason: 'missing_user' as const,
        detail: 'user id is empty',
        fields: ['=HYPERLINK("x")', '-5'],
      },
    ];
    const csv = rejectedRowsToCsv(rows);
    const parsed = Papa.parse<string[]>(csv, { header: false }).data;
    expect(parsed[0]).toEqual(['line', 'reason', 'detail', 'field 1', 'field 2', 'field 3']);
    expect(parsed[1]).toEqual([
      '3',
      'bad_value',
      '"x" is not a number',
      'a,b',
      'say "hi"',
      'two\nlines',
    ]);
    expect(parsed[2]).toEqual([
      '9',
      'missing_user',
      'user id is empty',
      `'=HYPERLINK("x")`,
      '-5',
      '',
    ]);
  });
});
