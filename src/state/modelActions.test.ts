import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { MetricReport } from '../core/models/baseline-types';
import type { ModelCardSummary, TrainProgress, VariantInfo } from '../worker/api';
import * as client from '../worker/client';
import { cancelTraining, refreshRecommendations, trainVariant } from './modelActions';
import { useAppStore } from './store';
import { deferred } from './testFixtures';

vi.mock('../worker/client', () => ({
  trainModel: vi.fn(),
  cancelTraining: vi.fn(async () => undefined),
  recommend: vi.fn(),
  searchUsers: vi.fn(async () => []),
  isCancelled: (error: unknown) => error instanceof Error && error.message === 'cancelled',
}));

const mocked = vi.mocked(client);

const VARIANTS: VariantInfo[] = [
  { id: 'pop', kind: 'baseline', description: 'popularity', hyper: null, training: null },
  {
    id: 'gru',
    kind: 'neural',
    description: 'GRU',
    hyper: {},
    training: { learningRate: 0.01, batchSize: 128 },
  },
];

function report(hr10: number): MetricReport {
  return {
    protocol: 'full-ranking',
    which: 'test',
    tieRule: 'ties-count-against',
    atK: [{ k: 10, hitRate: hr10, ndcg: hr10 / 2, recall: hr10, coverage: 0.1 }],
    mrr: 0.01,
    usersEvaluated: 10,
    usersExcluded: 0,
    minInteractions: 3,
    repeatTargets: 0,
    numItems: 5,
    seed: null,
    negativesShortfall: 0,
  };
}

function card(id: 'pop' | 'gru', hr10: number): ModelCardSummary {
  return {
    key: id,
    id,
    status: 'trained',
    source: { kind: 'trained' },
    examplesPerSec: 100,
    record: {
      modelId: id,
      hyper: {},
      seed: 42,
      epochs: 2,
      bestEpoch: 2,
      stoppedBy: 'epochs',
      trainSeconds: 1,
      backend: 'wasm',
      protocol: 'full-ranking',
      validation: report(hr10),
      test: report(hr10),
      lossCurve: [5, 4],
      validationCurve: [0.01, 0.02],
      trainedAt: '2026-01-01T00:00:00.000Z',
    },
  };
}

const cardState = (key: string) => useAppStore.getState().cards[key];

beforeEach(() => {
  vi.clearAllMocks();
  // Queued one-off results of an earlier test must not leak into the next one.
  mocked.trainModel.mockReset();
  mocked.recommend.mockReset();
  useAppStore.setState(useAppStore.getInitialState(), true);
  useAppStore.getState().setVariants(VARIANTS);
});

