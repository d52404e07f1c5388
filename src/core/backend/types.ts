/** TF.js backends the app can run on, in order of preference on real hardware. */
export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';

export interface BackendCandidate {
  name: BackendName;
  available: boolean;
  /** Why it is or is not a good choice here, e.g. `fallback adapter (swiftshader)`. */
  note: string;
}

/** What the app chose, why, and what else could have been chosen. Shown in the backend badge. */
export interface BackendReport {
  backend: BackendName;
  reason: string;
  /** true when the user forced the backend rather than the automatic choice. */
  forced: boolean;
  candidates: BackendCandidate[];
  /** GPU adapter as reported by WebGPU, when there is one. */
  adapter: {
    vendor: string;
    architecture: string;
    description: string;
    isFallback: boolean;
  } | null;
  /** Result of the smoke computation that verified the backend works. */
  smoke: { ok: boolean; ms: number; maxAbsError: number };
}
