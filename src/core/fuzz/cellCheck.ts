/**
 * The CSV-cell invariant of the fuzz checks (see ./checks.ts): a row written by `csvLine` reads
 * back through our reader as the text (as UTF-8 writes it), after a leading `'` when
 * formula-like, and no cell can start a formula. The read-back helpers also serve the ingest
 * check's rejected-rows CSV (./ingestCheck.ts).
 */
import { csvLine } from '../csv';
import { streamRecords } from '../data/recordStream';
import { bytesSource } from '../data/sources';
import type { Newline } from '../data/text';
import { asUtf8 } from './generators';

/** The records of `text` as our ingest reader reads them (UTF-8, comma-separated). */
export async function readBack(text: string, newline: Newline): Promise<string[][]> {
  const rows: string[][] = [];
  await streamRecords(
    bytesSource(new TextEncoder().encode(text), 'back.csv'),
    { delimiter: ',', newline, encoding: 'utf-8', bom: false },
    (batch) => {
      for (const row of batch.rows) rows.push(row);
    },
  );
  return rows;
}

/** A cell a spreadsheet could run: a formula starter, unless it is a plain decimal number. */
export function startsFormula(cell: string): boolean {
  return /^[=+\-@\t\r]/.test(cell) && !/^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/.test(cell);
}

/** What a text cell must read back as: its UTF-8 text, after a `'` when it could run. */
export function expectedCell(value: string | number): string {
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const text = asUtf8(value);
  return startsFormula(value) ? `'${text}` : text;
}

export function sameRows(got: string[][], want: string[][]): string | null {
  if (got.length !== want.length) return `read back ${got.length} rows, wrote ${want.length}`;
  for (let r = 0; r < want.length; r++) {
    const a = got[r];
    const b = want[r];
    if (a.length !== b.length) return `row ${r}: read back ${a.length} cells, wrote ${b.length}`;
    for (let c = 0; c < b.length; c++) {
      if (a[c] !== b[c]) {
        return `row ${r} cell ${c}: read back ${JSON.stringify(a[c].slice(0, 80))}, expected ${JSON.stringify(b[c].slice(0, 80))}`;
      }
    }
  }
  return null;
}

export interface CellOutcome {
  neutralised: number;
  violations: string[];
}

/** Writes `cells` as one record (and a second copy) and reads them back (see the module comment). */
export async function checkCellCase(
  cells: readonly (string | number)[],
  newline: '\n' | '\r\n',
): Promise<CellOutcome> {
  const violations: string[] = [];
  const line = csvLine(cells);
  const want = cells.map(expectedCell);
  const got = await readBack(`${line}${newline}${line}${newline}`, newline);
  const mismatch = sameRows(got, [want, want]);
  if (mismatch) violations.push(mismatch);
  let neutralised = 0;
  for (const row of got) {
    for (const value of row) {
      if (startsFormula(value)) violations.push(`a cell reads back as a formula: ${value}`);
    }
  }
  for (let i = 0; i < cells.length; i++) {
    const value = cells[i];
    if (typeof value === 'string' && startsFormula(value)) neutralised++;
  }
  // Unquoted, no written cell starts a formula (split on the writer's own cells, not the line).
  for (const value of cells) {
    const raw = csvLine([value]);
    if (!raw.startsWith('"') && startsFormula(raw)) violations.push(`unquoted formula cell ${raw}`);
  }
  return { neutralised, violations };
}
