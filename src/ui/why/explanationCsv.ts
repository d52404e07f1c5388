/**
 * The explanation as CSV: one row per history item and method that ran
 * (`method,item,title,categories,position,time,value,unit`), quoted as RFC 4180 says (CRLF
 * line ends; a field holding a comma, a quote or a line break in double quotes, its quotes
 * doubled). Methods that did not run have no rows: the JSON export carries their reasons.
 *
 * Formula injection: a spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` (and some
 * with a leading tab or carriage return) as a formula, so a title like `=HYPERLINK(…)` from a
 * data file would run on the analyst's machine. Every TEXT cell (method, item id, title,
 * categories, time, unit) that starts with one of them is neutralised with a leading `'`.
 * The NUMBER cells (position, value) are left as they are: a negative attribution such as
 * `-0.0123` must stay a number, and a number written by `String(number)` cannot hold a formula.
 */
import type { ExplanationReport } from '../../core/explain/report';
import { okMethods } from './attributionRows';

export const CSV_HEADER = [
  'method',
  'item',
  'title',
  'categories',
  'position',
  'time',
  'value',
  'unit',
];

/** `text` with a leading `'` when a spreadsheet would read it as a formula. */
export function neutraliseFormula(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/** One field quoted per RFC 4180 when it must be. */
export function quoteCsvField(field: string): string {
  return /[",\r\n]/.test(field) ? `"${field.replaceAll('"', '""')}"` : field;
}

/** A text cell: neutralised against formulas, then quoted. */
const textCell = (text: string | null) => quoteCsvField(neutraliseFormula(text ?? ''));

/** A number cell: the number as JavaScript writes it (round-trips), empty when not finite. */
const numberCell = (n: number) => (Number.isFinite(n) ? String(n) : '');

/** The report as CSV text (header first, CRLF line ends, a final CRLF). */
export function explanationCsv(report: Pick<ExplanationReport, 'methods' | 'history'>): string {
  const byPosition = new Map(report.history.map((h) => [h.position, h]));
  const lines = [CSV_HEADER.join(',')];
  for (const m of okMethods(report.methods)) {
    for (const a of m.attributions) {
      const h = byPosition.get(a.position);
      lines.push(
        [
          textCell(m.method),
          textCell(a.item),
          textCell(h?.title ?? null),
          textCell(h ? h.categories.join('|') : ''),
          numberCell(a.position),
          textCell(h?.time ?? null),
          numberCell(a.value),
          textCell(m.unit),
        ].join(','),
      );
    }
  }
  return `${lines.join('\r\n')}\r\n`;
}
