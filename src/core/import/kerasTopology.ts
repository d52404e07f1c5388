/**
 * Checks of a Keras (TF.js layers-model) topology before tfjs-layers builds it. tfjs-layers
 * creates and initialises every variable a config declares, and wires a functional model in
 * a loop, before any weight is compared with the model: a config declaring a GRU of 1,000
 * units spent 170 s in the orthogonal initializer, an Embedding of 6e7 ids 1.9 GB, a history of
 * 2^31 steps ran the import's probe out of memory, and an inbound node naming a missing layer
 * never returned. What these checks refuse, TF.js could not have loaded:
 *
 * - **Parameters.** Loading is strict: every variable of the model takes exactly one weight of
 *   the manifest, of its shape (the manifest is checked against the shard bytes already). So
 *   the parameters a layer's declared sizes imply (an Embedding's `input_dim × output_dim`, a
 *   GRU's `3·units² + ...`, counting inputs of unknown width as 1) cannot add up to more than
 *   the manifest holds. While tfjs-layers builds, `withWeightBudget` (./layersModel.ts) holds
 *   every variable to the same rule, shapes inferred from inputs included, before it exists.
 * - **Run time.** A history is at most {@link MAX_HISTORY} steps (the mapping sidecar's cap on
 *   `maxLen`), one input row at most {@link MAX_ROW_ELEMENTS} values, and the layers that grow
 *   their input as it runs (RepeatVector, UpSampling, padding) grow it at most
 *   {@link MAX_HISTORY} times over in all.
 * - **Form.** The top class is a model, sizes are whole numbers, nesting is bounded, and a
 *   functional model's wiring resolves (./kerasGraph.ts).
 *
 * Every check runs in time linear in the topology, with explicit stacks (a value nested
 * thousands deep overflows nothing here), and refuses with one {@link ModelFileError} sentence.
 */
import { fileText } from '../models/fileText';
import { ModelFileError } from '../models/modelFileError';
import {
  checkFunctionalGraph,
  checkTensorName,
  classOf,
  count,
  fields,
  forgetFields,
  invalid,
  MODEL_CLASSES,
  shown,
  snake,
} from './kerasGraph';
import { MAX_HISTORY } from './mapping';
import type { TfjsWeightSpec } from './modelFiles';

export { MAX_HISTORY };

/** The most values one input row (or one reshaped row) may hold: 64 MiB of float32. */
export const MAX_ROW_ELEMENTS = 2 ** 24;

/** Deeper than this, a topology is no Keras model (tfjs-layers itself recurses through it). */
export const MAX_DEPTH = 100;

function tooLarge(message: string): never {
  throw new ModelFileError('too-large', message);
}

const elements = (shape: readonly number[]) => shape.reduce((n, d) => n * d, 1);

/** Refuses a value nested deeper than {@link MAX_DEPTH}, without recursing. */
function checkDepth(root: unknown): void {
  const stack: [unknown, number][] = [[root, 0]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop() as [unknown, number];
    if (value === null || typeof value !== 'object') continue;
    if (depth >= MAX_DEPTH) {
      invalid(
        `The model's topology is nested more than ${MAX_DEPTH} levels deep, which no Keras model is.`,
      );
    }
    const children = Array.isArray(value) ? value : Object.values(value as object);
    for (const child of children) stack.push([child, depth + 1]);
  }
}

/** One layer config being checked: its class, fields and name (from the file). */
interface Layer {
  cls: string;
  c: Map<string, unknown>;
  name: unknown;
}

/** "Layer gru" or "A Dense layer", for messages (made only for one). */
function labelOf({ cls, name }: { cls: string; name: unknown }): string {
  return typeof name === 'string' && name !== ''
    ? `Layer ${fileText(name, 60)}`
    : `A ${fileText(cls, 40) || 'nameless'} layer`;
}

/** What the walk adds up over the whole model. */
interface Totals {
  parameters: number;
  heaviest: { layer: Layer | null; parameters: number };
  /** How many times over the growing layers enlarge their input, all together. */
  growth: number;
}

/** A size field: null when absent, else a whole number (refused otherwise). */
function size(layer: Layer, key: string): number | null {
  const v = layer.c.get(key);
  if (v === undefined || v === null) return null;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) {
    invalid(`${labelOf(layer)} declares ${snake(key)} ${shown(v)}, not a whole number.`);
  }
  return v;
}

