import type { AlsParams, ForeignModelProposal, ModelMapping } from '../worker/api';
import type { AppState } from './store';
import type { StateCreator } from './types';

/** An import from another engine being prepared: the files, the proposal and the edits. */
export interface ForeignDraft {
  files: File[];
  proposal: ForeignModelProposal;
  /** The mapping as edited (TF.js models); starts as the proposal's. */
  mapping: ModelMapping | null;
  /** ALS hyper-parameters as typed, and whether they are known at all. */
  als: AlsParams & { known: boolean };
  itemIdsFile: File | null;
  userIdsFile: File | null;
}

/** Models from other engines: the draft being mapped, the busy flag and the last outcome. */
export interface ForeignSlice {
  foreignDraft: ForeignDraft | null;
  foreignBusy: boolean;
  foreignMessage: { level: 'info' | 'error'; text: string } | null;
  setForeignDraft: (draft: ForeignDraft | null) => void;
  editForeignDraft: (change: Partial<ForeignDraft>) => void;
  setForeignBusy: (busy: boolean) => void;
  setForeignMessage: (message: ForeignSlice['foreignMessage']) => void;
}

export const createForeignSlice: StateCreator<AppState, ForeignSlice> = (set) => ({
  foreignDraft: null,
  foreignBusy: false,
  foreignMessage: null,
  setForeignDraft: (draft) => set({ foreignDraft: draft }),
  editForeignDraft: (change) =>
    set((s) => (s.foreignDraft ? { foreignDraft: { ...s.foreignDraft, ...change } } : {})),
  setForeignBusy: (busy) => set({ foreignBusy: busy }),
  setForeignMessage: (message) => set({ foreignMessage: message }),
});
