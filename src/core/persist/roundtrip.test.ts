import { describe, expect, it } from 'vitest';
import { cycleDataset, useBackend } from '../models/tfTesting';
import type { ItemFeatures } from '../models/trained';
import type { ModelId } from '../models/types';
import * as tf from '../tf';
import { historyBatch } from '../train/evaluate';
import { temporalLeaveLastOut } from '../train/split';
import { restoreVariant, type TrainedVariant, trainVariant } from '../train/variants';
import { decodeModel } from './decode';
import { encodeModel } from './format';
import { loadSavedModel } from './restore';

const dataset = cycleDataset(40, 30, 9);
const split = temporalLeaveLastOut(dataset);
const histories = historyBatch(split, split.test, 0, 40);
const users = split.test.users;
const neural = { epochs: 1, batchSize: 32, learningRate: 0.02, seed: 3 };
// Made-up side information, so that the features' own round trip is exercised.
const features: ItemFeatures = {
  numCategories: 3,
  titleBuckets: 8,
  categories: Array.from({ length: 30 }, (_, i) => (i % 4 === 0 ? [] : [i % 3])),
  titleTokens: Array.from({ length: 30 }, (_, i) => [i % 8, (i + 3) % 8]),
};

async function train(id: ModelId): Promise<TrainedVariant> {
  if (id === 'pop' || id === 'itemknn') return trainVariant(dataset, split, id);
  const hyper = { dim: 8, maxLen: 6, dropout: 0 };
  return trainVariant(dataset, split, id, {
    ...neural,
    hyper,
    features: id === 'twotower' ? features : undefined,
  });
}

describe('encodeModel -> decodeModel -> restoreVariant', () => {
  it('reproduces identical scores for baselines and neural models (with item features)', async () => {
    await useBackend('wasm');
    for (const id of ['pop', 'itemknn', 'gru', 'twotower'] as ModelId[]) {
      const { model, record } = await train(id);
      const { modelJson, weightsBin } = encodeModel(
        model,
        record,
        dataset,
        'cycle.csv',
        `my ${id}`,
      );
      const decoded = decodeModel(modelJson, weightsBin);
      expect(decoded.meta).toMatchObject({
        format: 'interest-lens-model',
        version: 1,
        name: `my ${id}`,
        numItems: 30,
        itemIds: dataset.itemIds,
        dataset: { name: 'cycle.csv', users: 40, items: 30, interactions: dataset.item.length },
      });
      expect(decoded.meta.record).toEqual(record);
      expect(decoded.features).toEqual(id === 'twotower' ? features : null);
      const restored = restoreVariant(
        id,
        decoded.meta.numItems,
        decoded.meta.record.hyper,
        decoded.weights,
        decoded.features ?? undefined,
      );
      expect(await restored.score(users, histories), id).toEqual(
        await model.score(users, histories),
      );
      model.dispose();
      restored.dispose();
    }
  });

  it('writes the TF.js weights-manifest layout with one little-endian weights.bin', async () => {
    const { model, record } = await train('pop');
    const { modelJson, weightsBin } = encodeModel(model, record, dataset, 'cycle.csv', 'pop');
    const json = JSON.parse(modelJson);
    expect(json.format).toBe('interest-lens-model');
    expect(json.weightsManifest).toEqual([
      { paths: ['weights.bin'], weights: [{ name: 'pop/counts', shape: [30], dtype: 'int32' }] },
    ]);
    expect(weightsBin.length).toBe(30 * 4);
    const view = new DataView(weightsBin.buffer);
    const counts = model.exportWeights()[0].data;
    for (let i = 0; i < 30; i++) expect(view.getInt32(4 * i, true)).toBe(counts[i]);
  });

  it('leaks no tensors across train + evaluate + encode/decode/restore + dispose cycles', async () => {
    await useBackend('wasm');
    const cycle = async () => {
      const { model, record } = await train('gru');
      const files = encodeModel(model, record, dataset, 'cycle.csv', 'gru');
      model.dispose();
      const loaded = loadSavedModel(files.modelJson, files.weightsBin, dataset);
      await loaded.model.score(users, histories);
      loaded.model.dispose();
    };
    await cycle();
    const before = tf.memory().numTensors;
    await cycle();
    await cycle();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('loadSavedModel', () => {
  it('restores a model saved on the same data as it was', async () => {
    const { model, record } = await train('itemknn');
    const files = encodeModel(model, record, dataset, 'cycle.csv', 'knn');
    const loaded = loadSavedModel(files.modelJson, files.weightsBin, dataset);
    expect(loaded.match).toEqual({ status: 'same' });
    expect(loaded.model.neural).toBeNull();
    expect(await loaded.model.score(users, histories)).toEqual(await model.score(users, histories));
  });
});
