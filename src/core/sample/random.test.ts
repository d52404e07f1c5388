import { describe, expect, it } from 'vitest';
import { cumulative, drawCumulative, hashString, SeededRandom } from './random';

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

  it('agrees between cumulative draws and the weights they come from', () => {
    const rng = new SeededRandom(11);
    const sums = cumulative([0, 2, 0, 6]);
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 8_000; i++) counts[drawCumulative(rng, sums)]++;
    expect(counts[0] + counts[2]).toBe(0);
    expect(counts[3] / counts[1]).toBeGreaterThan(2.6);
    expect(counts[3] / counts[1]).toBeLessThan(3.4);
  });

  it('rejects a seed that is not a safe integer', () => {
    expect(() => new SeededRandom(Number.NaN)).toThrow(/seed/);
    expect(hashString('abc')).toBe(hashString('abc'));
    expect(hashString('abc')).not.toBe(hashString('abd'));
  });
});
