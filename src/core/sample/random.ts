/**
 * The sample simulation's weighted draws. Every random draw of the simulation goes through
 * {@link SeededRandom} (src/core/random.ts, re-exported here); nothing calls `Math.random`, so
 * a seed fully determines the bundled dataset.
 */

import type { SeededRandom } from '../random';

export { hashString, SeededRandom } from '../random';

/**
 * Cumulative sums of `weights`, for repeated O(log n) draws with {@link drawCumulative}
 * (the item catalogue is drawn from tens of thousands of times).
 */
export function cumulative(weights: readonly number[]): Float64Array {
  const sums = new Float64Array(weights.length);
  let total = 0;
  for (let i = 0; i < weights.length; i++) {
    total += weights[i];
    sums[i] = total;
  }
  return sums;
}

/** An index drawn in proportion to the weights whose cumulative sums are `sums`. */
export function drawCumulative(rng: SeededRandom, sums: Float64Array): number {
  const total = sums[sums.length - 1];
  const target = rng.next() * total;
  let lo = 0;
  let hi = sums.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sums[mid] > target) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
