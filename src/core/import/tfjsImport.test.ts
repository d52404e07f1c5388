import { beforeAll, describe, expect, it } from 'vitest';
import type { Dataset } from '../data/types';
import { explainRecommendation } from '../explain/engine';
import { ModelFileError } from '../models/modelFileError';
import { useBackend } from '../models/tfTesting';
import type { TrainedRecommender } from '../models/trained';
import { encodeModel } from '../persist/format';
import { loadModelFile } from '../persist/restore';
import * as tf from '../tf';
import { temporalLeaveLastOut } from '../train/split';
import { makeDataset } from '../train/testing';
import { topK } from '../train/variants';
import { graphFixture, kerasHistoryFixture, kerasIdsFixture } from './fixtures';
import { importedRecord, importTfjsModel } from './index';
import type { NamedFile } from './modelFiles';

const ITEMS = 30;
const USERS = 12;

/** Users "0".."11" with 6-10 items each from "1".."30", timestamps increasing. */
function dataset(): Dataset {
  const rows: [string, string, number][] = [];
  for (let u = 0; u < USERS; u++) {
    for (let t = 0; t < 6 + (u % 5); t++)
      rows.push([String(u), String(1 + ((u * 7 + t * 3) % ITEMS)), 1000 * t]);
  }
  return makeDataset(rows);
}

function oneHistory(data: Dataset, user: number) {
  const start = data.userOffsets[user];
  const end = data.userOffsets[user + 1];
  return {
    offsets: Int32Array.of(0, end - start),
    items: data.item.slice(start, end),
    timestamps: new Float64Array(end - start),
  };
}

async function failure(run: () => Promise<unknown>): Promise<ModelFileError> {
  try {
    await run();
  } catch (error) {
    if (error instanceof ModelFileError) return error;
    throw error;
  }
  throw new Error('expected a ModelFileError');
}

beforeAll(async () => {
  await useBackend('cpu');
});

