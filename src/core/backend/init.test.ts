import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { activeBackend, BackendError, forceBackend, initBackend } from './init';
import { runSmoke, SMOKE_ROWS, SMOKE_SIZE, smokeValues } from './smoke';

const require = createRequire(import.meta.url);
/** Node needs the folder of the .wasm binaries as an absolute path with a trailing slash. */
const wasmDir = `${path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist')}${path.sep}`;

describe('initBackend in Node (tests run in order: cpu, wasm, then overrides)', () => {
  let cpuValues: number[] = [];

  it('initialises the cpu backend when asked and passes the smoke test', async () => {
    const report = await initBackend({ preferred: 'cpu', wasmPaths: wasmDir });
    expect(report.backend).toBe('cpu');
    expect(activeBackend()).toBe('cpu');
    expect(report.forced).toBe(true);
    expect(report.smoke.ok).toBe(true);
    expect(report.smoke.maxAbsError).toBeLessThan(1e-5);
    expect(report.adapter).toBeNull();
    expect(report.candidates.find((c) => c.name === 'webgpu')?.available).toBe(false);
    cpuValues = await smokeValues();
    expect(cpuValues).toHaveLength(SMOKE_ROWS * SMOKE_SIZE);
    // Each row is a softmax: sums to 1.
    const firstRow = cpuValues.slice(0, SMOKE_SIZE).reduce((a, b) => a + b, 0);
    expect(firstRow).toBeCloseTo(1, 5);
  });

  it('chooses wasm automatically in Node and matches the cpu values', async () => {
    const report = await initBackend({ wasmPaths: wasmDir });
    expect(report.backend).toBe('wasm');
    expect(report.forced).toBe(false);
    expect(report.smoke.ok).toBe(true);
    expect(report.reason).toMatch(/^wasm \(WebAssembly with SIMD\): no WebGPU/);
    const wasmValues = await smokeValues();
    const maxDiff = Math.max(...wasmValues.map((v, i) => Math.abs(v - cpuValues[i])));
    expect(maxDiff).toBeLessThan(1e-4);
  });

  it('leaks no tensors across repeated smoke runs', async () => {
    await runSmoke();
    await smokeValues();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) {
      expect((await runSmoke()).ok).toBe(true);
      await smokeValues();
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses an unavailable backend with a clear error and keeps the current one', async () => {
    const error = await forceBackend('webgpu').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackendError);
    expect((error as BackendError).message).toMatch(
      /^Cannot use the webgpu backend: no WebGPU \(navigator.gpu is missing\); still using wasm$/,
    );
    expect(activeBackend()).toBe('wasm');
  });

  it('lets the user switch to cpu and back', async () => {
    expect((await forceBackend('cpu')).backend).toBe('cpu');
    const back = await forceBackend('wasm');
    expect(back.backend).toBe('wasm');
    expect(back.forced).toBe(true);
    expect(back.reason).toMatch(/^wasm: chosen by you/);
  });

  it('falls through a preferred backend that cannot start and says why', async () => {
    const report = await initBackend({ preferred: 'webgl' });
    expect(report.backend).toBe('wasm');
    expect(report.forced).toBe(false);
    expect(report.reason).toContain('webgl failed: no WebGL in this context');
    expect(report.candidates.find((c) => c.name === 'webgl')?.available).toBe(false);
  });
});
