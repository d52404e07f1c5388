/**
 * A saved model put to work on the loaded data: the step `eval` and `explain` share. The caller
 * decides first whether data the model was not trained on is acceptable (`matchDataset`, and
 * each command's own refusal); this restores the weights, starting TF.js for a neural model,
 * and maps the model through the item ids when the data is not the data it was trained on.
 */
import type { Dataset } from '../../core/data/types';
import { restoreImportedFactors, restoreTfjs } from '../../core/import/restoreImported';
import type { TrainedRecommender } from '../../core/models/trained';
import {
  type DatasetMatch,
  type DecodedModel,
  decodeModel,
  importedMatch,
  mapToDataset,
  matchDataset,
} from '../../core/persist';
import { BASELINE_IDS, restoreVariant } from '../../core/train/variants';
import { initNodeBackend } from '../backend';
import type { Write } from '../progress';
import { type LoadedData, loadData } from './load';
import { readModelDir } from './modelDir';

/**
 * The model folder and the data, read and matched: decoded first (a broken model file fails
 * before a large data file is read), then the data with its metadata file, then how the two fit.
 */
export async function readModelAndData(
  command: { modelDir: string; interactions: string; items: string | null },
  io: { stderr: Write; signal?: AbortSignal },
): Promise<{ decoded: DecodedModel; loaded: LoadedData; match: DatasetMatch }> {
  const files = await readModelDir(command.modelDir);
  const decoded = decodeModel(files.modelJson, files.weightsBin);
  const loaded = await loadData(command.interactions, {
    items: command.items,
    signal: io.signal,
    progress: io.stderr,
  });
  // An imported TF.js model maps its own ids onto any data (checked when it is restored); on
  // other data it is `mapped` like any model, so its metrics are not taken for this data's.
  const match: DatasetMatch = decoded.tfjs
    ? importedMatch(decoded.meta, loaded.dataset)
    : matchDataset(decoded.meta, loaded.dataset);
  return { decoded, loaded, match };
}

export interface RestoredOnData {
  /** The model in the dataset's item space (mapped when `match` is `mapped`); the caller disposes it. */
  model: TrainedRecommender;
  /** TF.js backend of a neural model; `none` for the baselines. */
  backend: string;
}

/**
 * Restores `decoded` onto `dataset` under an accepted `match`; `verb` says on stderr what the
 * mapped model is used for ("evaluating", "explaining").
 */
export async function restoreOnData(
  decoded: DecodedModel,
  match: Exclude<DatasetMatch, { status: 'refused' }>,
  dataset: Dataset,
  io: { stderr: Write; verb: string },
): Promise<RestoredOnData> {
  const { meta, weights, features } = decoded;
  const id = meta.record.modelId;
  const neural = !BASELINE_IDS.includes(id) && id !== 'als';
  const backend = neural ? (await initNodeBackend(io.stderr)).backend : 'none';
  if (decoded.tfjs) {
    if (match.status === 'mapped') {
      io.stderr(
        `note: ${io.verb} on other data than it was imported on, through its own id mapping\n`,
      );
    }
    return { model: await restoreTfjs(decoded, dataset), backend };
  }
  const restored = meta.imported
    ? restoreImportedFactors(decoded, dataset)
    : restoreVariant(id, meta.numItems, meta.record.hyper, weights, features ?? undefined);
  if (match.status === 'same') return { model: restored, backend };
  io.stderr(
    `note: ${io.verb} through the item-id mapping: ${match.unknownItems} items unknown to the model, ` +
      `${match.absentItems} model items absent from this data\n`,
  );
  return { model: mapToDataset(restored, match.itemMap, dataset.itemIds.length), backend };
}
