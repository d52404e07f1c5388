/**
 * Neural models as {@link TrainedRecommender}s: scoring through the shared neural scorer,
 * weights exported as named typed arrays and restored into a freshly built model of the same
 * id and hyper-parameters.
 */

import { ModelFileError } from '../models/modelFileError';
import { NEURAL_MODELS, neuralEntry } from '../models/registry';
import type { ItemFeatures, TrainedRecommender, WeightArray } from '../models/trained';
import type { HyperParameters, ModelId, NeuralRecommender } from '../models/types';
import { checkNeuralRestore, featureLayout } from '../models/weightPlan';
import * as tf from '../tf';
import { neuralExactContributions, neuralPairScores, neuralScorer } from './neuralScorer';

/**
 * Builds a seeded neural model through the registry. Called with the factory directly (not
 * `createModel`) so item features reach the models that use them. A factory that throws part
 * way (a refused setting, an allocation that failed) leaves nothing behind: see
 * {@link withoutLeaks}.
 */
export function buildNeural(
  id: ModelId,
  numItems: number,
  hyper: HyperParameters,
  seed: number,
  features?: ItemFeatures,
): NeuralRecommender {
  const entry = neuralEntry(id);
  if (!entry) {
    const known = Object.keys(NEURAL_MODELS).join(', ');
    throw new Error(`No neural model named ${id}; available: ${known}.`);
  }
  return withoutLeaks(() => entry.factory(numItems, hyper, seed, features));
}

/**
 * Runs a model constructor so that a throw frees everything it made: its intermediate tensors
 * (the constructor runs in a `tf.tidy`; a model keeps only variables, which tidy leaves alone)
 * and the variables it had registered before it failed (a model under construction cannot
 * dispose itself). The engine's tensor count is then what it was before the call.
 */
function withoutLeaks<T>(build: () => T): T {
  const engine = tf.engine();
  const before = new Set(Object.keys(engine.registeredVariables));
  const built: { model?: T } = {};
  try {
    tf.tidy(() => {
      built.model = build();
    });
  } catch (error) {
    for (const [name, variable] of Object.entries(engine.registeredVariables)) {
      if (!before.has(name)) variable.dispose();
    }
    throw error;
  }
  return built.model as T;
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
 * `weights`. Before anything is allocated, the shapes the declared sizes imply are checked
 * against the memory budget and against `weights` (see weightPlan.ts): a weight that is
 * missing, extra or of another shape throws {@link ModelFileError} `shape-mismatch` naming it,
 * a model too large for the page `too-large`. Nothing is leaked either way.
 */
export function restoreNeural(
  id: ModelId,
  numItems: number,
  hyper: HyperParameters,
  weights: readonly WeightArray[],
  features?: ItemFeatures,
): TrainedRecommender {
  checkNeuralRestore(id, numItems, hyper, weights, features ? featureLayout(features) : null);
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
