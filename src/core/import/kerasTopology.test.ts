import { beforeAll, describe, expect, it } from 'vitest';
import type { Dataset } from '../data/types';
import { sentenceProblem } from '../fuzz/foreignKnownIssues';
import { ModelFileError, type ModelFileErrorCode } from '../models/modelFileError';
import { useBackend } from '../models/tfTesting';
import * as tf from '../tf';
import { makeDataset } from '../train/testing';
import { editModelJson, kerasHistoryFixture, kerasIdsFixture } from './fixtures';
import { importTfjsModel } from './index';
import { checkKerasTopology, MAX_HISTORY } from './kerasTopology';
import type { NamedFile, TfjsWeightSpec } from './modelFiles';

// biome-ignore lint/suspicious/noExplicitAny: edits of converter JSON
type Loose = any;

const ITEMS = 30;
const USERS = 12;

let history: NamedFile[];
let ids: NamedFile[];
let data: Dataset;

beforeAll(async () => {
  await useBackend('wasm');
  history = await kerasHistoryFixture(ITEMS);
  ids = await kerasIdsFixture(USERS, ITEMS);
  const rows: [string, string, number][] = [];
  for (let u = 0; u < USERS; u++) {
    for (let t = 0; t < 6 + (u % 5); t++)
      rows.push([String(u), String(1 + ((u * 7 + t * 3) % ITEMS)), t]);
  }
  data = makeDataset(rows);
});

const edited = editModelJson;

/** The history model's Sequential layers / the ids model's functional config, to edit. */
const layersOf = (json: Loose) => json.modelTopology.model_config.config.layers;
const graphOf = (json: Loose) => json.modelTopology.config;

/**
 * Imports `files`, which must be refused with `code` in one sentence, well under a second,
 * leaving no tensor or variable behind.
 */
async function refused(files: NamedFile[], code: ModelFileErrorCode): Promise<string> {
  const tensors = tf.memory().numTensors;
  const variables = Object.keys(tf.engine().registeredVariables).length;
  const started = performance.now();
  let error: unknown = null;
  try {
    (await importTfjsModel(files, data)).model.dispose();
  } catch (e) {
    error = e;
  }
  // A guard against hangs (these took minutes), not a speed test: refusals take milliseconds.
  expect(performance.now() - started).toBeLessThan(5000);
  expect(error).toBeInstanceOf(ModelFileError);
  const { message } = error as ModelFileError;
  expect({ code: (error as ModelFileError).code, message }).toMatchObject({ code });
  expect(sentenceProblem(message)).toBeNull();
  expect(tf.memory().numTensors).toBe(tensors);
  expect(Object.keys(tf.engine().registeredVariables).length).toBe(variables);
  return message;
}

describe('valid Keras models', () => {
  it('import as before', async () => {
    const tensors = tf.memory().numTensors;
    for (const files of [history, ids, await kerasHistoryFixture(ITEMS, { encoder: 'pool' })]) {
      const { model } = await importTfjsModel(files, data);
      expect(
        (
          await model.score(Int32Array.of(0), {
            offsets: Int32Array.of(0, 1),
            items: Int32Array.of(2),
            timestamps: new Float64Array(1),
          })
        ).length,
      ).toBe(ITEMS);
      model.dispose();
    }
    expect(tf.memory().numTensors).toBe(tensors);
  });
});

describe('topology-allocation: declared sizes the manifest cannot back', () => {
  it('refuses a GRU of 1,000 units and an Embedding of 6e7 ids before building them', async () => {
    const gru = await refused(
      edited(history, (j) => (layersOf(j)[1].config.units = 1000)),
      'shape-mismatch',
    );
    expect(gru).toMatch(
      /at least 3,006,310 parameters \(layer gru alone at least 3,006,000\), but its weights manifest holds 935/,
    );
    const embedding = edited(history, (j) => (layersOf(j)[0].config.input_dim = 6e7));
    expect(await refused(embedding, 'shape-mismatch')).toMatch(
      /layer item_embedding alone at least 480,000,000/,
    );
    // Both directions of a Bidirectional GRU of 20 units: 2 × 3 × (20² + 2 × 20) parameters.
    const bidirectional = edited(history, (j) => {
      const gru = layersOf(j)[1];
      gru.config.units = 20;
      layersOf(j)[1] = { class_name: 'Bidirectional', config: { name: 'bi', layer: gru } };
    });
    expect(await refused(bidirectional, 'shape-mismatch')).toMatch(
      /layer gru alone at least 2,640\)/,
    );
  });

  it('holds each variable to the manifest while building (sizes inferred from inputs)', async () => {
    // A Flatten over 9,000 steps makes the output Dense's kernel 72,000 × 31.
    const files = edited(history, (j) => {
      const layers = layersOf(j);
      Object.assign(layers[0].config, { batch_input_shape: [null, 9000], input_length: 9000 });
      layers[1] = { class_name: 'Flatten', config: { name: 'flat' } };
    });
    expect(await refused(files, 'shape-mismatch')).toMatch(
      /^Layer scores needs a weight of shape \[72000, 31\]/,
    );
  });

  it('caps what layers allocate as they run', async () => {
    const repeat = edited(history, (j) => {
      layersOf(j).splice(2, 0, {
        class_name: 'RepeatVector',
        config: { name: 'again', n: 100_000 },
      });
    });
    expect(await refused(repeat, 'too-large')).toMatch(/^Layer again makes .* 100,000 times over/);
    const reshape = edited(history, (j) => {
      layersOf(j).splice(2, 0, {
        class_name: 'Reshape',
        config: { name: 'big', target_shape: [100_000, 1000] },
      });
    });
    expect(await refused(reshape, 'too-large')).toMatch(
      /^Layer big makes rows of 100,000,000 values/,
    );
    const units = edited(history, (j) => (layersOf(j)[2].config.units = '31'));
    expect(await refused(units, 'invalid-metadata')).toMatch(
      /^Layer scores declares units "31", not a whole number\.$/,
    );
  });
});

