/**
 * Rebuilds a model imported from another engine from its saved Interest Lens file: a TF.js
 * model from its kept files and id mapping (re-resolved against the loaded dataset), ALS from
 * its factor weights.
 */
import type { Dataset } from '../data/types';
import { ModelFileError } from '../models/modelFileError';
import type { TrainedRecommender } from '../models/trained';
import type { DecodedModel } from '../persist/decode';
import { restoreFactorModel } from './factorModel';
import { loadTfjsModel, mapTfjsModel } from './tfjsModel';

/** An imported TF.js model from its saved files and id mapping. */
export async function restoreTfjs(
  decoded: DecodedModel,
  dataset: Dataset,
): Promise<TrainedRecommender> {
  const imported = decoded.meta.imported;
  if (!imported?.mapping || !decoded.tfjs) {
    throw new ModelFileError(
      'invalid-metadata',
      'The imported model has no TF.js files or id mapping.',
    );
  }
  const loaded = await loadTfjsModel(decoded.tfjs);
  try {
    return mapTfjsModel(loaded, imported.mapping, dataset, imported.notes.slice(0, 0));
  } catch (error) {
    loaded.dispose();
    throw error;
  }
}

/** An imported factor model (ALS) from its saved weights, in the saved item order. */
export function restoreImportedFactors(
  decoded: DecodedModel,
  dataset: Dataset,
): TrainedRecommender {
  const { meta, weights } = decoded;
  const imported = meta.imported;
  if (imported?.kind !== 'als') {
    throw new ModelFileError(
      'unknown-model',
      `Restoring ${imported?.kind} models from weights is not supported.`,
    );
  }
  const { tfjs: _tfjs, ...info } = imported;
  return restoreFactorModel(
    meta.numItems,
    meta.record.hyper,
    weights,
    { ...info, artifacts: null },
    dataset,
  );
}
