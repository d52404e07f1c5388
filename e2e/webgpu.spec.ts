import { expect, test } from '@playwright/test';
import { openApp } from './support/app';
import { setBackend, smokeCompute, waitForTestHooks } from './support/test-hooks';

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
});
