/**
 * PCA of item embeddings to two dimensions, without forming the dim × dim covariance: seeded
 * randomized subspace iteration (a block of a few more vectors than the two wanted, multiplied
 * by the centred data and its transpose, re-orthonormalised each round), then the exact
 * eigenvectors of the covariance restricted to that block (Rayleigh-Ritz, Jacobi). Each round
 * costs O(numItems · dim · block); it stops when the two leading variances settle (to 1e-7 of
 * the first).
 */
import { SeededRandom } from '../random';

export interface PcaOptions {
  /** Seed of the starting block (default 7). */
  seed?: number;
  /** Rounds of subspace iteration at most (default 30; at least 2 run). */
  maxIterations?: number;
}

export interface Pca2d {
  /** x, y per item, interleaved (length 2 · numItems). */
  xy: Float32Array;
  /** Share of the total variance along the two axes (0..1; 0 when there is no variance). */
  explained: number;
  /** The variance along each axis. */
  variances: [number, number];
  /** The two principal directions, row-major 2 × dim (unit length; largest entry positive). */
  components: Float32Array;
  iterations: number;
}

/** Vectors in the block beyond the two wanted: they make the leading two converge fast. */
const OVERSAMPLE = 6;

/** Eigen-decomposition of a symmetric p × p matrix (row-major) by cyclic Jacobi rotations. */
function jacobiEigen(a: Float64Array, p: number): { values: Float64Array; vectors: Float64Array } {
  const m = Float64Array.from(a);
  const v = new Float64Array(p * p);
  for (let i = 0; i < p; i++) v[i * p + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let i = 0; i < p; i++) for (let j = i + 1; j < p; j++) off += m[i * p + j] ** 2;
    if (off < 1e-30) break;
    for (let i = 0; i < p; i++) {
      for (let j = i + 1; j < p; j++) {
        const aij = m[i * p + j];
        if (Math.abs(aij) < 1e-300) continue;
        const theta = (m[j * p + j] - m[i * p + i]) / (2 * aij);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let r = 0; r < p; r++) {
          const mri = m[r * p + i];
          const mrj = m[r * p + j];
          m[r * p + i] = c * mri - s * mrj;
          m[r * p + j] = s * mri + c * mrj;
        }
        for (let r = 0; r < p; r++) {
          const mir = m[i * p + r];
          const mjr = m[j * p + r];
          m[i * p + r] = c * mir - s * mjr;
          m[j * p + r] = s * mir + c * mjr;
        }
        for (let r = 0; r < p; r++) {
          const vri = v[r * p + i];
          const vrj = v[r * p + j];
          v[r * p + i] = c * vri - s * vrj;
          v[r * p + j] = s * vri + c * vrj;
        }
      }
    }
  }
  const values = new Float64Array(p);
  for (let i = 0; i < p; i++) values[i] = m[i * p + i];
  return { values, vectors: v };
}

/** Modified Gram-Schmidt on the columns of q (dim × p, column-major); a null column is redrawn. */
function orthonormalise(q: Float64Array[], rng: SeededRandom): void {
  for (let j = 0; j < q.length; j++) {
    for (let attempt = 0; attempt < 3; attempt++) {
      for (let i = 0; i < j; i++) {
        let dot = 0;
        for (let d = 0; d < q[j].length; d++) dot += q[i][d] * q[j][d];
        for (let d = 0; d < q[j].length; d++) q[j][d] -= dot * q[i][d];
      }
      let norm = 0;
      for (let d = 0; d < q[j].length; d++) norm += q[j][d] ** 2;
      if (norm > 1e-24) {
        const scale = 1 / Math.sqrt(norm);
        for (let d = 0; d < q[j].length; d++) q[j][d] *= scale;
        break;
      }
      for (let d = 0; d < q[j].length; d++) q[j][d] = rng.normal();
    }
  }
}

/**
 * Projects `values` (row-major `numItems × dim`) onto its two principal axes: an item's x, y
 * are its centred row's coordinates along them.
 */
