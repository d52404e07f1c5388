/**
 * The live models of the worker, one per key, over the current dataset's context: a new
 * dataset drops (and disposes) them all, a replaced model is disposed, and encoding refuses
 * models that cannot be saved faithfully. A model leased by a running computation (an
 * explanation) is disposed only once that lets go of it. Shared by the training, explanation
 * and saved-model methods.
 */
import type { ItemFeatures, TrainedRecommender } from '../core/models/trained';
import type { ModelCardSummary } from './api';
import { type DataContext, dataContext } from './dataContext';
import { LensError } from './errors';
import type { CurrentDataset, ModelServiceDeps, ModelStoreLike } from './modelServiceDeps';
import { STORAGE_UNAVAILABLE } from './modelStore';

export interface LiveModel {
  model: TrainedRecommender;
  card: ModelCardSummary;
}

export interface LiveModels {
  /** The split, features and user index of the current dataset; drops models of an old one. */
  data(): DataContext;
  features(ctx: DataContext): ItemFeatures;
  /** The live model `key`, or a `no-model` error. */
  get(key: string): LiveModel;
  /** Makes `model` the live model of its key, disposing the one it replaces. */
  install(model: TrainedRecommender, card: ModelCardSummary): ModelCardSummary;
  /**
   * Keeps `entry`'s model alive (not disposed) until the returned release is called, even when
   * it is replaced or its dataset is dropped meanwhile; `onRetired` is called once if that
   * happens, so the computation can stop early.
   */
  lease(entry: LiveModel, onRetired: () => void): () => void;
  /** True while `ctx` still describes the loaded dataset. */
  isCurrent(ctx: DataContext): boolean;
  /** model.json and weights.bin of a live model; refuses derived and mapped models. */
  encode(entry: LiveModel, name: string): { modelJson: string; weightsBin: Uint8Array };
  /** The browser's model store, opened on first use. */
  store(): Promise<ModelStoreLike>;
}

export function createLiveModels(
  deps: ModelServiceDeps,
  current: () => CurrentDataset | null,
): LiveModels {
  let context: DataContext | null = null;
  const live = new Map<string, LiveModel>();
  let store: Promise<ModelStoreLike> | null = null;
  const leases = new Map<TrainedRecommender, { retired: boolean; holders: Set<() => void> }>();

  /** Disposes a model that is no longer live, or marks it for disposal when it is leased. */
  function retire(model: TrainedRecommender): void {
    const lease = leases.get(model);
    if (!lease) {
      model.dispose();
      return;
    }
    if (lease.retired) return;
    lease.retired = true;
    for (const onRetired of [...lease.holders]) onRetired();
  }

  function disposeAll(): void {
    for (const entry of live.values()) retire(entry.model);
    live.clear();
  }

  function data(): DataContext {
    const now = current();
    if (!now) {
      throw new LensError('no-dataset', 'Load a dataset before training or loading models.');
    }
    if (context?.base !== now.baseDataset) {
      disposeAll();
      context = dataContext(now.baseDataset, now.dataset, now.fileName, deps.splitDataset);
    }
    if (context.dataset !== now.dataset) {
      // Item metadata joined onto the same interactions: same split, new titles and features.
      context = { ...context, dataset: now.dataset, fileName: now.fileName, features: null };
    }
    return context;
  }

  return {
    data,
    features(ctx) {
      if (!ctx.features) ctx.features = deps.itemFeatures(ctx.dataset);
      return ctx.features;
    },
    get(key) {
      data(); // drops models of a dataset that is no longer loaded
      const entry = live.get(key);
      if (!entry) {
        throw new LensError(
          'no-model',
          `There is no trained model ${key}: train or load it first.`,
        );
      }
      return entry;
    },
    install(model, card) {
      const previous = live.get(card.key);
      live.set(card.key, { model, card });
      if (previous && previous.model !== model) retire(previous.model);
      return card;
    },
    lease(entry, onRetired) {
      const { model } = entry;
      let lease = leases.get(model);
      if (!lease) {
        lease = { retired: false, holders: new Set() };
        leases.set(model, lease);
      }
      const held = lease;
      // One holder per lease, even when two leases pass the same callback.
      const holder = () => onRetired();
      held.holders.add(holder);
      return () => {
        if (!held.holders.delete(holder)) return;
        if (held.holders.size > 0) return;
        leases.delete(model);
        if (held.retired) model.dispose();
      };
    },
    isCurrent: (ctx) => current()?.baseDataset === ctx.base,
    encode(entry, name) {
      const ctx = data();
      const source = entry.card.source;
      if (source.kind === 'int8') {
        throw new LensError(
          'model-refused',
          `${entry.card.key} is derived in the page: save or export ${source.from} and derive it again after loading.`,
        );
      }
      if (source.kind !== 'trained' && source.match === 'mapped') {
        throw new LensError(
          'model-refused',
          `${source.name} was trained on ${source.datasetName} and only mapped onto this dataset; save or export its original files instead.`,
        );
      }
      return deps.encode(entry.model, entry.card.record, ctx.dataset, ctx.fileName, name);
    },
    store() {
      if (!store) {
        store = deps.openModelStore().catch((error: unknown) => {
          // Not kept: the next call tries again (the user may free space or close a tab).
          store = null;
          throw error instanceof LensError ? error : new LensError('storage', STORAGE_UNAVAILABLE);
        });
      }
      return store;
    },
  };
}
