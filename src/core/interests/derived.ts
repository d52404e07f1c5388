/**
 * Categories for data that has none: k-means clusters of a trained model's item embeddings.
 * Rows are L2-normalised first, so Euclidean k-means on them ranks like cosine similarity
 * (`metric: 'cosine'` also renormalises the centroids: spherical k-means). Seeded k-means++
 * starts, Lloyd iterations, the best of a few restarts (least total squared distance). Each
 * cluster is named by its most typical items (those closest to
 * its centroid), by title or id, and the map is marked `derived`.
 *
 * Memory stays linear: the normalised rows (numItems × dim), the centroids (k × dim) and one
 * assignment per item; distances are computed on the fly, never as a matrix.
 */
import { SeededRandom } from '../random';
import type { CategoryMap } from './types';

export interface DeriveOptions {
  /** Clusters (default min(12, round(sqrt(numItems / 2))), at least 1, at most numItems). */
  k?: number;
  /** Seed of the k-means++ start (default 7). */
  seed?: number;
  /** Per item: title or null, to name clusters. */
  titles?: readonly (string | null)[];
  /** Per item: id, used when there is no title. */
  ids?: readonly string[];
  /** Lloyd iterations at most (default 50); stops earlier when no item changes cluster. */
  maxIterations?: number;
  /** `cosine` (default): spherical k-means; `euclidean`: plain k-means, both on unit rows. */
  metric?: 'cosine' | 'euclidean';
  /** Typical items in a cluster's name (default 3, 1 to 5). */
  nameItems?: number;
  /**
   * k-means++ starts; the tightest result is kept (default 4, fewer above a million values so
   * that a large catalogue costs about as much as a small one: 1 from 4 M values).
   */
  restarts?: number;
}

export interface DerivedCategories extends CategoryMap {
  derived: true;
  /** Items per cluster. */
  sizes: number[];
  /** Per cluster: its most typical items (closest to the centroid first). */
  typicalItems: number[][];
  /** Lloyd iterations run (by the restart kept). */
  iterations: number;
  /** Mean squared distance of an item's unit row to its cluster's centroid. */
  inertia: number;
}

/** The default number of clusters for a catalogue of `numItems`. */
export function defaultClusterCount(numItems: number): number {
  return Math.max(1, Math.min(12, Math.round(Math.sqrt(numItems / 2)), numItems));
}

/** Largest numItems × dim accepted (64 M floats, 256 MiB). */
export const MAX_EMBEDDING_VALUES = 64 * 1024 * 1024;

function sqDistance(x: Float32Array, i: number, c: Float64Array, j: number, dim: number): number {
  let s = 0;
  const xo = i * dim;
  const co = j * dim;
  for (let d = 0; d < dim; d++) {
    const diff = x[xo + d] - c[co + d];
    s += diff * diff;
  }
  return s;
}

function shorten(text: string, max = 28): string {
  const t = text.trim().replace(/\s+/g, ' ');
  return t.length <= max ? t : `${t.slice(0, max - 1)}…`;
}

/**
 * Clusters the item embeddings (row-major `numItems × dim`) into `k` derived categories, each
 * item in exactly one, each named by its most typical items.
 */
export function deriveCategories(
  embeddings: Float32Array,
  numItems: number,
  dim: number,
  options: DeriveOptions = {},
): DerivedCategories {
  if (!Number.isInteger(numItems) || numItems < 0 || !Number.isInteger(dim) || dim < 1) {
    throw new RangeError(`Embeddings need integer sizes, got ${numItems} items of width ${dim}.`);
  }
  if (embeddings.length !== numItems * dim) {
    throw new RangeError(
      `Embeddings hold ${embeddings.length} values, not ${numItems} items × ${dim} = ${numItems * dim}.`,
    );
  }
  if (numItems * dim > MAX_EMBEDDING_VALUES) {
    throw new RangeError(
      `${numItems} items × ${dim} dimensions is more than the ${MAX_EMBEDDING_VALUES} values clustering accepts.`,
    );
  }
  const k = options.k ?? defaultClusterCount(numItems);
  if (numItems > 0 && !(Number.isInteger(k) && k >= 1 && k <= numItems)) {
    throw new RangeError(
      `The number of clusters must be an integer from 1 to ${numItems}, got ${k}.`,
    );
  }
  const maxIterations = options.maxIterations ?? 50;
  if (!(Number.isInteger(maxIterations) && maxIterations >= 1)) {
    throw new RangeError(`maxIterations must be an integer >= 1, got ${maxIterations}.`);
  }
  const nameItems = options.nameItems ?? 3;
  if (!(Number.isInteger(nameItems) && nameItems >= 1 && nameItems <= 5)) {
    throw new RangeError(`nameItems must be an integer from 1 to 5, got ${nameItems}.`);
  }
  const restarts =
    options.restarts ??
    Math.max(1, Math.min(4, Math.floor(4_000_000 / Math.max(1, numItems * dim))));
  if (!(Number.isInteger(restarts) && restarts >= 1)) {
    throw new RangeError(`restarts must be an integer >= 1, got ${restarts}.`);
  }
  const spherical = (options.metric ?? 'cosine') === 'cosine';
  if (numItems === 0) {
    return {
      itemCategories: [],
      names: [],
      derived: true,
      sizes: [],
      typicalItems: [],
      iterations: 0,
      inertia: 0,
    };
  }

  // Unit rows (non-finite values count as 0; an all-zero row stays at the origin).
  const x = new Float32Array(numItems * dim);
  for (let i = 0; i < numItems; i++) {
    let norm = 0;
    for (let d = 0; d < dim; d++) {
      const v = embeddings[i * dim + d];
      if (Number.isFinite(v)) norm += v * v;
    }
    const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let d = 0; d < dim; d++) {
      const v = embeddings[i * dim + d];
      x[i * dim + d] = Number.isFinite(v) ? v * scale : 0;
    }
  }

  const rng = new SeededRandom(options.seed ?? 7, 'derive-categories');
  let best: KMeansResult | null = null;
  for (let r = 0; r < restarts; r++) {
    const result = kMeans(x, numItems, dim, k, maxIterations, spherical, rng);
    if (!best || result.inertia < best.inertia) best = result;
  }
  const { assignment, distance, sizes, iterations, inertia } = best as KMeansResult;

  // The most typical items per cluster: a small sorted list each, one pass.
  const typicalItems: number[][] = Array.from({ length: k }, () => []);
  for (let i = 0; i < numItems; i++) {
    const list = typicalItems[assignment[i]];
    let at = list.length;
    while (at > 0 && distance[list[at - 1]] > distance[i]) at--;
    if (at < nameItems) {
      list.splice(at, 0, i);
      if (list.length > nameItems) list.pop();
    }
  }
  const label = (i: number) => shorten(options.titles?.[i] ?? options.ids?.[i] ?? `item ${i}`);
  const names: string[] = [];
  const used = new Set<string>();
  for (let j = 0; j < k; j++) {
    let name =
      typicalItems[j].length > 0 ? typicalItems[j].map(label).join(' · ') : `cluster ${j + 1}`;
    if (used.has(name)) name = `${name} (${j + 1})`;
    used.add(name);
    names.push(name);
  }
  const itemCategories = Array.from(assignment, (j) => [j]);
  return { itemCategories, names, derived: true, sizes, typicalItems, iterations, inertia };
}

