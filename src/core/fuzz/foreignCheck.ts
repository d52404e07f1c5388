/**
 * The invariants of the foreign fuzz (imports of models from other engines, see
 * ./foreignGenerators.ts), shared by the fuzz test in `npm test` (./foreign.fuzz.test.ts) and
 * the long campaign (bench/fuzz.ts). Each case runs its API the way the CLI does
 * (`parseIdList` for the id files the sidecar names, `parseMapping`, then `importTfjsModel`;
 * `importFactorModel`; or `parseIdList` alone) and is held to:
 *
 * - it succeeds, or throws a {@link ModelFileError} with a code documented for that API whose
 *   message is one sentence (one line, no control characters, ends like a sentence, no second
 *   sentence after the first); nothing else escapes (RangeError, TypeError, ...);
 * - an imported model scores one history: one finite-or-minus-infinity score per item, no
 *   NaN; then, disposed, it leaves `tf.memory().numTensors` and the registered variables
 *   where they were; a refused import leaves tensors, bytes and data buffers as they were and
 *   TF.js still working; no prototype is polluted;
 * - an unmutated (or validly edited) case imports;
 * - no promise rejection is left unhandled (in Node one ends the process);
 * - the import (not the scoring) takes no more than {@link timeBudgetMs} of the case's bytes.
 *
 * Violations that are known bugs of src/core/import (not fixed here: reported with their
 * minimal reproducers, see {@link KNOWN_ISSUES}) are counted apart as `known`, so the suite
 * stays green while they stand and fails on anything new. Cases that would hang the process
 * or break the wasm backend are not run at all and are counted as known too: TF.js files
 * declaring huge layers or history lengths, or a functional topology tfjs-layers never
 * finishes building ({@link tfjsHazard}), and Parquet files hyparquet never finishes reading
 * or crashes on ({@link hyparquetFate}, tried in a reader process first).
 */
import type { Dataset } from '../data/types';
import { importFactorModel } from '../import/factorModel';
import { importTfjsModel } from '../import/index';
import type { ModelMapping } from '../import/mapping';
import { MAX_MAPPED_IDS, parseIdList, parseMapping } from '../import/mappingFiles';
import { ModelFileError, type ModelFileErrorCode } from '../models/modelFileError';
import type { TrainedRecommender } from '../models/trained';
import * as tf from '../tf';
import { describeError, timeBudgetMs } from './checks';
import type { ForeignBases } from './foreignBases';
import { foreignCaseBytes } from './foreignGenerators';
import { tfjsHazard } from './foreignHazards';
import { KNOWN_ISSUES, sentenceProblem } from './foreignKnownIssues';
import type { ForeignCase, TfjsCase } from './foreignTypes';

export { KNOWN_ISSUES, sentenceProblem } from './foreignKnownIssues';

/** The ModelFileError codes each API documents. */
export const FOREIGN_CODES: Record<ForeignCase['api'], readonly ModelFileErrorCode[]> = {
  tfjs: [
    'not-json',
    'not-interest-lens',
    'invalid-metadata',
    'unsupported-dtype',
    'weights-truncated',
    'weights-too-long',
    'shape-mismatch',
    'too-large',
    'missing-file',
    'unknown-layer',
    'unsupported-model',
    'unmappable',
    'non-finite-weights',
  ],
  factor: [
    'invalid-metadata',
    'shape-mismatch',
    'non-finite-weights',
    'too-large',
    'missing-file',
    'dataset-mismatch',
  ],
  idlist: ['unmappable'],
};

export interface ForeignOutcome {
  /** `imported`, `parsed` (id lists), the ModelFileError code, `undocumented` or `skipped`. */
  result: string;
  ms: number;
  bytes: number;
  /** Violations that are no known issue (there must be none). */
  violations: string[];
  /** Known issues this case ran into (or the hazard it was skipped for). */
  known: string[];
  /** The refusal's message (for reports). */
  message?: string;
  /** Tensors the case left (a violation, or a known issue's leak). */
  tensorsLeft: number;
}

function counters() {
  const m = tf.memory();
  return {
    numTensors: m.numTensors,
    numBytes: m.numBytes,
    numDataBuffers: m.numDataBuffers,
    variables: Object.keys(tf.engine().registeredVariables).length,
  };
}

function polluted(): boolean {
  const probe: Record<string, unknown> = {};
  return 'polluted' in probe || 'polluted' in Object.prototype || 'polluted' in Array.prototype;
}

function tfStillWorks(): boolean {
  try {
    const sum = tf.tidy(() => tf.add(tf.scalar(1), tf.scalar(2)));
    const ok = sum.dataSync()[0] === 3;
    sum.dispose();
    return ok;
  } catch {
    return false;
  }
}

/**
 * Collects the promise rejections nobody handles while a case runs, instead of the process's
 * own listeners (Node ends the process on one; vitest fails the run), and hands them back
 * once the case and a macrotask after it are done.
 */
function catchRejections(): { release: () => Promise<unknown[]> } {
  const caught: unknown[] = [];
  const others = process.listeners('unhandledRejection');
  process.removeAllListeners('unhandledRejection');
  const listener = (reason: unknown) => {
    caught.push(reason);
  };
  process.on('unhandledRejection', listener);
  return {
    release: async () => {
      await new Promise((resolve) => setTimeout(resolve, 0));
      process.off('unhandledRejection', listener);
      for (const other of others) process.on('unhandledRejection', other);
      return caught;
    },
  };
}

