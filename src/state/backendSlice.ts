import type { BackendName, BackendReport } from '../core/backend/types';
import type { AppState } from './store';
import type { StateCreator } from './types';

/** `initialising` until the worker reports its first backend choice. */
export type BackendStatus = 'initialising' | 'ready' | 'switching' | 'error';

/** The TF.js backend the worker runs on, as shown in the header badge. */
export interface BackendSlice {
  backendStatus: BackendStatus;
  backendReport: BackendReport | null;
  /** The backend the user asked for while a switch is running. */
  backendRequested: BackendName | null;
  /** Why the last init or switch failed; the previous report (if any) stays current. */
  backendError: string | null;

  startBackendSwitch: (name: BackendName | null) => void;
  setBackendReport: (report: BackendReport) => void;
  failBackend: (message: string) => void;
}

export const createBackendSlice: StateCreator<AppState, BackendSlice> = (set) => ({
  backendStatus: 'initialising',
  backendReport: null,
  backendRequested: null,
  backendError: null,

  startBackendSwitch: (name) =>
    set((state) => ({
      backendStatus: state.backendReport ? 'switching' : 'initialising',
      backendRequested: name,
      backendError: null,
    })),

  setBackendReport: (report) =>
    set({
      backendStatus: 'ready',
      backendReport: report,
      backendRequested: null,
      backendError: null,
    }),

  failBackend: (message) =>
    set((state) => ({
      // A failed switch leaves the worker on its previous backend, which still works.
      backendStatus: state.backendReport ? 'ready' : 'error',
      backendRequested: null,
      backendError: message,
    })),
});
