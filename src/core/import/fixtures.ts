/**
 * Model files in other engines' formats, made here so tests (unit and e2e) need nothing from
 * outside: Keras models of both kinds saved by tfjs-layers the way the TF.js converter writes
 * Keras files (sharded `group1-shardKofN.bin`, an old converter's `convertedBy`, Keras 2.x
 * version fields), and a TF.js graph model written as a GraphDef by hand. Weights are drawn
 * from a seeded generator, so the same call gives the same bytes.
 */
import * as tfl from '@tensorflow/tfjs-layers';
import { SeededRandom } from '../random';
import * as tf from '../tf';
import type { NamedFile, TfjsWeightSpec } from './modelFiles';

/** Splits weight bytes into converter-style shards and writes the model.json beside them. */
export function modelFilesOf(
  modelTopology: unknown,
  weightSpecs: TfjsWeightSpec[],
  weightData: ArrayBuffer,
  options: { shards?: number; format?: string; convertedBy?: string; generatedBy?: string } = {},
): NamedFile[] {
  const bytes = new Uint8Array(weightData);
  const count = Math.max(1, Math.min(options.shards ?? 1, bytes.length));
  const size = Math.ceil(bytes.length / count);
  const names = Array.from({ length: count }, (_, k) => `group1-shard${k + 1}of${count}.bin`);
  const json = {
    format: options.format ?? 'layers-model',
    generatedBy: options.generatedBy ?? 'keras v2.15.0',
    convertedBy: options.convertedBy ?? 'TensorFlow.js Converter v2.0.0',
    modelTopology,
    weightsManifest: [{ paths: names, weights: weightSpecs }],
  };
  return [
    { name: 'model.json', bytes: new TextEncoder().encode(JSON.stringify(json)) },
    ...names.map((name, k) => ({ name, bytes: bytes.slice(k * size, (k + 1) * size) })),
  ];
}

/** Overwrites every weight with seeded values in [-scale, scale]. */
function seedWeights(model: tfl.LayersModel, seed: number, scale: number): void {
  const random = new SeededRandom(seed, 'fixture');
  const values = model.weights.map((w) => {
    const data = new Float32Array(w.shape.reduce<number>((n, d) => n * (d ?? 1), 1));
    for (let i = 0; i < data.length; i++) data[i] = (2 * random.next() - 1) * scale;
    return tf.tensor(data, w.shape as number[]);
  });
  model.setWeights(values);
  for (const v of values) v.dispose();
}

async function artifactsOf(model: tfl.LayersModel): Promise<tf.io.ModelArtifacts> {
  let saved: tf.io.ModelArtifacts | null = null;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  if (!saved) throw new Error('tfjs-layers saved nothing.');
  return saved;
}

/** Keras 2.x as the Python converter writes it: `model_config` wrapped with version fields. */
function asKeras2(topology: unknown): unknown {
  const t = topology as Record<string, unknown>;
  return {
    keras_version: '2.15.0',
    backend: 'tensorflow',
    model_config: { class_name: t.class_name, config: t.config },
  };
}

export interface FixtureOptions {
  maxLen?: number;
  dim?: number;
  shards?: number;
  seed?: number;
  /** The layer after the Embedding: a GRU (GRU4Rec-style) or a mean pool. */
  encoder?: 'gru' | 'pool';
  /** Softmax output (default) or raw logits (well separated: stable rankings across backends). */
  softmax?: boolean;
}

/**
 * A history-in Keras model over ids 0..numItems (0 = padding, masked): Embedding → GRU →
 * Dense softmax over all ids. Dataset item "k" is model id k.
 */
export async function kerasHistoryFixture(
  numItems: number,
  options: FixtureOptions = {},
): Promise<NamedFile[]> {
  const { maxLen = 8, dim = 8, shards = 3, seed = 1, encoder = 'gru', softmax = true } = options;
  const model = tfl.sequential();
  model.add(
    tfl.layers.embedding({
      inputDim: numItems + 1,
      outputDim: dim,
      inputLength: maxLen,
      maskZero: encoder === 'gru',
      name: 'item_embedding',
    }),
  );
  if (encoder === 'gru') model.add(tfl.layers.gru({ units: dim, name: 'gru' }));
  else model.add(tfl.layers.globalAveragePooling1d({ name: 'pool' }));
  model.add(
    tfl.layers.dense({
      units: numItems + 1,
      activation: softmax ? 'softmax' : 'linear',
      name: 'scores',
    }),
  );
  try {
    seedWeights(model, seed, 0.5);
    const a = await artifactsOf(model);
    return modelFilesOf(
      asKeras2(a.modelTopology),
      a.weightSpecs as TfjsWeightSpec[],
      a.weightData as ArrayBuffer,
      { shards },
    );
  } finally {
    model.dispose();
  }
}

/**
 * An ids-in Keras model (NCF-style): user id and item id inputs, each into an Embedding,
 * concatenated, two Dense layers, one score. Dataset user "u" is model user u and item "k"
 * model item k.
 */
