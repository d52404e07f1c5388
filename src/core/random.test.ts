import { describe, expect, it } from 'vitest';
import { hashString, SeededRandom } from './random';

const draws = (rng: SeededRandom, n: number) => Array.from({ length: n }, () => rng.next());

describe('SeededRandom', () => {
  it('repeats its sequence for the same seed and stream, and differs otherwise', () => {
    expect(draws(new SeededRandom(42, 'a'), 20)).toEqual(draws(new SeededRandom(42, 'a'), 20));
    expect(draws(new SeededRandom(42, 'a'), 20)).not.toEqual(draws(new SeededRandom(43, 'a'), 20));
    expect(draws(new SeededRandom(42, 'a'), 20)).not.toEqual(draws(new SeededRandom(42, 'b'), 20));
  });

  it('draws uniformly in [0, 1) (mean and range over 20,000 draws)', () => {
    const values = draws(new SeededRandom(1), 20_000);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.01);
  });

  it('draws integers over the whole inclusive range', () => {
    const rng = new SeededRandom(3);
    const seen = new Set(Array.from({ length: 500 }, () => rng.int(2, 5)));
    expect([...seen].sort()).toEqual([2, 3, 4, 5]);
  });

  it('draws indices in proportion to their weights, never a zero weight', () => {
    const rng = new SeededRandom(5);
    const counts = [0, 0, 0];
    for (let i = 0; i < 10_000; i++) counts[rng.weightedIndex([1, 0, 3])]++;
    expect(counts[1]).toBe(0);
    expect(counts[2] / counts[0]).toBeGreaterThan(2.6);
    expect(counts[2] / counts[0]).toBeLessThan(3.4);
    expect(() => rng.weightedIndex([0, 0])).toThrow(/zero/);
  });

  it('samples distinct indices without replacement', () => {
    const chosen = new SeededRandom(9).weightedSample([1, 1, 1, 0, 1], 10);
    expect(chosen).toHaveLength(4);
    expect(new Set(chosen).size).toBe(4);
    expect(chosen).not.toContain(3);
  });

  it('rejects a seed that is not a safe integer', () => {
    expect(() => new SeededRandom(Number.NaN)).toThrow(/seed/);
    expect(hashString('abc')).toBe(hashString('abc'));
    expect(hashString('abc')).not.toBe(hashString('abd'));
  });

  it('started from a raw state, draws plain mulberry32 (signed or unsigned state alike)', () => {
    // The plain mulberry32 that the sampled evaluation, the smoke test and the synthetic CSVs
    // each had their own copy of before they shared this class.
    const reference = (seed: number) => {
      let a = seed >>> 0;
      return () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
      };
    };
    for (const seed of [0, 1234, 0x9e3779b1, 0xffffffff]) {
      const expected = reference(seed);
      const want = Array.from({ length: 1000 }, () => expected());
      expect(draws(SeededRandom.fromState(seed), 1000)).toEqual(want);
    }
  });
});
