/**
 * The comparison statistics against cases worked out by hand and against published values
 * (scipy.stats.wilcoxon and scipy.stats.norm, the RBO paper's formulas and the doctests and
 * READMEs of the public rbo implementations), plus seeded property checks.
 */
import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../random';
import {
  bootstrapMeanCI,
  giniIndex,
  intraListDiversity,
  jaccardAtK,
  longTailShare,
  normalSf,
  novelty,
  pairedBootstrap,
  popularityHead,
  rankBiasedOverlap,
  rankBiasedOverlapBounds,
  recommendationCounts,
  WILCOXON_EXACT_LIMIT,
  wilcoxonSignedRank,
} from './stats';

/** Codes of a string's letters, so the rbo packages' string examples read as written. */
const letters = (text: string) => Array.from(text, (c) => c.charCodeAt(0));

/** Per-user NDCG@10-like values: most users miss (0), hits score 1 / log2(rank + 1). */
function ndcgLike(rng: SeededRandom, n: number, hitRate: number): Float64Array {
  return Float64Array.from({ length: n }, () =>
    rng.chance(hitRate) ? 1 / Math.log2(rng.int(1, 10) + 1) : 0,
  );
}

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

describe('giniIndex', () => {
  it('matches hand-computed cases', () => {
    expect(giniIndex([])).toBe(0);
    expect(giniIndex([0, 0, 0])).toBe(0);
    expect(giniIndex([5, 5, 5, 5])).toBe(0);
    // All mass on one of four items: (n − 1) / n.
    expect(giniIndex([0, 0, 0, 7])).toBeCloseTo(3 / 4, 15);
    // [1, 2, 3, 4]: Σ (2i − 5) x_i = −3 − 2 + 3 + 12 = 10, over n Σx = 40.
    expect(giniIndex([4, 1, 3, 2])).toBeCloseTo(0.25, 15);
  });

  it('equals the mean-absolute-difference form and lies in [0, 1) on random counts', () => {
    const rng = new SeededRandom(10, 'counts');
    for (let t = 0; t < 50; t++) {
      const n = rng.int(1, 40);
      const counts = Float64Array.from({ length: n }, () => (rng.chance(0.3) ? 0 : rng.int(0, 50)));
      const g = giniIndex(counts);
      let total = 0;
      let absDiff = 0;
      for (const x of counts) {
        total += x;
        for (const y of counts) absDiff += Math.abs(x - y);
      }
      const expected = total === 0 ? 0 : absDiff / (2 * n * total);
      expect(g).toBeCloseTo(expected, 12);
      expect(g).toBeGreaterThanOrEqual(0);
      expect(g).toBeLessThan(1);
      expect(giniIndex(counts.map((x) => 3 * x))).toBeCloseTo(g, 12);
    }
  });

  it('rejects negative counts', () => {
    expect(() => giniIndex([1, -1])).toThrow(/counts\[1\] is -1/);
  });
});

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

describe('recommendationCounts and popularityHead', () => {
  it('counts each item over the lists, skipping padding', () => {
    const top = Int32Array.of(0, 1, 2, 1, 2, -1);
    expect(Array.from(recommendationCounts(top, 3, 5))).toEqual([1, 2, 2, 0, 0]);
    expect(giniIndex(recommendationCounts(top, 3, 5))).toBeCloseTo(
      // Sorted 0, 0, 1, 2, 2: (−4·0 − 2·0 + 0·1 + 2·2 + 4·2) / (5 · 5) = 12 / 25.
      12 / 25,
      15,
    );
  });

  it('rejects lists that do not match k or the catalogue', () => {
    expect(() => recommendationCounts(Int32Array.of(0, 1, 2), 2, 5)).toThrow(/multiple of k = 2/);
    expect(() => recommendationCounts(Int32Array.of(0, 5), 2, 5)).toThrow(/outside the catalogue/);
  });

  it('takes the most popular ceil(share · n) items as the head, ties to the lower index', () => {
    expect(Array.from(popularityHead([5, 1, 5, 0, 3], 0.4))).toEqual([1, 0, 1, 0, 0]);
    expect(Array.from(popularityHead([5, 1, 5, 0, 3], 0.2))).toEqual([1, 0, 0, 0, 0]);
    // ceil(0.2 · 6) = 2.
    expect(Array.from(popularityHead([0, 0, 0, 0, 0, 0]))).toEqual([1, 1, 0, 0, 0, 0]);
  });
});

