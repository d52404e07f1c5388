/**
 * The pure half of the browser's model store: what a saved model is listed as, and renaming
 * it inside its own model.json (so an exported file carries the new name). Kept here, out of
 * the IndexedDB wrapper, so it is tested in Node.
 */

import { ModelFileError } from '../models/modelFileError';
import type { ModelId } from '../models/types';
import { decodeModel } from './decode';
import { isRecord } from './metaChecks';

export interface SavedModelSummary {
  key: string;
  name: string;
  modelId: ModelId;
  savedAt: string;
  /** Size of model.json plus weights.bin. */
  bytes: number;
  datasetName: string;
  fingerprint: string;
  /** Test HR@10 and NDCG@10, or null when the model was saved without a test report. */
  metrics: { hr10: number; ndcg10: number } | null;
}

/** Longest model name kept; longer names are refused rather than cut. */
export const MAX_MODEL_NAME = 200;

/** A trimmed, non-empty name of at most {@link MAX_MODEL_NAME} characters, or a RangeError. */
export function checkModelName(name: string): string {
  const trimmed = name.trim();
  if (trimmed === '') throw new RangeError('A model name cannot be empty.');
  if (trimmed.length > MAX_MODEL_NAME) {
    throw new RangeError(`A model name can have at most ${MAX_MODEL_NAME} characters.`);
  }
  return trimmed;
}

/**
 * Validates a model file (the whole of it: a store never holds a file that would fail to
 * import) and describes it for the list of saved models.
 */
export function summarizeSavedModel(
  key: string,
  modelJson: string,
  weightsBin: Uint8Array,
  savedAt: string,
): SavedModelSummary {
  const { meta } = decodeModel(modelJson, weightsBin);
  const at10 = meta.record.test?.atK.find((m) => m.k === 10);
  return {
    key,
    name: meta.name,
    modelId: meta.record.modelId,
    savedAt,
    bytes: new TextEncoder().encode(modelJson).length + weightsBin.length,
    datasetName: meta.dataset.name,
    fingerprint: meta.dataset.fingerprint,
    metrics: at10 ? { hr10: at10.hitRate, ndcg10: at10.ndcg } : null,
  };
}

/** The same model.json with `name` as the model's name. */
export function renameModelJson(modelJson: string, name: string): string {
  const checked = checkModelName(name);
  const json: unknown = JSON.parse(modelJson);
  const meta =
    isRecord(json) && isRecord(json.userDefinedMetadata)
      ? json.userDefinedMetadata.interestLens
      : undefined;
  if (!isRecord(meta)) {
    throw new ModelFileError('not-interest-lens', 'This JSON file is not an Interest Lens model.');
  }
  meta.name = checked;
  return JSON.stringify(json);
}
