/**
 * The interest map: a model's item embeddings projected to 2-D (PCA by default, UMAP as an
 * option), so a user's history, their recommendations and the explained item can be seen
 * against the catalogue ("it sits in the middle of your recent cluster").
 *
 * Every neural variant keeps its item table as the weight `item_embedding` (`[items + 1, d]`,
 * row 0 the padding token); baselines have none, and a model mapped from other data has its
 * table in the other data's item order: both are refused in one sentence. UMAP's cost grows
 * faster than linearly, so above {@link MAX_UMAP_ITEMS} items it runs on a seeded sample (the
 * result says how many); PCA always covers every item.
 */
import { UMAP } from 'umap-js';
import type { TrainedRecommender } from '../models/trained';
import { SeededRandom } from '../random';
import { pca2d } from './projection';

export const MAX_UMAP_ITEMS = 5000;

export interface ItemEmbeddings {
  /** Row-major `numItems x dim` (padding row dropped), dataset item order. */
  values: Float32Array;
  /** Rows of `values`. */
  numItems: number;
  dim: number;
  /**
   * The dataset item of each row, when the table covers only some items (an imported model
   * that does not know every item); absent: row i is dataset item i, every item has one.
   */
  items?: Int32Array;
}

/** The model's item table, or a sentence saying why it has none. */
export function itemEmbeddings(model: TrainedRecommender): ItemEmbeddings | string {
  if (model.itemTable) {
    const table = model.itemTable();
    if (table.rows.length === 0) return `${model.id} knows none of this data's items.`;
    const complete =
      table.rows.length === model.numItems && table.rows.every((item, r) => item === r);
    return {
      values: table.values,
      numItems: table.rows.length,
      dim: table.dim,
      ...(complete ? {} : { items: table.rows }),
    };
  }
  if (!model.neural) {
    return `${model.id} has no item embeddings (it is a baseline): choose a neural model for the map.`;
  }
  if (model.mapped) {
    return `${model.id} was mapped onto this data from other data: its item table is in the other data's order.`;
  }
  const n = model.numItems;
  const table = model
    .exportWeights()
    .find((w) => w.name === 'item_embedding' && w.shape.length === 2 && w.dtype === 'float32');
  if (!table) return `${model.id} has no item embedding table to project.`;
  const [rows, dim] = table.shape;
  if (rows !== n + 1 && rows !== n) {
    return `${model.id}'s item table has ${rows} rows for ${n} items: it cannot be drawn.`;
  }
  const offset = rows === n + 1 ? dim : 0;
  return {
    values: (table.data as Float32Array).slice(offset, offset + n * dim),
    numItems: n,
    dim,
  };
}

export interface ItemProjection {
  method: 'pca' | 'umap';
  /** Items projected (dataset indices); every item of the table for PCA, a sample above the UMAP cap. */
  items: Int32Array;
  /** x, y per projected item (interleaved). */
  xy: Float32Array;
  /** PCA: share of the variance the two axes explain; null for UMAP. */
  explained: number | null;
  /** A sentence when the projection left items out. */
  note: string | null;
}

export interface ProjectOptions {
  method: 'pca' | 'umap';
  seed?: number;
  /** UMAP's epoch callback (0..1); return nothing. Called between epochs. */
  onProgress?: (share: number) => void;
  signal?: AbortSignal;
}

/** Projects the item embeddings to 2-D (see the module comment). */
export async function projectItems(
  embeddings: ItemEmbeddings,
  options: ProjectOptions,
): Promise<ItemProjection> {
  const { values, numItems, dim } = embeddings;
  const seed = options.seed ?? 7;
  const itemOf = (r: number) => embeddings.items?.[r] ?? r;
  if (options.method === 'pca') {
    const pca = pca2d(values, numItems, dim, { seed });
    return {
      method: 'pca',
      items: Int32Array.from({ length: numItems }, (_, r) => itemOf(r)),
      xy: pca.xy,
      explained: pca.explained,
      note: null,
    };
  }
  const rng = new SeededRandom(seed, 'interest-map-umap');
  let items = Int32Array.from({ length: numItems }, (_, i) => i);
  let note: string | null = null;
  if (numItems > MAX_UMAP_ITEMS) {
    for (let i = 0; i < MAX_UMAP_ITEMS; i++) {
      const j = rng.int(i, numItems - 1);
      const t = items[i];
      items[i] = items[j];
      items[j] = t;
    }
    items = items.subarray(0, MAX_UMAP_ITEMS).sort();
    note = `UMAP drew a seeded sample of ${MAX_UMAP_ITEMS.toLocaleString('en-US')} of ${numItems.toLocaleString('en-US')} items; PCA draws them all.`;
  }
  const rows = Array.from(items, (i) => Array.from(values.subarray(i * dim, (i + 1) * dim)));
  if (rows.length < 3) {
    return {
      method: 'umap',
      items: items.map(itemOf),
      xy: new Float32Array(items.length * 2),
      explained: null,
      note,
    };
  }
  const umap = new UMAP({
    nComponents: 2,
    nNeighbors: Math.min(15, rows.length - 1),
    minDist: 0.1,
    random: () => rng.next(),
  });
  const epochs = umap.initializeFit(rows);
  for (let e = 0; e < epochs; e++) {
    options.signal?.throwIfAborted();
    umap.step();
    if (e % 10 === 0) {
      options.onProgress?.(e / epochs);
      // Let a cancel message in between epochs.
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
  }
  const embedding = umap.getEmbedding();
  const xy = new Float32Array(items.length * 2);
  for (let r = 0; r < embedding.length; r++) {
    xy[2 * r] = embedding[r][0];
    xy[2 * r + 1] = embedding[r][1];
  }
  return { method: 'umap', items: items.map(itemOf), xy, explained: null, note };
}
