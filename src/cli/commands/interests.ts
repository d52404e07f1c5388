/**
 * `lens interests`: a user's layered interests (surface, middle, deep), their evolution over
 * time windows with drift and change points, and the next window's forecast; or, with `--all`,
 * the whole population's evolution. The same core as the page's Interests view
 * (src/core/interests). A saved `layered` model adds its predicted layers; without item
 * categories in the data, a saved neural model's item embeddings give derived categories.
 */

import type { Dataset } from '../../core/data/types';
import {
  datasetCategories,
  datasetTimeRange,
  derivedCategories,
  interestHistory,
} from '../../core/interests/dataset';
import {
  type EvolutionModel,
  evaluateForecast,
  forecastBaselines,
  trainEvolutionModel,
} from '../../core/interests/evolution';
import {
  cohortUsers,
  populationEvolution,
  resolveInterestOptions,
  userInterests,
} from '../../core/interests/observed';
import { hasInterestHeads, predictedLayers, sharesOf } from '../../core/interests/predicted';
import type {
  CategoryMap,
  CategoryShare,
  DeepPartial,
  InterestOptions,
  InterestWindow,
} from '../../core/interests/types';
import type { TrainedRecommender } from '../../core/models/trained';
import { decodeModel, matchDataset } from '../../core/persist';
import { userHistory } from '../../core/train/split';
import { type CliCommand, UsageError } from '../args';
import { initNodeBackend } from '../backend';
import type { Write } from '../progress';
import { loadData } from './load';
import { readModelDir } from './modelDir';
import { restoreOnData } from './savedModel';

type InterestsCommand = Extract<CliCommand, { command: 'interests' }>;

interface WindowOut {
  start: number;
  end: number;
  events: number;
  distribution: CategoryShare[];
}

interface Forecast {
  next: CategoryShare[] | null;
  /** Mean KL (nats) and MSE of each forecaster on every user's held-out last window. */
  error: { kl: number; mse: number } | null;
  baselines: {
    lastWindow: { next: CategoryShare[] | null; kl: number; mse: number };
    movingAverage: { next: CategoryShare[] | null; kl: number; mse: number };
  };
  users: number;
}

export interface InterestsOutput {
  user: string | null;
  categories: string[];
  derived: boolean;
  options: InterestOptions;
  surface?: CategoryShare[];
  surfaceEvents?: number;
  /** How the surface was cut (`last-n` also when there are no timestamps to split sessions). */
  surfaceMode?: 'session' | 'last-n';
  middle?: {
    context: string;
    top: string | null;
    divergence: number;
    events: number;
    categories: CategoryShare[];
  }[];
  deep?: { category: string; share: number; stability: number }[];
  predicted?: { surface: CategoryShare[]; middle: CategoryShare[]; deep: CategoryShare[] };
  unit: string;
  windows: WindowOut[];
  drift: number[];
  changePoints: number[];
  forecast: Forecast | null;
  notes: string[];
}

