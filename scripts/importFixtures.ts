/**
 * Model files from "other engines" for the bundled sample, and the top 10 Node computes for
 * one user with each: the e2e import spec uploads the files in the page and checks that the
 * page recommends the same. Run through `make-import-fixtures.ts` (it installs the TF.js
 * resolve hook first).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { loadData } from '../src/cli/commands/load';
import { forceBackend } from '../src/core/backend/index';
import type { Dataset } from '../src/core/data/types';
import { randomFactors, sparkCsv, sparkParquet } from '../src/core/import/alsFixtures';
import { importFactorModel } from '../src/core/import/factorModel';
import { graphFixture, kerasHistoryFixture, kerasIdsFixture } from '../src/core/import/fixtures';
import { importTfjsModel, type ModelMapping } from '../src/core/import/index';
import type { NamedFile } from '../src/core/import/modelFiles';
import type { TrainedRecommender } from '../src/core/models/trained';
import { SeededRandom } from '../src/core/random';
import { topK } from '../src/core/train/variants';

/** The sample's user whose top 10 is compared (its first row). */
export const FIXTURE_USER = 'u0113';
const MAX_LEN = 20;

async function top10(model: TrainedRecommender, data: Dataset, user: number) {
  const start = data.userOffsets[user];
  const end = data.userOffsets[user + 1];
  const history = {
    offsets: Int32Array.of(0, end - start),
    items: data.item.slice(start, end),
    timestamps: new Float64Array(end - start),
  };
  const bound = model.forUser?.(user) ?? model;
  return (await topK(bound, history, 10)).map(({ item, score }) => ({
    itemId: data.itemIds[item],
    score,
  }));
}

async function write(dir: string, files: readonly NamedFile[]): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  for (const f of files) await writeFile(path.join(dir, f.name), f.bytes);
  return files.map((f) => f.name);
}

/** Line k = the dataset id of model id k (line 0 empty: the padding id). */
const idLines = (ids: readonly string[], pad: boolean) =>
  new TextEncoder().encode([...(pad ? [''] : []), ...ids].join('\n'));

export async function buildImportFixtures(outDir: string): Promise<void> {
  await forceBackend('cpu');
  const { dataset } = await loadData('sample-data/interactions.csv', {
    items: null,
    progress: () => undefined,
  });
  const user = dataset.userIds.indexOf(FIXTURE_USER);
  if (user < 0) throw new Error(`The sample has no user ${FIXTURE_USER}.`);
  const n = dataset.itemIds.length;
  const expected: Record<string, { files: string[]; top10: { itemId: string; score: number }[] }> =
    {};
  const itemIds = { name: 'item_ids.txt', bytes: idLines(dataset.itemIds, true) };

  const history = await kerasHistoryFixture(n, {
    maxLen: MAX_LEN,
    dim: 16,
    shards: 3,
    softmax: false,
  });
  const historyMapping: ModelMapping = {
    kind: 'history',
    input: '',
    maxLen: MAX_LEN,
    padding: 'left',
    padValue: 0,
    outputOffset: 0,
    items: { kind: 'list', ids: ['', ...dataset.itemIds] },
  };
  const keras = await importTfjsModel(history, dataset, historyMapping);
  expected['keras-history'] = {
    files: await write(path.join(outDir, 'keras-history'), [...history, itemIds]),
    top10: await top10(keras.model, dataset, user),
  };
  keras.model.dispose();

  const graph = graphFixture(n, { maxLen: MAX_LEN, dim: 16 });
  const g = await importTfjsModel(graph, dataset, historyMapping);
  expected.graph = {
    files: await write(path.join(outDir, 'graph'), [...graph, itemIds]),
    top10: await top10(g.model, dataset, user),
  };
  g.model.dispose();

  const ids = await kerasIdsFixture(dataset.userIds.length, n, { dim: 16 });
  const idsModel = await importTfjsModel(ids, dataset, {
    kind: 'ids',
    userInput: 'user_id',
    itemInput: 'item_id',
    items: { kind: 'list', ids: ['', ...dataset.itemIds] },
    users: { kind: 'list', ids: dataset.userIds },
  });
  expected['keras-ids'] = {
    files: await write(path.join(outDir, 'keras-ids'), [
      ...ids,
      itemIds,
      { name: 'user_ids.txt', bytes: idLines(dataset.userIds, false) },
    ]),
    top10: await top10(idsModel.model, dataset, user),
  };
  idsModel.model.dispose();

  const rng = new SeededRandom(5, 'e2e-als');
  const tables = [
    { name: 'itemFactors.parquet', bytes: sparkParquet(dataset.itemIds, randomFactors(rng, n, 8)) },
    {
      name: 'userFactors.csv',
      bytes: sparkCsv(dataset.userIds, randomFactors(rng, dataset.userIds.length, 8)),
    },
  ];
  const als = await importFactorModel(tables, dataset, { implicit: true, lambda: 0.1, alpha: 1 });
  expected.als = {
    files: await write(path.join(outDir, 'als'), tables),
    top10: await top10(als, dataset, user),
  };
  als.dispose();
  await writeFile(
    path.join(outDir, 'expected.json'),
    JSON.stringify({ user: FIXTURE_USER, models: expected }, null, 1),
  );
}
