/**
 * What a TF.js graph model (from a SavedModel) says about itself, checked before and after
 * TF.js builds it: every constant has its weight, and the inputs and output in the terms a
 * recommender import needs (a graph has no layers: its vocabulary is its output's width).
 */
import { type GraphModel, loadGraphModelSync } from '@tensorflow/tfjs-converter';
import { errorReason, fileText } from '../models/fileText';
import { ModelFileError } from '../models/modelFileError';
import * as tf from '../tf';
import { MAX_HISTORY, MAX_ROW_ELEMENTS } from './kerasTopology';
import type { LayersModelShape } from './layersModel';
import type { TfjsModelFiles } from './modelFiles';

/**
 * A graph input's declared row stays within what a history import runs: at most
 * {@link MAX_HISTORY} steps (the mapping's cap on `maxLen`) and {@link MAX_ROW_ELEMENTS} values,
 * checked before the probe allocates a padded row of that shape.
 */
function checkGraphInput(name: string, shape: readonly number[]): void {
  const row = shape.slice(1).map((d) => (d < 0 ? 1 : d));
  const steps = row[0] ?? 1;
  const values = row.reduce((n, d) => n * d, 1);
  if (steps > MAX_HISTORY || values > MAX_ROW_ELEMENTS) {
    throw new ModelFileError(
      'too-large',
      `The graph model's input ${fileText(name)} reads rows of ${row.slice(0, 4).join(' x ')}${row.length > 4 ? ' x ...' : ''} values; Interest Lens runs a model over histories of at most ${MAX_HISTORY.toLocaleString('en-US')} items.`,
    );
  }
}

export function describeGraphModel(graph: GraphModel): LayersModelShape {
  if (graph.outputs.length !== 1) {
    throw new ModelFileError(
      'unsupported-model',
      `The graph model has ${graph.outputs.length} outputs; a recommender import needs one (scores over items).`,
    );
  }
  for (const entry of graph.inputs) checkGraphInput(entry.name, entry.shape ?? []);
  let output = (graph.outputs[0].shape ?? []).slice(1).map((d) => (d < 0 ? null : d));
  const input = graph.inputs[0];
  if (output.length === 0 && graph.inputs.length === 1 && input?.shape) {
    // The graph does not say its output's shape: one padded row of a probe says it.
    const shape = input.shape.map((d) => (d < 0 ? 1 : d));
    const dtype = input.dtype === 'int32' ? 'int32' : 'float32';
    try {
      output = tf.tidy(() => {
        const out = graph.execute({ [input.name]: tf.zeros(shape, dtype) }) as tf.Tensor;
        return out.shape.slice(1);
      });
    } catch (error) {
      throw new ModelFileError(
        'unsupported-model',
        `The graph model fails on a padded history: ${errorReason(error)}.`,
      );
    }
  }
  const columns = output.length === 1 ? output[0] : null;
  return {
    inputs: graph.inputs.map((input) => ({
      name: input.name,
      shape: (input.shape ?? []).slice(1).map((d) => (d < 0 ? null : d)),
      // A graph has no layers: its vocabulary is its output's width.
      embedding:
        columns !== null ? { layer: '', inputDim: columns, outputDim: 0, maskZero: false } : null,
    })),
    output,
    layerCount: graph.inputs.length,
    parameters: Object.values(graph.weights).reduce(
      (n, ts) => n + ts.reduce((m, t) => m + t.size, 0),
      0,
    ),
  };
}

/**
 * Every constant of a graph must have its weight in the manifest: TF.js decodes the weights
 * before it finds one missing and then leaves them behind, so this is checked first.
 */
export function checkGraphWeights(files: TfjsModelFiles): void {
  const nodes = files.modelTopology.node;
  if (!Array.isArray(nodes)) return;
  const weights = new Set(files.weightSpecs.map((w) => w.name));
  for (const node of nodes) {
    if (typeof node !== 'object' || node === null) continue;
    const { op, name } = node as { op?: unknown; name?: unknown };
    if (op === 'Const' && typeof name === 'string' && !weights.has(name)) {
      throw new ModelFileError(
        'shape-mismatch',
        `The graph's constant ${name} has no weight in the manifest: the weights belong to another model.`,
      );
    }
  }
}

/** Deepest a graph model's JSON nests (a GraphDef, function library included, nests ~20). */
const MAX_GRAPH_DEPTH = 100;

/** Depth of `root`'s nesting, walked without recursion; stops once past `limit`. */
function nesting(root: unknown, limit: number): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[root, 0]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop() as [unknown, number];
    if (value === null || typeof value !== 'object') continue;
    deepest = Math.max(deepest, depth + 1);
    if (deepest > limit) return deepest;
    for (const child of Object.values(value)) stack.push([child, depth + 1]);
  }
  return deepest;
}

/**
 * Refuses a graph whose JSON nests deeper than any GraphDef does. TF.js reads attributes as
 * it finds them: a list nested thousands deep where a flag belongs overflows the stack while
 * the graph is built or, worse, inside a kernel that has already allocated its output, which
 * then stays allocated for good.
 */
export function checkGraphNesting(files: TfjsModelFiles): void {
  const nodes = Array.isArray(files.modelTopology.node) ? files.modelTopology.node : [];
  nodes.forEach((node, k) => {
    if (nesting(node, MAX_GRAPH_DEPTH) > MAX_GRAPH_DEPTH) {
      const name = (node as { name?: unknown }).name;
      const which = typeof name === 'string' && name !== '' ? fileText(name, 60) : `${k + 1}`;
      throw new ModelFileError(
        'unsupported-model',
        `The graph's node ${which} nests its JSON more than ${MAX_GRAPH_DEPTH} levels deep, which no TF.js graph model does.`,
      );
    }
  });
  if (nesting(files.modelTopology, MAX_GRAPH_DEPTH + 1) > MAX_GRAPH_DEPTH + 1) {
    throw new ModelFileError(
      'unsupported-model',
      `The graph model nests its JSON more than ${MAX_GRAPH_DEPTH} levels deep, which no TF.js graph model does.`,
    );
  }
}

/**
 * Builds the graph model from checked files. tfjs-converter decodes the weights before it
 * builds the graph and frees nothing when building throws (a node attribute nested thousands
 * deep overflows the stack, an op it does not know), so the build runs synchronously in a
 * scope that keeps only the built model's weights: a refusal leaves no tensor behind.
 */
export function buildGraphModel(files: TfjsModelFiles): GraphModel {
  // The model's handler type (sync) only matters to `save`, which the import never calls.
  let graph: GraphModel<tf.io.IOHandlerSync> | null = null;
  try {
    tf.tidy(() => {
      graph = loadGraphModelSync({
        modelTopology: files.modelTopology,
        weightSpecs: files.weightSpecs as tf.io.WeightsManifestEntry[],
        weightData: files.weightData,
      });
      return Object.values(graph.weights).flat();
    });
  } catch (error) {
    throw new ModelFileError(
      'unsupported-model',
      `TF.js could not build the graph model: ${errorReason(error)}.`,
    );
  }
  return graph as unknown as GraphModel;
}
