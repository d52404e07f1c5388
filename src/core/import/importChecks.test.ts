/**
 * The checks a TF.js model passes at import before it is offered as a recommender: weights
 * TF.js can decode and that are finite, a probe run whose scores are finite and one per item
 * (history in) or pair (ids in), and graph models refused while or after TF.js builds them.
 * Each refusal is a ModelFileError of one sentence that leaves TF.js's tensors, bytes and data
 * buffers as they were. The cases are the foreign fuzz's (src/core/fuzz/foreign.fuzz.test.ts:
 * nan-scores, ids-unprobed, graph-refusal-leak, tfjs-message), each failing before its fix.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { sentenceProblem } from '../fuzz/foreignKnownIssues';
import { ModelFileError, type ModelFileErrorCode } from '../models/modelFileError';
import { useBackend } from '../models/tfTesting';
import * as tf from '../tf';
import { makeDataset } from '../train/testing';
import { editModelJson, graphFixture, kerasHistoryFixture, kerasIdsFixture } from './fixtures';
import { importTfjsModel } from './index';
import type { NamedFile } from './modelFiles';

const ITEMS = 30;
const USERS = 12;
const dataset = makeDataset(
  Array.from({ length: USERS * 6 }, (_, k) => [
    String(Math.floor(k / 6)),
    String(((k * 7) % ITEMS) + 1),
    k,
  ]),
);
const firstHistory = {
  offsets: Int32Array.of(0, dataset.userOffsets[1]),
  items: dataset.item.slice(0, dataset.userOffsets[1]),
  timestamps: new Float64Array(dataset.userOffsets[1]),
};
const utf8 = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array) => new TextDecoder().decode(b);

// biome-ignore lint/suspicious/noExplicitAny: edits of converter JSON
type Loose = any;

const editJson = editModelJson;

function editText(files: NamedFile[], from: string, to: string): NamedFile[] {
  return files.map((f) => {
    if (f.name !== 'model.json') return f;
    const before = text(f.bytes);
    expect(before).toContain(from);
    return { name: f.name, bytes: utf8(before.replace(from, to)) };
  });
}

/** `files` with the float32 values of weight `name` (unquantised) rewritten by `write`. */
function editWeight(files: NamedFile[], name: string, write: (values: Float32Array) => void) {
  const json = JSON.parse(text((files.find((f) => f.name === 'model.json') as NamedFile).bytes));
  const { paths, weights } = json.weightsManifest[0];
  const shards = (paths as string[]).map((p) => files.find((f) => f.name === p) as NamedFile);
  const data = new Uint8Array(shards.reduce((n, s) => n + s.bytes.length, 0));
  let at = 0;
  for (const s of shards) {
    data.set(s.bytes, at);
    at += s.bytes.length;
  }
  at = 0;
  for (const spec of weights) {
    const count = (spec.shape as number[]).reduce((a, b) => a * b, 1);
    if (spec.name === name) {
      const values = new Float32Array(data.buffer.slice(at, at + 4 * count));
      write(values);
      data.set(new Uint8Array(values.buffer), at);
    }
    at += 4 * count;
  }
  at = 0;
  return files.map((f) => {
    const k = shards.indexOf(f);
    if (k < 0) return f;
    const start = shards.slice(0, k).reduce((n, s) => n + s.bytes.length, 0);
    return { name: f.name, bytes: data.slice(start, start + f.bytes.length) };
  });
}

/** The graph fixture with its item embedding stored `quantization`-quantised as `bytes`. */
function quantisedGraph(quantization: Loose, bytes: Uint8Array, dtype = 'float32'): NamedFile[] {
  const files = editJson(graphFixture(ITEMS), (json) => {
    Object.assign(json.weightsManifest[0].weights[0], { dtype, quantization });
  });
  const axes = new Uint8Array(8);
  new DataView(axes.buffer).setInt32(4, 1, true);
  const shard = new Uint8Array(bytes.length + 8);
  shard.set(bytes);
  shard.set(axes, bytes.length);
  return [files[0], { name: files[1].name, bytes: shard }];
}

const SIZE = (ITEMS + 1) * 8;

