/**
 * The bootstrap statistics against resampling distributions worked out by hand and
 * normal-theory widths, plus seeded property checks.
 */
import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../random';
import { bootstrapMeanCI, pairedBootstrap } from './bootstrap';
import { ndcgLike } from './statsTesting';

function mean(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i];
  return s / values.length;
}

describe('bootstrapMeanCI', () => {
  it('returns NaN for no users and a zero-width interval for one value or constant values', () => {
    expect(bootstrapMeanCI([])).toEqual({ mean: Number.NaN, lo: Number.NaN, hi: Number.NaN });
    expect(bootstrapMeanCI([0.7])).toEqual({ mean: 0.7, lo: 0.7, hi: 0.7 });
    const constant = bootstrapMeanCI([0.1, 0.1, 0.1], { resamples: 200 });
    expect(constant.lo).toBe(constant.mean);
    expect(constant.hi).toBe(constant.mean);
  });

  it('matches the resampling distribution of two values worked out by hand', () => {
    // Resampled means of {0, 1} with n = 2 are 0, ½, 1 with probabilities ¼, ½, ¼. The 5 % and
    // 95 % quantiles are therefore 0 and 1; the 30 % and 70 % quantiles are both ½.
    const wide = bootstrapMeanCI([0, 1], { resamples: 20000, level: 0.9 });
    expect(wide).toEqual({ mean: 0.5, lo: 0, hi: 1 });
    const narrow = bootstrapMeanCI([0, 1], { resamples: 20000, level: 0.4 });
    expect(narrow).toEqual({ mean: 0.5, lo: 0.5, hi: 0.5 });
  });

  it('is fixed by its seed and changes with it', () => {
    const values = ndcgLike(new SeededRandom(1, 'values'), 200, 0.3);
    const first = bootstrapMeanCI(values, { seed: 7 });
    expect(bootstrapMeanCI(values, { seed: 7 })).toEqual(first);
    const other = bootstrapMeanCI(values, { seed: 8 });
    expect(other.mean).toBe(first.mean);
    expect([other.lo, other.hi]).not.toEqual([first.lo, first.hi]);
  });

  it('contains the mean on realistic data and has about the normal-theory width', () => {
    const rng = new SeededRandom(2, 'users');
    for (let trial = 0; trial < 20; trial++) {
      const n = rng.int(50, 400);
      const values = ndcgLike(rng, n, rng.uniform(0.05, 0.6));
      const ci = bootstrapMeanCI(values, { seed: trial });
      expect(ci.mean).toBeCloseTo(mean(values), 12);
      expect(ci.lo).toBeLessThan(ci.mean);
      expect(ci.hi).toBeGreaterThan(ci.mean);
      // Normal theory: width ≈ 2 · 1.96 · sd / √n (the bootstrap sd uses divisor n).
      let ss = 0;
      for (const v of values) ss += (v - ci.mean) ** 2;
      const expected = (2 * 1.96 * Math.sqrt(ss / n)) / Math.sqrt(n);
      expect((ci.hi - ci.lo) / expected).toBeGreaterThan(0.85);
      expect((ci.hi - ci.lo) / expected).toBeLessThan(1.15);
    }
  });

  it('narrows with a lower level', () => {
    const values = ndcgLike(new SeededRandom(3, 'values'), 300, 0.3);
    const ci95 = bootstrapMeanCI(values);
    const ci80 = bootstrapMeanCI(values, { level: 0.8 });
    expect(ci80.hi - ci80.lo).toBeLessThan(ci95.hi - ci95.lo);
  });

  it('rejects bad options and non-finite values', () => {
    expect(() => bootstrapMeanCI([1, 2], { resamples: 0 })).toThrow(RangeError);
    expect(() => bootstrapMeanCI([1, 2], { resamples: 2.5 })).toThrow(RangeError);
    expect(() => bootstrapMeanCI([1, 2], { level: 1 })).toThrow(RangeError);
    expect(() => bootstrapMeanCI([1, Number.NaN])).toThrow(/values\[1\] is NaN/);
  });
});

