/**
 * `npm run bench -- fuzz [--inputs 10000] [--models N] [--cells N] [--foreign N] [--seed S]`:
 * the long fuzz campaign. The same seeded generators (src/core/fuzz/generators.ts,
 * foreignGenerators.ts) and invariants (src/core/fuzz/checks.ts, foreignCheck.ts) as the fuzz
 * suites in `npm test`, on many more inputs: `--inputs` CSV files through the core ingest
 * (default 10,000), `--models` model files through `loadSavedModel` (default inputs / 5 =
 * 2,000), `--cells` rows of CSV cells through the writer and back (default = inputs) and
 * `--foreign` imports of models from other engines (Keras, graph, ALS tables, id lists and
 * mapping sidecars through `importTfjsModel`, `importFactorModel`, `parseIdList`; default
 * inputs / 2 = 5,000). Node, TF.js on wasm.
 *
 * Prints and writes bench/results/fuzz-<date>.json (fuzz-foreign-<date>.json when only the
 * foreign part runs: `--inputs 0 --models 0 --cells 0 --foreign N`): inputs, outcomes
 * (accepted or the error code), accepted / rejected row totals and rejections by reason, error
 * codes, time per input (ms per KB, median and max over inputs of 1 KB or more; the most of
 * its time budget any input used) and every violation (there must be none; the exit code is
 * 1 otherwise). A violation names its case: `csvCase(seed, index)` (or `modelCase`,
 * `cellCase`, `foreignCase(seed, index, await fuzzForeignBases())`) rebuilds it. Foreign cases
 * that run into a known bug of src/core/import (KNOWN_ISSUES in src/core/fuzz/foreignCheck.ts,
 * among them the hazards not run at all) are counted by issue, with their first case, apart
 * from the violations.
 */
import { cpus } from 'node:os';
import { join } from 'node:path';
import { wasmBinaryFolder } from '../src/cli/backend';
import { initBackend } from '../src/core/backend';
import { checkCellCase } from '../src/core/fuzz/cellCheck';
import { timeBudgetMs } from '../src/core/fuzz/checks';
import { fuzzForeignBases } from '../src/core/fuzz/foreignBases';
import { checkForeignCase, KNOWN_ISSUES } from '../src/core/fuzz/foreignCheck';
import { foreignCase } from '../src/core/fuzz/foreignGenerators';
import { cellCase, csvCase, FUZZ_SEED, modelCase } from '../src/core/fuzz/generators';
import { checkCsvCase } from '../src/core/fuzz/ingestCheck';
import { fuzzModelBases } from '../src/core/fuzz/modelBases';
import { checkModelCase } from '../src/core/fuzz/modelCheck';
import * as tf from '../src/core/tf';
import { median, round } from './stats';
import { writeNamedResult } from './train-report';

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = at >= 0 ? Number(process.argv[at + 1]) : fallback;
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`--${name} must be a count`);
  return value;
}

const add = (counts: Record<string, number>, key: string, by = 1) => {
  counts[key] = (counts[key] ?? 0) + by;
};

/** Sorted by count, largest first, for a readable JSON. */
const sorted = (counts: Record<string, number>) =>
  Object.fromEntries(Object.entries(counts).sort((a, b) => b[1] - a[1]));

interface Violation {
  part: 'csv' | 'model' | 'cell' | 'foreign';
  index: number;
  kind: string;
  violations: string[];
}

