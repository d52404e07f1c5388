/**
 * Keras (layers-model) and TF.js graph models as recommenders over the loaded dataset: load the
 * checked files, propose or apply the id mapping, and wrap the model so that every part of
 * Interest Lens (top-K, the evaluation protocol, explanations, comparison, saving) uses it like
 * a model trained here.
 */
import type { GraphModel } from '@tensorflow/tfjs-converter';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { Dataset } from '../data/types';
import { ModelFileError } from '../models/modelFileError';
import type { TrainedRecommender, WeightArray } from '../models/trained';
import * as tf from '../tf';
import { neuralRecommender } from '../train/neuralVariant';
import {
  buildGraphModel,
  checkGraphNesting,
  checkGraphWeights,
  describeGraphModel,
} from './graphModel';
import { type GradientPath, historyRecommender, probeHistoryModel } from './historyModel';
import { idsRecommender } from './idsModel';
import { embeddingWeights, itemTableOf } from './itemTable';
import {
  describeLayersModel,
  type LayersModelShape,
  layerChainAfter,
  loadLayersModel,
} from './layersModel';
import {
  checkCoverage,
  type HistoryMapping,
  type MappingProposal,
  type ModelMapping,
  proposeMapping,
  resolveIds,
} from './mapping';
import type { TfjsModelFiles } from './modelFiles';
import type { ImportedModelInfo, TfjsArtifacts } from './types';
import { checkWeights } from './weightCheck';

/** A loaded TF.js model before it is mapped onto data. */
export interface LoadedTfjsModel {
  kind: 'keras' | 'graph';
  shape: LayersModelShape;
  source: string;
  artifacts: TfjsArtifacts;
  layers: tfl.LayersModel | null;
  graph: GraphModel | null;
  dispose(): void;
}

/** Relative gap below which the gradient path counts as the model's own forward pass. */
const PATH_TOLERANCE = 1e-4;

/**
 * Builds a model from checked files (weights decoded, quantisation undone by TF.js). Weights
 * TF.js cannot decode or that are NaN or infinite are refused first; a refusal leaves no
 * tensor behind.
 */
export async function loadTfjsModel(files: TfjsModelFiles): Promise<LoadedTfjsModel> {
  const artifacts: TfjsArtifacts = {
    format: files.format,
    modelTopology: files.modelTopology,
    weightSpecs: files.weightSpecs,
    weightData: files.weightData,
  };
  if (files.format === 'layers-model') {
    checkWeights(files);
    const layers = await loadLayersModel(files);
    try {
      return {
        kind: 'keras',
        shape: describeLayersModel(layers),
        source: files.source,
        artifacts,
        layers,
        graph: null,
        dispose: () => layers.dispose(),
      };
    } catch (error) {
      layers.dispose();
      throw error;
    }
  }
  checkGraphWeights(files);
  checkGraphNesting(files);
  checkWeights(files);
  const graph = buildGraphModel(files);
  try {
    return {
      kind: 'graph',
      shape: describeGraphModel(graph),
      source: files.source,
      artifacts,
      layers: null,
      graph,
      dispose: () => graph.dispose(),
    };
  } catch (error) {
    graph.dispose();
    throw error;
  }
}

/** The model's proposal for `dataset` (see `proposeMapping`). */
export function proposeFor(loaded: LoadedTfjsModel, dataset: Dataset): MappingProposal {
  const proposal = proposeMapping(loaded.shape, dataset.itemIds, dataset.userIds);
  if (loaded.kind === 'graph') {
    proposal.notes.push(
      'A graph model does not say whether its output has a column for the padding id: column c is taken to score model id c; choose "k − 1" if id 0 is padding without a column.',
    );
  }
  if (loaded.kind === 'graph' && proposal.mapping.kind === 'ids') {
    throw new ModelFileError(
      'unsupported-model',
      'A graph model with two inputs cannot be told apart from its layers; convert the Keras model as a layers model to import an ids-in model.',
    );
  }
  return proposal;
}

/** The Keras gradient path of a history model, if its embedding and chain reproduce it. */
function gradientPath(layers: tfl.LayersModel, shape: LayersModelShape): GradientPath | null {
  const embedding = shape.inputs[0]?.embedding;
  if (!embedding) return null;
  const chain = layerChainAfter(layers, embedding.layer);
  if (!chain) return null;
  const layer = layers.getLayer(embedding.layer);
  return { embedding: layer, chain, maskZero: embedding.maskZero, dim: embedding.outputDim };
}

