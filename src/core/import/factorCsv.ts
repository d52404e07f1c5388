/**
 * Reading a factor table from CSV (see factorTable.ts for the layouts): with or without a
 * header row, a `features` cell like `[0.1, 0.2]` (quoted or not) or one column per factor.
 */
import Papa from 'papaparse';
import { count, listed, refuse, shown, type TableBuilder } from './factorBuilder';

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const NON_FINITE = /^[+-]?(inf|infinity|nan)$/i;

/** A cell as a number: NaN for `nan`, ±Infinity for `inf`; null when it is not a number. */
function parseNumber(cell: string): number | null {
  const t = cell.trim();
  if (NUMBER.test(t)) return Number(t);
  if (NON_FINITE.test(t)) {
    const lower = t.toLowerCase();
    if (lower.endsWith('nan')) return Number.NaN;
    return lower.startsWith('-') ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  }
  return null;
}

/** The values of a `[0.1, 0.2]` cell (brackets optional, commas or spaces between). */
function listCells(cell: string): string[] {
  let t = cell.trim();
  if (t.startsWith('[') && t.endsWith(']')) t = t.slice(1, -1).trim();
  return t === '' ? [] : t.split(/\s*,\s*|\s+/);
}

const looksLikeList = (cell: string) => /^\s*\[.*\]\s*$/s.test(cell);

/**
 * An unquoted `[0.1, 0.2]` last cell is split at its commas by the CSV reader: joins it back
 * (the cells from `at` on) when they start with `[` and end with `]`.
 */
function joinList(cells: string[], at: number): string[] {
  if (cells.length <= at + 1) return cells;
  const rest = cells.slice(at);
  if (!rest[0].trim().startsWith('[') || !rest[rest.length - 1].trim().endsWith(']')) return cells;
  return [...cells.slice(0, at), rest.join(',')];
}

export function readCsv(bytes: Uint8Array, b: TableBuilder): void {
  let text = new TextDecoder('utf-8').decode(bytes);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let idAt = 0;
  let featuresAt = -1;
  let factorColumns: number[] = [];
  let names: string[] = [];
  let hasHeader = false;
  let row = 0;
  let started = false;
  let failure: unknown = null;

  const cellNumber = (cell: string, at: number, where: string): number => {
    const t = cell.trim();
    if (t === '') {
      refuse(
        'invalid-metadata',
        `Row ${count(at)} of ${b.source} has an empty factor in ${where}.`,
      );
    }
    const n = parseNumber(t);
    if (n === null) {
      refuse(
        'invalid-metadata',
        `Row ${count(at)} of ${b.source} has '${shown(t)}' in ${where}, not a number.`,
      );
    }
    return n;
  };

  /** Reads the header (or sees there is none); true when the first row is data. */
  const setUp = (first: string[]): boolean => {
    const headerless =
      parseNumber(first[0] ?? '') !== null &&
      (joinList(first, 1).length === 2 && looksLikeList(joinList(first, 1)[1])
        ? true
        : first.every((c) => parseNumber(c) !== null));
    if (headerless) {
      const joined = joinList(first, 1);
      featuresAt = joined.length === 2 && looksLikeList(joined[1]) ? 1 : -1;
      names = first.map((_, k) => `${k + 1}`);
    } else {
      hasHeader = true;
      names = first.map((c) => c.trim());
      idAt = names.findIndex((c) => c.toLowerCase() === 'id');
      if (idAt < 0) {
        refuse(
          'invalid-metadata',
          `${b.source} has no id column (its header: ${listed(names)}): Spark ALS writes id and features; a flat table needs an id column and one numeric column per factor.`,
        );
      }
      featuresAt = names.findIndex((c) => c.toLowerCase() === 'features');
    }
    if (featuresAt >= 0) {
      b.layout = 'spark';
      return headerless;
    }
    factorColumns = names.map((_, k) => k).filter((k) => k !== idAt);
    if (factorColumns.length === 0) {
      refuse(
        'shape-mismatch',
        `${b.source} has an id column and no factor columns (rank 0): a factor table needs at least one factor per row.`,
      );
    }
    b.checkRank(factorColumns.length, '', null);
    return headerless;
  };

  const addRow = (raw: string[]) => {
    row++;
    if (b.layout === 'spark') {
      const cells = featuresAt === names.length - 1 ? joinList(raw, featuresAt) : raw;
      const values = listCells(cells[featuresAt] ?? '');
      b.width(row, values.length);
      const at = b.begin(row, (cells[idAt] ?? '').trim());
      values.forEach((v, k) => {
        const where = `features[${k}]`;
        b.set(at, k, cellNumber(v, row, where), row, where);
      });
      return;
    }
    if (raw.length !== names.length) {
      const n = Math.max(0, raw.length - 1);
      refuse(
        'shape-mismatch',
        `Row ${count(row)} of ${b.source} has ${count(n)} factor${n === 1 ? '' : 's'}, the ${hasHeader ? 'header' : 'first row'} ${count(factorColumns.length)}.`,
      );
    }
    b.width(row, factorColumns.length);
    const at = b.begin(row, (raw[idAt] ?? '').trim());
    factorColumns.forEach((c, k) => {
      const where = hasHeader ? `column ${shown(names[c])}` : `column ${c + 1}`;
      b.set(at, k, cellNumber(raw[c], row, where), row, where);
    });
  };

  Papa.parse<string[]>(text, {
    skipEmptyLines: 'greedy',
    step: (results, parser) => {
      try {
        const broken = results.errors.find((e) => e.type === 'Quotes');
        if (broken) {
          refuse(
            'invalid-metadata',
            `${b.source} cannot be read as CSV after row ${count(row)}: ${broken.message.replace(/\.$/, '')}.`,
          );
        }
        const cells = results.data;
        if (!started) {
          started = true;
          if (!setUp(cells)) return;
        }
        addRow(cells);
      } catch (error) {
        failure = error;
        parser.abort();
      }
    },
  });
  if (failure) throw failure;
}
