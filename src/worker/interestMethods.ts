/**
 * The interests view in the worker: a user's observed layers and evolution (src/core/interests),
 * the layered model's predicted layers and how well its heads predict the next window, the
 * population's evolution, the evolution model (trained here, kept per dataset and window
 * parameters) and the interest map. Everything reaches the page in the dataset's ids and
 * category names. One long call (training, UMAP, head check) at a time; `cancelInterests` or a
 * newer one aborts it.
 */
import {
  datasetCategories,
  datasetTimeRange,
  derivedCategories,
  interestHistory,
  NO_CATEGORIES,
} from '../core/interests/dataset';
import {
  type EvolutionModel,
  evaluateForecast,
  forecastBaselines,
  trainEvolutionModel,
} from '../core/interests/evolution';
import { itemEmbeddings, projectItems } from '../core/interests/map';
import {
  cohortUsers,
  userInterests as observeUser,
  populationEvolution,
  resolveInterestOptions,
  type TimeRange,
} from '../core/interests/observed';
import {
  type FitUser,
  hasInterestHeads,
  headFit,
  predictedLayers,
  sharesOf,
} from '../core/interests/predicted';
import type {
  CategoryMap,
  InterestHistory,
  InterestOptions,
  InterestWindow,
} from '../core/interests/types';
import type { TrainedRecommender } from '../core/models/trained';
import { userHistory } from '../core/train/split';
import type { LensWorkerApi } from './api';
import type { DataContext } from './dataContext';
import { LensError } from './errors';
import type { InterestOptionsInput, PageInterestMap, PageUserInterests } from './interestsApi';
import type { LiveModels } from './liveModels';
import { sendSafely } from './progress';

export type InterestMethods = Pick<
  LensWorkerApi,
  | 'userInterests'
  | 'populationInterests'
  | 'trainEvolution'
  | 'interestMap'
  | 'interestHeadFit'
  | 'cancelInterests'
>;

/** Most catalogue points the map sends (a seeded sample above it; highlights always kept). */
export const MAX_MAP_POINTS = 20_000;

/** Derived categories per model (k-means of its item table), computed once. */
const derivedByModel = new WeakMap<TrainedRecommender, CategoryMap>();

interface EvolutionState {
  base: object;
  key: string;
  model: EvolutionModel;
}

