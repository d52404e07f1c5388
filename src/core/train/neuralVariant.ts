/**
 * Neural models as {@link TrainedRecommender}s: scoring through the shared neural scorer,
 * weights exported as named typed arrays and restored into a freshly built model of the same
 * id and hyper-parameters.
 */

import { ModelFileError } from '../models/modelFileError';
import { NEURAL_MODELS } from '../models/registry';
import type { ItemFeatures, TrainedRecommender, WeightArray } from '../models/trained';
import type { HyperParameters, ModelId, NeuralRecommender } from '../models/types';
import * as tf from '../tf';
import { neuralExactContributions, neuralPairScores, neuralScorer } from './neuralScorer';

/**
 * Builds a seeded neural model through the registry. Called with the factory directly (not
 * `createModel`) so item features reach the models that use them.
 */
export function buildNeural(
  id: ModelId,
  numItems: number,
  hyper: HyperParameters,
  seed: number,
  features?: ItemFeatures,
): NeuralRecommender {
  const entry = NEURAL_MODELS[id];
  if (!entry) {
    const known = Object.keys(NEURAL_MODELS).join(', ');
    throw new Error(`No neural model named ${id}; available: ${known}.`);
  }
  return entry.factory(numItems, hyper, seed, features);
}

/** Wraps a trained neural model; disposing the wrapper disposes the model. */
export function neuralRecommender(
  model: NeuralRecommender,
  features: ItemFeatures | null,
): TrainedRecommender {
  return {
    id: model.id,
    numItems: model.numItems,
    hyper: model.hyper,
    score: neuralScorer(model),
    neural: model,
    readLimit: model.maxLen,
    historyIndependent: false,
    scorePairs: (histories, items) => neuralPairScores(model, histories, items),
    exactContributions: neuralExactContributions(model),
    features,
    exportWeights: () => exportNeuralWeights(model),
    dispose: () => model.dispose(),
  };
}

/** Copies every weight out of the backend (a blocking read; fine for a save) and frees the copies. */
function exportNeuralWeights(model: NeuralRecommender): WeightArray[] {
  const tensors = model.getWeights();
  try {
    return Object.entries(tensors).map(([name, t]) => {
      if (t.dtype !== 'float32' && t.dtype !== 'int32') {
        throw new Error(`Weight ${name} has dtype ${t.dtype}; only float32 and int32 are saved.`);
      }
      const data = t.dataSync() as Float32Array | Int32Array;
      return { name, shape: [...t.shape], dtype: t.dtype, data: data.slice() };
    });
  } finally {
    for (const t of Object.values(tensors)) t.dispose();
  }
}

/**
 * A neural model of `id` built with `hyper` (the saved, resolved set) and overwritten with
 * `weights`. A weight that is missing, extra or of another shape throws {@link ModelFileError}
 * `shape-mismatch` naming it; nothing is leaked either way.
 */
export function restoreNeural(
  id: ModelId,
  numItems: number,
  hyper: HyperParameters,
  weights: readonly WeightArray[],
  features?: ItemFeatures,
): TrainedRecommender {
  const model = buildNeural(id, numItems, hyper, 0, features);
  const tensors: Record<string, tf.Tensor> = {};
  try {
    for (const w of weights) tensors[w.name] = tf.tensor(w.data, w.shape, w.dtype);
    try {
      model.setWeights(tensors);
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      throw new ModelFileError(
        'shape-mismatch',
        `The saved weights do not fit a ${id} model with these hyper-parameters: ${why}`,
      );
    }
  } catch (error) {
    model.dispose();
    throw error;
  } finally {
    for (const t of Object.values(tensors)) t.dispose();
  }
  return neuralRecommender(model, features ?? null);
}
