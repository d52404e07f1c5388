/**
 * The model file: a `model.json` in the TF.js weights-manifest layout (so TF.js tooling can
 * read the weights) plus one `weights.bin`, the little-endian concatenation of every weight in
 * manifest order, as `tf.io.encodeWeights` writes it. Our metadata (model id, hyper-parameters,
 * item ids, the dataset's fingerprint, metrics) sits under `userDefinedMetadata.interestLens`.
 */
import type { Dataset } from '../data/types';
import type { TfjsWeightSpec } from '../import/modelFiles';
import type { ImportedModelInfo } from '../import/types';
import type { TrainedRecommender, TrainingRecord, WeightArray } from '../models/trained';
import { shapeSize } from '../models/weightArrays';
import { featuresToWeights, type SavedFeatureSizes } from './features';
import { datasetFingerprint } from './fingerprint';

export const MODEL_FORMAT = 'interest-lens-model';
export const MODEL_FORMAT_VERSION = 1;
export const WEIGHTS_FILE = 'weights.bin';

/** What a saved model says about itself and about the data it was trained on. */
export interface SavedModelMeta {
  format: typeof MODEL_FORMAT;
  version: typeof MODEL_FORMAT_VERSION;
  /** The user's name for the model (editable). */
  name: string;
  record: TrainingRecord;
  /** Catalogue size the model scores; `itemIds[i]` is the original id of its item i. */
  numItems: number;
  itemIds: string[];
  dataset: {
    fingerprint: string;
    name: string;
    users: number;
    items: number;
    interactions: number;
  };
  /** Sizes of the item features saved with the model (weights `features/...`), or null. */
  features: SavedFeatureSizes | null;
  /**
   * A model imported from another engine: its provenance, mapping and notes, and for a TF.js
   * model its topology (the weights manifest then lists its TF.js weights as imported).
   */
  imported?: SavedImportedMeta;
  savedAt: string;
}

/** {@link ImportedModelInfo} as saved: the TF.js weights live in the weights file. */
export type SavedImportedMeta = Omit<ImportedModelInfo, 'artifacts'> & {
  tfjs: { format: 'layers-model' | 'graph-model'; modelTopology: Record<string, unknown> } | null;
};

export interface WeightSpec {
  name: string;
  shape: number[];
  dtype: WeightArray['dtype'];
}

/** The parsed `model.json`. */
export interface ModelJson {
  format: typeof MODEL_FORMAT;
  generatedBy: string;
  convertedBy: null;
  weightsManifest: { paths: string[]; weights: (WeightSpec | TfjsWeightSpec)[] }[];
  userDefinedMetadata: { interestLens: SavedModelMeta };
}

function checkWeight(w: WeightArray): void {
  const expected = w.dtype === 'float32' ? Float32Array : Int32Array;
  if (!(w.data instanceof expected)) {
    throw new Error(`Weight ${w.name} says ${w.dtype} but holds ${w.data.constructor.name}.`);
  }
  if (w.data.length !== shapeSize(w.shape)) {
    throw new Error(
      `Weight ${w.name} has ${w.data.length} values for shape [${w.shape.join(', ')}].`,
    );
  }
  if (w.dtype === 'float32') {
    let bad = 0;
    for (let i = 0; i < w.data.length; i++) if (!Number.isFinite(w.data[i])) bad++;
    if (bad > 0) {
      throw new Error(
        `Weight ${w.name} holds ${bad} NaN or infinite values; the model is not saved.`,
      );
    }
  }
}

/**
 * Serialises a trained model with everything needed to restore it and to recognise the data it
 * was trained on. `dataset` must be the one it was trained on (its item ids become the file's
 * id map). Refuses models whose weights are inconsistent or not finite, with the weight named.
 */
export function encodeModel(
  model: TrainedRecommender,
  record: TrainingRecord,
  dataset: Dataset,
  datasetName: string,
  name: string,
): { modelJson: string; weightsBin: Uint8Array } {
  if (model.numItems !== dataset.itemIds.length) {
    throw new Error(
      `The model scores ${model.numItems} items but the dataset has ${dataset.itemIds.length}; save it with the dataset it was trained on.`,
    );
  }
  if (record.modelId !== model.id) {
    throw new Error(`The training record is for ${record.modelId}, not ${model.id}.`);
  }
  const artifacts = model.imported?.artifacts ?? null;
  const features = model.features ?? null;
  const weights = artifacts
    ? []
    : [...model.exportWeights(), ...(features ? featuresToWeights(features, model.numItems) : [])];
  const names = new Set<string>();
  let bytes = 0;
  for (const w of weights) {
    if (names.has(w.name)) throw new Error(`Two weights are named ${w.name}.`);
    names.add(w.name);
    checkWeight(w);
    bytes += w.data.byteLength;
  }
  const weightsBin = artifacts
    ? new Uint8Array(artifacts.weightData.slice(0))
    : new Uint8Array(bytes);
  let at = 0;
  for (const w of weights) {
    weightsBin.set(new Uint8Array(w.data.buffer, w.data.byteOffset, w.data.byteLength), at);
    at += w.data.byteLength;
  }
  const imported = model.imported;
  const meta: SavedModelMeta = {
    format: MODEL_FORMAT,
    version: MODEL_FORMAT_VERSION,
    name,
    record,
    numItems: model.numItems,
    itemIds: dataset.itemIds.slice(),
    dataset: {
      fingerprint: datasetFingerprint(dataset),
      name: datasetName,
      users: dataset.userIds.length,
      items: dataset.itemIds.length,
      interactions: dataset.item.length,
    },
    features: features
      ? { numCategories: features.numCategories, titleBuckets: features.titleBuckets }
      : null,
    ...(imported
      ? {
          imported: {
            kind: imported.kind,
            source: imported.source,
            mapping: imported.mapping,
            ...(imported.als !== undefined ? { als: imported.als } : {}),
            ...(imported.userIds ? { userIds: imported.userIds } : {}),
            notes: imported.notes,
            tfjs: artifacts
              ? { format: artifacts.format, modelTopology: artifacts.modelTopology }
              : null,
          },
        }
      : {}),
    savedAt: new Date().toISOString(),
  };
  const json: ModelJson = {
    format: MODEL_FORMAT,
    generatedBy: 'Interest Lens',
    convertedBy: null,
    weightsManifest: [
      {
        paths: [WEIGHTS_FILE],
        weights: artifacts
          ? artifacts.weightSpecs
          : weights.map((w) => ({ name: w.name, shape: [...w.shape], dtype: w.dtype })),
      },
    ],
    userDefinedMetadata: { interestLens: meta },
  };
  return { modelJson: JSON.stringify(json), weightsBin };
}
