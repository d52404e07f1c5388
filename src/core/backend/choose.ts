/**
 * The pure half of backend choice: given what the environment offers, which TF.js backends
 * to try, in which order, and why. No TF.js and no browser APIs here, so every situation
 * (hardware GPU, SwiftShader fallback adapter, no WebGPU, software WebGL, cpu only) is
 * unit-tested in Node. Measured on the target machine (see ENVIRONMENT.md): wasm + SIMD is
 * ~39 GFLOP/s, SwiftShader WebGL ~5, SwiftShader WebGPU ~0.8, plain-JS cpu ~1. So a GPU backend
 * is only worth it on real hardware; the name "webgpu" alone says nothing.
 */
import type { BackendCandidate, BackendName } from './types';

/** A WebGPU adapter as the browser describes it (`adapter.info`). */
export interface AdapterInfo {
  vendor: string;
  architecture: string;
  description: string;
  isFallback: boolean;
}

/** What `probeEnvironment()` found; plain data so tests can build any situation. */
export interface EnvironmentProbe {
  /** The WebGPU adapter, or null when there is none. */
  webgpu: AdapterInfo | null;
  /** Why there is no adapter, e.g. `navigator.gpu is missing`; null when there is one. */
  webgpuMissing: string | null;
  /** The WebGL renderer: a string ('' when the browser hides it), or null without WebGL. */
  webglRenderer: string | null;
  wasm: { available: boolean; simd: boolean };
}

/** The automatic order to try and the verdict on every backend. */
export interface BackendPlan {
  /** Backends to try, best first; always ends with `cpu`. */
  order: BackendName[];
  /** One entry per backend (webgpu, webgl, wasm, cpu), whether usable at all and why. */
  candidates: BackendCandidate[];
}

/** A candidate that was tried and did not work (setBackend refused, or the smoke test failed). */
export interface BackendFailure {
  name: BackendName;
  why: string;
}

/** Preference on real hardware; used to say why everything ahead of the choice was passed over. */
export const PREFERENCE: readonly BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

const SOFTWARE_RENDERER =
  /swiftshader|llvmpipe|lavapipe|softpipe|software|microsoft basic render|\bwarp\b/i;

/** Which software rasteriser a description names, for messages ('SwiftShader', 'llvmpipe'...). */
function softwareName(text: string): string {
  const match = SOFTWARE_RENDERER.exec(text);
  if (!match) return 'a software renderer';
  const found = match[0].toLowerCase();
  if (found === 'swiftshader') return "SwiftShader's software renderer";
  if (found === 'software') return 'a software renderer';
  return `${match[0]} (software)`;
}

/** True when a WebGPU adapter is a CPU emulation rather than a GPU. */
export function isSoftwareAdapter(adapter: AdapterInfo): boolean {
  return (
    adapter.isFallback ||
    SOFTWARE_RENDERER.test(`${adapter.vendor} ${adapter.architecture} ${adapter.description}`)
  );
}

/** True when a WebGL renderer string names a software rasteriser. */
export function isSoftwareRenderer(renderer: string): boolean {
  return SOFTWARE_RENDERER.test(renderer);
}

function describeAdapter(adapter: AdapterInfo): string {
  const parts = [adapter.vendor, adapter.architecture, adapter.description].filter(
    (part) => part.trim() !== '',
  );
  return parts.length > 0 ? parts.join(' ') : 'unnamed adapter';
}

interface Verdict {
  candidate: BackendCandidate;
  /** Tried before wasm in the automatic order. */
  aheadOfWasm: boolean;
  /** Tried at all in the automatic order (a software WebGPU adapter is only used when forced). */
  automatic: boolean;
}

function webgpuVerdict(probe: EnvironmentProbe): Verdict {
  const adapter = probe.webgpu;
  if (adapter === null) {
    const missing = probe.webgpuMissing ?? 'no adapter';
    return {
      candidate: { name: 'webgpu', available: false, note: `no WebGPU (${missing})` },
      aheadOfWasm: false,
      automatic: false,
    };
  }
  if (isSoftwareAdapter(adapter)) {
    const named = /swiftshader/i.test(describeAdapter(adapter));
    const what = adapter.isFallback
      ? `WebGPU adapter is ${named ? "SwiftShader's" : "the browser's"} software fallback`
      : `WebGPU adapter is ${softwareName(describeAdapter(adapter))}`;
    return {
      candidate: {
        name: 'webgpu',
        available: true,
        note: `${what} (much slower than WASM here)`,
      },
      aheadOfWasm: false,
      automatic: false,
    };
  }
  return {
    candidate: {
      name: 'webgpu',
      available: true,
      note: `hardware GPU adapter (${describeAdapter(adapter)})`,
    },
    aheadOfWasm: true,
    automatic: true,
  };
}