describe('history-length: a model runs over at most 10,000 steps', () => {
  it('refuses longer declared histories, however declared', async () => {
    const batch = edited(history, (j) => {
      Object.assign(layersOf(j)[0].config, {
        batch_input_shape: [null, 20_000],
        input_length: 20_000,
      });
    });
    expect(await refused(batch, 'too-large')).toBe(
      'Layer item_embedding reads inputs of 20,000 steps; Interest Lens runs a model over histories of at most 10,000 items.',
    );
    const length = edited(history, (j) => (layersOf(j)[0].config.input_length = 2 ** 31));
    await refused(length, 'too-large');
    const input = edited(
      ids,
      (j) => (graphOf(j).layers[0].config.batch_input_shape = [null, 2 ** 31]),
    );
    expect(await refused(input, 'too-large')).toMatch(
      /^Layer user_id reads inputs of 2,147,483,648 steps/,
    );
    const odd = edited(ids, (j) => (graphOf(j).layers[0].config.batch_input_shape = [null, 1.5]));
    await refused(odd, 'invalid-metadata');
  });
});

describe('dangling-inbound: a functional model whose wiring never resolves', () => {
  it('refuses calls naming a missing layer, the layer itself or a node that never exists', async () => {
    const nowhere = edited(
      ids,
      (j) => (graphOf(j).layers[7].inbound_nodes = [[['nowhere', 0, 0, {}]]]),
    );
    expect(await refused(nowhere, 'invalid-metadata')).toBe(
      'Layer dense_Dense1 takes input from nowhere, which is not a layer of the model.',
    );
    const self = edited(
      ids,
      (j) => (graphOf(j).layers[7].inbound_nodes = [[['dense_Dense1', 0, 0, {}]]]),
    );
    expect(await refused(self, 'invalid-metadata')).toBe(
      'Layer dense_Dense1 takes its own output as its input.',
    );
    const node = edited(
      ids,
      (j) => (graphOf(j).layers[7].inbound_nodes = [[['user_id', 5, 3, {}]]]),
    );
    expect(await refused(node, 'invalid-metadata')).toMatch(
      /^Layer dense_Dense1 takes input from node 5 of layer user_id, which the model never builds/,
    );
    // An input layer turned into another class has no node of its own.
    const masking = edited(ids, (j) => (graphOf(j).layers[0].class_name = 'Masking'));
    await refused(masking, 'invalid-metadata');
    const outputs = edited(ids, (j) => (graphOf(j).output_layers = [['score', 3, 0]]));
    expect(await refused(outputs, 'invalid-metadata')).toMatch(
      /output_layers names node 3 of layer score/,
    );
    const proto = edited(ids, (j) => {
      graphOf(j).layers[4].name = '__proto__';
      graphOf(j).layers[4].config.name = '__proto__';
    });
    await refused(proto, 'invalid-metadata');
    const twice = edited(ids, (j) => (graphOf(j).layers[5].name = 'flatten_Flatten1'));
    await refused(twice, 'invalid-metadata');
    const keras3 = edited(
      ids,
      (j) => (graphOf(j).layers[7].inbound_nodes = [{ args: [], kwargs: {} }]),
    );
    expect(await refused(keras3, 'unsupported-model')).toMatch(/Keras 3 format/);
  });
});

