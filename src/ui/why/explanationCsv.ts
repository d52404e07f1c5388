/**
 * The explanation as CSV: one row per history item and method that ran
 * (`method,item,title,categories,position,time,value,unit`), quoted as RFC 4180 says (CRLF
 * line ends; a field holding a comma, a quote or a line break in double quotes, its quotes
 * doubled). Methods that did not run have no rows: the JSON export carries their reasons.
 *
 * Cells go through the shared writer (src/core/csv.ts): a text cell (method, item id, title,
 * categories, time, unit) that a spreadsheet would run as a formula, such as a title
 * `=HYPERLINK(…)` from a data file, gets a leading `'`; a plain number, including a negative
 * attribution such as `-0.0123`, stays a number.
 */
import { csvLine } from '../../core/csv';
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

/** The report as CSV text (header first, CRLF line ends, a final CRLF). */
export function explanationCsv(report: Pick<ExplanationReport, 'methods' | 'history'>): string {
  const byPosition = new Map(report.history.map((h) => [h.position, h]));
  const lines = [csvLine(CSV_HEADER)];
  for (const m of okMethods(report.methods)) {
    for (const a of m.attributions) {
      const h = byPosition.get(a.position);
      lines.push(
        csvLine([
          m.method,
          a.item,
          h?.title ?? '',
          h ? h.categories.join('|') : '',
          a.position,
          h?.time ?? '',
          a.value,
          m.unit,
        ]),
      );
    }
  }
  return `${lines.join('\r\n')}\r\n`;
}
