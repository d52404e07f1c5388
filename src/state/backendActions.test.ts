import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as client from '../worker/client';
import { downloadRejected, initBackend, loadFile, requestBackend, switchBackend } from './actions';
import { saveTextFile } from './saveTextFile';
import { useAppStore } from './store';
import { makeReport, makeSummary } from './testFixtures';

vi.mock('../worker/client', async () => (await import('./actionMocks')).ingestClientMock());
vi.mock('./sampleFiles', async () => (await import('./actionMocks')).sampleFilesMock());
vi.mock('./saveTextFile', () => ({ saveTextFile: vi.fn() }));

const mocked = vi.mocked(client);

beforeEach(() => {
  vi.clearAllMocks();
  useAppStore.setState(useAppStore.getInitialState(), true);
});

describe('backend', () => {
  it('initBackend stores the report', async () => {
    mocked.initBackend.mockResolvedValueOnce(makeReport('wasm'));
    await initBackend();
    expect(useAppStore.getState()).toMatchObject({ backendStatus: 'ready', backendError: null });
    expect(useAppStore.getState().backendReport?.backend).toBe('wasm');
  });

  it('a failed switch keeps the previous backend and shows why', async () => {
    mocked.initBackend.mockResolvedValueOnce(makeReport('wasm'));
    await initBackend();
    mocked.setBackend.mockRejectedValueOnce(new Error('WebGPU is not available in this browser.'));
    await switchBackend('webgpu');
    const state = useAppStore.getState();
    expect(state.backendReport?.backend).toBe('wasm');
    expect(state.backendStatus).toBe('ready');
    expect(state.backendError).toBe(
      'Could not switch to webgpu: WebGPU is not available in this browser.',
    );
  });

  it('requestBackend resolves to the new report, or rejects with the message the badge shows', async () => {
    mocked.initBackend.mockResolvedValueOnce(makeReport('wasm'));
    await initBackend();
    mocked.setBackend.mockResolvedValueOnce({ ...makeReport('cpu'), forced: true });
    await expect(requestBackend('cpu')).resolves.toMatchObject({ backend: 'cpu', forced: true });
    expect(useAppStore.getState().backendReport?.backend).toBe('cpu');

    mocked.setBackend.mockRejectedValueOnce(new Error('no adapter'));
    await expect(requestBackend('webgl')).rejects.toThrow('Could not switch to webgl: no adapter');
    expect(useAppStore.getState().backendError).toBe('Could not switch to webgl: no adapter');
  });

  it('switching to the backend already in use does nothing', async () => {
    mocked.initBackend.mockResolvedValueOnce(makeReport('wasm'));
    await initBackend();
    await switchBackend('wasm');
    expect(mocked.setBackend).not.toHaveBeenCalled();
  });
});

describe('downloadRejected', () => {
  it('saves the worker CSV under a name derived from the dataset', async () => {
    mocked.loadInteractions.mockResolvedValueOnce(makeSummary('my logs.csv', 10));
    await loadFile(new File(['u,i\n'], 'my logs.csv'));
    mocked.rejectedRowsCsv.mockResolvedValueOnce('line,reason\n4,missing_user\n');
    await downloadRejected();
    expect(saveTextFile).toHaveBeenCalledWith(
      'my-logs-rejected-rows.csv',
      'line,reason\n4,missing_user\n',
      'text/csv',
    );
  });
});