function counters() {
  const { numTensors, numBytes, numDataBuffers } = tf.memory();
  return { numTensors, numBytes, numDataBuffers };
}

/** The refusal of importing `files` (with `code`): one sentence, and nothing left behind. */
async function refusal(files: NamedFile[], code: ModelFileErrorCode): Promise<ModelFileError> {
  const before = counters();
  let error: unknown = null;
  try {
    const { model } = await importTfjsModel(files, dataset);
    model.dispose();
  } catch (caught) {
    error = caught;
  }
  expect(error).toBeInstanceOf(ModelFileError);
  const e = error as ModelFileError;
  expect(e.code, e.message).toBe(code);
  expect(sentenceProblem(e.message), e.message).toBeNull();
  expect(counters()).toEqual(before);
  return e;
}

/** Imports `files` and checks that user 0's scores are finite (or -Infinity: unknown items). */
async function importsAndScores(files: NamedFile[]): Promise<void> {
  const before = tf.memory().numTensors;
  const { model } = await importTfjsModel(files, dataset);
  try {
    const scores = await model.score(Int32Array.of(0), firstHistory);
    expect(scores).toHaveLength(dataset.itemIds.length);
    expect(scores.every((s) => Number.isFinite(s) || s === Number.NEGATIVE_INFINITY)).toBe(true);
  } finally {
    model.dispose();
  }
  expect(tf.memory().numTensors).toBe(before);
}

beforeAll(async () => {
  await useBackend('wasm');
});

