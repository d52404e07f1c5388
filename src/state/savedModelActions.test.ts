import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as client from '../worker/client';
import { LensError } from '../worker/errors';
import { bundledCard } from './actionMocks';
import {
  importModelFiles,
  pairModelFiles,
  refreshSavedModels,
  saveModelToBrowser,
} from './savedModelActions';
import { useAppStore } from './store';

vi.mock('../worker/client', () => ({
  importModel: vi.fn(),
  saveModel: vi.fn(),
  listSavedModels: vi.fn(async () => []),
}));
vi.mock('./saveTextFile', () => ({ saveBlobFile: vi.fn(), saveTextFile: vi.fn() }));

const file = (name: string) => new File(['x'], name);

beforeEach(() => {
  vi.clearAllMocks();
  useAppStore.setState(useAppStore.getInitialState(), true);
});

describe('importing a model from files', () => {
  it('pairs the .json with the other file, whatever the order', () => {
    const { json, weights } = pairModelFiles([file('gru.weights.bin'), file('gru.model.JSON')]);
    expect(json.name).toBe('gru.model.JSON');
    expect(weights.name).toBe('gru.weights.bin');
  });

  it('says what is missing when the files are not one .json and one weights file', async () => {
    expect(() => pairModelFiles([file('a.json')])).toThrow(
      'Choose two files together: the model\u2019s .json file and its weights .bin file (got 1 file: 1 .json, 0 other).'.replace(
        '\u2019',
        "'",
      ),
    );
    await importModelFiles([file('a.json'), file('b.json')]);
    expect(client.importModel).not.toHaveBeenCalled();
    expect(useAppStore.getState().savedMessage).toMatchObject({
      level: 'error',
      text: expect.stringContaining('2 .json, 0 other'),
    });
    expect(useAppStore.getState().savedBusy).toBe(false);
  });

  it('shows the worker’s reason when a model is refused, and keeps the cards as they were', async () => {
    vi.mocked(client.importModel).mockRejectedValueOnce(
      new Error('This model was trained on other data ("x.csv"): it knows only 3 of 100 items.'),
    );
    const cardsBefore = useAppStore.getState().cards;
    await importModelFiles([file('m.json'), file('m.bin')]);
    expect(useAppStore.getState().savedMessage).toEqual({
      level: 'error',
      text: 'This model was trained on other data ("x.csv"): it knows only 3 of 100 items.',
    });
    expect(useAppStore.getState().cards).toBe(cardsBefore);
  });
});

const FULL =
  "The browser's storage for this page is full: delete saved models or free disk space, then save again.";
const UNAVAILABLE =
  'This browser does not let the page store models (private window or storage disabled): export the model files instead.';

describe('when the browser will not store models', () => {
  it('a save refused for a full quota says so in one sentence and changes nothing else', async () => {
    useAppStore.getState().installModel(bundledCard('gru'));
    useAppStore.getState().setSavedModels([]);
    vi.mocked(client.saveModel).mockRejectedValueOnce(new LensError('storage', FULL));
    const before = useAppStore.getState();

    await saveModelToBrowser('gru');

    const after = useAppStore.getState();
    expect(after.savedMessage).toEqual({ level: 'error', text: FULL });
    expect(after.savedBusy).toBe(false);
    // The live model and its card are untouched; the list was not re-read.
    expect(after.cards).toBe(before.cards);
    expect(after.lastModelKey).toBe('gru');
    expect(after.savedModels).toBe(before.savedModels);
    expect(client.listSavedModels).not.toHaveBeenCalled();
  });

  it('an unreadable list is empty with the reason, until a listing succeeds', async () => {
    vi.mocked(client.listSavedModels).mockRejectedValueOnce(new LensError('storage', UNAVAILABLE));
    await refreshSavedModels();
    expect(useAppStore.getState()).toMatchObject({
      savedModels: [],
      savedListError: UNAVAILABLE,
      savedMessage: null,
    });
    await refreshSavedModels();
    expect(useAppStore.getState().savedListError).toBeNull();
  });
});
