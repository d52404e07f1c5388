/**
 * The first records of a file, parsed with a candidate delimiter: what delimiter and header
 * detection look at, and where ingest takes the expected number of fields from.
 */
import Papa from 'papaparse';
import type { TextSample } from './text';
import { DELIMITERS, type Delimiter } from './types';

/** How many records detection looks at. */
export const SAMPLE_RECORDS = 50;

/** Non-blank records at the start of the sample (the last one dropped when it may be cut off). */
export function sampleRecords(sample: TextSample, delimiter: Delimiter, limit = 200): string[][] {
  const parsed = Papa.parse<string[]>(sample.text, {
    delimiter,
    newline: sample.newline,
    quoteChar: '"',
    header: false,
    skipEmptyLines: false,
    preview: limit + 1,
  });
  const rows = parsed.data.filter((row) => !isBlankRecord(row));
  if (!sample.complete && rows.length > limit) rows.length = limit;
  else if (!sample.complete && rows.length > 1) rows.pop();
  return rows.slice(0, limit);
}

/** A record with a single empty (or whitespace) field is a blank line, not a data row. */
export function isBlankRecord(row: string[]): boolean {
  return row.length === 1 && row[0].trim() === '';
}

/** The most common field count (the larger on a tie) and the share of records that have it. */
export function modalFieldCount(rows: string[][]): { count: number; share: number } {
  const freq = new Map<number, number>();
  for (const row of rows) freq.set(row.length, (freq.get(row.length) ?? 0) + 1);
  let count = 0;
  let best = 0;
  for (const [n, f] of freq) {
    if (f > best || (f === best && n > count)) {
      count = n;
      best = f;
    }
  }
  return { count, share: rows.length === 0 ? 0 : best / rows.length };
}

export interface DelimiterGuess {
  delimiter: Delimiter;
  fieldCount: number;
  share: number;
}

/**
 * The delimiter that splits the first records most consistently into two or more fields;
 * `::` when every line contains it (MovieLens 1M), since `:` alone is no candidate. Null when
 * no candidate yields two fields: the file has one column.
 */
export function guessDelimiter(sample: TextSample): DelimiterGuess | null {
  const lines = sample.text.split(sample.newline, SAMPLE_RECORDS + 1).filter((l) => l.trim());
  if (lines.length > 0 && lines.every((line) => line.includes('::'))) {
    const rows = sampleRecords(sample, '::', SAMPLE_RECORDS);
    const { count, share } = modalFieldCount(rows);
    if (count >= 2) return { delimiter: '::', fieldCount: count, share };
  }
  let best: DelimiterGuess | null = null;
  for (const delimiter of DELIMITERS) {
    if (delimiter === '::') continue;
    const rows = sampleRecords(sample, delimiter, SAMPLE_RECORDS);
    const { count, share } = modalFieldCount(rows);
    if (count < 2) continue;
    if (
      best === null ||
      share > best.share + 1e-9 ||
      (Math.abs(share - best.share) <= 1e-9 && count > best.fieldCount)
    ) {
      best = { delimiter, fieldCount: count, share };
    }
  }
  return best;
}
