/**
 * A tiny fixed computation, softmax(A·B) over seeded 64x64 matrices, that proves a backend
 * computes correctly before we trust it with training. A backend can initialise and still be
 * wrong (float16 textures, broken drivers); comparing with a plain-JS reference catches that.
 * The same numbers, read back from two backends, let tests compare webgpu against wasm.
 */
import * as tf from '@tensorflow/tfjs-core';
import { SeededRandom } from '../random';

/** Side of the square matrices. */
export const SMOKE_SIZE = 64;
/** Rows of the result returned by {@link smokeValues} (2 x 64 numbers). */
export const SMOKE_ROWS = 2;
/**
 * Largest acceptable |backend - reference| over the softmax output (values in [0, 1]).
 * float32 backends land near 1e-7; a backend that silently computes in float16 lands near
 * 1e-3 and is refused, since training on it would be unreliable.
 */
export const SMOKE_TOLERANCE = 5e-4;

/** Deterministic uniform numbers in [-1, 1) (mulberry32), the same on every platform. */
function seededMatrix(seed: number, size: number): Float32Array {
  const out = new Float32Array(size * size);
  const rng = SeededRandom.fromState(seed);
  for (let i = 0; i < out.length; i++) out[i] = rng.next() * 2 - 1;
  return out;
}

const A = seededMatrix(1234, SMOKE_SIZE);
const B = seededMatrix(5678, SMOKE_SIZE);

/** softmax(A·B) row by row in float64 JS: the reference every backend is compared with. */
function referenceSoftmax(): Float64Array {
  const n = SMOKE_SIZE;
  const out = new Float64Array(n * n);
  for (let r = 0; r < n; r++) {
    let max = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < n; c++) {
      let sum = 0;
      for (let k = 0; k < n; k++) sum += A[r * n + k] * B[k * n + c];
      out[r * n + c] = sum;
      if (sum > max) max = sum;
    }
    let total = 0;
    for (let c = 0; c < n; c++) {
      const e = Math.exp(out[r * n + c] - max);
      out[r * n + c] = e;
      total += e;
    }
    for (let c = 0; c < n; c++) out[r * n + c] /= total;
  }
  return out;
}

let reference: Float64Array | null = null;

/** softmax(A·B) on the current backend, read back to the CPU; every tensor is disposed. */
async function backendSoftmax(): Promise<Float32Array> {
  const result = tf.tidy(() => {
    const a = tf.tensor2d(A, [SMOKE_SIZE, SMOKE_SIZE]);
    const b = tf.tensor2d(B, [SMOKE_SIZE, SMOKE_SIZE]);
    return tf.softmax(tf.matMul(a, b));
  });
  try {
    return (await result.data()) as Float32Array;
  } finally {
    result.dispose();
  }
}

/** Outcome of the smoke test, in the shape of `BackendReport.smoke` (plus a message). */
export interface SmokeOutcome {
  ok: boolean;
  ms: number;
  maxAbsError: number;
  /** Why it failed, in words; empty when ok. */
  problem: string;
}

/**
 * Runs the smoke computation on the current backend and compares it with the JS reference.
 * Never throws: a backend that crashes during the smoke test is reported as not ok.
 */
export async function runSmoke(): Promise<SmokeOutcome> {
  const started = performance.now();
  try {
    const values = await backendSoftmax();
    const ms = performance.now() - started;
    reference ??= referenceSoftmax();
    let maxAbsError = 0;
    for (let i = 0; i < reference.length; i++) {
      const error = Math.abs(values[i] - reference[i]);
      if (Number.isNaN(error)) {
        maxAbsError = Number.NaN;
        break;
      }
      if (error > maxAbsError) maxAbsError = error;
    }
    const ok = values.length === reference.length && maxAbsError <= SMOKE_TOLERANCE;
    const problem = ok
      ? ''
      : Number.isNaN(maxAbsError)
        ? 'smoke test produced NaN'
        : `smoke test off by ${maxAbsError.toExponential(2)} (allowed ${SMOKE_TOLERANCE})`;
    return { ok, ms, maxAbsError, problem };
  } catch (error) {
    return {
      ok: false,
      ms: performance.now() - started,
      maxAbsError: Number.NaN,
      problem: `smoke test crashed: ${(error as Error).message}`,
    };
  }
}

/**
 * The first {@link SMOKE_ROWS} rows of softmax(A·B) on the current backend, as plain numbers,
 * so the same computation can be compared across backends (e.g. webgpu vs wasm in e2e tests).
 */
export async function smokeValues(): Promise<number[]> {
  const values = await backendSoftmax();
  return Array.from(values.subarray(0, SMOKE_ROWS * SMOKE_SIZE));
}
