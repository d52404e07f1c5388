/**
 * The Wilcoxon signed-rank test and the normal tail against published values
 * (scipy.stats.wilcoxon and scipy.stats.norm) and cases worked out by hand, plus seeded
 * property checks.
 */
import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../random';
import { ndcgLike } from './statsTesting';
import { normalSf, WILCOXON_EXACT_LIMIT, wilcoxonSignedRank } from './wilcoxon';

describe('normalSf', () => {
  it('matches scipy.stats.norm.sf to 1e-13 relative', () => {
    const reference: [number, number][] = [
      [0.5, 0.3085375387259869],
      [1, 0.15865525393145707],
      [1.959963984540054, 0.025],
      [2.9, 0.0018658133003840375],
      [3, 0.0013498980316300933],
      [3.1, 0.0009676032132183563],
      [4, 3.167124183311986e-5],
      [6, 9.865876450376946e-10],
      [9, 1.1285884059538324e-19],
      [15, 3.6709661993126986e-51],
      [25, 3.056696706382561e-138],
    ];
    for (const [z, p] of reference) expect(Math.abs(normalSf(z) - p) / p).toBeLessThan(1e-13);
    expect(normalSf(0)).toBe(0.5);
    expect(normalSf(-1)).toBeCloseTo(1 - 0.15865525393145707, 15);
  });
});

