import type { StateCreator as ZustandStateCreator } from 'zustand';

/**
 * A slice of the one app store: `StateCreator<AppState, [], [], Slice>` in zustand's terms.
 * Middleware goes only on the combined store, so slices take no mutator parameters.
 */
export type StateCreator<State, Slice> = ZustandStateCreator<State, [], [], Slice>;
