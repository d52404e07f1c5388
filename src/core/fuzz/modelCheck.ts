/**
 * The model-file invariants of the fuzz checks (see ./checks.ts): nothing escapes
 * `loadSavedModel` but a `ModelFileError` with a documented code; a refused file leaves TF.js
 * exactly as before (tensors, bytes, data buffers) and still working; an accepted one scores
 * and, disposed, leaves no tensor; no prototype is polluted; an unmutated file loads.
 */
import type { Dataset } from '../data/types';
import { ModelFileError, type ModelFileErrorCode } from '../models/modelFileError';
import { loadSavedModel } from '../persist/restore';
import * as tf from '../tf';
import { describeError, timeBudgetMs } from './checks';
import type { ModelCase } from './generators';

const MODEL_CODES: readonly ModelFileErrorCode[] = [
  'not-json',
  'not-interest-lens',
  'version-too-new',
  'unknown-model',
  'invalid-metadata',
  'unsupported-dtype',
  'weights-truncated',
  'weights-too-long',
  'shape-mismatch',
  'non-finite-weights',
  'dataset-mismatch',
  'too-large',
];

export interface ModelOutcome {
  /** `loaded` or the ModelFileError code (or `undocumented`). */
  result: string;
  ms: number;
  violations: string[];
}

function polluted(): boolean {
  const probe: Record<string, unknown> = {};
  return 'polluted' in probe || 'polluted' in Object.prototype || 'polluted' in Array.prototype;
}

/** The live TF.js counters (a refused file must leave every one as it was). */
function tfCounters() {
  const m = tf.memory();
  return { numTensors: m.numTensors, numBytes: m.numBytes, numDataBuffers: m.numDataBuffers };
}

function tfStillWorks(): boolean {
  const sum = tf.tidy(() => tf.add(tf.scalar(1), tf.scalar(2)));
  const ok = sum.dataSync()[0] === 3;
  sum.dispose();
  return ok;
}

/**
 * Loads one model case with `loadSavedModel` on `dataset` and checks it (see the module
 * comment); an accepted model scores one short history before it is disposed.
 */
export async function checkModelCase(c: ModelCase, dataset: Dataset): Promise<ModelOutcome> {
  const violations: string[] = [];
  const before = tfCounters();
  const started = performance.now();
  let result = 'loaded';
  try {
    const loaded = loadSavedModel(c.modelJson, c.weightsBin, dataset);
    const ms = performance.now() - started;
    try {
      const n = dataset.itemIds.length;
      const history = {
        offsets: Int32Array.of(0, 3),
        items: Int32Array.of(0, 1, 2).map((i) => Math.min(i, n - 1)),
        timestamps: Float64Array.of(0, 1000, 2000),
      };
      const scores = await loaded.model.score(Int32Array.of(-1), history);
      if (scores.length !== n) violations.push(`scored ${scores.length} items, not ${n}`);
      if (scores.some((s) => Number.isNaN(s))) violations.push('an accepted model scores NaN');
    } catch (error) {
      violations.push(`an accepted model failed to score: ${describeError(error)}`);
    } finally {
      loaded.model.dispose();
    }
    const after = tfCounters();
    if (after.numTensors !== before.numTensors) {
      violations.push(`${after.numTensors - before.numTensors} tensors left after dispose`);
    }
    if (ms > timeBudgetMs(c.modelJson.length + c.weightsBin.length)) {
      violations.push(`loading took ${ms.toFixed(0)} ms`);
    }
    return { result, ms, violations };
  } catch (error) {
    const ms = performance.now() - started;
    const documented = error instanceof ModelFileError && MODEL_CODES.includes(error.code);
    result = documented ? (error as ModelFileError).code : 'undocumented';
    if (!documented) violations.push(`undocumented exception ${describeError(error)}`);
    if (c.kind === 'unmutated') violations.push(`an unmutated ${c.base} file was refused`);
    const after = tfCounters();
    for (const key of ['numTensors', 'numBytes', 'numDataBuffers'] as const) {
      if (after[key] !== before[key]) {
        violations.push(`refused file changed ${key} by ${after[key] - before[key]}`);
      }
    }
    if (!tfStillWorks()) violations.push('TF.js no longer adds 1 + 2 after a refused file');
    if (ms > timeBudgetMs(c.modelJson.length + c.weightsBin.length)) {
      violations.push(`refusing took ${ms.toFixed(0)} ms`);
    }
    return { result, ms, violations };
  } finally {
    if (polluted()) violations.push('Object.prototype was polluted');
  }
}
