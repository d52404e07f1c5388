/**
 * The one Web Worker entry: wires src/core into the {@link LensWorkerApi} and exposes it with
 * Comlink. Everything heavy (the File, the dataset, every tensor) lives here; the page gets
 * summaries. Logic lives in service.ts and expose.ts; this file only wires them together.
 */
import wasmPlainUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { activeBackend, forceBackend, initBackend, smokeValues } from '../core/backend/index';
import { exposeLensApi } from './expose';
import { ingestDeps } from './ingestDeps';
import { createModelDeps } from './modelDeps';
import { createLensService } from './service';

/** Vite serves the .wasm binaries as hashed assets; tfjs-backend-wasm fetches them by name. */
const wasmPaths: Record<string, string> = {
  'tfjs-backend-wasm.wasm': wasmPlainUrl,
  'tfjs-backend-wasm-simd.wasm': wasmSimdUrl,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedSimdUrl,
};

const service = createLensService(
  {
    ...ingestDeps,
    initBackend: (preferred) => initBackend({ preferred, wasmPaths }),
    forceBackend: (name) => forceBackend(name, { wasmPaths }),
    smokeValues,
    activeBackend,
  },
  createModelDeps(wasmPaths),
);

exposeLensApi(service);
