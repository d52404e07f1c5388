/**
 * Recovery after the worker died, against a mocked client: the page forgets what died (live
 * models, the dataset), restores the backend, reloads the same files with the same options,
 * lists the saved models and says so in one sentence; a second death mid-way stops it.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { DatasetSummary, ItemMetadataOptions } from '../core/data/types';
import type { SavedModelSummary, VariantInfo } from '../worker/api';
import * as client from '../worker/client';
import { LensError } from '../worker/errors';
import { bundledCard } from './actionMocks';
import { forgetDataset, initBackend, loadFile, loadItemFile, loadSample } from './actions';
import { trainVariant } from './modelActions';
import { followWorkerCrashes, recoverFromCrash } from './recovery';
import { useAppStore } from './store';
import { deferred, makeReport, makeSummary, OPTIONS } from './testFixtures';

vi.mock('../worker/client', async () => ({
  ...(await import('./actionMocks')).ingestClientMock(),
  listSavedModels: vi.fn(),
  listVariants: vi.fn(),
  searchUsers: vi.fn(async () => []),
  recommend: vi.fn(async () => []),
  trainModel: vi.fn(),
  cancelTraining: vi.fn(),
  onWorkerLost: vi.fn(() => () => undefined),
}));
vi.mock('./sampleFiles', async () => (await import('./actionMocks')).sampleFilesMock());

const mocked = vi.mocked(client);

const crash = (why = 'it was terminated') =>
  new LensError('worker-crashed', `The background worker stopped (${why}).`);
const MODELS_LOST = 'trained models must be trained again or loaded from Saved models.';

const ITEM_OPTIONS: ItemMetadataOptions = {
  delimiter: '|',
  hasHeader: false,
  encoding: 'windows-1252',
  item: 0,
  title: 1,
  category: null,
  oneHot: [5, 6, 7],
};

/** The summary after the item file `name` was joined onto `base`. */
function withMetadata(base: DatasetSummary, name: string): DatasetSummary {
  return {
    ...base,
    metadata: {
      fileName: name,
      rows: 5,
      accepted: 5,
      rejected: 0,
      rejectedByReason: {},
      matchedItems: 5,
      unknownItems: 0,
      categories: 3,
      options: ITEM_OPTIONS,
      notices: [],
    },
  };
}

const SAVED: SavedModelSummary = {
  key: 'model-1',
  name: 'pop · logs.csv',
  modelId: 'pop',
  savedAt: '2026-01-01T00:00:00.000Z',
  bytes: 100,
  datasetName: 'logs.csv',
  fingerprint: 'f',
  metrics: null,
};

const variant = (id: string, kind: VariantInfo['kind']) =>
  ({ id, kind, description: id, hyper: null, training: null }) as VariantInfo;

/** A page on wasm with logs.csv (mapping edited) and items.u joined, pop trained. */
async function pageWithData(): Promise<{ interactions: File; items: File }> {
  mocked.initBackend.mockResolvedValueOnce(makeReport('wasm'));
  await initBackend();
  const interactions = new File(['u,i,t\n'], 'logs.csv');
  const items = new File(['1|A\n'], 'items.u');
  const edited = { ...OPTIONS, mapping: { ...OPTIONS.mapping, timestamp: null } };
  const base = {
    ...makeSummary('logs.csv', 12),
    report: { ...makeSummary('logs.csv', 12).report, options: edited },
  };
  mocked.loadInteractions.mockResolvedValueOnce(base);
  await loadFile(interactions);
  mocked.loadItems.mockResolvedValueOnce(withMetadata(base, 'items.u'));
  await loadItemFile(items);
  useAppStore.getState().setVariants([variant('pop', 'baseline'), variant('gru', 'neural')]);
  useAppStore.getState().installModel(bundledCard('pop'));
  return { interactions, items };
}

