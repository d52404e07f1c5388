import { expect, test } from '@playwright/test';
import { openApp } from './support/app';
import {
  explainThroughHook,
  lossTrajectory,
  setBackend,
  smokeCompute,
  waitForTestHooks,
} from './support/test-hooks';
import { waitForExplanation } from './support/why';

/**
 * A tiny SASRec (one block, 8 dims, 8 positions, no dropout) for a few seeded batches: small
 * enough for SwiftShader's WebGPU, and every op of a real training step (gather with its custom
 * gradient, attention, layer norm, sampled softmax, Adam) runs on the backend under test.
 */
const TINY_TRAINING = {
  hyper: {
    maxLen: 8,
    dim: 8,
    dropout: 0,
    blocks: 1,
    heads: 1,
    loss: 'sampled-softmax',
    sharedNegatives: 32,
  },
  seed: 7,
  batches: 8,
  batchSize: 32,
  learningRate: 0.05,
};

// Runs in the `chromium-webgpu` project: Chromium started with --enable-unsafe-webgpu, which
// here offers SwiftShader's (software) WebGPU adapter. Slow, but the real WebGPU code path.
test.describe('WebGPU backend', () => {
  test('computes the same smoke values as wasm, and the badge follows the switch', async ({
    page,
  }) => {
    await openApp(page, '/?test-hooks=1');
    await waitForTestHooks(page);

    const hasAdapter = await page.evaluate(async () => {
      const gpu = (navigator as unknown as { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
      return Boolean(gpu && (await gpu.requestAdapter()));
    });
    expect(
      hasAdapter,
      'Chromium offers no WebGPU adapter even with --enable-unsafe-webgpu; this test needs one',
    ).toBe(true);

    // The automatic choice sees a software (fallback) adapter and keeps wasm, saying why.
    const badge = page.getByTestId('backend-badge');
    await expect(badge).toHaveAttribute('data-backend', 'wasm');
    await expect(badge).toHaveAttribute('title', /fallback/i);

    await setBackend(page, 'wasm');
    const onWasm = await smokeCompute(page);
    expect(onWasm.backend).toBe('wasm');

    try {
      await setBackend(page, 'webgpu');
    } catch (error) {
      throw new Error(`switching to WebGPU failed: ${(error as Error).message}`);
    }
    await expect(badge).toHaveAttribute('data-backend', 'webgpu');
    const onWebgpu = await smokeCompute(page);
    expect(onWebgpu.backend).toBe('webgpu');

    expect(onWebgpu.values.length).toBe(onWasm.values.length);
    expect(onWasm.values.length).toBeGreaterThan(0);
    expect(onWasm.values.every(Number.isFinite)).toBe(true);
    onWebgpu.values.forEach((value, i) => {
      expect(Math.abs(value - onWasm.values[i]), `value ${i}`).toBeLessThanOrEqual(1e-3);
    });
  });

  test('trains a tiny model along the same loss trajectory as wasm', async ({ page }) => {
    await openApp(page, '/?test-hooks=1');
    await waitForTestHooks(page);

    await setBackend(page, 'wasm');
    const onWasm = await lossTrajectory(page, 'sasrec', TINY_TRAINING);
    expect(onWasm.backend).toBe('wasm');
    expect(onWasm.losses).toHaveLength(TINY_TRAINING.batches);
    expect(onWasm.losses.every(Number.isFinite)).toBe(true);
    // Adam at this rate lowers the loss within a few batches on the sample. Each batch holds
    // other windows (and the corrected sampled softmax its own candidates), so compare the mean
    // of the last three with that of the first three rather than two single batches.
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(onWasm.losses.slice(-3))).toBeLessThan(mean(onWasm.losses.slice(0, 3)));

    await setBackend(page, 'webgpu');
    const onWebgpu = await lossTrajectory(page, 'sasrec', TINY_TRAINING);
    expect(onWebgpu.backend).toBe('webgpu');
    test.info().annotations.push({
      type: 'losses',
      description: `wasm ${onWasm.losses.join(', ')}; webgpu ${onWebgpu.losses.join(', ')}`,
    });
    // float32 on both; the reductions run in a different order, so allow a relative 1e-3.
    onWebgpu.losses.forEach((loss, i) => {
      const tolerance = 1e-3 * Math.max(1, Math.abs(onWasm.losses[i]));
      expect(Math.abs(loss - onWasm.losses[i]), `batch ${i + 1}`).toBeLessThanOrEqual(tolerance);
    });
  });

  test('explains the shipped sasrec with the same attributions as wasm', async ({ page }) => {
    // The first run imports the shipped sasrec and explains the first user on wasm.
    await openApp(page, '/?test-hooks=1', { view: 'why' });
    await waitForTestHooks(page);
    const first = await waitForExplanation(page, { timeout: 60_000 });
    // Gradients (one backward pass), IG on a fixed 32-step grid and occlusion (51 forward
    // passes): every kind of explainer work, small enough for SwiftShader.
    const options = {
      methods: ['saliency', 'gradxinput', 'ig', 'occlusion'],
      ig: { minSteps: 32, maxSteps: 32 },
      faithfulness: false,
    };
    await setBackend(page, 'wasm');
    const onWasm = await explainThroughHook(page, first.model, first.user, options);
    await setBackend(page, 'webgpu');
    const onWebgpu = await explainThroughHook(page, first.model, first.user, options);
    expect(onWebgpu.item).toBe(onWasm.item);
    expect(onWebgpu.rank).toBe(onWasm.rank);
    for (const method of options.methods) {
      const a = onWasm.methods[method]?.attributions ?? [];
      const b = onWebgpu.methods[method]?.attributions ?? [];
      expect(a.length, method).toBeGreaterThan(0);
      expect(b.map((x) => x.item)).toEqual(a.map((x) => x.item));
      // float32 on both, reductions in another order: within 1e-3 of the largest |value|.
      const scale = Math.max(...a.map((x) => Math.abs(x.value)), 1e-6);
      a.forEach((x, i) => {
        expect(Math.abs(b[i].value - x.value), `${method} item ${i}`).toBeLessThanOrEqual(
          1e-3 * scale,
        );
      });
    }
  });
});