describe('Keras history-in import', () => {
  it('scores, ranks and explains with gradients, and survives a save and reload', async () => {
    const data = dataset();
    const files = await kerasHistoryFixture(ITEMS, { maxLen: 8, shards: 3 });
    expect(files.filter((f) => f.name.endsWith('.bin'))).toHaveLength(3);
    const before = tf.memory().numTensors;
    const imported = await importTfjsModel(files, data);
    const { model } = imported;
    try {
      expect(imported.summary.kind).toBe('keras');
      expect(imported.summary.source).toContain('Keras 2.15.0');
      expect(imported.mapping).toMatchObject({
        kind: 'history',
        maxLen: 8,
        padding: 'left',
        outputOffset: 0,
      });
      expect(model.neural).not.toBeNull();
      const history = oneHistory(data, 3);
      const top = await topK(model, history, 10);
      expect(top).toHaveLength(10);
      // The model's own scores: dataset item i (id itemIds[i]) is output column Number(id).
      const ids = new Int32Array(8);
      const read = history.items.slice(-8);
      ids.set(
        Array.from(read, (i) => Number(data.itemIds[i])),
        8 - read.length,
      );
      const files2 = await kerasHistoryFixture(ITEMS, { maxLen: 8, shards: 1 });
      const again = await importTfjsModel(files2, data);
      const direct = await again.model.score(Int32Array.of(-1), history);
      const scores = await model.score(Int32Array.of(-1), history);
      expect(Array.from(scores)).toEqual(Array.from(direct));
      again.model.dispose();

      const explanation = await explainRecommendation(
        {
          model,
          history,
          item: top[0].item,
          itemCategories: data.itemCategories,
          categoryNames: data.categoryNames,
        },
        { methods: ['ig', 'occlusion', 'saliency'], faithfulness: false },
      );
      expect(explanation.methods.ig?.status).toBe('ok');
      expect(explanation.methods.occlusion?.status).toBe('ok');

      const split = temporalLeaveLastOut(data, { minInteractions: 3 });
      const record = await importedRecord(model, split, 'keras');
      expect(record.test?.atK[0].k).toBe(10);

      const saved = encodeModel(model, record, data, 'fixture', 'keras fixture');
      const loaded = await loadModelFile(saved.modelJson, saved.weightsBin, data);
      try {
        expect(loaded.meta.imported?.kind).toBe('keras');
        const restored = await loaded.model.score(Int32Array.of(-1), history);
        expect(Array.from(restored)).toEqual(Array.from(scores));
        expect(loaded.model.neural).not.toBeNull();
      } finally {
        loaded.model.dispose();
      }
    } finally {
      model.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('maps string item ids through a mapping list, right padding and an offset output', async () => {
    const data = dataset();
    const files = await kerasHistoryFixture(ITEMS, { maxLen: 8, encoder: 'pool' });
    const ids = ['', ...Array.from({ length: ITEMS }, (_, k) => String(k + 1))];
    const left = await importTfjsModel(files, data);
    const listed = await importTfjsModel(files, data, {
      ...(left.mapping as Extract<typeof left.mapping, { kind: 'history' }>),
      items: { kind: 'list', ids },
    });
    const history = oneHistory(data, 5);
    expect(Array.from(await listed.model.score(Int32Array.of(-1), history))).toEqual(
      Array.from(await left.model.score(Int32Array.of(-1), history)),
    );
    // A mean pool over the masked... (pool does not mask): right padding moves the padding
    // rows but the mean over all slots is the same sum, so the scores agree.
    const right = await importTfjsModel(files, data, {
      ...(left.mapping as Extract<typeof left.mapping, { kind: 'history' }>),
      padding: 'right',
    });
    const a = await right.model.score(Int32Array.of(-1), history);
    const b = await left.model.score(Int32Array.of(-1), history);
    for (let i = 0; i < a.length; i++) expect(a[i]).toBeCloseTo(b[i], 5);
    for (const m of [left, listed, right]) m.model.dispose();
  });

  it('refuses malformed files with one sentence each and leaves no tensor behind', async () => {
    const data = dataset();
    const files = await kerasHistoryFixture(ITEMS, { shards: 3 });
    const before = tf.memory().numTensors;
    const json = JSON.parse(new TextDecoder().decode(files[0].bytes));
    const withJson = (j: unknown): NamedFile[] => [
      { name: 'model.json', bytes: new TextEncoder().encode(JSON.stringify(j)) },
      ...files.slice(1),
    ];
    const missing = await failure(() => importTfjsModel(files.slice(0, 3), data));
    expect(missing.code).toBe('missing-file');
    expect(missing.message).toContain('group1-shard3of3.bin');
    const truncated = files.map((f, k) => (k === 2 ? { ...f, bytes: f.bytes.slice(0, 10) } : f));
    expect((await failure(() => importTfjsModel(truncated, data))).code).toBe('weights-truncated');
    const wrongShape = structuredClone(json);
    wrongShape.weightsManifest[0].weights[0].shape = [ITEMS + 2, 8];
    const shapeError = await failure(() => importTfjsModel(withJson(wrongShape), data));
    expect(['weights-too-long', 'weights-truncated', 'shape-mismatch']).toContain(shapeError.code);
    // Same bytes, another shape: refused by tfjs-layers, and its decoded weights freed.
    const swapped = structuredClone(json);
    swapped.weightsManifest[0].weights[0].shape = [8, ITEMS + 1];
    expect((await failure(() => importTfjsModel(withJson(swapped), data))).code).toBe(
      'shape-mismatch',
    );
    // Quantised weights are budgeted at their decoded (float32) size, before anything is read.
    const quantised = structuredClone(json);
    quantised.weightsManifest[0].weights[0] = {
      name: 'item_embedding/embeddings',
      shape: [20_000, 20_000],
      dtype: 'float32',
      quantization: { dtype: 'uint8', scale: 1, min: 0 },
    };
    expect((await failure(() => importTfjsModel(withJson(quantised), data))).code).toBe(
      'too-large',
    );
    const twice = [...files, { ...files[1], name: 'other/group1-shard1of3.bin' }];
    expect((await failure(() => importTfjsModel(twice, data))).message).toMatch(
      /Two files are named/,
    );
    const unknown = structuredClone(json);
    unknown.modelTopology.model_config.config.layers[1].class_name = 'MyAttention';
    const unknownError = await failure(() => importTfjsModel(withJson(unknown), data));
    expect(unknownError.code).toBe('unknown-layer');
    expect(unknownError.message).toContain('MyAttention');
    const other = makeDataset([
      ['a', 'x1', 1],
      ['a', 'x2', 2],
      ['a', 'x3', 3],
    ]);
    const unmatched = await failure(() => importTfjsModel(files, other));
    expect(unmatched.code).toBe('unmappable');
    expect(unmatched.message).toMatch(/not integers|mapping file/);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('items the model does not know', () => {
  it('are skipped in histories, and gradients are then off', async () => {
    // Items "1".."30" are the model's; "900" and "901" are not.
    const rows: [string, string, number][] = [];
    for (let u = 0; u < USERS; u++) {
      for (let t = 0; t < 6; t++)
        rows.push([String(u), String(1 + ((u * 7 + t * 3) % ITEMS)), 1000 * t]);
      rows.push([String(u), u % 2 ? '900' : '901', 7000]);
    }
    const data = makeDataset(rows);
    const files = await kerasHistoryFixture(ITEMS, { maxLen: 8, encoder: 'pool' });
    const { model } = await importTfjsModel(files, data);
    try {
      expect(model.neural).toBeNull();
      expect(model.imported?.notes.join(' ')).toMatch(/Gradient methods are off/);
      const full = oneHistory(data, 1);
      const unknownItem = data.itemIds.indexOf('900');
      expect(Array.from(full.items)).toContain(unknownItem);
      const without = {
        offsets: Int32Array.of(0, full.items.length - 1),
        items: full.items.filter((i) => i !== unknownItem),
        timestamps: new Float64Array(full.items.length - 1),
      };
      // A mean pool does not mask padding: a padding id in its place would move the score.
      const a = await model.score(Int32Array.of(-1), full);
      const b = await model.score(Int32Array.of(-1), without);
      expect(Array.from(a)).toEqual(Array.from(b));
      expect(a[unknownItem]).toBe(Number.NEGATIVE_INFINITY);
    } finally {
      model.dispose();
    }
  });

  it('a saved import loaded on other data is not taken for this data', async () => {
    const data = dataset();
    const imported = await importTfjsModel(await kerasHistoryFixture(ITEMS), data);
    const record = await importedRecord(
      imported.model,
      temporalLeaveLastOut(data, { minInteractions: 3 }),
      'keras',
    );
    const saved = encodeModel(imported.model, record, data, 'a.csv', 'keras');
    imported.model.dispose();
    const other = makeDataset(
      Array.from(
        { length: 40 },
        (_, k) => [`v${k % 8}`, String(1 + (k % ITEMS)), k] as [string, string, number],
      ),
    );
    const loaded = await loadModelFile(saved.modelJson, saved.weightsBin, other);
    expect(loaded.match.status).toBe('mapped');
    loaded.model.dispose();
  });
});

describe('Keras ids-in import', () => {
  it('scores the named user, is history-independent and round-trips', async () => {
    const data = dataset();
    const files = await kerasIdsFixture(USERS, ITEMS);
    const imported = await importTfjsModel(files, data);
    const model: TrainedRecommender = imported.model;
    try {
      expect(imported.mapping).toMatchObject({
        kind: 'ids',
        userInput: 'user_id',
        itemInput: 'item_id',
      });
      expect(model.historyIndependent).toBe(true);
      const history = oneHistory(data, 2);
      const u2 = await model.score(Int32Array.of(2), history);
      const u3 = await model.score(Int32Array.of(3), history);
      expect(Array.from(u2)).not.toEqual(Array.from(u3));
      const bound = model.forUser?.(2);
      expect(bound).toBeDefined();
      const top = await topK(bound as TrainedRecommender, history, 10);
      const pair = await (bound as TrainedRecommender).scorePairs(
        history,
        Int32Array.of(top[0].item),
      );
      expect(pair[0]).toBeCloseTo(u2[top[0].item], 5);
      const split = temporalLeaveLastOut(data, { minInteractions: 3 });
      const record = await importedRecord(model, split, 'keras');
      const saved = encodeModel(model, record, data, 'fixture', 'ids fixture');
      const loaded = await loadModelFile(saved.modelJson, saved.weightsBin, data);
      expect(Array.from(await loaded.model.score(Int32Array.of(2), history))).toEqual(
        Array.from(u2),
      );
      loaded.model.dispose();
    } finally {
      model.dispose();
    }
  });
});

describe('TF.js graph model refusals', () => {
  it('refuses a graph whose constant has no weight, leaving no tensor behind', async () => {
    const files = graphFixture(ITEMS);
    const json = JSON.parse(new TextDecoder().decode(files[0].bytes));
    json.weightsManifest[0].weights[0].name = 'renamed';
    const before = tf.memory().numTensors;
    const error = await failure(() =>
      importTfjsModel(
        [
          { name: 'model.json', bytes: new TextEncoder().encode(JSON.stringify(json)) },
          ...files.slice(1),
        ],
        dataset(),
      ),
    );
    expect(error.message).toMatch(/constant item_embedding has no weight/);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('TF.js graph model import', () => {
  it('scores as a black box and explains by perturbation only', async () => {
    const data = dataset();
    const imported = await importTfjsModel(graphFixture(ITEMS), data);
    const { model } = imported;
    try {
      expect(imported.summary.kind).toBe('graph');
      expect(model.neural).toBeNull();
      const history = oneHistory(data, 4);
      const scores = await model.score(Int32Array.of(-1), history);
      expect(scores.length).toBe(ITEMS);
      expect(scores.every((s) => Number.isFinite(s))).toBe(true);
      const top = await topK(model, history, 10);
      const explanation = await explainRecommendation(
        {
          model,
          history,
          item: top[0].item,
          itemCategories: data.itemCategories,
          categoryNames: data.categoryNames,
        },
        { methods: ['occlusion', 'ig'], faithfulness: false },
      );
      expect(explanation.methods.occlusion?.status).toBe('ok');
      expect(explanation.methods.ig?.status).toBe('unavailable');
      const record = await importedRecord(
        model,
        temporalLeaveLastOut(data, { minInteractions: 3 }),
        'graph',
      );
      const saved = encodeModel(model, record, data, 'fixture', 'graph fixture');
      const loaded = await loadModelFile(saved.modelJson, saved.weightsBin, data);
      expect(Array.from(await loaded.model.score(Int32Array.of(-1), history))).toEqual(
        Array.from(scores),
      );
      loaded.model.dispose();
    } finally {
      model.dispose();
    }
  });
});
