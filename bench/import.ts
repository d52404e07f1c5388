/**
 * `npm run bench -- import`: what importing a model from another engine costs, in Node (wasm),
 * on a generated log of --users users over a --items catalogue (default 2,000 x 10,000):
 *
 * - Keras history in (Embedding 64 -> GRU 64 -> Dense over every id, the converter's sharded
 *   layout): reading and checking the files, building the model, mapping it (with the
 *   gradient-path check), and the evaluation of the test split it gets on import;
 * - Keras ids in (user and item Embeddings 32, concatenated, Dense 64, one score): the same, its
 *   full ranking costing one forward pass per (user, item) pair;
 * - Spark ALS tables (rank 32, Parquet) with the hyper-parameters: reading, aligning, YᵀY, and
 *   the evaluation.
 *
 * Median of --runs (default 3) for the import; the evaluation once. Writes
 * bench/results/import-<date>.json. Import this only after `allowTfjsBundlerImports()`.
 */
import { cpus } from 'node:os';
import { join } from 'node:path';
import { wasmBinaryFolder } from '../src/cli/backend';
import { initBackend } from '../src/core/backend';
import type { Dataset } from '../src/core/data/types';
import { randomFactors, sparkParquet } from '../src/core/import/alsFixtures';
import { importFactorModel } from '../src/core/import/factorModel';
import { kerasHistoryFixture, kerasIdsFixture } from '../src/core/import/fixtures';
import { importedRecord, importTfjsModel, type ModelMapping } from '../src/core/import/index';
import type { NamedFile } from '../src/core/import/modelFiles';
import type { TrainedRecommender } from '../src/core/models/trained';
import { SeededRandom } from '../src/core/random';
import { temporalLeaveLastOut } from '../src/core/train/split';
import { makeDataset } from '../src/core/train/testing';
import { median, round } from './stats';
import { writeNamedResult } from './train-report';

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}

/** Users with 10-30 items each, item ids "1".."items", popularity skewed. */
function syntheticLog(users: number, items: number): Dataset {
  const random = new SeededRandom(17, 'bench-import');
  const rows: [string, string, number][] = [];
  for (let u = 0; u < users; u++) {
    const n = 10 + Math.floor(random.next() * 21);
    for (let t = 0; t < n; t++) {
      const item = 1 + Math.floor(items * random.next() ** 2);
      rows.push([`${u}`, `${item}`, 1_700_000_000 + 60 * t]);
    }
  }
  return makeDataset(rows);
}

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await work();
  return { ms: performance.now() - started, value };
}

interface Row {
  model: string;
  files: number;
  megabytes: number;
  importMs: number;
  evaluateMs: number;
  evaluatedUsers: number;
  ndcg10: number;
  gradients: boolean;
}

async function measure(
  name: string,
  files: NamedFile[],
  runs: number,
  load: () => Promise<TrainedRecommender>,
  dataset: Dataset,
): Promise<Row> {
  const times: number[] = [];
  let model: TrainedRecommender | null = null;
  for (let r = 0; r < runs; r++) {
    model?.dispose();
    const run = await timed(load);
    times.push(run.ms);
    model = run.value;
  }
  const loaded = model as TrainedRecommender;
  const split = temporalLeaveLastOut(dataset, { minInteractions: 3 });
  const evaluation = await timed(() => importedRecord(loaded, split, loaded.id as 'keras'));
  loaded.dispose();
  const at10 = evaluation.value.test?.atK.find((m) => m.k === 10);
  return {
    model: name,
    files: files.length,
    megabytes: round(files.reduce((n, f) => n + f.bytes.length, 0) / 2 ** 20, 2),
    importMs: round(median(times)),
    evaluateMs: round(evaluation.ms),
    evaluatedUsers: split.test.users.length,
    ndcg10: round(at10?.ndcg ?? Number.NaN, 4),
    gradients: loaded.neural !== null,
  };
}

export async function runImportBench(root: string): Promise<void> {
  const users = option('users', 2000);
  const items = option('items', 10_000);
  const runs = option('runs', 3);
  const backend = await initBackend({ wasmPaths: wasmBinaryFolder() });
  const dataset = syntheticLog(users, items);
  const n = dataset.itemIds.length;
  const vocab = items; // model id k = item "k"; ids 1..items, 0 = padding
  const rows: Row[] = [];

  const history = await kerasHistoryFixture(vocab, {
    maxLen: 50,
    dim: 64,
    shards: 2,
    softmax: false,
  });
  const mapping: ModelMapping = {
    kind: 'history',
    input: '',
    maxLen: 50,
    padding: 'left',
    padValue: 0,
    outputOffset: 0,
    items: { kind: 'identity' },
  };
  rows.push(
    await measure(
      'keras history in (GRU 64)',
      history,
      runs,
      async () => (await importTfjsModel(history, dataset, mapping)).model,
      dataset,
    ),
  );

  const ids = await kerasIdsFixture(users, vocab, { dim: 32 });
  rows.push(
    await measure(
      'keras ids in (NCF-style)',
      ids,
      runs,
      async () => (await importTfjsModel(ids, dataset)).model,
      dataset,
    ),
  );

  const random = new SeededRandom(9, 'bench-als');
  const table = {
    name: 'itemFactors.parquet',
    bytes: sparkParquet(
      Array.from({ length: items }, (_, k) => `${k + 1}`),
      randomFactors(random, items, 32),
    ),
  };
  rows.push(
    await measure(
      'spark als (rank 32, implicit)',
      [table],
      runs,
      () => importFactorModel([table], dataset, { implicit: true, lambda: 0.1, alpha: 1 }),
      dataset,
    ),
  );

  console.table(rows);
  const result = {
    date: new Date().toISOString(),
    machine: `${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}`,
    backend: backend.backend,
    users,
    items: n,
    runs,
    rows,
  };
  console.log(`wrote ${writeNamedResult(join(root, 'bench', 'results'), 'import', result)}`);
}