/**
 * A size given as a number or a (nested) list of numbers, flattened in order; null when absent.
 * `v` is the field's value, or what to read in its place.
 */
function sizes(layer: Layer, key: string, v = layer.c.get(key)): number[] | null {
  if (v === undefined || v === null) return null;
  const out: number[] = [];
  const stack: unknown[] = [v];
  while (stack.length > 0) {
    const item = stack.pop();
    if (Array.isArray(item) && item.length <= 8) stack.push(...[...item].reverse());
    else if (typeof item === 'number' && Number.isInteger(item) && item >= 0) out.push(item);
    else invalid(`${labelOf(layer)} declares ${snake(key)} ${shown(v)}, not whole numbers.`);
  }
  return out;
}

/** Refuses any of `values` (from `key`) above `limit`. */
function atMost(layer: Layer, key: string, values: readonly number[] | null, limit: number) {
  for (const v of values ?? []) {
    if (v > limit) {
      tooLarge(
        `${labelOf(layer)} declares ${snake(key)} ${count(v)}, above the ${count(limit)} Interest Lens allows.`,
      );
    }
  }
}

/** A kernel's size: `kernel_size` as one number per axis, or a list. */
function kernel(layer: Layer, rank: number): number {
  const k = sizes(layer, 'kernelSize');
  atMost(layer, 'kernelSize', k, MAX_HISTORY);
  if (!k) return 1;
  return k.length === 1 ? k[0] ** rank : elements(k);
}

/** The rank (1, 2 or 3) a class name ends with (`UpSampling2D`), else 1. */
const rankOf = (cls: string) => Number(/([123])D(?:Transpose)?$/.exec(cls)?.[1] ?? 1);

const CONVOLUTIONS = new Set(['Conv1D', 'Conv2D', 'Conv2DTranspose', 'Conv3D', 'Conv3DTranspose']);

/**
 * The fewest parameters `layer`'s variables can hold, from its declared sizes, with every
 * width it infers from its input taken as 1 (the exact shapes are held to the manifest while
 * tfjs-layers builds, see `withWeightBudget` in ./layersModel.ts).
 */
function parameterFloor(layer: Layer): number {
  const { cls, c } = layer;
  const bias = c.get('useBias') !== false ? 1 : 0;
  const units = size(layer, 'units') ?? 0;
  const filters = size(layer, 'filters') ?? 0;
  switch (cls) {
    case 'Dense':
      return units * (1 + bias);
    case 'Embedding':
      return (size(layer, 'inputDim') ?? 0) * (size(layer, 'outputDim') ?? 0);
    case 'SimpleRNN':
    case 'SimpleRNNCell':
      return units * units + units * (1 + bias);
    case 'GRU':
    case 'GRUCell':
      return 3 * (units * units + units * (1 + bias));
    case 'LSTM':
    case 'LSTMCell':
      return 4 * (units * units + units * (1 + bias));
    case 'ConvLSTM2D':
    case 'ConvLSTM2DCell':
      return 4 * filters * (kernel(layer, 2) * (1 + filters) + bias);
    case 'SeparableConv2D': {
      const depth = size(layer, 'depthMultiplier') ?? 1;
      return kernel(layer, 2) * depth + depth * filters + bias * filters;
    }
    case 'DepthwiseConv2D': {
      const depth = size(layer, 'depthMultiplier') ?? 1;
      return (kernel(layer, 2) + bias) * depth;
    }
    case 'MultiHeadAttention': {
      const heads = size(layer, 'numHeads') ?? 0;
      const key = size(layer, 'keyDim') ?? 0;
      const value = size(layer, 'valueDim') ?? key;
      return 2 * heads * (key + value);
    }
    case 'PositionEmbedding':
      return size(layer, 'sequenceLength') ?? 0;
    default:
      return CONVOLUTIONS.has(cls) ? filters * (kernel(layer, rankOf(cls)) + bias) : 0;
  }
}

/** An input shape's dims, each null or a whole number (refused otherwise). */
function dims(layer: Layer, key: string): (number | null)[] | null {
  const v = layer.c.get(key);
  if (v === undefined || v === null) return null;
  if (
    !Array.isArray(v) ||
    v.length > 8 ||
    !v.every((d) => d === null || (typeof d === 'number' && Number.isInteger(d) && d >= 0))
  ) {
    invalid(`${labelOf(layer)} declares ${snake(key)} ${shown(v)}, not a list of whole sizes.`);
  }
  return v as (number | null)[];
}

