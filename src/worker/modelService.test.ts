/**
 * The model half of the worker with fake core functions: one shared split, progress
 * throttling, cancel keeping the previous model, disposal of replaced models, and the lookups
 * (users, recommendations) that go by original id strings.
 */
import { describe, expect, it } from 'vitest';
import type { Dataset } from '../core/data/types';
import type { ExplainRequest } from '../core/explain/engine';
import type { Explanation } from '../core/explain/types';
import type { MetricReport } from '../core/models/baseline-types';
import type { TrainedRecommender, TrainingRecord } from '../core/models/trained';
import type { LeaveLastOutSplit } from '../core/train/split';
import { makeDataset } from '../core/train/testing';
import type { TrainProgress } from './api';
import { decodeError } from './errors';
import { type CurrentDataset, createModelService, type ModelServiceDeps } from './modelService';
import type { ModelStoreLike } from './modelServiceDeps';
import { STORAGE_FULL, STORAGE_UNAVAILABLE, storageError } from './modelStore';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function report(): MetricReport {
  return {
    protocol: 'full-ranking',
    which: 'validation',
    tieRule: 'ties-count-against',
    atK: [{ k: 10, hitRate: 0.5, ndcg: 0.25, recall: 0.5, coverage: 0.2 }],
    mrr: 0.1,
    usersEvaluated: 3,
    usersExcluded: 0,
    minInteractions: 3,
    repeatTargets: 0,
    numItems: 4,
    seed: null,
    negativesShortfall: 0,
  };
}

function fakeModel(id: string, numItems: number): TrainedRecommender & { disposed: boolean } {
  const model = {
    id,
    numItems,
    hyper: {},
    neural: null,
    features: null,
    disposed: false,
    // Item i scores i: the highest index is the best unseen item.
    score: async (users: Int32Array) =>
      Float32Array.from({ length: users.length * numItems }, (_, j) => j % numItems),
    exportWeights: () => [],
    dispose() {
      model.disposed = true;
    },
  };
  return model as unknown as TrainedRecommender & { disposed: boolean };
}

/** The smallest explanation of `item` (the fake engine's answer). */
function fakeExplanation(item: number): Explanation {
  return {
    model: 'gru',
    item,
    score: 1,
    rank: 1,
    target: { kind: 'score', competitor: null, k: null, value: 1, empty: 0 },
    read: 0,
    unread: 0,
    heldFixed: 0,
    history: [],
    removal: 'close-up',
    historyIndependent: false,
    methods: {},
    faithfulness: {},
    counterfactual: null,
    rollups: { category: {}, window: {} },
    evaluations: 0,
    latencyMs: { total: 0 },
  };
}

function setup(
  options: {
    batches?: number;
    batchMs?: number;
    explainMs?: number;
    openModelStore?: () => Promise<ModelStoreLike>;
  } = {},
) {
  const rows: [string, string, number][] = [
    ['alice', 'i0', 1],
    ['alice', 'i1', 2],
    ['alice', 'i2', 3],
    ['bob', 'i1', 1],
    ['bob', 'i3', 2],
    ['albert', 'i0', 1],
  ];
  const dataset = makeDataset(rows);
  dataset.itemTitle = ['Zero', 'One', null, 'Three'];
  let current: CurrentDataset | null = { dataset, baseDataset: dataset, fileName: 'x.csv' };
  const models: (TrainedRecommender & { disposed: boolean })[] = [];
  const splits: Dataset[] = [];
  /** Per explain call: the request, and whether its model was disposed when it saw the abort. */
  const explained: { request: ExplainRequest; disposedAtAbort: boolean | null }[] = [];
  const deps = {
    availableVariants: () => [],
    splitDataset: (d: Dataset) => {
      splits.push(d);
      return { numItems: d.itemIds.length } as LeaveLastOutSplit;
    },
    itemFeatures: () => ({ numCategories: 0, categories: [], titleTokens: [], titleBuckets: 1 }),
    async trainVariant(d, _split, id, run) {
      const batches = options.batches ?? 3;
      for (let b = 1; b <= batches; b++) {
        if (run.signal.aborted) {
          const error = new Error('Training was cancelled.');
          error.name = 'AbortError';
          throw error;
        }
        await sleep(options.batchMs ?? 1);
        run.onBatch({ epoch: 1, batch: b, batches, loss: 10 - b, examplesPerSec: 100 });
      }
      run.onEpoch({ epoch: 1, loss: 8, validation: report(), trainSeconds: 0.1 });
      const model = fakeModel(id, d.itemIds.length);
      models.push(model);
      return { model, record: { modelId: id, epochs: 1 } as unknown as TrainingRecord };
    },
    topK: async (model, history, k) => {
      const scores = await model.score(Int32Array.of(-1), history);
      const seen = new Set(history.items);
      return [...scores]
        .map((score, item) => ({ item, score }))
        .filter((s) => !seen.has(s.item))
        .sort((a, b) => b.score - a.score)
        .slice(0, k);
    },
    // Works in 1 ms steps until `explainMs` have passed, checking its signal like the engine.
    async explain(request, _options, hooks) {
      const call = { request, disposedAtAbort: null as boolean | null };
      explained.push(call);
      const started = performance.now();
      while (performance.now() - started < (options.explainMs ?? 0)) {
        if (hooks.signal?.aborted) {
          call.disposedAtAbort = models.some((m) => m.disposed && m.id === request.model.id);
          hooks.signal.throwIfAborted();
        }
        await sleep(1);
      }
      return fakeExplanation(request.item ?? 3);
    },
    resolveExplainOptions: () => ({}) as ReturnType<ModelServiceDeps['resolveExplainOptions']>,
    ensureBackend: async () => undefined,
    activeBackend: () => 'wasm',
    encode: () => ({ modelJson: '{}', weightsBin: new Uint8Array(8) }),
    openModelStore: options.openModelStore,
  } as Partial<ModelServiceDeps> as ModelServiceDeps;
  const service = createModelService(deps, () => current);
  return {
    service,
    models,
    splits,
    explained,
    dataset,
    replaceDataset(next: Dataset) {
      current = { dataset: next, baseDataset: next, fileName: 'y.csv' };
    },
  };
}

