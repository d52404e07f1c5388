/**
 * Reads the files of a TF.js model as the converter writes them: a `model.json` (layers-model
 * or graph-model format) and any number of weight shards (`group1-shard1of3.bin`, ...), given
 * as named byte arrays in any order (a folder dropped on the page, files on a command line).
 *
 * Every way such a set can be wrong ends in one {@link ModelFileError} sentence: the JSON is
 * not a TF.js model, a shard the manifest names was not given or is shorter or longer than the
 * weights it must hold, a weight has a dtype TF.js cannot decode, the weights would not fit in
 * the page. Sizes are checked from the manifest before any weight buffer is allocated.
 */
import { errorReason, fileText } from '../models/fileText';
import { ModelFileError } from '../models/modelFileError';
import { checkWeightBytes } from '../models/weightPlan';
import { isRecord } from '../persist/metaChecks';

/** One file of a model import: its name (a path is reduced to the base name) and bytes. */
export interface NamedFile {
  name: string;
  bytes: Uint8Array;
}

/** A TF.js weight spec as the converter writes it (quantised weights included). */
export interface TfjsWeightSpec {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32' | 'bool' | 'string' | 'complex64';
  quantization?: { dtype: 'uint8' | 'uint16' | 'float16'; scale?: number; min?: number };
}

/** What a TF.js `model.json` and its shards hold, checked and concatenated. */
export interface TfjsModelFiles {
  format: 'layers-model' | 'graph-model';
  /** The `modelTopology` object (Keras config for layers models, a GraphDef for graph models). */
  modelTopology: Record<string, unknown>;
  weightSpecs: TfjsWeightSpec[];
  /** Every shard's bytes, in manifest order, concatenated (what `tf.io.decodeWeights` reads). */
  weightData: ArrayBuffer;
  /** "Keras 2.15.0 via TensorFlow.js Converter v4.22.0" and the like, for the model card. */
  source: string;
  /** The graph model's declared inputs and outputs (`signature`), if any. */
  signature: Record<string, unknown> | null;
  /** The `userDefinedMetadata` the converter kept, if any. */
  userDefinedMetadata: Record<string, unknown> | null;
}

/** Bytes per value of each dtype (and quantisation dtype) a weight may have. */
export const BYTES_PER_DTYPE: Record<string, number> = {
  float32: 4,
  int32: 4,
  bool: 1,
  complex64: 8,
  uint8: 1,
  uint16: 2,
  float16: 2,
};

/** The base name of a path (`/a/b/group1-shard1of2.bin` → `group1-shard1of2.bin`). */
export function baseName(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] ?? path;
}

function shapeSize(shape: number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** True for text saved as UTF-16 (a byte-order mark, or a NUL in every other byte). */
function isUtf16(bytes: Uint8Array): boolean {
  if (
    bytes.length >= 2 &&
    ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))
  ) {
    return true;
  }
  return (
    bytes.length >= 4 && (bytes[1] === 0 || bytes[0] === 0) && (bytes[3] === 0 || bytes[2] === 0)
  );
}

function parseJson(file: NamedFile, name: string): unknown {
  if (isUtf16(file.bytes)) {
    throw new ModelFileError('not-json', `${name} is UTF-16 text; save it as UTF-8 JSON.`);
  }
  const text = new TextDecoder('utf-8', { fatal: false }).decode(file.bytes);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ModelFileError('not-json', `${name} is not valid JSON (${errorReason(error, 100)}).`);
  }
}

/** Bytes one weight takes once decoded (TF.js dequantises uint8 / float16 to float32). */
function decodedBytes(spec: TfjsWeightSpec): number {
  return shapeSize(spec.shape) * BYTES_PER_DTYPE[spec.dtype];
}

/** Bytes one weight takes in the shards (quantised weights take their quantised width). */
function weightBytes(spec: TfjsWeightSpec): number {
  const width = spec.quantization
    ? BYTES_PER_DTYPE[spec.quantization.dtype]
    : BYTES_PER_DTYPE[spec.dtype];
  return shapeSize(spec.shape) * width;
}

