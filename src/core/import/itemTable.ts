/**
 * An imported model's item vectors in dataset terms ({@link ItemTable}): the rows of its item
 * embedding or factor table for the dataset items it knows, so the interest map and the
 * derived categories work on it as on a model trained here.
 */
import type * as tfl from '@tensorflow/tfjs-layers';
import type { ItemTable } from '../models/trained';

/**
 * The rows of `table` (`[model ids, dim]`) for the dataset items with a model id
 * (`toModel[i]`, -1 for an unknown item, or an id past the table).
 */
export function itemTableOf(
  table: Float32Array,
  dim: number,
  toModel: Int32Array,
  source: string,
): ItemTable {
  const ids = dim > 0 ? Math.floor(table.length / dim) : 0;
  const rows: number[] = [];
  for (let i = 0; i < toModel.length; i++) if (toModel[i] >= 0 && toModel[i] < ids) rows.push(i);
  const values = new Float32Array(rows.length * dim);
  rows.forEach((i, r) => {
    values.set(table.subarray(toModel[i] * dim, (toModel[i] + 1) * dim), r * dim);
  });
  return { rows: Int32Array.from(rows), values, dim, source };
}

/** The weights of a Keras Embedding layer as `[inputDim, outputDim]` values (a copy). */
export function embeddingWeights(
  layers: tfl.LayersModel,
  name: string,
): { data: Float32Array; dim: number } {
  const [weights] = layers.getLayer(name).getWeights();
  return { data: (weights.dataSync() as Float32Array).slice(), dim: weights.shape[1] ?? 1 };
}