describe('wilcoxonSignedRank', () => {
  // scipy.stats.wilcoxon documentation example (Cucumber / differences of paired heights).
  const d = [6, 8, 14, 16, 23, 24, 28, 29, 41, -48, 49, 56, 60, -67, 75];
  const zeros = d.map(() => 0);

  it('matches scipy on its documentation example: exact p = 0.041259765625', () => {
    // scipy.stats.wilcoxon(d) → statistic 24.0, pvalue 0.041259765625 (= 169 / 4096).
    const exact = wilcoxonSignedRank(d, zeros);
    expect(exact.statistic).toBe(24);
    expect(exact.wPlus).toBe(96);
    expect(exact.n).toBe(15);
    expect(exact.method).toBe('exact');
    expect(exact.pValue).toBeCloseTo(0.041259765625, 14);
  });

  it("matches scipy's normal approximation with and without continuity correction", () => {
    // wilcoxon(d, method='asymptotic', correction=False) → p 0.04088813291185591, |z| 2.04466…
    const plain = wilcoxonSignedRank(d, zeros, { method: 'normal', correction: false });
    expect(plain.method).toBe('normal');
    expect(plain.pValue).toBeCloseTo(0.04088813291185591, 13);
    expect(plain.z).toBeCloseTo(2.0446626032894333, 12);
    // correction=True → p 0.043772323763041174, |z| 2.01626…
    const corrected = wilcoxonSignedRank(d, zeros, { method: 'normal' });
    expect(corrected.pValue).toBeCloseTo(0.043772323763041174, 13);
    expect(corrected.z).toBeCloseTo(2.01626451157708, 12);
  });

  it('drops zero differences and averages tied ranks (worked by hand, confirmed by scipy)', () => {
    // Differences 0, 1, 1, −1, 1, 1, 2, 0, 2, −1: the two zeros are dropped, n = 8. Six |d| = 1
    // share ranks 1..6 (3.5 each), two |d| = 2 share ranks 7, 8 (7.5 each).
    // W+ = 4 · 3.5 + 2 · 7.5 = 29, W− = 2 · 3.5 = 7.
    // Exact: doubled ranks six 7s and two 15s, doubled W+ = 58. 7a + 15b ≥ 58 only for b = 2,
    // a ≥ 4: C(6,4) + C(6,5) + C(6,6) = 22 of 256 sign patterns; two-sided p = 44 / 256
    // (scipy's permutation test: 0.171875).
    // Normal: mean 18, variance 8·9·17/24 − [(6³ − 6) + (2³ − 2)]/48 = 51 − 4.5 = 46.5,
    // z = (29 − 18 − ½) / √46.5 = 1.53979… (scipy asymptotic: p 0.12361040236823521).
    const a = [1.0, 2.5, 3.0, 4.0, 2.0, 5.0, 6.0, 1.5, 3.0, 2.0];
    const b = [1.0, 1.5, 2.0, 5.0, 1.0, 4.0, 4.0, 1.5, 1.0, 3.0];
    const exact = wilcoxonSignedRank(a, b);
    expect(exact).toMatchObject({ statistic: 7, wPlus: 29, n: 8, method: 'exact' });
    expect(exact.pValue).toBeCloseTo(44 / 256, 14);
    expect(exact.z).toBeCloseTo(10.5 / Math.sqrt(46.5), 14);
    const normal = wilcoxonSignedRank(a, b, { method: 'normal' });
    expect(normal.pValue).toBeCloseTo(0.12361040236823521, 13);
  });

  it('matches scipy on an exact case of n = 30 and a tied normal case of n = 60', () => {
    const y = [
      1, 2, 3, 4, -5, 6, -7, 8, 9, 10, 11, 12, 13, -14, 15, -16, -17, -18, 19, -20, -21, 22, 23, 24,
      25, -26, 27, 28, -29, 30,
    ];
    // scipy.stats.wilcoxon(y) → statistic 173.0, pvalue 0.22855282202363014.
    const exact = wilcoxonSignedRank(
      y,
      y.map(() => 0),
    );
    expect(exact.statistic).toBe(173);
    expect(exact.pValue).toBeCloseTo(0.22855282202363014, 13);
    const x = [
      2.5, -2.5, 0.5, -0.5, 0, 0, -1.5, 0, -0.5, 3.5, 0.5, 0, 0, -0.5, -1, 0, 1, 0, 1.5, 0, 0.5, 2,
      1, 0, 0, 1, 2, 0, 0, 1.5, -0.5, 0, 1, 1, 0.5, 1, -2.5, 1.5, -0.5, -1.5, 0.5, 1, 0, -1, 0.5, 0,
      1.5, 1, 0.5, 1.5, 0, -0.5, 1, 1, 0, -0.5, 0.5, -2, 1, 1,
    ];
    // scipy.stats.wilcoxon(x, method='asymptotic') → statistic 287.0, p 0.02368145497561752.
    const normal = wilcoxonSignedRank(
      x,
      x.map(() => 0),
      { method: 'normal' },
    );
    expect(normal.n).toBe(43);
    expect(normal.statistic).toBe(287);
    expect(normal.pValue).toBeCloseTo(0.02368145497561752, 13);
    // 43 non-zero differences: 'auto' takes the exact (conditional) distribution, close to it.
    const auto = wilcoxonSignedRank(
      x,
      x.map(() => 0),
    );
    expect(auto.method).toBe('exact');
    expect(Math.abs(auto.pValue - normal.pValue)).toBeLessThan(0.005);
  });

  it('gives p = 1/4 for three positive differences (1/8 per tail)', () => {
    expect(wilcoxonSignedRank([1, 2, 3], [0, 0, 0]).pValue).toBeCloseTo(0.25, 15);
  });

  it('is symmetric in its arguments up to the sign of z', () => {
    const rng = new SeededRandom(9, 'values');
    const a = ndcgLike(rng, 80, 0.4);
    const b = ndcgLike(rng, 80, 0.3);
    for (const method of ['exact', 'normal'] as const) {
      const ab = wilcoxonSignedRank(a, b, { method });
      const ba = wilcoxonSignedRank(b, a, { method });
      expect(ba.statistic).toBe(ab.statistic);
      expect(ba.z).toBeCloseTo(-ab.z, 14);
      expect(ba.pValue).toBeCloseTo(ab.pValue, 14);
    }
  });

  it('returns p = 1 with n = 0 for identical inputs', () => {
    const values = [0.2, 0.5, 0, 1];
    expect(wilcoxonSignedRank(values, values)).toEqual({
      statistic: 0,
      wPlus: 0,
      z: 0,
      pValue: 1,
      n: 0,
      method: 'exact',
    });
  });

  it('switches to the normal approximation above 50 differences and bounds the exact one', () => {
    const a = Float64Array.from({ length: 51 }, (_, i) => i + 1);
    expect(wilcoxonSignedRank(a, new Float64Array(51)).method).toBe('normal');
    const many = new Float64Array(WILCOXON_EXACT_LIMIT + 1).fill(1);
    expect(() =>
      wilcoxonSignedRank(many, new Float64Array(many.length), { method: 'exact' }),
    ).toThrow(RangeError);
    expect(() => wilcoxonSignedRank([1, 2], [1])).toThrow(RangeError);
  });
});