function checkSpec(raw: unknown, where: string): TfjsWeightSpec {
  if (!isRecord(raw) || typeof raw.name !== 'string' || raw.name === '') {
    throw new ModelFileError('invalid-metadata', `A weight of ${where} has no name.`);
  }
  const { shape, dtype, quantization } = raw;
  const name = fileText(raw.name, 60);
  if (
    !Array.isArray(shape) ||
    shape.length > 8 ||
    !shape.every((d) => Number.isSafeInteger(d) && d >= 0)
  ) {
    throw new ModelFileError('invalid-metadata', `Weight ${name} has an invalid shape.`);
  }
  if (dtype === 'string') {
    throw new ModelFileError(
      'unsupported-dtype',
      `Weight ${name} holds strings (a lookup table); Interest Lens imports numeric models only, so map ids outside the model (see docs/scale-out.md).`,
    );
  }
  if (typeof dtype !== 'string' || !(dtype in BYTES_PER_DTYPE) || dtype === 'uint8') {
    throw new ModelFileError(
      'unsupported-dtype',
      `Weight ${name} has dtype ${fileText(dtype)}, which TF.js cannot decode.`,
    );
  }
  if (quantization !== undefined) {
    const q = isRecord(quantization) ? quantization.dtype : undefined;
    if (q !== 'uint8' && q !== 'uint16' && q !== 'float16') {
      throw new ModelFileError(
        'unsupported-dtype',
        `Weight ${name} is quantised as ${fileText(q)}; TF.js reads uint8, uint16 and float16 quantisation.`,
      );
    }
  }
  return raw as unknown as TfjsWeightSpec;
}

/** The one `model.json` among the files (the only `.json`, or the one named model.json). */
function findModelJson(files: readonly NamedFile[]): NamedFile {
  const jsons = files.filter((f) => baseName(f.name).toLowerCase().endsWith('.json'));
  if (jsons.length === 0) {
    throw new ModelFileError(
      'missing-file',
      'No model.json among the files: give the model.json the converter wrote together with its .bin shards.',
    );
  }
  if (jsons.length === 1) return jsons[0];
  const named = jsons.filter((f) => baseName(f.name).toLowerCase() === 'model.json');
  if (named.length === 1) return named[0];
  throw new ModelFileError(
    'invalid-metadata',
    `${jsons.length} JSON files were given (${jsons
      .slice(0, 3)
      .map((f) => fileText(baseName(f.name)))
      .join(', ')}${jsons.length > 3 ? ', ...' : ''}); give one model at a time.`,
  );
}

/** Where the model came from, from the converter's own fields. */
function describeSource(json: Record<string, unknown>, format: string): string {
  const topology = isRecord(json.modelTopology) ? json.modelTopology : {};
  const text = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? fileText(v, 60) : null);
  const keras = text(topology.keras_version);
  const backend = text(topology.backend);
  const converted = text(json.convertedBy);
  const generated = text(json.generatedBy);
  const origin =
    format === 'layers-model'
      ? keras
        ? `Keras ${keras}${backend ? ` (${backend})` : ''}`
        : (generated ?? 'a Keras model')
      : (generated ?? 'a TensorFlow SavedModel');
  return converted ? `${origin} via ${converted}` : origin;
}

/**
 * The model's format: `layers-model` (Keras config: `class_name` and `config`, or a
 * `model_config` wrapper as Keras' `to_json` writes) or `graph-model` (a GraphDef with `node`).
 * Old converter output often has no `format` field; the topology decides then.
 */
function detectFormat(json: Record<string, unknown>, name: string): TfjsModelFiles['format'] {
  if (isRecord(json.userDefinedMetadata) && isRecord(json.userDefinedMetadata.interestLens)) {
    throw new ModelFileError(
      'unsupported-model',
      `${name} is an Interest Lens model file: open it with "Import a saved model" (or --model-dir), not as a model from another engine.`,
    );
  }
  const topology = json.modelTopology;
  if (!isRecord(topology)) {
    throw new ModelFileError(
      'not-interest-lens',
      `${name} is not a TensorFlow.js model (it has no modelTopology); convert the model with tensorflowjs_converter first (see docs/scale-out.md).`,
    );
  }
  const declared = json.format;
  if (declared === 'layers-model' || declared === 'graph-model') return declared;
  if (Array.isArray(topology.node)) return 'graph-model';
  if (typeof topology.class_name === 'string' || isRecord(topology.model_config)) {
    return 'layers-model';
  }
  throw new ModelFileError(
    'unsupported-model',
    `${name} has a modelTopology that is neither a Keras model nor a TensorFlow graph.`,
  );
}

