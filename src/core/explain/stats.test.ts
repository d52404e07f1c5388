/** The explainers' small numerical routines, against answers worked out by hand. */
import { describe, expect, it } from 'vitest';
import { seedSpread } from './lime';
import {
  averageRanks,
  BinaryRidgeAccumulator,
  choleskySolve,
  pearson,
  spearman,
  trapezoid,
  weightedRidge,
} from './stats';

describe('weightedRidge', () => {
  it('solves a one-feature system: β = Sxy / (Sxx + α), unpenalised intercept', () => {
    // y = 1 + 2x exactly at x = 0, 1, 2; centred Sxx = 2, Sxy = 4, so β = 4 / 3 at α = 1.
    const fit = weightedRidge(
      Float64Array.of(0, 1, 2),
      Float64Array.of(1, 3, 5),
      Float64Array.of(1, 1, 1),
      1,
      1,
    );
    expect(fit.coefficients[0]).toBeCloseTo(4 / 3, 12);
    expect(fit.intercept).toBeCloseTo(3 - 4 / 3, 12);
    // Residuals −2/3, 0, 2/3 against a total sum of squares of 8.
    expect(fit.r2).toBeCloseTo(1 - 8 / 9 / 8, 12);
  });

  it('matches a weighted two-feature system solved by hand', () => {
    // Samples (x1, x2; y; w): (1,0; 2; 1) (0,1; 3; 2) (1,1; 6; 1) (0,0; 1; 1) (1,0; 2.5; 0.5).
    // Centred by the weighted means, the system is
    // [[26/11, −4/11], [−4/11, 26/11]] β = [41/22, 69/22] (α = 1 on the diagonal), so
    // β = (61/60, 89/60), intercept 101/60, weighted R² = 193661/279450.
    const x = Float64Array.of(1, 0, 0, 1, 1, 1, 0, 0, 1, 0);
    const fit = weightedRidge(
      x,
      Float64Array.of(2, 3, 6, 1, 2.5),
      Float64Array.of(1, 2, 1, 1, 0.5),
      2,
      1,
    );
    expect(fit.coefficients[0]).toBeCloseTo(61 / 60, 12);
    expect(fit.coefficients[1]).toBeCloseTo(89 / 60, 12);
    expect(fit.intercept).toBeCloseTo(101 / 60, 12);
    expect(fit.r2).toBeCloseTo(193661 / 279450, 12);
  });

  it('gives zero-weight samples no say and refuses all-zero weights', () => {
    const base = weightedRidge(
      Float64Array.of(0, 1, 2),
      Float64Array.of(1, 3, 5),
      Float64Array.of(1, 1, 1),
      1,
      1,
    );
    const withOutlier = weightedRidge(
      Float64Array.of(0, 1, 2, 3),
      Float64Array.of(1, 3, 5, 1000),
      Float64Array.of(1, 1, 1, 0),
      1,
      1,
    );
    expect(withOutlier.coefficients[0]).toBeCloseTo(base.coefficients[0], 12);
    expect(withOutlier.r2).toBeCloseTo(base.r2, 12);
    expect(() =>
      weightedRidge(Float64Array.of(0, 1), Float64Array.of(1, 2), Float64Array.of(0, 0), 1, 1),
    ).toThrow(/weight is zero/);
  });
  it('fits a constant target with exactly zero coefficients (not rounding noise)', () => {
    // Weights whose weighted mean of a constant is not exact in floating point.
    const fit = weightedRidge(
      Float64Array.of(1, 0, 0, 1, 1, 1, 0, 0),
      Float64Array.of(0.1, 0.1, 0.1, 0.1),
      Float64Array.of(0.3, 0.7, 0.11, 0.13),
      2,
      1,
    );
    expect(Array.from(fit.coefficients)).toEqual([0, 0]);
    expect(fit.intercept).toBe(0.1);
    expect(fit.r2).toBe(1);
  });
});

describe('choleskySolve', () => {
  it('solves a symmetric positive definite system and refuses an indefinite one', () => {
    // [[4, 2], [2, 3]] x = [2, 1]  =>  x = (1/2, 0).
    const x = choleskySolve(Float64Array.of(4, 2, 2, 3), Float64Array.of(2, 1), 2);
    expect(x[0]).toBeCloseTo(0.5, 12);
    expect(x[1]).toBeCloseTo(0, 12);
    expect(() => choleskySolve(Float64Array.of(1, 2, 2, 1), Float64Array.of(1, 1), 2)).toThrow(
      /positive definite/,
    );
  });
});

