/**
 * The wiring of a functional Keras model (`inbound_nodes`, `input_layers`, `output_layers`),
 * checked before tfjs-layers deserialises it, and the helpers ./kerasTopology.ts reads Keras
 * configs with.
 *
 * tfjs-layers' `Container.fromConfig` calls each layer on its inbound nodes in passes, putting
 * back every call whose input does not exist yet, until none is left: a call that waits for a
 * missing layer, for itself, or for a node index the inbound layer never reaches is put back
 * forever and the page hangs. {@link checkFunctionalGraph} replays that loop on names and node
 * counts, in time linear in the number of calls, and refuses in one sentence what would spin.
 */
import { fileText } from '../models/fileText';
import { ModelFileError } from '../models/modelFileError';
import { isRecord } from '../persist/metaChecks';

/** Keras class names tfjs-layers deserialises as a model (a Container). */
export const MODEL_CLASSES: ReadonlySet<string> = new Set(['Sequential', 'Model', 'Functional']);

const camelCache = new Map<string, string>();

/** tfjs-layers' `toCamelCase`: how it reads the snake_case keys (and string values) of a config. */
export function camel(key: string): string {
  if (key.length <= 1 || !key.includes('_')) return key;
  let out = camelCache.get(key);
  if (out === undefined) {
    out = key.replace(/[_]+(\w|$)/g, (_m, c: string) => c.toUpperCase());
    // Keras configs use a few dozen keys; a file of made-up keys does not grow the cache.
    if (camelCache.size < 4096) camelCache.set(key, out);
  }
  return out;
}

