/**
 * Initialise TF.js on the best backend this hardware has, verified by a smoke computation,
 * and say why in words a user understands. The user may force a backend; if it cannot be
 * used they get a clear error and the previous backend stays active.
 *
 * cpu and wasm are imported statically (they work everywhere, Node included); webgpu and
 * webgl are imported dynamically and only where their browser API exists, so Node tests and
 * the CLI never load them.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import {
  type BackendFailure,
  type BackendPlan,
  chooseBackend,
  type EnvironmentProbe,
  explainChoice,
} from './choose';
import { hasWebGlApi, hasWebGpuApi, probeEnvironment } from './probe';
import { runSmoke, type SmokeOutcome } from './smoke';
import type { BackendName, BackendReport } from './types';

/** Where the wasm binaries are served from: a folder URL/path with a trailing slash, or a file map. */
export type WasmPaths = string | Record<string, string>;

export interface InitBackendOptions {
  /** Try this backend first (e.g. a saved preference); falls back to the automatic order. */
  preferred?: BackendName;
  /**
   * Passed to `setWasmPaths` before the wasm backend starts. In the browser: a record of
   * binary file name to bundled URL; in Node: the absolute `.../tfjs-backend-wasm/dist/` folder.
   */
  wasmPaths?: WasmPaths;
}

/** Thrown when a backend the user asked for cannot be used; `backend` names it. */
export class BackendError extends Error {
  constructor(
    message: string,
    readonly backend: BackendName,
  ) {
    super(message);
    this.name = 'BackendError';
  }
}

let cachedProbe: EnvironmentProbe | null = null;
let wasmPathsApplied = false;
/** Backend changes run one at a time; a second caller waits for the first. */
let queue: Promise<unknown> = Promise.resolve();

function serialised<T>(task: () => Promise<T>): Promise<T> {
  const run = queue.then(task, task);
  queue = run.catch(() => undefined);
  return run;
}

function applyWasmPaths(paths: WasmPaths | undefined): string | null {
  if (paths === undefined || wasmPathsApplied) return null;
  try {
    setWasmPaths(paths);
    wasmPathsApplied = true;
    return null;
  } catch (error) {
    return `could not set the wasm binary paths: ${(error as Error).message}`;
  }
}

/** Loads the backend's module if needed; returns why it cannot be registered, or null. */
async function ensureRegistered(name: BackendName): Promise<string | null> {
  try {
    if (name === 'webgpu') {
      if (!hasWebGpuApi()) return 'no WebGPU in this browser (navigator.gpu is missing)';
      await import('@tensorflow/tfjs-backend-webgpu');
    } else if (name === 'webgl') {
      if (!hasWebGlApi()) return 'no WebGL here (OffscreenCanvas is missing)';
      await import('@tensorflow/tfjs-backend-webgl');
    }
  } catch (error) {
    return `its code failed to load: ${(error as Error).message}`;
  }
  return tf.findBackendFactory(name) ? null : 'it is not registered in this build';
}

/**
 * tf.setBackend() reports a failed initialisation only as `false` plus console warnings; keep
 * those warnings so the user sees the actual cause (e.g. the .wasm file could not be fetched).
 */
async function setBackendCapturingWarnings(name: BackendName): Promise<string | null> {
  const warnings: string[] = [];
  const original = console.warn;
  console.warn = (...args: unknown[]) => {
    warnings.push(args.map(String).join(' '));
    original.apply(console, args);
  };
  try {
    if (await tf.setBackend(name)) return null;
  } catch (error) {
    return `it failed to start: ${(error as Error).message}`;
  } finally {
    console.warn = original;
  }
  const cause = warnings.find((w) => !/^Initialization of backend/.test(w)) ?? warnings[0];
  return `it failed to start${cause ? `: ${cause.split('\n')[0]}` : ''}`;
}

interface Attempt {
  ok: boolean;
  why: string;
  smoke: SmokeOutcome | null;
}

