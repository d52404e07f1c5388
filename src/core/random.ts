/**
 * The project's one seeded pseudo-random source (mulberry32 core), shared by the sample
 * simulation, weight initialisation, training batches, sampled evaluation, explanations, the
 * backend smoke test and the synthetic CSVs of the e2e tests and benchmarks.
 *
 * Nothing that must be reproducible calls `Math.random`, so a seed fully determines the result.
 * Independent *streams* (`catalog`, `user:17`, `training`, ...) are derived from the seed and
 * a label, so that the draws of one stream never depend on how many draws another made.
 */

/** FNV-1a 32-bit hash of a string; used to turn a (seed, stream label) pair into a state. */
export function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** MurmurHash3's finaliser: spreads every input bit over the whole 32-bit state. */
function finalMix32(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * A small, fast, seeded generator (mulberry32: 32-bit state, period 2^32), ample for a
 * simulation of tens of thousands of events. Not for cryptography.
 */
export class SeededRandom {
  private state: number;

  /**
   * @param seed any safe integer; the same (seed, stream) always yields the same sequence.
   * @param stream a label that gives an independent sequence for the same seed.
   */
  constructor(seed: number, stream = '') {
    if (!Number.isSafeInteger(seed)) {
      throw new Error(`The seed must be a safe integer, got ${String(seed)}.`);
    }
    this.state = finalMix32(hashString(`${seed}/${stream}`));
  }

  /**
   * A generator that starts from the raw 32-bit `state` as given, without deriving it from a
   * (seed, stream) pair: for callers whose numbers are fixed by that state (the sampled
   * evaluation's per-user negatives, the backend smoke matrices).
   */
  static fromState(state: number): SeededRandom {
    const rng = new SeededRandom(0);
    rng.state = state | 0;
    return rng;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform real in [min, max). */
  uniform(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  /** Uniform integer in [min, max], both ends included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** One element, uniformly. Throws on an empty list (a bug in the caller, never data). */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('Cannot pick from an empty list.');
    return items[Math.floor(this.next() * items.length)];
  }

  /** Standard normal draw (Box-Muller). */
  normal(): number {
    const u = 1 - this.next(); // (0, 1]: log(u) is finite
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Number of failures before the first success of a Bernoulli(p) trial; mean (1-p)/p. */
  geometric(p: number): number {
    const u = 1 - this.next();
    return Math.floor(Math.log(u) / Math.log(1 - p));
  }

  /** An index drawn with probability proportional to `weights` (non-negative, sum > 0). */
  weightedIndex(weights: readonly number[]): number {
    let total = 0;
    for (const w of weights) total += w;
    if (!(total > 0)) throw new Error('Cannot draw from weights that sum to zero.');
    let target = this.next() * total;
    for (let i = 0; i < weights.length; i++) {
      target -= weights[i];
      if (target < 0) return i;
    }
    // Floating-point leftovers land on the last positive weight.
    for (let i = weights.length - 1; i >= 0; i--) if (weights[i] > 0) return i;
    return weights.length - 1;
  }

  /**
   * Up to `count` distinct indices drawn one after another with probability proportional to
   * `weights` among those not drawn yet (weighted sampling without replacement).
   */
  weightedSample(weights: readonly number[], count: number): number[] {
    const remaining = [...weights];
    const chosen: number[] = [];
    while (chosen.length < count && remaining.some((w) => w > 0)) {
      const index = this.weightedIndex(remaining);
      chosen.push(index);
      remaining[index] = 0;
    }
    return chosen;
  }
}
