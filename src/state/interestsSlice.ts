/**
 * State of the Interests view: the layer parameters (every one editable), which model feeds the
 * predicted layers and the map, the scope (one user or a population), and the worker's answers:
 * the user's layers, the population's evolution, the evolution model's training and check, the
 * interest map and the heads' fit. Ids, names and numbers only.
 */
import { DEFAULT_INTEREST_OPTIONS, type InterestOptions } from '../core/interests/types';
import type {
  EvolutionSummary,
  PageHeadFit,
  PageInterestMap,
  PagePopulation,
  PageUserInterests,
  PopulationCohort,
} from '../worker/api';
import type { AppState } from './store';
import type { StateCreator } from './types';

export type InterestScope = 'user' | PopulationCohort;

export interface Fetched<T, P = never> {
  status: 'idle' | 'running' | 'ready' | 'error';
  /** What was asked (interestsActions.ts builds it); null when nothing was. */
  request: string | null;
  result: T | null;
  progress: P | null;
  error: string | null;
}

export const idleFetch = <T, P = never>(): Fetched<T, P> => ({
  status: 'idle',
  request: null,
  result: null,
  progress: null,
  error: null,
});

export interface InterestsSlice {
  interestOptions: InterestOptions;
  /** The model of the predicted layers and the map; null = the layered model when trained. */
  interestModelKey: string | null;
  interestScope: InterestScope;
  userInterests: Fetched<PageUserInterests>;
  population: Fetched<PagePopulation>;
  evolutionTraining: Fetched<EvolutionSummary, { epoch: number; epochs: number; loss: number }> & {
    /** Bumped by every trained model, so the user's forecast is asked again. */
    stamp: number;
  };
  interestMap: Fetched<PageInterestMap, number>;
  headFit: Fetched<PageHeadFit>;

  setInterestOptions: (options: InterestOptions) => void;
  setInterestModelKey: (key: string | null) => void;
  setInterestScope: (scope: InterestScope) => void;
  setUserInterests: (next: InterestsSlice['userInterests']) => void;
  setPopulation: (next: InterestsSlice['population']) => void;
  setEvolutionTraining: (next: InterestsSlice['evolutionTraining']) => void;
  setInterestMap: (next: InterestsSlice['interestMap']) => void;
  setHeadFit: (next: InterestsSlice['headFit']) => void;
}

export const createInterestsSlice: StateCreator<AppState, InterestsSlice> = (set) => ({
  interestOptions: DEFAULT_INTEREST_OPTIONS,
  interestModelKey: null,
  interestScope: 'user',
  userInterests: idleFetch(),
  population: idleFetch(),
  evolutionTraining: { ...idleFetch(), stamp: 0 },
  interestMap: idleFetch(),
  headFit: idleFetch(),

  setInterestOptions: (interestOptions) => set({ interestOptions }),
  setInterestModelKey: (interestModelKey) => set({ interestModelKey }),
  setInterestScope: (interestScope) => set({ interestScope }),
  setUserInterests: (userInterests) => set({ userInterests }),
  setPopulation: (population) => set({ population }),
  setEvolutionTraining: (evolutionTraining) => set({ evolutionTraining }),
  setInterestMap: (interestMap) => set({ interestMap }),
  setHeadFit: (headFit) => set({ headFit }),
});