interface KMeansResult {
  assignment: Int32Array;
  /** Squared distance of each item to its centroid. */
  distance: Float64Array;
  sizes: number[];
  iterations: number;
  inertia: number;
}

/** One k-means++ start and its Lloyd iterations on the unit rows `x`. */
function kMeans(
  x: Float32Array,
  numItems: number,
  dim: number,
  k: number,
  maxIterations: number,
  spherical: boolean,
  rng: SeededRandom,
): KMeansResult {
  // k-means++ start.
  const centroids = new Float64Array(k * dim);
  const setCentroid = (j: number, i: number) => {
    for (let d = 0; d < dim; d++) centroids[j * dim + d] = x[i * dim + d];
  };
  setCentroid(0, rng.int(0, numItems - 1));
  const nearest = new Float64Array(numItems);
  for (let i = 0; i < numItems; i++) nearest[i] = sqDistance(x, i, centroids, 0, dim);
  for (let j = 1; j < k; j++) {
    let total = 0;
    for (let i = 0; i < numItems; i++) total += nearest[i];
    let pick = numItems - 1;
    if (total > 0) {
      let target = rng.next() * total;
      for (let i = 0; i < numItems; i++) {
        target -= nearest[i];
        if (target < 0) {
          pick = i;
          break;
        }
      }
    } else {
      pick = rng.int(0, numItems - 1); // every item sits on a centre: duplicates
    }
    setCentroid(j, pick);
    for (let i = 0; i < numItems; i++) {
      const dist = sqDistance(x, i, centroids, j, dim);
      if (dist < nearest[i]) nearest[i] = dist;
    }
  }

  // Lloyd iterations.
  const assignment = new Int32Array(numItems).fill(-1);
  const distance = new Float64Array(numItems);
  const sizes = new Array<number>(k).fill(0);
  let iterations = 0;
  for (let iter = 0; iter < maxIterations; iter++) {
    iterations = iter + 1;
    let changed = 0;
    for (let i = 0; i < numItems; i++) {
      let best = 0;
      let bestDist = Number.POSITIVE_INFINITY;
      for (let j = 0; j < k; j++) {
        const dist = sqDistance(x, i, centroids, j, dim);
        if (dist < bestDist) {
          bestDist = dist;
          best = j;
        }
      }
      if (assignment[i] !== best) changed++;
      assignment[i] = best;
      distance[i] = bestDist;
    }
    if (changed === 0 && iter > 0) break;
    centroids.fill(0);
    sizes.fill(0);
    for (let i = 0; i < numItems; i++) {
      const j = assignment[i];
      sizes[j]++;
      for (let d = 0; d < dim; d++) centroids[j * dim + d] += x[i * dim + d];
    }
    for (let j = 0; j < k; j++) {
      if (sizes[j] === 0) {
        // An empty cluster restarts at the item farthest from its own centre.
        let far = 0;
        for (let i = 1; i < numItems; i++) if (distance[i] > distance[far]) far = i;
        setCentroid(j, far);
        distance[far] = 0;
        continue;
      }
      let norm = 0;
      for (let d = 0; d < dim; d++) {
        centroids[j * dim + d] /= sizes[j];
        norm += centroids[j * dim + d] ** 2;
      }
      if (spherical && norm > 0) {
        const scale = 1 / Math.sqrt(norm);
        for (let d = 0; d < dim; d++) centroids[j * dim + d] *= scale;
      }
    }
  }
  // Final sizes and distances for the assignment kept.
  sizes.fill(0);
  for (let i = 0; i < numItems; i++) {
    sizes[assignment[i]]++;
    distance[i] = sqDistance(x, i, centroids, assignment[i], dim);
  }

  let inertia = 0;
  for (let i = 0; i < numItems; i++) inertia += distance[i];
  return { assignment, distance, sizes, iterations, inertia: inertia / numItems };
}
