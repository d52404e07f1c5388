import { describe, expect, it } from 'vitest';
import { ModelFileError } from '../models/modelFileError';
import { cycleDataset, useBackend } from '../models/tfTesting';
import { temporalLeaveLastOut } from '../train/split';
import { restoreVariant, trainVariant } from '../train/variants';
import { decodeModel } from './decode';
import { encodeModel } from './format';
import { loadSavedModel } from './restore';

const dataset = cycleDataset(30, 20, 6);
const split = temporalLeaveLastOut(dataset);
const pop = await trainVariant(dataset, split, 'pop');
const files = encodeModel(pop.model, pop.record, dataset, 'cycle.csv', 'pop');

/** Parsed JSON, edited freely by the tests below. */
type Json = ReturnType<typeof JSON.parse>;

/** The model.json with one edit applied. */
function edited(edit: (json: Json) => void): string {
  const json = JSON.parse(files.modelJson);
  edit(json);
  return JSON.stringify(json);
}

function failure(run: () => unknown): ModelFileError {
  try {
    run();
  } catch (error) {
    if (error instanceof ModelFileError) return error;
    throw error;
  }
  throw new Error('expected a ModelFileError');
}

describe('decodeModel refuses broken files with one clear sentence', () => {
  it('invalid JSON', () => {
    const e = failure(() => decodeModel('{"format": ', files.weightsBin));
    expect(e.code).toBe('not-json');
    expect(e.message).toMatch(/^The model file is not valid JSON \(/);
  });

  it('foreign JSON and TF.js models without our metadata', () => {
    expect(failure(() => decodeModel('{"users": [1, 2]}', files.weightsBin))).toMatchObject({
      code: 'not-interest-lens',
      message: 'This JSON file is not an Interest Lens model (it has no interestLens metadata).',
    });
    expect(failure(() => decodeModel('[1, 2]', files.weightsBin)).code).toBe('not-interest-lens');
    const tfjs = JSON.stringify({ format: 'layers-model', modelTopology: {}, weightsManifest: [] });
    expect(failure(() => decodeModel(tfjs, files.weightsBin)).message).toMatch(
      /TensorFlow\.js model without Interest Lens metadata/,
    );
  });

  it('a truncated or padded weights file, with the byte counts', () => {
    expect(
      failure(() => decodeModel(files.modelJson, files.weightsBin.subarray(0, 50))),
    ).toMatchObject({
      code: 'weights-truncated',
      message: 'The weights file is truncated: expected 80 bytes, got 50.',
    });
    const padded = new Uint8Array(84);
    padded.set(files.weightsBin);
    expect(failure(() => decodeModel(files.modelJson, padded)).code).toBe('weights-too-long');
  });

  it('an unknown model id, a newer format version, a malformed field', () => {
    const unknown = edited((j) => (j.userDefinedMetadata.interestLens.record.modelId = 'bert4rec'));
    expect(failure(() => decodeModel(unknown, files.weightsBin))).toMatchObject({
      code: 'unknown-model',
      message: expect.stringMatching(
        /unknown model id "bert4rec"; this build knows pop, itemknn, gru/,
      ),
    });
    const newer = edited((j) => (j.userDefinedMetadata.interestLens.version = 2));
    expect(failure(() => decodeModel(newer, files.weightsBin))).toMatchObject({
      code: 'version-too-new',
      message: expect.stringMatching(/format version 2; this Interest Lens reads up to version 1/),
    });
    const ids = edited((j) => j.userDefinedMetadata.interestLens.itemIds.pop());
    expect(failure(() => decodeModel(ids, files.weightsBin))).toMatchObject({
      code: 'invalid-metadata',
      message: "The model file's itemIds list 19 ids for 20 items.",
    });
  });

  it('NaN weights and dtypes it cannot read', async () => {
    const knn = await trainVariant(dataset, split, 'itemknn');
    const saved = encodeModel(knn.model, knn.record, dataset, 'cycle.csv', 'knn');
    const bin = saved.weightsBin.slice();
    new DataView(bin.buffer).setFloat32(bin.length - 4, Number.NaN, true);
    expect(failure(() => decodeModel(saved.modelJson, bin))).toMatchObject({
      code: 'non-finite-weights',
      message: 'Weight itemknn/similarities holds 1 NaN or infinite values; the file is corrupt.',
    });
    const uint8 = edited((j) => (j.weightsManifest[0].weights[0].dtype = 'uint8'));
    expect(failure(() => decodeModel(uint8, files.weightsBin)).code).toBe('unsupported-dtype');
  });
});

describe('restoring weights that do not fit the model', () => {
  it('a baseline weight of the wrong shape is named', () => {
    const shape = edited((j) => (j.weightsManifest[0].weights[0].shape = [2, 10]));
    expect(failure(() => loadSavedModel(shape, files.weightsBin, dataset))).toMatchObject({
      code: 'shape-mismatch',
      message: 'Weight pop/counts has shape [2, 10]; pop needs [20].',
    });
  });

  it('neural weights that do not fit the saved hyper-parameters are named', async () => {
    await useBackend('wasm');
    const gru = await trainVariant(dataset, split, 'gru', {
      hyper: { dim: 8, maxLen: 4 },
      epochs: 1,
      batchSize: 32,
    });
    const saved = encodeModel(gru.model, gru.record, dataset, 'cycle.csv', 'gru');
    gru.model.dispose();
    const json = JSON.parse(saved.modelJson);
    json.userDefinedMetadata.interestLens.record.hyper.dim = 16;
    const e = failure(() => loadSavedModel(JSON.stringify(json), saved.weightsBin, dataset));
    expect(e.code).toBe('shape-mismatch');
    expect(e.message).toMatch(
      /^The saved weights do not fit a gru model with these hyper-parameters: Weight \S+ has shape \[\d+, 8\]; the model needs \[\d+, 16\]\./,
    );
    const decoded = decodeModel(saved.modelJson, saved.weightsBin);
    const withoutOne = decoded.weights.slice(1);
    expect(() => restoreVariant('gru', 20, decoded.meta.record.hyper, withoutOne)).toThrow(
      /Weights to restore lack item_embedding/,
    );
  });
});
