import type { RecommendedItem } from '../worker/api';
import type { AppState } from './store';
import type { StateCreator } from './types';

/** The recommendation list shown, and for which model and user it was computed. */
export interface Recommendations {
  status: 'idle' | 'loading' | 'ready' | 'error';
  modelKey: string | null;
  userId: string | null;
  items: RecommendedItem[];
  error: string | null;
}

/**
 * Which user and which model the page looks at (mirrored in the URL hash, see url.ts), and the
 * recommendation list for that pair. `recModelKey` is the user's explicit choice; null means
 * "the most recently trained model" (see {@link shownModelKey}).
 */
export interface SelectionSlice {
  selectedUser: string | null;
  recModelKey: string | null;
  recs: Recommendations;

  selectUser: (userId: string | null) => void;
  selectRecModel: (key: string | null) => void;
  startRecs: (modelKey: string, userId: string) => void;
  setRecs: (modelKey: string, userId: string, items: RecommendedItem[]) => void;
  failRecs: (modelKey: string, userId: string, message: string) => void;
  clearRecs: () => void;
}

const idleRecs: Recommendations = {
  status: 'idle',
  modelKey: null,
  userId: null,
  items: [],
  error: null,
};

/** The model whose list is shown: the chosen one if it is trained, else the latest trained. */
export function shownModelKey(state: AppState): string | null {
  const chosen = state.recModelKey;
  if (chosen && state.cards[chosen]?.card) return chosen;
  return state.lastModelKey && state.cards[state.lastModelKey]?.card ? state.lastModelKey : null;
}

const sameRequest = (recs: Recommendations, modelKey: string, userId: string) =>
  recs.modelKey === modelKey && recs.userId === userId;

export const createSelectionSlice: StateCreator<AppState, SelectionSlice> = (set) => ({
  selectedUser: null,
  recModelKey: null,
  recs: idleRecs,

  // Another user: the explained item and the what-if edits (positions in the old user's
  // history) belong to the previous one.
  selectUser: (userId) =>
    set((state) =>
      state.selectedUser === userId
        ? state
        : { selectedUser: userId, whyItem: null, edits: [], baseline: null },
    ),
  selectRecModel: (key) =>
    set((state) => (state.recModelKey === key ? state : { recModelKey: key })),

  startRecs: (modelKey, userId) =>
    set((state) => ({
      // Keep showing the previous list while the new one is computed (no flicker).
      recs: { ...state.recs, status: 'loading', modelKey, userId, error: null },
    })),
  setRecs: (modelKey, userId, items) =>
    set((state) =>
      sameRequest(state.recs, modelKey, userId)
        ? { recs: { status: 'ready', modelKey, userId, items, error: null } }
        : state,
    ),
  failRecs: (modelKey, userId, message) =>
    set((state) =>
      sameRequest(state.recs, modelKey, userId)
        ? { recs: { status: 'error', modelKey, userId, items: [], error: message } }
        : state,
    ),
  clearRecs: () => set({ recs: idleRecs }),
});
