/**
 * Imported models draw on the interest map and give derived categories like models trained
 * here: their item embedding or factor table, in dataset terms, for the items they know.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { derivedCategories } from '../interests/dataset';
import { itemEmbeddings, projectItems } from '../interests/map';
import { useBackend } from '../models/tfTesting';
import type { TrainedRecommender } from '../models/trained';
import { SeededRandom } from '../random';
import * as tf from '../tf';
import { makeDataset } from '../train/testing';
import { randomFactors, sparkParquet } from './alsFixtures';
import { importFactorModel } from './factorModel';
import { graphFixture, kerasHistoryFixture, kerasIdsFixture } from './fixtures';
import { importTfjsModel } from './index';

const KNOWN = 30;
// Items "1".."30" are the models' ids 1..30; "31".."34" are unknown to every model.
const dataset = makeDataset(
  Array.from({ length: 12 * 8 }, (_, k) => [
    String(Math.floor(k / 8)),
    String((k * 7) % 34) === '0' ? '34' : String((k * 7) % 34),
    k,
  ]),
);
const known = (id: string) => Number(id) >= 1 && Number(id) <= KNOWN;

beforeAll(async () => {
  await useBackend('wasm');
});

async function checkMap(model: TrainedRecommender, source: RegExp): Promise<void> {
  const table = model.itemTable?.();
  expect(table?.source).toMatch(source);
  const embeddings = itemEmbeddings(model);
  if (typeof embeddings === 'string') throw new Error(embeddings);
  const expected = dataset.itemIds.flatMap((id, i) => (known(id) ? [i] : []));
  expect([...(embeddings.items ?? [])].sort((a, b) => a - b)).toEqual(expected);
  for (const method of ['pca', 'umap'] as const) {
    const projection = await projectItems(embeddings, { method, seed: 3 });
    expect([...projection.items].sort((a, b) => a - b)).toEqual(expected);
    expect(projection.xy.every(Number.isFinite)).toBe(true);
  }
  const derived = derivedCategories(model, dataset);
  if (typeof derived === 'string') throw new Error(derived);
  dataset.itemIds.forEach((id, i) => {
    expect(derived.itemCategories[i].length > 0, id).toBe(known(id));
  });
}

describe('imported item tables', () => {
  it('a Keras ids-in model: its item Embedding rows of the known items', async () => {
    const tensors = tf.memory().numTensors;
    const { model } = await importTfjsModel(await kerasIdsFixture(12, KNOWN), dataset);
    try {
      await checkMap(model, /^item embedding/);
    } finally {
      model.dispose();
    }
    expect(tf.memory().numTensors).toBe(tensors);
  });

  it('a Keras history-in model: the same, from its item Embedding', async () => {
    const { model } = await importTfjsModel(await kerasHistoryFixture(KNOWN), dataset);
    try {
      await checkMap(model, /^item embedding/);
    } finally {
      model.dispose();
    }
  });

  it('ALS: the item factors of the items the table has', async () => {
    const rows = randomFactors(new SeededRandom(5, 'factors'), KNOWN, 4);
    const table = sparkParquet(
      Array.from({ length: KNOWN }, (_, k) => k + 1),
      rows,
      { idType: 'INT32' },
    );
    const model = await importFactorModel(
      [{ name: 'itemFactors.parquet', bytes: table }],
      dataset,
      {
        implicit: true,
        lambda: 0.1,
        alpha: 2,
      },
    );
    try {
      await checkMap(model, /^ALS item factors$/);
      const embeddings = itemEmbeddings(model);
      if (typeof embeddings === 'string') throw new Error(embeddings);
      const at = dataset.itemIds.indexOf('7');
      const r = [...(embeddings.items ?? [])].indexOf(at);
      expect(Array.from(embeddings.values.subarray(r * 4, r * 4 + 4))).toEqual(
        rows[6].map((v) => Math.fround(v)),
      );
    } finally {
      model.dispose();
    }
  });

  it('a graph model has no table to draw, and says so', async () => {
    const { model } = await importTfjsModel(graphFixture(KNOWN), dataset);
    try {
      expect(model.itemTable).toBeUndefined();
      expect(typeof itemEmbeddings(model)).toBe('string');
    } finally {
      model.dispose();
    }
  });
});
