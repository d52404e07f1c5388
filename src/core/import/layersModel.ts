/**
 * Loads a Keras model converted to the TF.js layers format and describes its inputs and
 * outputs in the terms a recommender import needs: one padded sequence of item ids in
 * (history-in, GRU4Rec/SASRec-style) or an item id and a user id in (ids-in, MF/NCF-style),
 * and where its item (and user) embedding tables are.
 */
import * as tfl from '@tensorflow/tfjs-layers';
import { errorReason, fileText } from '../models/fileText';
import { ModelFileError } from '../models/modelFileError';
import { isRecord } from '../persist/metaChecks';
import * as tf from '../tf';
import { count } from './kerasGraph';
import { checkKerasTopology, manifestSize } from './kerasTopology';
import type { TfjsModelFiles, TfjsWeightSpec } from './modelFiles';

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

type ModelTopology = Parameters<typeof tfl.models.modelFromJSON>[0]['modelTopology'];

type AddWeight = (
  this: tfl.layers.Layer,
  name: string,
  shape: number[],
  ...rest: unknown[]
) => unknown;

/**
 * Runs `build` (tfjs-layers deserialising a model, which builds every layer synchronously)
 * with every variable it creates held to the manifest before it is allocated: no variable may
 * be larger than the manifest's largest weight, nor all of them together hold more than the
 * manifest (strict loading gives each variable one weight of its shape). Variables start as
 * zeros, as tfjs-layers' own `loadLayersModel` does (its fast weight init): the weights
 * overwrite them, and an initializer such as Orthogonal costs minutes on large layers.
 */
function withWeightBudget<T>(specs: readonly TfjsWeightSpec[], build: () => T): T {
  const { total, largest } = manifestSize(specs);
  const proto = tfl.layers.Layer.prototype as unknown as { addWeight: AddWeight };
  const original = proto.addWeight;
  let used = 0;
  proto.addWeight = function (this: tfl.layers.Layer, name, shape, ...rest) {
    const values = Array.isArray(shape)
      ? shape.reduce((n: number, d) => n * Number(d), 1)
      : Number.NaN;
    if (!(values <= largest) || used + values > total) {
      const dims = Array.isArray(shape)
        ? shape
            .slice(0, 8)
            .map((d) => fileText(d))
            .join(', ')
        : '?';
      throw new ModelFileError(
        'shape-mismatch',
        `Layer ${fileText(this.name, 60)} needs a weight of shape [${dims}] (${count(values)} values), which its weights manifest cannot hold (${count(total)} values, ${count(largest)} in its largest weight).`,
      );
    }
    used += values;
    this.setFastWeightInitDuringBuild(true);
    return original.call(this, name, shape, ...rest);
  };
  try {
    return build();
  } finally {
    proto.addWeight = original;
  }
}

/** Disposes what a failed load built: the model if it got one, and every variable it added. */
function freeAfterFailure(model: unknown, before: ReadonlySet<string>): void {
  try {
    (model as { dispose?: () => void } | null)?.dispose?.();
  } catch {
    // A layer or model that was never built cannot be disposed ("Cannot dispose Layer ...
    // because it has not been built yet"): its variables are freed below all the same.
  }
  for (const [name, variable] of Object.entries(tf.engine().registeredVariables)) {
    if (!before.has(name)) variable.dispose();
  }
}

/** TF.js's refusal as one sentence (its own text cut, cleaned and made a clause). */
function refusal(error: unknown): ModelFileError {
  if (error instanceof ModelFileError) return error;
  let why = '';
  try {
    why = String(error instanceof Error ? error.message : error).slice(0, 2000);
  } catch {
    // An error whose text cannot be read is refused as it is below.
  }
  const unknown =
    /Unknown (?:layer|initializer|activation|regularizer|constraint)s?:?\s*([\w.]*\w)/i.exec(why);
  if (unknown) {
    return new ModelFileError(
      'unknown-layer',
      `The model uses ${fileText(unknown[1], 60)}, which TF.js does not know (a custom Keras layer or one without a TF.js kernel): rebuild it from standard layers or convert it as a SavedModel (graph model).`,
    );
  }
  if (/weight|shape|Shape/.test(why)) {
    return new ModelFileError(
      'shape-mismatch',
      `The weights do not fit the model: ${errorReason(error)}.`,
    );
  }
  return new ModelFileError(
    'unsupported-model',
    `TF.js could not build the model: ${errorReason(error)}.`,
  );
}

/**
 * Builds the model from checked files. The topology is checked first (./kerasTopology.ts:
 * nothing it declares may need more parameters than the manifest holds, histories and rows
 * are capped, a functional model's wiring must resolve), so that tfjs-layers never starts on
 * a model that would hang or exhaust memory. An unknown layer (a custom Keras layer, or one
 * TF.js has no kernel for) and any other refusal of tfjs-layers becomes one sentence, and
 * whatever was built is freed.
 */
export async function loadLayersModel(files: TfjsModelFiles): Promise<tfl.LayersModel> {
  if (files.format !== 'layers-model') {
    throw new ModelFileError('unsupported-model', 'This is not a Keras (layers-model) file.');
  }
  // Keras' `to_json` wraps the model in `model_config` (old converters kept the wrapper);
  // tfjs-layers unwraps it whenever it is there, and so does the check.
  const topology = files.modelTopology;
  const config = topology.model_config ?? topology;
  if (!isRecord(config)) {
    throw new ModelFileError(
      'unsupported-model',
      "The model's topology has a model_config that is not a Keras model.",
    );
  }
  checkKerasTopology(config, files.weightSpecs);
  // tfjs-layers builds layers (their variables) before it meets one it cannot build, and
  // leaves those behind when it throws: the variables it added are freed here. The weights are
  // decoded here too (quantised ones dequantised), so they are freed whatever happens.
  const before = new Set(Object.keys(tf.engine().registeredVariables));
  let model: unknown = null;
  let decoded: tf.NamedTensorMap = {};
  try {
    // modelFromJSON builds every layer before its first await (it awaits only to fetch weights,
    // which are not given here), so the budget covers the whole build. It is given the checked
    // config wrapped once more, so that it unwraps exactly that.
    const modelTopology = { model_config: config } as unknown as ModelTopology;
    const building = withWeightBudget(files.weightSpecs, () =>
      tfl.models.modelFromJSON({ modelTopology }),
    );
    model = await building;
    if (!(model instanceof tfl.LayersModel)) {
      throw new ModelFileError(
        'unsupported-model',
        "The model's topology did not build a Keras model (Sequential or functional).",
      );
    }
    decoded = tf.io.decodeWeights(
      files.weightData,
      files.weightSpecs as tf.io.WeightsManifestEntry[],
    );
    model.loadWeights(decoded, true);
    return model;
  } catch (error) {
    freeAfterFailure(model, before);
    throw refusal(error);
  } finally {
    tf.dispose(Object.values(decoded));
  }
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
