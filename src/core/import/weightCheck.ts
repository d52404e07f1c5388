/**
 * Weights TF.js can decode and that are finite, and finite scores, checked at import: a TF.js
 * model whose weights hold NaN or infinity (a damaged shard, shards in the wrong order) would
 * otherwise import and score NaN for every item. The weights are checked in the shards' own
 * bytes, before TF.js builds anything (no copy, no tensor, no backend read-back, nothing to
 * free on a refusal); the probe rows a model is run on at import are checked with
 * {@link checkFiniteScores}, which also catches finite weights whose products overflow
 * float32.
 */

import { errorReason, fileText } from '../models/fileText';
import { ModelFileError } from '../models/modelFileError';
import * as tf from '../tf';
import { BYTES_PER_DTYPE, type TfjsModelFiles, type TfjsWeightSpec } from './modelFiles';

const FLOAT32_SPECIAL = 0x7f800000;
const FLOAT16_SPECIAL = 0x7c00;

function size(shape: number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Index of the first float32 in `count` at byte `offset` that is NaN or infinite, or -1. */
function firstSpecial32(buffer: ArrayBuffer, offset: number, count: number): number {
  if (offset % 4 === 0) {
    const words = new Uint32Array(buffer, offset, count);
    for (let i = 0; i < count; i++) {
      if ((words[i] & FLOAT32_SPECIAL) === FLOAT32_SPECIAL) return i;
    }
    return -1;
  }
  const view = new DataView(buffer, offset, count * 4);
  for (let i = 0; i < count; i++) {
    if ((view.getUint32(4 * i, true) & FLOAT32_SPECIAL) === FLOAT32_SPECIAL) return i;
  }
  return -1;
}

/** The same for float16 values (TF.js decodes them to NaN or infinity as they are). */
function firstSpecial16(buffer: ArrayBuffer, offset: number, count: number): number {
  if (offset % 2 === 0) {
    const halves = new Uint16Array(buffer, offset, count);
    for (let i = 0; i < count; i++) {
      if ((halves[i] & FLOAT16_SPECIAL) === FLOAT16_SPECIAL) return i;
    }
    return -1;
  }
  const view = new DataView(buffer, offset, count * 2);
  for (let i = 0; i < count; i++) {
    if ((view.getUint16(2 * i, true) & FLOAT16_SPECIAL) === FLOAT16_SPECIAL) return i;
  }
  return -1;
}

/** A quantisation parameter as TF.js's arithmetic reads it; null where that would not be plain. */
function plainNumber(value: unknown): number | null {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') {
    return Number(value);
  }
  return typeof value === 'number' ? value : null;
}

/**
 * Index of the first uint8 / uint16 value that dequantises (`q * scale + min`, as float32) to
 * NaN or infinity, or -1. The map is linear, so only the smallest and largest stored values
 * are tried. Parameters that are missing or not plain values are TF.js's to refuse.
 */
function firstSpecialQuantised(
  buffer: ArrayBuffer,
  offset: number,
  count: number,
  quantization: NonNullable<TfjsWeightSpec['quantization']>,
): number {
  if (!('scale' in quantization && 'min' in quantization)) return -1;
  const scale = plainNumber(quantization.scale);
  const min = plainNumber(quantization.min);
  if (scale === null || min === null || count === 0) return -1;
  const values =
    quantization.dtype === 'uint8'
      ? new Uint8Array(buffer, offset, count)
      : offset % 2 === 0
        ? new Uint16Array(buffer, offset, count)
        : new Uint16Array(buffer.slice(offset, offset + 2 * count));
  let lo = 0;
  let hi = 0;
  for (let i = 1; i < count; i++) {
    if (values[i] < values[lo]) lo = i;
    if (values[i] > values[hi]) hi = i;
  }
  for (const i of [lo, hi]) {
    if (!Number.isFinite(Math.fround(values[i] * scale + min))) return i;
  }
  return -1;
}

