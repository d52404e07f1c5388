import type { SavedModelSummary } from '../worker/api';
import type { AppState } from './store';
import type { StateCreator } from './types';

/**
 * The models saved in this browser (IndexedDB, held by the worker), newest first, and the
 * outcome of the last save/load/import/rename/delete as one line for the user.
 */
export interface SavedModelsSlice {
  savedModels: SavedModelSummary[];
  /** A save, load, import, rename or delete is running. */
  savedBusy: boolean;
  /** The last such action's message: what happened, or why it failed. */
  savedMessage: { level: 'info' | 'error'; text: string } | null;
  /**
   * Why the list could not be read (no IndexedDB, a private window): shown instead of the
   * empty list's text; null once a listing succeeds.
   */
  savedListError: string | null;

  setSavedModels: (models: SavedModelSummary[]) => void;
  /** The list could not be read: it is empty, for the reason given. */
  failSavedModels: (message: string) => void;
  setSavedBusy: (busy: boolean) => void;
  setSavedMessage: (level: 'info' | 'error', text: string) => void;
  clearSavedMessage: () => void;
}

export const createSavedModelsSlice: StateCreator<AppState, SavedModelsSlice> = (set) => ({
  savedModels: [],
  savedBusy: false,
  savedMessage: null,
  savedListError: null,

  setSavedModels: (models) =>
    set({
      savedModels: [...models].sort((a, b) => b.savedAt.localeCompare(a.savedAt)),
      savedListError: null,
    }),
  failSavedModels: (message) => set({ savedModels: [], savedListError: message }),
  setSavedBusy: (busy) => set({ savedBusy: busy }),
  setSavedMessage: (level, text) => set({ savedMessage: { level, text } }),
  clearSavedMessage: () => set({ savedMessage: null }),
});
