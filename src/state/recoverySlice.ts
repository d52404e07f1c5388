import type { AppState } from './store';
import type { StateCreator } from './types';

/** Where the page stands after its background worker died (see recovery.ts). */
export type RecoveryStatus = 'idle' | 'recovering' | 'recovered' | 'failed';

/**
 * The one-sentence notice shown after the worker died: what happened, what the page restored
 * and what the user must redo. `failed` when the page stopped trying or could not reload the
 * dataset; the sentence says what to do then.
 */
export interface RecoverySlice {
  recovery: { status: RecoveryStatus; message: string | null };

  setRecovery: (status: Exclude<RecoveryStatus, 'idle'>, message: string) => void;
  dismissRecovery: () => void;
}

export const createRecoverySlice: StateCreator<AppState, RecoverySlice> = (set) => ({
  recovery: { status: 'idle', message: null },

  setRecovery: (status, message) => set({ recovery: { status, message } }),
  dismissRecovery: () => set({ recovery: { status: 'idle', message: null } }),
});