describe('createModelService', () => {
  it('trains every variant on one split and reports batch and epoch progress', async () => {
    const { service, splits } = setup({ batches: 3 });
    const seen: TrainProgress[] = [];
    const card = await service.trainModel('gru', { epochs: 1 }, (p) => seen.push(p));
    await service.trainModel('pop', {}, () => undefined);
    expect(card).toMatchObject({ key: 'gru', id: 'gru', status: 'trained', examplesPerSec: 100 });
    expect(splits).toHaveLength(1);
    // Batches are throttled (the first goes out), the epoch always does, after the last batch.
    expect(seen[0]).toMatchObject({ kind: 'batch', batch: 1 });
    expect(seen.at(-1)).toEqual({
      kind: 'epoch',
      epoch: 1,
      loss: 8,
      validationNdcg10: 0.25,
      validationHr10: 0.5,
    });
    expect(seen.filter((p) => p.kind === 'batch').at(-1)).toMatchObject({ batch: 3 });
  });

  it('cancel rejects with cancelled and keeps the previous model of that variant', async () => {
    const { service, models } = setup({ batches: 50, batchMs: 2 });
    await service.trainModel('gru', {}, () => undefined);
    const first = models[0];
    const running = service.trainModel('gru', {}, () => undefined);
    await sleep(10);
    service.cancelTraining();
    await expect(running).rejects.toThrow(/cancelled/);
    expect(first.disposed).toBe(false);
    expect((await service.recommend('gru', 'alice', 1))[0].itemId).toBe('i3');
  });

  it('refuses a second training while one runs', async () => {
    const { service } = setup({ batches: 20, batchMs: 2 });
    const running = service.trainModel('gru', {}, () => undefined);
    await expect(service.trainModel('pop', {}, () => undefined)).rejects.toThrow(/still training/);
    await running;
  });

  it('disposes a replaced model, and every model when the dataset changes', async () => {
    const { service, models, splits, dataset, replaceDataset } = setup();
    await service.trainModel('gru', {}, () => undefined);
    await service.trainModel('gru', {}, () => undefined);
    expect(models.map((m) => m.disposed)).toEqual([true, false]);
    replaceDataset({ ...dataset });
    await expect(service.recommend('gru', 'alice')).rejects.toThrow(/no trained model gru/);
    expect(models[1].disposed).toBe(true);
    await service.trainModel('gru', {}, () => undefined);
    expect(splits).toHaveLength(2);
  });

  it('recommends unseen items by original id with titles, and says which user is unknown', async () => {
    const { service } = setup();
    await service.trainModel('gru', {}, () => undefined);
    const recs = await service.recommend('gru', 'alice', 10);
    expect(recs.map((r) => [r.itemId, r.title])).toEqual([['i3', 'Three']]);
    const bob = await service.recommend('gru', 'bob', 10);
    expect(bob.map((r) => r.itemId)).toEqual(['i2', 'i0']);
    expect(bob[0].title).toBeNull();
    await expect(service.recommend('gru', 'carol')).rejects.toThrow(/no user carol/);
  });

  it('finds users: exact id first, then prefixes and substrings, most active first', async () => {
    const { service } = setup();
    expect(await service.searchUsers('', 2)).toEqual([
      { id: 'alice', interactions: 3 },
      { id: 'bob', interactions: 2 },
    ]);
    expect((await service.searchUsers('AL', 10)).map((u) => u.id)).toEqual(['alice', 'albert']);
    expect((await service.searchUsers('albert', 10)).map((u) => u.id)).toEqual(['albert']);
    expect((await service.searchUsers('b', 10)).map((u) => u.id)).toEqual(['bob', 'albert']);
  });

  it('explains a user history by ids, and keeps a model being explained alive until it stops', async () => {
    const { service, models, explained } = setup({ explainMs: 200 });
    await service.trainModel('gru', {}, () => undefined);
    const report = await service.explain('gru', 'alice', 'i1', {}, () => undefined);
    expect(report).toMatchObject({ user: 'alice', item: 'i1', modelName: 'gru' });
    expect(Array.from(explained[0].request.history.items)).toEqual([0, 1, 2]);
    expect(explained[0].request.item).toBe(1);

    // Retraining gru while it is explained: the explanation stops, and only then is the old
    // model disposed.
    const running = service.explain('gru', 'bob', null, {}, () => undefined);
    await sleep(5);
    await service.trainModel('gru', {}, () => undefined);
    const error = decodeError(await running.catch((e: unknown) => e));
    expect([error.code, error.message]).toEqual(['cancelled', expect.stringMatching(/replaced/)]);
    expect(explained[1].disposedAtAbort).toBe(false);
    expect(models.map((m) => m.disposed)).toEqual([true, false]);
  });

  it('refuses to answer for a dataset that was replaced during the explanation', async () => {
    const { service, models, dataset, replaceDataset } = setup({ explainMs: 30 });
    await service.trainModel('gru', {}, () => undefined);
    const running = service.explain('gru', 'alice', null, {}, () => undefined);
    await sleep(5);
    replaceDataset({ ...dataset });
    const error = decodeError(await running.catch((e: unknown) => e));
    expect([error.code, error.message]).toEqual([
      'no-dataset',
      'The dataset changed during the explanation: explain again.',
    ]);
    // Dropped with its dataset on the next model call.
    await expect(service.recommend('gru', 'alice')).rejects.toThrow(/no trained model/);
    expect(models[0].disposed).toBe(true);
  });

  it('a save the browser refuses (quota) leaves the live model as it was', async () => {
    const saved: string[] = [];
    const store: ModelStoreLike = {
      list: async () => [],
      save: async (modelJson) => {
        saved.push(modelJson);
        throw storageError(new DOMException('The quota has been exceeded.', 'QuotaExceededError'));
      },
      load: async () => {
        throw new Error('unused');
      },
      rename: async () => undefined,
      remove: async () => undefined,
    };
    const { service, models } = setup({ openModelStore: async () => store });
    await service.trainModel('gru', {}, () => undefined);
    const error = decodeError(await service.saveModel('gru', 'mine').catch((e: unknown) => e));
    expect([error.code, error.message]).toEqual(['storage', STORAGE_FULL]);
    expect(saved).toHaveLength(1);
    expect(models[0].disposed).toBe(false);
    expect((await service.recommend('gru', 'alice', 10)).map((r) => r.itemId)).toEqual(['i3']);
    await expect(service.listSavedModels()).resolves.toEqual([]);
  });

  it('without a model store, saving and listing say why and everything else works', async () => {
    let opened = 0;
    const { service } = setup({
      openModelStore: async () => {
        opened++;
        throw new DOMException('The operation is insecure.', 'SecurityError');
      },
    });
    await service.trainModel('gru', {}, () => undefined);
    for (const call of [() => service.saveModel('gru', 'mine'), () => service.listSavedModels()]) {
      const error = decodeError(await call().catch((e: unknown) => e));
      expect([error.code, error.message]).toEqual(['storage', STORAGE_UNAVAILABLE]);
    }
    // Tried again on the next call (storage may have been freed), not cached as broken.
    expect(opened).toBe(2);
    expect((await service.recommend('gru', 'alice', 10)).map((r) => r.itemId)).toEqual(['i3']);
  });
});