/** The history a layer's declared input implies stays within {@link MAX_HISTORY} steps. */
function checkHistory(layer: Layer, steps: number | null | undefined): void {
  if (typeof steps === 'number' && steps > MAX_HISTORY) {
    tooLarge(
      `${labelOf(layer)} reads inputs of ${count(steps)} steps; Interest Lens runs a model over histories of at most ${count(MAX_HISTORY)} items.`,
    );
  }
}

/** Declared input shapes: a history length and one row's values, within the caps. */
function checkInputShapes(layer: Layer): void {
  // An Embedding's `input_length` is its input shape when nothing else declares one.
  const lengths = sizes(layer, 'inputLength');
  for (const key of ['batchInputShape', 'batchShape', 'inputShape', 'inputLength']) {
    const shape = key === 'inputLength' ? lengths : dims(layer, key);
    if (!shape) continue;
    const perRow = key === 'inputShape' || key === 'inputLength' ? shape : shape.slice(1);
    checkHistory(layer, perRow[0]);
    const values = elements(shape.map((d) => d ?? 1));
    if (values > MAX_ROW_ELEMENTS) {
      tooLarge(
        `${labelOf(layer)} declares an input of ${count(values)} values, above the ${count(MAX_ROW_ELEMENTS)} Interest Lens allows.`,
      );
    }
  }
}

/** A per-axis size given as one number (the same on every axis) or a list, product of `f`. */
function perAxis(values: readonly number[], rank: number, f: (v: number) => number): number {
  return values.length === 1 ? f(values[0]) ** rank : values.reduce((n, v) => n * f(v), 1);
}

/**
 * How many times larger than its input a layer makes its output, at most, by its config:
 * RepeatVector `n`, UpSampling `size`, a transposed convolution's `strides`, and padding (a
 * length L ≥ 1 padded by a and b is at most L × (1 + 2a)(1 + 2b)).
 */
function growth(layer: Layer): number {
  const { cls } = layer;
  const rank = rankOf(cls);
  if (cls === 'RepeatVector') return size(layer, 'n') ?? 1;
  if (/^UpSampling[123]D$/.test(cls)) return perAxis(sizes(layer, 'size') ?? [2], rank, (v) => v);
  if (/^ZeroPadding[123]D$/.test(cls)) {
    return perAxis(sizes(layer, 'padding') ?? [1], rank, (v) => 1 + 2 * v);
  }
  if (/Transpose$/.test(cls)) return perAxis(sizes(layer, 'strides') ?? [1], rank, (v) => v);
  return 1;
}

/** Sizes of layers that allocate as they run (no weights to hold them to). */
function checkRunTime(layer: Layer, totals: Totals): void {
  const { cls } = layer;
  totals.growth *= growth(layer);
  if (totals.growth > MAX_HISTORY) {
    tooLarge(
      `${labelOf(layer)} makes the model's layers repeat, upsample or pad their input ${count(totals.growth)} times over, above the ${count(MAX_HISTORY)} Interest Lens allows.`,
    );
  }
  for (const key of ['strides', 'dilationRate', 'poolSize', 'cropping', 'sequenceLength']) {
    atMost(layer, key, sizes(layer, key), MAX_HISTORY);
  }
  atMost(layer, 'numTokens', sizes(layer, 'numTokens'), MAX_ROW_ELEMENTS);
  let shape: number[] | null = null;
  if (cls === 'Reshape') {
    // One axis may be -1 (inferred from the input, which is itself within the caps).
    const target = layer.c.get('targetShape');
    const known = Array.isArray(target) ? target.map((d) => (d === -1 ? 1 : d)) : target;
    shape = sizes(layer, 'targetShape', known);
  }
  if (cls === 'Resizing' || cls === 'CenterCrop') {
    shape = [size(layer, 'height') ?? 1, size(layer, 'width') ?? 1];
  }
  if (shape && elements(shape) > MAX_ROW_ELEMENTS) {
    tooLarge(
      `${labelOf(layer)} makes rows of ${count(elements(shape))} values, above the ${count(MAX_ROW_ELEMENTS)} Interest Lens allows.`,
    );
  }
}