export async function kerasIdsFixture(
  numUsers: number,
  numItems: number,
  options: FixtureOptions = {},
): Promise<NamedFile[]> {
  const { dim = 8, shards = 2, seed = 2 } = options;
  const user = tfl.input({ shape: [1], name: 'user_id', dtype: 'int32' });
  const item = tfl.input({ shape: [1], name: 'item_id', dtype: 'int32' });
  const flat = (name: string, x: tfl.SymbolicTensor, n: number) =>
    tfl.layers
      .flatten()
      .apply(
        tfl.layers.embedding({ inputDim: n, outputDim: dim, name }).apply(x),
      ) as tfl.SymbolicTensor;
  const joined = tfl.layers
    .concatenate()
    .apply([flat('user_embedding', user, numUsers), flat('item_embedding', item, numItems + 1)]);
  const hidden = tfl.layers.dense({ units: 16, activation: 'relu' }).apply(joined);
  const score = tfl.layers.dense({ units: 1, name: 'score' }).apply(hidden) as tfl.SymbolicTensor;
  const model = tfl.model({ inputs: [user, item], outputs: score });
  try {
    seedWeights(model, seed, 0.5);
    const a = await artifactsOf(model);
    return modelFilesOf(
      a.modelTopology,
      a.weightSpecs as TfjsWeightSpec[],
      a.weightData as ArrayBuffer,
      {
        shards,
        generatedBy: 'keras v3.3.3',
        convertedBy: 'TensorFlow.js Converter v4.22.0',
      },
    );
  } finally {
    model.dispose();
  }
}

const dim = (size: number) => ({ size: String(size) });

/**
 * A TF.js graph model (as from a SavedModel) by hand: ids `[batch, maxLen]` → gather item
 * embeddings → mean over the history → scores against every embedding (`[batch, numItems + 1]`).
 */
export function graphFixture(numItems: number, options: FixtureOptions = {}): NamedFile[] {
  const { maxLen = 8, dim: d = 8, seed = 3 } = options;
  const random = new SeededRandom(seed, 'graph');
  const vocab = numItems + 1;
  const emb = new Float32Array(vocab * d);
  for (let i = 0; i < emb.length; i++) emb[i] = 2 * random.next() - 1;
  const float = { type: 'DT_FLOAT' };
  const int = { type: 'DT_INT32' };
  const constant = (name: string, dtype: string, dims: number[]) => ({
    name,
    op: 'Const',
    attr: {
      dtype: { type: dtype },
      value: { tensor: { dtype, tensorShape: dims.length ? { dim: dims.map(dim) } : {} } },
    },
  });
  const topology = {
    node: [
      {
        name: 'ids',
        op: 'Placeholder',
        attr: { dtype: int, shape: { shape: { dim: [dim(-1), dim(maxLen)] } } },
      },
      constant('item_embedding', 'DT_FLOAT', [vocab, d]),
      constant('axis0', 'DT_INT32', []),
      constant('axis1', 'DT_INT32', []),
      {
        name: 'history',
        op: 'GatherV2',
        input: ['item_embedding', 'ids', 'axis0'],
        attr: { Tparams: float, Tindices: int, Taxis: int, batch_dims: { i: '0' } },
      },
      {
        name: 'user',
        op: 'Mean',
        input: ['history', 'axis1'],
        attr: { T: float, Tidx: int, keep_dims: { b: false } },
      },
      {
        name: 'scores',
        op: 'MatMul',
        input: ['user', 'item_embedding'],
        attr: { T: float, transpose_a: { b: false }, transpose_b: { b: true } },
      },
    ],
    library: {},
    versions: { producer: 1482 },
  };
  const specs: TfjsWeightSpec[] = [
    { name: 'item_embedding', shape: [vocab, d], dtype: 'float32' },
    { name: 'axis0', shape: [], dtype: 'int32' },
    { name: 'axis1', shape: [], dtype: 'int32' },
  ];
  const data = new Uint8Array(emb.byteLength + 8);
  data.set(new Uint8Array(emb.buffer), 0);
  new DataView(data.buffer).setInt32(emb.byteLength, 0, true);
  new DataView(data.buffer).setInt32(emb.byteLength + 4, 1, true);
  const files = modelFilesOf(topology, specs, data.buffer, {
    format: 'graph-model',
    generatedBy: '2.15.0',
    convertedBy: 'TensorFlow.js Converter v4.22.0',
  });
  // The signature names the inputs and outputs with their shapes, as the converter writes.
  const json = JSON.parse(new TextDecoder().decode(files[0].bytes));
  json.signature = {
    inputs: {
      ids: { name: 'ids:0', dtype: 'DT_INT32', tensorShape: { dim: [dim(-1), dim(maxLen)] } },
    },
    outputs: {
      scores: { name: 'scores:0', dtype: 'DT_FLOAT', tensorShape: { dim: [dim(-1), dim(vocab)] } },
    },
  };
  files[0] = { name: 'model.json', bytes: new TextEncoder().encode(JSON.stringify(json)) };
  return files;
}

/**
 * `files` with model.json parsed, changed by `edit` and written back (the other files as they
 * are): how tests make a broken converter file.
 */
export function editModelJson(
  files: readonly NamedFile[],
  // biome-ignore lint/suspicious/noExplicitAny: edits of converter JSON
  edit: (json: any) => void,
): NamedFile[] {
  return files.map((f) => {
    if (f.name !== 'model.json') return f;
    const json = JSON.parse(new TextDecoder().decode(f.bytes));
    edit(json);
    return { name: f.name, bytes: new TextEncoder().encode(JSON.stringify(json)) };
  });
}
