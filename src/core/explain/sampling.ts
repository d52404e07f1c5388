/**
 * The removal sampler shared by LIME and KernelSHAP: a sample removes a uniform number 1..n of
 * distinct read items (LIME-text style). Both draw from the same seeded streams (`lime:<s>`),
 * so when both run, KernelSHAP's samples are LIME's, already scored and cached: SHAP then
 * costs no model evaluation at all.
 */
import { SeededRandom } from '../sample/random';
import type { Mask } from './perturbation';

/** The seeded stream of seed number `s` of an explanation seeded `seed`. */
export function removalStream(seed: number, s: number): SeededRandom {
  return new SeededRandom(seed, `lime:${s}`);
}

/** Removes a uniform number 1..n of distinct items. */
export function randomRemoval(rng: SeededRandom, n: number): Mask {
  const mask = new Uint8Array(n).fill(1);
  const removeCount = 1 + Math.floor(rng.next() * n);
  // Partial Fisher-Yates: the first `removeCount` of a random permutation.
  const order = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < removeCount; i++) {
    const j = i + Math.floor(rng.next() * (n - i));
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
    mask[order[i]] = 0;
  }
  return mask;
}
