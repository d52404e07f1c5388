/** TF.js backend choice: pure ordering (`chooseBackend`), probing, initialisation, smoke test. */
export {
  type AdapterInfo,
  type BackendFailure,
  type BackendPlan,
  chooseBackend,
  type EnvironmentProbe,
  explainChoice,
  isSoftwareAdapter,
  isSoftwareRenderer,
  PREFERENCE,
} from './choose';
export {
  activeBackend,
  BackendError,
  forceBackend,
  type InitBackendOptions,
  initBackend,
  type WasmPaths,
} from './init';
export { hasWebGlApi, hasWebGpuApi, probeEnvironment } from './probe';
export {
  runSmoke,
  SMOKE_ROWS,
  SMOKE_SIZE,
  SMOKE_TOLERANCE,
  type SmokeOutcome,
  smokeValues,
} from './smoke';
export type { BackendCandidate, BackendName, BackendReport } from './types';
