/**
 * DIN's "score every item" path, the expensive case of target attention: the attention must be
 * recomputed for every (history position, candidate) pair. Three things keep it affordable:
 * - padding is dropped: only the real history positions of a chunk of users are stacked into
 *   one `[R, d]` block (R = their total history length), and the per-user means are one
 *   `[items, R] x [R, users]` product with a membership matrix (1/n for a user's n rows);
 * - items are scored in chunks sized so the `[items, R, H]` hidden layer stays within a fixed
 *   number of floats (memory stays bounded whatever the catalogue);
 * - every heavy step is a wide 2-D product (see dinAttention.ts).
 */
import * as tf from '../tf';
import { type AttentionUnit, attentionKeys, keyedLogits } from './dinAttention';
import { embeddingLookup } from './embedding';
import { tokenTensor } from './layers';
import type { HistoryTokens } from './types';

/** How the work is cut; the defaults bound the largest intermediate to 16 MB. */
export interface ChunkLimits {
  /** Floats in the largest intermediate (`[items, R, H]`) of one item chunk. */
  chunkFloats: number;
  /** Real history positions stacked per user chunk (R). */
  positionsPerChunk: number;
}

export const DEFAULT_CHUNK_LIMITS: ChunkLimits = { chunkFloats: 1 << 22, positionsPerChunk: 2048 };

export interface DinScoringWeights {
  unit: AttentionUnit;
  itemTable: tf.Tensor;
  itemBias: tf.Tensor;
  scoreScale: tf.Tensor;
  positionTerm: tf.Tensor;
  numItems: number;
}

/** Scores `[batch, numItems]` of every item for every history (tokens already validated). */
export function scoreAllItemsChunked(
  h: HistoryTokens,
  w: DinScoringWeights,
  limits: ChunkLimits = DEFAULT_CHUNK_LIMITS,
): tf.Tensor2D {
  const parts: tf.Tensor2D[] = [];
  let first = 0;
  while (first < h.batch) {
    let last = first;
    let positions = 0;
    while (last < h.batch) {
      const own = historyLength(h, last);
      if (last > first && positions + own > limits.positionsPerChunk) break;
      positions += own;
      last++;
    }
    parts.push(scoreUsers(h, first, last, positions, w, limits.chunkFloats));
    first = last;
  }
  if (parts.length === 1) return parts[0];
  const all = tf.concat(parts, 0) as tf.Tensor2D;
  tf.dispose(parts);
  return all;
}

function historyLength(h: HistoryTokens, row: number): number {
  let count = 0;
  for (let t = 0; t < h.maxLen; t++) if (h.tokens[row * h.maxLen + t] !== 0) count++;
  return count;
}

/** Scores of users `first..last` (exclusive), `[last - first, numItems]`. */
function scoreUsers(
  h: HistoryTokens,
  first: number,
  last: number,
  positions: number,
  w: DinScoringWeights,
  chunkFloats: number,
): tf.Tensor2D {
  const users = last - first;
  const biasRow = () => tf.reshape(tf.slice(w.itemBias, [1, 0], [w.numItems, 1]), [1, w.numItems]);
  if (positions === 0) {
    return tf.tidy(() => tf.tile(biasRow(), [users, 1]) as tf.Tensor2D);
  }
  const tokens = new Int32Array(positions);
  const at = new Int32Array(positions);
  const membership = new Float32Array(positions * users);
  let r = 0;
  for (let b = first; b < last; b++) {
    const length = historyLength(h, b);
    for (let t = 0; t < h.maxLen; t++) {
      const token = h.tokens[b * h.maxLen + t];
      if (token === 0) continue;
      tokens[r] = token;
      at[r] = t;
      membership[r * users + (b - first)] = 1 / length;
      r++;
    }
  }
  const d = w.itemTable.shape[1] as number;
  const units = w.unit.kernel.shape[1] as number;
  const itemsPerChunk = Math.max(1, Math.floor(chunkFloats / (positions * units)));
  const kept = tf.tidy(() => {
    const x = tf.expandDims(embeddingLookup(w.itemTable, tf.tensor1d(tokens, 'int32')), 0);
    const recency = embeddingLookup(w.positionTerm, tf.tensor1d(at, 'int32'));
    return {
      x: x as tf.Tensor3D,
      keys: attentionKeys(w.unit, x as tf.Tensor3D, tf.expandDims(recency, 0)),
      xByColumn: tf.transpose(tf.reshape(x, [positions, d])) as tf.Tensor2D,
      members: tf.tensor2d(membership, [positions, users]),
    };
  });
  const chunks: tf.Tensor2D[] = [];
  try {
    for (let j = 0; j < w.numItems; j += itemsPerChunk) {
      const count = Math.min(itemsPerChunk, w.numItems - j);
      chunks.push(
        tf.tidy(() => {
          const v = tf.slice(w.itemTable, [1 + j, 0], [count, d]) as tf.Tensor2D;
          const logits = keyedLogits(w.unit, kept.keys, v);
          const weights = tf.sigmoid(tf.reshape(logits, [count, positions]));
          // Per (item, position) contribution a_t (x_t · v), averaged per user by the membership product.
          const dots = tf.matMul(v, kept.xByColumn);
          const contributions = tf.mul(weights, dots);
          const perUser = tf.mul(tf.matMul(contributions, kept.members), w.scoreScale); // [count, users]
          const bias = tf.reshape(tf.slice(w.itemBias, [1 + j, 0], [count, 1]), [1, count]);
          return tf.add(tf.transpose(perUser), bias) as tf.Tensor2D;
        }),
      );
    }
    return tf.tidy(() => tf.concat(chunks, 1) as tf.Tensor2D);
  } finally {
    tf.dispose(chunks);
    tf.dispose([kept.x, kept.keys, kept.xByColumn, kept.members]);
  }
}

/**
 * Per history, the best-scoring item it has not seen (its first recommendation), from
 * row-major `[batch, numItems]` scores; 0 when every item was seen.
 */
export function topUnseenItems(
  scores: ArrayLike<number>,
  h: HistoryTokens,
  numItems: number,
): Int32Array {
  const top = new Int32Array(h.batch);
  for (let b = 0; b < h.batch; b++) {
    const seen = new Set<number>();
    for (let t = 0; t < h.maxLen; t++) seen.add(h.tokens[b * h.maxLen + t] - 1);
    let best = -1;
    for (let j = 0; j < numItems; j++) {
      if (seen.has(j)) continue;
      if (best < 0 || scores[b * numItems + j] > scores[b * numItems + best]) best = j;
    }
    top[b] = Math.max(best, 0);
  }
  return top;
}

/** Refuses histories of another length or with tokens outside the catalogue. */
export function checkTokens(h: HistoryTokens, numItems: number, maxLen: number): void {
  if (h.maxLen !== maxLen) {
    throw new Error(`din reads histories of exactly ${maxLen} positions; got ${h.maxLen}.`);
  }
  tokenTensor(h, numItems).dispose();
}
