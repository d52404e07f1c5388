/**
 * Reads a model file back, trusting nothing: every way a file can be wrong (not JSON, another
 * kind of JSON, a newer format, an unknown model, a truncated or padded weights file, a
 * manifest that disagrees with itself, NaN weights) ends in a {@link ModelFileError} whose
 * message says which, in one sentence.
 */

import { readTfjsModelFiles, type TfjsModelFiles } from '../import/modelFiles';
import { errorReason } from '../models/fileText';
import { ModelFileError } from '../models/modelFileError';
import type { ItemFeatures, WeightArray } from '../models/trained';
import { IMPORTED_MODEL_IDS } from '../models/types';
import { shapeSize } from '../models/weightArrays';
import { checkNeuralRestore, checkWeightBytes, type FeatureLayout } from '../models/weightPlan';
import { availableVariants, BASELINE_IDS, isKnownVariant } from '../train/variants';
import { FEATURE_NAMES, FEATURE_PREFIX, featuresFromWeights } from './features';
import {
  MODEL_FORMAT,
  MODEL_FORMAT_VERSION,
  type SavedModelMeta,
  WEIGHTS_FILE,
  type WeightSpec,
} from './format';
import { checkMeta, isRecord } from './metaChecks';

export interface DecodedModel {
  meta: SavedModelMeta;
  /** An imported TF.js model's files, checked (its weights are not ours to read). */
  tfjs: TfjsModelFiles | null;
  /** The model's own weights, in manifest order. */
  weights: WeightArray[];
  /** Item features saved with the model (pass them to `restoreVariant`), or null. */
  features: ItemFeatures | null;
}

/**
 * A value from the file, for a message. Not `String(value)` on lists and objects: a list nested
 * a few thousand deep (which `JSON.parse` reads) overflows the stack when turned into text.
 */
function shown(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  return value !== null && typeof value === 'object' ? 'an object' : String(value);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ModelFileError(
      'not-json',
      `The model file is not valid JSON (${errorReason(error, 100)}).`,
    );
  }
}

/** The Interest Lens metadata of a parsed model.json, or a message saying what the file is. */
function interestLensMeta(json: unknown): Record<string, unknown> {
  const meta =
    isRecord(json) && isRecord(json.userDefinedMetadata)
      ? json.userDefinedMetadata.interestLens
      : undefined;
  if (isRecord(meta) && meta.format === MODEL_FORMAT) return meta;
  if (isRecord(json) && 'modelTopology' in json) {
    throw new ModelFileError(
      'not-interest-lens',
      'This is a TensorFlow.js model without Interest Lens metadata; only models saved by Interest Lens can be imported.',
    );
  }
  throw new ModelFileError(
    'not-interest-lens',
    'This JSON file is not an Interest Lens model (it has no interestLens metadata).',
  );
}

function weightSpecs(json: Record<string, unknown>): WeightSpec[] {
  const manifest = json.weightsManifest;
  if (!Array.isArray(manifest) || manifest.length !== 1 || !isRecord(manifest[0])) {
    throw new ModelFileError('invalid-metadata', 'The model file must list one weights group.');
  }
  const { paths, weights } = manifest[0];
  if (!Array.isArray(paths) || paths.length !== 1 || typeof paths[0] !== 'string') {
    throw new ModelFileError(
      'invalid-metadata',
      'The model file must name exactly one weights file.',
    );
  }
  if (!Array.isArray(weights)) {
    throw new ModelFileError('invalid-metadata', 'The model file has no list of weights.');
  }
  const names = new Set<string>();
  return weights.map((spec, i) => {
    if (!isRecord(spec) || typeof spec.name !== 'string' || spec.name === '') {
      throw new ModelFileError('invalid-metadata', `Weight ${i + 1} of the manifest has no name.`);
    }
    const { name, shape, dtype } = spec;
    if (names.has(name)) {
      throw new ModelFileError('invalid-metadata', `The manifest lists weight ${name} twice.`);
    }
    names.add(name);
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
      throw new ModelFileError('invalid-metadata', `Weight ${name} has an invalid shape.`);
    }
    if ((dtype !== 'float32' && dtype !== 'int32') || 'quantization' in spec) {
      const what = 'quantization' in spec ? 'quantised' : `of type ${shown(dtype)}`;
      throw new ModelFileError(
        'unsupported-dtype',
        `Weight ${name} is ${what}; this version reads float32 and int32 weights only.`,
      );
    }
    return { name, shape: shape as number[], dtype };
  });
}

/** Copies one weight out of the file (aligned, owned by the caller) and checks it is finite. */
function readWeight(spec: WeightSpec, bin: Uint8Array, at: number): WeightArray {
  const size = shapeSize(spec.shape);
  const bytes = bin.slice(at, at + size * 4);
  const data =
    spec.dtype === 'float32' ? new Float32Array(bytes.buffer) : new Int32Array(bytes.buffer);
  if (data instanceof Float32Array) {
    let bad = 0;
    for (let i = 0; i < size; i++) if (!Number.isFinite(data[i])) bad++;
    if (bad > 0) {
      throw new ModelFileError(
        'non-finite-weights',
        `Weight ${spec.name} holds ${bad} NaN or infinite values; the file is corrupt.`,
      );
    }
  }
  return { name: spec.name, shape: spec.shape, dtype: spec.dtype, data };
}

