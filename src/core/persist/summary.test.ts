import { describe, expect, it } from 'vitest';
import { ModelFileError } from '../models/modelFileError';
import { cycleDataset } from '../models/tfTesting';
import { temporalLeaveLastOut } from '../train/split';
import { trainVariant } from '../train/variants';
import { decodeModel } from './decode';
import { datasetFingerprint } from './fingerprint';
import { encodeModel } from './format';
import { renameModelJson, summarizeSavedModel } from './summary';

const dataset = cycleDataset(30, 20, 6);
const { model, record } = await trainVariant(dataset, temporalLeaveLastOut(dataset), 'pop');
const files = encodeModel(model, record, dataset, 'cycle.csv', 'Popular items');

describe('summarizeSavedModel', () => {
  it('describes a saved model for the list, with its test HR@10 and NDCG@10', () => {
    const at10 = record.test?.atK.find((m) => m.k === 10);
    expect(
      summarizeSavedModel('k1', files.modelJson, files.weightsBin, '2026-01-02T03:04:05Z'),
    ).toEqual({
      key: 'k1',
      name: 'Popular items',
      modelId: 'pop',
      savedAt: '2026-01-02T03:04:05Z',
      bytes: new TextEncoder().encode(files.modelJson).length + 80,
      datasetName: 'cycle.csv',
      fingerprint: datasetFingerprint(dataset),
      metrics: { hr10: at10?.hitRate, ndcg10: at10?.ndcg },
    });
  });

  it('refuses to describe (so a store never keeps) a broken file', () => {
    expect(() =>
      summarizeSavedModel('k', files.modelJson, files.weightsBin.subarray(1), ''),
    ).toThrow(ModelFileError);
  });
});

describe('renameModelJson', () => {
  it('renames inside the model.json, trimmed, and keeps everything else', () => {
    const renamed = renameModelJson(files.modelJson, '  Baseline  ');
    const before = decodeModel(files.modelJson, files.weightsBin).meta;
    const after = decodeModel(renamed, files.weightsBin).meta;
    expect(after.name).toBe('Baseline');
    expect({ ...after, name: before.name }).toEqual(before);
  });

  it('refuses empty or overlong names and foreign JSON', () => {
    expect(() => renameModelJson(files.modelJson, '   ')).toThrow(/cannot be empty/);
    expect(() => renameModelJson(files.modelJson, 'x'.repeat(201))).toThrow(
      /at most 200 characters/,
    );
    expect(() => renameModelJson('{"a": 1}', 'x')).toThrow(/not an Interest Lens model/);
  });
});