/** `inputDim` → `input_dim`: a key as the Keras file most likely spells it. */
export function snake(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** Each object's fields are read once per check, however many parts of it look at them. */
let seen = new WeakMap<object, Map<string, unknown>>();

/** Forgets the fields read so far (a check starts; the JSON may have changed since). */
export function forgetFields(): void {
  seen = new WeakMap();
}

/**
 * An object's fields as tfjs-layers sees them after `convertPythonicToTs` (keys camel-cased,
 * the last of two spellings winning), or null when `value` is no object. A Map, so that keys
 * such as `__proto__` or `constructor` are plain keys.
 */
export function fields(value: unknown): Map<string, unknown> | null {
  if (!isRecord(value)) return null;
  let out = seen.get(value);
  if (!out) {
    out = new Map<string, unknown>();
    for (const key of Object.keys(value)) out.set(camel(key), value[key]);
    seen.set(value, out);
  }
  return out;
}

/** The class a layer entry names (camel-cased as tfjs-layers reads it), or ''. */
export function classOf(entry: Map<string, unknown>): string {
  const name = entry.get('className');
  return typeof name === 'string' ? camel(name) : '';
}

/** Counts for messages: 12,345 or, past what a model can hold, 1.00e+308. */
export function count(n: number): string {
  if (!Number.isFinite(n)) return 'over 1e+308';
  return n < 1e15 ? Math.round(n).toLocaleString('en') : n.toExponential(2);
}

/** A value from the file for a message: text quoted (`"8"` is no number), the rest as fileText. */
export function shown(value: unknown): string {
  return typeof value === 'string' ? `"${fileText(value)}"` : fileText(value);
}

export function invalid(message: string): never {
  throw new ModelFileError('invalid-metadata', message);
}

/** A layer name TF.js keeps in plain objects: a key of Object.prototype breaks its lookups. */
function checkName(name: unknown, k: number): string {
  if (typeof name !== 'string' || name === '') invalid(`Layer ${k + 1} of the model has no name.`);
  if (name in Object.prototype) {
    invalid(`The model has a layer named ${fileText(name, 60)}, which TF.js cannot load.`);
  }
  return name;
}

const isIndex = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;

interface Call {
  layer: number;
  /** Inputs as [inbound layer, node index] pairs. */
  inputs: [number, number][];
  /** Inputs whose node does not exist yet. */
  waiting: number;
}

/** One functional model's layers, by name, with the calls (inbound nodes) each makes. */
interface Graph {
  names: string[];
  index: Map<string, number>;
  /** Nodes a layer has once built: an InputLayer and a nested model have one of their own. */
  nodes: number[];
  calls: Call[];
}

function initialNodes(entry: Map<string, unknown>): number {
  const cls = classOf(entry);
  if (cls === 'InputLayer') return 1;
  if (cls === 'Sequential') {
    // A Sequential model makes its node when its first layer is added.
    const config = entry.get('config');
    const layers = Array.isArray(config) ? config : fields(config)?.get('layers');
    return Array.isArray(layers) && layers.length > 0 ? 1 : 0;
  }
  return MODEL_CLASSES.has(cls) ? 1 : 0;
}

function readGraph(layers: readonly unknown[]): Graph {
  const graph: Graph = { names: [], index: new Map(), nodes: [], calls: [] };
  const configNames = new Set<string>();
  const entries: Map<string, unknown>[] = [];
  for (let k = 0; k < layers.length; k++) {
    const entry = fields(layers[k]);
    if (!entry) invalid(`Layer ${k + 1} of the model is not a layer config.`);
    const name = checkName(entry.get('name'), k);
    if (graph.index.has(name)) invalid(`The model has two layers named ${fileText(name, 60)}.`);
    // tfjs-layers queues a layer's calls under the name in its config.
    const own = fields(entry.get('config'))?.get('name');
    if (typeof own === 'string') {
      checkName(own, k);
      if (configNames.has(own)) {
        invalid(`The model has two layers named ${fileText(own, 60)}.`);
      }
      configNames.add(own);
    }
    graph.index.set(name, k);
    graph.names.push(name);
    graph.nodes.push(initialNodes(entry));
    entries.push(entry);
  }
  for (let k = 0; k < entries.length; k++) {
    const label = () => `Layer ${fileText(graph.names[k], 60)}`;
    const nodes = entries[k].get('inboundNodes');
    if (!Array.isArray(nodes)) invalid(`${label()} has no inbound_nodes list.`);
    for (const node of nodes) {
      if (isRecord(node) && 'args' in node) {
        // Keras 3 writes calls as {args, kwargs}; tfjs-layers reads Keras 2's lists only.
        throw new ModelFileError(
          'unsupported-model',
          `${label()} is wired in the Keras 3 format, which TF.js cannot read: save the model with Keras 2 (tf_keras) before converting it.`,
        );
      }
      if (!Array.isArray(node)) invalid(`${label()} has an inbound node that is not a list.`);
      const call: Call = { layer: k, inputs: [], waiting: 0 };
      for (const input of node) {
        if (!Array.isArray(input)) {
          invalid(
            `${label()} has an inbound node holding ${fileText(input)}, not a [layer, node, tensor] entry.`,
          );
        }
        const from: unknown = input[0];
        const node: unknown = input[1];
        const tensor: unknown = input[2];
        const at = typeof from === 'string' ? graph.index.get(from) : undefined;
        if (at === undefined) {
          invalid(
            `${label()} takes input from ${fileText(from, 60)}, which is not a layer of the model.`,
          );
        }
        if (!isIndex(node) || !isIndex(tensor)) {
          invalid(
            `${label()} reads node ${fileText(node)}, output ${fileText(tensor)} of layer ${fileText(from, 60)}, not whole indices.`,
          );
        }
        call.inputs.push([at, node]);
      }
      graph.calls.push(call);
    }
  }
  return graph;
}

/**
 * Replays tfjs-layers' loop to its end: a call runs once every input node exists and, with
 * inputs, gives its layer one node more. What is built does not depend on the order, so calls
 * are run as their inputs appear (each input waits in one bucket: layer, node index).
 * Returns the nodes each layer ends with and the first call that never runs.
 */
function replay(graph: Graph): { nodes: number[]; stuck: Call | null } {
  const nodes = graph.nodes.slice();
  const waiting = new Map<number, Map<number, Call[]>>();
  const ready: Call[] = [];
  for (const call of graph.calls) {
    for (const [layer, node] of call.inputs) {
      if (nodes[layer] > node) continue;
      call.waiting++;
      const buckets = waiting.get(layer) ?? new Map<number, Call[]>();
      waiting.set(layer, buckets);
      const bucket = buckets.get(node);
      if (bucket) bucket.push(call);
      else buckets.set(node, [call]);
    }
    if (call.waiting === 0) ready.push(call);
  }
  let done = 0;
  while (ready.length > 0) {
    const call = ready.pop() as Call;
    done++;
    if (call.inputs.length === 0) continue; // An empty node calls nothing.
    const made = nodes[call.layer]++;
    const woken = waiting.get(call.layer)?.get(made) ?? [];
    for (const other of woken) {
      other.waiting--;
      if (other.waiting === 0) ready.push(other);
    }
  }
  const stuck =
    done === graph.calls.length ? null : (graph.calls.find((c) => c.waiting > 0) ?? null);
  return { nodes, stuck };
}

/** `input_layers` / `output_layers`: [layer, node, tensor] entries naming nodes that exist. */
function checkEnds(config: Map<string, unknown>, key: string, graph: Graph, nodes: number[]) {
  const list = config.get(key);
  const what = `The model's ${snake(key)}`;
  if (!Array.isArray(list)) invalid(`${what} is not a list.`);
  for (const end of list) {
    if (!Array.isArray(end))
      invalid(`${what} holds ${fileText(end)}, not a [layer, node, tensor] entry.`);
    const [from, node, tensor] = end as unknown[];
    const at = typeof from === 'string' ? graph.index.get(from) : undefined;
    if (at === undefined) {
      invalid(`${what} names ${fileText(from, 60)}, which is not a layer of the model.`);
    }
    if (!isIndex(node) || !isIndex(tensor)) {
      invalid(
        `${what} names node ${fileText(node)}, output ${fileText(tensor)} of layer ${fileText(from, 60)}, not whole indices.`,
      );
    }
    if (node >= nodes[at]) {
      invalid(
        `${what} names node ${node} of layer ${fileText(from, 60)}, which the model never builds.`,
      );
    }
  }
}

/**
 * Refuses, in one sentence, a functional model's config (`config` of a Model / Functional)
 * whose wiring tfjs-layers would never finish building, or would fail on: layers without a
 * name or with a name twice, calls naming a layer that is not there, a node that never
 * exists (a layer fed by itself, a cycle, a node index past the inbound layer's calls), and
 * inputs or outputs naming such nodes. `layers` is the config's layer list.
 */
export function checkFunctionalGraph(config: Map<string, unknown>, layers: readonly unknown[]) {
  const graph = readGraph(layers);
  const { nodes, stuck } = replay(graph);
  if (stuck) {
    const name = fileText(graph.names[stuck.layer], 60);
    const [layer, node] = stuck.inputs.find(([l, n]) => nodes[l] <= n) as [number, number];
    if (layer === stuck.layer) invalid(`Layer ${name} takes its own output as its input.`);
    invalid(
      `Layer ${name} takes input from node ${node} of layer ${fileText(graph.names[layer], 60)}, which the model never builds (a cycle, or a layer with no input).`,
    );
  }
  checkEnds(config, 'inputLayers', graph, nodes);
  checkEnds(config, 'outputLayers', graph, nodes);
}

/** tfjs-layers' own test of a layer or weight name (`isValidTensorName`). */
const TENSOR_NAME = /^[A-Za-z0-9][-A-Za-z0-9._/]*$/;

/**
 * A layer or model name tfjs-layers would refuse, refused first: it throws on such a name
 * after creating a layer's initial values, which would then be left behind.
 */
export function checkTensorName(name: unknown): void {
  if (typeof name === 'string' && name !== '' && !TENSOR_NAME.test(name)) {
    throw new ModelFileError(
      'invalid-metadata',
      `The layer name '${fileText(name, 60)}' is not one TensorFlow accepts (a letter or digit, then letters, digits and - . _ /).`,
    );
  }
}
