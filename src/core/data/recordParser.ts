/**
 * Papa Parse's reading of delimited text (`Papa.parse(text, { delimiter, newline, quoteChar:
 * '"', header: false, skipEmptyLines: false })`), field for field, for the text Papa copes
 * badly with: Papa records an error object for every quote inside a quoted field that does not
 * close it, so a field of a million stray quotes costs a million objects, and a few hundred
 * megabytes of them run a tab out of memory. This parser keeps only what ingest uses (the rows
 * and the row of a quoted field that never closes) and decides each stray quote by looking at
 * the whitespace right after it, so it runs in linear time and constant extra memory.
 * recordParser.test.ts holds it to Papa's output on generated text.
 */

const QUOTE = 34;

/** Whether a UTF-16 code unit is whitespace as String.prototype.trim sees it. */
export function isTrimSpace(c: number): boolean {
  return (
    c === 32 ||
    (c >= 9 && c <= 13) ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

export interface ParsedRecords {
  rows: string[][];
  /** The row whose quoted field never closes (Papa's MissingQuotes), or -1. */
  missingQuotesRow: number;
}

/**
 * One difference from Papa.parse, on purpose: a U+FEFF at the start of `text` is data, like
 * anywhere else (Papa drops it, which made the reading of a record that starts with one depend
 * on where a slice happened to begin). A file's byte order mark is skipped before parsing.
 */
export function parseRecordText(input: string, delimiter: string, newline: string): ParsedRecords {
  const rows: string[][] = [];
  if (input.length === 0) return { rows, missingQuotesRow: -1 };
  const len = input.length;
  const dl = delimiter.length;
  const nl = newline.length;
  const d0 = delimiter.charCodeAt(0);
  const n0 = newline.charCodeAt(0);
  let row: string[] = [];
  let cursor = 0;
  let nextDelim = input.indexOf(delimiter);
  let nextNewline = input.indexOf(newline);
  for (;;) {
    if (input.charCodeAt(cursor) === QUOTE) {
      const start = cursor + 1;
      let q = cursor;
      for (;;) {
        q = input.indexOf('"', q + 1);
        if (q === -1) {
          row.push(input.substring(start));
          rows.push(row);
          return { rows, missingQuotesRow: rows.length - 1 };
        }
        if (q === len - 1) {
          row.push(unescapeQuotes(input.substring(start, q)));
          rows.push(row);
          return { rows, missingQuotesRow: -1 };
        }
        if (input.charCodeAt(q + 1) === QUOTE) {
          q++;
          continue;
        }
        // The quote closes the field when only whitespace stands before a delimiter or newline.
        let j = q + 1;
        let closesWith = 0;
        for (; j < len; j++) {
          const c = input.charCodeAt(j);
          if (c === d0 && input.startsWith(delimiter, j)) {
            closesWith = 1;
            break;
          }
          if (c === n0 && input.startsWith(newline, j)) {
            closesWith = 2;
            break;
          }
          if (!isTrimSpace(c)) break;
        }
        if (closesWith === 0) continue; // a stray quote, part of the field
        row.push(unescapeQuotes(input.substring(start, q)));
        if (closesWith === 1) {
          cursor = j + dl;
        } else {
          rows.push(row);
          row = [];
          cursor = j + nl;
        }
        if (nextDelim !== -1 && nextDelim < cursor) nextDelim = input.indexOf(delimiter, cursor);
        if (nextNewline !== -1 && nextNewline < cursor) {
          nextNewline = input.indexOf(newline, cursor);
        }
        break;
      }
      continue;
    }
    if (nextDelim !== -1 && (nextDelim < nextNewline || nextNewline === -1)) {
      row.push(input.substring(cursor, nextDelim));
      cursor = nextDelim + dl;
      nextDelim = input.indexOf(delimiter, cursor);
      continue;
    }
    if (nextNewline !== -1) {
      row.push(input.substring(cursor, nextNewline));
      rows.push(row);
      row = [];
      cursor = nextNewline + nl;
      nextNewline = input.indexOf(newline, cursor);
      continue;
    }
    break;
  }
  row.push(input.substring(cursor));
  rows.push(row);
  return { rows, missingQuotesRow: -1 };
}

function unescapeQuotes(field: string): string {
  return field.indexOf('""') === -1 ? field : field.replaceAll('""', '"');
}
