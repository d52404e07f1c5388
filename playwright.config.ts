import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, resolveChromiumPath, WEBGPU_ARGS } from './e2e/support/chromium';

/**
 * End-to-end tests drive a real Chromium against the production build (`npm run test:e2e`
 * runs `vite build` first), served by `vite preview` with the same security headers as a
 * deployment. One worker: the machine has 2 cores and the app's wasm work is heavy, so
 * parallel specs would only make timings flaky.
 */
const isCI = Boolean(process.env.CI);
const executablePath = resolveChromiumPath();
const baseURL = 'http://localhost:4173';

export default defineConfig({
  testDir: './e2e',
  testMatch: '*.spec.ts',
  outputDir: './test-results',
  fullyParallel: false,
  forbidOnly: isCI,
  workers: 1,
  retries: isCI ? 1 : 0,
  reporter: 'list',
  timeout: 90_000,
  expect: { timeout: 20_000 },
  use: {
    baseURL,
    trace: 'on-first-retry',
    acceptDownloads: true,
    launchOptions: { executablePath, args: [...CHROMIUM_ARGS] },
  },
  projects: [
    {
      name: 'chromium',
      testIgnore: 'webgpu.spec.ts',
    },
    {
      // SwiftShader's WebGPU is real but about 50x slower than wasm here: generous limits.
      name: 'chromium-webgpu',
      testMatch: 'webgpu.spec.ts',
      timeout: 300_000,
      expect: { timeout: 120_000 },
      use: { launchOptions: { executablePath, args: [...CHROMIUM_ARGS, ...WEBGPU_ARGS] } },
    },
  ],
  webServer: {
    command: 'npx vite preview --port 4173 --strictPort',
    url: baseURL,
    reuseExistingServer: !isCI,
    timeout: 60_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
