/**
 * Import in one call: decode and validate the files, check them against the loaded dataset,
 * and rebuild the model (mapped by item id when it was trained on other data that overlaps
 * enough). What the worker's and the CLI's import run.
 */
import type { Dataset } from '../data/types';
import { restoreImportedFactors, restoreTfjs } from '../import/restoreImported';
import { ModelFileError } from '../models/modelFileError';
import type { TrainedRecommender } from '../models/trained';
import { restoreVariant } from '../train/variants';
import { type DecodedModel, decodeModel } from './decode';
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
 *
 * Synchronous, for every model but an imported TF.js one (TF.js builds those asynchronously):
 * {@link loadModelFile} takes any model file and is what the worker and the CLI call.
 */
export function loadSavedModel(
  modelJson: string,
  weightsBin: Uint8Array,
  dataset: Dataset,
): LoadedModel {
  const decoded = decodeModel(modelJson, weightsBin);
  if (decoded.tfjs) {
    throw new ModelFileError(
      'unsupported-model',
      'This file holds an imported TF.js model, which is rebuilt asynchronously: load it with loadModelFile.',
    );
  }
  return restoreDecoded(decoded, dataset);
}

function restoreDecoded(decoded: DecodedModel, dataset: Dataset): LoadedModel {
  const { meta, weights, features } = decoded;
  const match = matchDataset(meta, dataset);
  if (match.status === 'refused') throw new ModelFileError('dataset-mismatch', match.reason);
  const restored = meta.imported
    ? restoreImportedFactors(decoded, dataset)
    : restoreVariant(
        meta.record.modelId,
        meta.numItems,
        meta.record.hyper,
        weights,
        features ?? undefined,
      );
  if (match.status === 'same') return { meta, model: restored, match };
  return { meta, model: mapToDataset(restored, match.itemMap, dataset.itemIds.length), match };
}

/**
 * How a saved imported TF.js model's data relates to `dataset`: the same data, or other data
 * (then its record's metrics are not this data's). Never refused here: such a model maps its
 * own integer ids onto any data, and its restore refuses ids that do not match.
 */
export function importedMatch(
  meta: SavedModelMeta,
  dataset: Dataset,
): Exclude<DatasetMatch, { status: 'refused' }> {
  const match = matchDataset(meta, dataset, 0);
  if (match.status === 'refused') throw new Error('unreachable: a zero share is never refused');
  return match;
}

/**
 * {@link loadSavedModel} for any model file, imported TF.js models included: those map their
 * own integer ids onto the dataset through their saved id mapping (re-resolved here, refused
 * when too little matches), not through the file's item list.
 */
export async function loadModelFile(
  modelJson: string,
  weightsBin: Uint8Array,
  dataset: Dataset,
): Promise<LoadedModel> {
  const decoded = decodeModel(modelJson, weightsBin);
  if (!decoded.tfjs) return restoreDecoded(decoded, dataset);
  const model = await restoreTfjs(decoded, dataset);
  return { meta: decoded.meta, model, match: importedMatch(decoded.meta, dataset) };
}
