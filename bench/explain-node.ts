/**
 * The Node side of the explanation benchmark: models (trained through `trainVariant` and
 * saved as the page would export them, or read from a folder), the benchmark's cases (user,
 * history truncated to its last L items, the top-1 item for that history), and the timed
 * `explainRecommendation` calls on wasm.
 *
 * Import this only after `allowTfjsBundlerImports()` (bench/run.ts installs it first).
 */
import { copyFileSync, mkdtempSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeModelDir } from '../src/cli/commands/modelDir';
import type { Dataset } from '../src/core/data/types';
import { type ExplainOptionsInput, explainRecommendation } from '../src/core/explain';
import type { HistoryBatch } from '../src/core/models/baseline-types';
import { itemFeaturesFromDataset } from '../src/core/models/features';
import type { TrainedRecommender } from '../src/core/models/trained';
import { decodeModel, encodeModel, matchDataset } from '../src/core/persist';
import { SeededRandom } from '../src/core/random';
import { restoreVariant, trainVariant } from '../src/core/train/variants';
import { type CallMeasure, slimExplanation } from './explain-stats';
import { round } from './stats';
import type { LoadedBenchData } from './train-node';

/** A model folder (model.json + weights.bin) and what the benchmark reports about it. */
export interface BenchModel {
  dir: string;
  source: 'trained by the bench' | 'given' | 'shipped';
  modelId: string;
  hyper: Record<string, number | string>;
  epochs: number;
  bestEpoch: number;
  stoppedBy: string | null;
  trainSeconds: number;
  /** Test NDCG@10 / HR@10 recorded with the model (full ranking). */
  testNdcg10: number | null;
  testHr10: number | null;
}

/** Reads a model folder's metadata without restoring the weights. */
export async function describeModelDir(
  dir: string,
  source: BenchModel['source'],
): Promise<BenchModel> {
  const json = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8'));
  const meta = json.userDefinedMetadata.interestLens;
  const record = meta.record;
  const at10 = record.test?.atK?.find((m: { k: number }) => m.k === 10);
  return {
    dir,
    source,
    modelId: record.modelId,
    hyper: record.hyper,
    epochs: record.epochs,
    bestEpoch: record.bestEpoch,
    stoppedBy: record.stoppedBy ?? null,
    trainSeconds: round(record.trainSeconds ?? 0, 1),
    testNdcg10: at10 ? round(at10.ndcg, 4) : null,
    testHr10: at10 ? round(at10.hitRate, 4) : null,
  };
}

/** Restores a saved model onto the data it was trained on (anything else is refused). */
export async function restoreModelDir(dir: string, dataset: Dataset): Promise<TrainedRecommender> {
  const decoded = decodeModel(
    await readFile(join(dir, 'model.json'), 'utf8'),
    new Uint8Array(await readFile(join(dir, 'weights.bin'))),
  );
  const match = matchDataset(decoded.meta, dataset);
  if (match.status !== 'same') {
    throw new Error(`The model in ${dir} was not trained on this data (${match.status}).`);
  }
  const { meta, weights, features } = decoded;
  return restoreVariant(
    meta.record.modelId,
    meta.numItems,
    meta.record.hyper,
    weights,
    features ?? undefined,
  );
}

/**
 * Trains `sasrec` through `trainVariant` under the product's time limit and saves it as the
 * page exports it (so Chromium imports the very same weights); returns its folder.
 */
export async function trainSasrecDir(
  data: LoadedBenchData,
  datasetName: string,
  options: {
    maxLen: number;
    /** Self-attention blocks; null = the registry's default. */
    blocks: number | null;
    capSeconds: number;
    log: (line: string) => void;
  },
): Promise<string> {
  const { dataset, split } = data;
  const hyper: Record<string, number> = { maxLen: options.maxLen };
  if (options.blocks !== null) hyper.blocks = options.blocks;
  const { model, record } = await trainVariant(dataset, split, 'sasrec', {
    hyper,
    maxSeconds: options.capSeconds,
    backend: 'wasm',
    features: itemFeaturesFromDataset(dataset),
    onEpoch: (p) => {
      const at10 = p.validation.atK.find((m) => m.k === 10);
      options.log(
        `  sasrec maxLen ${options.maxLen} epoch ${p.epoch}: loss ${p.loss.toFixed(4)}, ` +
          `val ndcg@10 ${at10?.ndcg.toFixed(4)} (${p.trainSeconds.toFixed(1)} s)`,
      );
    },
  });
  try {
    const dir = mkdtempSync(join(tmpdir(), `lens-explain-sasrec${options.maxLen}-`));
    const name = `sasrec maxLen ${options.maxLen} on ${datasetName} (explain bench)`;
    await writeModelDir(dir, encodeModel(model, record, dataset, datasetName, name));
    return dir;
  } finally {
    model.dispose();
  }
}

