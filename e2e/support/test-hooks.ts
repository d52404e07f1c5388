/**
 * Typed access to the hooks the app installs on `window.__lensTest` when opened with
 * `?test-hooks=1` (src/main.tsx): the worker's smoke computation and the backend override.
 */
import type { Page } from '@playwright/test';

export interface SmokeFromPage {
  backend: string;
  values: number[];
}

/** Waits until the app has installed its test hooks, failing with a pointer if it never does. */
export async function waitForTestHooks(page: Page): Promise<void> {
  await page
    .waitForFunction(
      () => {
        const hooks = (window as unknown as { __lensTest?: Record<string, unknown> }).__lensTest;
        return typeof hooks?.smokeCompute === 'function' && typeof hooks?.setBackend === 'function';
      },
      undefined,
      { timeout: 30_000 },
    )
    .catch(() => {
      throw new Error(
        'window.__lensTest.{smokeCompute,setBackend} missing: src/main.tsx must install them ' +
          'when the URL has ?test-hooks=1.',
      );
    });
}

/** Runs the worker's fixed matmul + softmax on the current backend. */
export function smokeCompute(page: Page): Promise<SmokeFromPage> {
  return page.evaluate(() =>
    (
      window as unknown as { __lensTest: { smokeCompute(): Promise<SmokeFromPage> } }
    ).__lensTest.smokeCompute(),
  );
}

/** Forces a backend; resolves to the worker's report, or rejects with its message. */
export function setBackend(page: Page, name: string): Promise<unknown> {
  return page.evaluate(
    (backend) =>
      (
        window as unknown as { __lensTest: { setBackend(name: string): Promise<unknown> } }
      ).__lensTest.setBackend(backend),
    name,
  );
}

export interface LossTrajectoryFromPage {
  backend: string;
  losses: number[];
}

/**
 * Per-batch losses of a short seeded training run of `id` on the page's current dataset and
 * backend (the worker's `lossTrajectory`; nothing is kept).
 */
export function lossTrajectory(
  page: Page,
  id: string,
  options: {
    hyper?: Record<string, number | string>;
    seed?: number;
    batches: number;
    batchSize: number;
    learningRate?: number;
  },
): Promise<LossTrajectoryFromPage> {
  return page.evaluate(
    ([model, opts]) =>
      (
        window as unknown as {
          __lensTest: {
            lossTrajectory(id: string, o: typeof opts): Promise<LossTrajectoryFromPage>;
          };
        }
      ).__lensTest.lossTrajectory(model, opts),
    [id, options] as const,
  );
}

/** One method's attributions from a report, as the page's worker returned it. */
export interface ExplainedFromPage {
  item: string;
  rank: number;
  methods: Record<
    string,
    { status: string; attributions?: { item: string; position: number; value: number }[] }
  >;
}

/** The worker's explanation by the live model `key` on the current backend (test hook). */
export function explainThroughHook(
  page: Page,
  key: string,
  userId: string,
  options: Record<string, unknown>,
): Promise<ExplainedFromPage> {
  return page.evaluate(
    ([k, u, o]) =>
      (
        window as unknown as {
          __lensTest: {
            explain(
              key: string,
              user: string,
              item: string | null,
              options: unknown,
            ): Promise<ExplainedFromPage>;
          };
        }
      ).__lensTest.explain(k as string, u as string, null, o),
    [key, userId, options] as const,
  );
}

/**
 * Terminates the app's worker the way a crash is seen (`window.__lensTest.killWorker()`): the
 * page must notice and recover on its own.
 */
export function killWorker(page: Page): Promise<void> {
  return page.evaluate(() =>
    (window as unknown as { __lensTest: { killWorker(): void } }).__lensTest.killWorker(),
  );
}