export async function runFuzzBench(root: string): Promise<void> {
  const inputs = option('inputs', 10_000);
  const modelInputs = option('models', Math.round(inputs / 5));
  const cellInputs = option('cells', inputs);
  const foreignInputs = option('foreign', Math.round(inputs / 2));
  const seed = option('seed', FUZZ_SEED);
  const backend = await initBackend({ wasmPaths: wasmBinaryFolder() });
  console.log(
    `[fuzz] seed ${seed}: ${inputs} CSVs, ${modelInputs} model files, ${cellInputs} cell rows, ${foreignInputs} foreign imports; backend ${backend.reason}`,
  );
  const violations: Violation[] = [];
  const startTensors = tf.memory().numTensors;

  // CSV files through ingest.
  const csvStarted = performance.now();
  const outcomes: Record<string, number> = {};
  const mutations: Record<string, number> = {};
  const reasons: Record<string, number> = {};
  const msPerKb: number[] = [];
  let maxMs = 0;
  let maxBudgetShare = 0;
  let bytes = 0;
  let accepted = 0;
  let rejected = 0;
  let blankLines = 0;
  let knownCounts = 0;
  for (let i = 0; i < inputs; i++) {
    const c = csvCase(seed, i);
    const out = await checkCsvCase(c);
    if (out.violations.length > 0) {
      violations.push({ part: 'csv', index: i, kind: c.kind, violations: out.violations });
      console.log(`[fuzz] csv ${i} (${c.kind}): ${out.violations.join('; ')}`);
    }
    add(outcomes, out.result);
    for (const kind of new Set(c.kind.split('+'))) add(mutations, kind);
    for (const [reason, n] of Object.entries(out.byReason)) add(reasons, reason, n);
    accepted += out.accepted;
    rejected += out.rejected;
    blankLines += out.blankLines;
    if (c.expected && out.result === 'accepted') knownCounts++;
    bytes += c.bytes.length;
    if (c.bytes.length >= 1024) msPerKb.push(out.ms / (c.bytes.length / 1024));
    maxMs = Math.max(maxMs, out.ms);
    maxBudgetShare = Math.max(maxBudgetShare, out.ms / timeBudgetMs(c.bytes.length));
    if ((i + 1) % 1000 === 0) console.log(`[fuzz] ${i + 1} CSVs`);
  }
  const csvSeconds = (performance.now() - csvStarted) / 1000;

  // Model files through loadSavedModel.
  const modelStarted = performance.now();
  const { dataset, bases } = await fuzzModelBases();
  const modelOutcomes: Record<string, number> = {};
  let modelMaxMs = 0;
  for (let i = 0; i < modelInputs; i++) {
    const c = modelCase(seed, i, bases);
    const out = await checkModelCase(c, dataset);
    if (out.violations.length > 0) {
      violations.push({
        part: 'model',
        index: i,
        kind: `${c.base}: ${c.kind}`,
        violations: out.violations,
      });
      console.log(`[fuzz] model ${i} (${c.base}: ${c.kind}): ${out.violations.join('; ')}`);
    }
    add(modelOutcomes, out.result);
    modelMaxMs = Math.max(modelMaxMs, out.ms);
  }
  const modelSeconds = (performance.now() - modelStarted) / 1000;

  // CSV cells through the writer and our reader.
  const cellStarted = performance.now();
  let cells = 0;
  let neutralised = 0;
  for (let i = 0; i < cellInputs; i++) {
    const row = cellCase(seed, i);
    const out = await checkCellCase(row, i % 2 === 0 ? '\n' : '\r\n');
    if (out.violations.length > 0) {
      violations.push({
        part: 'cell',
        index: i,
        kind: JSON.stringify(row),
        violations: out.violations,
      });
      console.log(`[fuzz] cell row ${i}: ${out.violations.join('; ')}`);
    }
    cells += row.length;
    neutralised += out.neutralised;
  }
  const cellSeconds = (performance.now() - cellStarted) / 1000;

  // Imports of models from other engines (Keras, graph, ALS, id lists, mapping sidecars).
  const foreignStarted = performance.now();
  const foreignBases = await fuzzForeignBases();
  const foreignOutcomes: Record<string, number> = {};
  const foreignMutations: Record<string, number> = {};
  const knownIssues: Record<string, { cases: number; first: number; kind: string }> = {};
  const foreignMsPerKb: number[] = [];
  let foreignBytes = 0;
  let foreignMaxMs = 0;
  let foreignBudgetShare = 0;
  let foreignTensorsLeft = 0;
  for (let i = 0; i < foreignInputs; i++) {
    const c = foreignCase(seed, i, foreignBases);
    const before = tf.memory().numTensors;
    const out = await checkForeignCase(c, foreignBases);
    foreignTensorsLeft += tf.memory().numTensors - before;
    const kind = `${c.api} ${c.base}: ${c.kind}`;
    if (out.violations.length > 0) {
      violations.push({ part: 'foreign', index: i, kind, violations: out.violations });
      console.log(`[fuzz] foreign ${i} (${kind}): ${out.violations.join('; ')}`);
    }
    add(foreignOutcomes, `${c.api}: ${out.result}`);
    for (const k of new Set(c.kind.split('+'))) add(foreignMutations, `${c.api}: ${k}`);
    for (const id of out.known) {
      const entry = knownIssues[id] ?? { cases: 0, first: i, kind };
      entry.cases++;
      knownIssues[id] = entry;
    }
    foreignBytes += out.bytes;
    if (out.result !== 'skipped') {
      if (out.bytes >= 1024) foreignMsPerKb.push(out.ms / (out.bytes / 1024));
      foreignMaxMs = Math.max(foreignMaxMs, out.ms);
      foreignBudgetShare = Math.max(foreignBudgetShare, out.ms / timeBudgetMs(out.bytes));
    }
    if ((i + 1) % 1000 === 0) {
      const { rss, heapUsed } = process.memoryUsage();
      console.log(
        `[fuzz] ${i + 1} foreign imports (rss ${Math.round(rss / 2 ** 20)} MiB, heap ${Math.round(heapUsed / 2 ** 20)} MiB)`,
      );
    }
  }
  const foreignSeconds = (performance.now() - foreignStarted) / 1000;
  // Tensors the foreign cases left are their own violations or a known issue (counted there).
  const tensorsLeft = tf.memory().numTensors - startTensors - foreignTensorsLeft;
  if (tensorsLeft !== 0) {
    violations.push({
      part: 'model',
      index: -1,
      kind: 'campaign',
      violations: [`${tensorsLeft} tensors left`],
    });
  }

  const result = {
    date: new Date().toISOString(),
    seed,
    machine: {
      cpus: cpus().length,
      cpu: cpus()[0]?.model ?? 'unknown',
      node: process.version,
      backend: tf.getBackend(),
    },
    csv: {
      inputs,
      megabytes: round(bytes / 1e6, 1),
      seconds: round(csvSeconds, 1),
      outcomes: sorted(outcomes),
      rows: { accepted, rejected, blankLines },
      rejectedByReason: sorted(reasons),
      inputsWithKnownCounts: knownCounts,
      mutations: sorted(mutations),
      msPerKb: {
        inputs: msPerKb.length,
        median: msPerKb.length > 0 ? round(median(msPerKb), 3) : null,
        max: msPerKb.length > 0 ? round(Math.max(...msPerKb), 3) : null,
      },
      maxMs: round(maxMs, 1),
      maxShareOfTimeBudget: round(maxBudgetShare, 3),
    },
    models: {
      inputs: modelInputs,
      seconds: round(modelSeconds, 1),
      bases: bases.map((b) => b.name),
      outcomes: sorted(modelOutcomes),
      maxMs: round(modelMaxMs, 1),
      tensorsLeft,
    },
    cells: { rows: cellInputs, cells, neutralised, seconds: round(cellSeconds, 1) },
    foreign: {
      inputs: foreignInputs,
      megabytes: round(foreignBytes / 1e6, 1),
      seconds: round(foreignSeconds, 1),
      bases: [...foreignBases.tfjs, ...foreignBases.factor, ...foreignBases.idLists].map(
        (b) => b.name,
      ),
      outcomes: sorted(foreignOutcomes),
      mutations: sorted(foreignMutations),
      msPerKb: {
        inputs: foreignMsPerKb.length,
        median: foreignMsPerKb.length > 0 ? round(median(foreignMsPerKb), 3) : null,
        max: foreignMsPerKb.length > 0 ? round(Math.max(...foreignMsPerKb), 3) : null,
      },
      maxMs: round(foreignMaxMs, 1),
      maxShareOfTimeBudget: round(foreignBudgetShare, 3),
      tensorsLeft: foreignTensorsLeft,
      knownIssues: Object.fromEntries(
        Object.entries(knownIssues)
          .sort((a, b) => b[1].cases - a[1].cases)
          .map(([id, v]) => [
            id,
            { ...v, summary: KNOWN_ISSUES.find((k) => k.id === id)?.summary ?? 'not run (hazard)' },
          ]),
      ),
    },
    violations: violations.length,
    violationList: violations.slice(0, 50),
  };
  console.log('[fuzz] CSV outcomes');
  console.table(result.csv.outcomes);
  console.log(
    `[fuzz] CSVs: ${inputs} (${result.csv.megabytes} MB) in ${result.csv.seconds} s; rows accepted ${accepted}, rejected ${rejected}; ` +
      `ms/KB median ${result.csv.msPerKb.median}, max ${result.csv.msPerKb.max}; slowest ${result.csv.maxMs} ms; ` +
      `most of a time budget used ${result.csv.maxShareOfTimeBudget}`,
  );
  console.log('[fuzz] model file outcomes');
  console.table(result.models.outcomes);
  console.log(
    `[fuzz] model files: ${modelInputs} in ${result.models.seconds} s (slowest ${result.models.maxMs} ms), tensors left ${tensorsLeft}`,
  );
  console.log(
    `[fuzz] cells: ${cellInputs} rows, ${cells} cells (${neutralised} neutralised) in ${result.cells.seconds} s`,
  );
  console.log('[fuzz] foreign import outcomes');
  console.table(result.foreign.outcomes);
  console.log(
    `[fuzz] foreign imports: ${foreignInputs} (${result.foreign.megabytes} MB) in ${result.foreign.seconds} s; ` +
      `ms/KB median ${result.foreign.msPerKb.median}, max ${result.foreign.msPerKb.max}; slowest ${result.foreign.maxMs} ms; ` +
      `most of a time budget used ${result.foreign.maxShareOfTimeBudget}; tensors left ${foreignTensorsLeft}`,
  );
  console.log('[fuzz] known issues of src/core/import (cases, first case)');
  console.table(
    Object.fromEntries(
      Object.entries(result.foreign.knownIssues).map(([id, v]) => [
        id,
        { cases: v.cases, first: v.first, kind: v.kind.slice(0, 60) },
      ]),
    ),
  );
  console.log(`[fuzz] violations: ${violations.length}`);
  // A run of the foreign part alone does not replace the day's full campaign.
  const only = inputs === 0 && modelInputs === 0 && cellInputs === 0 && foreignInputs > 0;
  const path = writeNamedResult(
    join(root, 'bench', 'results'),
    only ? 'fuzz-foreign' : 'fuzz',
    result,
  );
  console.log(`[fuzz] wrote ${path}`);
  if (violations.length > 0) process.exitCode = 1;
}