export function pca2d(
  values: Float32Array,
  numItems: number,
  dim: number,
  options: PcaOptions = {},
): Pca2d {
  if (!Number.isInteger(numItems) || numItems < 0 || !Number.isInteger(dim) || dim < 1) {
    throw new RangeError(`PCA needs integer sizes, got ${numItems} items of width ${dim}.`);
  }
  if (values.length !== numItems * dim) {
    throw new RangeError(
      `PCA got ${values.length} values, not ${numItems} items × ${dim} = ${numItems * dim}.`,
    );
  }
  const maxIterations = Math.max(2, options.maxIterations ?? 30);
  const mean = new Float64Array(dim);
  for (let i = 0; i < numItems; i++) {
    for (let d = 0; d < dim; d++) mean[d] += values[i * dim + d];
  }
  for (let d = 0; d < dim; d++) mean[d] /= Math.max(1, numItems);
  let totalVariance = 0;
  for (let i = 0; i < numItems; i++) {
    for (let d = 0; d < dim; d++) totalVariance += (values[i * dim + d] - mean[d]) ** 2;
  }
  totalVariance /= Math.max(1, numItems);

  const p = Math.min(dim, 2 + OVERSAMPLE);
  const rng = new SeededRandom(options.seed ?? 7, 'pca2d');
  const q: Float64Array[] = Array.from({ length: p }, () =>
    Float64Array.from({ length: dim }, () => rng.normal()),
  );
  orthonormalise(q, rng);
  // y = Xc q (numItems × p, row-major), reused every round.
  const y = new Float64Array(numItems * p);
  const project = () => {
    const shift = q.map((col) => col.reduce((s, v, d) => s + v * mean[d], 0));
    for (let i = 0; i < numItems; i++) {
      const row = i * dim;
      for (let j = 0; j < p; j++) {
        const col = q[j];
        let s = 0;
        for (let d = 0; d < dim; d++) s += values[row + d] * col[d];
        y[i * p + j] = s - shift[j];
      }
    }
  };
  let iterations = 0;
  let previous = [Number.NaN, Number.NaN];
  let ritz: { values: Float64Array; vectors: Float64Array } = {
    values: new Float64Array(p),
    vectors: new Float64Array(p * p),
  };
  for (let iter = 0; iter < maxIterations; iter++) {
    iterations = iter + 1;
    project();
    // Rayleigh-Ritz: B = qᵀ C q = yᵀ y / n.
    const b = new Float64Array(p * p);
    for (let i = 0; i < numItems; i++) {
      for (let a = 0; a < p; a++) {
        const ya = y[i * p + a];
        for (let c = a; c < p; c++) b[a * p + c] += ya * y[i * p + c];
      }
    }
    for (let a = 0; a < p; a++) {
      for (let c = a; c < p; c++) {
        b[a * p + c] /= Math.max(1, numItems);
        b[c * p + a] = b[a * p + c];
      }
    }
    ritz = jacobiEigen(b, p);
    const sorted = Array.from(ritz.values).sort((u, v) => v - u);
    const settled =
      Math.abs(sorted[0] - previous[0]) <= 1e-7 * Math.max(1e-300, sorted[0]) &&
      Math.abs((sorted[1] ?? 0) - previous[1]) <= 1e-7 * Math.max(1e-300, sorted[0]);
    previous = [sorted[0], sorted[1] ?? 0];
    if ((settled && iter >= 1) || iter === maxIterations - 1) break;
    // q ← Xcᵀ y, orthonormalised.
    for (const col of q) col.fill(0);
    const ySum = new Float64Array(p);
    for (let i = 0; i < numItems; i++) {
      const row = i * dim;
      for (let j = 0; j < p; j++) {
        const yij = y[i * p + j];
        if (yij === 0) continue;
        ySum[j] += yij;
        const col = q[j];
        for (let d = 0; d < dim; d++) col[d] += values[row + d] * yij;
      }
    }
    for (let j = 0; j < p; j++) for (let d = 0; d < dim; d++) q[j][d] -= mean[d] * ySum[j];
    orthonormalise(q, rng);
  }

  // The two leading Ritz vectors, in the data's space and as coordinates.
  const order = Array.from({ length: p }, (_, i) => i).sort(
    (u, v) => ritz.values[v] - ritz.values[u],
  );
  const components = new Float32Array(2 * dim);
  const xy = new Float32Array(2 * numItems);
  const variances: [number, number] = [0, 0];
  for (let axis = 0; axis < 2 && axis < p; axis++) {
    const e = order[axis];
    const direction = new Float64Array(dim);
    for (let j = 0; j < p; j++) {
      const w = ritz.vectors[j * p + e];
      for (let d = 0; d < dim; d++) direction[d] += q[j][d] * w;
    }
    // Deterministic sign: the largest entry positive.
    let largest = 0;
    for (let d = 1; d < dim; d++)
      if (Math.abs(direction[d]) > Math.abs(direction[largest])) largest = d;
    const sign = direction[largest] < 0 ? -1 : 1;
    for (let d = 0; d < dim; d++) components[axis * dim + d] = sign * direction[d] || 0;
    for (let i = 0; i < numItems; i++) {
      let s = 0;
      for (let j = 0; j < p; j++) s += y[i * p + j] * ritz.vectors[j * p + e];
      xy[2 * i + axis] = sign * s || 0; // no -0
    }
    variances[axis] = Math.max(0, ritz.values[e]);
  }
  const explained =
    totalVariance > 0 ? Math.min(1, (variances[0] + variances[1]) / totalVariance) : 0;
  return { xy, explained, variances, components, iterations };
}
