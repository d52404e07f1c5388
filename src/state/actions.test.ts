import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { DatasetSummary } from '../core/data/types';
import * as client from '../worker/client';
import { applyMapping, cancelLoad, loadFile, loadItemFile, loadSample } from './actions';
import { useAppStore } from './store';
import { deferred, makeDetection, makeSummary, OPTIONS } from './testFixtures';

vi.mock('../worker/client', async () => (await import('./actionMocks')).ingestClientMock());
vi.mock('./sampleFiles', async () => (await import('./actionMocks')).sampleFilesMock());
vi.mock('./saveTextFile', () => ({ saveTextFile: vi.fn() }));

const mocked = vi.mocked(client);
const file = (name: string) => new File(['user,item,ts\nu1,i1,1\n'], name, { type: 'text/csv' });

/** Loads `name` successfully so later tests start from a dataset. */
async function loadReady(name: string, users: number): Promise<DatasetSummary> {
  const summary = makeSummary(name, users);
  mocked.loadInteractions.mockResolvedValueOnce(summary);
  await loadFile(file(name));
  return summary;
}

beforeEach(() => {
  vi.clearAllMocks();
  vi.unstubAllGlobals();
  useAppStore.setState(useAppStore.getInitialState(), true);
});

describe('loading an interaction file', () => {
  it('goes loading -> ready, with progress in between and the summary at the end', async () => {
    const pending = deferred<DatasetSummary>();
    mocked.loadInteractions.mockImplementationOnce((_blob, _name, _options, onProgress) => {
      onProgress?.({ phase: 'reading', bytesRead: 50, totalBytes: 100, rows: 7 });
      return pending.promise;
    });
    const done = loadFile(file('logs.csv'));
    expect(useAppStore.getState()).toMatchObject({
      status: 'loading',
      loadKind: 'interactions',
      fileName: 'logs.csv',
      progress: { bytesRead: 50, rows: 7 },
    });
    expect(mocked.loadInteractions).toHaveBeenCalledWith(
      expect.any(File),
      'logs.csv',
      null,
      expect.any(Function),
    );
    pending.resolve(makeSummary('logs.csv', 10));
    await done;
    const state = useAppStore.getState();
    expect(state.status).toBe('ready');
    expect(state.summary?.users).toBe(10);
    expect(state.progress).toBeNull();
    expect(state.draftOptions).toEqual(OPTIONS);
    expect(state.draftOptions).not.toBe(state.summary?.report.options);
  });

  it('cancel goes back to the previous summary at once and ignores the cancelled rejection', async () => {
    await loadReady('first.csv', 10);
    const pending = deferred<DatasetSummary>();
    mocked.loadInteractions.mockReturnValueOnce(pending.promise);
    const done = loadFile(file('second.csv'));
    expect(useAppStore.getState().status).toBe('loading');

    cancelLoad();
    expect(mocked.cancel).toHaveBeenCalledOnce();
    expect(useAppStore.getState()).toMatchObject({ status: 'ready', fileName: 'first.csv' });

    pending.reject(new Error('cancelled'));
    await done;
    const state = useAppStore.getState();
    expect(state).toMatchObject({ status: 'ready', error: null, progress: null });
    expect(state.summary?.fileName).toBe('first.csv');
    expect(mocked.detect).not.toHaveBeenCalled();
  });

  it('cancel with no previous dataset goes back to idle', async () => {
    const pending = deferred<DatasetSummary>();
    mocked.loadInteractions.mockReturnValueOnce(pending.promise);
    const done = loadFile(file('only.csv'));
    cancelLoad();
    pending.reject(new Error('cancelled'));
    await done;
    expect(useAppStore.getState()).toMatchObject({ status: 'idle', summary: null });
  });

  it('a failure sets the message, keeps the previous summary and shows the failed file for mapping', async () => {
    await loadReady('good.csv', 10);
    const failedDetection = makeDetection({
      delimiter: ';',
      mapping: { ...OPTIONS.mapping, user: null },
    });
    mocked.loadInteractions.mockRejectedValueOnce(
      new Error('bad.csv has no column that looks like a user id.'),
    );
    mocked.detect.mockResolvedValueOnce(failedDetection);
    await loadFile(file('bad.csv'));

    const state = useAppStore.getState();
    expect(state).toMatchObject({
      status: 'error',
      errorKind: 'interactions',
      error: 'bad.csv has no column that looks like a user id.',
      fileName: 'bad.csv',
    });
    expect(state.summary?.fileName).toBe('good.csv');
    expect(state.detection).toBe(failedDetection);
    expect(state.draftOptions?.delimiter).toBe(';');

    // Fixing the mapping re-loads the failed file (the worker never accepted it), not reapply.
    mocked.loadInteractions.mockResolvedValueOnce(makeSummary('bad.csv', 4));
    const fixed = { ...OPTIONS, delimiter: ';' as const };
    await applyMapping(fixed);
    expect(mocked.reapply).not.toHaveBeenCalled();
    expect(mocked.loadInteractions).toHaveBeenLastCalledWith(
      expect.any(File),
      'bad.csv',
      fixed,
      expect.any(Function),
    );
    expect(useAppStore.getState()).toMatchObject({ status: 'ready', error: null });
    expect(useAppStore.getState().summary?.fileName).toBe('bad.csv');
  });

  it('a failure whose file cannot even be detected keeps the editor as it was', async () => {
    await loadReady('good.csv', 10);
    const before = useAppStore.getState().detection;
    mocked.loadInteractions.mockRejectedValueOnce(new Error('This file is binary, not a table.'));
    mocked.detect.mockRejectedValueOnce(new Error('binary'));
    await loadFile(file('photo.csv'));
    expect(useAppStore.getState()).toMatchObject({ status: 'error', detection: before });
  });

  it('results of a superseded load are ignored', async () => {
    const slow = deferred<DatasetSummary>();
    mocked.loadInteractions.mockReturnValueOnce(slow.promise);
    const first = loadFile(file('slow.csv'));
    await loadReady('fast.csv', 3);
    slow.resolve(makeSummary('slow.csv', 99));
    await first;
    expect(useAppStore.getState().summary?.fileName).toBe('fast.csv');
  });
});

