/**
 * The one CSV cell writer of every CSV this product writes (the rejected rows, the explanation
 * export, the bundled sample): RFC 4180 quoting plus a defence against formula injection.
 *
 * Quoting: a field holding a comma, a double quote, a line break or leading / trailing white
 * space is written in double quotes, its quotes doubled.
 *
 * Formula injection (OWASP "CSV Injection"): a spreadsheet runs a cell that starts with `=`,
 * `+`, `-` or `@` (and some do with a leading tab or carriage return) as a formula, so a value
 * like `=HYPERLINK(…)`, `-2+3+cmd|' /C calc'!A0` or `-1+1` taken from a data file would run on
 * the machine of whoever opens the CSV. Such a cell gets a leading `'` (shown as text, not
 * run) and is always quoted. A plain number (`-1.5`, `+3`, `1e-3`, `-0`, `.5`) is left as it
 * is: a negative attribution must stay a number, and nothing but digits can follow its sign.
 */

/** A decimal number and nothing else: optional sign, digits with an optional point, exponent. */
const PLAIN_NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** First characters a spreadsheet may read as the start of a formula. */
const FORMULA_START = /^[=+\-@\t\r]/;

/** Characters (or edge white space) that force a field into double quotes. */
const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

/** True when a spreadsheet could run `text` as a formula (it is then neutralised). */
export function isFormulaLike(text: string): boolean {
  return FORMULA_START.test(text) && !PLAIN_NUMBER.test(text);
}

/**
 * One CSV cell. Text is neutralised when formula-like, then quoted when needed; a number is
 * written as JavaScript writes it (it round-trips), and an empty cell when not finite.
 */
export function csvCell(value: string | number): string {
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (isFormulaLike(value)) return `"'${value.replaceAll('"', '""')}"`;
  return NEEDS_QUOTES.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** One CSV record (no line ending): the cells written by {@link csvCell}, comma-separated. */
export function csvLine(cells: readonly (string | number)[]): string {
  return cells.map(csvCell).join(',');
}
