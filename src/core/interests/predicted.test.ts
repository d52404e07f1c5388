import { describe, expect, it } from 'vitest';
import { CE_SMOOTHING, crossEntropyBits, sharesOf } from './predicted';

describe('predicted layers: scoring and shares', () => {
  it('cross-entropy in bits: a sure right guess costs ~0, a uniform guess log2(C), a miss is finite', () => {
    expect(crossEntropyBits([1, 0], [1, 0])).toBeCloseTo(-Math.log2(1 - CE_SMOOTHING / 2), 9);
    expect(crossEntropyBits([0.5, 0.5], [0.5, 0.5])).toBeCloseTo(1, 9);
    const miss = crossEntropyBits([1, 0], [0, 1]);
    expect(miss).toBeCloseTo(-Math.log2(CE_SMOOTHING / 2), 9);
    expect(Number.isFinite(miss)).toBe(true);
  });

  it('lists non-zero shares largest first, ties by name', () => {
    expect(sharesOf([0.2, 0, 0.5, 0.3, 0.2], ['b', 'x', 'c', 'd', 'a'])).toEqual([
      { category: 'c', share: 0.5 },
      { category: 'd', share: 0.3 },
      { category: 'a', share: 0.2 },
      { category: 'b', share: 0.2 },
    ]);
  });
});