/** The layer configs a layer holds: a wrapper's layer, an RNN's cells. */
function innerLayers(layer: Layer): { entries: unknown[]; times: number } {
  const { cls, c } = layer;
  if (cls === 'Bidirectional') return { entries: [c.get('layer')], times: 2 };
  if (cls === 'TimeDistributed') return { entries: [c.get('layer')], times: 1 };
  if (cls === 'RNN') {
    const cell = c.get('cell');
    return { entries: Array.isArray(cell) ? cell : [cell], times: 1 };
  }
  if (cls === 'StackedRNNCells') {
    const cells = c.get('cells');
    return { entries: Array.isArray(cells) ? cells : [], times: 1 };
  }
  return { entries: [], times: 1 };
}

/** The layer list of a model entry; a functional model's wiring is checked on the way. */
function modelLayers(cls: string, config: unknown): unknown[] {
  const c = fields(config);
  const layers = Array.isArray(config) && cls === 'Sequential' ? config : c?.get('layers');
  if (!Array.isArray(layers)) invalid("The model's config has no list of layers.");
  if (cls !== 'Sequential' && c) checkFunctionalGraph(c, layers);
  return layers;
}

/** The number of values the manifest's weights hold, and its largest weight's. */
export function manifestSize(specs: readonly TfjsWeightSpec[]): { total: number; largest: number } {
  let total = 0;
  let largest = 0;
  for (const spec of specs) {
    const n = elements(spec.shape);
    total += n;
    largest = Math.max(largest, n);
  }
  return { total, largest };
}

const atLeast = (n: number) => (Number.isFinite(n) ? `at least ${count(n)}` : count(n));

/**
 * Refuses, in one sentence, a Keras model config (what `modelFromJSON` is given: the
 * `model_config`, or the topology itself) that tfjs-layers would hang on, run out of memory
 * with, or could not load with the manifest's weights; see the module comment.
 */
export function checkKerasTopology(
  model: Record<string, unknown>,
  specs: readonly TfjsWeightSpec[],
): void {
  checkDepth(model);
  forgetFields();
  const top = fields(model) as Map<string, unknown>;
  const cls = classOf(top);
  if (!MODEL_CLASSES.has(cls)) {
    throw new ModelFileError(
      'unsupported-model',
      cls === ''
        ? "The model's topology names no model class (Sequential or Functional)."
        : `The model's topology is a single ${fileText(cls, 60)} layer, not a Sequential or functional model.`,
    );
  }
  const totals: Totals = { parameters: 0, heaviest: { layer: null, parameters: 0 }, growth: 1 };
  const stack: { entry: unknown; times: number }[] = [{ entry: model, times: 1 }];
  while (stack.length > 0) {
    const { entry, times } = stack.pop() as { entry: unknown; times: number };
    const f = fields(entry);
    if (!f) continue; // tfjs-layers refuses it with its own message.
    const cls = classOf(f);
    checkTensorName(f.get('name'));
    checkTensorName(fields(f.get('config'))?.get('name'));
    if (MODEL_CLASSES.has(cls)) {
      for (const layer of modelLayers(cls, f.get('config'))) stack.push({ entry: layer, times });
      continue;
    }
    const c = fields(f.get('config'));
    if (!c) continue;
    const layer: Layer = { cls, c, name: f.get('name') ?? c.get('name') };
    for (const key of [
      'units',
      'filters',
      'inputDim',
      'outputDim',
      'numHeads',
      'keyDim',
      'valueDim',
    ]) {
      size(layer, key);
    }
    checkInputShapes(layer);
    checkRunTime(layer, totals);
    const floor = parameterFloor(layer) * times;
    totals.parameters += floor;
    if (floor > totals.heaviest.parameters) totals.heaviest = { layer, parameters: floor };
    const inner = innerLayers(layer);
    for (const e of inner.entries) stack.push({ entry: e, times: times * inner.times });
  }
  const held = manifestSize(specs).total;
  if (totals.parameters > held) {
    const { layer, parameters } = totals.heaviest;
    const label = labelOf(layer as Layer).replace(/^./, (c) => c.toLowerCase());
    throw new ModelFileError(
      'shape-mismatch',
      `The model's layers need ${atLeast(totals.parameters)} parameters (${label} alone ${atLeast(parameters)}), but its weights manifest holds ${count(held)}: its sizes do not match its weights.`,
    );
  }
}
