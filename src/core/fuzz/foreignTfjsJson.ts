/**
 * The JSON edits of a TF.js model.json the foreign fuzz makes (see ./foreignGenerators.ts):
 * fields deleted or of the wrong type, odd dimensions, weight shapes, dtypes, quantisation and
 * names, manifest paths and groups, Keras layer classes and configs, graph nodes and
 * signatures, the format, `__proto__` keys, deep nesting and Python's NaN / Infinity.
 */
import type { SeededRandom } from '../random';
import { asObject, defineKey, junkText, literal, objectsIn } from './foreignMutate';
import { mutateLayerConfig } from './foreignTfjsLayers';
import { mutateManifest, weightSpecs } from './foreignTfjsManifest';
import type { TfjsBase } from './foreignTypes';
import { DEEP, type Json, randomJsonValue, slots } from './generators';

/** Values a dimension (or any count) takes in a broken file. */
function oddDimension(rng: SeededRandom, d: number): Json {
  return rng.pick<Json>([
    0,
    -1,
    -0,
    1.5,
    d + 1,
    Math.max(0, d - 1),
    2 * d,
    d + 0.5,
    1e9,
    2 ** 31,
    2 ** 32 + 1,
    2 ** 53 + 2,
    1e308,
    1e-300,
    literal('NaN'),
    literal('Infinity'),
    literal('-Infinity'),
    literal('1e999'),
    literal('-0.0'),
    null,
    String(d),
    `${d}.0`,
    true,
    [d],
    {},
  ]);
}

/** The same odd values for a dimension written as a string (GraphDef `size` fields). */
function oddSize(rng: SeededRandom, d: number): Json {
  const v = oddDimension(rng, d);
  return typeof v === 'number' && rng.chance(0.8) ? String(v) : v;
}

export const TFJS_JSON_MUTATIONS = [
  'delete-field',
  'wrong-type',
  'dimension',
  'spec-shape',
  'dtype',
  'quantization',
  'weight-name',
  'manifest',
  'layer-class',
  'layer-config',
  'graph-node',
  'signature',
  'format',
  'proto-keys',
  'deep-nesting',
  'python-literals',
] as const;

type TfjsJsonMutation = (typeof TFJS_JSON_MUTATIONS)[number];

const LAYER_CLASSES = [
  'LSTM',
  'SimpleRNN',
  'GRU',
  'Dense',
  'Embedding',
  'Conv1D',
  'Dropout',
  'Masking',
  'Flatten',
  'Reshape',
  'Activation',
  'GlobalAveragePooling1D',
  'Attention',
  'MultiHeadAttention',
  'Bidirectional',
  'TimeDistributed',
  'Lambda',
  'TFOpLambda',
  'Custom>ItemTower',
  'InputLayer',
  'Sequential',
  'Functional',
  'Model',
  '__proto__',
  'constructor',
  '',
  7,
  null,
];

const GRAPH_OPS = [
  'MatMul',
  'BatchMatMul',
  'GatherV2',
  'Mean',
  'Sum',
  'Identity',
  'Placeholder',
  'Const',
  'Softmax',
  'Reshape',
  'LoopCond',
  'Enter',
  'Exit',
  'NextIteration',
  'StatefulPartitionedCall',
  'HashTableV2',
  'LookupTableFindV2',
  'Foo',
  '__proto__',
  '',
  null,
];

/** Every layer object of a Keras topology (Sequential or functional, wrapped or not). */
function kerasLayers(json: Json): Json[] {
  const topology = asObject(json?.modelTopology);
  const model = asObject(topology?.model_config) ?? topology;
  return objectsIn(asObject(model?.config)?.layers);
}

function graphNodes(json: Json): Json[] {
  return objectsIn(asObject(json?.modelTopology)?.node);
}

/** Slots holding a dimension: numbers (or integer strings) in the topology, signature and shapes. */
function dimensionSlots(json: Json): [Json, string | number][] {
  const out: [Json, string | number][] = [];
  for (const key of ['modelTopology', 'signature', 'weightsManifest'] as const) {
    const root = json?.[key];
    if (root === null || typeof root !== 'object') continue;
    for (const [parent, k] of slots(root)) {
      const v = parent[k];
      if (
        (typeof v === 'number' && Number.isInteger(v)) ||
        (typeof v === 'string' && /^-?\d+$/.test(v))
      ) {
        out.push([parent, k]);
      }
    }
  }
  return out;
}