describe('longTailShare', () => {
  const popularity = [10, 8, 6, 4, 2, 0, 0, 0, 0, 0]; // head (20 % of 10) = items 0 and 1

  it('counts filled slots outside the head', () => {
    // Filled: 0, 5, 6, 1, 2; in the tail: 5, 6, 2.
    expect(longTailShare(Int32Array.of(0, 5, 6, 1, 2, -1), 3, popularity)).toBeCloseTo(3 / 5, 15);
    expect(longTailShare(Int32Array.of(0, 1), 2, popularity)).toBe(0);
    expect(longTailShare(Int32Array.of(0, 1, 2, 3), 2, popularity, 0.5)).toBe(0);
  });

  it('is NaN when nothing is recommended', () => {
    expect(longTailShare(Int32Array.of(-1, -1), 2, popularity)).toBeNaN();
  });
});

describe('intraListDiversity', () => {
  // Items 0: {0, 1}, 1: {1, 2}, 2: {3}, 3: none.
  const categories = [[0, 1], [1, 2], [3], []];

  it('averages pairwise category distances per list, then over users', () => {
    // User 1 [0, 1, 2]: 1 − ⅓, 1, 1 → 8/9. User 2 [0, 1, 3]: item 3 has no categories, only
    // the pair (0, 1) counts → ⅔. User 3 [3, 2, -1]: no pair with data on both sides, skipped.
    const top = Int32Array.of(0, 1, 2, 0, 1, 3, 3, 2, -1);
    const expected = (8 / 9 + 2 / 3) / 2;
    expect(intraListDiversity(top, 3, categories)).toBeCloseTo(expected, 15);
    // The same through a function and through CSR lists.
    expect(intraListDiversity(top, 3, (i) => categories[i])).toBeCloseTo(expected, 15);
    const csr = { offsets: Int32Array.of(0, 2, 4, 5, 5), items: Int32Array.of(0, 1, 1, 2, 3) };
    expect(intraListDiversity(top, 3, csr)).toBeCloseTo(expected, 15);
  });

  it("treats an item's repeated categories as one and identical sets as distance 0", () => {
    expect(
      intraListDiversity(Int32Array.of(0, 1), 2, [
        [1, 1, 2],
        [2, 1],
      ]),
    ).toBe(0);
  });

  it('is NaN without category data', () => {
    expect(intraListDiversity(Int32Array.of(0, 1), 2, [[], []])).toBeNaN();
    expect(intraListDiversity(Int32Array.of(0, 1), 2, [])).toBeNaN();
  });
});

describe('novelty', () => {
  it('averages −log2((pop + 1) / (users + 1)) over filled slots', () => {
    // 9 users; items seen by 9, 0 and 3 users carry 0, log2 10 and log2 2.5 bits.
    const value = novelty(Int32Array.of(0, 1, 2, -1), 2, [9, 0, 3], 9);
    expect(value).toBeCloseTo((Math.log2(10) + Math.log2(2.5)) / 3, 14);
  });

  it('gives popular items fewer bits and never goes negative', () => {
    const popularity = [100, 1];
    expect(novelty(Int32Array.of(0), 1, popularity, 50)).toBe(0);
    expect(novelty(Int32Array.of(1), 1, popularity, 50)).toBeGreaterThan(
      novelty(Int32Array.of(0), 1, [40, 1], 50),
    );
  });

  it('is NaN with no slot filled and rejects a bad user count', () => {
    expect(novelty(Int32Array.of(-1), 1, [1], 5)).toBeNaN();
    expect(() => novelty(Int32Array.of(0), 1, [1], 0)).toThrow(RangeError);
  });
});