describe('weights that are NaN or infinite are refused, naming the weight (nan-scores)', () => {
  it('a NaN in a shard', async () => {
    const files = editWeight(await kerasHistoryFixture(ITEMS), 'scores/bias', (v) => {
      v[v.length - 1] = Number.NaN;
    });
    const e = await refusal(files, 'non-finite-weights');
    expect(e.message).toMatch(/^Weight scores\/bias holds NaN or infinity \(its value 31 of 31\)/);
  });

  it('the first and last shards swapped', async () => {
    const files = await kerasHistoryFixture(ITEMS, { shards: 4 });
    const [first, last] = [files[1], files[files.length - 1]];
    expect(first.bytes.length).toBe(last.bytes.length);
    const swapped = files.map((f) =>
      f === first ? { ...f, bytes: last.bytes } : f === last ? { ...f, bytes: first.bytes } : f,
    );
    const e = await refusal(swapped, 'non-finite-weights');
    expect(e.message).toMatch(/^Weight \S+ holds NaN or infinity/);
  });

  it('an infinity in an ids-in model', async () => {
    const files = editWeight(
      await kerasIdsFixture(USERS, ITEMS),
      'user_embedding/embeddings',
      (v) => {
        v[5] = Number.NEGATIVE_INFINITY;
      },
    );
    const e = await refusal(files, 'non-finite-weights');
    expect(e.message).toContain('user_embedding/embeddings');
  });

  it('quantised weights: float16 infinities and a uint8 scale that overflows float32', async () => {
    const ones = new Uint16Array(SIZE).fill(0x3c00);
    await importsAndScores(quantisedGraph({ dtype: 'float16' }, new Uint8Array(ones.buffer)));
    ones[17] = 0x7c00;
    const e = await refusal(
      quantisedGraph({ dtype: 'float16' }, new Uint8Array(ones.buffer)),
      'non-finite-weights',
    );
    expect(e.message).toMatch(/^Weight item_embedding holds NaN or infinity \(its value 18 of/);
    const steps = Uint8Array.from({ length: SIZE }, (_, k) => k % 256);
    await importsAndScores(quantisedGraph({ dtype: 'uint8', scale: 0.01, min: -1 }, steps));
    await refusal(
      quantisedGraph({ dtype: 'uint8', scale: 1e38, min: 0 }, steps),
      'non-finite-weights',
    );
  });

  it('finite weights whose scores overflow: the probe run is refused', async () => {
    const graph = editWeight(graphFixture(ITEMS), 'item_embedding', (v) => v.fill(1e30));
    const e = await refusal(graph, 'non-finite-weights');
    expect(e.message).toMatch(/^The model scores an infinity on a padded history of 8 items/);
    let ids = await kerasIdsFixture(USERS, ITEMS);
    ids = editWeight(ids, 'dense_Dense1/bias', (v) => v.fill(3e38));
    ids = editWeight(ids, 'score/kernel', (v) => v.fill(3e38));
    const pairs = await refusal(ids, 'non-finite-weights');
    expect(pairs.message).toMatch(/^The model scores an infinity on \d+ \(user, item\) pairs/);
  });
});

describe('an ids-in model runs once at import (ids-unprobed)', () => {
  it('an input that cannot be fed is refused, not found at the first score()', async () => {
    const files = editJson(await kerasIdsFixture(USERS, ITEMS), (json) => {
      json.modelTopology.config.layers[1].config.dtype = [];
    });
    const e = await refusal(files, 'unsupported-model');
    expect(e.message).toMatch(
      /^The model fails on \d+ \(user, item\) pairs of the data: .*can not be cast/,
    );
  });

  it('a valid ids-in model imports and scores as before', async () => {
    await importsAndScores(await kerasIdsFixture(USERS, ITEMS));
  });
});

describe('a refused graph model leaves nothing behind (graph-refusal-leak, tfjs-message)', () => {
  const deep = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;

  it('an attribute nested 20,000 deep, read while the graph is built', async () => {
    const files = editText(
      graphFixture(ITEMS),
      '"batch_dims":{"i":"0"}',
      `"batch_dims":{"i":${deep(20_000)}}`,
    );
    const e = await refusal(files, 'unsupported-model');
    expect(e.message).toMatch(/^The graph's node history nests its JSON more than \d+ levels/);
  });

  it('an attribute nested deep, read inside a kernel (which would keep its output buffer)', async () => {
    const files = editText(
      graphFixture(ITEMS),
      '"transpose_b":{"b":true}',
      `"transpose_b":{"b":${deep(5_000)}}`,
    );
    await refusal(files, 'unsupported-model');
  });

  it('a graph TF.js cannot build after it has decoded the weights', async () => {
    const files = editText(
      graphFixture(ITEMS),
      '"input":["user","item_embedding"]',
      '"input":["user","nothing"]',
    );
    const e = await refusal(files, 'unsupported-model');
    expect(e.message).toMatch(/^TF\.js could not build the graph model: .+\.$/);
  });

  it('a graph that fails on its first run, with a TF.js error of several sentences', async () => {
    const files = editText(graphFixture(ITEMS), '"op":"Mean"', '"op":"NoSuchOp"');
    const e = await refusal(files, 'unsupported-model');
    expect(e.message).toMatch(
      /^The graph model fails on a padded history: Unknown op 'NoSuchOp'; /,
    );
  });

  it('a graph reading histories over 10,000 steps, refused before a padded row is made', async () => {
    const e = await refusal(graphFixture(ITEMS, { maxLen: 20_000 }), 'too-large');
    expect(e.message).toMatch(/^The graph model's input ids reads rows of 20000 values; /);
  });

  it('a valid graph model imports and scores as before', async () => {
    await importsAndScores(graphFixture(ITEMS));
  });
});

describe('weights TF.js would fail to decode halfway are refused before it starts', () => {
  it('a uint8 quantisation without min, a dtype it cannot dequantise to, a __proto__ name', async () => {
    const steps = Uint8Array.from({ length: SIZE }, (_, k) => k % 256);
    await refusal(quantisedGraph({ dtype: 'uint8', scale: 0.01 }, steps), 'invalid-metadata');
    await refusal(
      quantisedGraph({ dtype: 'uint8', scale: 0.01, min: 0 }, steps, 'uint16'),
      'unsupported-dtype',
    );
    const halves = new Uint8Array(new Uint16Array(SIZE).fill(0x3c00).buffer);
    await refusal(quantisedGraph({ dtype: 'float16' }, halves, 'int32'), 'unsupported-dtype');
    const proto = editJson(await kerasHistoryFixture(ITEMS), (json) => {
      json.weightsManifest[0].weights[1].name = '__proto__';
    });
    await refusal(proto, 'invalid-metadata');
  });
});
