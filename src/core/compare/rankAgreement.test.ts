/**
 * List agreement against cases worked out by hand and against published values (the RBO
 * paper's formulas and the doctests and READMEs of the public rbo implementations), plus seeded
 * property checks.
 */
import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../random';
import { jaccardAtK, rankBiasedOverlap, rankBiasedOverlapBounds } from './rankAgreement';

/** Codes of a string's letters, so the rbo packages' string examples read as written. */
const letters = (text: string) => Array.from(text, (c) => c.charCodeAt(0));

describe('jaccardAtK', () => {
  it('matches hand-computed cases', () => {
    expect(jaccardAtK([1, 2, 3], [2, 3, 4], 3)).toBeCloseTo(2 / 4, 15);
    expect(jaccardAtK([1, 2, 3], [2, 3, 4], 2)).toBeCloseTo(1 / 3, 15);
    expect(jaccardAtK([1, 2, 3], [3, 2, 1], 3)).toBe(1);
    expect(jaccardAtK([1, 2], [3, 4], 2)).toBe(0);
  });

  it('ignores -1 padding; two empty lists are identical', () => {
    expect(jaccardAtK([5, -1, -1], [5, 6, -1], 3)).toBeCloseTo(1 / 2, 15);
    expect(jaccardAtK([-1, -1], [-1, -1], 2)).toBe(1);
    expect(jaccardAtK([], [], 10)).toBe(1);
    expect(jaccardAtK([1], [], 10)).toBe(0);
  });

  it('rejects k < 1', () => {
    expect(() => jaccardAtK([1], [1], 0)).toThrow(/k must be an integer >= 1, got 0/);
    expect(() => jaccardAtK([1], [1], 1.5)).toThrow(RangeError);
  });
});

