/**
 * Loads a Keras model converted to the TF.js layers format and describes its inputs and
 * outputs in the terms a recommender import needs: one padded sequence of item ids in
 * (history-in, GRU4Rec/SASRec-style) or an item id and a user id in (ids-in, MF/NCF-style),
 * and where its item (and user) embedding tables are.
 */
import * as tfl from '@tensorflow/tfjs-layers';
import { ModelFileError } from '../models/modelFileError';
import * as tf from '../tf';
import type { TfjsModelFiles } from './modelFiles';

/** One input of the model as Keras declares it. */
export interface ModelInput {
  name: string;
  /** Declared shape without the batch axis (null = any length). */
  shape: (number | null)[];
  /** The Embedding layer that reads this input directly, if any. */
  embedding: { layer: string; inputDim: number; outputDim: number; maskZero: boolean } | null;
}

/** What the import needs to know about a loaded Keras model. */
export interface LayersModelShape {
  inputs: ModelInput[];
  /** Output shape without the batch axis. */
  output: (number | null)[];
  layerCount: number;
  parameters: number;
}

function kerasMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Builds the model from checked files. An unknown layer (a custom Keras layer, or one TF.js
 * has no kernel for) and any other refusal of tfjs-layers becomes one sentence.
 */
export async function loadLayersModel(files: TfjsModelFiles): Promise<tfl.LayersModel> {
  if (files.format !== 'layers-model') {
    throw new ModelFileError('unsupported-model', 'This is not a Keras (layers-model) file.');
  }
  // tfjs-layers builds layers (their variables) before it meets one it cannot build, and
  // leaves those behind when it throws: the variables it added are freed here. The weights are
  // decoded here too (quantised ones dequantised), so they are freed whatever happens.
  const engine = tf.engine();
  const before = new Set(Object.keys(engine.registeredVariables));
  let model: tfl.LayersModel | null = null;
  let decoded: tf.NamedTensorMap = {};
  try {
    const topology = files.modelTopology;
    const config = isModelConfig(topology.model_config) ? topology.model_config : topology;
    model = await tfl.models.modelFromJSON({
      modelTopology: config as Parameters<typeof tfl.models.modelFromJSON>[0]['modelTopology'],
    });
    decoded = tf.io.decodeWeights(
      files.weightData,
      files.weightSpecs as tf.io.WeightsManifestEntry[],
    );
    model.loadWeights(decoded, true);
    return model;
  } catch (error) {
    model?.dispose();
    for (const [name, variable] of Object.entries(engine.registeredVariables)) {
      if (!before.has(name)) variable.dispose();
    }
    const why = kerasMessage(error);
    const unknown =
      /Unknown (?:layer|initializer|activation|regularizer|constraint)s?:?\s*([\w.]*\w)/i.exec(why);
    if (unknown) {
      throw new ModelFileError(
        'unknown-layer',
        `The model uses ${unknown[1]}, which TF.js does not know (a custom Keras layer or one without a TF.js kernel): rebuild it from standard layers or convert it as a SavedModel (graph model).`,
      );
    }
    if (/weight|shape|Shape/.test(why)) {
      throw new ModelFileError('shape-mismatch', `The weights do not fit the model: ${why}`);
    }
    throw new ModelFileError('unsupported-model', `TF.js could not build the model: ${why}`);
  } finally {
    tf.dispose(Object.values(decoded));
  }
}

/** Keras' `to_json` wraps the model in `model_config` (old converters kept the wrapper). */
function isModelConfig(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && 'class_name' in value;
}

interface EmbeddingConfig {
  inputDim: number;
  outputDim: number;
  maskZero: boolean;
}

function embeddingConfig(layer: tfl.layers.Layer): EmbeddingConfig | null {
  if (layer.getClassName() !== 'Embedding') return null;
  const config = layer.getConfig() as Record<string, unknown>;
  return {
    inputDim: Number(config.inputDim),
    outputDim: Number(config.outputDim),
    maskZero: config.maskZero === true,
  };
}

/** The Embedding layer fed directly by model input `i` (through no other layer), if any. */
function embeddingOfInput(model: tfl.LayersModel, i: number): tfl.layers.Layer | null {
  const input = model.inputs[i];
  for (const layer of model.layers) {
    if (layer.getClassName() !== 'Embedding') continue;
    for (const node of layer.inboundNodes) {
      if (node.inputTensors.some((t) => t.id === input.id)) return layer;
    }
  }
  // A Sequential model's first layer reads the (hidden) input layer's output.
  const first = model.layers[0];
  if (model.inputs.length === 1 && first && first.getClassName() === 'Embedding') return first;
  return null;
}

/** Inputs, output and embedding tables of a loaded model. */
export function describeLayersModel(model: tfl.LayersModel): LayersModelShape {
  if (model.outputs.length !== 1) {
    throw new ModelFileError(
      'unsupported-model',
      `The model has ${model.outputs.length} outputs; a recommender import needs one (scores over items, or one score per pair).`,
    );
  }
  const inputs = model.inputs.map((input, i): ModelInput => {
    const layer = embeddingOfInput(model, i);
    const config = layer ? embeddingConfig(layer) : null;
    return {
      // The input layer's name (`user_id`), not its tensor's (`user_id_1`).
      name: model.inputNames[i] ?? input.name,
      shape: input.shape.slice(1),
      embedding: layer && config ? { layer: layer.name, ...config } : null,
    };
  });
  return {
    inputs,
    output: model.outputs[0].shape.slice(1),
    layerCount: model.layers.length,
    parameters: model.countParams(),
  };
}

/**
 * The model from its embedding output onward, as a function of the embedded history, for
 * gradient explanations: possible when the model is a chain (every layer after the item
 * Embedding takes the previous one's output), which Sequential GRU4Rec/SASRec-style models
 * are. Returns null for other topologies (then the model is explained as a black box).
 */
export function layerChainAfter(
  model: tfl.LayersModel,
  embeddingLayer: string,
): tfl.layers.Layer[] | null {
  const layers = model.layers.filter((l) => l.getClassName() !== 'InputLayer');
  const at = layers.findIndex((l) => l.name === embeddingLayer);
  if (at < 0) return null;
  const chain = layers.slice(at + 1);
  for (let k = 0; k < chain.length; k++) {
    const previous = k === 0 ? layers[at] : chain[k - 1];
    const nodes = chain[k].inboundNodes;
    if (nodes.length !== 1) return null;
    const inbound = nodes[0].inboundLayers;
    if (inbound.length !== 1 || inbound[0] !== previous) return null;
  }
  return chain;
}