/** The id lists the sidecar names (as the CLI reads them: only those it names, by file). */
function sidecarMapping(c: TfjsCase): ModelMapping | undefined {
  if (!c.sidecar) return undefined;
  const idFiles = new Map<string, string[]>();
  let raw: unknown = null;
  try {
    raw = JSON.parse(c.sidecar.mapping);
  } catch {
    // parseMapping refuses it below.
  }
  for (const key of ['items', 'users'] as const) {
    const entry =
      raw !== null && typeof raw === 'object' ? (raw as Record<string, unknown>)[key] : null;
    if (entry === null || typeof entry !== 'object') continue;
    const { kind, file } = entry as { kind?: unknown; file?: unknown };
    if (kind !== 'file' || typeof file !== 'string') continue;
    const given = c.sidecar.idFiles.find((f) => f.key === file);
    if (given) idFiles.set(file, parseIdList(given.text, given.name));
  }
  return parseMapping(c.sidecar.mapping, idFiles);
}

/** Dataset user 0's history, as the scoring gets it. */
function firstHistory(dataset: Dataset) {
  const end = dataset.userOffsets[1];
  return {
    offsets: Int32Array.of(0, end),
    items: dataset.item.slice(0, end),
    timestamps: Float64Array.from(dataset.timestamp.slice(0, end)),
  };
}

async function scoreViolations(model: TrainedRecommender, dataset: Dataset): Promise<string[]> {
  const n = dataset.itemIds.length;
  try {
    const scores = await model.score(Int32Array.of(0), firstHistory(dataset));
    const v: string[] = [];
    if (scores.length !== n) v.push(`scored ${scores.length} items, not ${n}`);
    if (scores.some((s) => Number.isNaN(s))) v.push('an imported model scores NaN');
    if (scores.some((s) => s === Number.POSITIVE_INFINITY))
      v.push('an imported model scores +Infinity');
    return v;
  } catch (error) {
    return [`an imported model failed to score: ${describeError(error)}`];
  }
}

function split(c: ForeignCase, all: string[]): { violations: string[]; known: string[] } {
  const violations: string[] = [];
  const known: string[] = [];
  for (const v of all) {
    const issue = KNOWN_ISSUES.find((k) => k.matches(c, v));
    if (issue) known.push(issue.id);
    else violations.push(v);
  }
  return { violations, known: [...new Set(known)] };
}

/** Runs one case and checks it (see the module comment). */
export async function checkForeignCase(
  c: ForeignCase,
  bases: ForeignBases,
): Promise<ForeignOutcome> {
  const { datasets } = bases;
  const bytes = foreignCaseBytes(c);
  const hazard = c.api === 'tfjs' ? tfjsHazard(c) : null;
  if (hazard)
    return { result: 'skipped', ms: 0, bytes, violations: [], known: [hazard], tensorsLeft: 0 };
  const all: string[] = [];
  const rejections = catchRejections();
  const before = counters();
  const started = performance.now();
  let result = c.api === 'idlist' ? 'parsed' : 'imported';
  let ms = 0;
  let message: string | undefined;
  let model: TrainedRecommender | null = null;
  try {
    if (c.api === 'idlist') {
      const ids = parseIdList(c.text, c.name);
      ms = performance.now() - started;
      if (!Array.isArray(ids) || ids.some((id) => typeof id !== 'string')) {
        all.push('parseIdList returned something other than a list of strings');
      } else if (ids.length > MAX_MAPPED_IDS) {
        all.push(`parseIdList returned ${ids.length} ids, more than ${MAX_MAPPED_IDS}`);
      }
    } else {
      const dataset = datasets[c.dataset];
      model =
        c.api === 'tfjs'
          ? (await importTfjsModel(c.files, dataset, sidecarMapping(c))).model
          : await importFactorModel(c.files, dataset, c.params);
      ms = performance.now() - started;
      all.push(...(await scoreViolations(model, dataset)));
    }
  } catch (error) {
    ms = performance.now() - started;
    message = describeError(error);
    const documented = error instanceof ModelFileError && FOREIGN_CODES[c.api].includes(error.code);
    result = documented ? (error as ModelFileError).code : 'undocumented';
    if (!documented) all.push(`undocumented exception ${describeError(error)}`);
    else {
      const problem = sentenceProblem((error as ModelFileError).message);
      if (problem)
        all.push(`${problem}: ${JSON.stringify((error as Error).message.slice(0, 300))}`);
    }
    if (c.mustLoad)
      all.push(`a valid ${c.base} case (${c.kind}) was refused: ${describeError(error)}`);
  } finally {
    if (model) {
      try {
        model.dispose();
      } catch (error) {
        all.push(`dispose threw ${describeError(error)}`);
      }
    }
  }
  for (const reason of await rejections.release()) {
    all.push(`an unhandled promise rejection escaped (${describeError(reason)})`);
  }
  const after = counters();
  if (after.numTensors !== before.numTensors) {
    all.push(`${after.numTensors - before.numTensors} tensors left (${result})`);
  }
  if (after.variables !== before.variables) {
    all.push(`${after.variables - before.variables} variables left (${result})`);
  }
  if (!model && c.api !== 'idlist') {
    for (const key of ['numBytes', 'numDataBuffers'] as const) {
      if (after[key] !== before[key])
        all.push(`a refused import changed ${key} by ${after[key] - before[key]}`);
    }
  }
  if (c.api !== 'idlist' && !tfStillWorks()) all.push('TF.js no longer adds 1 + 2');
  if (ms > timeBudgetMs(bytes)) all.push(`took ${ms.toFixed(0)} ms for ${bytes} bytes (${result})`);
  if (polluted()) all.push('Object.prototype was polluted');
  return {
    result,
    ms,
    bytes,
    message,
    tensorsLeft: after.numTensors - before.numTensors,
    ...split(c, all),
  };
}
