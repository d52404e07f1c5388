import fc from 'fast-check';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { parseRecordText } from './recordParser';
import type { Newline } from './text';
import type { Delimiter } from './types';

function papa(text: string, delimiter: string, newline: string) {
  const parsed = Papa.parse<string[]>(text, {
    delimiter,
    newline: newline as Newline,
    quoteChar: '"',
    header: false,
    skipEmptyLines: false,
  });
  let missingQuotesRow = -1;
  for (const error of parsed.errors) {
    if (error.code === 'MissingQuotes' && error.row !== undefined) missingQuotesRow = error.row;
  }
  return { rows: parsed.data, missingQuotesRow };
}

describe('parseRecordText reads text as Papa Parse does', () => {
  it('field for field, on generated text with quotes, whitespace and line endings', () => {
    const setup = fc.record({
      delimiter: fc.constantFrom<Delimiter>(',', '\t', ';', '|', '::'),
      newline: fc.constantFrom<Newline>('\n', '\r\n', '\r'),
    });
    fc.assert(
      fc.property(
        setup,
        fc.array(
          fc.constantFrom(
            'a',
            'b',
            '"',
            '"',
            '""',
            ' ',
            '\t',
            '\u00a0',
            '\u3000',
            '\u2028',
            ',',
            ':',
            ';',
            '|',
            '\r',
            '\n',
            '\r\n',
            '\ufeff',
          ),
          { maxLength: 60 },
        ),
        ({ delimiter, newline }, pieces) => {
          const text = pieces.join('');
          // Papa drops a U+FEFF that starts its input; parseRecordText keeps it (on purpose).
          fc.pre(text.charCodeAt(0) !== 0xfeff);
          expect(parseRecordText(text, delimiter, newline)).toEqual(papa(text, delimiter, newline));
        },
      ),
      { numRuns: 3000, seed: 20240603 },
    );
  });

  it('handles the cases Papa has special branches for', () => {
    const cases = [
      '',
      '\n',
      'a,b\n',
      'a,b',
      '"a"',
      '"a',
      '"a""b",c\n',
      '"a" ,b\n"c"  \nd',
      '"a"b,c\nd,e\n"f" ,g\n',
      'x,"never closes\ny,z\n',
      '"a"\t\r\n',
    ];
    for (const text of cases) {
      expect(parseRecordText(text, ',', '\n'), JSON.stringify(text)).toEqual(papa(text, ',', '\n'));
    }
  });

  it('keeps a U+FEFF at the start as data', () => {
    expect(parseRecordText('\ufeffa,b\n', ',', '\n').rows).toEqual([['\ufeffa', 'b'], ['']]);
  });

  it('reads a field of a hundred thousand stray quotes as one field', () => {
    const field = 'a"'.repeat(100_000);
    const { rows, missingQuotesRow } = parseRecordText(`x,"${field},y\n`, ',', '\n');
    expect(rows).toEqual([['x', field.slice(0, -1), 'y'], ['']]);
    expect(missingQuotesRow).toBe(-1);
  });
});