describe('training from a card', () => {
  it('goes untrained -> training (with live curves) -> trained, with the card settings', async () => {
    const pending = deferred<ModelCardSummary>();
    let progress: ((p: TrainProgress) => void) | undefined;
    mocked.trainModel.mockImplementationOnce((_id, _options, onProgress) => {
      progress = onProgress;
      return pending.promise;
    });
    useAppStore.getState().setTrainSettings('gru', { epochs: 2, seed: 7 });
    const done = trainVariant('gru');
    expect(cardState('gru').status).toBe('training');
    await vi.waitFor(() => expect(progress).toBeDefined());
    // No learning rate typed: none is sent, so the worker uses the model's tuned default.
    expect(mocked.trainModel).toHaveBeenCalledWith(
      'gru',
      { epochs: 2, seed: 7 },
      expect.any(Function),
    );

    progress?.({ kind: 'batch', epoch: 1, batch: 5, batches: 10, loss: 5.5, examplesPerSec: 900 });
    progress?.({
      kind: 'epoch',
      epoch: 1,
      loss: 5.2,
      validationNdcg10: 0.03,
      validationHr10: 0.06,
    });
    const run = cardState('gru').run;
    expect(run).toMatchObject({ epoch: 1, batch: 5, batches: 10, loss: 5.5, examplesPerSec: 900 });
    expect(run?.curves.batchLoss).toEqual([{ x: 0.5, value: 5.5 }]);
    expect(run?.curves.epochLoss).toEqual([{ x: 1, value: 5.2 }]);
    expect(run?.curves.validation).toEqual([{ x: 1, value: 0.03 }]);

    pending.resolve(card('gru', 0.2));
    await done;
    const finished = cardState('gru');
    expect(finished.status).toBe('trained');
    expect(finished.card?.record.test?.atK[0].hitRate).toBe(0.2);
    expect(finished.run).toBeNull();
    // The record's epoch curves, plus the batch points this page saw.
    expect(finished.curves.epochLoss).toEqual([
      { x: 1, value: 5 },
      { x: 2, value: 4 },
    ]);
    expect(finished.curves.batchLoss).toEqual([{ x: 0.5, value: 5.5 }]);
    expect(useAppStore.getState().lastModelKey).toBe('gru');
  });

  it('sends a typed learning rate and time limit, and neither for a baseline', async () => {
    mocked.trainModel.mockResolvedValueOnce(card('gru', 0.2));
    useAppStore
      .getState()
      .setTrainSettings('gru', { epochs: 3, seed: 1, learningRate: 0.004, maxSeconds: 90 });
    await trainVariant('gru');
    expect(mocked.trainModel).toHaveBeenCalledWith(
      'gru',
      { epochs: 3, seed: 1, learningRate: 0.004, maxSeconds: 90 },
      expect.any(Function),
    );
    mocked.trainModel.mockResolvedValueOnce(card('pop', 0.1));
    useAppStore.getState().setTrainSettings('pop', { learningRate: 0.5, maxSeconds: 9 });
    await trainVariant('pop');
    expect(mocked.trainModel).toHaveBeenLastCalledWith('pop', { seed: 42 }, expect.any(Function));
  });

  it('baselines are trained without epochs', async () => {
    mocked.trainModel.mockResolvedValueOnce(card('pop', 0.1));
    await trainVariant('pop');
    expect(mocked.trainModel).toHaveBeenCalledWith('pop', { seed: 42 }, expect.any(Function));
    expect(cardState('pop').status).toBe('trained');
  });

  it('cancel returns at once to the previous model; the cancelled run leaves no trace', async () => {
    mocked.trainModel.mockResolvedValueOnce(card('gru', 0.2));
    await trainVariant('gru');
    const previous = cardState('gru').card;

    const pending = deferred<ModelCardSummary>();
    let progress: ((p: TrainProgress) => void) | undefined;
    mocked.trainModel.mockImplementationOnce((_id, _options, onProgress) => {
      progress = onProgress;
      return pending.promise;
    });
    const done = trainVariant('gru');
    await vi.waitFor(() => expect(progress).toBeDefined());
    cancelTraining('gru');
    expect(mocked.cancelTraining).toHaveBeenCalledOnce();
    expect(cardState('gru')).toMatchObject({ status: 'trained', run: null, error: null });
    expect(cardState('gru').card).toBe(previous);

    // Progress still in flight and the worker's cancelled rejection change nothing.
    progress?.({ kind: 'batch', epoch: 1, batch: 2, batches: 10, loss: 9, examplesPerSec: 1 });
    pending.reject(new Error('cancelled'));
    await done;
    expect(cardState('gru')).toMatchObject({ status: 'trained', run: null, error: null });
    expect(cardState('gru').card).toBe(previous);
  });

  it('cancel of a first run goes back to untrained', async () => {
    const pending = deferred<ModelCardSummary>();
    mocked.trainModel.mockReturnValueOnce(pending.promise);
    const done = trainVariant('gru');
    await vi.waitFor(() => expect(mocked.trainModel).toHaveBeenCalledOnce());
    cancelTraining('gru');
    expect(cardState('gru').status).toBe('untrained');
    pending.reject(new Error('cancelled'));
    await done;
    expect(cardState('gru')).toMatchObject({ status: 'untrained', card: null });
  });

  it('a failure shows its message: error without a previous model, the old model with one', async () => {
    mocked.trainModel.mockRejectedValueOnce(new Error('Training diverged at epoch 1'));
    await trainVariant('gru');
    expect(cardState('gru')).toMatchObject({
      status: 'error',
      error: 'Training diverged at epoch 1',
      card: null,
    });

    mocked.trainModel.mockResolvedValueOnce(card('gru', 0.2));
    await trainVariant('gru');
    expect(cardState('gru')).toMatchObject({ status: 'trained', error: null });
    mocked.trainModel.mockRejectedValueOnce(new Error('out of memory'));
    await trainVariant('gru');
    expect(cardState('gru')).toMatchObject({ status: 'trained', error: 'out of memory' });
    expect(cardState('gru').card?.record.test?.atK[0].hitRate).toBe(0.2);
  });

  it('trains one model at a time', async () => {
    const pending = deferred<ModelCardSummary>();
    mocked.trainModel.mockReturnValueOnce(pending.promise);
    const first = trainVariant('gru');
    await vi.waitFor(() => expect(mocked.trainModel).toHaveBeenCalledOnce());
    await trainVariant('pop');
    expect(mocked.trainModel).toHaveBeenCalledOnce();
    expect(cardState('pop').status).toBe('untrained');
    pending.resolve(card('gru', 0.2));
    await first;
  });
});

describe('recommendations', () => {
  it('ask the worker for the latest model and the selected user, and drop stale answers', async () => {
    mocked.trainModel.mockResolvedValueOnce(card('gru', 0.2));
    await trainVariant('gru');
    useAppStore.getState().selectUser('u1');
    const slow = deferred<Awaited<ReturnType<typeof client.recommend>>>();
    mocked.recommend.mockReturnValueOnce(slow.promise);
    const first = refreshRecommendations();
    useAppStore.getState().selectUser('u2');
    const items = [{ itemId: 'i9', title: 'Nine', categories: ['a'], score: 2 }];
    mocked.recommend.mockResolvedValueOnce(items);
    await refreshRecommendations();
    slow.resolve([{ itemId: 'old', title: null, categories: [], score: 1 }]);
    await first;
    expect(mocked.recommend).toHaveBeenLastCalledWith('gru', 'u2', 10);
    expect(useAppStore.getState().recs).toMatchObject({
      status: 'ready',
      modelKey: 'gru',
      userId: 'u2',
      items,
    });
  });
});