/**
 * One explained (user, history, item). The history is the user's whole history before the
 * test item: the model reads its last `maxLen` (L) items, and the older ones are only excluded
 * from the ranking as seen, which is the reference's "last L items, the whole known history
 * excluded" and what the page asks for a user.
 */
export interface BenchCase {
  user: string;
  /** Dataset item indices, oldest first, and their epoch-ms times. */
  items: Int32Array;
  times: Float64Array;
  /** Ids of the same, for the page. */
  itemIds: string[];
  /** The explained item: the model's top-1 for this history, seen items excluded. */
  item: number;
  itemId: string;
}

/** The user's interactions (time order) except the last one: the test-time history. */
function testHistory(dataset: Dataset, u: number): { items: Int32Array; times: Float64Array } {
  const start = dataset.userOffsets[u];
  const end = dataset.userOffsets[u + 1] - 1;
  return { items: dataset.item.slice(start, end), times: dataset.timestamp.slice(start, end) };
}

/** Users whose test-time history has at least `min` items (the reference's eligibility). */
export function eligibleUsers(dataset: Dataset, min: number): string[] {
  const out: string[] = [];
  for (let u = 0; u < dataset.userIds.length; u++) {
    if (dataset.userOffsets[u + 1] - dataset.userOffsets[u] - 1 >= min) {
      out.push(dataset.userIds[u]);
    }
  }
  return out;
}

/** A seeded choice of `count` users (the first is the warm-up user). */
export function chooseUsers(users: readonly string[], count: number, seed: number): string[] {
  const rng = new SeededRandom(seed, 'explain-bench-users');
  const pool = [...users];
  for (let i = pool.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  return pool.slice(0, Math.min(count, pool.length));
}

/** The case of `userId`: the test-time history and the model's top-1 item for it. */
export async function benchCase(
  dataset: Dataset,
  model: TrainedRecommender,
  userId: string,
): Promise<BenchCase> {
  const u = dataset.userIds.indexOf(userId);
  if (u < 0) throw new Error(`No user ${userId} in the data.`);
  const { items, times } = testHistory(dataset, u);
  const scores = await model.score(Int32Array.of(-1), {
    offsets: Int32Array.of(0, items.length),
    items,
    timestamps: times,
  });
  const seen = new Uint8Array(model.numItems);
  for (const i of items) seen[i] = 1;
  let best = -1;
  for (let j = 0; j < model.numItems; j++) {
    if (seen[j] || !Number.isFinite(scores[j])) continue;
    if (best < 0 || scores[j] > scores[best]) best = j;
  }
  if (best < 0) throw new Error(`User ${userId} has seen every item.`);
  return {
    user: userId,
    items,
    times,
    itemIds: Array.from(items, (i) => dataset.itemIds[i]),
    item: best,
    itemId: dataset.itemIds[best],
  };
}

/** Copies a model folder to a fresh temporary one, so a model rewritten meanwhile does not change under the run. */
export function snapshotModelDir(dir: string): string {
  const copy = mkdtempSync(join(tmpdir(), 'lens-explain-model-'));
  for (const file of ['model.json', 'weights.bin']) copyFileSync(join(dir, file), join(copy, file));
  return copy;
}

/** Explains one case in Node and times it: wall, first ok method event, engine latencies. */
export async function explainInNode(
  dataset: Dataset,
  model: TrainedRecommender,
  c: BenchCase,
  options: ExplainOptionsInput,
): Promise<CallMeasure> {
  const history: HistoryBatch = {
    offsets: Int32Array.of(0, c.items.length),
    items: c.items,
    timestamps: c.times,
  };
  let first: { ms: number; method: string } | null = null;
  const started = performance.now();
  const explanation = await explainRecommendation(
    {
      model,
      history,
      item: c.item,
      itemCategories: dataset.itemCategories,
      categoryNames: dataset.categoryNames,
    },
    options,
    {
      onProgress: (p) => {
        if (!first && p.kind === 'method' && p.result.status === 'ok') {
          first = { ms: performance.now() - started, method: p.method };
        }
      },
    },
  );
  const wallMs = performance.now() - started;
  const firstResult = first as { ms: number; method: string } | null;
  return {
    wallMs,
    firstResultMs: firstResult?.ms ?? null,
    firstMethod: firstResult?.method ?? null,
    explanation: slimExplanation(explanation),
  };
}