describe('ranks and correlations', () => {
  it('averages tied ranks', () => {
    expect(Array.from(averageRanks([10, 20, 20, 30, 5]))).toEqual([2, 3.5, 3.5, 5, 1]);
  });

  it('computes Spearman with ties as Pearson on average ranks', () => {
    // Ranks (1, 2.5, 2.5, 4, 5) and (2, 1, 4.5, 4.5, 3): correlation 15/38.
    expect(spearman([1, 2, 2, 3, 5], [2, 1, 4, 4, 3])).toBeCloseTo(15 / 38, 12);
    expect(spearman([1, 2, 3, 4], [1, 8, 27, 64])).toBeCloseTo(1, 12);
    expect(spearman([1, 2, 3, 4], [4, 3, 2, 1])).toBeCloseTo(-1, 12);
    // A constant side has no order to agree with.
    expect(spearman([1, 1, 1], [1, 2, 3])).toBe(0);
  });

  it('refuses vectors of different lengths', () => {
    expect(() => pearson([1, 2], [1, 2, 3])).toThrow(/Lengths differ/);
  });
});

describe('trapezoid', () => {
  it('integrates piecewise-linear curves, also on uneven grids', () => {
    expect(trapezoid([0, 0.5, 1], [1, 0, 1])).toBeCloseTo(0.5, 12);
    expect(trapezoid([0, 1, 3], [0, 2, 2])).toBeCloseTo(5, 12);
    expect(trapezoid([0], [3])).toBe(0);
  });
});

describe('LIME seed spread', () => {
  it('is zero for identical runs and the mean sd over the mean |coefficient| otherwise', () => {
    expect(seedSpread([Float64Array.of(1, 2), Float64Array.of(1, 2)])).toBe(0);
    // Item 0: values 1, 3 (sd √2, mean 2); item 1: −2, −2 (sd 0, mean −2): √2 / 4.
    expect(seedSpread([Float64Array.of(1, -2), Float64Array.of(3, -2)])).toBeCloseTo(
      Math.SQRT2 / 4,
      12,
    );
    expect(seedSpread([Float64Array.of(1, 2)])).toBe(0);
  });
});

describe('BinaryRidgeAccumulator', () => {
  // 40 binary samples over 5 features, an additive target plus a little noise, uneven weights.
  const features = 5;
  const rows = Array.from({ length: 40 }, (_, s) =>
    Array.from({ length: features }, (_, i): number => ((s * 7 + i * 3 + s * i) % 5 < 3 ? 1 : 0)),
  );
  const truth = [0.5, -1.25, 2, 0, 0.75];
  const y = rows.map(
    (r, s) => 3 + r.reduce((t, v, i) => t + v * truth[i], 0) + 0.01 * ((s % 7) - 3),
  );
  const w = rows.map((_, s) => 0.5 + (s % 4) / 4);
  const kept = (r: number[]) => r.flatMap((v, i) => (v ? [i] : []));

  it('fits exactly what weightedRidge fits on the same samples (coefficients, intercept, R²)', () => {
    const acc = new BinaryRidgeAccumulator(features);
    rows.forEach((r, s) => {
      acc.add(kept(r), y[s], w[s]);
    });
    const reference = weightedRidge(
      Float64Array.from(rows.flat()),
      Float64Array.from(y),
      Float64Array.from(w),
      features,
      0.5,
    );
    const fit = acc.fit(0.5);
    for (const [i, c] of fit.coefficients.entries()) {
      expect(c).toBeCloseTo(reference.coefficients[i], 9);
    }
    expect(fit.intercept).toBeCloseTo(reference.intercept, 9);
    expect(fit.r2).toBeCloseTo(reference.r2, 9);
  });

  it('merging accumulators equals accumulating every sample in one', () => {
    const one = new BinaryRidgeAccumulator(features);
    const a = new BinaryRidgeAccumulator(features);
    const b = new BinaryRidgeAccumulator(features);
    rows.forEach((r, s) => {
      one.add(kept(r), y[s], w[s]);
      (s % 2 ? a : b).add(kept(r), y[s], w[s]);
    });
    a.merge(b);
    expect(a.samples).toBe(40);
    const [x, z] = [a.fit(1), one.fit(1)];
    for (const [i, c] of x.coefficients.entries()) expect(c).toBeCloseTo(z.coefficients[i], 9);
    expect(x.r2).toBeCloseTo(z.r2, 9);
  });

  it('recovers an additive function exactly under the efficiency constraint (fitShapley)', () => {
    const acc = new BinaryRidgeAccumulator(features);
    const empty = 3;
    rows.forEach((r) => {
      const value = empty + r.reduce((t, v, i) => t + v * truth[i], 0);
      acc.add(kept(r), value, 1);
    });
    const phi = acc.fitShapley(
      empty,
      truth.reduce((t, v) => t + v, 0),
    );
    for (const [i, v] of phi.entries()) expect(v).toBeCloseTo(truth[i], 6);
  });

  it('keeps a constant target at exactly zero coefficients', () => {
    const acc = new BinaryRidgeAccumulator(features);
    rows.forEach((r, s) => {
      acc.add(kept(r), 0.1 + 0.2, w[s]);
    });
    expect(Array.from(acc.fit(1).coefficients)).toEqual(new Array(features).fill(0));
  });
});
