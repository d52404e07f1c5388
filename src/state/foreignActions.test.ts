import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ForeignModelProposal, ModelCardSummary } from '../worker/api';
import * as client from '../worker/client';
import { LensError } from '../worker/errors';
import { chooseForeignFiles, importForeignDraft } from './foreignActions';
import { useAppStore } from './store';

vi.mock('../worker/client', () => ({
  proposeForeignModel: vi.fn(),
  importForeignModel: vi.fn(),
}));

const files = [new File(['{}'], 'model.json'), new File(['x'], 'group1-shard1of1.bin')];
const proposal: ForeignModelProposal = {
  kind: 'tfjs',
  summary: {
    kind: 'keras',
    source: 'Keras 2.15.0',
    inputs: [{ name: 'items', shape: [20] }],
    output: [101],
    parameters: 5,
  },
  mapping: {
    kind: 'history',
    input: 'items',
    maxLen: 20,
    padding: 'left',
    padValue: 0,
    outputOffset: 0,
    items: { kind: 'list', ids: [] },
  },
  notes: ["The dataset's item ids are not integers, so the model's item ids need a mapping file."],
  needsIdFile: { items: true, users: false },
};
const card = {
  key: 'keras',
  id: 'keras',
  status: 'trained',
  record: {
    modelId: 'keras',
    test: { atK: [{ k: 10, ndcg: 0.0123, hitRate: 0.05 }] },
    lossCurve: [],
    validationCurve: [],
  },
  source: {
    kind: 'imported',
    name: 'keras model',
    datasetName: 'x',
    match: 'same',
    matchNote: null,
  },
  examplesPerSec: null,
} as unknown as ModelCardSummary;

beforeEach(() => {
  vi.clearAllMocks();
  useAppStore.setState(useAppStore.getInitialState(), true);
});

describe('importing a model from another engine', () => {
  it('keeps the proposal as an editable draft, then imports with the edits and the mapping file', async () => {
    vi.mocked(client.proposeForeignModel).mockResolvedValue(proposal);
    vi.mocked(client.importForeignModel).mockResolvedValue(card);
    await chooseForeignFiles(files);
    const draft = useAppStore.getState().foreignDraft;
    expect(draft?.mapping).toEqual(proposal.mapping);
    const ids = new File(['\np1'], 'item_ids.txt');
    useAppStore.getState().editForeignDraft({
      mapping: { ...proposal.mapping, padding: 'right' } as typeof proposal.mapping,
      itemIdsFile: ids,
    });
    await importForeignDraft();
    expect(client.importForeignModel).toHaveBeenCalledWith(files, {
      mapping: expect.objectContaining({ padding: 'right' }),
      itemIdsFile: ids,
    });
    const state = useAppStore.getState();
    expect(state.foreignDraft).toBeNull();
    expect(state.cards.keras?.card).toBe(card);
    expect(state.foreignMessage).toEqual({
      level: 'info',
      text: 'Imported as keras: test NDCG@10 0.0123 on this dataset.',
    });
  });

  it('passes ALS hyper-parameters, or null when the user does not know them', async () => {
    vi.mocked(client.proposeForeignModel).mockResolvedValue({
      kind: 'factors',
      files: [{ name: 'itemFactors.parquet', role: 'items' }],
      notes: [],
    });
    vi.mocked(client.importForeignModel).mockResolvedValue({
      ...card,
      key: 'als',
      id: 'als',
    } as ModelCardSummary);
    await chooseForeignFiles([new File(['x'], 'itemFactors.parquet')]);
    const draft = useAppStore.getState().foreignDraft;
    useAppStore.getState().editForeignDraft({
      als: { ...(draft?.als as NonNullable<typeof draft>['als']), known: false },
    });
    await importForeignDraft();
    expect(vi.mocked(client.importForeignModel).mock.calls[0][1]).toEqual({ als: null });
  });

  it('drops a proposal when the dataset changes (it was made against the old data)', async () => {
    vi.mocked(client.proposeForeignModel).mockResolvedValue(proposal);
    await chooseForeignFiles(files);
    expect(useAppStore.getState().foreignDraft).not.toBeNull();
    useAppStore.getState().resetModels();
    expect(useAppStore.getState().foreignDraft).toBeNull();
  });

  it('shows a refusal as an error and keeps no draft', async () => {
    vi.mocked(client.proposeForeignModel).mockRejectedValue(
      new LensError(
        'model-file',
        'model.json lists the weight shard group1-shard2of2.bin, which was not given.',
      ),
    );
    await chooseForeignFiles(files);
    const state = useAppStore.getState();
    expect(state.foreignDraft).toBeNull();
    expect(state.foreignMessage?.level).toBe('error');
    expect(state.foreignMessage?.text).toContain('group1-shard2of2.bin');
    expect(state.foreignBusy).toBe(false);
  });
});
