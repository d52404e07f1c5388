import type { AppState } from './store';
import type { StateCreator } from './types';

/**
 * Pure view state of the ingest page. Today that is only whether a file is being dragged over
 * the page; panels that fold, and the view state later pages keep in the URL, belong here too.
 */
export interface ViewSlice {
  /** True while a file is dragged over the page, to highlight the drop zone. */
  dropActive: boolean;
  setDropActive: (active: boolean) => void;
}

export const createViewSlice: StateCreator<AppState, ViewSlice> = (set) => ({
  dropActive: false,
  setDropActive: (active) =>
    set((state) => (state.dropActive === active ? state : { dropActive: active })),
});
