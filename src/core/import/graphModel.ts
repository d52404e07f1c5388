/**
 * What a TF.js graph model (from a SavedModel) says about itself, checked before and after
 * TF.js builds it: every constant has its weight, and the inputs and output in the terms a
 * recommender import needs (a graph has no layers: its vocabulary is its output's width).
 */
import type { GraphModel } from '@tensorflow/tfjs-converter';
import { ModelFileError } from '../models/modelFileError';
import * as tf from '../tf';
import type { LayersModelShape } from './layersModel';
import type { TfjsModelFiles } from './modelFiles';

export function describeGraphModel(graph: GraphModel): LayersModelShape {
  if (graph.outputs.length !== 1) {
    throw new ModelFileError(
      'unsupported-model',
      `The graph model has ${graph.outputs.length} outputs; a recommender import needs one (scores over items).`,
    );
  }
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
      const why = error instanceof Error ? error.message : String(error);
      throw new ModelFileError(
        'unsupported-model',
        `The graph model fails on a padded history: ${why}`,
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
