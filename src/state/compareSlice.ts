/**
 * State of the compare view: which models (keys, mirrored in the URL as `models`) and which
 * cohort (`cohort`), the comparison the worker returned for them, the user-level lists of the
 * bump chart, the users brushed on the per-user scatter, and the explanation agreement (over a
 * sample of users, and for the one selected user side by side). Ids and numbers only.
 */
import type { Cohort } from '../core/compare/cohorts';
import type {
  CompareAgreement,
  CompareLists,
  CompareProgress,
  PageComparison,
} from '../worker/api';
import type { AppState } from './store';
import type { StateCreator } from './types';

export type CompareStatus = 'idle' | 'running' | 'ready' | 'error';

/** A result for one request (models + cohort, and the models' training stamps). */
export interface CompareResultState<T, P = never> {
  status: CompareStatus;
  /** What was asked (see compareActions.ts `requestKey`); null when nothing was. */
  request: string | null;
  progress: P | null;
  result: T | null;
  error: string | null;
}

export const idleResult = <T, P = never>(): CompareResultState<T, P> => ({
  status: 'idle',
  request: null,
  progress: null,
  result: null,
  error: null,
});

export interface CompareSlice {
  compareKeys: string[];
  compareCohort: Cohort;
  /** The pair the scatter shows ([a, b] keys); null = the first two compared models. */
  comparePair: [string, string] | null;
  /** Users selected on the scatter (brushed or picked from its groups). */
  brushedUsers: string[];
  comparison: CompareResultState<PageComparison, CompareProgress>;
  lists: CompareResultState<CompareLists>;
  agreement: CompareResultState<CompareAgreement, { done: number; total: number }>;
  /** The same for the selected user alone (the side-by-side attributions). */
  userAgreement: CompareResultState<CompareAgreement, { done: number; total: number }>;

  setCompareKeys: (keys: string[]) => void;
  setCompareCohort: (cohort: Cohort) => void;
  setComparePair: (pair: [string, string] | null) => void;
  setBrushedUsers: (users: string[]) => void;
  setComparison: (next: CompareSlice['comparison']) => void;
  setLists: (next: CompareSlice['lists']) => void;
  setAgreement: (next: CompareSlice['agreement']) => void;
  setUserAgreement: (next: CompareSlice['userAgreement']) => void;
}

const sameKeys = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((k, i) => k === b[i]);

export const createCompareSlice: StateCreator<AppState, CompareSlice> = (set) => ({
  compareKeys: [],
  compareCohort: 'all',
  comparePair: null,
  brushedUsers: [],
  comparison: idleResult(),
  lists: idleResult(),
  agreement: idleResult(),
  userAgreement: idleResult(),

  setCompareKeys: (keys) =>
    set((state) =>
      sameKeys(state.compareKeys, keys)
        ? state
        : { compareKeys: [...keys], brushedUsers: [], comparePair: null },
    ),
  setCompareCohort: (cohort) =>
    set((state) =>
      state.compareCohort === cohort ? state : { compareCohort: cohort, brushedUsers: [] },
    ),
  setComparePair: (pair) => set({ comparePair: pair, brushedUsers: [] }),
  setBrushedUsers: (users) => set({ brushedUsers: users }),
  setComparison: (comparison) => set({ comparison }),
  setLists: (lists) => set({ lists }),
  setAgreement: (agreement) => set({ agreement }),
  setUserAgreement: (userAgreement) => set({ userAgreement }),
});
