/**
 * What the foreign fuzz holds a refusal's message to ({@link sentenceProblem}), and the bugs of
 * src/core/import it found ({@link KNOWN_ISSUES}): reported with a minimal reproducer each and
 * not fixed here, so a violation matching one is counted as known instead of failing the
 * suite. Remove an entry once its bug is fixed (./foreign.fuzz.test.ts reproduces each one
 * that runs in milliseconds, and fails when it no longer does).
 */
import type { ForeignCase } from './foreignTypes';

/** Longest refusal accepted as one sentence (file names and ids in messages are shortened). */
export const MAX_MESSAGE = 600;

/**
 * Why `message` is not one sentence, or null: one line, no control characters, at most
 * {@link MAX_MESSAGE} characters, ending in `.`, `?` or `!` (a closing bracket or quote may
 * follow), and no sentence boundary (`x. Y`) outside quoted text.
 */
export function sentenceProblem(message: string): string | null {
  if (message.trim() === '') return 'an empty message';
  if (/[\r\n\u2028\u2029]/.test(message)) return 'a message of several lines';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are the point
  if (/[\u0000-\u001f\u007f]/.test(message)) return 'a control character in the message';
  if (message.length > MAX_MESSAGE) return `a message of ${message.length} characters`;
  if (!/[.?!]["')\]]?$/.test(message)) return 'a message that does not end a sentence';
  const bare = message.replace(/'[^']*'|"[^"]*"|`[^`]*`/g, "''");
  if (/[^\s.]{2}[.!?]\s+[A-Z]/.test(bare)) return 'a message of more than one sentence';
  return null;
}

export interface KnownIssue {
  id: string;
  /** One line: what goes wrong, where. */
  summary: string;
  /** The violation (of case `c`) is this issue. */
  matches: (c: ForeignCase, violation: string) => boolean;
}

const SENTENCE_PROBLEMS = /^a (message|control character|n empty message)/;

/** Refusals of src/core/import that quote TF.js's own error text after a colon. */
const QUOTES_TFJS =
  /^(a [^:]*: )?"(TF\.js could not build the (graph )?model: |The weights do not fit the model: |The (graph )?model fails on a padded history)/;

/**
 * Bugs of src/core/import the fuzz found, reported (with a minimal reproducer each) and not
 * fixed here; a violation matching one is counted as known, not as a failure. Remove an entry
 * once its bug is fixed: the suite then holds the fix. The hazards {@link tfjsHazard} skips
 * (`topology-allocation`, `history-length`, `dangling-inbound`) and the Parquet files hyparquet
 * never finishes reading (`parquet-hang`) or crashes the process on (`parquet-crash`) are
 * known issues too.
 */
export const KNOWN_ISSUES: readonly KnownIssue[] = [
  {
    // kerasHistoryFixture(30)'s model.json with weightsManifest[0].weights[1].shape reversed
    // ([24, 8]) → "The weights do not fit the model: Shape mismatch: [8,24] vs. [24,8]" (no
    // full stop); a graph without its axis0 weight → "... Cannot compute the outputs [scores]
    // from the provided inputs [ids]. Missing the following inputs: [axis0]" (two sentences);
    // a deeply nested layer config → the whole config, over several lines.
    id: 'tfjs-message',
    summary:
      'layersModel.ts / tfjsModel.ts append the TF.js error text after a colon: refusals with no full stop, several sentences, or the whole (deep) layer config',
    matches: (c, v) =>
      c.api === 'tfjs' &&
      SENTENCE_PROBLEMS.test(v) &&
      QUOTES_TFJS.test(v.slice(v.indexOf(': ') + 2)),
  },
  {
    // kerasHistoryFixture(30)'s model.json with modelTopology.model_config.class_name =
    // "Flatten": tfjs-layers builds a bare layer, loading fails, and the cleanup's
    // model.dispose() throws "Cannot dispose Layer sequential_1 because it has not been built
    // yet." out of loadLayersModel (the ModelFileError and the variable cleanup are skipped).
    id: 'dispose-unbuilt',
    summary:
      "layersModel.ts loadLayersModel: the catch's model.dispose() throws for a topology whose top class is a plain layer; a bare Error escapes",
    matches: (c, v) =>
      c.api === 'tfjs' && v.startsWith('undocumented exception Error: Cannot dispose Layer'),
  },
  {
    // kerasHistoryFixture(30) with its first and last shard swapped (same lengths), or with
    // NaN written into a shard: importTfjsModel accepts it and every score is NaN.
    id: 'nan-scores',
    summary:
      'importTfjsModel accepts weights that are NaN / Infinity (or overflow): the imported model scores NaN; nothing checks the weights or the probe row it runs',
    matches: (c, v) => c.api === 'tfjs' && /^an imported model scores (NaN|\+Infinity)/.test(v),
  },
  {
    // graphFixture(30)'s model.json with the GatherV2 node's attr batch_dims.i = 20,000-deep
    // nested arrays
    // ("TF.js could not build the graph model: Maximum call stack size exceeded") leaves its 3
    // weight tensors (1,000 bytes): tfjs-converter decodes the weights before it builds the
    // graph and nothing frees them when building throws (d1b4ddd's check of the constants
    // covers one way in, not this one).
    id: 'graph-refusal-leak',
    summary:
      'tfjsModel.ts loadTfjsModel: a graph model refused while (or after) TF.js builds it leaves its decoded weight tensors',
    matches: (c, v) =>
      c.api === 'tfjs' &&
      /^(\d+ tensors left \((unsupported-model|unmappable|shape-mismatch)\)|a refused import changed (numBytes|numDataBuffers))/.test(
        v,
      ),
  },
  {
    // kerasIdsFixture(12, 30)'s model.json with the item_id InputLayer's config.dtype = []:
    // importTfjsModel accepts it (the ids-in path runs no probe, unlike the history path) and
    // the first score() throws "The dtype of the feed (float32) can not be cast to the dtype
    // of the key 'item_id_1' ()".
    id: 'ids-unprobed',
    summary:
      'tfjsModel.ts / idsModel.ts: an ids-in Keras model is accepted without running it once; one whose input cannot be fed fails at the first score()',
    matches: (c, v) => c.api === 'tfjs' && v.startsWith('an imported model failed to score'),
  },
  {
    // A Spark Parquet table with a page header corrupted ("parquet schema element not found:
    // features,list,ele<NUL><NUL><NUL>t") → factorParquet.ts quotes hyparquet's message, with
    // the file's bytes in it, in "itemFactors.parquet cannot be read from row 1 on (...)".
    id: 'parquet-error-text',
    summary:
      "factorParquet.ts quotes hyparquet's error text, which holds names and bytes from the file: control characters in the refusal",
    matches: (c, v) => c.api === 'factor' && SENTENCE_PROBLEMS.test(v) && /parquet/i.test(v),
  },
  {
    // sparkParquet's item table (the als-parquet-csv base) with two bytes changed, one in the
    // footer's schema ("list" → "\x03ist") and one in the first data page: importFactorModel
    // refuses it, but hyparquet's parquetRead has started reading every column chunk before
    // the schema lookup throws, and the page's "cannot copy from before start of buffer" is a
    // rejection nobody handles. In Node (lens import) that ends the process (exit code 7).
    id: 'parquet-unhandled-rejection',
    summary:
      "factorParquet.ts / hyparquet parquetRead: a corrupt schema plus a corrupt page leaves a column read's rejection unhandled, which ends a Node process",
    matches: (c, v) => c.api === 'factor' && v.startsWith('an unhandled promise rejection escaped'),
  },
  {
    // The flat DOUBLE Parquet base (fuzzForeignBases' als-flat-parquet, 3 KB) with 25 random
    // bytes inserted in its second row group: hyparquet spends 2.4 s on one page (a count from
    // the corrupt header) before it fails; time is not linear in the file's size.
    id: 'parquet-slow',
    summary:
      'factorParquet.ts / hyparquet: a corrupt page header makes reading a 3 KB table take seconds (work follows the counts the header declares)',
    matches: (c, v) => c.api === 'factor' && /^took \d+ ms/.test(v),
  },
];