export function mutateTfjsJson(
  json: Json,
  kind: TfjsJsonMutation,
  rng: SeededRandom,
  base: TfjsBase,
): void {
  const all = slots(json);
  const specs = weightSpecs(json);
  const layers = kerasLayers(json);
  const nodes = graphNodes(json);
  switch (kind) {
    case 'delete-field': {
      if (all.length === 0) return;
      const [parent, key] = rng.pick(all);
      if (Array.isArray(parent)) parent.splice(Number(key), 1);
      else delete parent[key];
      return;
    }
    case 'wrong-type': {
      if (all.length === 0) return;
      const [parent, key] = rng.pick(all);
      parent[key] = randomJsonValue(rng);
      return;
    }
    case 'dimension': {
      const dims = dimensionSlots(json);
      if (dims.length === 0) return;
      const [parent, key] = rng.pick(dims);
      const d = Number(parent[key]);
      parent[key] = typeof parent[key] === 'string' ? oddSize(rng, d) : oddDimension(rng, d);
      return;
    }
    case 'spec-shape':
    case 'dtype':
    case 'quantization':
    case 'weight-name':
    case 'manifest':
      mutateManifest(json, kind, rng, specs);
      return;
    case 'layer-class': {
      if (layers.length > 0 && rng.chance(0.85)) {
        rng.pick(layers).class_name = rng.pick(LAYER_CLASSES);
        return;
      }
      const topology = asObject(json.modelTopology);
      const model = asObject(topology?.model_config) ?? topology;
      if (model) model.class_name = rng.pick(LAYER_CLASSES);
      return;
    }
    case 'layer-config':
      mutateLayerConfig(json, layers, rng);
      return;
    case 'graph-node': {
      if (nodes.length === 0) return;
      const node = rng.pick(nodes);
      switch (rng.int(0, 7)) {
        case 0:
          node.op = rng.pick(GRAPH_OPS);
          return;
        case 1:
          node.input = rng.pick<Json>([
            ['nowhere'],
            [node.name],
            [`${nodes[nodes.length - 1]?.name}`, `${nodes[nodes.length - 1]?.name}`],
            ['^ids'],
            ['ids:7'],
            [],
            null,
            'ids',
          ]);
          return;
        case 2: {
          const attr = asObject(node.attr);
          if (!attr) return;
          const key = rng.pick(Object.keys(attr).length > 0 ? Object.keys(attr) : ['T']);
          attr[key] = rng.pick<Json>([
            { type: 'DT_STRING' },
            { type: 'DT_INT64' },
            { type: 'DT_HALF' },
            { type: 'DT_BOOL' },
            { type: 'DT_NOPE' },
            { b: true },
            { i: '-1' },
            { i: '99999999999999999999' },
            {},
            null,
          ]);
          return;
        }
        case 3:
          nodes.splice(nodes.indexOf(node), 1);
          json.modelTopology.node = nodes;
          return;
        case 4:
          json.modelTopology.node.push(JSON.parse(JSON.stringify(node)));
          return;
        case 5:
          node.name = rng.pick<Json>([nodes[0]?.name ?? 'ids', '', 'scores', 'a:b', null]);
          return;
        case 6:
          json.modelTopology.node.push({
            name: 'extra',
            op: rng.pick(GRAPH_OPS),
            input: [node.name],
            attr: {},
          });
          return;
        default:
          json.modelTopology.library = rng.pick<Json>([
            { function: [{}] },
            { function: 'x' },
            null,
            DEEP,
          ]);
          return;
      }
    }
    case 'signature': {
      const signature = asObject(json.signature);
      if (!signature) {
        json.signature = rng.pick<Json>([{}, { inputs: {} }, null, 'x']);
        return;
      }
      const side = rng.pick(['inputs', 'outputs']);
      const entries = asObject(signature[side]);
      if (!entries || rng.chance(0.2)) {
        signature[side] = rng.pick<Json>([{}, null, [], 'x']);
        return;
      }
      const key = rng.pick(Object.keys(entries).length > 0 ? Object.keys(entries) : ['x']);
      const entry = asObject(entries[key]);
      switch (rng.int(0, 3)) {
        case 0:
          if (entry) entry.name = rng.pick<Json>(['nowhere:0', 'ids', 'scores:1', '', null]);
          return;
        case 1:
          if (entry) entry.dtype = rng.pick<Json>(['DT_STRING', 'DT_INT64', 'DT_FLOAT', 'x', null]);
          return;
        case 2:
          entries[`${key}_2`] = entry ? { ...entry } : {};
          return;
        default:
          delete entries[key];
          return;
      }
    }
    case 'format': {
      switch (rng.int(0, 6)) {
        case 0:
          json.format = rng.pick<Json>(['graph-model', 'layers-model', 'keras', '', null, 7]);
          return;
        case 1:
          delete json.format;
          return;
        case 2:
          json.userDefinedMetadata = rng.pick<Json>([
            { interestLens: { format: 'interest-lens-model' } },
            { signature: {} },
            'x',
            null,
          ]);
          return;
        case 3:
          json.modelTopology = rng.pick<Json>([
            null,
            [],
            'model',
            {},
            { node: 'x' },
            { class_name: 7 },
          ]);
          return;
        case 4: {
          // A graph wrapped as if it were Keras, or Keras with graph nodes.
          const topology = asObject(json.modelTopology);
          if (!topology) return;
          if (Array.isArray(topology.node))
            topology.model_config = { class_name: 'Sequential', config: { layers: [] } };
          else topology.node = [];
          return;
        }
        case 5:
          json.convertedBy = rng.pick<Json>([null, 7, junkText(rng, 300), { a: 1 }]);
          json.generatedBy = rng.pick<Json>([null, 7, junkText(rng, 300), []]);
          return;
        default: {
          const topology = asObject(json.modelTopology);
          if (topology) topology.keras_version = rng.pick<Json>(['3.3.3', '1.0', null, 7, '']);
          return;
        }
      }
    }
    case 'proto-keys': {
      const objects = [json, ...all.map(([p, k]) => p[k])].filter((v) => asObject(v) !== null);
      const target = rng.pick(objects);
      defineKey(
        target,
        rng.pick([
          '__proto__',
          'constructor',
          'prototype',
          'hasOwnProperty',
          'toString',
          'valueOf',
        ]),
        JSON.parse('{"polluted": true, "__proto__": {"polluted": true}}'),
      );
      return;
    }
    case 'deep-nesting': {
      if (all.length === 0) return;
      const [parent, key] = rng.pick(all);
      parent[key] = DEEP;
      return;
    }
    case 'python-literals': {
      // Python's json.dump writes NaN / Infinity for non-finite floats (JSON.parse refuses
      // them); 1e999 parses as Infinity.
      const numbers = all.filter(([p, k]) => typeof p[k] === 'number');
      if (numbers.length === 0) return;
      const [parent, key] = rng.pick(numbers);
      parent[key] = literal(
        rng.pick(['NaN', 'Infinity', '-Infinity', '1e999', '-1e999', '1E+400', '-0.0']),
      );
      return;
    }
  }
  void base;
}
