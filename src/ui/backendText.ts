/** Words for the backend badge: names, the short reason and the tooltip. */
import type { BackendName, BackendReport } from '../core/backend/types';

export const BACKEND_LABELS: Record<BackendName, string> = {
  webgpu: 'WebGPU',
  webgl: 'WebGL',
  wasm: 'WASM',
  cpu: 'CPU',
};

/**
 * The reason without a leading "wasm (WebAssembly with SIMD): " that would repeat the name
 * shown next to it; the tooltip keeps the whole sentence.
 */
export function shortReason(report: BackendReport): string {
  const { reason, backend } = report;
  const colon = reason.indexOf(': ');
  return reason.toLowerCase().startsWith(backend) && colon > 0 && colon < 60
    ? reason.slice(colon + 2)
    : reason;
}

/** The full story of the backend choice, for the tooltip. */
export function describeReport(report: BackendReport): string {
  const lines = [
    `${BACKEND_LABELS[report.backend]}${report.forced ? ' (chosen by you)' : ''}: ${report.reason}`,
  ];
  if (report.adapter) {
    const { vendor, architecture, description, isFallback } = report.adapter;
    const name = [vendor, architecture, description].filter(Boolean).join(' ');
    lines.push(`GPU adapter: ${name || 'unnamed'}${isFallback ? ' (fallback, software)' : ''}`);
  }
  lines.push(
    report.smoke.ok
      ? `Smoke test passed in ${report.smoke.ms.toFixed(1)} ms (max error ${report.smoke.maxAbsError.toExponential(1)})`
      : 'Smoke test FAILED',
  );
  for (const c of report.candidates) {
    lines.push(
      `${BACKEND_LABELS[c.name]}: ${c.available ? 'available' : 'unavailable'}, ${c.note}`,
    );
  }
  return lines.join('\n');
}
