/**
 * Test-only: model files crafted in memory without training. The model is built with its
 * seed-0 initial weights and saved as `encodeModel` saves a trained one, so a test can then
 * edit the model.json (declared sizes, ids, hyper-parameters) the way a damaged or hostile
 * file would.
 */
import type { ItemFeatures, TrainingRecord } from '../models/trained';
import type { HyperParameters, ModelId } from '../models/types';
import { buildNeural, neuralRecommender } from '../train/neuralVariant';
import { makeDataset } from '../train/testing';
import { encodeModel } from './format';

/** A training record that passes the file checks (no metrics, no curves). */
export function craftedRecord(modelId: ModelId, hyper: HyperParameters): TrainingRecord {
  return {
    modelId,
    hyper: { ...hyper },
    seed: 0,
    epochs: 0,
    bestEpoch: 0,
    trainSeconds: 0,
    backend: 'wasm',
    protocol: 'full-ranking',
    validation: null,
    test: null,
    lossCurve: [],
    validationCurve: [],
    trainedAt: '2026-01-01T00:00:00.000Z',
  };
}

/**
 * The files of an untrained neural model `id` over `numItems` items (ids `i0`, `extra-1`, ...),
 * with `features` saved alongside when given. Builds the model, so keep `numItems` x `dim`
 * small.
 */
export function craftModelFiles(
  id: ModelId,
  numItems: number,
  hyper: HyperParameters,
  features?: ItemFeatures,
): { modelJson: string; weightsBin: Uint8Array } {
  const dataset = makeDataset([['u0', 'i0', 0]], numItems);
  const model = neuralRecommender(buildNeural(id, numItems, hyper, 0, features), features ?? null);
  try {
    return encodeModel(model, craftedRecord(id, model.hyper), dataset, 'crafted.csv', id);
  } finally {
    model.dispose();
  }
}

/** Parsed model.json, edited freely by tests. */
// biome-ignore lint/suspicious/noExplicitAny: a test edits arbitrary JSON
export type EditableModelJson = any;

/** `modelJson` with `edit` applied to its parsed form. */
export function editModelJson(modelJson: string, edit: (json: EditableModelJson) => void): string {
  const json = JSON.parse(modelJson);
  edit(json);
  return JSON.stringify(json);
}
