import type { BackendName, BackendReport } from '../core/backend/types';
import type { ExplanationReport } from '../core/explain/report';
import type { ModelId } from '../core/models/types';
import type {
  ExplainCallOptions,
  LossTrajectory,
  LossTrajectoryOptions,
  SmokeResult,
} from '../worker/api';
import * as client from '../worker/client';
import { requestBackend } from './actions';

/** What end-to-end tests can call on `window.__lensTest` (see e2e/support/test-hooks.ts). */
export interface LensTestHooks {
  /** The worker's fixed matmul + softmax on the current backend. */
  smokeCompute(): Promise<SmokeResult>;
  /** Forces a backend through the same path as the badge's select, so the badge follows. */
  setBackend(name: BackendName): Promise<BackendReport>;
  /**
   * Per-batch losses of a short seeded training run of `id` on the current dataset and backend
   * (nothing is kept): compared across backends by the WebGPU spec.
   */
  lossTrajectory(id: ModelId, options: LossTrajectoryOptions): Promise<LossTrajectory>;
  /**
   * The worker's explanation of `itemId` (null = top-1) for `userId` by the live model `key`
   * on the current backend: compared across backends by the WebGPU spec.
   */
  explain(
    key: string,
    userId: string,
    itemId: string | null,
    options: ExplainCallOptions,
  ): Promise<ExplanationReport>;
  /**
   * Terminates the worker and reports it dead exactly as a crash is reported (not the polite
   * `restartWorker`), so a spec can watch the page recover (recovery.ts).
   */
  killWorker(): void;
}

/** The URL query flag that installs the hooks; without it nothing is exposed. */
export const TEST_HOOKS_PARAM = 'test-hooks';

/**
 * Installs the test hooks on `target` when the page URL asks for them (`?test-hooks=1`).
 * Real users never pass the flag, and the hooks only reach what the UI itself can do.
 */
export function installTestHooks(target: Window): boolean {
  if (new URLSearchParams(target.location.search).get(TEST_HOOKS_PARAM) !== '1') return false;
  const hooks: LensTestHooks = {
    smokeCompute: () => client.smokeCompute(),
    setBackend: (name) => requestBackend(name),
    lossTrajectory: (id, options) => client.lossTrajectory(id, options),
    explain: (key, userId, itemId, options) => client.explain(key, userId, itemId, options),
    killWorker: () => client.killWorker(),
  };
  (target as Window & { __lensTest?: LensTestHooks }).__lensTest = hooks;
  return true;
}
