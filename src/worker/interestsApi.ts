/**
 * The interests view's part of the worker API (types only): a user's observed and predicted
 * layers with their evolution and forecast, the population's evolution, the evolution model's
 * training, the interest map and how well the layered model's heads predict the future.
 */
import type { HeadFit, PredictedLayers } from '../core/interests/predicted';
import type {
  CategoryShare,
  DeepPartial,
  InterestEvolution,
  InterestOptions,
  UserInterests,
} from '../core/interests/types';

export type { HeadFit, PredictedLayers } from '../core/interests/predicted';
export type {
  CategoryShare,
  InterestEvolution,
  InterestOptions,
  InterestWindow,
  MiddleContext,
  UserInterests,
} from '../core/interests/types';

/** Any subset of the layer parameters; the rest take the defaults. */
export type InterestOptionsInput = DeepPartial<InterestOptions>;

/** One user's interests as the page draws them. */
export interface PageUserInterests {
  userId: string;
  /** The options in effect (defaults filled in), so the page shows every parameter. */
  options: InterestOptions;
  observed: UserInterests;
  /** The layered model's heads for the whole history; null when no such model was given. */
  predicted: PredictedLayers | null;
  /** Why there are no predicted layers (no model chosen, not a layered model, derived categories). */
  predictedNote: string | null;
  /**
   * The next window's mix: the evolution model's forecast (null until one is trained for these
   * windows) and the two baselines from the user's own windows.
   */
  forecast: {
    model: CategoryShare[] | null;
    lastWindow: CategoryShare[] | null;
    movingAverage: CategoryShare[] | null;
    /** Raw distributions (category order) for drawing the forecast column. */
    modelDistribution: number[] | null;
  };
}

export type PopulationCohort = 'all' | 'heavy' | 'light';

export interface PagePopulation extends InterestEvolution {
  cohort: PopulationCohort;
  users: number;
  events: number;
  categories: string[];
  derived: boolean;
  notes: string[];
}

export interface EvolutionTrainCallOptions {
  epochs?: number;
  hidden?: number;
  seed?: number;
  /** The window parameters the sequences are cut with (the rest of the options do not matter). */
  interests?: InterestOptionsInput;
}

/** The trained evolution model's check on every user's held-out last window. */
export interface EvolutionSummary {
  users: number;
  unit: InterestEvolution['unit'];
  seconds: number;
  /** Mean KL (nats, smoothed) and MSE of the next-window forecast. */
  model: { kl: number; mse: number } | null;
  lastWindow: { kl: number; mse: number };
  movingAverage: { kl: number; mse: number; windows: number };
}

export interface PageInterestMap {
  modelKey: string;
  method: 'pca' | 'umap';
  points: { itemId: string; title: string | null; categories: string[]; x: number; y: number }[];
  /** Items in the catalogue; `points` may hold fewer (a seeded sample, said in `note`). */
  catalogue: number;
  explained: number | null;
  note: string | null;
}

export interface PageHeadFit extends HeadFit {
  modelKey: string;
}