async function tryBackend(
  plan: BackendPlan,
  name: BackendName,
  wasmPaths: WasmPaths | undefined,
): Promise<Attempt> {
  // The probe already knows some cannot start (e.g. no adapter): say that, not TF.js's crash.
  const candidate = plan.candidates.find((c) => c.name === name);
  if (candidate && !candidate.available) return { ok: false, why: candidate.note, smoke: null };
  if (name === 'wasm') {
    const pathProblem = applyWasmPaths(wasmPaths);
    if (pathProblem) return { ok: false, why: pathProblem, smoke: null };
  }
  const missing = await ensureRegistered(name);
  if (missing) return { ok: false, why: missing, smoke: null };
  const refused = await setBackendCapturingWarnings(name);
  if (refused) return { ok: false, why: refused, smoke: null };
  const smoke = await runSmoke();
  return { ok: smoke.ok, why: smoke.problem, smoke };
}

function buildReport(
  plan: BackendPlan,
  probe: EnvironmentProbe,
  chosen: BackendName,
  smoke: SmokeOutcome,
  failures: BackendFailure[],
  forced: boolean,
): BackendReport {
  const candidates = plan.candidates.map((candidate) => {
    const failure = failures.find((f) => f.name === candidate.name);
    return failure
      ? {
          name: candidate.name,
          available: false,
          note: `${candidate.note}; failed: ${failure.why}`,
        }
      : candidate;
  });
  return {
    backend: chosen,
    reason: explainChoice(plan, chosen, failures, forced),
    forced,
    candidates,
    adapter: probe.webgpu ? { ...probe.webgpu } : null,
    smoke: { ok: smoke.ok, ms: smoke.ms, maxAbsError: smoke.maxAbsError },
  };
}

async function currentProbe(): Promise<EnvironmentProbe> {
  cachedProbe ??= await probeEnvironment();
  return cachedProbe;
}

/**
 * Chooses the backend by what the hardware is (see `chooseBackend`), verifies it with the smoke
 * computation and falls to the next candidate when it fails. `preferred` is tried first; if it
 * fails the automatic order takes over and the reason says what happened.
 */
export function initBackend(options: InitBackendOptions = {}): Promise<BackendReport> {
  return serialised(async () => {
    const probe = await currentProbe();
    const plan = chooseBackend(probe);
    const order = options.preferred
      ? [options.preferred, ...plan.order.filter((name) => name !== options.preferred)]
      : plan.order;
    const failures: BackendFailure[] = [];
    for (const name of order) {
      const attempt = await tryBackend(plan, name, options.wasmPaths);
      if (attempt.ok && attempt.smoke) {
        const forced = name === options.preferred;
        return buildReport(plan, probe, name, attempt.smoke, failures, forced);
      }
      failures.push({ name, why: attempt.why });
    }
    const summary = failures.map((f) => `${f.name}: ${f.why}`).join('; ');
    throw new BackendError(`No TF.js backend works in this browser (${summary})`, 'cpu');
  });
}

/**
 * Switches to `name` because the user asked for it (e.g. to compare webgpu with wasm).
 * Rejects with a {@link BackendError} that says why when it cannot be used; the previously
 * active backend then stays active.
 */
export function forceBackend(
  name: BackendName,
  options: Omit<InitBackendOptions, 'preferred'> = {},
): Promise<BackendReport> {
  return serialised(async () => {
    const probe = await currentProbe();
    const plan = chooseBackend(probe);
    const previous = activeBackend();
    const attempt = await tryBackend(plan, name, options.wasmPaths);
    if (attempt.ok && attempt.smoke) {
      return buildReport(plan, probe, name, attempt.smoke, [], true);
    }
    if (previous && previous !== name) await tf.setBackend(previous);
    const kept = previous && previous !== name ? `; still using ${previous}` : '';
    throw new BackendError(`Cannot use the ${name} backend: ${attempt.why}${kept}`, name);
  });
}

/**
 * The backend TF.js is running on now, or null before initialisation. After a failed
 * `tf.setBackend` the engine keeps the failed name but has no instance for it: that is null too.
 */
export function activeBackend(): BackendName | null {
  const engine = tf.engine();
  const name = engine.backendName as BackendName | undefined;
  return name && engine.registry[name] ? name : null;
}
