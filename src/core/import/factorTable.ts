/**
 * Factor tables: the user or item factors of a matrix-factorisation model trained elsewhere,
 * as Parquet or CSV. Two layouts are read:
 *
 * - Spark MLlib ALS's own (`model.userFactors` / `model.itemFactors` written as they are): an
 *   `id` column and a `features` column holding an array of floats. In CSV (Spark cannot write
 *   arrays to CSV; `to_json` or `concat_ws` can) `features` is one cell like `[0.1, 0.2]`.
 * - Flat: an `id` column and one numeric column per factor, in column order, any names.
 *
 * The id column is the one named `id` (any case). A CSV without a header row is read when its
 * first row is all numbers (or a bracketed list): then the first column is the id. Ids are
 * kept as text (an integer or BigInt id as its decimal digits), so they match a dataset's ids
 * as they were read from its file. Other columns next to `id` and `features` are ignored.
 *
 * Every way a table can be wrong ends in one {@link ModelFileError} sentence naming the file
 * and, where there is one, the row (rows count from 1, the header not included): mixed widths,
 * non-finite or non-numeric factors, duplicate ids, no id column, no rows, rank 0 or a rank no
 * ALS model has. The memory the factors need is checked against {@link MAX_MODEL_BYTES} before
 * it is allocated (from the Parquet footer's declared sizes; for CSV before each growth), and
 * a bad table is refused at its first bad row: time stays linear, memory bounded.
 */
import { errorReason } from '../models/fileText';
import { ModelFileError } from '../models/modelFileError';
import { MAX_MODEL_BYTES } from '../models/weightPlan';
import { type FactorTable, refuse, TableBuilder } from './factorBuilder';
import { readCsv } from './factorCsv';
import { readParquet } from './factorParquet';

export { type FactorTable, MAX_FACTOR_RANK } from './factorBuilder';

export interface FactorTableOptions {
  /** Bytes the factors may take (default {@link MAX_MODEL_BYTES}). */
  budgetBytes?: number;
}

/** Parquet files start and end with these four bytes. */
function isParquet(bytes: Uint8Array): boolean {
  const magic = [0x50, 0x41, 0x52, 0x31];
  return bytes.length >= 4 && magic.every((b, i) => bytes[i] === b);
}

/**
 * Reads a factor table from the bytes of `fileName`: Parquet when it starts with `PAR1`,
 * CSV otherwise. Refuses a malformed table with one {@link ModelFileError} sentence.
 */
export async function readFactorTable(
  bytes: Uint8Array,
  fileName: string,
  options: FactorTableOptions = {},
): Promise<FactorTable> {
  const budget = options.budgetBytes ?? MAX_MODEL_BYTES;
  if (bytes.length === 0) refuse('invalid-metadata', `${fileName} is empty.`);
  const builder = new TableBuilder(fileName, budget);
  if (isParquet(bytes)) {
    try {
      await readParquet(bytes, builder);
    } catch (error) {
      // What the Parquet decoder throws on a damaged file (a RangeError from a flipped footer
      // length, ...) is said as what it is; our own refusals pass through.
      if (error instanceof ModelFileError) throw error;
      refuse(
        'invalid-metadata',
        `${builder.source} is a Parquet file, but it is corrupt or truncated (${errorReason(error)}).`,
      );
    }
    return builder.finish('parquet');
  }
  readCsv(bytes, builder);
  return builder.finish('csv');
}