/**
 * Checks and assembles a TF.js model from its files. `budget` bounds the declared weight bytes
 * (default: the page's model budget).
 */
export function readTfjsModelFiles(files: readonly NamedFile[]): TfjsModelFiles {
  const modelFile = findModelJson(files);
  const name = fileText(baseName(modelFile.name), 60);
  const json = parseJson(modelFile, name);
  if (!isRecord(json)) {
    throw new ModelFileError('not-interest-lens', `${name} is JSON but not a TensorFlow.js model.`);
  }
  const format = detectFormat(json, name);
  const manifest = json.weightsManifest ?? [];
  if (!Array.isArray(manifest)) {
    throw new ModelFileError(
      'invalid-metadata',
      `${name} has a weightsManifest that is not a list.`,
    );
  }
  const shards = new Map<string, NamedFile>();
  for (const f of files) {
    if (f === modelFile) continue;
    const shardName = baseName(f.name);
    if (shards.has(shardName)) {
      throw new ModelFileError(
        'invalid-metadata',
        `Two files are named ${fileText(shardName, 60)}: give the shards of one model only.`,
      );
    }
    shards.set(shardName, f);
  }
  const groups: { path: string; specs: TfjsWeightSpec[] }[][] = [];
  const weightSpecs: TfjsWeightSpec[] = [];
  let declared = 0;
  const seen = new Set<string>();
  for (const [g, group] of manifest.entries()) {
    if (!isRecord(group) || !Array.isArray(group.paths) || !Array.isArray(group.weights)) {
      throw new ModelFileError(
        'invalid-metadata',
        `Weight group ${g + 1} of ${name} has no paths or weights list.`,
      );
    }
    for (const raw of group.weights) {
      const spec = checkSpec(raw, `group ${g + 1}`);
      if (seen.has(spec.name)) {
        throw new ModelFileError(
          'invalid-metadata',
          `${name} lists weight ${fileText(spec.name, 60)} twice.`,
        );
      }
      seen.add(spec.name);
      weightSpecs.push(spec);
      declared += decodedBytes(spec);
    }
    if (!group.paths.every((p) => typeof p === 'string')) {
      throw new ModelFileError(
        'invalid-metadata',
        `Weight group ${g + 1} of ${name} has a path that is not a file name.`,
      );
    }
    groups.push(group.paths.map((p) => ({ path: p as string, specs: [] })));
  }
  checkWeightBytes(declared);
  // Each group's weights are the concatenation of its shards, in path order.
  let total = 0;
  const parts: Uint8Array[] = [];
  for (const [g, group] of manifest.entries()) {
    const expected = (group.weights as unknown[]).reduce<number>(
      (sum, raw) => sum + weightBytes(raw as TfjsWeightSpec),
      0,
    );
    let got = 0;
    for (const { path } of groups[g]) {
      const shard = shards.get(baseName(path));
      if (!shard) {
        throw new ModelFileError(
          'missing-file',
          `${name} lists the weight shard ${fileText(baseName(path), 60)}, which was not given: select every .bin file next to ${name}.`,
        );
      }
      got += shard.bytes.length;
      parts.push(shard.bytes);
    }
    if (got !== expected) {
      const paths = groups[g].map((s) => fileText(baseName(s.path), 60));
      const which = `${paths.slice(0, 3).join(', ')}${paths.length > 3 ? `, ... (${paths.length})` : ''}`;
      throw new ModelFileError(
        got < expected ? 'weights-truncated' : 'weights-too-long',
        got < expected
          ? `The weight shards ${which} hold ${got} bytes but ${name} describes ${expected}: a shard is truncated or from another model.`
          : `The weight shards ${which} hold ${got} bytes, more than the ${expected} ${name} describes: a shard is from another model.`,
      );
    }
    total += got;
  }
  const weightData = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    weightData.set(part, at);
    at += part.length;
  }
  return {
    format,
    modelTopology: json.modelTopology as Record<string, unknown>,
    weightSpecs,
    weightData: weightData.buffer,
    source: describeSource(json, format),
    signature: isRecord(json.signature) ? json.signature : null,
    userDefinedMetadata: isRecord(json.userDefinedMetadata) ? json.userDefinedMetadata : null,
  };
}