/** Keras inputs default to float32; ids are cast to what the model declares. */
function castTo(ids: tf.Tensor2D, dtype: string | undefined): tf.Tensor2D {
  return dtype === 'int32' || dtype === undefined ? ids : (tf.cast(ids, 'float32') as tf.Tensor2D);
}

/** Checks that the gradient path scores like the model (a probe batch of real histories). */
function pathMatches(model: TrainedRecommender, dataset: Dataset): boolean {
  const neural = model.neural;
  if (!neural) return false;
  const rows = Math.min(8, dataset.userIds.length);
  if (rows === 0) return true;
  const tokens = new Int32Array(rows * neural.maxLen);
  for (let u = 0; u < rows; u++) {
    const start = dataset.userOffsets[u];
    const end = Math.min(dataset.userOffsets[u + 1], start + neural.maxLen);
    for (let p = start, q = (u + 1) * neural.maxLen - (end - start); p < end; p++, q++) {
      tokens[q] = dataset.item[p] + 1;
    }
  }
  const h = { tokens, batch: rows, maxLen: neural.maxLen };
  const items = new Int32Array(rows);
  for (let r = 0; r < rows; r++) items[r] = (r * 7919) % neural.numItems;
  return tf.tidy(() => {
    const direct = neural.scorePairs(h, items).dataSync();
    const emb = neural.embedHistory(h);
    const mask = tf.cast(
      tf.greater(tf.tensor2d(tokens, [rows, neural.maxLen], 'int32'), 0),
      'float32',
    );
    const viaPath = neural.scorePairsFromEmbeddings(emb, mask as tf.Tensor2D, items).dataSync();
    for (let r = 0; r < rows; r++) {
      if (!Number.isFinite(direct[r])) continue;
      const gap = Math.abs(direct[r] - viaPath[r]);
      if (gap > PATH_TOLERANCE * Math.max(1, Math.abs(direct[r]))) return false;
    }
    return true;
  });
}

function weightsOf(loaded: LoadedTfjsModel): () => Record<string, tf.Tensor> {
  return () => {
    const out: Record<string, tf.Tensor> = {};
    if (loaded.layers) {
      for (const w of loaded.layers.weights) out[w.originalName] = tf.clone(w.read());
    } else if (loaded.graph) {
      for (const [name, ts] of Object.entries(loaded.graph.weights)) {
        if (ts[0]) out[name] = tf.clone(ts[0]);
      }
    }
    return out;
  };
}

function exportWeightsOf(weights: () => Record<string, tf.Tensor>): () => WeightArray[] {
  return () => {
    const tensors = weights();
    try {
      return Object.entries(tensors).flatMap(([name, t]) =>
        t.dtype === 'float32' || t.dtype === 'int32'
          ? [
              {
                name,
                shape: [...t.shape],
                dtype: t.dtype,
                data: (t.dataSync() as Float32Array | Int32Array).slice(),
              },
            ]
          : [],
      );
    } finally {
      for (const t of Object.values(tensors)) t.dispose();
    }
  };
}

/**
 * Wraps a loaded model with `mapping` as a recommender of `dataset`'s items. The wrapper owns
 * the loaded model (disposing it disposes the model). Refuses, in one sentence, a mapping that
 * names inputs the model lacks, a padding id the model does not know, or ids that leave most
 * of the dataset unknown to the model.
 */
