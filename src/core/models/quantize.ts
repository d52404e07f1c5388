/**
 * Post-training int8 quantisation (the "compression" of the seed papers): per-row symmetric
 * int8 for every large weight matrix (embedding tables first of all), float32 for the rest.
 *
 * Row r of a matrix W is stored as int8 codes q and one float32 scale s_r = max|W_r| / 127:
 * q = round(W / s_r), so |W − q·s_r| ≤ s_r / 2 element-wise. A row of zeros (the padding row)
 * gets s = 0 and stays exactly zero. Storage per row: `cols + 4` bytes instead of `4·cols`,
 * close to 4x for 64-wide tables.
 *
 * What is honest about "int8 at run time": TF.js has no int8 tensors or int8 kernels, so
 * scoring runs on the dequantised float32 weights q·s. {@link QuantizedRecommender} keeps only
 * the int8 codes and scales as its own state and materialises the float32 model from them
 * lazily, on the first scoring call; {@link QuantizedRecommender.unload} frees that float copy
 * again. So the saving is real for storage and transfer (and between uses), and the scores are
 * exactly those of the int8 weights; the peak memory while scoring is that of the float model.
 */
import * as tf from '../tf';
import type { WeightArray } from './trained';

/** A matrix stored as per-row int8 codes and scales. */
export interface Int8Matrix {
  kind: 'int8';
  name: string;
  /** The original shape; rows = shape[0], columns = the product of the rest. */
  shape: number[];
  codes: Int8Array;
  /** One scale per row: value ≈ code · scale. */
  scales: Float32Array;
}

/** A weight kept as it was (1-D, small, or integer). */
export interface KeptWeight {
  kind: 'float32' | 'int32';
  name: string;
  shape: number[];
  data: Float32Array | Int32Array;
}

export interface QuantizedWeights {
  entries: (Int8Matrix | KeptWeight)[];
  /** Bytes of the float original (4 per element). */
  bytesBefore: number;
  /** Bytes stored: 1 per int8 code + 4 per scale + 4 per kept element. */
  bytesAfter: number;
}

export interface QuantizeOptions {
  /** Matrices with fewer elements stay float32 (the saving would be negligible). Default 1024. */
  minElements?: number;
}

/** Per-row symmetric int8 codes and scales of a row-major `[rows, cols]` matrix. */
export function quantizeRows(
  values: Float32Array,
  rows: number,
  cols: number,
): { codes: Int8Array; scales: Float32Array } {
  if (values.length !== rows * cols) {
    throw new Error(`quantizeRows: ${values.length} values do not fill ${rows} x ${cols}.`);
  }
  const codes = new Int8Array(rows * cols);
  const scales = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    let max = 0;
    for (let c = 0; c < cols; c++) max = Math.max(max, Math.abs(values[r * cols + c]));
    if (!Number.isFinite(max)) {
      throw new Error(`quantizeRows: row ${r} holds a non-finite value; refusing to quantise it.`);
    }
    const scale = max / 127;
    scales[r] = scale;
    if (scale === 0) continue;
    for (let c = 0; c < cols; c++) {
      const code = Math.round(values[r * cols + c] / scale);
      codes[r * cols + c] = Math.max(-127, Math.min(127, code));
    }
  }
  return { codes, scales };
}

/** The float32 values `code · scale` of an int8 matrix, row-major. */
export function dequantizeRows(m: Int8Matrix): Float32Array {
  const rows = m.scales.length;
  const cols = rows === 0 ? 0 : m.codes.length / rows;
  const out = new Float32Array(m.codes.length);
  for (let r = 0; r < rows; r++) {
    const s = m.scales[r];
    for (let c = 0; c < cols; c++) out[r * cols + c] = m.codes[r * cols + c] * s;
  }
  return out;
}

/**
 * Quantises named weights (tensors, read synchronously, or {@link WeightArray}s): float32
 * tensors of rank >= 2 with at least `minElements` elements become {@link Int8Matrix}; the
 * others are kept as they are. The input is not modified or disposed.
 */
export function quantizeWeights(
  weights: Record<string, tf.Tensor> | WeightArray[],
  options: QuantizeOptions = {},
): QuantizedWeights {
  const minElements = options.minElements ?? 1024;
  const arrays: WeightArray[] = Array.isArray(weights)
    ? weights
    : Object.entries(weights).map(([name, t]) => ({
        name,
        shape: [...t.shape],
        dtype: t.dtype === 'int32' ? 'int32' : 'float32',
        // A blocking read, once per save/export (not a scoring or training path).
        data: t.dataSync() as Float32Array | Int32Array,
      }));
  let bytesBefore = 0;
  let bytesAfter = 0;
  const entries = arrays.map((w): Int8Matrix | KeptWeight => {
    bytesBefore += 4 * w.data.length;
    if (w.dtype === 'float32' && w.shape.length >= 2 && w.data.length >= minElements) {
      const rows = w.shape[0];
      const { codes, scales } = quantizeRows(w.data as Float32Array, rows, w.data.length / rows);
      bytesAfter += codes.length + 4 * scales.length;
      return { kind: 'int8', name: w.name, shape: [...w.shape], codes, scales };
    }
    bytesAfter += 4 * w.data.length;
    return { kind: w.dtype, name: w.name, shape: [...w.shape], data: w.data.slice() };
  });
  return { entries, bytesBefore, bytesAfter };
}

/** Float tensors of the dequantised weights, by name; the caller owns them. */
export function dequantizeWeights(q: QuantizedWeights): Record<string, tf.Tensor> {
  const out: Record<string, tf.Tensor> = {};
  for (const e of q.entries) {
    out[e.name] =
      e.kind === 'int8'
        ? tf.tensor(dequantizeRows(e), e.shape, 'float32')
        : tf.tensor(e.data, e.shape, e.kind);
  }
  return out;
}
