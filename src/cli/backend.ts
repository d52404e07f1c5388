/**
 * TF.js in Node for the CLI: the wasm backend (SIMD; about as fast as in a browser worker,
 * see ENVIRONMENT.md), loaded from the package's own dist folder. The CLI never imports
 * TF.js itself: it resolves the binaries' folder and lets core initialise the backend.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { initBackend } from '../core/backend';
import type { BackendReport } from '../core/backend/types';
import type { Write } from './progress';

/** Absolute folder of the .wasm binaries, with the trailing separator setWasmPaths expects. */
export function wasmBinaryFolder(): string {
  const require = createRequire(import.meta.url);
  const pkg = require.resolve('@tensorflow/tfjs-backend-wasm/package.json');
  return `${path.join(path.dirname(pkg), 'dist')}${path.sep}`;
}

/**
 * Starts TF.js by the automatic order, which in Node is wasm, then cpu if wasm cannot start
 * (the reason says why). Not passed as `preferred`: the report would then say "chosen by
 * you", which the person at the terminal did not do.
 */
export async function initNodeBackend(write: Write): Promise<BackendReport> {
  const report = await initBackend({ wasmPaths: wasmBinaryFolder() });
  write(`backend: ${report.reason}\n`);
  return report;
}
