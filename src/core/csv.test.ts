import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvCell, csvLine, isFormulaLike } from './csv';
import { streamRecords } from './data/recordStream';
import { rejectedRowsToCsv } from './data/rejections';
import { bytesSource } from './data/sources';
import type { Newline } from './data/text';

/** The records of `text` as our own ingest reads them (UTF-8, comma-separated). */
async function readBack(text: string, newline: Newline = '\n'): Promise<string[][]> {
  const rows: string[][] = [];
  const bytes = new TextEncoder().encode(text);
  await streamRecords(
    bytesSource(bytes, 'back.csv'),
    { delimiter: ',', newline, encoding: 'utf-8', bom: false },
    (batch) => rows.push(...batch.rows),
  );
  return rows;
}

/** The tracker's reproducers: signed formulas that the rejects CSV used to write raw. */
const REPRODUCERS = ["-2+3+cmd|' /C calc'!A0", "+1+cmd|' /C calc'!A0", '-1+1'];

describe('csvCell', () => {
  it.each(REPRODUCERS)('neutralises the reproducer %j (leading quote, quoted field)', (text) => {
    expect(csvCell(text)).toBe(`"'${text}"`);
  });

  it.each([
    ['=1+2', `"'=1+2"`],
    ['=HYPERLINK("http://x")', `"'=HYPERLINK(""http://x"")"`],
    ['@SUM(A1)', `"'@SUM(A1)"`],
    ['+', `"'+"`],
    ['-', `"'-"`],
    ['-m1', `"'-m1"`],
    ['--1', `"'--1"`],
    ['- 1', `"'- 1"`],
    ['-Infinity', `"'-Infinity"`],
    ['1-1', '1-1'],
    ['\tx', `"'\tx"`],
    ['\rx', `"'\rx"`],
    ['\t5', `"'\t5"`],
  ])('neutralises formula-like text %j -> %j', (text, cell) => {
    expect(csvCell(text)).toBe(cell);
  });

  it.each(['-1.5', '+3', '1e-3', '-0', '.5', '-.5', '1.', '1E+10', '+1.5e-7', '0', '42'])(
    'keeps the plain number %j as it is',
    (text) => {
      expect(isFormulaLike(text)).toBe(false);
      expect(csvCell(text)).toBe(text);
    },
  );

  it('writes numbers as JavaScript does, and an empty cell for a non-finite one', () => {
    expect(csvCell(-1.5)).toBe('-1.5');
    expect(csvCell(1e-7)).toBe('1e-7');
    expect(csvCell(1736121600)).toBe('1736121600');
    expect(csvCell(Number.NaN)).toBe('');
    expect(csvCell(Number.NEGATIVE_INFINITY)).toBe('');
  });

  it('quotes commas, quotes, line breaks and edge white space, and nothing else', () => {
    expect(csvCell('The Quiet Harbor')).toBe('The Quiet Harbor');
    expect(csvCell('a=b')).toBe('a=b');
    expect(csvCell('')).toBe('');
    expect(csvCell('Salt, Smoke')).toBe('"Salt, Smoke"');
    expect(csvCell('The "Quiet" Harbor')).toBe('"The ""Quiet"" Harbor"');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('two\r\nlines')).toBe('"two\r\nlines"');
    expect(csvCell(' padded')).toBe('" padded"');
    expect(csvCell('padded ')).toBe('"padded "');
  });

  it('csvLine joins the cells with commas', () => {
    expect(csvLine(['a', 1, '-1+1', 'x,y', -2])).toBe(`a,1,"'-1+1","x,y",-2`);
    expect(csvLine([])).toBe('');
  });

  it('reads back (through our ingest reader) as the text, or the text after a leading quote', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.string({ unit: 'binary' }), { minLength: 2 }), async (cells) => {
        // A record of one empty cell is an empty line, which a reader may skip: keep two.
        const rows = await readBack(`${csvLine(cells)}\n`);
        expect(rows).toEqual([cells.map((c) => (isFormulaLike(c) ? `'${c}` : c))]);
        for (const c of cells) {
          const raw = csvCell(c);
          // Unquoted, a cell never starts with a formula character unless it is a number.
          if (!raw.startsWith('"')) expect(isFormulaLike(raw)).toBe(false);
        }
      }),
      { numRuns: 300, seed: 7 },
    );
  });
});

describe('rejectedRowsToCsv', () => {
  it('neutralises the reproducers, keeps plain numbers, and reads back through our reader', async () => {
    const fields = [...REPRODUCERS, '-1.5', '+3', '1e-3', '-0', 'a,b', 'say "hi"', 'two\nlines'];
    const csv = rejectedRowsToCsv([
      { line: 7, reason: 'bad_value', detail: '=cmd is not a number', fields },
      { line: 9, reason: 'missing_user', detail: 'user id is empty', fields: ['', '-5'] },
    ]);
    for (const text of REPRODUCERS) expect(csv).toContain(`"'${text}"`);
    const rows = await readBack(csv);
    expect(rows[0].slice(0, 4)).toEqual(['line', 'reason', 'detail', 'field 1']);
    expect(rows[1]).toEqual([
      '7',
      'bad_value',
      "'=cmd is not a number",
      ...REPRODUCERS.map((t) => `'${t}`),
      '-1.5',
      '+3',
      '1e-3',
      '-0',
      'a,b',
      'say "hi"',
      'two\nlines',
    ]);
    expect(rows[2].slice(0, 5)).toEqual(['9', 'missing_user', 'user id is empty', '', '-5']);
    expect(rows.every((row) => row.length === 3 + fields.length)).toBe(true);
  });
});