describe('pairedBootstrap', () => {
  it('gives delta 0, a zero interval and p = 1 for identical models', () => {
    const values = ndcgLike(new SeededRandom(4, 'values'), 150, 0.3);
    expect(pairedBootstrap(values, values)).toEqual({ delta: 0, lo: 0, hi: 0, pValue: 1, n: 150 });
  });

  it('gives p = 0 and a point interval when every user improves by the same amount', () => {
    // Every difference is 2, so every resampled mean is 2 and none is as far from 2 as 2 is from 0.
    const result = pairedBootstrap([3, 5, 7, 9], [1, 3, 5, 7], { resamples: 500 });
    expect(result).toEqual({ delta: 2, lo: 2, hi: 2, pValue: 0, n: 4 });
  });

  it('handles no users', () => {
    const result = pairedBootstrap([], []);
    expect(result.delta).toBeNaN();
    expect(result.pValue).toBe(1);
  });

  it('is antisymmetric: swapping the models negates delta and keeps p', () => {
    const rng = new SeededRandom(5, 'values');
    const a = ndcgLike(rng, 120, 0.35);
    const b = ndcgLike(rng, 120, 0.3);
    const ab = pairedBootstrap(a, b, { seed: 3 });
    const ba = pairedBootstrap(b, a, { seed: 3 });
    expect(ab.delta).toBeCloseTo(mean(a) - mean(b), 12);
    expect(ba.delta).toBeCloseTo(-ab.delta, 12);
    expect(ba.lo).toBeCloseTo(-ab.hi, 12);
    expect(ba.hi).toBeCloseTo(-ab.lo, 12);
    expect(ba.pValue).toBe(ab.pValue);
  });

  it('is much narrower than unpaired intervals when the models agree on most users', () => {
    const rng = new SeededRandom(6, 'values');
    const a = ndcgLike(rng, 300, 0.4);
    // b equals a except that 10 % of the users lose their hit.
    const b = a.map((v) => (rng.chance(0.1) ? 0 : v));
    const paired = pairedBootstrap(a, b);
    const ciA = bootstrapMeanCI(a);
    const ciB = bootstrapMeanCI(b, { seed: 43 });
    const unpaired = Math.hypot(ciA.hi - ciA.lo, ciB.hi - ciB.lo);
    expect(paired.hi - paired.lo).toBeLessThan(0.5 * unpaired);
    expect(paired.lo).toBeGreaterThan(0);
    expect(paired.pValue).toBeLessThan(0.01);
  });

  it('rejects about 5 % of true nulls at the 5 % level', () => {
    const rng = new SeededRandom(7, 'nulls');
    let rejected = 0;
    const trials = 200;
    for (let t = 0; t < trials; t++) {
      const a = Float64Array.from({ length: 80 }, () => rng.normal());
      const b = Float64Array.from({ length: 80 }, () => rng.normal());
      if (pairedBootstrap(a, b, { resamples: 400, seed: t }).pValue < 0.05) rejected++;
    }
    expect(rejected / trials).toBeGreaterThan(0.01);
    expect(rejected / trials).toBeLessThan(0.11);
  });

  it('is fixed by its seed', () => {
    const rng = new SeededRandom(8, 'values');
    const a = ndcgLike(rng, 100, 0.3);
    const b = ndcgLike(rng, 100, 0.3);
    expect(pairedBootstrap(a, b, { seed: 11 })).toEqual(pairedBootstrap(a, b, { seed: 11 }));
    expect(pairedBootstrap(a, b, { seed: 11 }).lo).not.toBe(pairedBootstrap(a, b, { seed: 12 }).lo);
  });

  it('rejects mismatched lengths', () => {
    expect(() => pairedBootstrap([1, 2], [1])).toThrow(/equal lengths, got 2 and 1/);
  });
});