describe('mapping and metadata', () => {
  it('re-applying edited options on the loaded file uses reapply (no re-upload)', async () => {
    await loadReady('data.csv', 10);
    const edited = {
      ...OPTIONS,
      mapping: { ...OPTIONS.mapping, timestamp: null },
      timestampFormat: 'none' as const,
    };
    mocked.reapply.mockResolvedValueOnce(makeSummary('data.csv', 12));
    await applyMapping(edited);
    expect(mocked.reapply).toHaveBeenCalledWith(edited, expect.any(Function));
    expect(mocked.loadInteractions).toHaveBeenCalledTimes(1);
    expect(useAppStore.getState().summary?.users).toBe(12);
  });

  it('a failed re-apply keeps the edited draft and the current dataset', async () => {
    await loadReady('data.csv', 10);
    const edited = { ...OPTIONS, delimiter: '|' as const };
    useAppStore.getState().setDraftOptions(edited);
    mocked.reapply.mockRejectedValueOnce(new Error('With this delimiter no row has a user id.'));
    await applyMapping(edited);
    const state = useAppStore.getState();
    expect(state).toMatchObject({ status: 'error', errorKind: 'reapply', draftOptions: edited });
    expect(state.summary?.users).toBe(10);
    expect(mocked.detect).not.toHaveBeenCalled();
  });

  it('a failed item file keeps the interactions and names the item file', async () => {
    await loadReady('data.csv', 10);
    mocked.loadItems.mockRejectedValueOnce(
      new Error('No item id column matches the interactions.'),
    );
    await loadItemFile(file('items.csv'));
    expect(useAppStore.getState()).toMatchObject({
      status: 'error',
      errorKind: 'items',
      fileName: 'items.csv',
    });
    expect(useAppStore.getState().summary?.fileName).toBe('data.csv');
  });
});

describe('the bundled sample', () => {
  it('fetches both files, loads interactions then joins items, and ends ready', async () => {
    const fetchMock = vi.fn(async (url: string) => new Response(`data of ${url}`));
    vi.stubGlobal('fetch', fetchMock);
    const joined = { ...makeSummary('sample interactions.csv', 20), itemsWithTitle: 5 };
    mocked.loadInteractions.mockResolvedValueOnce(makeSummary('sample interactions.csv', 20));
    const items = deferred<DatasetSummary>();
    mocked.loadItems.mockReturnValueOnce(items.promise);

    const done = loadSample();
    await vi.waitFor(() => expect(mocked.loadItems).toHaveBeenCalled());
    // Between the two files the interactions are shown, and the load is still running.
    expect(useAppStore.getState()).toMatchObject({ status: 'loading', loadKind: 'items' });
    expect(useAppStore.getState().summary?.users).toBe(20);
    items.resolve(joined);
    await done;

    expect(fetchMock.mock.calls.map(([url]) => url)).toEqual([
      '/sample/interactions.csv',
      '/sample/items.csv',
      '/sample-model/model.json',
      '/sample-model/weights.bin',
    ]);
    expect(mocked.loadItems.mock.calls[0][1]).toBe('sample items.csv');
    expect(useAppStore.getState()).toMatchObject({ status: 'ready', summary: joined });
    // First run: the model shipped for the sample is imported (the worker checks the data).
    expect(mocked.importModel).toHaveBeenCalledWith(expect.any(Blob), expect.any(Blob), {
      bundled: true,
    });
    expect(useAppStore.getState().sampleModel).toEqual({
      status: 'ready',
      key: 'din',
      message: null,
    });
    expect(useAppStore.getState().cards.din?.card?.source.kind).toBe('bundled');
    expect(useAppStore.getState().lastModelKey).toBe('din');
  });

  it('imports nothing onto a file the user dropped', async () => {
    await loadReady('mine.csv', 3);
    expect(mocked.importModel).not.toHaveBeenCalled();
    expect(useAppStore.getState().sampleModel.status).toBe('idle');
  });

  it('says which bundled file could not be fetched', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => new Response('missing', { status: 404 })),
    );
    await loadSample();
    expect(useAppStore.getState()).toMatchObject({
      status: 'error',
      error: 'The bundled sample interactions.csv could not be fetched (HTTP 404).',
    });
    expect(mocked.loadInteractions).not.toHaveBeenCalled();
  });
});