function optionsOf(command: InterestsCommand): InterestOptions {
  const input: DeepPartial<InterestOptions> = {
    surface: {
      ...(command.surface !== null ? { mode: command.surface } : {}),
      ...(command.gapMinutes !== null ? { sessionGapMinutes: command.gapMinutes } : {}),
      ...(command.lastN !== null ? { lastN: command.lastN } : {}),
    },
    deep: command.halfLifeDays !== null ? { halfLifeDays: command.halfLifeDays } : {},
    windows: command.window !== null ? { unit: command.window } : {},
  };
  try {
    return resolveInterestOptions(input);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

const windowsOut = (windows: readonly InterestWindow[], names: readonly string[]): WindowOut[] =>
  windows.map((w) => ({
    start: w.start,
    end: w.end,
    events: w.events,
    distribution: sharesOf(w.distribution, names),
  }));

export async function runInterests(
  command: InterestsCommand,
  io: { stderr: Write; signal?: AbortSignal },
): Promise<InterestsOutput> {
  const options = optionsOf(command);
  const files = command.modelDir ? await readModelDir(command.modelDir) : null;
  const decoded = files ? decodeModel(files.modelJson, files.weightsBin) : null;
  const { dataset, fileName } = await loadData(command.interactions, {
    items: command.items,
    signal: io.signal,
    progress: io.stderr,
  });
  const user = command.user === null ? null : dataset.userIds.indexOf(command.user);
  if (user !== null && user < 0) {
    throw new UsageError(
      `There is no user "${command.user}" in ${fileName} (${dataset.userIds.length} users).`,
    );
  }
  let model: TrainedRecommender | null = null;
  if (decoded) {
    const match = matchDataset(decoded.meta, dataset);
    if (match.status === 'refused') throw new UsageError(match.reason);
    if (match.status === 'mapped' && !command.allowOtherData) {
      throw new UsageError(
        `This model was trained on other data ("${decoded.meta.dataset.name}"): use the data it was trained on, or pass --allow-other-data.`,
      );
    }
    model = (await restoreOnData(decoded, match, dataset, { stderr: io.stderr, verb: 'reading' }))
      .model;
  }
  let evolution: EvolutionModel | null = null;
  try {
    const categories = categoriesOf(dataset, model);
    const range = datasetTimeRange(dataset);
    const names = categories.names;
    // Every user's windows: the forecast's training data (and the population's check).
    const sequences: InterestWindow[][] = [];
    if (command.forecast) {
      for (let u = 0; u < dataset.userIds.length; u++) {
        sequences.push(
          userInterests(interestHistory(dataset, u), categories, options, undefined, range)
            .evolution.windows,
        );
      }
      await initNodeBackend(io.stderr);
      io.stderr(`training the evolution model on ${sequences.length} users' windows\n`);
      try {
        evolution = await trainEvolutionModel(sequences, names.length, { signal: io.signal });
      } catch (error) {
        if (error instanceof Error && error.name === 'AbortError') throw error;
        if (io.signal?.aborted) throw error;
        io.stderr(`note: no forecast: ${(error as Error).message}\n`);
      }
    }
    const check = evolution ? evaluateForecast(sequences, names.length, evolution) : null;
    const forecastFrom = (windows: readonly InterestWindow[], users: number): Forecast | null => {
      if (!command.forecast) return null;
      const baselines = forecastBaselines(windows);
      const next = evolution && windows.length > 0 ? evolution.predict(windows) : null;
      return {
        next: next ? sharesOf(next, names) : null,
        error: check?.model ?? null,
        baselines: {
          lastWindow: {
            next: baselines.lastWindow ? sharesOf(baselines.lastWindow, names) : null,
            kl: check?.lastWindow.kl ?? Number.NaN,
            mse: check?.lastWindow.mse ?? Number.NaN,
          },
          movingAverage: {
            next: baselines.movingAverage ? sharesOf(baselines.movingAverage, names) : null,
            kl: check?.movingAverage.kl ?? Number.NaN,
            mse: check?.movingAverage.mse ?? Number.NaN,
          },
        },
        users: check?.users ?? users,
      };
    };

    if (user === null) {
      const population = populationEvolution(
        dataset,
        cohortUsers(dataset, 'all'),
        categories,
        options,
      );
      return {
        user: null,
        categories: [...names],
        derived: categories.derived,
        options,
        unit: population.unit,
        windows: windowsOut(population.windows, names),
        drift: population.drift,
        changePoints: population.changePoints,
        forecast: forecastFrom(population.windows, population.users),
        notes: population.notes,
      };
    }
    const observed = userInterests(
      interestHistory(dataset, user),
      categories,
      options,
      undefined,
      range,
    );
    let predicted: InterestsOutput['predicted'];
    if (model && hasInterestHeads(model) && !categories.derived) {
      predicted = await predictedLayers(model, userHistory(dataset, user), names);
    } else if (model) {
      io.stderr(`note: ${model.id} has no interest heads (only layered predicts layers)\n`);
    }
    return {
      user: command.user,
      categories: [...names],
      derived: categories.derived,
      options,
      surface: observed.surface.categories,
      surfaceEvents: observed.surface.events,
      surfaceMode: observed.surface.mode,
      middle: observed.middle.map((m) => ({
        context: m.context,
        top: m.top,
        divergence: m.divergence,
        events: m.events,
        categories: m.categories,
      })),
      deep: observed.deep.categories.map((c) => ({
        category: c.category,
        share: c.share,
        stability: c.stability,
      })),
      ...(predicted ? { predicted } : {}),
      unit: observed.evolution.unit,
      windows: windowsOut(observed.evolution.windows, names),
      drift: observed.evolution.drift,
      changePoints: observed.evolution.changePoints,
      forecast: forecastFrom(observed.evolution.windows, 1),
      notes: observed.notes,
    };
  } finally {
    evolution?.dispose();
    model?.dispose();
  }
}

function categoriesOf(dataset: Dataset, model: TrainedRecommender | null): CategoryMap {
  const own = datasetCategories(dataset);
  if (own) return own;
  if (!model) {
    throw new UsageError(
      'This data has no item categories: give --items with a categories column, or --model-dir with a neural model to derive interest clusters from its item embeddings.',
    );
  }
  const derived = derivedCategories(model, dataset);
  if (typeof derived === 'string') throw new UsageError(derived);
  return derived;
}
