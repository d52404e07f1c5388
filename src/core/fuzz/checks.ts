/**
 * The invariants every fuzzed input is held to, shared by the fuzz suite in `npm test`
 * (./fuzz.test.ts) and the long campaign (bench/fuzz.ts). Each `check*` runs one input and
 * returns what happened plus a list of violations (empty when every invariant held):
 * `checkCsvCase` (ingest, ./ingestCheck.ts), `checkModelCase` (model files, ./modelCheck.ts)
 * and `checkCellCase` (CSV cells, ./cellCheck.ts). This module holds what they share.
 */

/** Time allowed for one input: generous (a loaded 2-core machine), but linear in its size. */
export function timeBudgetMs(bytes: number): number {
  return 2000 + (50 * bytes) / 1024;
}

/** An escaped error as a violation names it: its class and the start of its message. */
export const describeError = (error: unknown) =>
  error instanceof Error ? `${error.name}: ${error.message.slice(0, 300)}` : String(error);
