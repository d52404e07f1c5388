/** Test-only helpers of the comparison statistics' tests. */
import type { SeededRandom } from '../random';

/** Per-user NDCG@10-like values: most users miss (0), hits score 1 / log2(rank + 1). */
export function ndcgLike(rng: SeededRandom, n: number, hitRate: number): Float64Array {
  return Float64Array.from({ length: n }, () =>
    rng.chance(hitRate) ? 1 / Math.log2(rng.int(1, 10) + 1) : 0,
  );
}
