import { describe, expect, it } from 'vitest';
import { type AdapterInfo, chooseBackend, type EnvironmentProbe, explainChoice } from './choose';

const swiftshaderAdapter: AdapterInfo = {
  vendor: 'google',
  architecture: 'swiftshader',
  description: 'SwiftShader Device (Subzero)',
  isFallback: true,
};
const nvidiaAdapter: AdapterInfo = {
  vendor: 'nvidia',
  architecture: 'ampere',
  description: '',
  isFallback: false,
};
const swiftshaderGl =
  'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero)), SwiftShader driver)';
const nvidiaGl = 'ANGLE (NVIDIA, NVIDIA GeForce RTX 3060 Direct3D11 vs_5_0 ps_5_0, D3D11)';

function probe(overrides: Partial<EnvironmentProbe>): EnvironmentProbe {
  return {
    webgpu: null,
    webgpuMissing: 'navigator.gpu is missing',
    webglRenderer: null,
    wasm: { available: true, simd: true },
    ...overrides,
  };
}

describe('chooseBackend', () => {
  it('puts a hardware WebGPU adapter first, then hardware WebGL, then wasm, then cpu', () => {
    const plan = chooseBackend(
      probe({ webgpu: nvidiaAdapter, webgpuMissing: null, webglRenderer: nvidiaGl }),
    );
    expect(plan.order).toEqual(['webgpu', 'webgl', 'wasm', 'cpu']);
    expect(explainChoice(plan, 'webgpu', [])).toBe('webgpu: hardware GPU adapter (nvidia ampere)');
  });

  it('never picks the SwiftShader fallback adapter or software WebGL over wasm', () => {
    const plan = chooseBackend(
      probe({ webgpu: swiftshaderAdapter, webgpuMissing: null, webglRenderer: swiftshaderGl }),
    );
    expect(plan.order).toEqual(['wasm', 'webgl', 'cpu']);
    const webgpu = plan.candidates.find((c) => c.name === 'webgpu');
    // Still available so the user can force it (e.g. to compare outputs with wasm).
    expect(webgpu?.available).toBe(true);
    const reason = explainChoice(plan, 'wasm', []);
    expect(reason).toMatch(/^wasm \(WebAssembly with SIMD\): /);
    expect(reason).toContain("WebGPU adapter is SwiftShader's software fallback");
    expect(reason).toContain('slower than WASM here');
    expect(reason).toMatch(/WebGL is SwiftShader's software renderer/);
  });

  it('treats an adapter named swiftshader as software even without the fallback flag', () => {
    const plan = chooseBackend(
      probe({ webgpu: { ...swiftshaderAdapter, isFallback: false }, webgpuMissing: null }),
    );
    expect(plan.order).toEqual(['wasm', 'cpu']);
  });

  it('uses hardware WebGL ahead of wasm when there is no WebGPU', () => {
    const plan = chooseBackend(probe({ webglRenderer: nvidiaGl }));
    expect(plan.order).toEqual(['webgl', 'wasm', 'cpu']);
    const reason = explainChoice(plan, 'webgl', []);
    expect(reason).toContain('hardware WebGL');
    expect(reason).toContain('no WebGPU (navigator.gpu is missing)');
  });

  it('does not prefer a WebGL whose renderer the browser hides', () => {
    expect(chooseBackend(probe({ webglRenderer: '' })).order).toEqual(['wasm', 'webgl', 'cpu']);
  });

  it('falls back to cpu when nothing else exists', () => {
    const plan = chooseBackend(probe({ wasm: { available: false, simd: false } }));
    expect(plan.order).toEqual(['cpu']);
    expect(plan.candidates.filter((c) => c.available).map((c) => c.name)).toEqual(['cpu']);
    const reason = explainChoice(plan, 'cpu', []);
    expect(reason).toContain('no WebAssembly');
    expect(reason).toContain('no WebGL');
  });

  it('says when wasm runs without SIMD', () => {
    const plan = chooseBackend(probe({ wasm: { available: true, simd: false } }));
    expect(plan.candidates.find((c) => c.name === 'wasm')?.note).toMatch(/without SIMD/);
  });

  it('names a smoke failure as the reason for falling through', () => {
    const plan = chooseBackend(probe({ webgpu: nvidiaAdapter, webgpuMissing: null }));
    const reason = explainChoice(plan, 'wasm', [
      { name: 'webgpu', why: 'smoke test off by 3.00e-2 (allowed 0.0005)' },
    ]);
    expect(reason).toContain('webgpu failed: smoke test off by 3.00e-2');
  });

  it('says the user chose a forced backend', () => {
    const plan = chooseBackend(probe({ webgpu: swiftshaderAdapter, webgpuMissing: null }));
    expect(explainChoice(plan, 'webgpu', [], true)).toMatch(
      /^webgpu: chosen by you; WebGPU adapter is SwiftShader's software fallback/,
    );
  });
});