describe('dispose-unbuilt: a failure frees what was built and stays a ModelFileError', () => {
  it('refuses a bare layer as the model, and an empty model given weights', async () => {
    const flatten = edited(history, (j) => (j.modelTopology.model_config.class_name = 'Flatten'));
    expect(await refused(flatten, 'unsupported-model')).toBe(
      "The model's topology is a single Flatten layer, not a Sequential or functional model.",
    );
    // An empty Sequential is never built: disposing it throws, which must not escape.
    const empty = edited(history, (j) => (j.modelTopology.model_config.config.layers = []));
    await refused(empty, 'shape-mismatch');
  });

  it('refuses a layer name TF.js rejects before it creates the layer (which leaked a tensor)', async () => {
    const named = edited(history, (j) => {
      const layer = layersOf(j)[1];
      layer.config.name = 'N/"4';
      if (layer.name !== undefined) layer.name = 'N/"4';
    });
    expect(await refused(named, 'invalid-metadata')).toMatch(/^The layer name 'N\/"4' is not one/);
  });
});

describe('tfjs-message: TF.js refusals as one sentence', () => {
  it('ends the shape mismatch with a full stop and cuts a deep config', async () => {
    const reversed = edited(history, (j) => j.weightsManifest[0].weights[1].shape.reverse());
    expect(await refused(reversed, 'shape-mismatch')).toBe(
      'The weights do not fit the model: Shape mismatch: [8,24] vs. [24,8].',
    );
    const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`;
    const nested = edited(history, (j) => (layersOf(j)[1].config = 'DEEP')).map((f) => {
      if (f.name !== 'model.json') return f;
      const text = new TextDecoder().decode(f.bytes).replace('"DEEP"', deep);
      return { name: f.name, bytes: new TextEncoder().encode(text) };
    });
    await refused(nested, 'invalid-metadata');
    const unknown = edited(history, (j) => (layersOf(j)[1].class_name = 'Custom>Item\nTower'));
    expect(await refused(unknown, 'unknown-layer')).toMatch(/^The model uses Custom/);
  });
});

describe('checkKerasTopology', () => {
  const specs: TfjsWeightSpec[] = [{ name: 'w', shape: [4], dtype: 'float32' }];
  const input = (name: string) => ({
    name,
    class_name: 'InputLayer',
    config: { name, batch_input_shape: [null, 4] },
    inbound_nodes: [],
  });
  const call = (name: string, from: string, node = 0) => ({
    name,
    class_name: 'Activation',
    config: { name, activation: 'relu' },
    inbound_nodes: [[[from, node, 0, {}]]],
  });
  const functional = (layers: unknown[], output: string) => ({
    class_name: 'Functional',
    config: { name: 'm', layers, input_layers: [['in', 0, 0]], output_layers: [[output, 0, 0]] },
  });

  it('resolves a long chain declared backwards in linear time, and refuses a cycle in it', () => {
    const n = 20_000;
    const layers: unknown[] = [];
    for (let k = n; k >= 1; k--) layers.push(call(`a${k}`, k === 1 ? 'in' : `a${k - 1}`));
    layers.push(input('in'));
    const started = performance.now();
    checkKerasTopology(functional(layers, `a${n}`), specs);
    expect(performance.now() - started).toBeLessThan(2000);
    (layers[n - 1] as Loose).inbound_nodes = [[[`a${n}`, 0, 0, {}]]]; // a1 reads the last one
    expect(() => checkKerasTopology(functional(layers, `a${n}`), specs)).toThrow(/never builds/);
  });

  it('counts the nodes of shared layers and nested models as tfjs-layers does', () => {
    // shared(shared(in)): the second call reads the shared layer's first node.
    const shared = {
      ...call('shared', 'in'),
      inbound_nodes: [[['in', 0, 0, {}]], [['shared', 0, 0, {}]]],
    };
    const twice = functional([input('in'), shared], 'shared');
    twice.config.output_layers = [['shared', 1, 0]];
    checkKerasTopology(twice, specs);
    twice.config.output_layers = [['shared', 2, 0]];
    expect(() => checkKerasTopology(twice, specs)).toThrow(/node 2 of layer shared/);
    // A nested model has a node of its own (0); its first call is node 1.
    const inner = {
      name: 'inner',
      ...functional([input('in'), call('x', 'in')], 'x'),
      inbound_nodes: [[['in', 0, 0, {}]]],
    };
    const outer = functional([input('in'), inner, call('after', 'inner', 1)], 'after');
    checkKerasTopology(outer, specs);
  });

  it('refuses a value nested thousands deep without recursing, and a model of no class', () => {
    const deep = JSON.parse(`${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`);
    const model = { class_name: 'Sequential', config: { name: 's', layers: [deep] } };
    expect(() => checkKerasTopology(model, specs)).toThrow(/nested more than 100 levels/);
    expect(() => checkKerasTopology({ config: {} }, specs)).toThrow(/names no model class/);
    expect(MAX_HISTORY).toBe(10_000);
  });
});
