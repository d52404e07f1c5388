/**
 * Item content embeddings for the two-tower model: e_i = id embedding + mean of the item's
 * category embeddings + mean of its hashed title-token embeddings. Side information lets items
 * with few interactions borrow strength from similar items; without features e_i is the id
 * embedding alone. Feature lists are packed once into padded per-item arrays, and each call
 * looks up only the tokens it is given, so the cost follows the batch, not the catalogue.
 */
import * as tf from '../tf';
import { embeddingLookup } from './embedding';
import type { ItemFeatures } from './trained';
import { glorotNormal, type SeedStream, type WeightSet } from './weights';

/** One bag-of-ids feature, padded per token (row 0 = padding token, empty). */
interface PackedBag {
  table: tf.Variable;
  width: number;
  ids: Int32Array;
  weights: Float32Array;
}

function pack(lists: number[][], limit: number, what: string): Omit<PackedBag, 'table'> {
  // A loop, not a spread: a 200k-item catalogue would overflow the call stack.
  const width = lists.reduce((m, l) => Math.max(m, l.length), 0);
  const ids = new Int32Array((lists.length + 1) * width);
  const weights = new Float32Array((lists.length + 1) * width);
  lists.forEach((list, item) => {
    list.forEach((id, k) => {
      if (!Number.isInteger(id) || id < 0 || id >= limit) {
        throw new RangeError(`Item ${item} has ${what} ${id}, outside 0..${limit - 1}.`);
      }
      ids[(item + 1) * width + k] = id;
      weights[(item + 1) * width + k] = 1 / list.length;
    });
  });
  return { width, ids, weights };
}

export class ItemContent {
  readonly idTable: tf.Variable;
  private readonly bags: PackedBag[] = [];

  constructor(
    weights: WeightSet,
    private readonly numItems: number,
    dim: number,
    seeds: SeedStream,
    features?: ItemFeatures,
  ) {
    const idSeed = seeds.next();
    this.idTable = weights.add(
      'item_embedding',
      tf.tidy(() => tf.concat([tf.zeros([1, dim]), glorotNormal([numItems, dim], idSeed)])),
    );
    if (!features) return;
    if (features.categories.length !== numItems || features.titleTokens.length !== numItems) {
      throw new Error(
        `Item features cover ${features.categories.length} items (categories) and ` +
          `${features.titleTokens.length} (titles); the model has ${numItems}.`,
      );
    }
    const sources: [string, number[][], number][] = [
      ['category', features.categories, features.numCategories],
      ['title_token', features.titleTokens, features.titleBuckets],
    ];
    for (const [name, lists, size] of sources) {
      const packed = pack(lists, size, name.replace('_', ' '));
      if (packed.width === 0) continue;
      const table = weights.add(`${name}_embedding`, glorotNormal([size, dim], seeds.next()));
      this.bags.push({ table, ...packed });
    }
  }

  /** Content embeddings of `tokens` (0 = padding, a zero row), `[tokens.length, d]`. */
  rows(tokens: Int32Array): tf.Tensor2D {
    for (const t of tokens) {
      if (t < 0 || t > this.numItems) {
        throw new RangeError(`Item token ${t} is outside 0..${this.numItems} (0 = padding).`);
      }
    }
    let out = embeddingLookup(this.idTable, tf.tensor1d(tokens, 'int32'));
    for (const bag of this.bags) out = tf.add(out, bagMean(bag, tokens));
    return out as tf.Tensor2D;
  }
}

function bagMean(bag: PackedBag, tokens: Int32Array): tf.Tensor {
  const n = tokens.length;
  const ids = new Int32Array(n * bag.width);
  const weights = new Float32Array(n * bag.width);
  for (let i = 0; i < n; i++) {
    const from = tokens[i] * bag.width;
    ids.set(bag.ids.subarray(from, from + bag.width), i * bag.width);
    weights.set(bag.weights.subarray(from, from + bag.width), i * bag.width);
  }
  const looked = embeddingLookup(bag.table, tf.tensor2d(ids, [n, bag.width], 'int32'));
  return tf.sum(tf.mul(looked, tf.tensor3d(weights, [n, bag.width, 1])), 1);
}

/**
 * The distinct tokens of several arrays and, per array, each element's index among them: one
 * content pass for everything a batch needs, then cheap lookups.
 */
export function localIndex(...arrays: Int32Array[]): { unique: Int32Array; local: Int32Array[] } {
  const position = new Map<number, number>();
  for (const a of arrays) for (const t of a) if (!position.has(t)) position.set(t, position.size);
  const local = arrays.map((a) => Int32Array.from(a, (t) => position.get(t) as number));
  return { unique: Int32Array.from(position.keys()), local };
}
