import { describe, expect, it } from 'vitest';
import type { BackendReport } from '../core/backend/types';
import { describeReport, shortReason } from './backendText';

const report = (backend: BackendReport['backend'], reason: string): BackendReport => ({
  backend,
  reason,
  forced: false,
  candidates: [],
  adapter: null,
  smoke: { ok: true, ms: 1, maxAbsError: 0 },
});

describe('shortReason', () => {
  it('drops a leading backend name the badge already shows', () => {
    expect(shortReason(report('wasm', 'wasm (WebAssembly with SIMD): no WebGPU adapter'))).toBe(
      'no WebGPU adapter',
    );
  });

  it('the tooltip names the backend, the smoke test and every candidate', () => {
    const text = describeReport({
      ...report('wasm', 'wasm: fastest here'),
      candidates: [{ name: 'webgpu', available: false, note: 'no adapter' }],
    });
    expect(text.split('\n')).toEqual([
      'WASM: wasm: fastest here',
      'Smoke test passed in 1.0 ms (max error 0.0e+0)',
      'WebGPU: unavailable, no adapter',
    ]);
  });

  it('keeps a reason that does not start with the backend name', () => {
    expect(shortReason(report('webgpu', 'hardware adapter: NVIDIA'))).toBe(
      'hardware adapter: NVIDIA',
    );
  });
});
