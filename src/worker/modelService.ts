/**
 * The model half of the worker's API: trains variants on one shared split (live models in
 * liveModels.ts, one per key), recommends, searches users, derives int8 variants, explains
 * (explainMethods.ts), and (through savedModelMethods.ts) saves, loads, exports and imports
 * models. The functions it calls are
 * injected (see {@link ModelServiceDeps}) so the same code runs in the worker and in Node tests
 * with fakes.
 */
import type { ModelId } from '../core/models/types';
import { userHistory } from '../core/train/split';
import type { LensWorkerApi, ModelCardSummary, RecommendedItem, TrainProgress } from './api';
import { type CompareMethods, createCompareMethods } from './compareMethods';
import { LensError } from './errors';
import { createExplainMethods, type ExplainMethods } from './explainMethods';
import { createForeignMethods, type ForeignMethods } from './foreignMethods';
import { createInterestMethods, type InterestMethods } from './interestMethods';
import { createLiveModels } from './liveModels';
import type { CurrentDataset, ModelServiceDeps } from './modelServiceDeps';
import { sendSafely, throttleProgress } from './progress';
import { createRecordCheck } from './recordCheck';
import { createSavedModelMethods, type SavedModelMethods } from './savedModelMethods';
import { createWhyMethods, type WhyMethods } from './whyMethods';

export type {
  CurrentDataset,
  ModelServiceDeps,
  ModelStoreLike,
  RestoredModel,
  VariantRunOptions,
} from './modelServiceDeps';

type ModelMethods = SavedModelMethods &
  ForeignMethods &
  ExplainMethods &
  CompareMethods &
  InterestMethods &
  WhyMethods &
  Pick<
    LensWorkerApi,
    | 'listVariants'
    | 'trainModel'
    | 'cancelTraining'
    | 'recommend'
    | 'searchUsers'
    | 'deriveInt8'
    | 'lossTrajectory'
  >;

const MAX_K = 200;

/** Key of a model's int8 variant: `gru` -> `gru-int8`. */
export const INT8_SUFFIX = '-int8';

/** Builds the model methods over `current()` (the ingest side's dataset). */
export function createModelService(
  deps: ModelServiceDeps,
  current: () => CurrentDataset | null,
): ModelMethods {
  const models = createLiveModels(deps, current);

  const checkedRecord = createRecordCheck(deps, models);
  let training: { id: ModelId; controller: AbortController } | null = null;

  return {
    ...createSavedModelMethods(deps, models, checkedRecord),
    ...createForeignMethods(deps, models, checkedRecord),
    ...createExplainMethods(deps, models),
    ...createWhyMethods(deps, models),
    ...createCompareMethods(deps, models),
    ...createInterestMethods(models),
    listVariants: async () => deps.availableVariants(),

    async trainModel(id, options, onProgress): Promise<ModelCardSummary> {
      if (training) {
        throw new LensError(
          'training-busy',
          `${training.id} is still training: wait for it or cancel it first.`,
        );
      }
      const controller = new AbortController();
      training = { id, controller };
      try {
        const ctx = models.data();
        await deps.ensureBackend();
        const batches = throttleProgress<TrainProgress>(onProgress);
        const epochRates: number[] = [];
        let lastRate = 0;
        const result = await deps.trainVariant(ctx.dataset, ctx.split, id, {
          ...options,
          signal: controller.signal,
          backend: deps.activeBackend() ?? undefined,
          features: models.features(ctx),
          onBatch(p) {
            lastRate = p.examplesPerSec;
            batches.update({ kind: 'batch', ...p });
          },
          onEpoch(p) {
            batches.flush();
            epochRates.push(lastRate);
            const at10 = p.validation.atK.find((m) => m.k === 10);
            sendSafely(onProgress, {
              kind: 'epoch',
              epoch: p.epoch,
              loss: p.loss,
              validationNdcg10: at10?.ndcg ?? Number.NaN,
              validationHr10: at10?.hitRate ?? Number.NaN,
            });
          },
        });
        if (controller.signal.aborted || !models.isCurrent(ctx)) {
          result.model.dispose();
          if (controller.signal.aborted) {
            throw new LensError('cancelled', `Training ${id} was cancelled.`);
          }
          throw new LensError('no-dataset', 'The dataset changed during training: train again.');
        }
        batches.flush();
        const examplesPerSec =
          epochRates.length > 0 ? epochRates.reduce((a, b) => a + b, 0) / epochRates.length : null;
        const record = await checkedRecord(ctx, result.record);
        return models.install(result.model, {
          key: id,
          id,
          status: 'trained',
          record,
          source: { kind: 'trained' },
          examplesPerSec,
        });
      } catch (error) {
        if (controller.signal.aborted) {
          throw new LensError('cancelled', `Training ${id} was cancelled.`);
        }
        throw error;
      } finally {
        training = null;
      }
    },

    cancelTraining() {
      training?.controller.abort();
    },

    async recommend(key, userId, k = 10): Promise<RecommendedItem[]> {
      const entry = models.get(key);
      const ctx = models.data();
      const user = ctx.userIndex.get(userId);
      if (user === undefined) {
        throw new LensError('unknown-user', `There is no user ${userId} in the loaded dataset.`);
      }
      const cutoff = Math.max(1, Math.min(MAX_K, Math.floor(k)));
      const model = entry.model.forUser?.(user) ?? entry.model;
      const top = await deps.topK(model, userHistory(ctx.base, user), cutoff, true);
      const { itemIds, itemTitle, itemCategories, categoryNames } = ctx.dataset;
      return top.map(({ item, score }) => ({
        itemId: itemIds[item],
        title: itemTitle[item] ?? null,
        categories: (itemCategories[item] ?? []).map((c) => categoryNames[c]),
        score,
      }));
    },

    async searchUsers(query, limit = 20) {
      return models.data().searchUsers(query, limit);
    },

    async deriveInt8(key) {
      const entry = models.get(key);
      const ctx = models.data();
      const source = entry.card.source;
      if (source.kind === 'int8') {
        throw new LensError('model-refused', `${key} is already int8; derive from ${source.from}.`);
      }
      if (source.kind !== 'trained' && source.match === 'mapped') {
        throw new LensError(
          'model-refused',
          `${key} was mapped onto this dataset from other data; quantise its original instead.`,
        );
      }
      const derived = await deps.deriveInt8(
        entry.model,
        entry.card.record,
        ctx.split,
        models.features(ctx),
      );
      if (!models.isCurrent(ctx)) {
        derived.model.dispose();
        throw new LensError('no-dataset', 'The dataset changed meanwhile: derive it again.');
      }
      const record = await checkedRecord(ctx, derived.record);
      return models.install(derived.model, {
        key: `${key}${INT8_SUFFIX}`,
        id: entry.card.id,
        status: 'trained',
        record,
        source: {
          kind: 'int8',
          from: key,
          float32Bytes: derived.bytes.float32,
          int8Bytes: derived.bytes.int8,
        },
        examplesPerSec: null,
      });
    },

    async lossTrajectory(id, options) {
      const ctx = models.data();
      await deps.ensureBackend();
      const losses = await deps.lossTrajectory(ctx.split, id, options);
      return { backend: deps.activeBackend() ?? 'cpu', losses };
    },
  };
}