describe('rankBiasedOverlap', () => {
  it('gives 1 for identical lists and for a list that is a prefix of the other', () => {
    expect(rankBiasedOverlap([4, 2, 9, 1], [4, 2, 9, 1])).toBeCloseTo(1, 14);
    // changyaochen/rbo README: A = abcde against D = abcdefg is 1.
    expect(rankBiasedOverlap(letters('abcde'), letters('abcdefg'))).toBeCloseTo(1, 14);
    expect(rankBiasedOverlap([], [])).toBe(1);
  });

  it('gives 0 for disjoint lists and against an empty list', () => {
    expect(rankBiasedOverlap(letters('abcde'), letters('fghij'))).toBe(0);
    expect(rankBiasedOverlap([1, 2, 3], [4, 5])).toBe(0);
    expect(rankBiasedOverlap([1, 2], [])).toBe(0);
  });

  it('matches published values of the rbo implementations', () => {
    // dlukes/rbo doctest: rbo_ext("abcdefg", "bacdefg", .9) → 0.900 (exactly p: A_1 = 0, then 1).
    expect(rankBiasedOverlap(letters('abcdefg'), letters('bacdefg'), { p: 0.9 })).toBeCloseTo(
      0.9,
      14,
    );
    // b4ny4n/rankmeasures README (after ragrawal's eq. 32 code): [1..5] vs [2,3,4,1,5] → 0.828.
    expect(rankBiasedOverlap([1, 2, 3, 4, 5], [2, 3, 4, 1, 5], { p: 0.9 })).toBeCloseTo(0.828, 3);
    // dlukes/rbo doctests: rbo_min("abcdefg", "abcdefg", .9) → 0.767, rbo_res → 0.233, and
    // rbo_min("abcdefgh", "abcdefg", .9) → 0.767.
    const same = rankBiasedOverlapBounds(letters('abcdefg'), letters('abcdefg'), { p: 0.9 });
    expect(same.min).toBeCloseTo(0.767, 3);
    expect(same.residual).toBeCloseTo(0.233, 3);
    expect(same.min + same.residual).toBeCloseTo(1, 14);
    const longer = rankBiasedOverlapBounds(letters('abcdefgh'), letters('abcdefg'), { p: 0.9 });
    expect(longer.min).toBeCloseTo(0.767, 3);
  });

  it('matches eq. 32 and the bounds for uneven lists worked out by hand', () => {
    // S = [1, 2] (s = 2), L = [2, 3, 1, 4] (l = 4), p = ½, so (1 − p)/p = 1.
    // X_1..X_4 = 0, 1, 2, 2; X_s = 1, X_l = 2.
    // Σ_{d≤4} X_d/d p^d = 0 + ½·¼ + ⅔·⅛ + ½·1/16 = 23/96;
    // Σ_{d=3,4} X_s (d − s)/(s d) p^d = 1/6·⅛ + 2/8·1/16 = 7/192;
    // [(X_l − X_s)/l + X_s/s] p^l = (¼ + ½)/16 = 9/192. RBO_ext = 53/192 + 9/192 = 31/96.
    // RBO_min = −1·½ − ½·¼ + 0 + 0 + 2 ln 2 = 2 ln 2 − 9/8.
    // The best continuation of S is 3, 4, …: X = 0, 1, 3, 4, 5, …, so RBO_max =
    // ½·¼ + ⅛ + 1/16 + Σ_{d≥5} 2^−d = 3/8 and RBO_res = 3/8 − RBO_min = 3/2 − 2 ln 2.
    const bounds = rankBiasedOverlapBounds([1, 2], [2, 3, 1, 4], { p: 0.5 });
    expect(bounds.ext).toBeCloseTo(31 / 96, 14);
    expect(bounds.min).toBeCloseTo(2 * Math.LN2 - 9 / 8, 14);
    expect(bounds.residual).toBeCloseTo(1.5 - 2 * Math.LN2, 14);
    // Even lengths: [1, 2, 3] vs [1, 3, 2]: A = 1, ½, 1, so ½ + ⅛ + ⅛ + 1·⅛ = 7/8.
    expect(rankBiasedOverlap([1, 2, 3], [1, 3, 2], { p: 0.5 })).toBeCloseTo(7 / 8, 14);
  });

  it('skips -1 padding, honours depth and rejects repeated items and bad options', () => {
    expect(rankBiasedOverlap([1, -1, 2], [1, 2])).toBeCloseTo(1, 14);
    expect(rankBiasedOverlap([1, 2, 3], [1, 2, 4], { depth: 2 })).toBeCloseTo(1, 14);
    expect(rankBiasedOverlap([1, 2, 3], [1, 2, 4])).toBeLessThan(1);
    expect(() => rankBiasedOverlap([1, 2, 1], [1])).toThrow(/repeats item 1/);
    expect(() => rankBiasedOverlap([1], [1], { p: 1 })).toThrow(RangeError);
    expect(() => rankBiasedOverlap([1], [1], { depth: 0 })).toThrow(RangeError);
  });

  it('is symmetric, lies in [0, 1] and between RBO_min and RBO_min + RBO_res', () => {
    const rng = new SeededRandom(11, 'rankings');
    const ranking = (pool: number) => {
      const items = Array.from({ length: pool }, (_, i) => i);
      for (let i = pool - 1; i > 0; i--) {
        const j = rng.int(0, i);
        [items[i], items[j]] = [items[j], items[i]];
      }
      return items.slice(0, rng.int(0, pool));
    };
    for (let t = 0; t < 500; t++) {
      const pool = rng.int(1, 15);
      const a = ranking(pool);
      const b = ranking(pool);
      const p = rng.uniform(0.05, 0.99);
      const ab = rankBiasedOverlapBounds(a, b, { p });
      const ba = rankBiasedOverlapBounds(b, a, { p });
      expect(ba.ext).toBeCloseTo(ab.ext, 14);
      expect(ab.ext).toBeGreaterThanOrEqual(0);
      expect(ab.ext).toBeLessThanOrEqual(1);
      expect(ab.min).toBeLessThanOrEqual(ab.ext + 1e-12);
      expect(ab.ext).toBeLessThanOrEqual(ab.min + ab.residual + 1e-12);
    }
  });
});