function webglVerdict(probe: EnvironmentProbe): Verdict {
  const renderer = probe.webglRenderer;
  if (renderer === null) {
    return {
      candidate: { name: 'webgl', available: false, note: 'no WebGL in this context' },
      aheadOfWasm: false,
      automatic: false,
    };
  }
  if (renderer.trim() === '') {
    return {
      candidate: {
        name: 'webgl',
        available: true,
        note: 'WebGL renderer is hidden by the browser, so it is not preferred over WASM',
      },
      aheadOfWasm: false,
      automatic: true,
    };
  }
  if (isSoftwareRenderer(renderer)) {
    return {
      candidate: {
        name: 'webgl',
        available: true,
        note: `WebGL is ${softwareName(renderer)} (slower than WASM here)`,
      },
      aheadOfWasm: false,
      automatic: true,
    };
  }
  return {
    candidate: { name: 'webgl', available: true, note: `hardware WebGL (${renderer})` },
    aheadOfWasm: true,
    automatic: true,
  };
}

function wasmCandidate(probe: EnvironmentProbe): BackendCandidate {
  if (!probe.wasm.available) {
    return { name: 'wasm', available: false, note: 'no WebAssembly in this context' };
  }
  return {
    name: 'wasm',
    available: true,
    note: probe.wasm.simd
      ? 'WebAssembly with SIMD'
      : 'WebAssembly without SIMD (about 2-3x slower than with SIMD)',
  };
}

/**
 * Orders the backends by what the hardware is: a hardware WebGPU adapter first, then hardware
 * WebGL, then wasm, then a software WebGL (still faster than plain JS at scoring), then cpu.
 * A software WebGPU adapter is never chosen automatically (50x slower than wasm here) but stays
 * available for an explicit override, e.g. to compare outputs across backends.
 */
export function chooseBackend(probe: EnvironmentProbe): BackendPlan {
  const gpu = webgpuVerdict(probe);
  const gl = webglVerdict(probe);
  const wasm = wasmCandidate(probe);
  const cpu: BackendCandidate = {
    name: 'cpu',
    available: true,
    note: 'plain JavaScript (slowest; always works)',
  };
  const order: BackendName[] = [];
  for (const verdict of [gpu, gl]) {
    if (verdict.automatic && verdict.aheadOfWasm) order.push(verdict.candidate.name);
  }
  if (wasm.available) order.push('wasm');
  for (const verdict of [gpu, gl]) {
    if (verdict.automatic && !verdict.aheadOfWasm) order.push(verdict.candidate.name);
  }
  order.push('cpu');
  return { order, candidates: [gpu.candidate, gl.candidate, wasm, cpu] };
}

/**
 * The one-line reason shown in the backend badge, e.g.
 * `wasm: WebGPU adapter is SwiftShader's software fallback (...); WebGL is ... (slower than WASM here)`.
 * It names why every backend ahead of the choice (in hardware preference) was not used: its
 * smoke test failed, it is missing, or it is software-rendered.
 */
export function explainChoice(
  plan: BackendPlan,
  chosen: BackendName,
  failures: readonly BackendFailure[],
  forced = false,
): string {
  const note = (name: BackendName) =>
    plan.candidates.find((candidate) => candidate.name === name)?.note ?? 'unknown';
  if (forced) return `${chosen}: chosen by you; ${note(chosen)}`;
  const passedOver: string[] = [];
  for (const name of PREFERENCE) {
    if (name === chosen) break;
    const failure = failures.find((f) => f.name === name);
    passedOver.push(failure ? `${name} failed: ${failure.why}` : note(name));
  }
  // Failures of backends behind the choice in preference order (e.g. a forced one) still count.
  for (const failure of failures) {
    if (PREFERENCE.indexOf(failure.name) > PREFERENCE.indexOf(chosen)) {
      passedOver.push(`${failure.name} failed: ${failure.why}`);
    }
  }
  if (passedOver.length === 0) return `${chosen}: ${note(chosen)}`;
  return `${chosen} (${note(chosen)}): ${passedOver.join('; ')}`;
}
