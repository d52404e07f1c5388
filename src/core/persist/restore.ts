/**
 * Import in one call: decode and validate the files, check them against the loaded dataset,
 * and rebuild the model (mapped by item id when it was trained on other data that overlaps
 * enough). What the worker's and the CLI's import run.
 */
import type { Dataset } from '../data/types';
import { ModelFileError } from '../models/modelFileError';
import type { TrainedRecommender } from '../models/trained';
import { restoreVariant } from '../train/variants';
import { decodeModel } from './decode';
import type { SavedModelMeta } from './format';
import { type DatasetMatch, mapToDataset, matchDataset } from './match';

export interface LoadedModel {
  meta: SavedModelMeta;
  /** Scores the dataset's items (mapped when `match.status` is `mapped`). */
  model: TrainedRecommender;
  match: Exclude<DatasetMatch, { status: 'refused' }>;
}

/**
 * Decodes, matches and restores a saved model for `dataset`. Throws {@link ModelFileError}
 * for a bad file and `dataset-mismatch` when the model was trained on data too different to
 * map. The caller owns (and must dispose) the model.
 */
export function loadSavedModel(
  modelJson: string,
  weightsBin: Uint8Array,
  dataset: Dataset,
): LoadedModel {
  const { meta, weights, features } = decodeModel(modelJson, weightsBin);
  const match = matchDataset(meta, dataset);
  if (match.status === 'refused') throw new ModelFileError('dataset-mismatch', match.reason);
  const restored = restoreVariant(
    meta.record.modelId,
    meta.numItems,
    meta.record.hyper,
    weights,
    features ?? undefined,
  );
  if (match.status === 'same') return { meta, model: restored, match };
  return { meta, model: mapToDataset(restored, match.itemMap, dataset.itemIds.length), match };
}
