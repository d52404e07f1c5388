/**
 * The factor table as it is read, row by row: {@link TableBuilder} checks each row (width, id,
 * finite float32 factors) and grows its buffer within the memory budget, for the Parquet and
 * CSV readers alike; and the helpers their refusals are worded with.
 */
import { fileText } from '../models/fileText';
import { ModelFileError, type ModelFileErrorCode } from '../models/modelFileError';
import { MAX_ALS_RANK } from './alsTypes';

/** Factors per row above which a table is refused: no ALS model is that wide. */
export const MAX_FACTOR_RANK = MAX_ALS_RANK;

/** A read factor table: `factors` is row-major `[ids.length, rank]`. */
export interface FactorTable {
  /** The file name, for messages. */
  source: string;
  format: 'parquet' | 'csv';
  layout: 'spark' | 'flat';
  ids: string[];
  rank: number;
  factors: Float32Array;
}

export const count = (n: number) => n.toLocaleString('en');

/** A name from the file as a message shows it: printable, at most 30 characters. */
export function shown(name: string): string {
  return fileText(name, 30);
}

/** The first names of a header or schema, for a message. */
export const listed = (names: string[]) =>
  `${names.slice(0, 8).map(shown).join(', ')}${names.length > 8 ? ', ...' : ''}`;
const gib = (bytes: number) => `${(bytes / 1024 ** 3).toFixed(2)} GiB`;

export function refuse(code: ModelFileErrorCode, sentence: string): never {
  throw new ModelFileError(code, sentence);
}

/** Collects rows, checking each as it comes; grows its buffer within the budget. */
export class TableBuilder {
  readonly ids: string[] = [];
  private readonly firstRow = new Map<string, number>();
  layout: FactorTable['layout'] = 'flat';
  /** 0 until the first row sets it. */
  rank = 0;
  private factors = new Float32Array(0);
  /** Rows the table says it has (Parquet footer), to allocate once. */
  private declaredRows = 0;

  /** The file name as messages show it. */
  readonly source: string;

  constructor(
    fileName: string,
    private readonly budget: number,
  ) {
    this.source = fileText(fileName, 60);
  }

  get rows(): number {
    return this.ids.length;
  }

  /** Refuses, before allocating, a table whose declared size is past the budget. */
  declare(rows: number, factorsPerRow: number, approximate: boolean): void {
    this.checkRank(Math.round(factorsPerRow), approximate ? 'about ' : '', null);
    const bytes = 4 * rows * factorsPerRow;
    if (bytes > this.budget) {
      refuse(
        'too-large',
        `${this.source} declares ${count(rows)} rows × ${approximate ? 'about ' : ''}${count(Math.round(factorsPerRow))} factors = ${gib(bytes)}, more than the ${gib(this.budget)} this page can hold.`,
      );
    }
    this.declaredRows = rows;
  }

  checkRank(rank: number, about: string, row: number | null): void {
    const where = row === null ? `${this.source} has` : `Row ${count(row)} of ${this.source} has`;
    if (rank > MAX_FACTOR_RANK) {
      refuse(
        'invalid-metadata',
        `${where} ${about}${count(rank)} factors per row, more than the ${count(MAX_FACTOR_RANK)} any ALS model has: is this a factor table?`,
      );
    }
  }

  /** Sets the rank from the first row; later rows must match it. */
  width(row: number, n: number): void {
    if (this.rank === 0) {
      if (n === 0) {
        refuse(
          'shape-mismatch',
          `Row ${count(row)} of ${this.source} has no factors (rank 0): a factor table needs at least one factor per row.`,
        );
      }
      this.checkRank(n, '', row);
      this.rank = n;
      return;
    }
    if (n !== this.rank) {
      refuse(
        'shape-mismatch',
        `Row ${count(row)} of ${this.source} has ${count(n)} factor${n === 1 ? '' : 's'}, the first row ${count(this.rank)}.`,
      );
    }
  }

  /** Starts row `row` (1-based) with `id`; returns where its factors go. */
  begin(row: number, id: string): number {
    if (id === '') refuse('invalid-metadata', `Row ${count(row)} of ${this.source} has no id.`);
    const earlier = this.firstRow.get(id);
    if (earlier !== undefined) {
      refuse(
        'invalid-metadata',
        `Row ${count(row)} of ${this.source} repeats id ${shown(id)} of row ${count(earlier)}: every id must appear once.`,
      );
    }
    this.firstRow.set(id, row);
    const at = this.ids.length * this.rank;
    if (at + this.rank > this.factors.length) this.grow();
    this.ids.push(id);
    return at;
  }

  private grow(): void {
    const rows = this.ids.length;
    const wanted = Math.max(this.declaredRows, 2 * rows, 1024);
    let capacity = wanted * this.rank;
    if (4 * capacity > this.budget) {
      capacity = Math.floor(this.budget / 4);
      if (capacity < (rows + 1) * this.rank) {
        refuse(
          'too-large',
          `${this.source} holds more than ${count(rows)} rows × ${count(this.rank)} factors, more than the ${gib(this.budget)} this page can hold.`,
        );
      }
    }
    const next = new Float32Array(capacity);
    next.set(this.factors.subarray(0, rows * this.rank));
    this.factors = next;
  }

  /** Stores factor `k` of the row started at `at`, refusing what is not a finite float32. */
  set(at: number, k: number, value: number, row: number, where: string): void {
    const f = Math.fround(value);
    if (!Number.isFinite(f)) {
      refuse(
        'non-finite-weights',
        Number.isFinite(value)
          ? `Row ${count(row)} of ${this.source} has factor ${value} in ${where}, outside the float32 range.`
          : `Row ${count(row)} of ${this.source} has a non-finite factor (${value}) in ${where}.`,
      );
    }
    this.factors[at + k] = f;
  }

  finish(format: FactorTable['format']): FactorTable {
    if (this.ids.length === 0) {
      refuse('invalid-metadata', `${this.source} has no rows: there are no factors to read.`);
    }
    const used = this.ids.length * this.rank;
    const factors = used === this.factors.length ? this.factors : this.factors.slice(0, used);
    return {
      source: this.source,
      format,
      layout: this.layout,
      ids: this.ids,
      rank: this.rank,
      factors,
    };
  }
}
