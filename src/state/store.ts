import { create } from 'zustand';
import { type BackendSlice, createBackendSlice } from './backendSlice';
import { type CompareSlice, createCompareSlice } from './compareSlice';
import { createDataSlice, type DataSlice } from './dataSlice';
import { createForeignSlice, type ForeignSlice } from './foreignSlice';
import { createInterestsSlice, type InterestsSlice } from './interestsSlice';
import { createModelsSlice, type ModelsSlice } from './modelsSlice';
import { createRecoverySlice, type RecoverySlice } from './recoverySlice';
import { createSavedModelsSlice, type SavedModelsSlice } from './savedModelsSlice';
import { createSelectionSlice, type SelectionSlice } from './selectionSlice';
import { createViewSlice, type ViewSlice } from './viewSlice';
import { createWhySlice, type WhySlice } from './whySlice';

export { useShallow } from 'zustand/react/shallow';

/** The whole app state: ids, summaries and view state only (the dataset lives in the worker). */
export type AppState = DataSlice &
  BackendSlice &
  ViewSlice &
  ModelsSlice &
  SelectionSlice &
  SavedModelsSlice &
  WhySlice &
  CompareSlice &
  InterestsSlice &
  ForeignSlice &
  RecoverySlice;

/**
 * The one store of the app, combined from typed slices. Components read it through narrow
 * selectors (`useAppStore((s) => s.status)`, or `useShallow` for tuples/objects); actions that
 * talk to the worker are plain functions in `actions.ts`.
 */
export const useAppStore = create<AppState>()((...a) => ({
  ...createDataSlice(...a),
  ...createBackendSlice(...a),
  ...createViewSlice(...a),
  ...createModelsSlice(...a),
  ...createSelectionSlice(...a),
  ...createSavedModelsSlice(...a),
  ...createWhySlice(...a),
  ...createCompareSlice(...a),
  ...createInterestsSlice(...a),
  ...createForeignSlice(...a),
  ...createRecoverySlice(...a),
}));
