import type { AppState } from './store';
import type { StateCreator } from './types';
import { DEFAULT_VIEW, type ViewName } from './url';

/**
 * Pure view state: which view is shown (mirrored in the URL hash as `view`, see url.ts) and
 * whether a file is being dragged over the page.
 */
export interface ViewSlice {
  /** The view shown: Why (the default), Models or Data. */
  view: ViewName;
  setView: (view: ViewName) => void;
  /** True while a file is dragged over the page, to highlight the drop zone. */
  dropActive: boolean;
  setDropActive: (active: boolean) => void;
}

export const createViewSlice: StateCreator<AppState, ViewSlice> = (set) => ({
  view: DEFAULT_VIEW,
  setView: (view) => set((state) => (state.view === view ? state : { view })),
  dropActive: false,
  setDropActive: (active) =>
    set((state) => (state.dropActive === active ? state : { dropActive: active })),
});