export function createInterestMethods(models: LiveModels): InterestMethods {
  let running: AbortController | null = null;
  let evolution: EvolutionState | null = null;
  const ranges = new WeakMap<object, TimeRange | undefined>();

  function optionsOf(input: InterestOptionsInput | undefined): InterestOptions {
    try {
      return resolveInterestOptions(input ?? {});
    } catch (error) {
      throw new LensError('invalid-options', (error as Error).message);
    }
  }

  /** The dataset's categories, or ones derived from `modelKey`'s item embeddings. */
  function categoriesOf(ctx: DataContext, modelKey: string | null): CategoryMap {
    const own = datasetCategories(ctx.dataset);
    if (own) return own;
    if (modelKey === null) throw new LensError('not-explainable', NO_CATEGORIES);
    const { model } = models.get(modelKey);
    const known = derivedByModel.get(model);
    if (known) return known;
    const derived = derivedCategories(model, ctx.dataset);
    if (typeof derived === 'string') throw new LensError('not-explainable', derived);
    derivedByModel.set(model, derived);
    return derived;
  }

  function rangeOf(ctx: DataContext): TimeRange | undefined {
    if (!ranges.has(ctx.base)) ranges.set(ctx.base, datasetTimeRange(ctx.base));
    return ranges.get(ctx.base);
  }

  const historyOf = (ctx: DataContext, user: number): InterestHistory =>
    interestHistory(ctx.dataset, user);

  function userIndex(ctx: DataContext, userId: string): number {
    const user = ctx.userIndex.get(String(userId));
    if (user === undefined) {
      throw new LensError('unknown-user', `There is no user ${userId} in the loaded dataset.`);
    }
    return user;
  }

  /** Every user's windows under `options` (the evolution model's and the head check's input). */
  function allWindows(
    ctx: DataContext,
    categories: CategoryMap,
    options: InterestOptions,
  ): { windows: InterestWindow[][]; unit: string } {
    const range = rangeOf(ctx);
    const windows: InterestWindow[][] = [];
    let unit = 'count';
    for (let u = 0; u < ctx.base.userIds.length; u++) {
      const observed = observeUser(historyOf(ctx, u), categories, options, undefined, range);
      windows.push(observed.evolution.windows);
      if (observed.evolution.windows.length > 0) unit = observed.evolution.unit;
    }
    return { windows, unit };
  }

  /** The key an evolution model is valid for: the dataset, categories and window parameters. */
  const evolutionKey = (categories: CategoryMap, options: InterestOptions) =>
    JSON.stringify([categories.names, categories.derived, options.windows]);

  async function exclusive<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    running?.abort(new LensError('cancelled', 'A newer request replaced this one.'));
    const controller = new AbortController();
    running = controller;
    try {
      return await work(controller.signal);
    } catch (error) {
      if (controller.signal.aborted) throw controller.signal.reason;
      throw error;
    } finally {
      if (running === controller) running = null;
    }
  }

  return {
    async userInterests(userId, modelKey, input): Promise<PageUserInterests> {
      const ctx = models.data();
      const options = optionsOf(input);
      const user = userIndex(ctx, userId);
      const categories = categoriesOf(ctx, modelKey);
      const observed = observeUser(
        historyOf(ctx, user),
        categories,
        options,
        undefined,
        rangeOf(ctx),
      );
      let predicted: PageUserInterests['predicted'] = null;
      let predictedNote: string | null = null;
      if (modelKey === null) {
        predictedNote = 'Choose the layered model to see what its heads predict.';
      } else {
        const { model } = models.get(modelKey);
        if (!hasInterestHeads(model)) {
          predictedNote = `${modelKey} has no interest heads: only the layered model predicts layers.`;
        } else if (categories.derived) {
          predictedNote =
            "The layered model's heads predict the dataset's categories; this dataset has none.";
        } else {
          predicted = await predictedLayers(model, userHistory(ctx.base, user), categories.names);
        }
      }
      const baselines = forecastBaselines(observed.evolution.windows);
      const valid =
        evolution &&
        evolution.base === ctx.base &&
        evolution.key === evolutionKey(categories, options)
          ? evolution.model
          : null;
      const modelForecast =
        valid && observed.evolution.windows.length > 0
          ? valid.predict(observed.evolution.windows)
          : null;
      return {
        userId: String(userId),
        options,
        observed,
        predicted,
        predictedNote,
        forecast: {
          model: modelForecast ? sharesOf(modelForecast, categories.names) : null,
          lastWindow: baselines.lastWindow
            ? sharesOf(baselines.lastWindow, categories.names)
            : null,
          movingAverage: baselines.movingAverage
            ? sharesOf(baselines.movingAverage, categories.names)
            : null,
          modelDistribution: modelForecast,
        },
      };
    },

    async populationInterests(cohort, modelKey, input) {
      const ctx = models.data();
      const options = optionsOf(input);
      if (!['all', 'heavy', 'light'].includes(cohort)) {
        throw new LensError('invalid-options', `There is no cohort ${String(cohort)}.`);
      }
      const categories = categoriesOf(ctx, modelKey);
      const users = cohortUsers(ctx.base, cohort);
      const population = populationEvolution(ctx.base, users, categories, options);
      return {
        ...population,
        cohort,
        categories: [...categories.names],
        derived: categories.derived,
      };
    },

    trainEvolution: (modelKey, call, onProgress) =>
      exclusive(async (signal) => {
        const ctx = models.data();
        const options = optionsOf(call?.interests);
        const categories = categoriesOf(ctx, modelKey);
        const started = performance.now();
        const { windows, unit } = allWindows(ctx, categories, options);
        let model: EvolutionModel;
        try {
          model = await trainEvolutionModel(windows, categories.names.length, {
            ...(call?.epochs !== undefined ? { epochs: call.epochs } : {}),
            ...(call?.hidden !== undefined ? { hidden: call.hidden } : {}),
            ...(call?.seed !== undefined ? { seed: call.seed } : {}),
            signal,
            onProgress: (epoch, epochs, loss) => {
              if (onProgress) sendSafely(onProgress, { epoch, epochs, loss });
            },
          });
        } catch (error) {
          if (error instanceof RangeError) throw new LensError('invalid-options', error.message);
          throw error;
        }
        try {
          signal.throwIfAborted();
          const check = evaluateForecast(windows, categories.names.length, model);
          if (!models.isCurrent(ctx)) {
            throw new LensError('no-dataset', 'The dataset changed during training: train again.');
          }
          evolution?.model.dispose();
          evolution = { base: ctx.base, key: evolutionKey(categories, options), model };
          return {
            users: check.users,
            unit: unit as PageUserInterests['observed']['evolution']['unit'],
            seconds: (performance.now() - started) / 1000,
            model: check.model,
            lastWindow: check.lastWindow,
            movingAverage: check.movingAverage,
          };
        } catch (error) {
          if (evolution?.model !== model) model.dispose();
          throw error;
        }
      }),

    interestMap: (modelKey, method, include, onProgress) =>
      exclusive(async (signal): Promise<PageInterestMap> => {
        const ctx = models.data();
        const entry = models.get(modelKey);
        if (method !== 'pca' && method !== 'umap') {
          throw new LensError('invalid-options', `There is no projection ${String(method)}.`);
        }
        const table = itemEmbeddings(entry.model);
        if (typeof table === 'string') throw new LensError('not-explainable', table);
        const release = models.lease(entry, () => undefined);
        try {
          const projection = await projectItems(table, {
            method,
            signal,
            onProgress: (share) => {
              if (onProgress) sendSafely(onProgress, share);
            },
          });
          const { dataset } = ctx;
          const names = (i: number) =>
            (dataset.itemCategories[i] ?? []).map(
              (c) => dataset.categoryNames[c] ?? `category ${c}`,
            );
          const derived =
            dataset.categoryNames.length === 0 ? derivedByModel.get(entry.model) : null;
          const categoriesOfItem = (i: number) =>
            derived ? derived.itemCategories[i].map((c) => derived.names[c]) : names(i);
          let keep = Array.from({ length: projection.items.length }, (_, r) => r);
          let note = projection.note;
          if (keep.length > MAX_MAP_POINTS) {
            const wanted = new Set(
              (Array.isArray(include) ? include : []).map((id) => ctx.itemIndex.get(String(id))),
            );
            const step = keep.length / MAX_MAP_POINTS;
            const picked = new Set<number>();
            for (let k = 0; k < MAX_MAP_POINTS; k++) picked.add(Math.floor(k * step));
            keep = keep.filter((r) => picked.has(r) || wanted.has(projection.items[r]));
            note = `${note ? `${note} ` : ''}The map draws ${keep.length.toLocaleString('en-US')} of ${projection.items.length.toLocaleString('en-US')} items (evenly spaced, plus the highlighted ones).`;
          }
          return {
            modelKey,
            method,
            catalogue: dataset.itemIds.length,
            explained: projection.explained,
            note,
            points: keep.map((r) => {
              const i = projection.items[r];
              return {
                itemId: dataset.itemIds[i],
                title: dataset.itemTitle[i] ?? null,
                categories: categoriesOfItem(i),
                x: projection.xy[2 * r],
                y: projection.xy[2 * r + 1],
              };
            }),
          };
        } finally {
          release();
        }
      }),

    interestHeadFit: (modelKey, input) =>
      exclusive(async (signal) => {
        const ctx = models.data();
        const options = optionsOf(input);
        const entry = models.get(modelKey);
        if (!hasInterestHeads(entry.model)) {
          throw new LensError(
            'not-explainable',
            `${modelKey} has no interest heads: only the layered model predicts layers.`,
          );
        }
        const categories = categoriesOf(ctx, null);
        const { windows } = allWindows(ctx, categories, options);
        const users: FitUser[] = windows.map((w, u) => ({
          history: userHistory(ctx.base, u),
          windows: w,
        }));
        const release = models.lease(entry, () => undefined);
        try {
          return { modelKey, ...(await headFit(entry.model, users, { signal })) };
        } finally {
          release();
        }
      }),

    cancelInterests() {
      running?.abort(new LensError('cancelled', 'Cancelled.'));
    },
  };
}