beforeEach(() => {
  vi.clearAllMocks();
  forgetDataset();
  useAppStore.setState(useAppStore.getInitialState(), true);
  mocked.listSavedModels.mockResolvedValue([SAVED]);
  mocked.listVariants.mockResolvedValue([variant('pop', 'baseline')]);
});

describe('recovering from a dead worker', () => {
  it('restores the backend, the same files with the same options and the saved list, and says so', async () => {
    const { interactions, items } = await pageWithData();
    const before = useAppStore.getState().summary as DatasetSummary;
    expect(useAppStore.getState().cards.pop.status).toBe('trained');

    mocked.initBackend.mockResolvedValueOnce(makeReport('wasm'));
    mocked.loadInteractions.mockResolvedValueOnce({ ...before, metadata: null });
    mocked.loadItems.mockResolvedValueOnce(before);
    const done = recoverFromCrash(crash());

    // At once: no card claims a model, no summary claims a dataset the new worker lacks.
    let state = useAppStore.getState();
    expect(state.cards.pop).toMatchObject({ status: 'untrained', card: null });
    expect(state.recovery).toEqual({
      status: 'recovering',
      message:
        'The background worker stopped (it was terminated): starting a new one and reloading logs.csv…',
    });
    await done;

    state = useAppStore.getState();
    // The automatic choice again (not forced): the same hardware makes the same choice.
    expect(mocked.initBackend).toHaveBeenLastCalledWith(undefined);
    expect(mocked.loadInteractions).toHaveBeenLastCalledWith(
      interactions,
      'logs.csv',
      before.report.options,
      expect.any(Function),
    );
    expect(mocked.loadItems).toHaveBeenLastCalledWith(
      items,
      'items.u',
      ITEM_OPTIONS,
      expect.any(Function),
    );
    expect(state).toMatchObject({ status: 'ready', summary: before, backendStatus: 'ready' });
    expect(state.backendReport?.backend).toBe('wasm');
    expect(state.savedModels).toEqual([SAVED]);
    expect(state.cards.pop).toMatchObject({ status: 'untrained', card: null });
    expect(state.cards.gru.status).toBe('untrained');
    expect(state.recovery).toEqual({
      status: 'recovered',
      message: `The background worker stopped (it was terminated), so the page started a new one on wasm and reloaded logs.csv; ${MODELS_LOST}`,
    });
  });

  it('starts the backend the user forced again', async () => {
    mocked.initBackend.mockResolvedValueOnce({ ...makeReport('cpu'), forced: true });
    await initBackend('cpu');
    mocked.initBackend.mockResolvedValueOnce({ ...makeReport('cpu'), forced: true });
    await recoverFromCrash(crash());
    expect(mocked.initBackend).toHaveBeenLastCalledWith('cpu');
    expect(useAppStore.getState().backendReport).toMatchObject({ backend: 'cpu', forced: true });
    // Nothing was loaded, so nothing is reloaded.
    expect(mocked.loadInteractions).not.toHaveBeenCalled();
    expect(useAppStore.getState().recovery.message).toBe(
      `The background worker stopped (it was terminated), so the page started a new one on cpu; ${MODELS_LOST}`,
    );
  });

  it('a run that dies with the worker leaves its card untrained, not failed', async () => {
    await pageWithData();
    const run = deferred<never>();
    mocked.trainModel.mockReturnValueOnce(run.promise);
    const training = trainVariant('gru');
    await vi.waitFor(() => expect(mocked.trainModel).toHaveBeenCalledOnce());
    expect(useAppStore.getState().cards.gru.status).toBe('training');

    const error = crash('Uncaught RuntimeError: unreachable');
    mocked.initBackend.mockResolvedValueOnce(makeReport('wasm'));
    mocked.loadInteractions.mockResolvedValueOnce(makeSummary('logs.csv', 12));
    mocked.loadItems.mockResolvedValueOnce(withMetadata(makeSummary('logs.csv', 12), 'items.u'));
    const recovering = recoverFromCrash(error);
    run.reject(error); // the client rejects the calls in flight with the same error
    await Promise.all([training, recovering]);

    expect(useAppStore.getState().cards.gru).toMatchObject({
      status: 'untrained',
      error: null,
      run: null,
    });
    // A model can be trained again on the new worker.
    mocked.trainModel.mockResolvedValueOnce({
      ...bundledCard('gru'),
      source: { kind: 'trained' },
    } as never);
    await trainVariant('gru');
    expect(useAppStore.getState().cards.gru).toMatchObject({ status: 'trained', error: null });
  });

  it('stops when the worker dies again during recovery, and says so', async () => {
    await pageWithData();
    const reload = deferred<DatasetSummary>();
    mocked.initBackend.mockResolvedValueOnce(makeReport('wasm'));
    mocked.loadInteractions.mockReturnValueOnce(reload.promise);
    const first = recoverFromCrash(crash());
    await vi.waitFor(() => expect(mocked.loadInteractions).toHaveBeenCalledTimes(2));

    const again = crash('Uncaught RangeError: Array buffer allocation failed');
    await recoverFromCrash(again);
    reload.reject(again);
    await first;

    const state = useAppStore.getState();
    expect(state.recovery).toEqual({
      status: 'failed',
      message:
        'The background worker stopped (Uncaught RangeError: Array buffer allocation failed) again while the page was recovering, so the page stopped trying: reload it to start over (saved models are kept).',
    });
    // Not retried: one backend start and one reload, and nothing after.
    expect(mocked.initBackend).toHaveBeenCalledTimes(2);
    expect(mocked.loadInteractions).toHaveBeenCalledTimes(2);
    expect(mocked.loadItems).toHaveBeenCalledTimes(1);
    expect(mocked.listSavedModels).not.toHaveBeenCalled();
    expect(state).toMatchObject({ status: 'error', summary: null });
  });

  it('says when the same file cannot be loaded again', async () => {
    await pageWithData();
    mocked.initBackend.mockResolvedValueOnce(makeReport('wasm'));
    mocked.loadInteractions.mockRejectedValueOnce(
      new LensError('not-a-table', 'The file is no longer readable.'),
    );
    await recoverFromCrash(crash());
    const state = useAppStore.getState();
    expect(state).toMatchObject({ status: 'error', error: 'The file is no longer readable.' });
    expect(state.recovery).toEqual({
      status: 'failed',
      message: `The background worker stopped (it was terminated), so the page started a new one on wasm, but logs.csv could not be loaded again (see Data); ${MODELS_LOST}`,
    });
    expect(state.savedModels).toEqual([SAVED]);
  });

  it('loads the bundled sample again when the worker died during its first load', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string) => new Response(`data of ${url}`)),
    );
    const firstLoad = deferred<DatasetSummary>();
    mocked.loadInteractions.mockReturnValueOnce(firstLoad.promise);
    const sample = loadSample();
    await vi.waitFor(() => expect(mocked.loadInteractions).toHaveBeenCalledOnce());

    const error = crash();
    mocked.initBackend.mockResolvedValueOnce(makeReport('wasm'));
    mocked.loadInteractions.mockResolvedValueOnce(makeSummary('sample interactions.csv', 20));
    mocked.loadItems.mockResolvedValueOnce(makeSummary('sample interactions.csv', 20));
    const recovering = recoverFromCrash(error);
    firstLoad.reject(error);
    await Promise.all([sample, recovering]);

    expect(mocked.loadItems.mock.calls[0][1]).toBe('sample items.csv');
    expect(useAppStore.getState()).toMatchObject({ status: 'ready', error: null });
    expect(useAppStore.getState().recovery.message).toBe(
      `The background worker stopped (it was terminated), so the page started a new one on wasm and reloaded sample interactions.csv; ${MODELS_LOST}`,
    );
    vi.unstubAllGlobals();
  });

  it('follows the client: every death starts a recovery', () => {
    followWorkerCrashes();
    expect(mocked.onWorkerLost).toHaveBeenCalledWith(expect.any(Function));
  });
});
