/**
 * The effectful half of backend choice: ask the runtime what it offers (WebGPU adapter, WebGL
 * renderer, WebAssembly SIMD). Every browser API is reached through `globalThis` behind
 * `typeof` checks, so this runs unchanged in Node tests, in a Web Worker and on a page.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm'; // registers the WASM_HAS_SIMD_SUPPORT flag
import type { AdapterInfo, EnvironmentProbe } from './choose';

/** Structural view of the bits of WebGPU we read (the DOM lib here has no WebGPU types). */
interface GpuAdapterInfoLike {
  vendor?: string;
  architecture?: string;
  description?: string;
  device?: string;
  isFallbackAdapter?: boolean;
}
interface GpuAdapterLike {
  info?: GpuAdapterInfoLike;
  isFallbackAdapter?: boolean;
  requestAdapterInfo?: () => Promise<GpuAdapterInfoLike>;
}
interface GpuLike {
  requestAdapter(options?: { powerPreference?: string }): Promise<GpuAdapterLike | null>;
}

/** requestAdapter can hang on broken drivers; the app must still start. */
const ADAPTER_TIMEOUT_MS = 5000;

function gpuOfRuntime(): GpuLike | null {
  const nav = (globalThis as { navigator?: { gpu?: GpuLike } }).navigator;
  return nav?.gpu && typeof nav.gpu.requestAdapter === 'function' ? nav.gpu : null;
}

/** True when `navigator.gpu` exists, i.e. the WebGPU backend can at least be registered. */
export function hasWebGpuApi(): boolean {
  return gpuOfRuntime() !== null;
}

/** True when WebGL can exist here (OffscreenCanvas in workers and modern pages). */
export function hasWebGlApi(): boolean {
  return typeof OffscreenCanvas !== 'undefined';
}

async function probeWebGpu(): Promise<{ adapter: AdapterInfo | null; missing: string | null }> {
  const gpu = gpuOfRuntime();
  if (!gpu) {
    return {
      adapter: null,
      missing: 'navigator.gpu is missing',
    };
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), ADAPTER_TIMEOUT_MS);
    });
    // Same power preference as tfjs-backend-webgpu, so we judge the adapter it will get.
    const adapter = await Promise.race([
      gpu.requestAdapter({ powerPreference: 'high-performance' }),
      timeout,
    ]);
    if (adapter === 'timeout') {
      return {
        adapter: null,
        missing: `requestAdapter gave no answer in ${ADAPTER_TIMEOUT_MS} ms`,
      };
    }
    if (adapter === null) return { adapter: null, missing: 'the browser offered no GPU adapter' };
    const info: GpuAdapterInfoLike =
      adapter.info ??
      (typeof adapter.requestAdapterInfo === 'function' ? await adapter.requestAdapterInfo() : {});
    return {
      adapter: {
        vendor: info.vendor ?? '',
        architecture: info.architecture ?? '',
        description: info.description || info.device || '',
        isFallback: info.isFallbackAdapter === true || adapter.isFallbackAdapter === true,
      },
      missing: null,
    };
  } catch (error) {
    return { adapter: null, missing: `requestAdapter failed: ${(error as Error).message}` };
  } finally {
    clearTimeout(timer);
  }
}

const UNMASKED_RENDERER_WEBGL = 0x9246;
/** What Chromium answers for gl.RENDERER when it masks the real one. */
const MASKED_RENDERERS = /^(webkit webgl|mozilla|generic renderer)$/i;

/** The WebGL renderer string ('' when hidden), or null when no WebGL context can be created. */
function probeWebGlRenderer(): string | null {
  if (!hasWebGlApi()) return null;
  try {
    const canvas = new OffscreenCanvas(1, 1);
    const gl = canvas.getContext('webgl2') ?? canvas.getContext('webgl');
    if (!gl) return null;
    const debugInfo = gl.getExtension('WEBGL_debug_renderer_info');
    const raw = debugInfo ? gl.getParameter(UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER);
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    const renderer = typeof raw === 'string' ? raw.trim() : '';
    return MASKED_RENDERERS.test(renderer) ? '' : renderer;
  } catch {
    return null;
  }
}

async function probeWasm(): Promise<{ available: boolean; simd: boolean }> {
  if (typeof WebAssembly !== 'object') return { available: false, simd: false };
  try {
    return { available: true, simd: Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) };
  } catch {
    return { available: true, simd: false };
  }
}

/**
 * Looks at what this runtime offers, without initialising any TF.js backend, so the choice can
 * be made (and explained) by what the hardware is rather than by which API exists.
 */
export async function probeEnvironment(): Promise<EnvironmentProbe> {
  const [gpu, wasm] = await Promise.all([probeWebGpu(), probeWasm()]);
  return {
    webgpu: gpu.adapter,
    webgpuMissing: gpu.missing,
    webglRenderer: probeWebGlRenderer(),
    wasm,
  };
}
