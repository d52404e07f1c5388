import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../random';
import { pca2d } from './projection';

function unit(rng: SeededRandom, dim: number): number[] {
  const v = Array.from({ length: dim }, () => rng.normal());
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
}

/** numItems rows = mean + a·u + b·v (+ noise), with u, v orthonormal and Var(a) > Var(b). */
function planeData(numItems: number, dim: number, noise: number) {
  const rng = new SeededRandom(11, 'plane');
  const u = unit(rng, dim);
  let v = unit(rng, dim);
  const dot = v.reduce((s, x, d) => s + x * u[d], 0);
  v = v.map((x, d) => x - dot * u[d]);
  const nv = Math.hypot(...v);
  v = v.map((x) => x / nv);
  const mean = Array.from({ length: dim }, () => rng.uniform(-5, 5));
  const values = new Float32Array(numItems * dim);
  for (let i = 0; i < numItems; i++) {
    const a = 3 * rng.normal();
    const b = rng.normal();
    for (let d = 0; d < dim; d++) {
      values[i * dim + d] = mean[d] + a * u[d] + b * v[d] + noise * rng.normal();
    }
  }
  return { values, u, v };
}

describe('pca2d', () => {
  it('recovers the plane of rank-2 data: explained variance ≈ 1', () => {
    const dim = 48;
    const numItems = 600;
    const { values, u, v } = planeData(numItems, dim, 0);
    const pca = pca2d(values, numItems, dim);
    console.log(
      `pca2d on rank-2 data: explained ${pca.explained.toFixed(6)} after ${pca.iterations} rounds`,
    );
    expect(pca.explained).toBeGreaterThan(0.9999);
    expect(pca.xy).toHaveLength(2 * numItems);
    // Both planted directions lie in the plane of the two components.
    for (const w of [u, v]) {
      let inPlane = 0;
      for (let axis = 0; axis < 2; axis++) {
        let dot = 0;
        for (let d = 0; d < dim; d++) dot += pca.components[axis * dim + d] * w[d];
        inPlane += dot * dot;
      }
      expect(inPlane).toBeCloseTo(1, 5);
    }
    // The first axis is the wider one (variance 9 vs 1).
    let dot = 0;
    for (let d = 0; d < dim; d++) dot += pca.components[d] * u[d];
    expect(Math.abs(dot)).toBeCloseTo(1, 4);
  });

  it('reports the variance along each axis, with uncorrelated, centred coordinates', () => {
    const dim = 20;
    const numItems = 400;
    const { values } = planeData(numItems, dim, 0.3);
    const pca = pca2d(values, numItems, dim);
    expect(pca.explained).toBeGreaterThan(0.8);
    expect(pca.explained).toBeLessThan(1);
    let sx = 0;
    let sy = 0;
    let sxx = 0;
    let syy = 0;
    let sxy = 0;
    for (let i = 0; i < numItems; i++) {
      const x = pca.xy[2 * i];
      const y = pca.xy[2 * i + 1];
      sx += x;
      sy += y;
      sxx += x * x;
      syy += y * y;
      sxy += x * y;
    }
    expect(sx / numItems).toBeCloseTo(0, 3);
    expect(sy / numItems).toBeCloseTo(0, 3);
    expect(sxx / numItems / pca.variances[0]).toBeCloseTo(1, 3);
    expect(syy / numItems / pca.variances[1]).toBeCloseTo(1, 3);
    expect(Math.abs(sxy / numItems) / pca.variances[0]).toBeLessThan(1e-3);
    expect(pca.variances[0]).toBeGreaterThan(pca.variances[1]);
  });

  it('is deterministic, with the largest entry of each axis positive', () => {
    const { values } = planeData(100, 8, 0.1);
    const a = pca2d(values, 100, 8, { seed: 3 });
    const b = pca2d(values, 100, 8, { seed: 3 });
    expect(a).toEqual(b);
    for (let axis = 0; axis < 2; axis++) {
      const row = Array.from(a.components.subarray(axis * 8, axis * 8 + 8));
      const largest = row.reduce((best, x) => (Math.abs(x) > Math.abs(best) ? x : best), 0);
      expect(largest).toBeGreaterThan(0);
    }
  });

  it('handles tiny and degenerate inputs, refuses bad sizes', () => {
    expect(pca2d(new Float32Array(0), 0, 4).xy).toHaveLength(0);
    const one = pca2d(Float32Array.of(1, 2, 3), 1, 3);
    expect(Array.from(one.xy)).toEqual([0, 0]);
    expect(one.explained).toBe(0);
    const line = pca2d(Float32Array.of(0, 1, 2, 3), 4, 1);
    expect(line.explained).toBeCloseTo(1, 10);
    expect(line.xy[1]).toBe(0);
    expect(() => pca2d(new Float32Array(5), 2, 3)).toThrow(RangeError);
  });
});