/** Why TF.js cannot decode `spec` (it throws halfway, leaving earlier weights behind), or null. */
function undecodable(spec: TfjsWeightSpec, name: string): ModelFileError | null {
  const q = spec.quantization;
  if (!q) {
    return spec.dtype === 'float32' ||
      spec.dtype === 'int32' ||
      spec.dtype === 'bool' ||
      spec.dtype === 'complex64'
      ? null
      : new ModelFileError(
          'unsupported-dtype',
          `Weight ${name} has dtype ${fileText(spec.dtype)}, which TF.js cannot decode.`,
        );
  }
  const fits = spec.dtype === 'float32' || (spec.dtype === 'int32' && q.dtype !== 'float16');
  if (!fits) {
    return new ModelFileError(
      'unsupported-dtype',
      `Weight ${name} has dtype ${fileText(spec.dtype)} quantised as ${fileText(q.dtype)}, which TF.js cannot decode.`,
    );
  }
  if (q.dtype !== 'float16' && !('scale' in q && 'min' in q)) {
    return new ModelFileError(
      'invalid-metadata',
      `Weight ${name} is quantised as ${q.dtype} without the min and scale that undo it.`,
    );
  }
  return null;
}

/**
 * Checks the weights in the files before TF.js decodes them: each has a name of its own and a
 * dtype and quantisation TF.js decodes (it would throw halfway and leave the weights it had
 * decoded behind), and its values, once decoded, are finite ('non-finite-weights', naming the
 * weight). Reads `weightData` in place, in the layout `tf.io.decodeWeights` reads (weights
 * back to back in manifest order, quantised ones at their quantised width); integer and
 * boolean weights are always finite. Stops quietly where the layout ends early: the shard
 * sizes were checked when the files were read.
 */
export function checkWeights(files: TfjsModelFiles): void {
  const buffer = files.weightData;
  const names = new Set<string>();
  let offset = 0;
  for (const spec of files.weightSpecs) {
    const name = fileText(spec.name, 60);
    // `out[name] = tensor` on a plain object: __proto__ is lost, a second name overwrites.
    if (spec.name === '__proto__' || names.has(spec.name)) {
      throw new ModelFileError(
        'invalid-metadata',
        spec.name === '__proto__'
          ? 'A weight is named __proto__, which TF.js cannot load.'
          : `The weights manifest lists weight ${name} twice.`,
      );
    }
    names.add(spec.name);
    const refusal = undecodable(spec, name);
    if (refusal) throw refusal;
    const count = size(spec.shape);
    const q = spec.quantization;
    const width = q ? BYTES_PER_DTYPE[q.dtype] : BYTES_PER_DTYPE[spec.dtype];
    if (width === undefined || offset + count * width > buffer.byteLength) return;
    let at = -1;
    if (q && spec.dtype === 'float32') {
      at =
        q.dtype === 'float16'
          ? firstSpecial16(buffer, offset, count)
          : firstSpecialQuantised(buffer, offset, count, q);
    } else if (!q && spec.dtype === 'float32') {
      at = firstSpecial32(buffer, offset, count);
    } else if (!q && spec.dtype === 'complex64') {
      // Real and imaginary parts interleaved.
      at = firstSpecial32(buffer, offset, 2 * count);
      if (at >= 0) at = Math.floor(at / 2);
    }
    if (at >= 0) {
      throw new ModelFileError(
        'non-finite-weights',
        `Weight ${name} holds NaN or infinity (its value ${at + 1} of ${count}): the weight shards are damaged, or given in the wrong order.`,
      );
    }
    offset += count * width;
  }
}

/**
 * Refuses scores of a probe run at import that are not all finite: the weights are finite
 * (see {@link checkWeights}) but the model's arithmetic overflows float32. `what` names the
 * probe ("a padded history of 8 items and ...").
 */
export function checkFiniteScores(scores: ArrayLike<number>, what: string): void {
  for (let i = 0; i < scores.length; i++) {
    if (!Number.isFinite(scores[i])) {
      throw new ModelFileError(
        'non-finite-weights',
        `The model scores ${Number.isNaN(scores[i]) ? 'NaN' : 'an infinity'} on ${what}: its weights overflow float32 or are damaged, so it cannot rank items.`,
      );
    }
  }
}

/**
 * Runs a probe forward pass (`run` returns the model's output) and reads its shape and values;
 * a model that throws on it is refused in one sentence naming `what` it was given.
 */
export function probeScores(
  run: () => tf.Tensor,
  what: string,
): { shape: number[]; scores: Float32Array } {
  try {
    // Read outside tidy, which would walk a returned array value by value.
    const out = tf.tidy(run);
    try {
      return { shape: out.shape, scores: out.dataSync() as Float32Array };
    } finally {
      out.dispose();
    }
  } catch (error) {
    throw new ModelFileError(
      'unsupported-model',
      `The model fails on ${what}: ${errorReason(error)}.`,
    );
  }
}