export function mapTfjsModel(
  loaded: LoadedTfjsModel,
  mapping: ModelMapping,
  dataset: Dataset,
  notes: string[] = [],
): TrainedRecommender {
  const { shape } = loaded;
  const numItems = dataset.itemIds.length;
  const weights = weightsOf(loaded);
  const info = (extra: string[]): ImportedModelInfo => ({
    kind: loaded.kind,
    source: loaded.source,
    mapping,
    artifacts: loaded.artifacts,
    notes: [...notes, ...extra],
  });
  if (mapping.kind === 'history') {
    const input = shape.inputs.find((i) => i.name === mapping.input) ?? shape.inputs[0];
    if (shape.inputs.length !== 1) {
      throw new ModelFileError('unmappable', 'A history mapping needs a model with one input.');
    }
    const columns = shape.output.length === 1 ? (shape.output[0] ?? 0) : 0;
    // A graph has no embedding to say how many ids it knows: as many as its output scores,
    // shifted by the output offset (ids 1..N when column c scores id c + 1).
    const vocabulary =
      loaded.kind === 'graph' ? columns + mapping.outputOffset : (input.embedding?.inputDim ?? 0);
    if (columns < 1) {
      throw new ModelFileError(
        'unmappable',
        `The model's output has shape [${shape.output.join(', ')}], not one score per item.`,
      );
    }
    if (!(mapping.padValue >= 0 && mapping.padValue < Math.max(vocabulary, 1))) {
      throw new ModelFileError(
        'unmappable',
        `The padding id ${mapping.padValue} is not an id the model knows (0 to ${vocabulary - 1}).`,
      );
    }
    if (input.shape[0] !== null && input.shape[0] !== mapping.maxLen) {
      throw new ModelFileError(
        'unmappable',
        `The model reads histories of exactly ${input.shape[0]} items; the mapping says ${mapping.maxLen}.`,
      );
    }
    const resolved = resolveIds(mapping.items, dataset.itemIds, vocabulary, mapping.padValue);
    checkCoverage(resolved, numItems, 'item');
    const dtype = loaded.layers?.inputs[0]?.dtype ?? loaded.graph?.inputs[0]?.dtype;
    const forward = (ids: tf.Tensor2D): tf.Tensor2D => {
      const x = castTo(ids, dtype);
      // The whole batch in one pass (predict's default batch is 32 rows).
      if (loaded.layers) {
        return loaded.layers.predict(x, { batchSize: Math.max(1, x.shape[0]) }) as tf.Tensor2D;
      }
      return (loaded.graph as GraphModel).execute({ [input.name]: x }) as tf.Tensor2D;
    };
    // A padded row and a few real histories through the model now, so a graph that cannot
    // run synchronously (control flow, dynamic ops), a mapping it rejects or scores that are
    // not finite are refused here, not at the first ranking.
    probeHistoryModel(forward, mapping as HistoryMapping, resolved.toModel, columns, dataset);
    const gradient = loaded.layers ? gradientPath(loaded.layers, shape) : null;
    const neural = historyRecommender(
      {
        id: loaded.kind,
        forward,
        columns,
        mapping: mapping as HistoryMapping,
        itemToModel: resolved.toModel,
        gradient,
        weights,
        dispose: () => loaded.dispose(),
      },
      numItems,
    );
    const base = neuralRecommender(neural, null);
    const listed = mapping.items.kind === 'list' ? mapping.items.ids : null;
    const padNamed =
      listed && (listed[mapping.padValue] ?? '') !== ''
        ? [
            `The mapping file names item ${listed[mapping.padValue]} on line ${mapping.padValue + 1}, which is the padding id: that item is never fed to the model. If the file has no empty first line for the padding id, every item is shifted by one.`,
          ]
        : [];
    const unknownNote =
      resolved.unknown > 0
        ? [
            `${resolved.unknown} of the dataset's ${numItems} items are unknown to the model: never recommended, and skipped in histories.`,
          ]
        : [];
    // Gradients read each history slot's embedding; an item the model does not know has none
    // (scoring skips it), so with such items in the data the gradient path is not offered.
    let withPath = gradient !== null && resolved.unknown === 0;
    try {
      withPath = withPath && pathMatches(base, dataset);
    } catch {
      withPath = false;
    }
    const explainNote = withPath
      ? "Every explanation method applies: gradients flow from the model's item Embedding through its layer chain."
      : gradient !== null && resolved.unknown > 0
        ? "Gradient methods are off: some of this data's items are unknown to the model and have no embedding to take a gradient at (the perturbation methods apply; unknown items have no influence)."
        : loaded.kind === 'graph'
          ? 'A graph model is a black box: the perturbation methods (occlusion, LIME, SHAP, counterfactuals) apply; gradient and attention methods need a Keras model.'
          : 'The layers after the item Embedding are not a chain Interest Lens can replay, so gradients are unavailable: the perturbation methods apply.';
    // The item Embedding's table, for the interest map (read on first use).
    const tableLayer = loaded.layers ? (shape.inputs[0]?.embedding?.layer ?? '') : '';
    const layers = loaded.layers;
    const itemTable =
      layers && tableLayer !== ''
        ? () => {
            const { data, dim } = embeddingWeights(layers, tableLayer);
            return itemTableOf(data, dim, resolved.toModel, `item embedding (${tableLayer})`);
          }
        : undefined;
    return {
      ...base,
      neural: withPath ? neural : null,
      exportWeights: exportWeightsOf(weights),
      imported: info([...padNamed, ...unknownNote, explainNote]),
      ...(itemTable ? { itemTable } : {}),
    };
  }
  if (loaded.kind !== 'keras' || !loaded.layers) {
    throw new ModelFileError(
      'unmappable',
      'An ids-in mapping needs a Keras model with two inputs.',
    );
  }
  return idsRecommender(loaded.layers, shape, mapping, dataset, {
    weights,
    exportWeights: exportWeightsOf(weights),
    info,
  });
}