/**
 * The feature sizes the metadata declares, as the item tower will see them. The longest list
 * of each kind is not known before the weights are read, so a kind with any entry counts as
 * width 1 here (a lower bound); `restoreNeural` checks again with the exact widths.
 */
function declaredFeatureLayout(meta: SavedModelMeta, specs: WeightSpec[]): FeatureLayout | null {
  if (!meta.features) return null;
  const entries = (name: string) => {
    const spec = specs.find((s) => s.name === name);
    return spec ? shapeSize(spec.shape) : 0;
  };
  return {
    numCategories: meta.features.numCategories,
    titleBuckets: meta.features.titleBuckets,
    categoryWidth: Math.min(1, entries(FEATURE_NAMES.categories)),
    titleWidth: Math.min(1, entries(FEATURE_NAMES.titleTokens)),
  };
}

/**
 * Every size the metadata declares (items, dims, categories, title buckets, ...), checked
 * before the weights are read or anything is built: a neural model's planned weights against
 * the memory budget and against the manifest (see weightPlan.ts), and the manifest's own total
 * against the budget. A file that declares far more than it holds is refused here, in
 * milliseconds, with one sentence.
 */
function checkDeclaredSizes(meta: SavedModelMeta, specs: WeightSpec[]): void {
  const id = meta.record.modelId;
  if (!BASELINE_IDS.includes(id) && !(IMPORTED_MODEL_IDS as readonly string[]).includes(id)) {
    checkNeuralRestore(
      id,
      meta.numItems,
      meta.record.hyper,
      specs.filter((s) => !s.name.startsWith(FEATURE_PREFIX)),
      declaredFeatureLayout(meta, specs),
    );
  }
  checkWeightBytes(specs.reduce((sum, s) => sum + shapeSize(s.shape) * 4, 0));
}

/**
 * Parses and validates a model file. It does not build the model: that is `restoreVariant`
 * (or `loadSavedModel`, which also checks the file against the loaded dataset).
 */
export function decodeModel(modelJson: string, weightsBin: Uint8Array): DecodedModel {
  const json = parseJson(modelJson);
  const rawMeta = interestLensMeta(json);
  const version = rawMeta.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    throw new ModelFileError(
      'invalid-metadata',
      `The model file has an invalid format version (${shown(version)}).`,
    );
  }
  if (version > MODEL_FORMAT_VERSION) {
    throw new ModelFileError(
      'version-too-new',
      `This model file is format version ${version}; this Interest Lens reads up to version ${MODEL_FORMAT_VERSION}, so update the app to import it.`,
    );
  }
  const modelId = isRecord(rawMeta.record) ? rawMeta.record.modelId : undefined;
  const imported = (IMPORTED_MODEL_IDS as readonly unknown[]).includes(modelId);
  if (typeof modelId !== 'string' || (!imported && !isKnownVariant(modelId))) {
    const known = availableVariants()
      .map((v) => v.id)
      .join(', ');
    throw new ModelFileError(
      'unknown-model',
      `The model file is for an unknown model id "${shown(modelId)}"; this build knows ${known}.`,
    );
  }
  const meta = checkMeta(rawMeta);
  if (imported && !meta.imported) {
    throw new ModelFileError('invalid-metadata', `The model file's imported metadata is missing.`);
  }
  const tfjs = meta.imported?.tfjs;
  if (tfjs) {
    // An imported TF.js model keeps its own manifest (quantised weights included): checked
    // as TF.js files, read by TF.js when the model is rebuilt.
    const manifest = (json as Record<string, unknown>).weightsManifest;
    const files = readTfjsModelFiles([
      {
        name: 'model.json',
        bytes: new TextEncoder().encode(
          JSON.stringify({
            format: tfjs.format,
            modelTopology: tfjs.modelTopology,
            weightsManifest: manifest,
          }),
        ),
      },
      { name: WEIGHTS_FILE, bytes: weightsBin },
    ]);
    return {
      meta,
      tfjs: { ...files, source: meta.imported?.source ?? files.source },
      weights: [],
      features: null,
    };
  }
  const specs = weightSpecs(json as Record<string, unknown>);
  checkDeclaredSizes(meta, specs);
  const expected = specs.reduce((sum, s) => sum + shapeSize(s.shape) * 4, 0);
  if (weightsBin.length < expected) {
    throw new ModelFileError(
      'weights-truncated',
      `The weights file is truncated: expected ${expected} bytes, got ${weightsBin.length}.`,
    );
  }
  if (weightsBin.length > expected) {
    throw new ModelFileError(
      'weights-too-long',
      `The weights file has ${weightsBin.length} bytes but the model.json describes ${expected}; it belongs to another model.`,
    );
  }
  const all: WeightArray[] = [];
  let at = 0;
  for (const spec of specs) {
    all.push(readWeight(spec, weightsBin, at));
    at += shapeSize(spec.shape) * 4;
  }
  const featureWeights = all.filter((w) => w.name.startsWith(FEATURE_PREFIX));
  if (featureWeights.length > 0 && !meta.features) {
    throw new ModelFileError(
      'invalid-metadata',
      'The file holds item features but no feature sizes.',
    );
  }
  return {
    meta,
    tfjs: null,
    weights: all.filter((w) => !w.name.startsWith(FEATURE_PREFIX)),
    features: meta.features
      ? featuresFromWeights(featureWeights, meta.features, meta.numItems)
      : null,
  };
}
