/**
 * Checks on named weight arrays read from a file, shared by every restore path: a weight that
 * is missing, of the wrong type or of the wrong shape is reported by name, with what was
 * expected, before any model is built from it.
 */
import { ModelFileError } from './modelFileError';
import type { WeightArray } from './trained';

/** Number of elements of a shape (1 for a scalar). */
export function shapeSize(shape: readonly number[]): number {
  let size = 1;
  for (const d of shape) size *= d;
  return size;
}

/**
 * The weight `name` of `owner`, checked for dtype and rank-1 length (or exact shape when
 * `shape` is given). Throws {@link ModelFileError} `shape-mismatch` naming the weight.
 */
export function requireWeight(
  weights: readonly WeightArray[],
  owner: string,
  name: string,
  dtype: WeightArray['dtype'],
  shape?: readonly number[],
): WeightArray {
  const found = weights.find((w) => w.name === name);
  if (!found) {
    throw new ModelFileError('shape-mismatch', `The ${owner} weights lack ${name}.`);
  }
  if (found.dtype !== dtype) {
    throw new ModelFileError(
      'shape-mismatch',
      `Weight ${name} is ${found.dtype}; ${owner} needs ${dtype}.`,
    );
  }
  if (
    shape &&
    (found.shape.length !== shape.length || found.shape.some((d, i) => d !== shape[i]))
  ) {
    throw new ModelFileError(
      'shape-mismatch',
      `Weight ${name} has shape [${found.shape.join(', ')}]; ${owner} needs [${shape.join(', ')}].`,
    );
  }
  if (!shape && found.shape.length !== 1) {
    throw new ModelFileError(
      'shape-mismatch',
      `Weight ${name} has shape [${found.shape.join(', ')}]; ${owner} needs a list (rank 1).`,
    );
  }
  return found;
}

/** Refuses weights beyond `expected` (a file from a different model layout), naming them. */
export function refuseExtraWeights(
  weights: readonly WeightArray[],
  owner: string,
  expected: readonly string[],
): void {
  const extra = weights.filter((w) => !expected.includes(w.name)).map((w) => w.name);
  if (extra.length > 0) {
    throw new ModelFileError(
      'shape-mismatch',
      `The ${owner} weights hold unexpected entries: ${extra.join(', ')}.`,
    );
  }
}
